/* cli-train-watch.c — train --task: a small model learning one of the Training view's tasks,
 * run to its end, its snapshots written for `triad export --view training`. */
#include "config.h"

#include <stdio.h>
#include "engine/i18n.h"

#include "cli/cli-private.h"
#include "engine/watch.h"

int
triad_cli_train_watch (const TriadWatchOptions *opt,
                       const char              *dir,
                       int                      log_every,
                       FILE                    *out,
                       FILE                    *err)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(TriadWatch) watch = NULL;
  g_autoptr(TriadWatchRecord) record = NULL;
  g_autoptr(GString) json = g_string_new (NULL);
  gint64 t0 = g_get_monotonic_time ();
  const TriadWatchSnapshot *last;
  TriadJson j;

  if ((watch = triad_watch_new (opt, &error)) == NULL)
    return triad_cli_fail (err, "train", error);
  fprintf (err, _("Training the %s task: %zu parameters, %d steps of %d sequences, a snapshot "
                  "every %d steps"),
           triad_watch_task_to_string (opt->task), triad_watch_get_model (watch)->n_params,
           opt->steps, opt->batch, opt->every);
  fputc ('\n', err);
  while (!triad_watch_is_done (watch))
    {
      g_autoptr(GPtrArray) snaps = NULL;
      const TriadWatchSnapshot *s;

      if (!triad_watch_step (watch, opt->every, &error))
        return triad_cli_fail (err, "train", error);
      snaps = triad_watch_dup_snapshots (watch);
      s = g_ptr_array_index (snaps, snaps->len - 1);
      if ((s->step / opt->every) % MAX (log_every / opt->every, 1) == 0 || triad_watch_is_done (watch))
        {
          fprintf (err, "step %6d/%d  loss %.4f  head %d.%d  score %.2f  accuracy %.0f %%  %.0f s\n",
                   s->step, opt->steps, s->loss, s->best_layer, s->best_head,
                   triad_watch_snapshot_best (s), 100 * s->accuracy,
                   (g_get_monotonic_time () - t0) / 1e6);
          fflush (err);
        }
    }

  record = triad_watch_dup_record (watch);
  if (!triad_watch_record_save (record, dir, &error))
    return triad_cli_fail (err, "train", error);
  last = g_ptr_array_index (record->snapshots, record->snapshots->len - 1);

  triad_json_init (&j, json);
  triad_json_begin_object (&j);
  triad_json_key (&j, "task");
  triad_json_string (&j, triad_watch_task_to_string (opt->task));
  triad_json_key (&j, "snapshots");
  triad_json_string (&j, dir);
  triad_json_key (&j, "files");
  triad_json_int (&j, record->snapshots->len);
  triad_json_key (&j, "steps");
  triad_json_int (&j, last->step);
  triad_json_key (&j, "last_loss");
  triad_json_float (&j, last->loss);
  triad_json_key (&j, "phase_step");
  if (record->phase_step >= 0)
    triad_json_int (&j, record->phase_step);
  else
    triad_json_null (&j);
  triad_json_key (&j, "best_head");
  triad_json_begin_object (&j);
  triad_json_key (&j, "layer");
  triad_json_int (&j, last->best_layer);
  triad_json_key (&j, "head");
  triad_json_int (&j, last->best_head);
  triad_json_key (&j, "score");
  triad_json_double (&j, triad_watch_snapshot_best (last));
  triad_json_end_object (&j);
  triad_json_key (&j, "seconds");
  triad_json_double (&j, (g_get_monotonic_time () - t0) / 1e6);
  triad_json_end_object (&j);
  triad_cli_emit (out, json);
  return TRIAD_EXIT_OK;
}
