/* weights-panel.c — one matrix of attention weights with its token labels and caption, as
 * the Cross-attention view's panels draw it: the three linked panels and the two side by
 * side share it, so every cell has one size and one colour scale. */
#include "config.h"

#include <math.h>
#include <string.h>
#include "engine/i18n.h"

#include "engine/numbers.h"
#include "figures/alignment.h"
#include "figures/weights-panel.h"

double
triad_cross_caption_height (TriadText *text)
{
  g_autoptr(PangoLayout) layout = triad_text_layout (text, "Ag", CAPTION_SIZE * text->fs, TRUE,
                                                     -1);
  double w, h;

  triad_text_size (layout, &w, &h);
  return h;
}

/* The weights of the first rows and columns, (q_shown, k_shown), as one image. */
static cairo_surface_t *
render_part (const float   *weights,
             int            n_k,
             int            q_shown,
             int            k_shown,
             TriadColormap  cmap,
             double         global_max)
{
  g_autofree float *part = g_new (float, (size_t) q_shown * k_shown);

  for (int q = 0; q < q_shown; q++)
    memcpy (part + (size_t) q * k_shown, weights + (size_t) q * n_k, sizeof (float) * k_shown);
  return triad_render_cells (part, q_shown, k_shown, cmap, TRIAD_NORM_GLOBAL, global_max);
}

static void
panel_matrix (const TriadWeightsPanel *p,
              double                   label_size,
              double                   label_max_w,
              double                   gap,
              TriadLabelledMatrix     *m)
{
  *m = (TriadLabelledMatrix) {
    .x = p->x, .y = p->y, .cell_w = p->cell_w, .cell_h = p->cell_h,
    .rows = p->q_shown, .cols = p->k_shown,
    .row_labels = p->q_labels, .col_labels = p->k_labels,
    .label_size = label_size, .label_max_w = label_max_w, .gap = gap,
    .label_step = p->row_step, .col_label_step = p->col_step,
    .lit_row = p->lit_row, .lit_col = p->lit_col,
  };
}

void
triad_weights_panel_draw (TriadText               *text,
                          const TriadFigureStyle  *style,
                          const TriadWeightsPanel *p,
                          gboolean                 show_labels,
                          double                   label_size,
                          double                   label_max_w,
                          TriadColormap            cmap,
                          double                   global_max)
{
  cairo_t *cr = text->cr;
  double fs = text->fs, gap = LABEL_GAP * fs;
  double full_w = p->n_k * p->cell_w, full_h = p->n_q * p->cell_h;
  double lw = CLAMP (0.08 * MIN (p->cell_w, p->cell_h), 1.0, 2.5) * fs;
  TriadLabelledMatrix m;

  if (full_w <= 0.0 || full_h <= 0.0)
    return;

  /* where the rows still to be decoded will go */
  if (p->q_shown < p->n_q || p->k_shown < p->n_k)
    {
      double dash[] = { 3.0 * fs, 3.0 * fs };

      cairo_save (cr);
      triad_chart_set_source (cr, style->fg, 0.35);
      cairo_set_line_width (cr, 0.75 * fs);
      cairo_set_dash (cr, dash, 2, 0.0);
      cairo_rectangle (cr, p->x, p->y, full_w, full_h);
      cairo_stroke (cr);
      cairo_restore (cr);
    }

  if (p->q_shown > 0 && p->k_shown > 0 && p->weights != NULL)
    {
      cairo_surface_t *cells = render_part (p->weights, p->n_k, p->q_shown, p->k_shown, cmap,
                                            global_max);

      triad_paint_cells (cr, cells, p->x, p->y, p->k_shown * p->cell_w, p->q_shown * p->cell_h);
      cairo_surface_destroy (cells);
    }

  /* the lit token's row and column, then the cell under the pointer */
  panel_matrix (p, label_size, label_max_w, gap, &m);
  triad_labelled_matrix_outline_lit (cr, style, &m, lw);
  if (p->cell_row >= 0 && p->cell_row < p->q_shown && p->cell_col >= 0 && p->cell_col < p->k_shown)
    triad_figure_outline (cr, style, style->fg, p->x + p->cell_col * p->cell_w,
                          p->y + p->cell_row * p->cell_h, p->cell_w, p->cell_h, 1.6 * lw, TRUE);
  if (show_labels)
    triad_labelled_matrix_draw_labels (text, style, &m);

  if (p->caption != NULL && *p->caption != '\0')
    {
      double left = p->caption_x > 0.0 ? p->caption_x : p->x - p->q_label_w;
      double room = p->caption_w > 0.0 ? p->caption_w : p->q_label_w + full_w;
      g_autoptr(PangoLayout) layout = triad_text_layout (text, p->caption, CAPTION_SIZE * fs, TRUE,
                                                         MAX (room, 40.0 * fs));

      triad_text_draw (text, layout, left, p->y - p->k_label_h - CAPTION_GAP * fs, 0.0, 0.0, 1.0,
                       style->fg);
    }
}

gboolean
triad_weights_panel_hit (const TriadWeightsPanel *p,
                         double                   x,
                         double                   y,
                         int                     *row,
                         int                     *col)
{
  TriadLabelledMatrix m;

  panel_matrix (p, 0.0, 0.0, 0.0, &m);
  return triad_labelled_matrix_hit (&m, p->q_label_w, p->k_label_h, x, y, row, col);
}

double
triad_weights_max_of (const float *w,
                      size_t       n,
                      double       m)
{
  return w != NULL ? MAX (m, triad_weights_max (w, n)) : m;
}
