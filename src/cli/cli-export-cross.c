/* cli-export-cross.c — export --view cross: the Cross-attention view's scene, the one the
 * window draws: the three linked panels with the K/V gauge, the alignment lines, or the decoder
 * by prompt beside the encoder-decoder. */
#include "config.h"

#include <string.h>
#include "engine/i18n.h"

#include "cli/cli-private.h"
#include "scenes/scene-adapters.h"

int
triad_cli_export_cross (int    argc,
                        char **argv,
                        FILE  *out,
                        FILE  *err)
{
  /* in TriadCrossDisplay's order */
  static const char * const displays[] = { "heatmaps", "alignment", "prompt", NULL };
  g_autoptr(GOptionContext) ctx =
    g_option_context_new (_("— draw the Cross-attention view into a PNG file"));
  g_auto(TriadCliInput) in = { 0 };
  g_autoptr(GError) error = NULL;
  g_autoptr(TriadCrossScene) scene = NULL;
  g_autoptr(TriadScene) figure = NULL;
  g_autofree char *target = NULL, *display_arg = NULL;
  TriadModel *encdec, *decoder = NULL;
  g_auto(TriadExportOptions) opt = { 0 };
  int display = TRIAD_CROSS_DISPLAY_HEATMAPS, status, T, n_layers;
  gboolean mean = FALSE;
  TriadCrossOptions co;
  /* the view's options straight from the command line: -1 is the default of each */
  GOptionEntry entries[] = {
    { "target", 0, 0, G_OPTION_ARG_FILENAME, &target,
      N_("The Russian text the decoder reads (default: the model’s own translation)"),
      N_("TEXT") },
    { "display", 0, 0, G_OPTION_ARG_STRING, &display_arg,
      N_("heatmaps (default), alignment or prompt"), N_("DISPLAY") },
    { "layer", 'l', 0, G_OPTION_ARG_INT, &co.layer,
      N_("The encoder-decoder’s layer (default: the last)"), N_("L") },
    { "head", 'h', 0, G_OPTION_ARG_INT, &co.head,
      N_("The head (default: the mean of the heads)"), N_("H") },
    { "mean", 0, 0, G_OPTION_ARG_NONE, &mean, N_("The mean of the layer’s heads (default)"),
      NULL },
    { "prompt-layer", 0, 0, G_OPTION_ARG_INT, &co.prompt_layer,
      N_("The decoder-only model’s layer for --display prompt (default: the last)"), N_("L") },
    { "step", 0, 0, G_OPTION_ARG_INT, &co.position,
      N_("Target tokens decoded, from 1 (default: all)"), N_("N") },
    { NULL }
  };

  triad_cross_options_init (&co);
  triad_export_options_init (&opt, 1400.0, 900.0, &co.cmap);
  triad_cli_input_init (&in, "export");
  triad_cli_input_add_text (&in, ctx, "text", 't', N_("The English source text"),
                            N_("Read the source text from a file (- for standard input)"));
  triad_cli_input_add_model (&in, ctx, "model", 'm',
                             N_("The encoder-decoder model (default: the shipped one)"),
                             "encdec");
  /* read only for --display prompt */
  triad_cli_input_add_model (&in, ctx, "decoder", 0,
                             N_("The decoder-only model for --display prompt (default: the "
                                "shipped one)"), "decoder");
  in.models[1].lazy = TRUE;
  if (!triad_export_parse (ctx, entries, &opt, &argc, &argv, err))
    return TRIAD_EXIT_USAGE;
  /* --view is among the shared options: here it can only say cross */
  if (opt.view != NULL && strcmp (opt.view, "cross") != 0)
    return triad_cli_usage_error (err, "export", _("This export draws --view cross, not “%s”"),
                                  opt.view);
  if ((status = triad_export_options_check (&opt, &in, err)) != TRIAD_EXIT_OK
      || (status = triad_cli_check_choice ("export", err, display_arg, displays, &display,
                                        _("--display must be heatmaps, alignment or prompt, not “%s”")))
      != TRIAD_EXIT_OK)
    return status;
  co.display = display;
  if (co.layer < -1 || co.head < -1 || co.prompt_layer < -1)
    return triad_cli_usage_error (err, "export", _("--layer and --head count from 0"));
  if (co.head >= 0 && mean)
    return triad_cli_usage_error (err, "export", _("Give --head or --mean, not both"));
  if (co.position == 0 || co.position < -1)
    return triad_cli_usage_error (err, "export", _("--step counts target tokens from 1"));

  if ((status = triad_cli_input_load (&in, err)) != TRIAD_EXIT_OK)
    return status;
  encdec = in.models[0].model;
  if (encdec->config.arch != TRIAD_ARCH_ENCDEC)
    return triad_cli_usage_error (err, "export", _("--model takes an encoder-decoder model"));
  n_layers = encdec->config.n_dec_layers;
  if (co.layer >= n_layers || co.head >= encdec->config.n_heads)
    return triad_cli_usage_error (err, "export", _("The model has layers 0 to %d and heads 0 to %d"),
                                  n_layers - 1, encdec->config.n_heads - 1);
  if (co.display == TRIAD_CROSS_DISPLAY_PROMPT)
    {
      if ((decoder = triad_cli_input_load_model (&in, 1, &error)) == NULL)
        return triad_cli_fail (err, "export", error);
      if (decoder->config.arch != TRIAD_ARCH_DECODER)
        return triad_cli_usage_error (err, "export", _("--decoder takes a decoder-only model"));
      if (co.prompt_layer >= decoder->config.n_dec_layers || co.head >= decoder->config.n_heads)
        return triad_cli_usage_error (err, "export",
                                      _("The decoder-only model has layers 0 to %d and heads 0 "
                                        "to %d"), decoder->config.n_dec_layers - 1,
                                      decoder->config.n_heads - 1);
    }

  scene = triad_cross_scene_compute (encdec, decoder, in.text, target, NULL, &error);
  if (scene == NULL)
    return triad_cli_fail (err, "export", error);
  T = triad_cross_scene_view (scene)->tgt->n;
  if (co.position > T)
    return triad_cli_usage_error (err, "export", _("--step must be at most %d, the target tokens"), T);
  /* the language first: the scene's titles are made in it */
  triad_export_options_apply (&opt);
  figure = triad_cross_scene_as_scene (scene, &co);
  return triad_export_options_write (&opt, figure, out, err);
}
