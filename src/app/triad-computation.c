/* triad-computation.c — one background computation per page: GTask, cancellable, generation
 * counter, busy state and error report, which each page had a copy of. */
#include "config.h"

#include "app/triad-computation.h"

struct _TriadComputation
{
  TriadView        *view;          /* NULL once the page is gone: nothing is delivered then */
  GtkLabel         *message;
  TriadComputeDone  done;
  TriadComputeFailed failed;
  GDestroyNotify    result_free;
  GCancellable     *cancellable;   /* of the newest start */
  guint             generation;    /* starts and cancels so far; only the newest is shown */
  gboolean          busy;
};

/* One start: what the worker needs, and which generation it belongs to. The task holds it,
 * and through it a reference on the computation, so that a task outliving its page finds the
 * computation still there, with no view to deliver to. */
typedef struct {
  TriadComputation *owner;
  guint             generation;
  TriadComputeFunc  func;
  gpointer          data;
  GDestroyNotify    data_free;
} Job;

static void
computation_clear (TriadComputation *self)
{
  g_clear_object (&self->cancellable);
}

static void
job_free (Job *job)
{
  if (job->data_free != NULL && job->data != NULL)
    job->data_free (job->data);
  g_atomic_rc_box_release_full (job->owner, (GDestroyNotify) computation_clear);
  g_free (job);
}

static void
set_busy (TriadComputation *self,
          gboolean          busy)
{
  if (self->busy == busy)
    return;
  self->busy = busy;
  if (self->view != NULL)
    g_object_notify (G_OBJECT (self->view), "busy");
}

TriadComputation *
triad_computation_new (TriadView        *view,
                       GtkLabel         *message,
                       TriadComputeDone  done,
                       GDestroyNotify    result_free)
{
  TriadComputation *self = g_atomic_rc_box_new0 (TriadComputation);

  g_return_val_if_fail (TRIAD_IS_VIEW (view), NULL);
  g_return_val_if_fail (done != NULL, NULL);

  self->view = view;
  self->message = message;
  self->done = done;
  self->result_free = result_free;
  return self;
}

static void
job_thread (GTask        *task,
            gpointer      source,
            gpointer      task_data,
            GCancellable *cancellable)
{
  Job *job = task_data;
  GError *error = NULL;
  gpointer result = job->func (job->data, cancellable, &error);

  if (result != NULL)
    g_task_return_pointer (task, result, job->owner->result_free);
  else if (error != NULL)
    g_task_return_error (task, error);
  else
    g_task_return_new_error (task, G_IO_ERROR, G_IO_ERROR_FAILED, "no result");
}

static void
job_done (GObject      *source,
          GAsyncResult *res,
          gpointer      user_data)
{
  Job *job = g_task_get_task_data (G_TASK (res));
  TriadComputation *self = job->owner;
  g_autoptr(GError) error = NULL;
  gpointer result = g_task_propagate_pointer (G_TASK (res), &error);

  /* a late result of an old input (or of a page that is gone): the newer one decides */
  if (self->view == NULL || job->generation != self->generation)
    {
      if (result != NULL && self->result_free != NULL)
        self->result_free (result);
      return;
    }
  set_busy (self, FALSE);
  if (result == NULL)
    {
      /* the figure before stays; the page says why under it, and the window shows it */
      if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
        return;
      if (self->failed != NULL)
        self->failed (self->view, error);
      else if (self->message != NULL)
        triad_view_report (self->view, self->message, error->message);
      else
        triad_view_failed (self->view, error->message);
      return;
    }
  if (self->message != NULL)
    triad_view_report (self->view, self->message, NULL);
  self->done (self->view, result);
}

void
triad_computation_set_failed_func (TriadComputation   *self,
                                   TriadComputeFailed  failed)
{
  g_return_if_fail (self != NULL);

  self->failed = failed;
}

void
triad_computation_start (TriadComputation *self,
                         TriadComputeFunc  func,
                         gpointer          data,
                         GDestroyNotify    data_free)
{
  g_autoptr(GTask) task = NULL;
  Job *job;

  g_return_if_fail (self != NULL && func != NULL);

  g_cancellable_cancel (self->cancellable);
  g_clear_object (&self->cancellable);
  self->cancellable = g_cancellable_new ();
  self->generation++;

  job = g_new0 (Job, 1);
  job->owner = g_atomic_rc_box_acquire (self);
  job->generation = self->generation;
  job->func = func;
  job->data = data;
  job->data_free = data_free;
  task = g_task_new (NULL, self->cancellable, job_done, NULL);
  g_task_set_source_tag (task, triad_computation_start);
  g_task_set_task_data (task, job, (GDestroyNotify) job_free);
  /* a cancelled start answers at once; its thread finishes on its own and is dropped */
  g_task_set_return_on_cancel (task, TRUE);
  set_busy (self, TRUE);
  g_task_run_in_thread (task, job_thread);
}

void
triad_computation_cancel (TriadComputation *self)
{
  g_return_if_fail (self != NULL);

  g_cancellable_cancel (self->cancellable);
  self->generation++;
  set_busy (self, FALSE);
}

gboolean
triad_computation_get_busy (TriadComputation *self)
{
  return self != NULL && self->busy;
}

guint
triad_computation_get_generation (TriadComputation *self)
{
  return self != NULL ? self->generation : 0;
}

void
triad_computation_free (TriadComputation *self)
{
  if (self == NULL)
    return;
  g_cancellable_cancel (self->cancellable);
  self->generation++;
  self->busy = FALSE;
  self->view = NULL;
  self->message = NULL;
  g_atomic_rc_box_release_full (self, (GDestroyNotify) computation_clear);
}
