/* labelled-matrix.h — the one painter of a matrix of cells with a token label at each row
 * and column, which the heatmap, the masks panels and the cross-attention panels share:
 * where its cells and labels fall, the labels, the lit row and column, and what lies under
 * a point. Each figure paints its cells its own way (an image of weights, coloured masks). */
#pragma once

#include "figures/figures-private.h"

G_BEGIN_DECLS

typedef struct {
  double              x, y;           /* the top-left of the cells */
  double              cell_w, cell_h;
  int                 rows, cols;     /* the rows and columns drawn */
  const char * const *row_labels;     /* (rows), left of the cells; NULL: none */
  const char * const *col_labels;     /* (cols), above, read from the bottom up; NULL: none */
  double              label_size;
  double              label_max_w;    /* labels are ellipsised past this; <= 0: never */
  double              gap;            /* between a label and the cells */
  int                 label_step;     /* every label_step-th label, counted from the lit one
                                       * (else the first), where cells are shorter than a
                                       * label; 0 or 1: every one */
  int                 col_label_step; /* the columns' own, where cells are wider than they
                                       * are tall; 0: label_step */
  int                 lit_row;        /* its label bold in the accent; -1: none */
  int                 lit_col;
} TriadLabelledMatrix;

/* The labels: a row's right-aligned gap left of the cells and centred on its row, a
 * column's turned a quarter anticlockwise, starting gap above the cells — as narrow as a
 * row label is tall, so they cannot overlap wherever row labels do not. */
void     triad_labelled_matrix_draw_labels (TriadText                 *text,
                                            const TriadFigureStyle    *style,
                                            const TriadLabelledMatrix *m);

/* Outlines the lit row across the columns and the lit column down the rows, in the accent,
 * with a halo, lines of line_width. */
void     triad_labelled_matrix_outline_lit (cairo_t                   *cr,
                                            const TriadFigureStyle    *style,
                                            const TriadLabelledMatrix *m,
                                            double                     line_width);

/* What lies under (px, py): a cell (row and col), a row label in the band row_band wide
 * left of the cells (row, col = -1), or a column label in the band col_band tall above them
 * (col, row = -1). FALSE, with row = col = -1, elsewhere. */
gboolean triad_labelled_matrix_hit         (const TriadLabelledMatrix *m,
                                            double                     row_band,
                                            double                     col_band,
                                            double                     px,
                                            double                     py,
                                            int                       *row,
                                            int                       *col);

G_END_DECLS
