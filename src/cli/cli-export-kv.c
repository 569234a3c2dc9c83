/* cli-export-kv.c — export --view kv: the KV Cache view's figure, as the window draws it —
 * a decoder's cache (the shipped one's, or --model's) growing over --steps steps of --text
 * (stored as --kv-dtype, with what that format costs against f32), beside the memory chart
 * and the 8 k against 100 k bars of --preset, with the readouts under them — or one of the
 * charts alone (--chart curve or bars). Several models are curves on the one chart; the bars
 * and the readout tell the first. */
#include "config.h"

#include <string.h>
#include "engine/i18n.h"

#include "cli/cli-private.h"
#include "scenes/scene-adapters.h"

#define NOT_GIVEN G_MININT64
#define KV_BLOCK  16   /* the engine's usual block, as the window's "Blocks of 16" */

int
triad_cli_export_kv (int    argc,
                     char **argv,
                     FILE  *out,
                     FILE  *err)
{
  g_autoptr(GOptionContext) ctx = g_option_context_new (_("— draw the KV Cache view into a "
                                                          "PNG file"));
  g_auto(TriadCliInput) in = { 0 };
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) presets = NULL;
  g_autoptr(GPtrArray) chosen = NULL;
  g_autoptr(TriadKvScene) scene = triad_kv_scene_new ();
  g_autoptr(TriadScene) figure = NULL;
  g_auto(TriadCliEstimateArgs) args = { 0 };
  g_auto(TriadExportOptions) opt = { 0 };
  g_autofree char *preset_arg = NULL, *chart_arg = NULL, *tokens_arg = NULL;
  gint64 tokens = NOT_GIVEN;
  int steps = 0, kv_block = 1, status = TRIAD_EXIT_OK, model_index;
  gboolean linear = FALSE, own;
  TriadKvSceneOptions so;
  TriadMemUnit unit;
  /* view: the whole view's figure, else one panel of it */
  static const char * const charts[] = { "view", "curve", "bars", NULL };
  int chart = 0;
  GOptionEntry entries[] = {
    { "preset", 'p', 0, G_OPTION_ARG_STRING, &preset_arg,
      N_("The model, or up to 6 models separated by commas (ids from triad kv --list); "
         "model: the live run’s decoder, from its own config"),
      N_("ID") },
    { "chart", 0, 0, G_OPTION_ARG_STRING, &chart_arg,
      N_("view (default): the live run, the memory chart, the bars and the readouts, as the "
         "window shows them; curve: memory against context; bars: 8 k against 100 k tokens"),
      N_("CHART") },
    { "tokens", 'n', 0, G_OPTION_ARG_STRING, &tokens_arg,
      N_("The context the readout tells, 1 to 1 000 000 (default 8192)"), N_("N") },
    { "max-tokens", 0, 0, G_OPTION_ARG_DOUBLE, &so.max_tokens,
      N_("The context axis’ end, 10 000 to 10⁹ (default 1 000 000)"), N_("N") },
    { "linear", 0, 0, G_OPTION_ARG_NONE, &linear, N_("Linear axes, not logarithmic"), NULL },
    { "no-weights", 0, 0, G_OPTION_ARG_NONE, &so.no_weights,
      N_("Draw the cache alone, not stacked on the weights"), NULL },
    { "steps", 0, 0, G_OPTION_ARG_INT, &steps,
      N_("Tokens the decoder generates, 0 to 512 (default 0)"), N_("N") },
    { "kv-block", 0, 0, G_OPTION_ARG_INT, &kv_block,
      N_("Positions the live cache grows by: 1 (default) or 16"), N_("N") },
    { NULL }
  };

  triad_kv_scene_options_init (&so);
  triad_cli_estimate_args_init (&args);
  triad_export_options_init (&opt, 1400.0, 640.0, &so.cmap);
  triad_cli_input_init (&in, "export");
  triad_cli_input_add_text (&in, ctx, "text", 't',
                            N_("The prompt the decoder continues in the live chart "
                               "(default: no live run)"),
                            N_("Read the prompt from a file (- for standard input)"));
  /* loaded only for a live run */
  model_index = triad_cli_input_add_model (&in, ctx, "model", 'm',
                                           N_("The decoder-only model of the live run: a folder "
                                              "or a shipped name (default: the shipped decoder)"),
                                           "decoder");
  in.models[model_index].lazy = TRUE;
  g_option_context_add_group (ctx, triad_cli_estimate_group (&args));
  if (!triad_export_parse (ctx, entries, &opt, &argc, &argv, err))
    return TRIAD_EXIT_USAGE;
  if (preset_arg == NULL)
    return triad_cli_usage_error (err, "export", _("--preset is required"));
  if ((status = triad_export_options_check (&opt, &in, err)) != TRIAD_EXIT_OK
      || (status = triad_cli_check_choice ("export", err, chart_arg, charts, &chart,
                                           _("--chart must be view, curve or bars, not “%s”")))
         != TRIAD_EXIT_OK)
    return status;
  {
    const TriadCliRange ranges[] = {
      { so.max_tokens, 1e4, (double) TRIAD_KV_MAX_TOKENS,
        _("--max-tokens must be between 10 000 and 10⁹") },
      { steps, 0, 512, _("--steps must be between 0 and 512") },
    };

    if ((status = triad_cli_check_ranges ("export", err, ranges, G_N_ELEMENTS (ranges)))
        != TRIAD_EXIT_OK)
      return status;
  }
  if (kv_block != 1 && kv_block != KV_BLOCK)
    return triad_cli_usage_error (err, "export", _("--kv-block must be 1 or 16"));
  if (!triad_cli_read_int ("export", err, "--tokens", tokens_arg, 1,
                           (gint64) TRIAD_KV_SCENE_MAX_CONTEXT, &tokens, &status))
    return status;
  /* several models are curves to compare; the bars and the readout tell the first */
  if (chart == 2 && strchr (preset_arg, ',') != NULL)
    return triad_cli_usage_error (err, "export", _("--chart bars draws one model"));
  if (!triad_cli_read_estimate_args ("export", &args, err, &presets, &so.kv, &unit, &status))
    return status;
  so.kv.tokens = tokens != NOT_GIVEN ? tokens : TRIAD_CONTEXT_SHORT;
  so.gib = unit == TRIAD_MEM_UNIT_GIB;
  so.log_axes = !linear;
  so.kv_block = kv_block;

  /* --preset model: the live run's decoder projected from its own config, set after it loads */
  own = g_strcmp0 (preset_arg, "model") == 0;
  if (own && !triad_cli_input_has_text (&in))
    return triad_cli_usage_error (err, "export",
                                  _("--preset model projects the live run’s decoder: give --text"));
  if (own && args.kv_dtype == NULL)
    /* the live cache's f32, so that the projection tells the same cache */
    so.kv.kv_dtype = TRIAD_DTYPE_F32;
  if (!own)
    {
      if ((chosen = triad_cli_resolve_presets ("export", presets, preset_arg,
                                               TRIAD_KV_SCENE_MAX_SERIES, &args, err, &status))
          == NULL)
        return status;
      triad_kv_scene_set_presets (scene, (const TriadLlmPreset **) chosen->pdata,
                                  (int) chosen->len);
    }

  /* the live run greedy, as the window's live panel takes it by default */
  if (triad_cli_input_has_text (&in))
    {
      /* --kv-dtype, when given, is the live cache's format as well as the projection's, so
       * that the two tell the same cache */
      const TriadKvLiveRequest request = {
        .kv_block = kv_block, .sampling = FALSE,
        .kv_dtype = args.kv_dtype != NULL ? so.kv.kv_dtype : TRIAD_DTYPE_F32,
      };
      TriadModel *decoder;

      if (!triad_kv_dtype_supported (request.kv_dtype))
        return triad_cli_usage_error (err, "export",
                                      _("The live cache is stored as f32, f16, bf16, int8 or "
                                        "int4, not %s"), args.kv_dtype);

      if (!triad_cli_input_read_text (&in, &error)
          || (decoder = triad_cli_input_load_model (&in, model_index, &error)) == NULL)
        return triad_cli_fail (err, "export", error);
      if (decoder->config.arch != TRIAD_ARCH_DECODER)
        return triad_cli_usage_error (err, "export",
                                      _("The live run takes a decoder-only model"));
      if (!triad_kv_scene_run_live (scene, decoder, in.text, &request, steps, &error))
        return triad_cli_fail (err, "export", error);
      if (own)
        {
          TriadLlmPreset *p = triad_kv_scene_model_preset (decoder);

          triad_kv_scene_set_presets (scene, (const TriadLlmPreset **) &p, 1);
          triad_llm_preset_free (p);
        }
    }

  /* the words in --lang, then the figures and their words from the scene */
  triad_export_options_apply (&opt);
  figure = chart == 0 ? triad_kv_scene_as_scene (scene, &so)
                      : triad_kv_scene_panel_as_scene (scene, chart == 1 ? TRIAD_KV_PANEL_CHART
                                                                         : TRIAD_KV_PANEL_BARS, &so);
  if (triad_kv_scene_get_estimate (scene) == NULL)
    {
      const char *why = triad_kv_scene_get_readout (scene, NULL);

      g_set_error_literal (&error, TRIAD_ERROR, TRIAD_ERROR_INVALID_ARGUMENT,
                           why != NULL ? why : "");
      return triad_cli_fail (err, "export", error);
    }
  return triad_export_options_write (&opt, figure, out, err);
}
