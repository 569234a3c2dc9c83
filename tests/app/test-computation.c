/* test-computation.c — the pages' computation helper, with workers the test holds at a gate
 * so that the order of events is the test's, not the scheduler's: a late result of an old
 * start is dropped even when its worker ignores the cancellation; busy is TRUE from a start
 * until its outcome and is notified once each way; an error is reported once and no result
 * is delivered; a computation whose page is gone delivers nothing. */
#include "config.h"

#include <string.h>
#include <gtk/gtk.h>

#include "app/triad-computation.h"
#include "app/triad-lesson-page.h"
#include "app/triad-view.h"

/* A worker's orders: wait at the gate until it opens, then return name, or fail. */
typedef struct {
  GMutex    lock;
  GCond     cond;
  gboolean  open;
} Gate;

typedef struct {
  Gate       *gate;          /* NULL: no waiting */
  const char *name;
  gboolean    fail;
  int        *freed;         /* counts the data freed */
} Work;

/* What reached the page. */
typedef struct {
  GPtrArray *results;        /* the names delivered, in order */
  int        failures;
  int        busy_notifies;
} Seen;

static Seen seen;

static void
gate_open (Gate *gate)
{
  g_mutex_lock (&gate->lock);
  gate->open = TRUE;
  g_cond_broadcast (&gate->cond);
  g_mutex_unlock (&gate->lock);
}

static gpointer
work_thread (gpointer       data,
             GCancellable  *cancellable,
             GError       **error)
{
  Work *w = data;

  /* deaf to cancellable on purpose: a late result must be dropped all the same */
  if (w->gate != NULL)
    {
      g_mutex_lock (&w->gate->lock);
      while (!w->gate->open)
        g_cond_wait (&w->gate->cond, &w->gate->lock);
      g_mutex_unlock (&w->gate->lock);
    }
  if (w->fail)
    {
      g_set_error (error, G_IO_ERROR, G_IO_ERROR_INVALID_DATA, "the model folder is broken");
      return NULL;
    }
  return g_strdup (w->name);
}

static void
work_free (Work *w)
{
  if (w->freed != NULL)
    g_atomic_int_inc (w->freed);
  g_free (w);
}

static Work *
work_new (Gate       *gate,
          const char *name,
          gboolean    fail,
          int        *freed)
{
  Work *w = g_new0 (Work, 1);

  w->gate = gate;
  w->name = name;
  w->fail = fail;
  w->freed = freed;
  return w;
}

static void
delivered (TriadView *view,
           gpointer   result)
{
  g_ptr_array_add (seen.results, result);
}

static void
on_failed (TriadView  *view,
           const char *message,
           gpointer    data)
{
  seen.failures++;
}

static void
on_busy (GObject    *object,
         GParamSpec *pspec,
         gpointer    data)
{
  seen.busy_notifies++;
}

static void
iterate (int ms)
{
  gint64 until = g_get_monotonic_time () + (gint64) ms * 1000;

  while (g_get_monotonic_time () < until)
    g_main_context_iteration (NULL, FALSE);
}

/* Runs the main loop until c is no longer busy (30 s at most). */
static void
wait_idle (TriadComputation *c)
{
  gint64 deadline = g_get_monotonic_time () + 30 * G_USEC_PER_SEC;

  while (triad_computation_get_busy (c) && g_get_monotonic_time () < deadline)
    g_main_context_iteration (NULL, FALSE);
  g_assert_false (triad_computation_get_busy (c));
}

/* A page to report to (the Lesson page computes nothing of its own), and the message label
 * under its figure. */
static TriadView *
make_view (GtkLabel **message)
{
  TriadView *view = g_object_ref_sink (g_object_new (TRIAD_TYPE_LESSON_PAGE, NULL));

  if (seen.results != NULL)
    g_ptr_array_unref (seen.results);
  seen.results = g_ptr_array_new_with_free_func (g_free);
  seen.failures = seen.busy_notifies = 0;
  g_signal_connect (view, "failed", G_CALLBACK (on_failed), NULL);
  g_signal_connect (view, "notify::busy", G_CALLBACK (on_busy), NULL);
  *message = GTK_LABEL (g_object_ref_sink (gtk_label_new (NULL)));
  gtk_widget_set_visible (GTK_WIDGET (*message), FALSE);
  return view;
}

/* Start A (held at the gate), then B: B is shown; A, let through afterwards, is not. */
static void
test_late_result_dropped (void)
{
  GtkLabel *message;
  TriadView *view = make_view (&message);
  TriadComputation *c = triad_computation_new (view, message, delivered, g_free);
  Gate gate = { 0 };
  int freed = 0;

  triad_computation_start (c, work_thread, work_new (&gate, "A", FALSE, &freed),
                           (GDestroyNotify) work_free);
  g_assert_cmpuint (triad_computation_get_generation (c), ==, 1);
  triad_computation_start (c, work_thread, work_new (NULL, "B", FALSE, &freed),
                           (GDestroyNotify) work_free);
  g_assert_cmpuint (triad_computation_get_generation (c), ==, 2);
  wait_idle (c);
  g_assert_cmpuint (seen.results->len, ==, 1);
  g_assert_cmpstr (g_ptr_array_index (seen.results, 0), ==, "B");

  /* A finishes now, after B: its result must not replace B's */
  gate_open (&gate);
  {
    gint64 deadline = g_get_monotonic_time () + 10 * G_USEC_PER_SEC;

    while (g_atomic_int_get (&freed) < 2 && g_get_monotonic_time () < deadline)
      g_main_context_iteration (NULL, FALSE);
  }
  iterate (200);
  g_assert_cmpint (g_atomic_int_get (&freed), ==, 2);
  g_assert_cmpuint (seen.results->len, ==, 1);
  g_assert_cmpint (seen.failures, ==, 0);
  g_assert_false (gtk_widget_get_visible (GTK_WIDGET (message)));

  triad_computation_free (c);
  g_object_unref (message);
  g_object_unref (view);
}

/* Busy from the start to the outcome; two starts in a row stay busy throughout, so the
 * window's spinner does not flicker: one notification up, one down. */
static void
test_busy (void)
{
  GtkLabel *message;
  TriadView *view = make_view (&message);
  TriadComputation *c = triad_computation_new (view, message, delivered, g_free);
  Gate gate = { 0 };

  g_assert_false (triad_computation_get_busy (c));
  triad_computation_start (c, work_thread, work_new (&gate, "A", FALSE, NULL),
                           (GDestroyNotify) work_free);
  g_assert_true (triad_computation_get_busy (c));
  triad_computation_start (c, work_thread, work_new (&gate, "B", FALSE, NULL),
                           (GDestroyNotify) work_free);
  iterate (100);
  /* both held at the gate: still busy, and said so once */
  g_assert_true (triad_computation_get_busy (c));
  g_assert_cmpint (seen.busy_notifies, ==, 1);
  gate_open (&gate);
  wait_idle (c);
  iterate (100);
  g_assert_cmpint (seen.busy_notifies, ==, 2);
  g_assert_cmpuint (seen.results->len, ==, 1);
  g_assert_cmpstr (g_ptr_array_index (seen.results, 0), ==, "B");

  /* cancelled: not busy at once, and nothing delivered when the worker ends */
  g_mutex_lock (&gate.lock);
  gate.open = FALSE;
  g_mutex_unlock (&gate.lock);
  triad_computation_start (c, work_thread, work_new (&gate, "C", FALSE, NULL),
                           (GDestroyNotify) work_free);
  g_assert_true (triad_computation_get_busy (c));
  triad_computation_cancel (c);
  g_assert_false (triad_computation_get_busy (c));
  gate_open (&gate);
  iterate (300);
  g_assert_cmpuint (seen.results->len, ==, 1);
  g_assert_cmpint (seen.busy_notifies, ==, 4);

  triad_computation_free (c);
  g_object_unref (message);
  g_object_unref (view);
}

/* An error: "failed" once, the message under the figure, no result; the next success hides
 * the message again. */
static void
test_error_reported_once (void)
{
  GtkLabel *message;
  TriadView *view = make_view (&message);
  TriadComputation *c = triad_computation_new (view, message, delivered, g_free);

  triad_computation_start (c, work_thread, work_new (NULL, "A", TRUE, NULL),
                           (GDestroyNotify) work_free);
  wait_idle (c);
  iterate (200);
  g_assert_cmpint (seen.failures, ==, 1);
  g_assert_cmpuint (seen.results->len, ==, 0);
  g_assert_true (gtk_widget_get_visible (GTK_WIDGET (message)));
  g_assert_cmpstr (gtk_label_get_text (message), ==, "the model folder is broken");

  triad_computation_start (c, work_thread, work_new (NULL, "B", FALSE, NULL),
                           (GDestroyNotify) work_free);
  wait_idle (c);
  iterate (100);
  g_assert_cmpint (seen.failures, ==, 1);
  g_assert_cmpuint (seen.results->len, ==, 1);
  g_assert_false (gtk_widget_get_visible (GTK_WIDGET (message)));

  triad_computation_free (c);
  g_object_unref (message);
  g_object_unref (view);
}

/* The page goes while its worker runs: nothing is delivered to it afterwards, and the work's
 * data is still freed. */
static void
test_page_gone (void)
{
  GtkLabel *message;
  TriadView *view = make_view (&message);
  TriadComputation *c = triad_computation_new (view, message, delivered, g_free);
  Gate gate = { 0 };
  int freed = 0;
  gint64 deadline;

  triad_computation_start (c, work_thread, work_new (&gate, "A", FALSE, &freed),
                           (GDestroyNotify) work_free);
  triad_computation_free (c);
  gate_open (&gate);
  deadline = g_get_monotonic_time () + 10 * G_USEC_PER_SEC;
  while (g_atomic_int_get (&freed) < 1 && g_get_monotonic_time () < deadline)
    g_main_context_iteration (NULL, FALSE);
  iterate (200);
  g_assert_cmpint (g_atomic_int_get (&freed), ==, 1);
  g_assert_cmpuint (seen.results->len, ==, 0);
  g_assert_cmpint (seen.failures, ==, 0);
  g_object_unref (message);
  g_object_unref (view);
}

/* A worker that computes until it is cancelled, as a long computation that checks its
 * cancellable does; counts its start and its end. */
typedef struct {
  int started;
  int finished;
} Spin;

static gpointer
spin_thread (gpointer       data,
             GCancellable  *cancellable,
             GError       **error)
{
  Spin *spin = data;

  g_atomic_int_inc (&spin->started);
  while (!g_cancellable_set_error_if_cancelled (cancellable, error))
    g_usleep (1000);
  g_atomic_int_inc (&spin->finished);
  return NULL;
}

static gpointer
once_thread (gpointer       data,
             GCancellable  *cancellable,
             GError       **error)
{
  Spin *spin = data;

  g_atomic_int_inc (&spin->started);
  g_atomic_int_inc (&spin->finished);
  return g_strdup ("after");
}

/* The language switch's hold: a worker running is cancelled and has ended when the hold
 * returns (none runs while the environment changes); a computation started while held does
 * not run until the release, and then runs and delivers. */
static void
test_hold_workers (void)
{
  GtkLabel *message;
  TriadView *view = make_view (&message);
  TriadComputation *c = triad_computation_new (view, message, delivered, g_free);
  TriadComputation *d = triad_computation_new (view, message, delivered, g_free);
  Spin running = { 0 }, later = { 0 };
  gint64 deadline = g_get_monotonic_time () + 10 * G_USEC_PER_SEC;

  triad_computation_start (c, spin_thread, &running, NULL);
  while (g_atomic_int_get (&running.started) == 0 && g_get_monotonic_time () < deadline)
    g_usleep (1000);
  g_assert_cmpint (g_atomic_int_get (&running.started), ==, 1);
  g_assert_cmpint (triad_computation_get_n_running (), ==, 1);

  triad_computation_hold_workers ();
  g_assert_cmpint (g_atomic_int_get (&running.finished), ==, 1);
  g_assert_cmpint (triad_computation_get_n_running (), ==, 0);

  triad_computation_start (d, once_thread, &later, NULL);
  iterate (200);
  g_assert_cmpint (g_atomic_int_get (&later.started), ==, 0);
  triad_computation_release_workers ();
  wait_idle (d);
  g_assert_cmpint (g_atomic_int_get (&later.finished), ==, 1);
  g_assert_cmpuint (seen.results->len, ==, 1);
  g_assert_cmpstr (g_ptr_array_index (seen.results, 0), ==, "after");
  /* the cancelled one reports nothing: its page is built again in the new language */
  g_assert_cmpint (seen.failures, ==, 0);

  triad_computation_free (c);
  triad_computation_free (d);
  g_object_unref (message);
  g_object_unref (view);
}

int
main (int argc, char *argv[])
{
  int status;

  gtk_test_init (&argc, &argv, NULL);
  g_test_add_func ("/app/computation/late-result-dropped", test_late_result_dropped);
  g_test_add_func ("/app/computation/busy", test_busy);
  g_test_add_func ("/app/computation/error-reported-once", test_error_reported_once);
  g_test_add_func ("/app/computation/page-gone", test_page_gone);
  g_test_add_func ("/app/computation/hold-workers", test_hold_workers);
  status = g_test_run ();
  g_clear_pointer (&seen.results, g_ptr_array_unref);
  return status;
}
