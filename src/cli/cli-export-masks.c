/* cli-export-masks.c — export --view masks: the Masks view's figure, as the window draws it. */
#include "config.h"

#include "engine/i18n.h"

#include "cli/cli-private.h"
#include "scenes/scene-adapters.h"

int
triad_cli_export_masks (int    argc,
                        char **argv,
                        FILE  *out,
                        FILE  *err)
{
  /* in TriadCompare's order */
  static const char * const compares[] = { "none", "sliding", "prefix", "padding", NULL };
  static const char * const formulas[] = { "encoder", "decoder", NULL };
  g_autoptr(GOptionContext) ctx = g_option_context_new (_("— draw the Masks view into a PNG file"));
  g_auto(TriadCliInput) in = { 0 };
  g_autoptr(GError) error = NULL;
  g_autoptr(TriadMasksScene) scene = NULL;
  g_autoptr(TriadScene) figure = NULL;
  g_autofree char *compare_arg = NULL, *formula_arg = NULL;
  g_auto(TriadExportOptions) opt = { 0 };
  TriadMasksOptions mo = {
    .compare = TRIAD_COMPARE_NONE, .window = 3, .prefix = 4, .position = -1,
    .formula_decoder = TRUE, .formula_step = -1, .hover_model = -1, .hover_row = -1,
    .hover_col = -1,
  };
  int layer = 0, head = 0, pads = 2, compare = TRIAD_COMPARE_NONE, formula = 1, status, n_layers, n_heads;
  int enc_layer, enc_head, dec_layer, dec_head;
  TriadFormulaTrace *enc = NULL, *dec = NULL, *padded = NULL;
  TriadModel *encoder, *decoder;
  GOptionEntry entries[] = {
    { "layer", 'l', 0, G_OPTION_ARG_INT, &layer, N_("The layer of both models, or a model’s last (default 0)"), N_("L") },
    { "head", 'h', 0, G_OPTION_ARG_INT, &head, N_("The head of both models, or a model’s last (default 0)"), N_("H") },
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

  triad_export_options_init (&opt, 1400.0, 1000.0, &mo.cmap);
  triad_cli_input_init (&in, "export");
  triad_cli_input_add_text (&in, ctx, "text", 't', N_("The input text"),
                            N_("Read the input text from a file (- for standard input)"));
  triad_cli_input_add_model (&in, ctx, "encoder", 0,
                             N_("The encoder model (default: the shipped one)"), "encoder");
  triad_cli_input_add_model (&in, ctx, "decoder", 0,
                             N_("The decoder model (default: the shipped one)"), "decoder");
  if (!triad_export_parse (ctx, entries, &opt, &argc, &argv, err))
    return TRIAD_EXIT_USAGE;
  if ((status = triad_export_options_check (&opt, &in, err)) != TRIAD_EXIT_OK
      || (status = triad_cli_check_choice ("export", err, compare_arg, compares, &compare,
                                           _("--compare must be none, sliding, prefix or padding, not “%s”")))
         != TRIAD_EXIT_OK
      || (status = triad_cli_check_choice ("export", err, formula_arg, formulas, &formula,
                                           _("--formula must be encoder or decoder, not “%s”")))
         != TRIAD_EXIT_OK)
    return status;
  {
    const char *count = _("--layer and --head count from 0");
    const char *sizes = _("--window must be at least 1, --prefix at least 0 and --pads 1 to 16");
    const TriadCliRange ranges[] = {
      { layer, 0, G_MAXINT, count }, { head, 0, G_MAXINT, count },
      { mo.window, 1, G_MAXINT, sizes }, { mo.prefix, 0, G_MAXINT, sizes }, { pads, 1, 16, sizes },
      { mo.formula_step, -1, TRIAD_FORMULA_STEPS - 1, _("--step must be between 0 and %d"),
        { TRIAD_FORMULA_STEPS - 1 }, TRUE },
      { mo.position, -1, G_MAXINT, _("--position counts from 0") },
    };

    if ((status = triad_cli_check_ranges ("export", err, ranges, G_N_ELEMENTS (ranges))) != TRIAD_EXIT_OK
        || (status = triad_cli_input_load (&in, err)) != TRIAD_EXIT_OK)
      return status;
  }
  mo.compare = compare;
  mo.formula_decoder = formula == 1;
  encoder = in.models[0].model;
  decoder = in.models[1].model;
  /* any model with an encoder (BERT, T5's encoder) beside any decoder-only one */
  if (encoder->config.n_enc_layers == 0 || decoder->config.arch != TRIAD_ARCH_DECODER)
    return triad_cli_usage_error (err, "export",
                                  _("--encoder takes a model with an encoder and --decoder a decoder-only one"));
  /* each model shows the layer and head asked for, or its last where it has fewer; one that
   * neither has is a mistake */
  n_layers = MAX (encoder->config.n_enc_layers, decoder->config.n_dec_layers);
  n_heads = MAX (encoder->config.n_heads, decoder->config.n_heads);
  if (layer >= n_layers || head >= n_heads)
    return triad_cli_usage_error (err, "export", _("The models have layers 0 to %d and heads 0 to %d"),
                                  n_layers - 1, n_heads - 1);
  enc_layer = MIN (layer, encoder->config.n_enc_layers - 1);
  enc_head = MIN (head, encoder->config.n_heads - 1);
  dec_layer = MIN (layer, decoder->config.n_dec_layers - 1);
  dec_head = MIN (head, decoder->config.n_heads - 1);

  if ((enc = triad_formula_trace (encoder, in.text, enc_layer, enc_head, 0, NULL, &error)) == NULL
      || (dec = triad_formula_trace (decoder, in.text, dec_layer, dec_head, 0, NULL, &error)) == NULL
      || (padded = triad_formula_trace (encoder, in.text, enc_layer, enc_head, pads, NULL, &error)) == NULL
      || mo.position >= dec->n)
    {
      int n = dec != NULL ? dec->n : 0;

      triad_formula_trace_free (enc);
      triad_formula_trace_free (dec);
      triad_formula_trace_free (padded);
      if (error != NULL)
        return triad_cli_fail (err, "export", error);
      return triad_cli_usage_error (err, "export", _("--position must be below %d, the decoder’s tokens"), n);
    }
  scene = triad_masks_scene_new (enc, dec, padded);
  triad_export_options_apply (&opt);
  figure = triad_masks_scene_as_scene (scene, &mo);
  return triad_export_options_write (&opt, figure, out, err);
}
