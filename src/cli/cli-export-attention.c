/* cli-export-attention.c — `triad export --view attention`: the Attention view's scene, as
 * the window draws it, into a PNG, SVG or PDF file. */
#include "config.h"

#include <string.h>
#include "engine/i18n.h"

#include "cli/cli-private.h"
#include "scenes/scene-adapters.h"

int
triad_cli_export_attention (int    argc,
                            char **argv,
                            FILE  *out,
                            FILE  *err)
{
  g_autoptr(GOptionContext) ctx = g_option_context_new (_("— draw a figure into a PNG, SVG or PDF file"));
  g_auto(TriadCliInput) in = { 0 };
  g_autoptr(GError) error = NULL;
  g_autoptr(TriadAttentionScene) scene = NULL;
  g_autoptr(TriadScene) figure = NULL;
  g_autofree char *target = NULL, *kind_arg = NULL, *norm_arg = NULL;
  g_auto(TriadExportOptions) opt = { 0 };
  int layer = -1, head = -1, n_layers, n_heads, status;
  gboolean average = FALSE, grid = FALSE, lines = FALSE;
  TriadAttentionOptions view;
  TriadAttnKind kind;
  TriadModel *model;
  GOptionEntry entries[] = {
    { "target", 0, 0, G_OPTION_ARG_FILENAME, &target,
      N_("The decoder’s text for an encoder-decoder (default: the model’s own translation)"),
      N_("TEXT") },
    { "kind", 'k', 0, G_OPTION_ARG_STRING, &kind_arg,
      N_("self, decoder-self or cross (default: self)"), N_("KIND") },
    { "layer", 'l', 0, G_OPTION_ARG_INT, &layer, N_("The layer (default: the last)"), N_("L") },
    { "head", 'h', 0, G_OPTION_ARG_INT, &head,
      N_("The head (default: 0); with --grid, the head drawn as chosen, as the window marks it"),
      N_("H") },
    { "average", 0, 0, G_OPTION_ARG_NONE, &average, N_("The mean of the layer’s heads"), NULL },
    { "grid", 0, 0, G_OPTION_ARG_NONE, &grid, N_("Every head of the layer side by side"), NULL },
    { "lines", 0, 0, G_OPTION_ARG_NONE, &lines,
      N_("Lines from each query to each key instead of a heatmap"), NULL },
    { "norm", 0, 0, G_OPTION_ARG_STRING, &norm_arg, N_("global (default), row or log"), N_("NORM") },
    { NULL }
  };

  triad_attention_options_init (&view);
  triad_export_options_init (&opt, 1200.0, 1000.0, &view.cmap);
  triad_cli_input_init (&in, "export");
  triad_cli_input_add_model (&in, ctx, "model", 'm',
                             N_("A model folder, or encoder, decoder, encdec"), NULL);
  triad_cli_input_add_text (&in, ctx, "text", 't', N_("The input text"),
                            N_("Read the input text from a file (- for standard input)"));
  if (!triad_export_parse (ctx, entries, &opt, &argc, &argv, err))
    return TRIAD_EXIT_USAGE;
  if ((status = triad_export_options_check (&opt, &in, err)) != TRIAD_EXIT_OK)
    return status;
  if (layer < -1 || head < -1)
    return triad_cli_usage_error (err, "export", _("--layer and --head count from 0"));
  if (head >= 0 && average)
    return triad_cli_usage_error (err, "export", _("Give --head or --average, not both"));
  if (grid && average)
    return triad_cli_usage_error (err, "export", _("Give --grid or --average, not both"));
  if (grid && lines)
    return triad_cli_usage_error (err, "export", _("Give --grid or --lines, not both"));
  if (kind_arg != NULL && !triad_cli_kind_from_string (kind_arg, NULL))
    return triad_cli_usage_error (err, "export",
                                  _("--kind must be self, decoder-self or cross, not “%s”"),
                                  kind_arg);
  if (norm_arg != NULL && !triad_norm_from_string (norm_arg, &view.norm))
    return triad_cli_usage_error (err, "export",
                                  _("--norm must be global, row or log, not “%s”"), norm_arg);
  if ((status = triad_cli_input_load (&in, err)) != TRIAD_EXIT_OK)
    return status;
  model = in.models[0].model;

  kind = triad_attention_default_kind (model);
  if (kind_arg != NULL && strcmp (kind_arg, "self") != 0)
    triad_cli_kind_from_string (kind_arg, &kind);
  n_layers = triad_attention_n_layers (model, kind);
  n_heads = model->config.n_heads;
  if (n_layers > 0 && layer >= n_layers)
    return triad_cli_usage_error (err, "export",
                                  _("Layer %d does not exist: this attention has layers 0 to %d"),
                                  layer, n_layers - 1);
  if (head >= n_heads)
    return triad_cli_usage_error (err, "export",
                                  _("Head %d does not exist: this model has heads 0 to %d"),
                                  head, n_heads - 1);
  view.mode = grid ? TRIAD_ATTENTION_GRID : average ? TRIAD_ATTENTION_MEAN : TRIAD_ATTENTION_SINGLE;
  view.lines = lines;
  view.layer = layer < 0 ? MAX (n_layers - 1, 0) : layer;
  /* a grid marks no head unless asked to */
  view.head = head < 0 && !grid ? 0 : head;

  scene = triad_attention_scene_compute (model, in.text, target, kind, view.layer,
                                         view.mode == TRIAD_ATTENTION_SINGLE ? view.head : -1,
                                         NULL, &error);
  if (scene == NULL)
    return triad_cli_fail (err, "export", error);
  /* the language first: the scene's words are made in the one gettext speaks */
  triad_export_options_apply (&opt);
  figure = triad_attention_scene_as_scene (scene, &view);
  return triad_export_options_write (&opt, figure, out, err);
}
