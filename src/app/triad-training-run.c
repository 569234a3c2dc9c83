/* triad-training-run.c — a training run's worker thread: made, stepped a tick at a time,
 * paused and stopped through flags under one lock. */
#include "config.h"

#include "app/triad-training-run.h"

/* At full speed the worker still looks at its flags between steps; a chunk this long is
 * what it steps between looks at the speed. */
#define FULL_SPEED_CHUNK 5

struct _TriadTrainingRun
{
  TriadWatchOptions opt;
  GThread          *thread;
  GMutex            lock;
  GCond             cond;
  /* under lock */
  TriadWatch       *watch;
  int               speed;
  gboolean          paused;
  gboolean          idle;
  gboolean          finished;
  GError           *error;
  /* read between steps without the lock */
  gint              cancel;
};

static gpointer
worker (gpointer data)
{
  TriadTrainingRun *run = data;
  g_autoptr(GError) error = NULL;
  TriadWatch *watch = triad_watch_new (&run->opt, &error);
  gint64 deadline;

  g_mutex_lock (&run->lock);
  run->watch = watch;
  g_mutex_unlock (&run->lock);
  deadline = g_get_monotonic_time ();
  while (watch != NULL && !triad_watch_is_done (watch))
    {
      int speed, n;

      g_mutex_lock (&run->lock);
      while (run->paused && !g_atomic_int_get (&run->cancel))
        {
          run->idle = TRUE;
          g_cond_wait (&run->cond, &run->lock);
        }
      run->idle = FALSE;
      speed = run->speed;
      g_mutex_unlock (&run->lock);
      if (g_atomic_int_get (&run->cancel))
        break;

      n = speed > 0 ? speed : FULL_SPEED_CHUNK;
      for (int i = 0; i < n && !g_atomic_int_get (&run->cancel) && !triad_watch_is_done (watch);
           i++)
        if (!triad_watch_step (watch, 1, &error))
          break;
      if (error != NULL)
        break;
      if (speed <= 0)
        continue;
      /* the rest of the tick, unless a pause or a stop comes first; a tick that the steps
       * overran starts the next one now rather than catch up in a burst */
      deadline = MAX (deadline + TRIAD_TRAINING_TICK_US,
                      g_get_monotonic_time () - TRIAD_TRAINING_TICK_US);
      g_mutex_lock (&run->lock);
      while (!g_atomic_int_get (&run->cancel) && !run->paused
             && g_get_monotonic_time () < deadline)
        g_cond_wait_until (&run->cond, &run->lock, deadline);
      g_mutex_unlock (&run->lock);
    }

  g_mutex_lock (&run->lock);
  run->finished = TRUE;
  run->idle = TRUE;
  run->error = g_steal_pointer (&error);
  g_mutex_unlock (&run->lock);
  return NULL;
}

TriadTrainingRun *
triad_training_run_new (const TriadWatchOptions *opt,
                        int                      speed,
                        gboolean                 paused)
{
  TriadTrainingRun *run = g_new0 (TriadTrainingRun, 1);

  g_return_val_if_fail (opt != NULL, NULL);

  run->opt = *opt;
  run->speed = MAX (speed, 0);
  run->paused = paused;
  g_mutex_init (&run->lock);
  g_cond_init (&run->cond);
  run->thread = g_thread_new ("triad-training", worker, run);
  return run;
}

void
triad_training_run_free (TriadTrainingRun *run)
{
  if (run == NULL)
    return;
  g_atomic_int_set (&run->cancel, TRUE);
  g_mutex_lock (&run->lock);
  g_cond_broadcast (&run->cond);
  g_mutex_unlock (&run->lock);
  g_thread_join (run->thread);
  g_clear_pointer (&run->watch, triad_watch_free);
  g_clear_error (&run->error);
  g_mutex_clear (&run->lock);
  g_cond_clear (&run->cond);
  g_free (run);
}

void
triad_training_run_set_speed (TriadTrainingRun *run,
                              int               speed)
{
  g_mutex_lock (&run->lock);
  run->speed = MAX (speed, 0);
  g_cond_broadcast (&run->cond);
  g_mutex_unlock (&run->lock);
}

void
triad_training_run_set_paused (TriadTrainingRun *run,
                               gboolean          paused)
{
  g_mutex_lock (&run->lock);
  run->paused = paused;
  g_cond_broadcast (&run->cond);
  g_mutex_unlock (&run->lock);
}

gboolean
triad_training_run_get_paused (TriadTrainingRun *run)
{
  gboolean paused;

  g_mutex_lock (&run->lock);
  paused = run->paused;
  g_mutex_unlock (&run->lock);
  return paused;
}

gboolean
triad_training_run_is_idle (TriadTrainingRun *run)
{
  gboolean idle;

  g_mutex_lock (&run->lock);
  idle = run->idle;
  g_mutex_unlock (&run->lock);
  return idle;
}

TriadWatch *
triad_training_run_get_watch (TriadTrainingRun *run)
{
  TriadWatch *watch;

  g_mutex_lock (&run->lock);
  watch = run->watch;
  g_mutex_unlock (&run->lock);
  return watch;
}

gboolean
triad_training_run_is_finished (TriadTrainingRun *run,
                                GError          **error)
{
  gboolean finished;

  g_mutex_lock (&run->lock);
  finished = run->finished;
  if (finished && run->error != NULL && error != NULL)
    *error = g_error_copy (run->error);
  g_mutex_unlock (&run->lock);
  return finished;
}
