/* alignment.h — the Cross-attention view's figures: one translation's three linked attention
 * panels with a gauge of the KV cache, the cross-attention as alignment lines between the
 * source and target tokens, and the decoder-only model's attention by prompt beside the
 * encoder-decoder's cross-attention. Drawn like every figure into any cairo_t, so the screen
 * and an export are the same picture. */
#pragma once

#include "figures/figures.h"

G_BEGIN_DECLS

/* ---- what a hovered token lights ------------------------------------------------------ */

typedef enum {
  TRIAD_CROSS_PANEL_ENCODER,   /* encoder self-attention: source rows × source columns */
  TRIAD_CROSS_PANEL_DECODER,   /* decoder masked self-attention: target × target */
  TRIAD_CROSS_PANEL_CROSS,     /* cross-attention: target rows × source columns */
  TRIAD_CROSS_N_PANELS
} TriadCrossPanel;

/* The tokens under the pointer: a source token, a target token, or one of each (a cell of the
 * cross-attention); -1 for none. */
typedef struct {
  int src;
  int tgt;
} TriadCrossHover;

/* The row and the column of a panel that the hovered tokens light, -1 for none. A source token
 * is a row (as a query) and a column (as a key) of the encoder's self-attention and a column of
 * the cross-attention; a target token is a row and a column of the decoder's self-attention and
 * a row of the cross-attention. */
void triad_cross_panel_lit (TriadCrossPanel         panel,
                            const TriadCrossHover  *hover,
                            int                    *row,
                            int                    *col);

/* ---- the K/V gauge ------------------------------------------------------------------- */

/* The decoder's self-attention K/V, which grows by a position a step, beside the
 * cross-attention K/V, computed once from the encoder's output. */
typedef struct {
  int    self_positions;       /* cached now */
  int    self_positions_max;   /* after the last step */
  size_t self_bytes;
  int    cross_positions;      /* source positions */
  size_t cross_bytes;
} TriadKvGauge;

/* Draws the gauge into the rectangle (x, y, width, height) of cr, without a background. */
void triad_kv_gauge_draw (cairo_t                *cr,
                          const TriadKvGauge     *gauge,
                          const TriadFigureStyle *style,
                          double                  x,
                          double                  y,
                          double                  width,
                          double                  height);

/* ---- the three linked panels --------------------------------------------------------- */

typedef struct {
  const float        *enc_self;     /* (n_src, n_src) */
  const float        *dec_self;     /* (n_tgt, n_tgt) */
  const float        *cross;        /* (n_tgt, n_src) */
  int                 n_src;
  int                 n_tgt;
  int                 n_shown;      /* target tokens decoded so far, 0 … n_tgt: the decoder's
                                     * and the cross-attention's rows past it, and the
                                     * decoder's columns, are not drawn */
  const char * const *src_labels;   /* (n_src) */
  const char * const *tgt_labels;   /* (n_tgt) */
  const char         *title;
  const char         *captions[TRIAD_CROSS_N_PANELS];  /* NULL: each panel's own name */
  TriadColormap       cmap;
  TriadCrossHover     hover;        /* the tokens lit */
  TriadCrossPanel     cell_panel;   /* a cell outlined: its panel, row and column … */
  int                 cell_row;     /* … -1 for none */
  int                 cell_col;
  gboolean            show_gauge;
  TriadKvGauge        gauge;
} TriadCrossFigure;

/* The encoder's panel sits top right, the decoder's bottom left and the cross-attention bottom
 * right, so that the cross-attention shares its columns with the encoder's panel above it and
 * its rows with the decoder's panel beside it; the gauge takes the top left. Every cell is the
 * same size, wider than tall where the surface has width to spare. */
typedef struct {
  double   x[TRIAD_CROSS_N_PANELS];   /* top-left of each panel's matrix */
  double   y[TRIAD_CROSS_N_PANELS];
  double   cell_w;                    /* a cell's width and height */
  double   cell_h;
  gboolean show_labels;
  double   label_size;
  int      row_step;                  /* every row_step-th row label and col_step-th column */
  int      col_step;                  /* label shows, counted from the lit one; 1: every one */
  double   gauge_x, gauge_y, gauge_w, gauge_h;
  double   colorbar_x, colorbar_y, colorbar_w, colorbar_h;
} TriadCrossLayout;

void     triad_cross_figure_layout (const TriadCrossFigure *fig,
                                    const TriadFigureStyle *style,
                                    double                  width,
                                    double                  height,
                                    TriadCrossLayout       *layout);
void     triad_cross_figure_draw   (cairo_t                *cr,
                                    const TriadCrossFigure *fig,
                                    const TriadFigureStyle *style,
                                    double                  width,
                                    double                  height);

/* What is under (x, y): a cell of a panel (row and col), or a token's label (the other of row
 * and col -1), and the tokens that lights. A cell of a self-attention lights its query token; a
 * cell of the cross-attention its target and its source token. FALSE over nothing, or over a
 * row or column not decoded yet. */
typedef struct {
  TriadCrossPanel panel;
  int             row;
  int             col;
  TriadCrossHover hover;
} TriadCrossHit;

gboolean triad_cross_figure_hit    (const TriadCrossFigure *fig,
                                    const TriadFigureStyle *style,
                                    double                  width,
                                    double                  height,
                                    double                  x,
                                    double                  y,
                                    TriadCrossHit          *hit);

/* ---- alignment lines ----------------------------------------------------------------- */

/* The cross-attention as lines: source tokens in a row at the top, target tokens in a row at
 * the bottom, a line from each target token to each source token as thick and as opaque as its
 * weight. */
typedef struct {
  const float        *weights;      /* (n_tgt, n_src) */
  int                 n_src;
  int                 n_tgt;
  int                 n_shown;      /* target tokens drawn, 0 … n_tgt */
  const char * const *src_labels;
  const char * const *tgt_labels;
  const char         *title;
  const char         *src_caption;  /* NULL: none */
  const char         *tgt_caption;
  TriadCrossHover     hover;        /* a hovered token's lines stand out */
} TriadAlignment;

void     triad_alignment_draw (cairo_t                *cr,
                               const TriadAlignment   *al,
                               const TriadFigureStyle *style,
                               double                  width,
                               double                  height);
/* The token under (x, y) into hover (the other -1); FALSE over none. */
gboolean triad_alignment_hit  (const TriadAlignment   *al,
                               const TriadFigureStyle *style,
                               double                  width,
                               double                  height,
                               double                  x,
                               double                  y,
                               TriadCrossHover        *hover);
/* Where token i of a row sits: its x, and the y of its dot. */
void     triad_alignment_token_position (const TriadAlignment   *al,
                                         const TriadFigureStyle *style,
                                         double                  width,
                                         double                  height,
                                         gboolean                target,
                                         int                     i,
                                         double                 *x,
                                         double                 *y);

/* ---- two attentions side by side ----------------------------------------------------- */

/* Two panels with cells of one size and one colour scale: on the left the decoder-only model's
 * self-attention from its Russian tokens back to the English ones of its prompt, on the right
 * the encoder-decoder's cross-attention over the same sentence. A note under each may say, for
 * one, how much of its attention falls on the English tokens. */
typedef struct {
  const float        *weights;      /* (n_q, n_k) */
  int                 n_q;
  int                 n_k;
  int                 n_shown;      /* rows drawn, 0 … n_q */
  const char * const *q_labels;
  const char * const *k_labels;
  const char         *caption;
  const char         *note;         /* NULL: none */
} TriadPanel;

typedef struct {
  TriadPanel    panels[2];
  const char   *title;
  TriadColormap cmap;
  int           hover_panel;        /* the cell under the pointer: its panel (-1 none), … */
  int           hover_row;          /* … its row and column (-1 on a label's other axis) */
  int           hover_col;
} TriadPanelPair;

typedef struct {
  double   x[2], y[2];              /* top-left of each matrix */
  double   cell;
  gboolean show_labels;
  double   label_size;
} TriadPanelPairLayout;

void     triad_panel_pair_layout (const TriadPanelPair   *pair,
                                  const TriadFigureStyle *style,
                                  double                  width,
                                  double                  height,
                                  TriadPanelPairLayout   *layout);
void     triad_panel_pair_draw   (cairo_t                *cr,
                                  const TriadPanelPair   *pair,
                                  const TriadFigureStyle *style,
                                  double                  width,
                                  double                  height);
/* The row and column of panel i that the hover lights: the hovered panel's own, and in the
 * other panel the same row and column where they hold the same token (the first rows always
 * match: the prompt's last token and <bos> both stand before the first Russian word). */
void     triad_panel_pair_lit    (const TriadPanelPair   *pair,
                                  int                     i,
                                  int                    *row,
                                  int                    *col);
/* The panel, row and column under (x, y) (a label gives -1 for the other); FALSE over none. */
gboolean triad_panel_pair_hit    (const TriadPanelPair   *pair,
                                  const TriadFigureStyle *style,
                                  double                  width,
                                  double                  height,
                                  double                  x,
                                  double                  y,
                                  int                    *panel,
                                  int                    *row,
                                  int                    *col);

G_END_DECLS
