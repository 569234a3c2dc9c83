/* cross-scene.c — the Cross-attention view's figures from the engine's results. */
#include "config.h"

#include <string.h>
#include "engine/i18n.h"

#include "engine/numbers.h"
#include "scenes/cross-scene.h"

struct _TriadCrossScene
{
  TriadCrossView    *view;
  TriadPromptView   *prompt;
  char             **src_labels;     /* (view->src->n) */
  char             **tgt_labels;     /* (view->tgt->n) */
  char             **next_labels;    /* (view->tgt->n) the token predicted after each step */
  char             **en_labels;      /* the prompt's English tokens */
  char             **ru_labels;      /* its query rows */
  gboolean           toy_world;      /* the shipped English → Russian model, not a real one
                                      * (T5) that reads whatever its prompt asks for */

  TriadCrossOptions  opt;            /* as last updated, clamped */
  float             *enc_w;
  float             *dec_w;
  float             *cross_w;
  float             *prompt_w;
  char              *title;
  char              *enc_caption;
  char              *pair_captions[2];
  char              *pair_notes[2];
  TriadCrossFigure   fig;
  TriadAlignment     align;
  TriadPanelPair     pair;
};

void
triad_cross_options_init (TriadCrossOptions *opt)
{
  *opt = (TriadCrossOptions) {
    .display = TRIAD_CROSS_DISPLAY_HEATMAPS,
    .layer = -1, .head = -1, .prompt_layer = -1, .position = -1,
    .cmap = TRIAD_COLORMAP_VIRIDIS,
    .hover = { -1, -1 },
    .cell_panel = TRIAD_CROSS_N_PANELS, .cell_row = -1, .cell_col = -1,
    .pair_panel = -1, .pair_row = -1, .pair_col = -1,
  };
}

/* The display forms of ids[from … to); their numbers without a tokenizer. */
static char **
labels_of (const TriadTokenizer *tok,
           const int            *ids,
           int                   from,
           int                   to)
{
  char **labels;

  if (tok != NULL)
    return triad_tokenizer_display_ids (tok, ids + from, MAX (to - from, 0));
  labels = g_new0 (char *, MAX (to - from, 0) + 1);
  for (int i = from; i < to; i++)
    labels[i - from] = g_strdup_printf ("%d", ids[i]);
  return labels;
}

TriadCrossScene *
triad_cross_scene_new (TriadCrossView       *view,
                       const TriadTokenizer *tokenizer,
                       TriadPromptView      *prompt,
                       const TriadTokenizer *prompt_tokenizer)
{
  TriadCrossScene *s;

  g_return_val_if_fail (view != NULL, NULL);

  s = g_new0 (TriadCrossScene, 1);
  s->view = view;
  s->prompt = prompt;
  s->toy_world = tokenizer == NULL || triad_tokenizer_kind (tokenizer) == TRIAD_TOKENIZER_TRIAD_BPE;
  s->src_labels = labels_of (tokenizer, view->src->ids, 0, view->src->n);
  s->tgt_labels = labels_of (tokenizer, view->tgt->ids, 0, view->tgt->n);
  s->next_labels = labels_of (tokenizer, view->predicted, 0, view->tgt->n);
  if (prompt != NULL)
    {
      s->en_labels = labels_of (prompt_tokenizer, prompt->tokens->ids, prompt->en_start,
                                prompt->en_end);
      s->ru_labels = labels_of (prompt_tokenizer, prompt->tokens->ids, prompt->ru_start,
                                prompt->ru_end);
    }
  triad_cross_options_init (&s->opt);
  triad_cross_scene_update (s, &s->opt);
  return s;
}

TriadCrossScene *
triad_cross_scene_compute (TriadModel    *encdec,
                           TriadModel    *decoder,
                           const char    *text,
                           const char    *target,
                           GCancellable  *cancellable,
                           GError       **error)
{
  g_autoptr(TriadCrossView) view = NULL;
  g_autoptr(TriadPromptView) prompt = NULL;

  g_return_val_if_fail (encdec != NULL && text != NULL, NULL);

  view = triad_cross_view_compute (encdec, text, target, cancellable, error);
  if (view == NULL)
    return NULL;
  if (decoder != NULL)
    {
      prompt = triad_prompt_view_compute (decoder, text, target, cancellable, error);
      if (prompt == NULL)
        return NULL;
    }
  return triad_cross_scene_new (g_steal_pointer (&view), encdec->tokenizer,
                                g_steal_pointer (&prompt),
                                decoder != NULL ? decoder->tokenizer : NULL);
}

static void
clear_strings (TriadCrossScene *s)
{
  g_clear_pointer (&s->title, g_free);
  g_clear_pointer (&s->enc_caption, g_free);
  for (int i = 0; i < 2; i++)
    {
      g_clear_pointer (&s->pair_captions[i], g_free);
      g_clear_pointer (&s->pair_notes[i], g_free);
    }
}

void
triad_cross_scene_free (TriadCrossScene *s)
{
  if (s == NULL)
    return;
  clear_strings (s);
  g_strfreev (s->src_labels);
  g_strfreev (s->tgt_labels);
  g_strfreev (s->next_labels);
  g_strfreev (s->en_labels);
  g_strfreev (s->ru_labels);
  g_free (s->enc_w);
  g_free (s->dec_w);
  g_free (s->cross_w);
  g_free (s->prompt_w);
  triad_cross_view_free (s->view);
  triad_prompt_view_free (s->prompt);
  g_free (s);
}

/* "head 2" or "mean of 4 heads", for titles */
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

/* One kind of attention of a layer, the mean of the heads when head is -1, into *buffer. */
static const float *
matrix (TriadCrossScene *s,
        TriadAttnKind    kind,
        int              layer,
        float          **buffer)
{
  int n_q, n_k;

  triad_cross_view_shape (s->view, kind, &n_q, &n_k);
  *buffer = g_renew (float, *buffer, (size_t) MAX (n_q * n_k, 1));
  layer = CLAMP (layer, 0, triad_cross_view_n_layers (s->view, kind) - 1);
  return triad_cross_view_matrix (s->view, kind, layer, s->opt.head, *buffer);
}

/* The options as the results allow them: a layer and a head the models have, a position
 * among the target tokens, and nothing lit past what is decoded. */
static void
clamp_options (TriadCrossScene   *s,
               TriadCrossOptions *o)
{
  const TriadCrossView *v = s->view;
  int S = v->src->n, T = v->tgt->n;

  o->display = CLAMP ((int) o->display, 0, TRIAD_CROSS_N_DISPLAYS - 1);
  o->layer = o->layer < 0 ? v->n_dec_layers - 1 : MIN (o->layer, v->n_dec_layers - 1);
  o->head = CLAMP (o->head, -1, v->n_heads - 1);
  if (s->prompt != NULL)
    o->prompt_layer = o->prompt_layer < 0 ? s->prompt->n_layers - 1
                      : MIN (o->prompt_layer, s->prompt->n_layers - 1);
  o->position = o->position < 0 ? T : MIN (o->position, T);
  if (o->hover.tgt >= o->position || o->hover.tgt < -1)
    o->hover.tgt = -1;
  if (o->hover.src >= S || o->hover.src < -1)
    o->hover.src = -1;
  if (o->cell_panel >= TRIAD_CROSS_N_PANELS || o->cell_row < 0 || o->cell_col < 0
      || (o->cell_panel != TRIAD_CROSS_PANEL_ENCODER && o->cell_row >= o->position))
    {
      o->cell_panel = TRIAD_CROSS_N_PANELS;
      o->cell_row = o->cell_col = -1;
    }
  if (o->pair_panel < 0 || o->pair_panel > 1)
    o->pair_panel = o->pair_row = o->pair_col = -1;
}

void
triad_cross_scene_update (TriadCrossScene         *s,
                          const TriadCrossOptions *opt)
{
  const TriadCrossView *v = s->view;
  g_autofree char *heads = NULL;
  int S = v->src->n, T = v->tgt->n, t, enc_layer;

  if (opt != &s->opt)
    s->opt = *opt;
  clamp_options (s, &s->opt);
  t = s->opt.position;
  clear_strings (s);
  heads = head_words (s->opt.head, v->n_heads);
  enc_layer = MIN (s->opt.layer, v->n_enc_layers - 1);

  /* TRANSLATORS: a figure's title: the model, how the target came about, the layer and the
   * head(s), e.g. "Encoder-decoder · its own translation · layer 2 · head 1" */
  s->title = g_strdup_printf (_("Encoder-decoder · %s · layer %d · %s"),
                              v->generated ? _("its own translation")
                              : _("your target, teacher forcing"),
                              s->opt.layer, heads);
  if (enc_layer != s->opt.layer)
    /* TRANSLATORS: caption of a panel when the encoder has fewer layers than the decoder */
    s->enc_caption = g_strdup_printf (_("Encoder self-attention · bidirectional · layer %d"),
                                      enc_layer);

  s->fig = (TriadCrossFigure) {
    .enc_self = matrix (s, TRIAD_ATTN_ENCODER_SELF, enc_layer, &s->enc_w),
    .dec_self = matrix (s, TRIAD_ATTN_DECODER_SELF, s->opt.layer, &s->dec_w),
    .cross = matrix (s, TRIAD_ATTN_CROSS, s->opt.layer, &s->cross_w),
    .n_src = S, .n_tgt = T, .n_shown = t,
    .src_labels = (const char * const *) s->src_labels,
    .tgt_labels = (const char * const *) s->tgt_labels,
    .title = s->title,
    .captions = { s->enc_caption, NULL, NULL },
    .cmap = s->opt.cmap,
    .hover = s->opt.hover,
    .cell_panel = s->opt.cell_panel, .cell_row = s->opt.cell_row, .cell_col = s->opt.cell_col,
    .show_gauge = TRUE,
    /* the decoder's cache holds a position per token read; the cross-attention's, the whole
     * source from the first step */
    .gauge = {
      .self_positions = t, .self_positions_max = T,
      .self_bytes = t > 0 ? v->kv_bytes[t - 1] : 0,
      .cross_positions = S,
      .cross_bytes = v->cross_bytes[MAX (t - 1, 0)],
    },
  };

  s->align = (TriadAlignment) {
    .weights = s->fig.cross, .n_src = S, .n_tgt = T, .n_shown = t,
    .src_labels = s->fig.src_labels, .tgt_labels = s->fig.tgt_labels,
    .title = s->title,
    /* TRANSLATORS: caption of the row of source tokens in the alignment figure */
    .src_caption = s->toy_world ? _("English source · the encoder’s output, read as keys and values")
                   /* TRANSLATORS: the same, for a real model (T5) whose languages the
                    * prompt chooses */
                   : _("Source · the encoder’s output, read as keys and values"),
    /* TRANSLATORS: caption of the row of target tokens in the alignment figure */
    .tgt_caption = s->toy_world ? _("Russian target · the decoder’s queries, each predicting the word "
                                    "after it")
                   /* TRANSLATORS: the same, for a real model (T5) */
                   : _("Target · the decoder’s queries, each predicting the token after it"),
    .hover = s->opt.hover,
  };

  memset (&s->pair, 0, sizeof s->pair);
  s->pair.hover_panel = s->pair.hover_row = s->pair.hover_col = -1;
  if (s->prompt != NULL)
    {
      const TriadPromptView *p = s->prompt;
      int rows = p->ru_end - p->ru_start, cols = p->en_end - p->en_start;
      int layer = s->opt.prompt_layer;
      double share = triad_prompt_view_english_share (p, layer, s->opt.head);
      g_autofree char *p_heads = head_words (s->opt.head, p->n_heads);

      s->prompt_w = g_renew (float, s->prompt_w, (size_t) MAX (rows * cols, 1));
      triad_prompt_view_block (p, layer, s->opt.head, s->prompt_w);
      s->pair_captions[0] =
        /* TRANSLATORS: caption of a panel: the decoder-only model's self-attention, rows of
         * its Russian tokens, columns of the English tokens of its prompt */
        g_strdup_printf (_("Decoder-only by prompt · layer %d · %s: Russian → English"),
                         layer, p_heads);
      s->pair_captions[1] =
        /* TRANSLATORS: caption of a panel: the encoder-decoder's cross-attention */
        g_strdup_printf (_("Encoder-decoder cross-attention · layer %d · %s"), s->opt.layer,
                         heads);
      s->pair_notes[0] =
        /* TRANSLATORS: %.0f%% is a percentage such as "62%"; the rest of the attention goes
         * to the prompt's markers and to the Russian tokens before */
        g_strdup_printf (_("%.0f%% of these rows’ attention reaches back to the English"),
                         100.0 * share);
      s->pair_notes[1] = g_strdup (_("All of it goes to the source: cross-attention sees "
                                     "only the encoder"));
      s->pair = (TriadPanelPair) {
        .panels = {
          {
            .weights = s->prompt_w, .n_q = rows, .n_k = cols,
            /* its own translation may be longer: all of it once the other is whole */
            .n_shown = t >= T ? rows : MIN (t, rows),
            .q_labels = (const char * const *) s->ru_labels,
            .k_labels = (const char * const *) s->en_labels,
            .caption = s->pair_captions[0], .note = s->pair_notes[0],
          },
          {
            .weights = s->fig.cross, .n_q = T, .n_k = S, .n_shown = t,
            .q_labels = s->fig.tgt_labels, .k_labels = s->fig.src_labels,
            .caption = s->pair_captions[1], .note = s->pair_notes[1],
          },
        },
        /* TRANSLATORS: the title of the comparison of the two architectures */
        .title = p->generated ? _("One architecture doing the other’s job: translation by "
                                  "prompt, and by cross-attention")
                              : _("One architecture doing the other’s job, on your target"),
        .cmap = s->opt.cmap,
        .hover_panel = s->opt.pair_panel, .hover_row = s->opt.pair_row,
        .hover_col = s->opt.pair_col,
      };
    }
}

const TriadCrossOptions *
triad_cross_scene_options (TriadCrossScene *s)
{
  return &s->opt;
}

const TriadCrossView *
triad_cross_scene_view (TriadCrossScene *s)
{
  return s->view;
}

const TriadPromptView *
triad_cross_scene_prompt (TriadCrossScene *s)
{
  return s->prompt;
}

const char * const *
triad_cross_scene_src_labels (TriadCrossScene *s)
{
  return (const char * const *) s->src_labels;
}

const char * const *
triad_cross_scene_tgt_labels (TriadCrossScene *s)
{
  return (const char * const *) s->tgt_labels;
}

const TriadCrossFigure *
triad_cross_scene_figure (TriadCrossScene *s)
{
  return &s->fig;
}

const TriadAlignment *
triad_cross_scene_alignment (TriadCrossScene *s)
{
  return &s->align;
}

const TriadPanelPair *
triad_cross_scene_pair (TriadCrossScene *s)
{
  return &s->pair;
}

gboolean
triad_cross_scene_has_figure (TriadCrossScene *s)
{
  return s->opt.display != TRIAD_CROSS_DISPLAY_PROMPT || s->prompt != NULL;
}

const char *
triad_cross_scene_title (TriadCrossScene *s)
{
  if (s->opt.display == TRIAD_CROSS_DISPLAY_PROMPT && s->prompt != NULL)
    return s->pair.title;
  return s->title;
}

void
triad_cross_scene_draw (TriadCrossScene        *s,
                        cairo_t                *cr,
                        const TriadFigureStyle *style,
                        double                  width,
                        double                  height)
{
  g_return_if_fail (s != NULL && cr != NULL && style != NULL);

  if (!triad_cross_scene_has_figure (s))
    return;
  switch (s->opt.display)
    {
    case TRIAD_CROSS_DISPLAY_ALIGNMENT:
      triad_alignment_draw (cr, &s->align, style, width, height);
      break;
    case TRIAD_CROSS_DISPLAY_PROMPT:
      triad_panel_pair_draw (cr, &s->pair, style, width, height);
      break;
    case TRIAD_CROSS_DISPLAY_HEATMAPS:
    case TRIAD_CROSS_N_DISPLAYS:
    default:
      triad_cross_figure_draw (cr, &s->fig, style, width, height);
      break;
    }
}

gboolean
triad_cross_scene_hit (TriadCrossScene        *s,
                       const TriadFigureStyle *style,
                       double                  width,
                       double                  height,
                       double                  x,
                       double                  y,
                       TriadCrossOptions      *opt)
{
  gboolean hit = FALSE;

  g_return_val_if_fail (s != NULL && style != NULL && opt != NULL, FALSE);

  opt->hover.src = opt->hover.tgt = -1;
  opt->cell_panel = TRIAD_CROSS_N_PANELS;
  opt->cell_row = opt->cell_col = -1;
  opt->pair_panel = opt->pair_row = opt->pair_col = -1;
  if (!triad_cross_scene_has_figure (s))
    return FALSE;
  switch (s->opt.display)
    {
    case TRIAD_CROSS_DISPLAY_ALIGNMENT:
      hit = triad_alignment_hit (&s->align, style, width, height, x, y, &opt->hover);
      break;
    case TRIAD_CROSS_DISPLAY_PROMPT:
      hit = triad_panel_pair_hit (&s->pair, style, width, height, x, y, &opt->pair_panel,
                                  &opt->pair_row, &opt->pair_col);
      /* the encoder-decoder's rows and columns are its target and source tokens */
      if (opt->pair_panel == 1)
        {
          opt->hover.tgt = opt->pair_row;
          opt->hover.src = opt->pair_col;
        }
      break;
    case TRIAD_CROSS_DISPLAY_HEATMAPS:
    case TRIAD_CROSS_N_DISPLAYS:
    default:
      {
        TriadCrossHit h;

        hit = triad_cross_figure_hit (&s->fig, style, width, height, x, y, &h);
        if (hit)
          {
            opt->hover = h.hover;
            if (h.row >= 0 && h.col >= 0)
              {
                opt->cell_panel = h.panel;
                opt->cell_row = h.row;
                opt->cell_col = h.col;
              }
          }
      }
      break;
    }
  return hit;
}

/* The source token target row t attends to most, and its weight. */
static int
strongest_source (TriadCrossScene *s,
                  int              t,
                  float           *weight)
{
  const float *row = s->fig.cross + (size_t) t * s->fig.n_src;
  int best = 0;

  for (int i = 1; i < s->fig.n_src; i++)
    if (row[i] > row[best])
      best = i;
  *weight = row[best];
  return best;
}

char *
triad_cross_scene_describe (TriadCrossScene *s)
{
  const TriadCrossOptions *o = &s->opt;
  const TriadCrossView *v = s->view;
  int S = v->src->n, t = o->position;

  /* a cell: its weight */
  if (o->display == TRIAD_CROSS_DISPLAY_HEATMAPS && o->cell_panel < TRIAD_CROSS_N_PANELS)
    {
      const float *w = o->cell_panel == TRIAD_CROSS_PANEL_ENCODER ? s->fig.enc_self
                       : o->cell_panel == TRIAD_CROSS_PANEL_DECODER ? s->fig.dec_self
                       : s->fig.cross;
      int n_k = o->cell_panel == TRIAD_CROSS_PANEL_DECODER ? s->fig.n_tgt : S;
      char **q = o->cell_panel == TRIAD_CROSS_PANEL_ENCODER ? s->src_labels : s->tgt_labels;
      char **k = o->cell_panel == TRIAD_CROSS_PANEL_DECODER ? s->tgt_labels : s->src_labels;
      const char *names[] = {
        N_("Encoder self-attention"), N_("Decoder self-attention"), N_("Cross-attention")
      };
      g_autofree char *weight = triad_format_double (w[(size_t) o->cell_row * n_k
                                                       + o->cell_col], 3);

      return g_strdup_printf (_("%s: query “%s” (%d) → key “%s” (%d): weight %s"),
                              _(names[o->cell_panel]), q[o->cell_row], o->cell_row,
                              k[o->cell_col], o->cell_col, weight);
    }
  if (o->display == TRIAD_CROSS_DISPLAY_PROMPT && s->prompt != NULL && s->pair.hover_panel >= 0
      && s->pair.hover_row >= 0 && s->pair.hover_col >= 0)
    {
      const TriadPanel *p = &s->pair.panels[s->pair.hover_panel];
      g_autofree char *weight = triad_format_double (p->weights[(size_t) s->pair.hover_row
                                                                * p->n_k + s->pair.hover_col],
                                                     3);

      return g_strdup_printf (_("Query “%s” (%d) → key “%s” (%d): weight %s"),
                              p->q_labels[s->pair.hover_row], s->pair.hover_row,
                              p->k_labels[s->pair.hover_col], s->pair.hover_col, weight);
    }
  /* a target token: where it looks */
  if (o->hover.tgt >= 0 && o->hover.tgt < t)
    {
      float w;
      int best = strongest_source (s, o->hover.tgt, &w);
      g_autofree char *weight = triad_format_double (w, 3);

      return g_strdup_printf (_("Target token “%s” (%d) attends most to the source token "
                                "“%s” (%d): weight %s"),
                              s->tgt_labels[o->hover.tgt], o->hover.tgt, s->src_labels[best],
                              best, weight);
    }
  if (o->hover.src >= 0 && o->hover.src < S)
    return g_strdup_printf (_("Source token “%s” (%d)"), s->src_labels[o->hover.src],
                            o->hover.src);
  /* else the step: what the decoder read and what it would write next */
  if (t >= 1)
    {
      g_autofree char *p = triad_format_double (v->predicted_p[t - 1], 2);

      return g_strdup_printf (_("Step %d: the decoder reads “%s” and would write “%s” next "
                                "(p = %s)"), t, s->tgt_labels[t - 1], s->next_labels[t - 1], p);
    }
  return NULL;
}
