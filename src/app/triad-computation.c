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

/* Every worker of every computation, for the language switch: the environment (LANGUAGE)
 * and the locale are the whole process's, and setenv while another thread calls getenv or
 * gettext (GLib's own error messages, say) is undefined behaviour. The switch holds the
 * workers (triad_computation_hold_workers): the ones running are cancelled and waited for,
 * and new ones wait at the gate before they run until it is released. A worker deaf to its
 * cancellable delays the switch by what it has left to compute, never more. */
static GMutex     workers_lock;
static GCond      workers_cond;
static int        workers_running;
static int        workers_held;
static GPtrArray *workers_cancellables;   /* (GCancellable) of the workers running */

static void
worker_enter (GCancellable *cancellable)
{
  g_mutex_lock (&workers_lock);
  while (workers_held > 0)
    g_cond_wait (&workers_cond, &workers_lock);
  if (workers_cancellables == NULL)
    workers_cancellables = g_ptr_array_new_with_free_func (g_object_unref);
  g_ptr_array_add (workers_cancellables, g_object_ref (cancellable));
  workers_running++;
  g_mutex_unlock (&workers_lock);
}

static void
worker_leave (GCancellable *cancellable)
{
  g_mutex_lock (&workers_lock);
  g_ptr_array_remove (workers_cancellables, cancellable);
  workers_running--;
  g_cond_broadcast (&workers_cond);
  g_mutex_unlock (&workers_lock);
}

void
triad_computation_hold_workers (void)
{
  g_autoptr(GPtrArray) running = g_ptr_array_new_with_free_func (g_object_unref);

  g_mutex_lock (&workers_lock);
  workers_held++;
  for (guint i = 0; workers_cancellables != NULL && i < workers_cancellables->len; i++)
    g_ptr_array_add (running, g_object_ref (g_ptr_array_index (workers_cancellables, i)));
  g_mutex_unlock (&workers_lock);
  /* outside the lock: cancelling runs the cancellables' handlers */
  for (guint i = 0; i < running->len; i++)
    g_cancellable_cancel (g_ptr_array_index (running, i));
  g_mutex_lock (&workers_lock);
  while (workers_running > 0)
    g_cond_wait (&workers_cond, &workers_lock);
  g_mutex_unlock (&workers_lock);
}

void
triad_computation_release_workers (void)
{
  g_mutex_lock (&workers_lock);
  if (workers_held > 0)
    workers_held--;
  else
    g_critical ("%s: the workers are not held", G_STRFUNC);
  g_cond_broadcast (&workers_cond);
  g_mutex_unlock (&workers_lock);
}

int
triad_computation_get_n_running (void)
{
  int n;

  g_mutex_lock (&workers_lock);
  n = workers_running;
  g_mutex_unlock (&workers_lock);
  return n;
}

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
  gpointer result;

  worker_enter (cancellable);
  result = job->func (job->data, cancellable, &error);
  worker_leave (cancellable);

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
