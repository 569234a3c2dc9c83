/* masks.h — the figures of the Masks view: a labelled matrix with blocked cells drawn as
 * −∞, the grid of masks, scores and weights of several models side by side, and the
 * attention formula as a pipeline of small matrices with one step highlighted. */
#pragma once

#include "figures/figures.h"

G_BEGIN_DECLS

typedef enum {
  TRIAD_CELLS_WEIGHTS,      /* 0 … 1 on the colour map */
  TRIAD_CELLS_SIGNED,       /* scores, vectors: blue below 0, red above, white at 0 */
  TRIAD_CELLS_MASK,         /* allowed or blocked only */
} TriadCellsKind;

typedef struct {
  const float        *values;       /* (rows, cols); NULL for a mask */
  int                 rows;
  int                 cols;
  const guint8       *allowed;      /* (rows, cols), 0 blocked: drawn hatched, read −∞; NULL
                                     * when nothing is blocked */
  const char * const *row_labels;   /* may be NULL */
  const char * const *col_labels;   /* may be NULL */
  const char         *title;        /* above the matrix */
  TriadCellsKind      kind;
  TriadColormap       cmap;         /* for weights */
  int                 visible_rows; /* rows shown; the others drawn empty; < 0: all */
  int                 hover_row;    /* lit row, -1 none */
  int                 hover_col;    /* lit column, -1 none */
  gboolean            highlight;    /* the current step: outlined in the accent colour */
} TriadMatrix;

/* Draws a matrix with its title and labels into the rectangle. */
void     triad_matrix_draw (cairo_t                *cr,
                            const TriadMatrix      *m,
                            const TriadFigureStyle *style,
                            double                  x,
                            double                  y,
                            double                  width,
                            double                  height);
/* The cell under (px, py) in a matrix drawn into that rectangle; FALSE outside. */
gboolean triad_matrix_hit  (const TriadMatrix      *m,
                            const TriadFigureStyle *style,
                            double                  x,
                            double                  y,
                            double                  width,
                            double                  height,
                            double                  px,
                            double                  py,
                            int                    *row,
                            int                    *col);

/* Rows of matrices (a model each: its mask, its scaled scores, its weights), each row with
 * a heading on the left. */
#define TRIAD_MASK_GRID_MAX_ROWS 3
#define TRIAD_MASK_GRID_COLS     3

typedef struct {
  const char  *title;
  int          n_rows;
  const char  *row_titles[TRIAD_MASK_GRID_MAX_ROWS];      /* "Encoder · bidirectional" */
  const char  *row_notes[TRIAD_MASK_GRID_MAX_ROWS];       /* one sentence under it */
  TriadMatrix  cells[TRIAD_MASK_GRID_MAX_ROWS][TRIAD_MASK_GRID_COLS];
} TriadMaskGrid;

void     triad_mask_grid_draw (cairo_t                *cr,
                               const TriadMaskGrid    *grid,
                               const TriadFigureStyle *style,
                               double                  width,
                               double                  height);
/* The matrix (row r, column c) and its cell under (px, py); FALSE when none. */
gboolean triad_mask_grid_hit  (const TriadMaskGrid    *grid,
                               const TriadFigureStyle *style,
                               double                  width,
                               double                  height,
                               double                  px,
                               double                  py,
                               int                    *r,
                               int                    *c,
                               int                    *row,
                               int                    *col);

/* softmax (Q Kᵀ / √d_k + mask) V as seven steps: Q, K, Q Kᵀ, ÷ √d_k, + mask, softmax, × V;
 * or, for a model that adds a position bias B to the scores and does not scale them (T5),
 * softmax (Q Kᵀ + B + mask) V, its fourth step + B; for a model with rotary positions
 * softmax (RoPE (Q) RoPE (K)ᵀ / √d_k + mask) V, its first two steps Q and K before and after
 * the rotation. */
#define TRIAD_FORMULA_STEPS 7

typedef struct {
  TriadMatrix  steps[TRIAD_FORMULA_STEPS];
  int          current;       /* the highlighted step, -1 for none */
  const char  *caption;       /* what the current step does, one sentence */
  const char  *title;
  double       d_k;
  gboolean     bias;          /* Q Kᵀ + B, not Q Kᵀ / √d_k (T5) */
  gboolean     rotary;        /* RoPE (Q) RoPE (K)ᵀ: steps 0 and 1 are the rotated Q and K, */
  TriadMatrix  unrotated[2];  /* drawn under Q and K as the engine computed them before */
} TriadFormula;

void     triad_formula_draw (cairo_t                *cr,
                             const TriadFormula     *formula,
                             const TriadFigureStyle *style,
                             double                  width,
                             double                  height);
/* The step whose matrix is under (px, py), or -1. */
int      triad_formula_hit  (const TriadFormula     *formula,
                             const TriadFigureStyle *style,
                             double                  width,
                             double                  height,
                             double                  px,
                             double                  py);

/* A diverging colour for v in [-1, 1]: blue, white, red. */
void     triad_diverging_rgb (double v,
                              guint8 rgb[3]);

G_END_DECLS
