/* weights-panel.h — the Cross-attention view's figures' shared parts: one matrix of weights
 * with its labels and caption (through the labelled-matrix painter), and their sizes. */
#pragma once

#include "figures/figures-private.h"
#include "figures/labelled-matrix.h"

G_BEGIN_DECLS

#define LABEL_GAP      4.0    /* between a token label and its matrix */
#define PANEL_GAP     22.0    /* between panels */
#define CAPTION_SIZE  11.0
#define CAPTION_GAP    6.0    /* between a caption and the labels under it */
#define CELL_MAX      56.0    /* cells no larger: a short sentence stays a figure, not a wall */
#define LABEL_LIMIT  120.0    /* labels are ellipsised past this, or a fifth of the width */
#define COLORBAR_GAP  16.0
#define COLORBAR_W    12.0

/* One matrix with its labels. */
typedef struct {
  const float        *weights;    /* (n_q, n_k) */
  int                 n_q, n_k;
  int                 q_shown;    /* rows and columns drawn */
  int                 k_shown;
  const char * const *q_labels;
  const char * const *k_labels;
  const char         *caption;
  double              x, y;       /* top-left of the matrix */
  double              cell_w;     /* a cell's width and height: wider than tall where a */
  double              cell_h;     /* figure has width to spare */
  int                 row_step;   /* every row_step-th row label, every col_step-th column */
  int                 col_step;   /* label (labelled-matrix.h); 0: every one */
  double              q_label_w;  /* the row labels' column, gap included */
  double              k_label_h;  /* the column labels' band, gap included */
  double              caption_x;  /* the caption's left; 0: the row labels' left */
  double              caption_w;  /* its room; 0: the labels and the matrix */
  int                 lit_row;
  int                 lit_col;
  int                 cell_row;   /* outlined */
  int                 cell_col;
} TriadWeightsPanel;

/* The height of a caption's line (bold); a plain line's is triad_chart_line_height. */
double   triad_cross_caption_height (TriadText              *text);
/* Draws the panel: the weights of its shown rows and columns, a dashed frame
 * where the rest will go, the lit row, column and cell, the labels and the caption. */
void     triad_weights_panel_draw   (TriadText              *text,
                                     const TriadFigureStyle *style,
                                     const TriadWeightsPanel *p,
                                     gboolean                show_labels,
                                     double                  label_size,
                                     double                  label_max_w,
                                     TriadColormap           cmap,
                                     double                  global_max);
/* The cell, row label or column label of a drawn panel under (x, y). */
gboolean triad_weights_panel_hit    (const TriadWeightsPanel *p,
                                     double                  x,
                                     double                  y,
                                     int                    *row,
                                     int                    *col);
/* The larger of m and the largest of the n weights w (none when w is NULL). */
double   triad_weights_max_of       (const float            *w,
                                     size_t                  n,
                                     double                  m);

G_END_DECLS
