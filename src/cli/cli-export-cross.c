/* cli-export-cross.c — export --view cross: the Cross-attention view's figure, as the window
 * draws it: the three linked panels with the K/V gauge, the alignment lines, or the decoder by
 * prompt beside the encoder-decoder. */
#include "config.h"

#include <string.h>
#include <glib/gi18n-lib.h>

#include "cli/cli-private.h"
#include "engine/crossview.h"
#include "figures/alignment.h"

typedef enum {
  DISPLAY_HEATMAPS,
  DISPLAY_ALIGNMENT,
  DISPLAY_PROMPT,
} Display;

typedef struct {
  Display          display;
  TriadFigureStyle style;
  TriadCrossFigure fig;
  TriadAlignment   align;
  TriadPanelPair   pair;
} CrossExport;

static void
draw_cross (cairo_t  *cr,
            double    width,
            double    height,
            gpointer  user_data)
{
  CrossExport *e = user_data;

  switch (e->display)
    {
    case DISPLAY_ALIGNMENT:
      triad_alignment_draw (cr, &e->align, &e->style, width, height);
      break;
    case DISPLAY_PROMPT:
      triad_panel_pair_draw (cr, &e->pair, &e->style, width, height);
      break;
    case DISPLAY_HEATMAPS:
    default:
      triad_cross_figure_draw (cr, &e->fig, &e->style, width, height);
      break;
    }
}

static GStrv
labels_of (const TriadModel    *model,
           const TriadEncoding *enc,
           int                  from,
           int                  to)
{
  GStrv labels = g_new0 (char *, MAX (to - from, 0) + 1);

  for (int i = from; i < to; i++)
    labels[i - from] = triad_tokenizer_display (model->tokenizer, enc->ids[i]);
  return labels;
}

/* The same words as the window's titles. */
static char *
head_words (int head,
            int n_heads)
{
  if (head >= 0)
    /* TRANSLATORS: part of a figure's title, e.g. "… · layer 2 · head 1" */
    return g_strdup_printf (_("head %d"), head);
  /* TRANSLATORS: part of a figure's title: the mean of every head of the layer */
  return g_strdup_printf (g_dngettext (GETTEXT_PACKAGE, "mean of %d head", "mean of %d heads",
                                       n_heads), n_heads);
}

int
triad_cli_export_cross (int    argc,
                        char **argv,
                        FILE  *out,
                        FILE  *err)
{
  g_autoptr(GOptionContext) ctx =
    g_option_context_new (_("— draw the Cross-attention view into a PNG file"));
  g_autoptr(GError) error = NULL;
  g_autoptr(TriadModel) encdec = NULL;
  g_autoptr(TriadModel) decoder = NULL;
  g_autoptr(TriadCrossView) view = NULL;
  g_autoptr(TriadPromptView) prompt = NULL;
  g_autofree char *text_arg = NULL, *text_file = NULL, *text = NULL, *target = NULL;
  g_autofree char *model_name = NULL, *decoder_name = NULL, *display_arg = NULL;
  g_autofree char *cmap_arg = NULL, *title = NULL, *heads = NULL, *enc_caption = NULL;
  g_autofree char *p_caption = NULL, *c_caption = NULL, *p_note = NULL, *p_heads = NULL;
  g_autofree float *enc_w = NULL, *dec_w = NULL, *cross_w = NULL, *prompt_w = NULL;
  g_auto(GStrv) src_labels = NULL;
  g_auto(GStrv) tgt_labels = NULL;
  g_auto(GStrv) en_labels = NULL;
  g_auto(GStrv) ru_labels = NULL;
  g_auto(TriadExportOptions) opt = { 0 };
  int layer = -1, head = -1, prompt_layer = -1, step = -1, status, S, T, t, enc_layer, n_layers;
  gboolean mean = FALSE;
  TriadColormap cmap = TRIAD_COLORMAP_VIRIDIS;
  CrossExport e = { 0 };
  GOptionEntry entries[] = {
    { "text", 't', 0, G_OPTION_ARG_FILENAME, &text_arg, N_("The English source text"),
      N_("TEXT") },
    { "text-file", 0, 0, G_OPTION_ARG_FILENAME, &text_file,
      N_("Read the source text from a file (- for standard input)"), N_("FILE") },
    { "target", 0, 0, G_OPTION_ARG_FILENAME, &target,
      N_("The Russian text the decoder reads (default: the model’s own translation)"),
      N_("TEXT") },
    { "model", 'm', 0, G_OPTION_ARG_FILENAME, &model_name,
      N_("The encoder-decoder model (default: the shipped one)"), N_("MODEL") },
    { "decoder", 0, 0, G_OPTION_ARG_FILENAME, &decoder_name,
      N_("The decoder-only model for --display prompt (default: the shipped one)"),
      N_("MODEL") },
    { "display", 0, 0, G_OPTION_ARG_STRING, &display_arg,
      N_("heatmaps (default), alignment or prompt"), N_("DISPLAY") },
    { "layer", 'l', 0, G_OPTION_ARG_INT, &layer,
      N_("The encoder-decoder’s layer (default: the last)"), N_("L") },
    { "head", 'h', 0, G_OPTION_ARG_INT, &head,
      N_("The head (default: the mean of the heads)"), N_("H") },
    { "mean", 0, 0, G_OPTION_ARG_NONE, &mean, N_("The mean of the layer’s heads (default)"),
      NULL },
    { "prompt-layer", 0, 0, G_OPTION_ARG_INT, &prompt_layer,
      N_("The decoder-only model’s layer for --display prompt (default: the last)"), N_("L") },
    { "step", 0, 0, G_OPTION_ARG_INT, &step,
      N_("Target tokens decoded, from 1 (default: all)"), N_("N") },
    { "colormap", 0, 0, G_OPTION_ARG_STRING, &cmap_arg,
      N_("viridis (default), magma, cividis or grey"), N_("MAP") },
    { NULL }
  };

  triad_export_options_init (&opt, 1400.0, 900.0);
  g_option_context_add_main_entries (ctx, entries, GETTEXT_PACKAGE);
  /* --view is among the shared options: here it can only say cross */
  triad_export_options_add (ctx, &opt);
  if (!triad_cli_parse (ctx, &argc, &argv, err))
    return TRIAD_EXIT_USAGE;
  if (opt.view != NULL && strcmp (opt.view, "cross") != 0)
    return triad_cli_usage_error (err, "export", _("This export draws --view cross, not “%s”"),
                                  opt.view);
  if ((status = triad_export_options_check (&opt, "export", err)) != TRIAD_EXIT_OK)
    return status;
  if (display_arg == NULL || strcmp (display_arg, "heatmaps") == 0)
    e.display = DISPLAY_HEATMAPS;
  else if (strcmp (display_arg, "alignment") == 0)
    e.display = DISPLAY_ALIGNMENT;
  else if (strcmp (display_arg, "prompt") == 0)
    e.display = DISPLAY_PROMPT;
  else
    return triad_cli_usage_error (err, "export",
                                  _("--display must be heatmaps, alignment or prompt, not “%s”"),
                                  display_arg);
  if (layer < -1 || head < -1 || prompt_layer < -1)
    return triad_cli_usage_error (err, "export", _("--layer and --head count from 0"));
  if (head >= 0 && mean)
    return triad_cli_usage_error (err, "export", _("Give --head or --mean, not both"));
  if (step == 0 || step < -1)
    return triad_cli_usage_error (err, "export", _("--step counts target tokens from 1"));
  if (cmap_arg != NULL && !triad_colormap_from_string (cmap_arg, &cmap))
    return triad_cli_usage_error (err, "export",
                                  _("--colormap must be viridis, magma, cividis or grey, "
                                    "not “%s”"), cmap_arg);

  if ((text = triad_cli_read_text (text_arg, text_file, "--text", &error)) == NULL
      || (encdec = triad_cli_load_model (model_name != NULL ? model_name : "encdec",
                                         &error)) == NULL)
    return triad_cli_fail (err, "export", error);
  if (encdec->config.arch != TRIAD_ARCH_ENCDEC)
    return triad_cli_usage_error (err, "export", _("--model takes an encoder-decoder model"));
  n_layers = encdec->config.n_dec_layers;
  if (layer >= n_layers || head >= encdec->config.n_heads)
    return triad_cli_usage_error (err, "export",
                                  _("The model has layers 0 to %d and heads 0 to %d"),
                                  n_layers - 1, encdec->config.n_heads - 1);
  if (layer < 0)
    layer = n_layers - 1;

  view = triad_cross_view_compute (encdec, text, target, NULL, &error);
  if (view == NULL)
    return triad_cli_fail (err, "export", error);
  S = view->src->n;
  T = view->tgt->n;
  if (step > T)
    return triad_cli_usage_error (err, "export",
                                  _("--step must be at most %d, the target tokens"), T);
  t = step > 0 ? step : T;

  if (e.display == DISPLAY_PROMPT)
    {
      if ((decoder = triad_cli_load_model (decoder_name != NULL ? decoder_name : "decoder",
                                           &error)) == NULL)
        return triad_cli_fail (err, "export", error);
      if (decoder->config.arch != TRIAD_ARCH_DECODER)
        return triad_cli_usage_error (err, "export",
                                      _("--decoder takes a decoder-only model"));
      if (prompt_layer >= decoder->config.n_dec_layers || head >= decoder->config.n_heads)
        return triad_cli_usage_error (err, "export",
                                      _("The decoder-only model has layers 0 to %d and heads 0 "
                                        "to %d"), decoder->config.n_dec_layers - 1,
                                      decoder->config.n_heads - 1);
      if (prompt_layer < 0)
        prompt_layer = decoder->config.n_dec_layers - 1;
      prompt = triad_prompt_view_compute (decoder, text, target, NULL, &error);
      if (prompt == NULL)
        return triad_cli_fail (err, "export", error);
    }

  triad_export_options_apply (&opt, &e.style);

  src_labels = labels_of (encdec, view->src, 0, S);
  tgt_labels = labels_of (encdec, view->tgt, 0, T);
  heads = head_words (head, view->n_heads);
  enc_layer = MIN (layer, view->n_enc_layers - 1);
  /* TRANSLATORS: a figure's title: the model, how the target came about, the layer and the
   * head(s), e.g. "Encoder-decoder · its own translation · layer 2 · head 1" */
  title = g_strdup_printf (_("Encoder-decoder · %s · layer %d · %s"),
                           view->generated ? _("its own translation")
                           : _("your target, teacher forcing"),
                           layer, heads);
  if (enc_layer != layer)
    /* TRANSLATORS: caption of a panel when the encoder has fewer layers than the decoder */
    enc_caption = g_strdup_printf (_("Encoder self-attention · bidirectional · layer %d"),
                                   enc_layer);
  enc_w = g_new (float, (size_t) S * S);
  dec_w = g_new (float, (size_t) T * T);
  cross_w = g_new (float, (size_t) T * S);

  e.fig = (TriadCrossFigure) {
    .enc_self = triad_cross_view_matrix (view, TRIAD_ATTN_ENCODER_SELF, enc_layer, head, enc_w),
    .dec_self = triad_cross_view_matrix (view, TRIAD_ATTN_DECODER_SELF, layer, head, dec_w),
    .cross = triad_cross_view_matrix (view, TRIAD_ATTN_CROSS, layer, head, cross_w),
    .n_src = S, .n_tgt = T, .n_shown = t,
    .src_labels = (const char * const *) src_labels,
    .tgt_labels = (const char * const *) tgt_labels,
    .title = title,
    .captions = { enc_caption, NULL, NULL },
    .cmap = cmap,
    .hover = { -1, -1 },
    .cell_panel = TRIAD_CROSS_N_PANELS, .cell_row = -1, .cell_col = -1,
    .show_gauge = TRUE,
    .gauge = {
      .self_positions = t, .self_positions_max = T, .self_bytes = view->kv_bytes[t - 1],
      .cross_positions = S, .cross_bytes = view->cross_bytes[t - 1],
    },
  };
  e.align = (TriadAlignment) {
    .weights = e.fig.cross, .n_src = S, .n_tgt = T, .n_shown = t,
    .src_labels = e.fig.src_labels, .tgt_labels = e.fig.tgt_labels,
    .title = title,
    /* TRANSLATORS: caption of the row of source tokens in the alignment figure */
    .src_caption = _("English source · the encoder’s output, read as keys and values"),
    /* TRANSLATORS: caption of the row of target tokens in the alignment figure */
    .tgt_caption = _("Russian target · the decoder’s queries, each predicting the word "
                      "after it"),
    .hover = { -1, -1 },
  };
  if (prompt != NULL)
    {
      int rows = prompt->ru_end - prompt->ru_start, cols = prompt->en_end - prompt->en_start;
      double share = triad_prompt_view_english_share (prompt, prompt_layer, head);

      en_labels = labels_of (decoder, prompt->tokens, prompt->en_start, prompt->en_end);
      ru_labels = labels_of (decoder, prompt->tokens, prompt->ru_start, prompt->ru_end);
      prompt_w = g_new (float, (size_t) MAX (rows * cols, 1));
      triad_prompt_view_block (prompt, prompt_layer, head, prompt_w);
      p_heads = head_words (head, prompt->n_heads);
      /* TRANSLATORS: caption of a panel: the decoder-only model's self-attention, rows of
       * its Russian tokens, columns of the English tokens of its prompt */
      p_caption = g_strdup_printf (_("Decoder-only by prompt · layer %d · %s: Russian → English"),
                                   prompt_layer, p_heads);
      /* TRANSLATORS: caption of a panel: the encoder-decoder's cross-attention */
      c_caption = g_strdup_printf (_("Encoder-decoder cross-attention · layer %d · %s"), layer,
                                   heads);
      /* TRANSLATORS: %.0f%% is a percentage such as "62%"; the rest of the attention goes
       * to the prompt's markers and to the Russian tokens before */
      p_note = g_strdup_printf (_("%.0f%% of these rows’ attention reaches back to the English"),
                                100.0 * share);
      e.pair = (TriadPanelPair) {
        .panels = {
          {
            .weights = prompt_w, .n_q = rows, .n_k = cols,
            .n_shown = t >= T ? rows : MIN (t, rows),
            .q_labels = (const char * const *) ru_labels,
            .k_labels = (const char * const *) en_labels,
            .caption = p_caption, .note = p_note,
          },
          {
            .weights = e.fig.cross, .n_q = T, .n_k = S, .n_shown = t,
            .q_labels = e.fig.tgt_labels, .k_labels = e.fig.src_labels,
            .caption = c_caption,
            .note = _("All of it goes to the source: cross-attention sees only the encoder"),
          },
        },
        /* TRANSLATORS: the title of the comparison of the two architectures */
        .title = prompt->generated ? _("One architecture doing the other’s job: translation by "
                                       "prompt, and by cross-attention")
                                   : _("One architecture doing the other’s job, on your target"),
        .cmap = cmap,
        .hover_panel = -1, .hover_row = -1, .hover_col = -1,
      };
    }

  return triad_export_options_write (&opt, "export", draw_cross, &e,
                                     e.display == DISPLAY_PROMPT ? e.pair.title : title,
                                     out, err);
}
