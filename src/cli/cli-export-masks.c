/* cli-export-masks.c — export --view masks: the Masks view's figure, as the window draws it. */
#include "config.h"

#include <string.h>
#include "engine/i18n.h"

#include "cli/cli-private.h"
#include "scenes/masks-scene.h"

typedef struct {
  TriadMasksScene  *scene;
  TriadFigureStyle  style;
} MasksFigure;

static void
draw_masks (cairo_t  *cr,
            double    width,
            double    height,
            gpointer  user_data)
{
  MasksFigure *fig = user_data;

  triad_masks_scene_draw (fig->scene, cr, &fig->style, width, height);
}

static gboolean
compare_from_string (const char   *name,
                     TriadCompare *compare)
{
  static const char * const ids[] = { "none", "sliding", "prefix", "padding" };

  for (guint i = 0; i < G_N_ELEMENTS (ids); i++)
    if (g_strcmp0 (name, ids[i]) == 0)
      {
        *compare = i;
        return TRUE;
      }
  return FALSE;
}

int
triad_cli_export_masks (int    argc,
                        char **argv,
                        FILE  *out,
                        FILE  *err)
{
  g_autoptr(GOptionContext) ctx = g_option_context_new (_("— draw the Masks view into a PNG file"));
  g_auto(TriadCliInput) in = { 0 };
  g_autoptr(GError) error = NULL;
  g_autoptr(TriadMasksScene) scene = NULL;
  g_autofree char *compare_arg = NULL, *formula_arg = NULL;
  TriadModel *encoder, *decoder;
  g_auto(TriadExportOptions) opt = { 0 };
  TriadMasksOptions mo = {
    .compare = TRIAD_COMPARE_NONE, .window = 3, .prefix = 4, .position = -1,
    .formula_decoder = TRUE, .formula_step = -1, .hover_model = -1, .hover_row = -1,
    .hover_col = -1,
  };
  int layer = 0, head = 0, pads = 2, status, n_layers, n_heads;
  TriadFormulaTrace *enc, *dec, *padded;
  MasksFigure fig = { 0 };
  GOptionEntry entries[] = {
    { "layer", 'l', 0, G_OPTION_ARG_INT, &layer, N_("The layer of both models (default 0)"), N_("L") },
    { "head", 'h', 0, G_OPTION_ARG_INT, &head, N_("The head of both models (default 0)"), N_("H") },
    { "compare", 0, 0, G_OPTION_ARG_STRING, &compare_arg,
      N_("A third mask: none (default), sliding, prefix or padding"), N_("MASK") },
    { "window", 0, 0, G_OPTION_ARG_INT, &mo.window, N_("The sliding window’s width (default 3)"), N_("W") },
    { "prefix", 0, 0, G_OPTION_ARG_INT, &mo.prefix, N_("The prefix-LM’s prefix (default 4)"), N_("P") },
    { "pads", 0, 0, G_OPTION_ARG_INT, &pads, N_("<pad> tokens for key padding, 1 to 16 (default 2)"), N_("N") },
    { "position", 0, 0, G_OPTION_ARG_INT, &mo.position,
      N_("The decoder’s rows shown, counting from 0 (default: all)"), N_("T") },
    { "formula", 0, 0, G_OPTION_ARG_STRING, &formula_arg,
      N_("The formula of the encoder or the decoder (default)"), N_("MODEL") },
    { "step", 0, 0, G_OPTION_ARG_INT, &mo.formula_step,
      N_("The formula’s highlighted step, 0 to 6 (default: none)"), N_("S") },
    { NULL }
  };

  triad_export_options_init (&opt, 1400.0, 1000.0);
  triad_cli_input_init (&in, "export");
  triad_cli_input_add_text (&in, ctx, "text", 't', N_("The input text"),
                            N_("Read the input text from a file (- for standard input)"));
  triad_cli_input_add_model (&in, ctx, "encoder", 0,
                             N_("The encoder model (default: the shipped one)"), "encoder");
  triad_cli_input_add_model (&in, ctx, "decoder", 0,
                             N_("The decoder model (default: the shipped one)"), "decoder");
  g_option_context_add_main_entries (ctx, entries, GETTEXT_PACKAGE);
  triad_export_options_add (ctx, &opt);
  triad_export_options_add_colormap (ctx, &opt);
  if (!triad_cli_parse (ctx, &argc, &argv, err))
    return TRIAD_EXIT_USAGE;
  if ((status = triad_export_options_check (&opt, "export", err)) != TRIAD_EXIT_OK)
    return status;
  mo.cmap = opt.cmap;
  if (compare_arg != NULL && !compare_from_string (compare_arg, &mo.compare))
    return triad_cli_usage_error (err, "export",
                                  _("--compare must be none, sliding, prefix or padding, not “%s”"),
                                  compare_arg);
  if (formula_arg != NULL && strcmp (formula_arg, "encoder") != 0 && strcmp (formula_arg, "decoder") != 0)
    return triad_cli_usage_error (err, "export", _("--formula must be encoder or decoder, not “%s”"),
                                  formula_arg);
  mo.formula_decoder = g_strcmp0 (formula_arg, "encoder") != 0;
  if (layer < 0 || head < 0)
    return triad_cli_usage_error (err, "export", _("--layer and --head count from 0"));
  if (mo.window < 1 || mo.prefix < 0 || pads < 1 || pads > 16)
    return triad_cli_usage_error (err, "export",
                                  _("--window must be at least 1, --prefix at least 0 and --pads 1 to 16"));
  if (mo.formula_step < -1 || mo.formula_step >= TRIAD_FORMULA_STEPS)
    return triad_cli_usage_error (err, "export", _("--step must be between 0 and %d"),
                                  TRIAD_FORMULA_STEPS - 1);
  if (mo.position < -1)
    return triad_cli_usage_error (err, "export", _("--position counts from 0"));

  if ((status = triad_cli_input_load (&in, err)) != TRIAD_EXIT_OK)
    return status;
  encoder = in.models[0].model;
  decoder = in.models[1].model;
  if (encoder->config.n_enc_layers == 0 || encoder->config.n_dec_layers != 0
      || decoder->config.arch != TRIAD_ARCH_DECODER)
    return triad_cli_usage_error (err, "export",
                                  _("--encoder takes an encoder-only model and --decoder a decoder-only one"));
  n_layers = MIN (encoder->config.n_enc_layers, decoder->config.n_dec_layers);
  n_heads = MIN (encoder->config.n_heads, decoder->config.n_heads);
  if (layer >= n_layers || head >= n_heads)
    return triad_cli_usage_error (err, "export",
                                  _("The models have layers 0 to %d and heads 0 to %d"),
                                  n_layers - 1, n_heads - 1);

  enc = triad_formula_trace (encoder, in.text, layer, head, 0, NULL, &error);
  dec = enc != NULL ? triad_formula_trace (decoder, in.text, layer, head, 0, NULL, &error) : NULL;
  padded = dec != NULL ? triad_formula_trace (encoder, in.text, layer, head, pads, NULL, &error)
                       : NULL;
  if (padded == NULL)
    {
      triad_formula_trace_free (enc);
      triad_formula_trace_free (dec);
      return triad_cli_fail (err, "export", error);
    }
  if (mo.position >= dec->n)
    {
      int n = dec->n;

      triad_formula_trace_free (enc);
      triad_formula_trace_free (dec);
      triad_formula_trace_free (padded);
      return triad_cli_usage_error (err, "export", _("--position must be below %d, the decoder’s tokens"), n);
    }
  scene = triad_masks_scene_new (enc, dec, padded);

  triad_export_options_apply (&opt, &fig.style);
  triad_masks_scene_update (scene, &mo);
  fig.scene = scene;
  return triad_export_options_write (&opt, "export", draw_masks, &fig,
                                     triad_masks_scene_grid (scene)->title, out, err);
}
