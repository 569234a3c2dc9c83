/* triad-cross-page.c — the Cross-attention view. The page decodes the translation step by step
 * in a GTask (cancelled when the input changes), keeps the last good result on screen, and
 * builds the figure the controls ask for: the linked panels, the alignment lines, or the
 * decoder by prompt beside the encoder-decoder. */
#include "config.h"

#include <glib/gi18n.h>

#include "app/triad-application.h"
#include "app/triad-cross-page.h"
#include "app/triad-view.h"
#include "app/triad-vocabulary.h"
#include "engine/numbers.h"

#define TARGET_DEBOUNCE_MS 300
#define PLAY_INTERVAL_MS   700

struct _TriadCrossPage
{
  GtkWidget          parent_instance;

  /* template */
  GtkToggleButton   *heatmaps_button;
  GtkToggleButton   *alignment_button;
  GtkToggleButton   *prompt_button;
  GtkDropDown       *layer_dropdown;
  GtkDropDown       *head_dropdown;
  GtkDropDown       *prompt_layer_dropdown;
  GtkEntry          *target_entry;
  GtkLabel          *message;
  GtkDrawingArea    *canvas;
  GtkButton         *back_button;
  GtkToggleButton   *play_button;
  GtkButton         *forward_button;
  GtkLabel          *position_label;
  GtkLabel          *readout;

  /* input */
  TriadModel        *encdec;         /* owned by the application */
  TriadModel        *decoder;
  char              *text;
  char              *target;         /* NULL: the model's own translation */
  GCancellable      *cancellable;
  gboolean           busy;
  guint              target_id;      /* the Target entry's debounce */
  guint              play_id;
  gboolean           playing;
  gboolean           settings_bound;

  /* what is shown */
  TriadCrossView    *view;
  TriadPromptView   *prompt;
  char             **src_labels;
  char             **tgt_labels;
  char             **en_labels;      /* the prompt's English tokens */
  char             **ru_labels;      /* its query rows */

  /* controls */
  TriadCrossDisplay  display;
  int                layer;
  int                head;           /* -1: the mean of the heads */
  int                prompt_layer;
  int                position;       /* target tokens decoded, 1 … n */
  char              *colormap;
  double             font_scale;
  gboolean           syncing;

  /* the figures, rebuilt from the above by refresh () */
  float             *enc_w;
  float             *dec_w;
  float             *cross_w;
  float             *prompt_w;
  char              *title;
  char              *captions[TRIAD_CROSS_N_PANELS];
  char              *pair_captions[2];
  char              *pair_notes[2];
  TriadCrossFigure   fig;
  TriadAlignment     align;
  TriadPanelPair     pair;
  TriadCrossHover    hover;
  TriadCrossPanel    cell_panel;
  int                cell_row;
  int                cell_col;
  char              *readout_text;
};

static void triad_cross_page_view_init (TriadViewInterface *iface);

G_DEFINE_FINAL_TYPE_WITH_CODE (TriadCrossPage, triad_cross_page, GTK_TYPE_WIDGET,
                               G_IMPLEMENT_INTERFACE (TRIAD_TYPE_VIEW, triad_cross_page_view_init))

enum {
  PROP_0,
  PROP_DISPLAY,
  PROP_LAYER,
  PROP_HEAD,
  PROP_PROMPT_LAYER,
  PROP_POSITION,
  PROP_TARGET,
  PROP_PLAYING,
  PROP_COLORMAP,
  PROP_FONT_SCALE,
  PROP_READOUT,
  N_PROPS,
  PROP_BUSY = N_PROPS,      /* TriadView's */
};

static GParamSpec *properties[N_PROPS];

static const char * const display_ids[] = { "heatmaps", "alignment", "prompt" };

static void refresh (TriadCrossPage *self);
static void schedule (TriadCrossPage *self);
static void sync_controls (TriadCrossPage *self);
static void update_readout (TriadCrossPage *self);
static void set_playing (TriadCrossPage *self, gboolean playing);

GtkWidget *
triad_cross_page_new (void)
{
  return g_object_new (TRIAD_TYPE_CROSS_PAGE, NULL);
}

gboolean
triad_cross_page_get_busy (TriadCrossPage *self)
{
  return self->busy;
}

const TriadCrossView *
triad_cross_page_get_view (TriadCrossPage *self)
{
  return self->view;
}

const TriadPromptView *
triad_cross_page_get_prompt_view (TriadCrossPage *self)
{
  return self->prompt;
}

int
triad_cross_page_get_position (TriadCrossPage *self)
{
  return self->position;
}

int
triad_cross_page_get_n_positions (TriadCrossPage *self)
{
  return self->view != NULL ? self->view->tgt->n : 0;
}

TriadCrossDisplay
triad_cross_page_get_display (TriadCrossPage *self)
{
  return self->display;
}

void
triad_cross_page_set_display (TriadCrossPage    *self,
                              TriadCrossDisplay  display)
{
  g_return_if_fail (display <= TRIAD_CROSS_DISPLAY_PROMPT);
  g_object_set (self, "display", display_ids[display], NULL);
}

const TriadCrossFigure *
triad_cross_page_get_figure (TriadCrossPage *self)
{
  return &self->fig;
}

const TriadAlignment *
triad_cross_page_get_alignment (TriadCrossPage *self)
{
  return &self->align;
}

const TriadPanelPair *
triad_cross_page_get_pair (TriadCrossPage *self)
{
  return &self->pair;
}

GtkWidget *
triad_cross_page_get_canvas (TriadCrossPage *self)
{
  return GTK_WIDGET (self->canvas);
}

void
triad_cross_page_get_hover (TriadCrossPage  *self,
                            TriadCrossHover *hover)
{
  *hover = self->hover;
}

const char *
triad_cross_page_get_readout (TriadCrossPage *self)
{
  return self->readout_text;
}

static void
set_busy (TriadCrossPage *self,
          gboolean        busy)
{
  if (self->busy == busy)
    return;
  self->busy = busy;
  g_object_notify (G_OBJECT (self), "busy");
}

/* ---- computing ----------------------------------------------------------------------- */

typedef struct {
  TriadModel *encdec;
  TriadModel *decoder;
  char       *text;
  char       *target;
} Request;

typedef struct {
  TriadCrossView  *view;
  TriadPromptView *prompt;
} Result;

static void
request_free (Request *r)
{
  g_free (r->text);
  g_free (r->target);
  g_free (r);
}

static void
result_free (Result *r)
{
  triad_cross_view_free (r->view);
  triad_prompt_view_free (r->prompt);
  g_free (r);
}

static void
compute_thread (GTask        *task,
                gpointer      source,
                gpointer      data,
                GCancellable *cancellable)
{
  Request *r = data;
  GError *error = NULL;
  Result *result = g_new0 (Result, 1);

  result->view = triad_cross_view_compute (r->encdec, r->text, r->target, cancellable, &error);
  if (result->view != NULL && r->decoder != NULL)
    result->prompt = triad_prompt_view_compute (r->decoder, r->text, r->target, cancellable,
                                                &error);
  if (result->view == NULL || (r->decoder != NULL && result->prompt == NULL))
    {
      result_free (result);
      g_task_return_error (task, error);
      return;
    }
  g_task_return_pointer (task, result, (GDestroyNotify) result_free);
}

static char **
labels_of (const TriadModel    *model,
           const TriadEncoding *enc,
           int                  from,
           int                  to)
{
  char **labels = g_new0 (char *, MAX (to - from, 0) + 1);

  for (int i = from; i < to; i++)
    labels[i - from] = triad_tokenizer_display (model->tokenizer, enc->ids[i]);
  return labels;
}

static void
clear_result (TriadCrossPage *self)
{
  g_clear_pointer (&self->view, triad_cross_view_free);
  g_clear_pointer (&self->prompt, triad_prompt_view_free);
  g_clear_pointer (&self->src_labels, g_strfreev);
  g_clear_pointer (&self->tgt_labels, g_strfreev);
  g_clear_pointer (&self->en_labels, g_strfreev);
  g_clear_pointer (&self->ru_labels, g_strfreev);
}

static void
compute_done (GObject      *source,
              GAsyncResult *res,
              gpointer      user_data)
{
  TriadCrossPage *self = TRIAD_CROSS_PAGE (source);
  g_autoptr(GError) error = NULL;
  Result *result = g_task_propagate_pointer (G_TASK (res), &error);
  int n;

  if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    return;
  set_busy (self, FALSE);
  if (result == NULL)
    {
      /* the previous figure stays; the window shows the message */
      triad_view_report (TRIAD_VIEW (self), self->message, error->message);
      return;
    }
  triad_view_report (TRIAD_VIEW (self), self->message, NULL);
  set_playing (self, FALSE);
  clear_result (self);
  self->view = g_steal_pointer (&result->view);
  self->prompt = g_steal_pointer (&result->prompt);
  result_free (result);

  self->src_labels = labels_of (self->encdec, self->view->src, 0, self->view->src->n);
  self->tgt_labels = labels_of (self->encdec, self->view->tgt, 0, self->view->tgt->n);
  if (self->prompt != NULL)
    {
      self->en_labels = labels_of (self->decoder, self->prompt->tokens, self->prompt->en_start,
                                   self->prompt->en_end);
      self->ru_labels = labels_of (self->decoder, self->prompt->tokens, self->prompt->ru_start,
                                   self->prompt->ru_end);
    }
  /* a new translation shows whole; stepping goes back from there */
  n = self->view->tgt->n;
  self->hover.src = self->hover.tgt = -1;
  self->cell_panel = TRIAD_CROSS_N_PANELS;
  if (self->position != n)
    {
      self->position = n;
      g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_POSITION]);
    }
  sync_controls (self);
  refresh (self);
}

static void
schedule (TriadCrossPage *self)
{
  g_autoptr(GTask) task = NULL;
  Request *r;

  if (self->encdec == NULL || self->text == NULL)
    return;
  g_cancellable_cancel (self->cancellable);
  g_clear_object (&self->cancellable);
  self->cancellable = g_cancellable_new ();

  r = g_new0 (Request, 1);
  r->encdec = self->encdec;
  r->decoder = self->decoder;
  r->text = g_strdup (self->text);
  r->target = g_strdup (self->target);
  task = g_task_new (self, self->cancellable, compute_done, NULL);
  g_task_set_task_data (task, r, (GDestroyNotify) request_free);
  g_task_set_return_on_cancel (task, TRUE);
  set_busy (self, TRUE);
  g_task_run_in_thread (task, compute_thread);
}

void
triad_cross_page_set_input (TriadCrossPage *self,
                            TriadModel     *encdec,
                            TriadModel     *decoder,
                            const char     *text)
{
  g_return_if_fail (TRIAD_IS_CROSS_PAGE (self));
  g_return_if_fail (encdec != NULL);

  if (self->encdec == encdec && self->decoder == decoder && g_strcmp0 (self->text, text) == 0
      && (self->view != NULL || self->busy))
    return;
  if (self->encdec != encdec)
    {
      self->encdec = encdec;
      self->layer = encdec->config.n_dec_layers - 1;
      self->head = MIN (self->head, encdec->config.n_heads - 1);
      g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_LAYER]);
    }
  if (self->decoder != decoder)
    {
      self->decoder = decoder;
      if (decoder != NULL)
        {
          self->prompt_layer = decoder->config.n_dec_layers - 1;
          g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_PROMPT_LAYER]);
        }
    }
  g_free (self->text);
  self->text = g_strdup (text);
  sync_controls (self);
  schedule (self);
}

/* ---- the figures --------------------------------------------------------------------- */

static TriadColormap
colormap (TriadCrossPage *self)
{
  TriadColormap cmap = TRIAD_COLORMAP_VIRIDIS;

  triad_colormap_from_string (self->colormap, &cmap);
  return cmap;
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

static const float *
matrix (TriadCrossPage *self,
        TriadAttnKind   kind,
        int             layer,
        float         **buffer)
{
  int n_q, n_k;

  triad_cross_view_shape (self->view, kind, &n_q, &n_k);
  *buffer = g_renew (float, *buffer, (size_t) MAX (n_q * n_k, 1));
  layer = CLAMP (layer, 0, triad_cross_view_n_layers (self->view, kind) - 1);
  return triad_cross_view_matrix (self->view, kind, layer, self->head, *buffer);
}

static void
clear_strings (TriadCrossPage *self)
{
  g_clear_pointer (&self->title, g_free);
  for (int i = 0; i < TRIAD_CROSS_N_PANELS; i++)
    g_clear_pointer (&self->captions[i], g_free);
  for (int i = 0; i < 2; i++)
    {
      g_clear_pointer (&self->pair_captions[i], g_free);
      g_clear_pointer (&self->pair_notes[i], g_free);
    }
}

static void
build_figures (TriadCrossPage *self)
{
  const TriadCrossView *v = self->view;
  g_autofree char *heads = NULL;
  int S, T, t, enc_layer, n_heads;

  clear_strings (self);
  memset (&self->fig, 0, sizeof self->fig);
  memset (&self->align, 0, sizeof self->align);
  memset (&self->pair, 0, sizeof self->pair);
  self->fig.cell_panel = TRIAD_CROSS_N_PANELS;
  self->fig.hover.src = self->fig.hover.tgt = -1;
  self->align.hover = self->fig.hover;
  self->pair.hover_panel = -1;
  if (v == NULL)
    return;

  S = v->src->n;
  T = v->tgt->n;
  t = CLAMP (self->position, 0, T);
  n_heads = v->n_heads;
  heads = head_words (self->head, n_heads);
  enc_layer = MIN (self->layer, v->n_enc_layers - 1);

  /* TRANSLATORS: a figure's title: the model, how the target came about, the layer and the
   * head(s), e.g. "Encoder-decoder · its own translation · layer 2 · head 1" */
  self->title = g_strdup_printf (_("Encoder-decoder · %s · layer %d · %s"),
                                 v->generated ? _("its own translation")
                                 : _("your target, teacher forcing"),
                                 self->layer, heads);
  if (enc_layer != self->layer)
    /* TRANSLATORS: caption of a panel when the encoder has fewer layers than the decoder */
    self->captions[TRIAD_CROSS_PANEL_ENCODER] =
      g_strdup_printf (_("Encoder self-attention · bidirectional · layer %d"), enc_layer);

  self->fig = (TriadCrossFigure) {
    .enc_self = matrix (self, TRIAD_ATTN_ENCODER_SELF, enc_layer, &self->enc_w),
    .dec_self = matrix (self, TRIAD_ATTN_DECODER_SELF, self->layer, &self->dec_w),
    .cross = matrix (self, TRIAD_ATTN_CROSS, self->layer, &self->cross_w),
    .n_src = S, .n_tgt = T, .n_shown = t,
    .src_labels = (const char * const *) self->src_labels,
    .tgt_labels = (const char * const *) self->tgt_labels,
    .title = self->title,
    .cmap = colormap (self),
    .hover = self->hover,
    .cell_panel = self->cell_panel, .cell_row = self->cell_row, .cell_col = self->cell_col,
    .show_gauge = TRUE,
    .gauge = {
      .self_positions = t, .self_positions_max = T,
      .self_bytes = t > 0 ? v->kv_bytes[t - 1] : 0,
      .cross_positions = S,
      .cross_bytes = v->cross_bytes[MAX (t - 1, 0)],
    },
  };
  for (int i = 0; i < TRIAD_CROSS_N_PANELS; i++)
    self->fig.captions[i] = self->captions[i];

  self->align = (TriadAlignment) {
    .weights = self->fig.cross, .n_src = S, .n_tgt = T, .n_shown = t,
    .src_labels = self->fig.src_labels, .tgt_labels = self->fig.tgt_labels,
    .title = self->title,
    /* TRANSLATORS: caption of the row of source tokens in the alignment figure */
    .src_caption = _("English source · the encoder’s output, read as keys and values"),
    /* TRANSLATORS: caption of the row of target tokens in the alignment figure */
    .tgt_caption = _("Russian target · the decoder’s queries, each predicting the word "
                      "after it"),
    .hover = self->hover,
  };

  if (self->prompt != NULL)
    {
      const TriadPromptView *p = self->prompt;
      int rows = p->ru_end - p->ru_start, cols = p->en_end - p->en_start;
      int layer = CLAMP (self->prompt_layer, 0, p->n_layers - 1);
      double share = triad_prompt_view_english_share (p, layer, self->head);
      g_autofree char *p_heads = head_words (self->head, p->n_heads);

      self->prompt_w = g_renew (float, self->prompt_w, (size_t) MAX (rows * cols, 1));
      triad_prompt_view_block (p, layer, self->head, self->prompt_w);
      self->pair_captions[0] =
        /* TRANSLATORS: caption of a panel: the decoder-only model's self-attention, rows of
         * its Russian tokens, columns of the English tokens of its prompt */
        g_strdup_printf (_("Decoder-only by prompt · layer %d · %s: Russian → English"),
                         layer, p_heads);
      self->pair_captions[1] =
        /* TRANSLATORS: caption of a panel: the encoder-decoder's cross-attention */
        g_strdup_printf (_("Encoder-decoder cross-attention · layer %d · %s"), self->layer,
                         heads);
      self->pair_notes[0] =
        /* TRANSLATORS: %.0f%% is a percentage such as "62%"; the rest of the attention goes
         * to the prompt's markers and to the Russian tokens before */
        g_strdup_printf (_("%.0f%% of these rows’ attention reaches back to the English"),
                         100.0 * share);
      self->pair_notes[1] = g_strdup (_("All of it goes to the source: cross-attention sees "
                                        "only the encoder"));
      self->pair = (TriadPanelPair) {
        .panels = {
          {
            .weights = self->prompt_w, .n_q = rows, .n_k = cols,
            /* its own translation may be longer: all of it once the other is whole */
            .n_shown = t >= T ? rows : MIN (t, rows),
            .q_labels = (const char * const *) self->ru_labels,
            .k_labels = (const char * const *) self->en_labels,
            .caption = self->pair_captions[0], .note = self->pair_notes[0],
          },
          {
            .weights = self->fig.cross, .n_q = T, .n_k = S, .n_shown = t,
            .q_labels = self->fig.tgt_labels, .k_labels = self->fig.src_labels,
            .caption = self->pair_captions[1], .note = self->pair_notes[1],
          },
        },
        /* TRANSLATORS: the title of the comparison of the two architectures */
        .title = p->generated ? _("One architecture doing the other’s job: translation by "
                                  "prompt, and by cross-attention")
                              : _("One architecture doing the other’s job, on your target"),
        .cmap = colormap (self),
        .hover_panel = -1, .hover_row = -1, .hover_col = -1,
      };
    }
}

/* The hover as the figures keep it. */
static void
apply_hover (TriadCrossPage *self)
{
  self->fig.hover = self->hover;
  self->fig.cell_panel = self->cell_panel;
  self->fig.cell_row = self->cell_row;
  self->fig.cell_col = self->cell_col;
  self->align.hover = self->hover;
}

static void
update_position (TriadCrossPage *self)
{
  int n = triad_cross_page_get_n_positions (self);
  g_autofree char *text = NULL;

  if (n > 0)
    /* TRANSLATORS: the decoding position, e.g. "3 of 6 target tokens" */
    text = g_strdup_printf (g_dngettext (GETTEXT_PACKAGE, "%d of %d target token",
                                         "%d of %d target tokens", n), self->position, n);
  gtk_label_set_text (self->position_label, text != NULL ? text : "");
  gtk_widget_set_sensitive (GTK_WIDGET (self->back_button), n > 0 && self->position > 1);
  gtk_widget_set_sensitive (GTK_WIDGET (self->forward_button), n > 0 && self->position < n);
  gtk_widget_set_sensitive (GTK_WIDGET (self->play_button), n > 1);
}

static void
refresh (TriadCrossPage *self)
{
  build_figures (self);
  apply_hover (self);
  update_position (self);
  update_readout (self);
  gtk_widget_queue_draw (GTK_WIDGET (self->canvas));
}

/* ---- drawing ------------------------------------------------------------------------- */

static void
rgba_to (const GdkRGBA *c,
         double         out[4])
{
  out[0] = c->red;
  out[1] = c->green;
  out[2] = c->blue;
  out[3] = c->alpha;
}

/* The theme's colours, as TriadFigureView takes them: text in the widget's colour, the
 * background left to the window, highlights in the accent. */
static void
get_style (TriadCrossPage   *self,
           TriadFigureStyle *style)
{
  GtkStyleContext *ctx = gtk_widget_get_style_context (GTK_WIDGET (self->canvas));
  GdkRGBA fg, accent;

  gtk_style_context_get_color (ctx, &fg);
  if (!gtk_style_context_lookup_color (ctx, "accent_color", &accent)
      && !gtk_style_context_lookup_color (ctx, "theme_selected_bg_color", &accent))
    gdk_rgba_parse (&accent, "#3584e4");
  triad_figure_style_init (style, FALSE);
  rgba_to (&fg, style->fg);
  rgba_to (&accent, style->accent);
  /* a dark theme's selection colour is too dark for lit labels on its background: lighten it
   * towards the light blue the figures' own dark style uses */
  if (fg.red + fg.green + fg.blue > 1.5
      && 0.2126 * accent.red + 0.7152 * accent.green + 0.0722 * accent.blue < 0.4)
    for (int i = 0; i < 3; i++)
      style->accent[i] += 0.45 * (1.0 - style->accent[i]);
  style->bg[3] = 0.0;
  style->font_scale = self->font_scale;
}

static gboolean
has_figure (TriadCrossPage *self)
{
  if (self->view == NULL)
    return FALSE;
  return self->display != TRIAD_CROSS_DISPLAY_PROMPT || self->prompt != NULL;
}

static void
draw (TriadCrossPage *self,
      cairo_t        *cr,
      double          width,
      double          height)
{
  TriadFigureStyle style;

  if (!has_figure (self))
    return;
  get_style (self, &style);
  switch (self->display)
    {
    case TRIAD_CROSS_DISPLAY_ALIGNMENT:
      triad_alignment_draw (cr, &self->align, &style, width, height);
      break;
    case TRIAD_CROSS_DISPLAY_PROMPT:
      triad_panel_pair_draw (cr, &self->pair, &style, width, height);
      break;
    case TRIAD_CROSS_DISPLAY_HEATMAPS:
    default:
      triad_cross_figure_draw (cr, &self->fig, &style, width, height);
      break;
    }
}

static void
canvas_draw (GtkDrawingArea *area,
             cairo_t        *cr,
             int             width,
             int             height,
             gpointer        user_data)
{
  TriadCrossPage *self = user_data;

  draw (self, cr, width, height);
  /* the keyboard focus, on screen only */
  if (gtk_widget_has_visible_focus (GTK_WIDGET (area)))
    {
      TriadFigureStyle style;

      get_style (self, &style);
      cairo_set_source_rgba (cr, style.accent[0], style.accent[1], style.accent[2], 0.6);
      cairo_set_line_width (cr, 2.0);
      cairo_rectangle (cr, 1.0, 1.0, width - 2.0, height - 2.0);
      cairo_stroke (cr);
    }
}

/* ---- hover and readout --------------------------------------------------------------- */

static void
set_readout (TriadCrossPage *self,
             char           *text)
{
  if (g_strcmp0 (self->readout_text, text) == 0)
    {
      g_free (text);
      return;
    }
  g_free (self->readout_text);
  self->readout_text = text;
  gtk_label_set_text (self->readout, text != NULL ? text : "");
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_READOUT]);
}

static char *
piece (TriadCrossPage *self,
       int             id)
{
  return triad_tokenizer_display (self->encdec->tokenizer, id);
}

/* The source token target row t attends to most, and its weight. */
static int
strongest_source (TriadCrossPage *self,
                  int             t,
                  float          *weight)
{
  const float *row = self->fig.cross + (size_t) t * self->fig.n_src;
  int best = 0;

  for (int i = 1; i < self->fig.n_src; i++)
    if (row[i] > row[best])
      best = i;
  *weight = row[best];
  return best;
}

static void
update_readout (TriadCrossPage *self)
{
  const TriadCrossView *v = self->view;
  int S, t;

  if (v == NULL)
    {
      set_readout (self, NULL);
      return;
    }
  S = v->src->n;
  t = self->position;

  /* a cell: its weight */
  if (self->display == TRIAD_CROSS_DISPLAY_HEATMAPS && self->cell_panel < TRIAD_CROSS_N_PANELS
      && self->cell_row >= 0 && self->cell_col >= 0)
    {
      const float *w = self->cell_panel == TRIAD_CROSS_PANEL_ENCODER ? self->fig.enc_self
                       : self->cell_panel == TRIAD_CROSS_PANEL_DECODER ? self->fig.dec_self
                       : self->fig.cross;
      int n_k = self->cell_panel == TRIAD_CROSS_PANEL_DECODER ? self->fig.n_tgt : S;
      char **q = self->cell_panel == TRIAD_CROSS_PANEL_ENCODER ? self->src_labels
                 : self->tgt_labels;
      char **k = self->cell_panel == TRIAD_CROSS_PANEL_DECODER ? self->tgt_labels
                 : self->src_labels;
      const char *names[] = {
        N_("Encoder self-attention"), N_("Decoder self-attention"), N_("Cross-attention")
      };

      g_autofree char *weight = triad_format_double (w[(size_t) self->cell_row * n_k
                                                       + self->cell_col], 3);

      set_readout (self, g_strdup_printf (_("%s: query “%s” (%d) → key “%s” (%d): weight %s"),
                                          _(names[self->cell_panel]),
                                          q[self->cell_row], self->cell_row,
                                          k[self->cell_col], self->cell_col, weight));
      return;
    }
  if (self->display == TRIAD_CROSS_DISPLAY_PROMPT && self->pair.hover_panel >= 0
      && self->pair.hover_row >= 0 && self->pair.hover_col >= 0)
    {
      const TriadPanel *p = &self->pair.panels[self->pair.hover_panel];
      g_autofree char *weight = triad_format_double (p->weights[(size_t) self->pair.hover_row
                                                                * p->n_k
                                                                + self->pair.hover_col], 3);

      set_readout (self, g_strdup_printf (_("Query “%s” (%d) → key “%s” (%d): weight %s"),
                                          p->q_labels[self->pair.hover_row], self->pair.hover_row,
                                          p->k_labels[self->pair.hover_col], self->pair.hover_col,
                                          weight));
      return;
    }
  /* a target token: where it looks */
  if (self->hover.tgt >= 0 && self->hover.tgt < t)
    {
      float w;
      int best = strongest_source (self, self->hover.tgt, &w);
      g_autofree char *weight = triad_format_double (w, 3);

      set_readout (self, g_strdup_printf (_("Target token “%s” (%d) attends most to the source "
                                            "token “%s” (%d): weight %s"),
                                          self->tgt_labels[self->hover.tgt], self->hover.tgt,
                                          self->src_labels[best], best, weight));
      return;
    }
  if (self->hover.src >= 0 && self->hover.src < S)
    {
      set_readout (self, g_strdup_printf (_("Source token “%s” (%d)"),
                                          self->src_labels[self->hover.src], self->hover.src));
      return;
    }
  /* else the step: what the decoder read and what it would write next */
  if (t >= 1 && t <= v->tgt->n)
    {
      g_autofree char *read = piece (self, v->tgt->ids[t - 1]);
      g_autofree char *next = piece (self, v->predicted[t - 1]);
      g_autofree char *p = triad_format_double (v->predicted_p[t - 1], 2);

      set_readout (self, g_strdup_printf (_("Step %d: the decoder reads “%s” and would write "
                                            "“%s” next (p = %s)"), t, read, next, p));
    }
  else
    set_readout (self, NULL);
}

static void
set_hover (TriadCrossPage        *self,
           const TriadCrossHover *hover,
           TriadCrossPanel        cell_panel,
           int                    cell_row,
           int                    cell_col)
{
  self->hover = *hover;
  self->cell_panel = cell_panel;
  self->cell_row = cell_row;
  self->cell_col = cell_col;
  apply_hover (self);
  update_readout (self);
  gtk_widget_queue_draw (GTK_WIDGET (self->canvas));
}

gboolean
triad_cross_page_hover_at (TriadCrossPage *self,
                           double          x,
                           double          y)
{
  GtkWidget *canvas = GTK_WIDGET (self->canvas);
  double width = gtk_widget_get_width (canvas), height = gtk_widget_get_height (canvas);
  TriadCrossHover none = { -1, -1 };
  TriadFigureStyle style;

  g_return_val_if_fail (TRIAD_IS_CROSS_PAGE (self), FALSE);

  if (!has_figure (self))
    return FALSE;
  get_style (self, &style);
  switch (self->display)
    {
    case TRIAD_CROSS_DISPLAY_ALIGNMENT:
      {
        TriadCrossHover hover;
        gboolean hit = triad_alignment_hit (&self->align, &style, width, height, x, y, &hover);

        set_hover (self, &hover, TRIAD_CROSS_N_PANELS, -1, -1);
        return hit;
      }
    case TRIAD_CROSS_DISPLAY_PROMPT:
      {
        int panel, row, col;
        gboolean hit = triad_panel_pair_hit (&self->pair, &style, width, height, x, y,
                                             &panel, &row, &col);

        self->pair.hover_panel = panel;
        self->pair.hover_row = row;
        self->pair.hover_col = col;
        /* the encoder-decoder's rows and columns are its target and source tokens */
        none.tgt = panel == 1 ? row : -1;
        none.src = panel == 1 ? col : -1;
        set_hover (self, &none, TRIAD_CROSS_N_PANELS, -1, -1);
        return hit;
      }
    case TRIAD_CROSS_DISPLAY_HEATMAPS:
    default:
      {
        TriadCrossHit hit;

        if (triad_cross_figure_hit (&self->fig, &style, width, height, x, y, &hit))
          {
            set_hover (self, &hit.hover, hit.row >= 0 && hit.col >= 0 ? hit.panel
                                                                    : TRIAD_CROSS_N_PANELS,
                       hit.row, hit.col);
            return TRUE;
          }
        set_hover (self, &none, TRIAD_CROSS_N_PANELS, -1, -1);
        return FALSE;
      }
    }
}

static void
motion (GtkEventControllerMotion *controller,
        double                    x,
        double                    y,
        TriadCrossPage           *self)
{
  triad_cross_page_hover_at (self, x, y);
}

static void
leave (GtkEventControllerMotion *controller,
       TriadCrossPage           *self)
{
  TriadCrossHover none = { -1, -1 };

  self->pair.hover_panel = self->pair.hover_row = self->pair.hover_col = -1;
  set_hover (self, &none, TRIAD_CROSS_N_PANELS, -1, -1);
}

static void
canvas_pressed (GtkGestureClick *gesture,
                int              n_press,
                double           x,
                double           y,
                TriadCrossPage  *self)
{
  gtk_widget_grab_focus (GTK_WIDGET (self->canvas));
}

static void
canvas_focus_changed (GtkEventControllerFocus *controller,
                      TriadCrossPage          *self)
{
  gtk_widget_queue_draw (GTK_WIDGET (self->canvas));
}

/* [ and ]: the previous or next target token lit; with Shift, the source tokens. A target
 * and a source token lit together meet in a cell of the cross-attention. */
static void
move_token (TriadCrossPage *self,
            gboolean        source,
            int             delta)
{
  TriadCrossHover hover = self->hover;
  int n, cur;

  if (self->view == NULL)
    return;
  n = source ? self->view->src->n : CLAMP (self->position, 0, self->view->tgt->n);
  if (n <= 0)
    return;
  cur = source ? self->hover.src : self->hover.tgt;
  cur = cur < 0 ? (delta > 0 ? 0 : n - 1) : CLAMP (cur + delta, 0, n - 1);
  if (source)
    hover.src = cur;
  else
    hover.tgt = cur;
  self->pair.hover_panel = 1;
  self->pair.hover_row = hover.tgt;
  self->pair.hover_col = hover.src;
  set_hover (self, &hover, TRIAD_CROSS_N_PANELS, -1, -1);
}

/* ---- stepping ------------------------------------------------------------------------ */

static void
set_position (TriadCrossPage *self,
              int             position)
{
  int n = triad_cross_page_get_n_positions (self);

  if (n <= 0)
    return;
  position = CLAMP (position, 1, n);
  if (position == self->position)
    return;
  self->position = position;
  /* a token not decoded yet cannot stay lit */
  if (self->hover.tgt >= position)
    self->hover.tgt = -1;
  if (self->cell_panel != TRIAD_CROSS_PANEL_ENCODER && self->cell_row >= position)
    self->cell_panel = TRIAD_CROSS_N_PANELS;
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_POSITION]);
  refresh (self);
}

void
triad_cross_page_step (TriadCrossPage *self,
                       int             delta)
{
  g_return_if_fail (TRIAD_IS_CROSS_PAGE (self));

  set_position (self, self->position + delta);
}

static gboolean
play_tick (gpointer data)
{
  TriadCrossPage *self = data;

  triad_cross_page_step (self, 1);
  if (self->position < triad_cross_page_get_n_positions (self))
    return G_SOURCE_CONTINUE;
  /* at the end: the source goes with this return */
  self->play_id = 0;
  set_playing (self, FALSE);
  return G_SOURCE_REMOVE;
}

static void
set_playing (TriadCrossPage *self,
             gboolean        playing)
{
  gboolean was = self->playing;

  playing = playing && triad_cross_page_get_n_positions (self) > 1;
  self->playing = playing;
  if (playing && !was)
    {
      /* from the start when at the end */
      if (self->position >= triad_cross_page_get_n_positions (self))
        set_position (self, 1);
      self->play_id = g_timeout_add (PLAY_INTERVAL_MS, play_tick, self);
    }
  else if (!playing)
    g_clear_handle_id (&self->play_id, g_source_remove);
  self->syncing = TRUE;
  gtk_toggle_button_set_active (self->play_button, playing);
  gtk_button_set_icon_name (GTK_BUTTON (self->play_button),
                            playing ? "media-playback-pause-symbolic"
                                    : "media-playback-start-symbolic");
  self->syncing = FALSE;
  if (playing != was)
    g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_PLAYING]);
}

/* ---- controls ------------------------------------------------------------------------ */

static void
sync_controls (TriadCrossPage *self)
{
  self->syncing = TRUE;
  if (self->encdec != NULL)
    {
      int n_layers = self->encdec->config.n_dec_layers, n_heads = self->encdec->config.n_heads;

      if (triad_drop_down_n_items (self->layer_dropdown) != (guint) n_layers)
        {
          g_autoptr(GtkStringList) layers = triad_numbered_list (NULL, _("Layer %d"), n_layers);
          gtk_drop_down_set_model (self->layer_dropdown, G_LIST_MODEL (layers));
        }
      if (triad_drop_down_n_items (self->head_dropdown) != (guint) n_heads + 1)
        {
          /* TRANSLATORS: in the list of heads: the mean of every head of the layer */
          g_autoptr(GtkStringList) heads = triad_numbered_list (_("Mean of heads"), _("Head %d"),
                                                          n_heads);
          gtk_drop_down_set_model (self->head_dropdown, G_LIST_MODEL (heads));
        }
      gtk_drop_down_set_selected (self->layer_dropdown, self->layer);
      gtk_drop_down_set_selected (self->head_dropdown, self->head + 1);
    }
  if (self->decoder != NULL)
    {
      int n_layers = self->decoder->config.n_dec_layers;

      if (triad_drop_down_n_items (self->prompt_layer_dropdown) != (guint) n_layers)
        {
          /* TRANSLATORS: in the list of layers of the decoder-only model */
          g_autoptr(GtkStringList) layers = triad_numbered_list (NULL, _("Decoder-only layer %d"),
                                                           n_layers);
          gtk_drop_down_set_model (self->prompt_layer_dropdown, G_LIST_MODEL (layers));
        }
      gtk_drop_down_set_selected (self->prompt_layer_dropdown, self->prompt_layer);
    }
  gtk_widget_set_visible (GTK_WIDGET (self->prompt_layer_dropdown),
                          self->display == TRIAD_CROSS_DISPLAY_PROMPT && self->decoder != NULL);
  gtk_toggle_button_set_active (self->heatmaps_button,
                                self->display == TRIAD_CROSS_DISPLAY_HEATMAPS);
  gtk_toggle_button_set_active (self->alignment_button,
                                self->display == TRIAD_CROSS_DISPLAY_ALIGNMENT);
  gtk_toggle_button_set_active (self->prompt_button, self->display == TRIAD_CROSS_DISPLAY_PROMPT);
  {
    /* only when it says something else: spaces typed at the end stay while typing */
    const char *typed = gtk_editable_get_text (GTK_EDITABLE (self->target_entry));
    g_autofree char *shown = g_strstrip (g_strdup (typed));

    if (g_strcmp0 (shown, self->target != NULL ? self->target : "") != 0)
      gtk_editable_set_text (GTK_EDITABLE (self->target_entry),
                             self->target != NULL ? self->target : "");
  }
  self->syncing = FALSE;
}

static void
display_toggled (GtkToggleButton *button,
                 TriadCrossPage  *self)
{
  if (self->syncing || !gtk_toggle_button_get_active (button))
    return;
  g_object_set (self, "display",
                button == self->alignment_button ? "alignment"
                : button == self->prompt_button ? "prompt" : "heatmaps", NULL);
}

static void
layer_selected (GtkDropDown    *dd,
                GParamSpec     *pspec,
                TriadCrossPage *self)
{
  if (!self->syncing && gtk_drop_down_get_selected (dd) != GTK_INVALID_LIST_POSITION)
    g_object_set (self, "layer", (int) gtk_drop_down_get_selected (dd), NULL);
}

static void
head_selected (GtkDropDown    *dd,
               GParamSpec     *pspec,
               TriadCrossPage *self)
{
  if (!self->syncing && gtk_drop_down_get_selected (dd) != GTK_INVALID_LIST_POSITION)
    g_object_set (self, "head", (int) gtk_drop_down_get_selected (dd) - 1, NULL);
}

static void
prompt_layer_selected (GtkDropDown    *dd,
                       GParamSpec     *pspec,
                       TriadCrossPage *self)
{
  if (!self->syncing && gtk_drop_down_get_selected (dd) != GTK_INVALID_LIST_POSITION)
    g_object_set (self, "prompt-layer", (int) gtk_drop_down_get_selected (dd), NULL);
}

static gboolean
target_debounced (gpointer data)
{
  TriadCrossPage *self = data;
  const char *text = gtk_editable_get_text (GTK_EDITABLE (self->target_entry));

  self->target_id = 0;
  g_object_set (self, "target", text, NULL);
  return G_SOURCE_REMOVE;
}

static void
target_changed (GtkEditable    *editable,
                TriadCrossPage *self)
{
  g_strfreev (triad_vocabulary_mark (self->target_entry));
  if (self->syncing)
    return;
  g_clear_handle_id (&self->target_id, g_source_remove);
  self->target_id = g_timeout_add (TARGET_DEBOUNCE_MS, target_debounced, self);
}

static void
back_clicked (GtkButton      *button,
              TriadCrossPage *self)
{
  set_playing (self, FALSE);
  triad_cross_page_step (self, -1);
}

static void
forward_clicked (GtkButton      *button,
                 TriadCrossPage *self)
{
  set_playing (self, FALSE);
  triad_cross_page_step (self, 1);
}

static void
play_toggled (GtkToggleButton *button,
              TriadCrossPage  *self)
{
  if (!self->syncing)
    set_playing (self, gtk_toggle_button_get_active (button));
}

static gboolean
key_binding (GtkWidget *widget,
             GVariant  *args,
             gpointer   user_data)
{
  TriadCrossPage *self = TRIAD_CROSS_PAGE (widget);
  const char *what;
  int delta;

  g_variant_get (args, "(&si)", &what, &delta);
  if (g_str_equal (what, "step"))
    {
      set_playing (self, FALSE);
      triad_cross_page_step (self, delta);
    }
  else if (g_str_equal (what, "end"))
    {
      set_playing (self, FALSE);
      set_position (self, delta < 0 ? 1 : triad_cross_page_get_n_positions (self));
    }
  else if (g_str_equal (what, "play"))
    set_playing (self, !self->playing);
  else if (g_str_equal (what, "layer") && self->encdec != NULL)
    g_object_set (self, "layer",
                  CLAMP (self->layer + delta, 0, self->encdec->config.n_dec_layers - 1), NULL);
  else if (g_str_equal (what, "target-token"))
    move_token (self, FALSE, delta);
  else if (g_str_equal (what, "source-token"))
    move_token (self, TRUE, delta);
  return TRUE;
}

/* ---- GObject ------------------------------------------------------------------------- */

static void
triad_cross_page_set_property (GObject      *object,
                               guint         prop_id,
                               const GValue *value,
                               GParamSpec   *pspec)
{
  TriadCrossPage *self = TRIAD_CROSS_PAGE (object);
  gboolean changed = FALSE;

  switch (prop_id)
    {
    case PROP_DISPLAY:
      for (guint i = 0; i < G_N_ELEMENTS (display_ids); i++)
        if (g_strcmp0 (g_value_get_string (value), display_ids[i]) == 0 && self->display != i)
          {
            self->display = i;
            changed = TRUE;
          }
      break;
    case PROP_LAYER:
      {
        int v = g_value_get_int (value);
        int n = self->encdec != NULL ? self->encdec->config.n_dec_layers : 1;
        if (v >= 0 && v < n && v != self->layer)
          self->layer = v, changed = TRUE;
      }
      break;
    case PROP_HEAD:
      {
        int v = g_value_get_int (value);
        int n = self->encdec != NULL ? self->encdec->config.n_heads : 1;
        if (v >= -1 && v < n && v != self->head)
          self->head = v, changed = TRUE;
      }
      break;
    case PROP_PROMPT_LAYER:
      {
        int v = g_value_get_int (value);
        int n = self->decoder != NULL ? self->decoder->config.n_dec_layers : 1;
        if (v >= 0 && v < n && v != self->prompt_layer)
          self->prompt_layer = v, changed = TRUE;
      }
      break;
    case PROP_POSITION:
      set_position (self, g_value_get_int (value));
      return;
    case PROP_PLAYING:
      set_playing (self, g_value_get_boolean (value));
      return;
    case PROP_TARGET:
      {
        g_autofree char *t = g_strstrip (g_strdup (g_value_get_string (value) != NULL
                                                   ? g_value_get_string (value) : ""));
        if (*t == '\0')
          g_clear_pointer (&t, g_free);
        if (g_strcmp0 (t, self->target) != 0)
          {
            g_free (self->target);
            self->target = g_steal_pointer (&t);
            g_object_notify_by_pspec (object, pspec);
            sync_controls (self);
            schedule (self);
          }
      }
      return;
    case PROP_COLORMAP:
      {
        TriadColormap c;
        if (triad_colormap_from_string (g_value_get_string (value), &c)
            && g_strcmp0 (self->colormap, g_value_get_string (value)) != 0)
          {
            g_free (self->colormap);
            self->colormap = g_value_dup_string (value);
            changed = TRUE;
          }
      }
      break;
    case PROP_FONT_SCALE:
      if (self->font_scale != g_value_get_double (value))
        {
          self->font_scale = g_value_get_double (value);
          changed = TRUE;
        }
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
      return;
    }
  if (!changed)
    return;
  g_object_notify_by_pspec (object, pspec);
  sync_controls (self);
  refresh (self);
}

static void
triad_cross_page_get_property (GObject    *object,
                               guint       prop_id,
                               GValue     *value,
                               GParamSpec *pspec)
{
  TriadCrossPage *self = TRIAD_CROSS_PAGE (object);

  switch (prop_id)
    {
    case PROP_BUSY: g_value_set_boolean (value, self->busy); break;
    case PROP_DISPLAY: g_value_set_string (value, display_ids[self->display]); break;
    case PROP_LAYER: g_value_set_int (value, self->layer); break;
    case PROP_HEAD: g_value_set_int (value, self->head); break;
    case PROP_PROMPT_LAYER: g_value_set_int (value, self->prompt_layer); break;
    case PROP_POSITION: g_value_set_int (value, self->position); break;
    case PROP_TARGET: g_value_set_string (value, self->target); break;
    case PROP_PLAYING: g_value_set_boolean (value, self->playing); break;
    case PROP_COLORMAP: g_value_set_string (value, self->colormap); break;
    case PROP_FONT_SCALE: g_value_set_double (value, self->font_scale); break;
    case PROP_READOUT: g_value_set_string (value, self->readout_text); break;
    default: G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
triad_cross_page_dispose (GObject *object)
{
  TriadCrossPage *self = TRIAD_CROSS_PAGE (object);

  g_cancellable_cancel (self->cancellable);
  g_clear_object (&self->cancellable);
  g_clear_handle_id (&self->target_id, g_source_remove);
  g_clear_handle_id (&self->play_id, g_source_remove);
  gtk_widget_dispose_template (GTK_WIDGET (self), TRIAD_TYPE_CROSS_PAGE);
  triad_view_unparent_children (GTK_WIDGET (self));
  G_OBJECT_CLASS (triad_cross_page_parent_class)->dispose (object);
}

static void
triad_cross_page_finalize (GObject *object)
{
  TriadCrossPage *self = TRIAD_CROSS_PAGE (object);

  clear_result (self);
  clear_strings (self);
  g_free (self->enc_w);
  g_free (self->dec_w);
  g_free (self->cross_w);
  g_free (self->prompt_w);
  g_free (self->readout_text);
  g_free (self->text);
  g_free (self->target);
  g_free (self->colormap);
  G_OBJECT_CLASS (triad_cross_page_parent_class)->finalize (object);
}

/* ---- TriadView ---------------------------------------------------------------------- */

static void
view_set_input (TriadView        *view,
                TriadApplication *app,
                TriadArch         arch,
                const char       *text)
{
  TriadCrossPage *self = TRIAD_CROSS_PAGE (view);
  g_autoptr(GError) error = NULL;
  TriadModel *encdec, *decoder;

  /* the header bar's model does not matter here: this view is the encoder-decoder's, with
   * the decoder-only model beside it */
  if (!self->settings_bound)
    {
      GSettings *settings = triad_application_get_settings (app);

      self->settings_bound = TRUE;
      if (settings != NULL)
        {
          g_settings_bind (settings, "figure-scale", self, "font-scale", G_SETTINGS_BIND_GET);
          g_settings_bind (settings, "colormap", self, "colormap", G_SETTINGS_BIND_GET);
        }
    }
  encdec = triad_application_get_model (app, TRIAD_ARCH_ENCDEC, &error);
  if (encdec == NULL)
    {
      triad_view_failed (view, error->message);
      return;
    }
  decoder = triad_application_get_model (app, TRIAD_ARCH_DECODER, NULL);
  triad_cross_page_set_input (self, encdec, decoder, text);
}

static gboolean
view_get_figure_size (TriadView *view,
                      double    *width,
                      double    *height)
{
  TriadCrossPage *self = TRIAD_CROSS_PAGE (view);

  *width = gtk_widget_get_width (GTK_WIDGET (self->canvas));
  *height = gtk_widget_get_height (GTK_WIDGET (self->canvas));
  return has_figure (self);
}

static void
view_draw_figure (TriadView *view,
                  cairo_t   *cr,
                  double     width,
                  double     height)
{
  draw (TRIAD_CROSS_PAGE (view), cr, width, height);
}

static void
view_step (TriadView *view,
           int        delta)
{
  triad_cross_page_step (TRIAD_CROSS_PAGE (view), delta);
}

static void
triad_cross_page_view_init (TriadViewInterface *iface)
{
  iface->set_input = view_set_input;
  iface->get_figure_size = view_get_figure_size;
  iface->draw_figure = view_draw_figure;
  iface->step = view_step;
}

static void
triad_cross_page_class_init (TriadCrossPageClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);
  const struct { guint key; GdkModifierType mods; const char *what; int delta; } keys[] = {
    { GDK_KEY_Right, 0, "step", 1 },
    { GDK_KEY_Left, 0, "step", -1 },
    { GDK_KEY_Home, 0, "end", -1 },
    { GDK_KEY_End, 0, "end", 1 },
    { GDK_KEY_space, 0, "play", 0 },
    { GDK_KEY_Down, 0, "layer", 1 },
    { GDK_KEY_Up, 0, "layer", -1 },
    { GDK_KEY_bracketright, 0, "target-token", 1 },
    { GDK_KEY_bracketleft, 0, "target-token", -1 },
    { GDK_KEY_braceright, GDK_SHIFT_MASK, "source-token", 1 },
    { GDK_KEY_braceleft, GDK_SHIFT_MASK, "source-token", -1 },
  };

  object_class->set_property = triad_cross_page_set_property;
  object_class->get_property = triad_cross_page_get_property;
  object_class->dispose = triad_cross_page_dispose;
  object_class->finalize = triad_cross_page_finalize;

  properties[PROP_DISPLAY] =
    g_param_spec_string ("display", NULL, NULL, "heatmaps",
                         G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  properties[PROP_LAYER] =
    g_param_spec_int ("layer", NULL, NULL, 0, G_MAXINT, 0,
                      G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  properties[PROP_HEAD] =
    g_param_spec_int ("head", NULL, NULL, -1, G_MAXINT, -1,
                      G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  properties[PROP_PROMPT_LAYER] =
    g_param_spec_int ("prompt-layer", NULL, NULL, 0, G_MAXINT, 0,
                      G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  properties[PROP_POSITION] =
    g_param_spec_int ("position", NULL, NULL, 0, G_MAXINT, 0,
                      G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  properties[PROP_TARGET] =
    g_param_spec_string ("target", NULL, NULL, NULL,
                         G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  properties[PROP_PLAYING] =
    g_param_spec_boolean ("playing", NULL, NULL, FALSE,
                          G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  properties[PROP_COLORMAP] =
    g_param_spec_string ("colormap", NULL, NULL, "viridis",
                         G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  properties[PROP_FONT_SCALE] =
    g_param_spec_double ("font-scale", NULL, NULL, 0.5, 4.0, 1.0,
                         G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  properties[PROP_READOUT] =
    g_param_spec_string ("readout", NULL, NULL, NULL,
                         G_PARAM_READABLE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  g_object_class_install_properties (object_class, N_PROPS, properties);
  g_object_class_override_property (object_class, PROP_BUSY, "busy");

  gtk_widget_class_set_template_from_resource (widget_class,
                                               "/org/triad/Triad/triad-cross-page.ui");
  gtk_widget_class_bind_template_child (widget_class, TriadCrossPage, heatmaps_button);
  gtk_widget_class_bind_template_child (widget_class, TriadCrossPage, alignment_button);
  gtk_widget_class_bind_template_child (widget_class, TriadCrossPage, prompt_button);
  gtk_widget_class_bind_template_child (widget_class, TriadCrossPage, layer_dropdown);
  gtk_widget_class_bind_template_child (widget_class, TriadCrossPage, head_dropdown);
  gtk_widget_class_bind_template_child (widget_class, TriadCrossPage, prompt_layer_dropdown);
  gtk_widget_class_bind_template_child (widget_class, TriadCrossPage, target_entry);
  gtk_widget_class_bind_template_child (widget_class, TriadCrossPage, message);
  gtk_widget_class_bind_template_child (widget_class, TriadCrossPage, canvas);
  gtk_widget_class_bind_template_child (widget_class, TriadCrossPage, back_button);
  gtk_widget_class_bind_template_child (widget_class, TriadCrossPage, play_button);
  gtk_widget_class_bind_template_child (widget_class, TriadCrossPage, forward_button);
  gtk_widget_class_bind_template_child (widget_class, TriadCrossPage, position_label);
  gtk_widget_class_bind_template_child (widget_class, TriadCrossPage, readout);
  gtk_widget_class_bind_template_callback (widget_class, display_toggled);
  gtk_widget_class_bind_template_callback (widget_class, layer_selected);
  gtk_widget_class_bind_template_callback (widget_class, head_selected);
  gtk_widget_class_bind_template_callback (widget_class, prompt_layer_selected);
  gtk_widget_class_bind_template_callback (widget_class, target_changed);
  gtk_widget_class_bind_template_callback (widget_class, back_clicked);
  gtk_widget_class_bind_template_callback (widget_class, forward_clicked);
  gtk_widget_class_bind_template_callback (widget_class, play_toggled);

  /* while the view has the focus (and the focused control does not take the key itself) */
  for (guint i = 0; i < G_N_ELEMENTS (keys); i++)
    gtk_widget_class_add_binding (widget_class, keys[i].key, keys[i].mods, key_binding, "(si)",
                                  keys[i].what, keys[i].delta);

  gtk_widget_class_set_layout_manager_type (widget_class, GTK_TYPE_BIN_LAYOUT);
  gtk_widget_class_set_css_name (widget_class, "crosspage");
}

static void
triad_cross_page_init (TriadCrossPage *self)
{
  GtkEventController *motion_ctl = gtk_event_controller_motion_new ();
  GtkEventController *focus_ctl = gtk_event_controller_focus_new ();
  GtkGesture *click = gtk_gesture_click_new ();

  self->head = -1;
  self->font_scale = 1.0;
  self->colormap = g_strdup ("viridis");
  self->hover.src = self->hover.tgt = -1;
  self->cell_panel = TRIAD_CROSS_N_PANELS;
  self->cell_row = self->cell_col = -1;
  gtk_widget_init_template (GTK_WIDGET (self));
  triad_vocabulary_add_completion (self->target_entry);

  gtk_drawing_area_set_draw_func (self->canvas, canvas_draw, self, NULL);
  g_signal_connect (motion_ctl, "motion", G_CALLBACK (motion), self);
  g_signal_connect (motion_ctl, "leave", G_CALLBACK (leave), self);
  gtk_widget_add_controller (GTK_WIDGET (self->canvas), motion_ctl);
  g_signal_connect (focus_ctl, "enter", G_CALLBACK (canvas_focus_changed), self);
  g_signal_connect (focus_ctl, "leave", G_CALLBACK (canvas_focus_changed), self);
  gtk_widget_add_controller (GTK_WIDGET (self->canvas), focus_ctl);
  g_signal_connect (click, "pressed", G_CALLBACK (canvas_pressed), self);
  gtk_widget_add_controller (GTK_WIDGET (self->canvas), GTK_EVENT_CONTROLLER (click));
  sync_controls (self);
  refresh (self);
}
