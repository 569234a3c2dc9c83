/* labelled-matrix.c — the one painter of a matrix's token labels, lit row and column, and
 * hit test, shared by the heatmap, the masks panels and the cross-attention panels. */
#include "config.h"

#include <math.h>

#include "figures/labelled-matrix.h"

/* Whether label i of a row or column is drawn: every step-th from the lit one, so that the lit
 * one always shows and its neighbours make room for it. */
static gboolean
label_shown (int i,
             int lit,
             int step)
{
  return step <= 1 || (i - MAX (lit, 0)) % step == 0;
}

void
triad_labelled_matrix_draw_labels (TriadText                 *text,
                                   const TriadFigureStyle    *style,
                                   const TriadLabelledMatrix *m)
{
  if (m->row_labels != NULL)
    for (int r = 0; r < m->rows; r++)
      {
        gboolean lit = r == m->lit_row;
        g_autoptr(PangoLayout) layout = NULL;

        if (!label_shown (r, m->lit_row, m->label_step))
          continue;
        layout = triad_text_layout (text, m->row_labels[r], m->label_size, lit, m->label_max_w);
        triad_text_draw (text, layout, m->x - m->gap, m->y + (r + 0.5) * m->cell_h, 0.0, 1.0,
                         0.5, lit ? style->accent : style->fg);
      }
  if (m->col_labels != NULL)
    for (int c = 0; c < m->cols; c++)
      {
        gboolean lit = c == m->lit_col;
        g_autoptr(PangoLayout) layout = NULL;

        if (!label_shown (c, m->lit_col, m->col_label_step > 0 ? m->col_label_step
                                                               : m->label_step))
          continue;
        layout = triad_text_layout (text, m->col_labels[c], m->label_size, lit, m->label_max_w);
        triad_text_draw (text, layout, m->x + (c + 0.5) * m->cell_w, m->y - m->gap, -G_PI / 2,
                         0.0, 0.5, lit ? style->accent : style->fg);
      }
}

void
triad_labelled_matrix_outline_lit (cairo_t                   *cr,
                                   const TriadFigureStyle    *style,
                                   const TriadLabelledMatrix *m,
                                   double                     line_width)
{
  if (m->lit_row >= 0 && m->lit_row < m->rows && m->cols > 0)
    triad_figure_outline (cr, style, style->accent, m->x, m->y + m->lit_row * m->cell_h,
                          m->cols * m->cell_w, m->cell_h, line_width, TRUE);
  if (m->lit_col >= 0 && m->lit_col < m->cols && m->rows > 0)
    triad_figure_outline (cr, style, style->accent, m->x + m->lit_col * m->cell_w, m->y,
                          m->cell_w, m->rows * m->cell_h, line_width, TRUE);
}

gboolean
triad_labelled_matrix_hit (const TriadLabelledMatrix *m,
                           double                     row_band,
                           double                     col_band,
                           double                     px,
                           double                     py,
                           int                       *row,
                           int                       *col)
{
  double right = m->x + m->cols * m->cell_w, bottom = m->y + m->rows * m->cell_h;

  *row = *col = -1;
  if (m->cell_w <= 0.0 || m->cell_h <= 0.0)
    return FALSE;
  if (px >= m->x && px < right && py >= m->y && py < bottom)
    {
      *col = CLAMP ((int) floor ((px - m->x) / m->cell_w), 0, m->cols - 1);
      *row = CLAMP ((int) floor ((py - m->y) / m->cell_h), 0, m->rows - 1);
      return TRUE;
    }
  if (px >= m->x - row_band && px < m->x && py >= m->y && py < bottom)
    {
      *row = CLAMP ((int) floor ((py - m->y) / m->cell_h), 0, m->rows - 1);
      return TRUE;
    }
  if (py >= m->y - col_band && py < m->y && px >= m->x && px < right)
    {
      *col = CLAMP ((int) floor ((px - m->x) / m->cell_w), 0, m->cols - 1);
      return TRUE;
    }
  return FALSE;
}
