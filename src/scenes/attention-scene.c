/* attention-scene.c — the Attention view's figure from the engine's attention map. */
#include "config.h"

#include "engine/i18n.h"

#include "engine/numbers.h"
#include "scenes/attention-scene.h"

struct _TriadAttentionScene
{
  TriadAttentionMap    *map;
  char                **q_labels;
  char                **k_labels;
  float                *mean;         /* (n_q, n_k) of captured layer mean_layer */
  int                   mean_layer;   /* -1: none yet */
  TriadAttentionOptions opt;
  char                 *title;
  TriadAttentionFigure  figure;
  const float          *weights;      /* what a heatmap or the lines show */
  TriadHeatmap          heatmap;
  TriadHeadGrid         grid;
  TriadLineView         lines;
  int                   kv_group;     /* query heads per K/V head of the captured attention */
};

void
triad_attention_options_init (TriadAttentionOptions *opt)
{
  *opt = (TriadAttentionOptions) {
    .mode = TRIAD_ATTENTION_SINGLE, .layer = 0, .head = 0,
    .cmap = TRIAD_COLORMAP_VIRIDIS, .norm = TRIAD_NORM_GLOBAL, .hover_a = -1, .hover_b = -1,
  };
}

TriadAttentionScene *
triad_attention_scene_new (TriadAttentionMap    *map,
                           const TriadTokenizer *tok)
{
  TriadAttentionScene *s;

  g_return_val_if_fail (map != NULL && tok != NULL, NULL);

  s = g_new0 (TriadAttentionScene, 1);
  s->map = map;
  s->q_labels = triad_tokenizer_display_ids (tok, map->queries->ids, map->queries->n);
  s->k_labels = triad_tokenizer_display_ids (tok, map->keys->ids, map->keys->n);
  s->mean_layer = -1;
  triad_attention_options_init (&s->opt);
  return s;
}

TriadAttentionScene *
triad_attention_scene_compute (TriadModel     *model,
                               const char     *text,
                               const char     *target,
                               TriadAttnKind   kind,
                               int             layer,
                               int             head,
                               GCancellable   *cancellable,
                               GError        **error)
{
  TriadAttentionMap *map = triad_attention_map_compute (model, text, target, kind, layer, head,
                                                        cancellable, error);
  TriadAttentionScene *s;

  if (map == NULL)
    return NULL;
  s = triad_attention_scene_new (map, model->tokenizer);
  /* grouped-query attention shares K/V heads in self-attention; cross-attention's are the
   * encoder's, one to each query head */
  if (kind != TRIAD_ATTN_CROSS)
    s->kv_group = model->config.n_heads / triad_config_kv_heads (&model->config);
  return s;
}

void
triad_attention_scene_free (TriadAttentionScene *s)
{
  if (s == NULL)
    return;
  triad_attention_map_free (s->map);
  g_strfreev (s->q_labels);
  g_strfreev (s->k_labels);
  g_free (s->mean);
  g_free (s->title);
  g_free (s);
}

const TriadAttentionMap *
triad_attention_scene_get_map (TriadAttentionScene *s)
{
  return s->map;
}

int
triad_attention_scene_get_kv_group (TriadAttentionScene *s)
{
  return MAX (s->kv_group, 1);
}

gboolean
triad_attention_scene_holds (TriadAttentionScene         *s,
                             const TriadAttentionOptions *opt)
{
  const TriadCapture *cap = &s->map->cap;

  if (opt->layer < 0 || (cap->layer >= 0 && cap->layer != opt->layer)
      || (cap->layer < 0 && opt->layer >= cap->n_layers))
    return FALSE;
  if (opt->mode == TRIAD_ATTENTION_SINGLE)
    return opt->head >= 0 && (cap->head >= 0 ? cap->head == opt->head : opt->head < cap->n_heads);
  /* the mean and the grid need every head */
  return cap->head < 0;
}

/* Index of the options' layer and head among the captured ones. */
static int
cap_layer (TriadAttentionScene *s)
{
  return s->map->cap.layer >= 0 ? 0 : s->opt.layer;
}

const float *
triad_attention_scene_get_head (TriadAttentionScene *s,
                                int                  head)
{
  const TriadCapture *cap = &s->map->cap;

  if (cap->head >= 0)
    return head == cap->head ? triad_capture_matrix (cap, cap_layer (s), 0) : NULL;
  return head >= 0 && head < cap->n_heads ? triad_capture_matrix (cap, cap_layer (s), head) : NULL;
}

static const char *
arch_title (TriadArch arch)
{
  switch (arch)
    {
    case TRIAD_ARCH_ENCODER: return _("Encoder");
    case TRIAD_ARCH_DECODER: return _("Decoder");
    case TRIAD_ARCH_ENCDEC:
    default: return _("Encoder-decoder");
    }
}

static const char *
kind_title (TriadAttnKind kind)
{
  switch (kind)
    {
    case TRIAD_ATTN_DECODER_SELF: return _("decoder self-attention");
    case TRIAD_ATTN_CROSS: return _("cross-attention");
    case TRIAD_ATTN_ENCODER_SELF:
    default: return _("encoder self-attention");
    }
}

/* "Decoder · layer 3 · head 1": the model, the attention (for the encoder-decoder, which has
 * three), the layer and the head or heads. */
static char *
make_title (TriadAttentionScene *s)
{
  g_autoptr(GPtrArray) parts = g_ptr_array_new_with_free_func (g_free);
  int n_heads = s->map->cap.n_heads;

  g_ptr_array_add (parts, g_strdup (arch_title (s->map->arch)));
  if (s->map->arch == TRIAD_ARCH_ENCDEC)
    g_ptr_array_add (parts, g_strdup (kind_title (s->map->kind)));
  /* TRANSLATORS: part of a figure's title, e.g. "Decoder · layer 3 · head 1" */
  g_ptr_array_add (parts, g_strdup_printf (_("layer %d"), s->opt.layer));
  switch (s->opt.mode)
    {
    case TRIAD_ATTENTION_MEAN:
      /* TRANSLATORS: part of a figure's title: the mean of every head of the layer */
      g_ptr_array_add (parts, g_strdup_printf (g_dngettext (GETTEXT_PACKAGE, "mean of %d head",
                                                            "mean of %d heads", n_heads),
                                               n_heads));
      break;
    case TRIAD_ATTENTION_GRID:
      g_ptr_array_add (parts, g_strdup (_("every head")));
      break;
    case TRIAD_ATTENTION_SINGLE:
    default:
      /* TRANSLATORS: part of a figure's title, e.g. "Decoder · layer 3 · head 1" */
      g_ptr_array_add (parts, g_strdup_printf (_("head %d"), s->opt.head));
      break;
    }
  g_ptr_array_add (parts, NULL);
  return g_strjoinv (" · ", (char **) parts->pdata);
}

gboolean
triad_attention_scene_update (TriadAttentionScene         *s,
                              const TriadAttentionOptions *opt)
{
  const TriadCapture *cap = &s->map->cap;

  s->opt = *opt;
  s->figure = TRIAD_ATTENTION_FIGURE_NONE;
  s->weights = NULL;
  g_clear_pointer (&s->title, g_free);
  if (!triad_attention_scene_holds (s, opt))
    return FALSE;
  s->title = make_title (s);

  if (opt->mode == TRIAD_ATTENTION_GRID)
    {
      s->figure = TRIAD_ATTENTION_FIGURE_GRID;
      s->grid = (TriadHeadGrid) {
        .weights = triad_capture_matrix (cap, cap_layer (s), 0), .n_heads = cap->n_heads,
        .n_q = cap->n_q, .n_k = cap->n_k, .title = s->title,
        .cmap = opt->cmap, .norm = opt->norm,
        .selected = opt->head >= 0 && opt->head < cap->n_heads ? opt->head : -1,
        .hover = opt->hover_a < cap->n_heads ? opt->hover_a : -1,
        .colorbar_label = _("attention weight"), .show_colorbar = TRUE,
        .kv_group = s->kv_group,
        .q_labels = (const char * const *) s->q_labels,
        .k_labels = (const char * const *) s->k_labels,
      };
      return TRUE;
    }

  if (opt->mode == TRIAD_ATTENTION_MEAN)
    {
      /* the mean stays while the layer does: a hover or a colour map redraws without it */
      if (s->mean == NULL)
        s->mean = g_new (float, (size_t) cap->n_q * cap->n_k);
      if (s->mean_layer != cap_layer (s))
        {
          triad_attention_map_average (s->map, cap_layer (s), s->mean);
          s->mean_layer = cap_layer (s);
        }
      s->weights = s->mean;
    }
  else
    s->weights = triad_attention_scene_get_head (s, opt->head);

  if (opt->lines)
    {
      s->figure = TRIAD_ATTENTION_FIGURE_LINES;
      s->lines = (TriadLineView) {
        .weights = s->weights, .n_q = cap->n_q, .n_k = cap->n_k,
        .q_labels = (const char * const *) s->q_labels,
        .k_labels = (const char * const *) s->k_labels,
        .title = s->title, .hover_q = opt->hover_a < cap->n_q ? opt->hover_a : -1,
      };
    }
  else
    {
      gboolean hover = opt->hover_a >= 0 && opt->hover_a < cap->n_q
                       && opt->hover_b >= 0 && opt->hover_b < cap->n_k;

      s->figure = TRIAD_ATTENTION_FIGURE_HEATMAP;
      s->heatmap = (TriadHeatmap) {
        .weights = s->weights, .n_q = cap->n_q, .n_k = cap->n_k,
        .q_labels = (const char * const *) s->q_labels,
        .k_labels = (const char * const *) s->k_labels,
        .title = s->title, .colorbar_label = _("attention weight"),
        .cmap = opt->cmap, .norm = opt->norm,
        .hover_q = hover ? opt->hover_a : -1, .hover_k = hover ? opt->hover_b : -1,
        .show_colorbar = TRUE,
      };
    }
  return TRUE;
}

TriadAttentionFigure
triad_attention_scene_get_figure (TriadAttentionScene *s)
{
  return s->figure;
}

const TriadHeadGrid *
triad_attention_scene_get_grid (TriadAttentionScene *s)
{
  return s->figure == TRIAD_ATTENTION_FIGURE_GRID ? &s->grid : NULL;
}

const char *
triad_attention_scene_get_title (TriadAttentionScene *s)
{
  return s->title;
}

const float *
triad_attention_scene_get_weights (TriadAttentionScene *s,
                                   int                 *n_q,
                                   int                 *n_k)
{
  if (n_q != NULL)
    *n_q = s->map->cap.n_q;
  if (n_k != NULL)
    *n_k = s->map->cap.n_k;
  return s->weights;
}

const char * const *
triad_attention_scene_get_labels (TriadAttentionScene *s,
                                  gboolean             queries)
{
  return (const char * const *) (queries ? s->q_labels : s->k_labels);
}

void
triad_attention_scene_draw (TriadAttentionScene    *s,
                            cairo_t                *cr,
                            const TriadFigureStyle *style,
                            double                  width,
                            double                  height)
{
  switch (s->figure)
    {
    case TRIAD_ATTENTION_FIGURE_HEATMAP:
      triad_heatmap_draw (cr, &s->heatmap, style, width, height);
      break;
    case TRIAD_ATTENTION_FIGURE_GRID:
      triad_head_grid_draw (cr, &s->grid, style, width, height);
      break;
    case TRIAD_ATTENTION_FIGURE_LINES:
      triad_lines_draw (cr, &s->lines, style, width, height);
      break;
    case TRIAD_ATTENTION_FIGURE_NONE:
    default:
      break;
    }
}

gboolean
triad_attention_scene_hit (TriadAttentionScene    *s,
                           const TriadFigureStyle *style,
                           double                  width,
                           double                  height,
                           double                  x,
                           double                  y,
                           int                    *a,
                           int                    *b)
{
  *a = *b = -1;
  switch (s->figure)
    {
    case TRIAD_ATTENTION_FIGURE_HEATMAP:
      {
        TriadHeatmapLayout layout;

        triad_heatmap_layout (&s->heatmap, style, width, height, &layout);
        if (!triad_heatmap_hit (&layout, &s->heatmap, x, y, a, b))
          *a = *b = -1;
      }
      break;
    case TRIAD_ATTENTION_FIGURE_GRID:
      *a = triad_head_grid_hit (&s->grid, style, width, height, x, y);
      break;
    case TRIAD_ATTENTION_FIGURE_LINES:
      *a = triad_lines_hit (&s->lines, style, width, height, x, y);
      break;
    case TRIAD_ATTENTION_FIGURE_NONE:
    default:
      break;
    }
  return *a >= 0;
}

char *
triad_attention_scene_describe (TriadAttentionScene *s,
                                int                  a,
                                int                  b)
{
  const TriadCapture *cap = &s->map->cap;

  if (a < 0)
    return NULL;
  switch (s->figure)
    {
    case TRIAD_ATTENTION_FIGURE_HEATMAP:
      if (b >= 0 && a < cap->n_q && b < cap->n_k && s->weights != NULL)
        {
          g_autofree char *weight = triad_format_double (s->weights[(size_t) a * cap->n_k + b], 3);

          /* TRANSLATORS: the readout of a cell: query token and position, key token and
           * position, the weight (e.g. "0.125") */
          return g_strdup_printf (_("Query “%s” (%d) → key “%s” (%d): weight %s"),
                                  s->q_labels[a], a, s->k_labels[b], b, weight);
        }
      return NULL;
    case TRIAD_ATTENTION_FIGURE_GRID:
      return a < cap->n_heads ? g_strdup_printf (_("Head %d — click to open it"), a) : NULL;
    case TRIAD_ATTENTION_FIGURE_LINES:
      return a < cap->n_q ? g_strdup_printf (_("Query “%s” (%d)"), s->q_labels[a], a) : NULL;
    case TRIAD_ATTENTION_FIGURE_NONE:
    default:
      return NULL;
    }
}
