/* cli-export-lesson.c — export --view lesson-cost: the lesson's figure of what attention
 * costs an encoder-decoder and a decoder-only model as the input grows, as the window draws it. */
#include "config.h"

#include "engine/i18n.h"

#include "cli/cli-private.h"
#include "scenes/lesson-cost-scene.h"

/* Bounds far from any overflow of the double counts: 10⁷ tokens squared is 10¹⁴. */
#define MAX_INPUT_TOKENS   10000000.0
#define MAX_OUTPUT_TOKENS  1000000.0
#define MAX_ATTN_WIDTH     65536.0

int
triad_cli_export_lesson_cost (int    argc,
                              char **argv,
                              FILE  *out,
                              FILE  *err)
{
  g_autoptr(GOptionContext) ctx =
    g_option_context_new (_("— draw the lesson’s cost figure into a PNG file"));
  g_auto(TriadExportOptions) opt = { 0 };
  g_autoptr(TriadLessonCostScene) scene = triad_lesson_cost_scene_new ();
  g_autoptr(TriadScene) figure = NULL;
  TriadLessonCostOptions cost;
  int status;
  /* the scene's options straight from the command line */
  GOptionEntry entries[] = {
    { "input-max", 0, 0, G_OPTION_ARG_DOUBLE, &cost.max_input,
      N_("The longest input drawn, in tokens (default 100000)"), N_("N") },
    { "output", 0, 0, G_OPTION_ARG_DOUBLE, &cost.output_tokens,
      N_("The output’s length in tokens (default 500)"), N_("M") },
    { "dim", 0, 0, G_OPTION_ARG_DOUBLE, &cost.width,
      N_("The width of attention, d (default 4096)"), N_("D") },
    { NULL }
  };

  triad_lesson_cost_options_init (&cost);
  triad_export_options_init (&opt, 1100.0, 640.0, NULL);
  if (!triad_export_parse (ctx, entries, &opt, &argc, &argv, err))
    return TRIAD_EXIT_USAGE;
  if ((status = triad_export_options_check (&opt, NULL, err)) != TRIAD_EXIT_OK)
    return status;
  {
    const TriadCliRange ranges[] = {
      { cost.max_input, 10 * TRIAD_COST_DEFAULT_MIN, MAX_INPUT_TOKENS,
        _("--input-max must be between %g and %g"), { 10 * TRIAD_COST_DEFAULT_MIN, MAX_INPUT_TOKENS } },
      { cost.output_tokens, 1, MAX_OUTPUT_TOKENS, _("--output must be between 1 and %g"),
        { MAX_OUTPUT_TOKENS } },
      { cost.width, 1, MAX_ATTN_WIDTH, _("--dim must be between 1 and %g"), { MAX_ATTN_WIDTH } },
    };

    if ((status = triad_cli_check_ranges ("export", err, ranges, G_N_ELEMENTS (ranges))) != TRIAD_EXIT_OK)
      return status;
  }
  triad_export_options_apply (&opt);
  figure = triad_lesson_cost_scene_as_scene (scene, &cost);
  return triad_export_options_write (&opt, figure, out, err);
}
