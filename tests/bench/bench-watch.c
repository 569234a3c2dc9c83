/* bench-watch.c — with the Training view's defaults, the seconds from pressing Start (the run
 * made: tokenizer, model, first snapshot) until the phase change of each task, for 5 seeds,
 * stepped as the window steps it (a snapshot's worth at a time, one BLAS thread): induction, a
 * head past layer 0 at an induction score ≥ 0.4 on the evaluation's sequences and the second
 * saying predicted at ≥ 50 % (the loss past its drop; target 90 s); translation, a
 * cross-attention head aligning ≥ 80 % of the content words (target 3 min); agreement, a head
 * giving the verb's subject ≥ 0.4 of its attention and ≥ 80 % of the verbs guessed in its
 * gender. A seed that has not got there in LIMIT_S seconds is reported as not formed, with how
 * far it got. A printed figure, never a timed test. One line a task:
 * RESULT name=watch-<task> formed=<k>/<n> median=<s> min=<s> max=<s> unit=s
 * Options: [TASK] [SEEDS] [key=value …] to try other settings: steps, every, batch, lr, warmup,
 * dim, heads, layers, ffn. */
#include "config.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "engine/watch.h"

#define LIMIT_S 200.0

extern void openblas_set_num_threads (int num_threads);

static int
cmp_double (const void *a, const void *b)
{
  double x = *(const double *) a, y = *(const double *) b;
  return x < y ? -1 : x > y;
}

static void
set_option (TriadWatchOptions *opt,
            const char        *arg)
{
  const char *eq = strchr (arg, '=');
  double v;

  if (eq == NULL)
    return;
  v = g_ascii_strtod (eq + 1, NULL);
#define OPT(name, field) if (strncmp (arg, name "=", strlen (name) + 1) == 0) opt->field = v;
  OPT ("steps", steps) OPT ("every", every) OPT ("batch", batch) OPT ("lr", lr)
  OPT ("warmup", warmup) OPT ("dim", dim) OPT ("heads", n_heads) OPT ("layers", n_layers)
  OPT ("ffn", ffn_dim)
#undef OPT
}

static int
bench_task (TriadWatchTask task,
            int            n_seeds,
            int            argc,
            char         **argv)
{
  double seconds[64];
  int formed = 0;
  const char *name = triad_watch_task_to_string (task);
  TriadWatchOptions base;

  triad_watch_options_init (&base, task);
  for (int i = 1; i < argc; i++)
    set_option (&base, argv[i]);
  printf ("%s: dim %d, %d heads, %d layers, ffn %d, batch %d, lr %g, warm-up %d, "
          "snapshot every %d, at most %d steps\n", name, base.dim, base.n_heads, base.n_layers,
          base.ffn_dim, base.batch, base.lr, base.warmup, base.every, base.steps);

  for (int s = 0; s < n_seeds; s++)
    {
      g_autoptr(GError) error = NULL;
      g_autoptr(TriadWatch) watch = NULL;
      g_autoptr(GPtrArray) snaps = NULL;
      TriadWatchOptions opt = base;
      gint64 t0 = g_get_monotonic_time ();
      TriadWatchSnapshot *last;

      opt.seed = s + 1;
      watch = triad_watch_new (&opt, &error);
      if (watch == NULL)
        {
          fprintf (stderr, "%s\n", error->message);
          return 1;
        }
      while (!triad_watch_is_done (watch) && triad_watch_get_phase_step (watch) < 0
             && (g_get_monotonic_time () - t0) / 1e6 < LIMIT_S)
        if (!triad_watch_step (watch, opt.every, &error))
          {
            fprintf (stderr, "%s\n", error->message);
            return 1;
          }
      snaps = triad_watch_dup_snapshots (watch);
      last = g_ptr_array_index (snaps, snaps->len - 1);
      if (triad_watch_get_phase_step (watch) >= 0)
        {
          double t = (g_get_monotonic_time () - t0) / 1e6;

          seconds[formed++] = t;
          printf ("  seed %d: formed at step %d after %.1f s (head %d.%d, score %.2f, "
                  "accuracy %.0f %%, loss %.2f)\n", s + 1, triad_watch_get_phase_step (watch),
                  t, last->best_layer, last->best_head, triad_watch_snapshot_best (last),
                  100 * last->accuracy, last->loss);
        }
      else
        printf ("  seed %d: not formed by step %d, %.1f s (best head %d.%d, score %.2f, "
                "accuracy %.0f %%, loss %.2f)\n", s + 1, last->step,
                (g_get_monotonic_time () - t0) / 1e6, last->best_layer, last->best_head,
                triad_watch_snapshot_best (last), 100 * last->accuracy, last->loss);
      fflush (stdout);
    }
  if (formed == 0)
    {
      printf ("RESULT name=watch-%s formed=0/%d\n", name, n_seeds);
      return 1;
    }
  qsort (seconds, formed, sizeof (double), cmp_double);
  printf ("RESULT name=watch-%s formed=%d/%d median=%.1f min=%.1f max=%.1f unit=s\n", name,
          formed, n_seeds, seconds[formed / 2], seconds[0], seconds[formed - 1]);
  return 0;
}

int
main (int    argc,
      char **argv)
{
  int n_seeds = 5, status = 0, only = -1;

  for (int i = 1; i < argc; i++)
    {
      TriadWatchTask task;

      if (triad_watch_task_from_string (argv[i], &task))
        only = task;
      else if (strchr (argv[i], '=') == NULL)
        n_seeds = CLAMP (atoi (argv[i]), 1, 64);
    }
  openblas_set_num_threads (1);
  for (int t = 0; t < TRIAD_N_WATCH_TASKS; t++)
    if (only < 0 || only == t)
      status |= bench_task (t, n_seeds, argc, argv);
  return status;
}
