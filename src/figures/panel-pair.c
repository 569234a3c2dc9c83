/* panel-pair.c — two attentions side by side (the encoder-decoder's cross-attention and a
 * decoder-only model's attention over its prompt), on one cell size and colour scale. */
#include "config.h"

#include <math.h>
#include <string.h>
#include "engine/i18n.h"

#include "engine/numbers.h"
#include "figures/alignment.h"
#include "figures/weights-panel.h"

/* ---- two attentions side by side ----------------------------------------------------- */

typedef struct {
  TriadPanelPairLayout pub;
  double title_y;
  double q_col[2];          /* row labels' columns, gap included */
  double band;              /* the column labels' band, the same over both */
  double note_y;
  double label_max_w;
  double global_max;
  double cb_extra;
  double colorbar_x, colorbar_y, colorbar_h;
  double fs;
} PairGeometry;

static gboolean
pair_ok (const TriadPanelPair *pair)
{
  for (int i = 0; i < 2; i++)
    if (pair->panels[i].n_q <= 0 || pair->panels[i].n_k <= 0 || pair->panels[i].weights == NULL)
      return FALSE;
  return TRUE;
}

static void
pair_geometry (const TriadPanelPair *pair,
               TriadText            *text,
               double                width,
               double                height,
               PairGeometry         *g)
{
  TriadPanelPairLayout *l = &g->pub;
  double fs = text->fs, pad = TRIAD_FIG_PAD * fs, gap = LABEL_GAP * fs, pgap = 2 * PANEL_GAP * fs;
  /* on a surface, labels never under its smallest type: where cells are shorter, none */
  double lo = triad_text_min (text, TRIAD_FIG_LABEL_MIN * fs);
  double hi = MAX (TRIAD_FIG_LABEL_MAX * fs, lo);
  double title_h, title_gap, cap_block, note_block = 0.0, wq_hi[2], wk_hi[2], c = 0.0;
  double block_w, block_h, ox, oy;
  const TriadPanel *a = &pair->panels[0], *b = &pair->panels[1];
  int rows = MAX (a->n_q, b->n_q), cols = a->n_k + b->n_k;
  gboolean show = TRUE;

  memset (g, 0, sizeof *g);
  g->fs = fs;
  g->label_max_w = MIN (LABEL_LIMIT * fs, 0.15 * width);
  title_h = triad_figure_title_height (text, pair->title);
  title_gap = title_h > 0.0 ? 8.0 * fs : 0.0;
  g->title_y = pad;
  if (!pair_ok (pair))
    return;

  for (int i = 0; i < 2; i++)
    {
      const TriadPanel *p = &pair->panels[i];

      g->global_max = triad_weights_max_of (p->weights, (size_t) p->n_q * p->n_k, g->global_max);
      wq_hi[i] = p->q_labels != NULL ? triad_text_max_width (text, p->q_labels, p->n_q, hi, -1) : 0;
      wk_hi[i] = p->k_labels != NULL ? triad_text_max_width (text, p->k_labels, p->n_k, hi, -1) : 0;
      if (p->note != NULL)
        note_block = 8.0 * fs + triad_chart_line_height (text, TRIAD_FIG_TICK_SIZE * fs);
    }
  g->cb_extra = (COLORBAR_GAP + COLORBAR_W) * fs
                + triad_colorbar_extra_width (text, TRIAD_NORM_GLOBAL, g->global_max,
                                              _("attention weight"));
  cap_block = triad_cross_caption_height (text) + CAPTION_GAP * fs;

  for (int attempt = 0; attempt < 2; attempt++)
    {
      c = CELL_MAX * fs;
      for (int it = 0; it < 16; it++)
        {
          double ls = CLAMP (0.75 * c, lo, hi), qw = 0.0, band = 0.0, cw, ch, next;

          for (int i = 0; i < 2; i++)
            {
              g->q_col[i] = show ? MIN (wq_hi[i] * ls / hi, g->label_max_w) + gap : 0.0;
              qw += g->q_col[i];
              band = MAX (band, show ? MIN (wk_hi[i] * ls / hi, g->label_max_w) + gap : 0.0);
            }
          g->band = band;
          l->label_size = ls;
          cw = (width - 2 * pad - pgap - qw - g->cb_extra) / cols;
          ch = (height - 2 * pad - title_h - title_gap - cap_block - band - note_block) / rows;
          next = MAX (0.0, MIN (MIN (cw, ch), CELL_MAX * fs));
          if (fabs (next - c) < 1e-3)
            break;
          c = next;
        }
      if (!show || c >= l->label_size)
        break;
      show = FALSE;
    }
  l->show_labels = show;
  l->cell = c;

  block_w = g->q_col[0] + a->n_k * c + pgap + g->q_col[1] + b->n_k * c + g->cb_extra;
  block_h = title_h + title_gap + cap_block + g->band + rows * c + note_block;
  ox = pad + MAX (0.0, (width - 2 * pad - block_w) / 2);
  oy = pad + MAX (0.0, (height - 2 * pad - block_h) / 2);
  g->title_y = oy;
  l->x[0] = ox + g->q_col[0];
  l->x[1] = l->x[0] + a->n_k * c + pgap + g->q_col[1];
  l->y[0] = l->y[1] = oy + title_h + title_gap + cap_block + g->band;
  g->note_y = l->y[0] + rows * c + 8.0 * fs;
  g->colorbar_x = l->x[1] + b->n_k * c + COLORBAR_GAP * fs;
  g->colorbar_y = l->y[0];
  g->colorbar_h = rows * c;
}

void
triad_panel_pair_layout (const TriadPanelPair   *pair,
                         const TriadFigureStyle *style,
                         double                  width,
                         double                  height,
                         TriadPanelPairLayout   *layout)
{
  TriadText text;
  PairGeometry g;

  g_return_if_fail (pair != NULL && style != NULL && layout != NULL);

  triad_text_init (&text, NULL, style);
  pair_geometry (pair, &text, width, height, &g);
  triad_text_clear (&text);
  *layout = g.pub;
}

static gboolean
same_label (const char * const *a,
            int                 na,
            const char * const *b,
            int                 nb,
            int                 i)
{
  return a != NULL && b != NULL && i >= 0 && i < na && i < nb && g_strcmp0 (a[i], b[i]) == 0;
}

void
triad_panel_pair_lit (const TriadPanelPair *pair,
                      int                   i,
                      int                  *row,
                      int                  *col)
{
  const TriadPanel *p, *o;
  int r = pair->hover_row, c = pair->hover_col;

  *row = *col = -1;
  g_return_if_fail (i == 0 || i == 1);
  if (pair->hover_panel != 0 && pair->hover_panel != 1)
    return;
  p = &pair->panels[i];
  o = &pair->panels[1 - i];
  if (pair->hover_panel == i)
    {
      *row = r >= 0 && r < p->n_q ? r : -1;
      *col = c >= 0 && c < p->n_k ? c : -1;
      return;
    }
  if (r >= 0 && r < p->n_q && r < o->n_q
      && (r == 0 || same_label (p->q_labels, p->n_q, o->q_labels, o->n_q, r)))
    *row = r;
  if (same_label (p->k_labels, p->n_k, o->k_labels, o->n_k, c))
    *col = c;
}

static void
pair_panel (const TriadPanelPair *pair,
            const PairGeometry   *g,
            int                   i,
            TriadWeightsPanel    *p)
{
  const TriadPanel *tp = &pair->panels[i];

  memset (p, 0, sizeof *p);
  p->weights = tp->weights;
  p->n_q = tp->n_q;
  p->n_k = tp->n_k;
  p->q_shown = CLAMP (tp->n_shown, 0, tp->n_q);
  p->k_shown = tp->n_k;
  p->q_labels = tp->q_labels;
  p->k_labels = tp->k_labels;
  p->caption = tp->caption;
  p->x = g->pub.x[i];
  p->y = g->pub.y[i];
  p->cell_w = p->cell_h = g->pub.cell;
  p->q_label_w = g->q_col[i];
  p->k_label_h = g->band;
  p->caption_w = g->q_col[i] + tp->n_k * g->pub.cell
                 + (i == 0 ? 2 * PANEL_GAP * g->fs - 6.0 * g->fs : g->cb_extra);
  triad_panel_pair_lit (pair, i, &p->lit_row, &p->lit_col);
  p->cell_row = p->cell_col = -1;
  if (pair->hover_panel == i)
    {
      p->cell_row = pair->hover_row;
      p->cell_col = pair->hover_col;
    }
}

void
triad_panel_pair_draw (cairo_t                *cr,
                       const TriadPanelPair   *pair,
                       const TriadFigureStyle *style,
                       double                  width,
                       double                  height)
{
  TriadText text;
  PairGeometry g;
  const TriadPanelPairLayout *l = &g.pub;
  double fs, pad;

  g_return_if_fail (cr != NULL && pair != NULL && style != NULL);

  triad_figure_fill_bg (cr, style, width, height);
  triad_text_init (&text, cr, style);
  pair_geometry (pair, &text, width, height, &g);
  fs = text.fs;
  pad = TRIAD_FIG_PAD * fs;
  triad_figure_draw_title (&text, style, pair->title, pad, g.title_y, width - 2 * pad);
  if (l->cell <= 0.0)
    {
      triad_text_clear (&text);
      return;
    }
  for (int i = 0; i < 2; i++)
    {
      TriadWeightsPanel p;

      pair_panel (pair, &g, i, &p);
      triad_weights_panel_draw (&text, style, &p, l->show_labels, l->label_size,
                                g.label_max_w, pair->cmap, g.global_max);
      if (pair->panels[i].note != NULL)
        {
          double rgba[4] = { style->fg[0], style->fg[1], style->fg[2], style->fg[3] * 0.75 };
          g_autoptr(PangoLayout) layout =
            triad_text_layout (&text, pair->panels[i].note, TRIAD_FIG_TICK_SIZE * fs, FALSE,
                               MAX (p.q_label_w + p.n_k * l->cell, 60.0 * fs));

          triad_text_draw (&text, layout, p.x - p.q_label_w, g.note_y, 0.0, 0.0, 0.0, rgba);
        }
    }
  triad_colorbar_draw (&text, style, pair->cmap, TRIAD_NORM_GLOBAL, g.global_max,
                       _("attention weight"), g.colorbar_x, g.colorbar_y, COLORBAR_W * fs,
                       g.colorbar_h);
  triad_text_clear (&text);
}

gboolean
triad_panel_pair_hit (const TriadPanelPair   *pair,
                      const TriadFigureStyle *style,
                      double                  width,
                      double                  height,
                      double                  x,
                      double                  y,
                      int                    *panel,
                      int                    *row,
                      int                    *col)
{
  TriadText text;
  PairGeometry g;

  g_return_val_if_fail (pair != NULL && style != NULL, FALSE);

  *panel = *row = *col = -1;
  triad_text_init (&text, NULL, style);
  pair_geometry (pair, &text, width, height, &g);
  triad_text_clear (&text);
  for (int i = 0; i < 2; i++)
    {
      TriadWeightsPanel p;

      pair_panel (pair, &g, i, &p);
      if (triad_weights_panel_hit (&p, x, y, row, col))
        {
          *panel = i;
          return TRUE;
        }
    }
  return FALSE;
}
