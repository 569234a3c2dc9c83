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

typedef struct {
  TriadLessonCostScene *scene;
  TriadFigureStyle      style;
} CostFigure;

static void
draw_cost (cairo_t  *cr,
           double    width,
           double    height,
           gpointer  user_data)
{
  CostFigure *fig = user_data;

  triad_lesson_cost_scene_draw (fig->scene, cr, &fig->style, width, height);
}

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
  TriadLessonCostOptions cost;
  double input_max = TRIAD_COST_DEFAULT_MAX, output = TRIAD_COST_DEFAULT_OUTPUT;
  double dim = TRIAD_COST_DEFAULT_WIDTH;
  CostFigure fig = { 0 };
  int status;
  GOptionEntry entries[] = {
    { "input-max", 0, 0, G_OPTION_ARG_DOUBLE, &input_max,
      N_("The longest input drawn, in tokens (default 100000)"), N_("N") },
    { "output", 0, 0, G_OPTION_ARG_DOUBLE, &output,
      N_("The output’s length in tokens (default 500)"), N_("M") },
    { "dim", 0, 0, G_OPTION_ARG_DOUBLE, &dim,
      N_("The width of attention, d (default 4096)"), N_("D") },
    { NULL }
  };

  triad_export_options_init (&opt, 1100.0, 640.0);
  g_option_context_add_main_entries (ctx, entries, GETTEXT_PACKAGE);
  triad_export_options_add (ctx, &opt);
  if (!triad_cli_parse (ctx, &argc, &argv, err))
    return TRIAD_EXIT_USAGE;
  if ((status = triad_export_options_check (&opt, "export", err)) != TRIAD_EXIT_OK)
    return status;
  if (!(input_max >= 10 * TRIAD_COST_DEFAULT_MIN && input_max <= MAX_INPUT_TOKENS))
    return triad_cli_usage_error (err, "export", _("--input-max must be between %g and %g"),
                                  10 * TRIAD_COST_DEFAULT_MIN, MAX_INPUT_TOKENS);
  if (!(output >= 1 && output <= MAX_OUTPUT_TOKENS))
    return triad_cli_usage_error (err, "export", _("--output must be between 1 and %g"),
                                  MAX_OUTPUT_TOKENS);
  if (!(dim >= 1 && dim <= MAX_ATTN_WIDTH))
    return triad_cli_usage_error (err, "export", _("--dim must be between 1 and %g"),
                                  MAX_ATTN_WIDTH);

  triad_export_options_apply (&opt, &fig.style);
  cost = (TriadLessonCostOptions) { .output_tokens = output, .width = dim,
                                    .max_input = input_max };
  triad_lesson_cost_scene_update (scene, &cost);
  fig.scene = scene;
  return triad_export_options_write (&opt, "export", draw_cost, &fig,
                                     triad_lesson_cost_scene_get_title (scene), out, err);
}
