/* cli-export-training.c — `triad export --view training`: the filmstrip of a run whose
 * snapshots `triad train --task` wrote, or (--figure live) the Training view's figure as the
 * window draws it at a step of the run. */
#include "config.h"

#include <stdlib.h>
#include <string.h>
#include "engine/i18n.h"

#include "cli/cli-private.h"
#include "scenes/training-scene.h"
#include "scenes/training-scene-live.h"

/* "L.H" into layer and head. */
static gboolean
parse_head (const char *arg,
            int        *layer,
            int        *head)
{
  char *end;
  long l, h;

  l = strtol (arg, &end, 10);
  if (end == arg || *end != '.')
    return FALSE;
  arg = end + 1;
  h = strtol (arg, &end, 10);
  if (end == arg || *end != '\0' || l < 0 || h < 0 || l > 1000 || h > 1000)
    return FALSE;
  *layer = l;
  *head = h;
  return TRUE;
}

/* "a,b,c" into steps; FALSE for anything but 1 … TRIAD_TRAINING_MAX_PANELS whole numbers. */
static gboolean
parse_steps (const char *arg,
             int        *steps,
             int        *n)
{
  g_auto(GStrv) parts = g_strsplit (arg, ",", -1);
  int count = g_strv_length (parts);

  if (count < 1 || count > TRIAD_TRAINING_MAX_PANELS)
    return FALSE;
  for (int i = 0; i < count; i++)
    {
      char *end;
      long v = strtol (g_strstrip (parts[i]), &end, 10);

      if (end == parts[i] || *end != '\0' || v < 0 || v > G_MAXINT)
        return FALSE;
      steps[i] = v;
    }
  *n = count;
  return TRUE;
}

int
triad_cli_export_training (int    argc,
                           char **argv,
                           FILE  *out,
                           FILE  *err)
{
  g_autoptr(GOptionContext) ctx =
    g_option_context_new (_("— draw a training run’s filmstrip into a PNG, SVG or PDF file"));
  g_auto(TriadExportOptions) opt = { 0 };
  g_autoptr(GError) error = NULL;
  g_autoptr(TriadWatchRecord) record = NULL;
  g_autoptr(TriadTrainingScene) scene = NULL;
  g_autoptr(TriadScene) figure = NULL;
  g_autoptr(TriadTrainingLiveScene) live = NULL;
  g_autofree char *dir = NULL, *head_arg = NULL, *steps_arg = NULL, *figure_arg = NULL;
  const TriadWatchSnapshot *first, *last;
  TriadTrainingOptions view;
  TriadTrainingLiveOptions live_view;
  gboolean is_live = FALSE;
  int status, step = -1, compare = -1;
  GOptionEntry entries[] = {
    { "snapshots", 0, 0, G_OPTION_ARG_FILENAME, &dir,
      N_("The folder of snapshots that triad train --task wrote"), N_("DIR") },
    { "head", 0, 0, G_OPTION_ARG_STRING, &head_arg,
      N_("The head to show, as layer.head (default: the best induction head at the end)"),
      N_("L.H") },
    { "steps", 0, 0, G_OPTION_ARG_STRING, &steps_arg,
      N_("The steps to show, up to 10, comma-separated (default: 8 from first to last, the "
         "phase change among them)"), N_("A,B,C") },
    { "figure", 0, 0, G_OPTION_ARG_STRING, &figure_arg,
      N_("“filmstrip” (the default), or “live”: the view as the window draws it at one step, "
         "beside an earlier one"), N_("FIGURE") },
    { "step", 0, 0, G_OPTION_ARG_INT, &step,
      N_("With --figure live: the step shown (default: the last)"), N_("N") },
    { "compare", 0, 0, G_OPTION_ARG_INT, &compare,
      N_("With --figure live: the earlier step beside it (default: the first)"), N_("N") },
    { NULL }
  };

  triad_training_options_init (&view);
  triad_training_live_options_init (&live_view);
  triad_export_options_init (&opt, 1200.0, 620.0, &view.cmap);
  if (!triad_export_parse (ctx, entries, &opt, &argc, &argv, err))
    return TRIAD_EXIT_USAGE;
  if ((status = triad_export_options_check (&opt, NULL, err)) != TRIAD_EXIT_OK)
    return status;
  if (dir == NULL)
    return triad_cli_usage_error (err, "export", _("--snapshots is required with --view training"));
  if (figure_arg != NULL && !g_str_equal (figure_arg, "filmstrip")
      && !(is_live = g_str_equal (figure_arg, "live")))
    return triad_cli_usage_error (err, "export",
                                  _("--figure must be “filmstrip” or “live”, not “%s”"),
                                  figure_arg);
  if (!is_live && (step >= 0 || compare >= 0))
    return triad_cli_usage_error (err, "export", _("--step and --compare go with --figure live"));
  if (is_live && steps_arg != NULL)
    return triad_cli_usage_error (err, "export",
                                  _("--steps goes with the filmstrip; --figure live takes --step "
                                    "and --compare"));
  if (head_arg != NULL && !parse_head (head_arg, &view.layer, &view.head))
    return triad_cli_usage_error (err, "export",
                                  _("--head must be a layer and a head, as 1.2, not “%s”"),
                                  head_arg);
  if (steps_arg != NULL && !parse_steps (steps_arg, view.steps, &view.n_steps))
    return triad_cli_usage_error (err, "export",
                                  _("--steps must be 1 to %d step numbers separated by commas, "
                                    "not “%s”"), TRIAD_TRAINING_MAX_PANELS, steps_arg);
  if ((record = triad_watch_record_load (dir, &error)) == NULL)
    return triad_cli_fail (err, "export", error);

  first = g_ptr_array_index (record->snapshots, 0);
  last = g_ptr_array_index (record->snapshots, record->snapshots->len - 1);
  if (head_arg != NULL && (view.layer >= last->n_layers || view.head >= last->n_heads))
    return triad_cli_usage_error (err, "export",
                                  _("Head %s does not exist: the model has layers 0 to %d and "
                                    "heads 0 to %d"), head_arg, last->n_layers - 1,
                                  last->n_heads - 1);
  /* live: the step shown and the one compared, checked as the filmstrip's steps are */
  if (is_live)
    {
      view.n_steps = 2;
      view.steps[0] = step >= 0 ? step : last->step;
      view.steps[1] = compare >= 0 ? compare : first->step;
    }
  for (int i = 0; i < view.n_steps; i++)
    if (triad_watch_record_at (record, view.steps[i]) == NULL)
      return triad_cli_usage_error (err, "export",
                                    _("There is no snapshot of step %d: the snapshots run "
                                      "from step %d to %d"), view.steps[i], first->step,
                                    last->step);

  /* the language first: the scene's words are made in the one gettext speaks */
  triad_export_options_apply (&opt);
  if (is_live)
    {
      live_view.layer = view.layer;
      live_view.head = view.head;
      live_view.step = view.steps[0];
      live_view.compare_step = view.steps[1];
      live_view.cmap = view.cmap;
      live = triad_training_live_scene_new ();
      triad_training_live_scene_set_record (live, record, last->step);
      figure = triad_training_live_scene_as_scene (live, &live_view);
      return triad_export_options_write (&opt, figure, out, err);
    }
  scene = triad_training_scene_new (record);
  figure = triad_training_scene_as_scene (scene, &view);
  return triad_export_options_write (&opt, figure, out, err);
}
