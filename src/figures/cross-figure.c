/* cross-figure.c — the Cross-attention view's three linked panels (the encoder's
 * self-attention, the decoder's, and the cross-attention between them) with the K/V gauge.
 * They are drawn as weights panels rather than three heatmaps so that the cross-attention
 * lines up with the encoder's columns and the decoder's rows. */
#include "config.h"

#include <math.h>
#include <string.h>
#include "engine/i18n.h"

#include "engine/numbers.h"
#include "figures/alignment.h"
#include "figures/weights-panel.h"

#define GAUGE_MIN_W  230.0
#define GAUGE_MIN_H  150.0
#define CELL_ASPECT_MAX  2.0  /* a cell at most twice as wide as it is tall, or as tall as wide */
#define LABEL_STEP_MAX     3  /* on a surface, token labels every third at most */

/* ---- what a hovered token lights ------------------------------------------------------ */

void
triad_cross_panel_lit (TriadCrossPanel        panel,
                       const TriadCrossHover *hover,
                       int                   *row,
                       int                   *col)
{
  *row = *col = -1;
  g_return_if_fail (hover != NULL);

  switch (panel)
    {
    case TRIAD_CROSS_PANEL_ENCODER:
      *row = *col = hover->src;
      break;
    case TRIAD_CROSS_PANEL_DECODER:
      *row = *col = hover->tgt;
      break;
    case TRIAD_CROSS_PANEL_CROSS:
      *row = hover->tgt;
      *col = hover->src;
      break;
    case TRIAD_CROSS_N_PANELS:
    default:
      break;
    }
  *row = MAX (*row, -1);
  *col = MAX (*col, -1);
}

/* ---- the three linked panels --------------------------------------------------------- */

typedef struct {
  TriadCrossLayout pub;
  double  title_y;
  double  src_w, tgt_w;     /* the widest labels, ellipsised; 0 without labels */
  double  label_max_w;
  double  band_top;         /* the encoder's column labels, gap included */
  double  band_bottom;      /* the bottom panels' column labels */
  double  tgt_col;          /* the decoder's row labels, gap included */
  double  mid_col;          /* the row labels between the left and right panels */
  double  global_max;
  double  cb_extra;
  double  fs;
  double  left_x, left_w;   /* the left column: the gauge over the decoder's panel */
} CrossGeometry;

static const char *
default_caption (TriadCrossPanel panel)
{
  switch (panel)
    {
    case TRIAD_CROSS_PANEL_ENCODER:
      /* TRANSLATORS: caption of a panel; the encoder sees the whole source at once */
      return _("Encoder self-attention · bidirectional");
    case TRIAD_CROSS_PANEL_DECODER:
      /* TRANSLATORS: caption of a panel; the decoder's self-attention is masked */
      return _("Decoder self-attention · causal");
    case TRIAD_CROSS_PANEL_CROSS:
    case TRIAD_CROSS_N_PANELS:
    default:
      /* TRANSLATORS: caption of a panel: target tokens (rows) attend to source tokens */
      return _("Cross-attention · target × source");
    }
}

static int
n_shown (const TriadCrossFigure *fig)
{
  return CLAMP (fig->n_shown, 0, fig->n_tgt);
}

static void
cross_geometry (const TriadCrossFigure *fig,
                TriadText              *text,
                double                  width,
                double                  height,
                CrossGeometry          *g)
{
  TriadCrossLayout *l = &g->pub;
  double fs = text->fs, pad = TRIAD_FIG_PAD * fs, gap = LABEL_GAP * fs, pgap = PANEL_GAP * fs;
  /* on a surface, labels never under its smallest type: where cells are shorter, none */
  double lo = triad_text_min (text, TRIAD_FIG_LABEL_MIN * fs);
  double hi = MAX (TRIAD_FIG_LABEL_MAX * fs, lo);
  double title_h, title_gap, cap_block, gw_min, gh_min, ws_hi = 0.0, wt_hi = 0.0;
  double cw = 0.0, ch = 0.0;
  double left_w, top_h, block_w, block_h, ox, oy, top_y;
  int S = fig->n_src, T = fig->n_tgt;
  gboolean show = TRUE;

  memset (g, 0, sizeof *g);
  g->fs = fs;
  g->label_max_w = MIN (LABEL_LIMIT * fs, 0.2 * width);
  title_h = triad_figure_title_height (text, fig->title);
  title_gap = title_h > 0.0 ? 8.0 * fs : 0.0;
  g->title_y = pad;
  if (S <= 0 || T <= 0 || fig->enc_self == NULL || fig->dec_self == NULL || fig->cross == NULL)
    return;

  g->global_max = triad_weights_max_of (fig->enc_self, (size_t) S * S, 0.0);
  g->global_max = triad_weights_max_of (fig->dec_self, (size_t) T * T, g->global_max);
  g->global_max = triad_weights_max_of (fig->cross, (size_t) T * S, g->global_max);
  g->cb_extra = (COLORBAR_GAP + COLORBAR_W) * fs
                + triad_colorbar_extra_width (text, TRIAD_NORM_GLOBAL, g->global_max,
                                              _("attention weight"));
  cap_block = triad_cross_caption_height (text) + CAPTION_GAP * fs;
  gw_min = fig->show_gauge ? GAUGE_MIN_W * fs : 0.0;
  gh_min = fig->show_gauge ? GAUGE_MIN_H * fs : 0.0;
  if (fig->src_labels != NULL)
    ws_hi = triad_text_max_width (text, fig->src_labels, S, hi, -1);
  if (fig->tgt_labels != NULL)
    wt_hi = triad_text_max_width (text, fig->tgt_labels, T, hi, -1);

  /* The cell is what the labels leave, and the labels are 3/4 of a cell within bounds: a few
   * rounds of each settle it (unhinted text widths scale with the size). A cell's width and
   * height are found apart, so that the panels fill a wide surface as well as a tall one
   * (within CELL_ASPECT_MAX). Where cells are shorter (or narrower) than the smallest
   * labels, on a surface every other label (or every third) shows, as the other figures
   * drop them; past that, or on a screen, none. */
  for (int attempt = 0; attempt < 2; attempt++)
    {
      cw = ch = CELL_MAX * fs;
      for (int i = 0; i < 16; i++)
        {
          double ls = CLAMP (0.75 * MIN (cw, ch), lo, hi);
          /* on a surface, where labels go every step-th anyway, as large as the step leaves
           * room for: they are the words a lecture hall reads most */
          if (text->min_size > 0.0 && MIN (cw, ch) > 0.0 && MIN (cw, ch) < lo)
            ls = MIN (hi, ceil (lo / MIN (cw, ch) - 1e-9) * MIN (cw, ch));
          double ws = show ? MIN (ws_hi * ls / hi, g->label_max_w) : 0.0;
          double wt = show ? MIN (wt_hi * ls / hi, g->label_max_w) : 0.0;
          double lab_s = show ? ws + gap : 0.0, lab_t = show ? wt + gap : 0.0;
          double mid = show ? MAX (ws, wt) + gap : 0.0, band_b = mid;
          double avail_w = width - 2 * pad - pgap - mid - g->cb_extra;
          double avail_h = height - 2 * pad - title_h - title_gap - pgap - 2 * cap_block
                           - lab_s - band_b;
          double next_w = (avail_w - lab_t) / (T + S), next_h = avail_h / (S + T);

          if (lab_t + T * next_w < gw_min)
            next_w = (avail_w - gw_min) / S;
          if (cap_block + lab_s + S * next_h < gh_min)
            next_h = (height - 2 * pad - title_h - title_gap - pgap - gh_min - cap_block
                      - band_b) / T;
          next_w = CLAMP (next_w, 0.0, CELL_MAX * fs);
          next_h = CLAMP (next_h, 0.0, CELL_MAX * fs);
          next_w = MIN (next_w, CELL_ASPECT_MAX * next_h);
          next_h = MIN (next_h, CELL_ASPECT_MAX * next_w);

          g->src_w = ws;
          g->tgt_w = wt;
          l->label_size = ls;
          if (fabs (next_w - cw) < 1e-3 && fabs (next_h - ch) < 1e-3)
            break;
          cw = next_w;
          ch = next_h;
        }
      l->row_step = l->col_step = 1;
      if (!show || (ch >= l->label_size && cw >= l->label_size))
        break;
      if (text->min_size > 0.0 && ch > 0.0 && cw > 0.0
          && ch * LABEL_STEP_MAX >= l->label_size && cw * LABEL_STEP_MAX >= l->label_size)
        {
          l->row_step = ch >= l->label_size ? 1 : (int) ceil (l->label_size / ch - 1e-9);
          l->col_step = cw >= l->label_size ? 1 : (int) ceil (l->label_size / cw - 1e-9);
          break;
        }
      show = FALSE;
    }
  if (!show)
    g->src_w = g->tgt_w = 0.0;
  l->show_labels = show && (fig->src_labels != NULL || fig->tgt_labels != NULL);
  l->cell_w = cw;
  l->cell_h = ch;
  g->band_top = show ? g->src_w + gap : 0.0;
  g->tgt_col = show ? g->tgt_w + gap : 0.0;
  g->mid_col = show ? MAX (g->src_w, g->tgt_w) + gap : 0.0;
  g->band_bottom = g->mid_col;

  left_w = MAX (g->tgt_col + T * cw, gw_min);
  top_h = MAX (cap_block + g->band_top + S * ch, gh_min);
  block_w = left_w + pgap + g->mid_col + S * cw + g->cb_extra;
  block_h = title_h + title_gap + top_h + pgap + cap_block + g->band_bottom + T * ch;
  ox = pad + MAX (0.0, (width - 2 * pad - block_w) / 2);
  oy = pad + MAX (0.0, (height - 2 * pad - block_h) / 2);
  g->title_y = oy;
  g->left_x = ox;
  g->left_w = left_w;
  top_y = oy + title_h + title_gap;

  l->x[TRIAD_CROSS_PANEL_ENCODER] = ox + left_w + pgap + g->mid_col;
  l->y[TRIAD_CROSS_PANEL_ENCODER] = top_y + top_h - S * ch;
  l->x[TRIAD_CROSS_PANEL_DECODER] = ox + left_w - T * cw;
  l->y[TRIAD_CROSS_PANEL_DECODER] = top_y + top_h + pgap + cap_block + g->band_bottom;
  l->x[TRIAD_CROSS_PANEL_CROSS] = l->x[TRIAD_CROSS_PANEL_ENCODER];
  l->y[TRIAD_CROSS_PANEL_CROSS] = l->y[TRIAD_CROSS_PANEL_DECODER];
  if (fig->show_gauge)
    {
      l->gauge_x = ox;
      l->gauge_y = top_y;
      l->gauge_w = left_w;
      l->gauge_h = top_h;
    }
  l->colorbar_x = l->x[TRIAD_CROSS_PANEL_ENCODER] + S * cw + COLORBAR_GAP * fs;
  l->colorbar_y = l->y[TRIAD_CROSS_PANEL_ENCODER];
  l->colorbar_w = COLORBAR_W * fs;
  l->colorbar_h = l->y[TRIAD_CROSS_PANEL_CROSS] + T * ch - l->colorbar_y;
}

void
triad_cross_figure_layout (const TriadCrossFigure *fig,
                           const TriadFigureStyle *style,
                           double                  width,
                           double                  height,
                           TriadCrossLayout       *layout)
{
  TriadText text;
  CrossGeometry g;

  g_return_if_fail (fig != NULL && style != NULL && layout != NULL);

  triad_text_init (&text, NULL, style);
  cross_geometry (fig, &text, width, height, &g);
  triad_text_clear (&text);
  *layout = g.pub;
}

/* The panel as drawn: its matrix, what is shown of it and where its labels go. */
static void
cross_panel (const TriadCrossFigure *fig,
             const CrossGeometry    *g,
             TriadCrossPanel         which,
             TriadWeightsPanel      *p)
{
  int t = n_shown (fig);

  memset (p, 0, sizeof *p);
  p->x = g->pub.x[which];
  p->y = g->pub.y[which];
  p->cell_w = g->pub.cell_w;
  p->cell_h = g->pub.cell_h;
  p->row_step = g->pub.row_step;
  p->col_step = g->pub.col_step;
  p->caption = fig->captions[which] != NULL ? fig->captions[which] : default_caption (which);
  triad_cross_panel_lit (which, &fig->hover, &p->lit_row, &p->lit_col);
  p->cell_row = p->cell_col = -1;
  if (fig->cell_panel == which)
    {
      p->cell_row = fig->cell_row;
      p->cell_col = fig->cell_col;
    }
  switch (which)
    {
    case TRIAD_CROSS_PANEL_ENCODER:
      p->weights = fig->enc_self;
      p->n_q = p->n_k = p->q_shown = p->k_shown = fig->n_src;
      p->q_labels = p->k_labels = fig->src_labels;
      p->q_label_w = g->mid_col;
      p->k_label_h = g->band_top;
      p->caption_w = g->mid_col + p->n_k * g->pub.cell_w + g->cb_extra;
      break;
    case TRIAD_CROSS_PANEL_DECODER:
      p->weights = fig->dec_self;
      p->n_q = p->n_k = fig->n_tgt;
      p->q_shown = p->k_shown = t;
      p->q_labels = p->k_labels = fig->tgt_labels;
      p->q_label_w = g->tgt_col;
      p->k_label_h = g->band_bottom;
      /* under the gauge, from the same left edge, as wide as the left column */
      p->caption_x = g->left_x;
      p->caption_w = g->left_w + (PANEL_GAP - 6.0) * g->fs;
      break;
    case TRIAD_CROSS_PANEL_CROSS:
    case TRIAD_CROSS_N_PANELS:
    default:
      p->weights = fig->cross;
      p->n_q = fig->n_tgt;
      p->n_k = fig->n_src;
      p->q_shown = t;
      p->k_shown = fig->n_src;
      p->q_labels = fig->tgt_labels;
      p->k_labels = fig->src_labels;
      p->q_label_w = g->mid_col;
      p->k_label_h = g->band_bottom;
      /* the colour bar runs down beside it */
      p->caption_w = g->mid_col + p->n_k * g->pub.cell_w + (COLORBAR_GAP - 4.0) * g->fs;
      break;
    }
}

void
triad_cross_figure_draw (cairo_t                *cr,
                         const TriadCrossFigure *fig,
                         const TriadFigureStyle *style,
                         double                  width,
                         double                  height)
{
  TriadText text;
  CrossGeometry g;
  const TriadCrossLayout *l = &g.pub;
  double pad;

  g_return_if_fail (cr != NULL && fig != NULL && style != NULL);

  triad_figure_fill_bg (cr, style, width, height);
  triad_text_init (&text, cr, style);
  cross_geometry (fig, &text, width, height, &g);
  pad = TRIAD_FIG_PAD * text.fs;
  triad_figure_draw_title (&text, style, fig->title, pad, g.title_y, width - 2 * pad);
  if (l->cell_w <= 0.0 || l->cell_h <= 0.0)
    {
      triad_text_clear (&text);
      return;
    }

  for (int i = 0; i < TRIAD_CROSS_N_PANELS; i++)
    {
      TriadWeightsPanel p;

      cross_panel (fig, &g, i, &p);
      triad_weights_panel_draw (&text, style, &p, l->show_labels, l->label_size,
                                g.label_max_w, fig->cmap, g.global_max);
    }
  triad_colorbar_draw (&text, style, fig->cmap, TRIAD_NORM_GLOBAL, g.global_max,
                       _("attention weight"), l->colorbar_x, l->colorbar_y, l->colorbar_w,
                       l->colorbar_h);
  triad_text_clear (&text);
  if (fig->show_gauge)
    triad_kv_gauge_draw (cr, &fig->gauge, style, l->gauge_x, l->gauge_y, l->gauge_w, l->gauge_h);
}

gboolean
triad_cross_figure_hit (const TriadCrossFigure *fig,
                        const TriadFigureStyle *style,
                        double                  width,
                        double                  height,
                        double                  x,
                        double                  y,
                        TriadCrossHit          *hit)
{
  TriadText text;
  CrossGeometry g;

  g_return_val_if_fail (fig != NULL && style != NULL && hit != NULL, FALSE);

  hit->panel = TRIAD_CROSS_N_PANELS;
  hit->row = hit->col = -1;
  hit->hover.src = hit->hover.tgt = -1;
  triad_text_init (&text, NULL, style);
  cross_geometry (fig, &text, width, height, &g);
  triad_text_clear (&text);

  for (int i = 0; i < TRIAD_CROSS_N_PANELS; i++)
    {
      TriadWeightsPanel p;
      int row, col;

      cross_panel (fig, &g, i, &p);
      if (!triad_weights_panel_hit (&p, x, y, &row, &col))
        continue;
      hit->panel = i;
      hit->row = row;
      hit->col = col;
      switch (i)
        {
        case TRIAD_CROSS_PANEL_ENCODER:
          /* a cell: its query; a label: its token */
          hit->hover.src = row >= 0 ? row : col;
          break;
        case TRIAD_CROSS_PANEL_DECODER:
          hit->hover.tgt = row >= 0 ? row : col;
          break;
        case TRIAD_CROSS_PANEL_CROSS:
        default:
          hit->hover.tgt = row;
          hit->hover.src = col;
          break;
        }
      return TRUE;
    }
  return FALSE;
}
