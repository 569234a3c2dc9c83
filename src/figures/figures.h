/* figures.h — Triad's figures, drawn with Cairo and Pango into any cairo_t at any size, in
 * any language and theme: the one drawing path for the screen and for export. Sizes are in
 * user units (points on paper, logical pixels on screen); the caller's scale handles HiDPI. */
#pragma once

#include <cairo.h>
#include <glib.h>

G_BEGIN_DECLS

typedef enum {
  TRIAD_COLORMAP_VIRIDIS,
  TRIAD_COLORMAP_MAGMA,
  TRIAD_COLORMAP_CIVIDIS,   /* safe for colour-blind viewers */
  TRIAD_COLORMAP_GREY,
  TRIAD_N_COLORMAPS /*< skip >*/
} TriadColormap;

typedef enum {
  TRIAD_NORM_GLOBAL,        /* 0 … the largest weight of the matrix */
  TRIAD_NORM_ROW,           /* each row by its own largest weight */
  TRIAD_NORM_LOG,           /* log10 of the weight over [1e-4, 1] */
  TRIAD_N_NORMS /*< skip >*/
} TriadNormalization;

typedef struct {
  double fg[4];             /* text and lines, RGBA 0…1 */
  double bg[4];             /* the figure's background; alpha 0 for transparent */
  double accent[4];         /* highlights: the hovered cell, lit tokens */
  double font_scale;        /* 1 normal, up to 3 for a lecture hall */
  const char *font_family;  /* NULL: "Sans" */
  /* high contrast (triad_figure_style_make_high_contrast): masked cells filled solid in this
   * colour and bordered in fg, alpha 0 for the figures' own dark hatch; highlight outlines
   * drawn this many times as thick, 0 or 1 for as drawn */
  double masked[4];
  double outline_scale;
  /* > 0: the figure fills a surface this tall in user units (a slide, the screen in
   * presentation mode), and its type is sized from that surface rather than from font_scale
   * alone, so that it reads from the back of a room: see triad_figure_style_font_scale ();
   * 0: font_scale alone */
  double surface_height;
} TriadFigureStyle;

/* The light and dark defaults, for export without a GTK theme. */
void triad_figure_style_init (TriadFigureStyle *style,
                              gboolean          dark);

/* The style made for a high-contrast theme: text and lines pure black or white (as fg is
 * dark or light), highlights in that colour rather than the accent and twice as thick,
 * masked cells solid black with a border, so that neither leans on a shade of colour. */
void triad_figure_style_make_high_contrast (TriadFigureStyle *style);
/* The scale every figure's type and spacing take in style: font_scale, or on a surface
 * (surface_height > 0) at least what makes body text (ticks, token labels at their largest)
 * 2.25 % of the surface's height and titles larger still. */
double triad_figure_style_font_scale (const TriadFigureStyle *style);
/* The smallest type a figure may set in style, in user units: 1.9 % of the surface's height,
 * 0 off a surface. A word that does not fit at this size is dropped by rule (every other
 * tick, a long label elided with "…") rather than set smaller. */
double triad_figure_style_min_text   (const TriadFigureStyle *style);

/* A highlight outline's width w in style (thicker in high contrast). */
double triad_figure_outline_width (const TriadFigureStyle *style,
                                   double                  w);

/* The colour map at t in [0, 1], as 8-bit RGB. */
void triad_colormap_rgb (TriadColormap cmap,
                         double        t,
                         guint8        rgb[3]);
const char *triad_colormap_to_string   (TriadColormap cmap);
gboolean    triad_colormap_from_string (const char *name,
                                        TriadColormap *cmap);
const char *triad_norm_to_string       (TriadNormalization norm);
gboolean    triad_norm_from_string     (const char *name,
                                        TriadNormalization *norm);

/* A weight mapped to [0, 1] under a normalisation; row_max and global_max as computed for it. */
double triad_norm_apply (TriadNormalization norm,
                         double             w,
                         double             row_max,
                         double             global_max);

/* ---- the attention heatmap ----------------------------------------------------------- */

typedef struct {
  const float        *weights;      /* (n_q, n_k) */
  int                 n_q;
  int                 n_k;
  const char * const *q_labels;     /* (n_q) tokens down the left */
  const char * const *k_labels;     /* (n_k) tokens along the top, turned to stay readable */
  const char         *title;        /* model, layer and head */
  const char         *colorbar_label;  /* e.g. "attention weight"; NULL: none */
  TriadColormap       cmap;
  TriadNormalization  norm;
  int                 hover_q;      /* -1 for none: the hovered cell, its row and column lit */
  int                 hover_k;
  gboolean            show_colorbar;
  cairo_surface_t    *cells;        /* optional: triad_heatmap_render_cells () of these weights,
                                     * cmap and norm, kept while they last so a redraw (a hover)
                                     * does not map every cell again; NULL: mapped per draw */
} TriadHeatmap;

/* Where the heatmap's parts fall in a width × height figure; computed once per size. */
typedef struct {
  double x, y;              /* top-left of the matrix */
  double cell_w, cell_h;    /* one cell */
  double width, height;     /* the matrix */
  gboolean show_q_labels;   /* labels only where a cell is tall or wide enough to read them */
  gboolean show_k_labels;
  double label_size;        /* font size of the token labels */
  int    label_step;        /* every label_step-th label shown (a surface's cells too short
                             * for each, labelled-matrix.h); 1: every one */
  double colorbar_x, colorbar_y, colorbar_w, colorbar_h;
} TriadHeatmapLayout;

void     triad_heatmap_layout (const TriadHeatmap       *hm,
                               const TriadFigureStyle   *style,
                               double                    width,
                               double                    height,
                               TriadHeatmapLayout       *layout);
void     triad_heatmap_draw   (cairo_t                  *cr,
                               const TriadHeatmap       *hm,
                               const TriadFigureStyle   *style,
                               double                    width,
                               double                    height);
/* The cells as an n_k × n_q image, one pixel a cell, for TriadHeatmap.cells. */
cairo_surface_t *triad_heatmap_render_cells (const TriadHeatmap *hm);
/* The cell under (x, y); FALSE outside the matrix. */
gboolean triad_heatmap_hit    (const TriadHeatmapLayout *layout,
                               const TriadHeatmap       *hm,
                               double                    x,
                               double                    y,
                               int                      *q,
                               int                      *k);

/* ---- every head of a layer, as small multiples -------------------------------------- */

typedef struct {
  const float        *weights;      /* (n_heads, n_q, n_k) */
  int                 n_heads;
  int                 n_q;
  int                 n_k;
  const char         *title;        /* model and layer */
  TriadColormap       cmap;
  TriadNormalization  norm;         /* global: over the whole layer, so heads compare */
  int                 selected;     /* the head drawn as chosen; -1 for none */
  int                 hover;        /* the head under the pointer; -1 for none */
  const char         *colorbar_label;  /* NULL: none */
  gboolean            show_colorbar;
  int                 kv_group;     /* grouped-query attention: query heads per K/V head, each
                                     * group side by side on a row, set apart and labelled
                                     * "K/V head g"; 0 or 1: every head its own (MHA) */
  const char * const *q_labels;     /* (n_q) down the left of the first column's maps */
  const char * const *k_labels;     /* (n_k) along the top of the first row's; NULL: none */
} TriadHeadGrid;

/* Captions read "Head N", N counting from 0 as --head does. */

void triad_head_grid_draw (cairo_t                *cr,
                           const TriadHeadGrid    *grid,
                           const TriadFigureStyle *style,
                           double                  width,
                           double                  height);
/* The K/V groups the grid draws: n_heads / kv_group, or 0 when it does not group. */
int  triad_head_grid_n_groups (const TriadHeadGrid *grid);
/* The head under (x, y), or -1. */
int  triad_head_grid_hit  (const TriadHeadGrid    *grid,
                           const TriadFigureStyle *style,
                           double                  width,
                           double                  height,
                           double                  x,
                           double                  y);

/* ---- the same head as lines: queries on the left, keys on the right ---------------- */

typedef struct {
  const float        *weights;      /* (n_q, n_k) */
  int                 n_q;
  int                 n_k;
  const char * const *q_labels;
  const char * const *k_labels;
  const char         *title;
  int                 hover_q;      /* -1: every query's lines; else that query's alone */
} TriadLineView;

void triad_lines_draw (cairo_t                *cr,
                       const TriadLineView    *view,
                       const TriadFigureStyle *style,
                       double                  width,
                       double                  height);
/* The query token under (x, y) on the left column, or -1. */
int  triad_lines_hit  (const TriadLineView    *view,
                       const TriadFigureStyle *style,
                       double                  width,
                       double                  height,
                       double                  x,
                       double                  y);

/* ---- export -------------------------------------------------------------------------- */

typedef void (*TriadDrawFunc) (cairo_t *cr,
                               double   width,
                               double   height,
                               gpointer user_data);

/* Draws width × height user units at `scale` pixels per unit into a PNG at path, through a
 * temporary file renamed at the end: a failed write leaves nothing behind. */
gboolean triad_figure_export_png (const char   *path,
                                  double        width,
                                  double        height,
                                  double        scale,
                                  TriadDrawFunc draw,
                                  gpointer      user_data,
                                  GError      **error);

typedef enum {
  TRIAD_EXPORT_PNG,
  TRIAD_EXPORT_SVG,         /* vector, width × height points; scale is ignored */
  TRIAD_EXPORT_PDF,         /* vector, one page of width × height points */
} TriadExportFormat;

/* The figure in any format, through a temporary file renamed at the end. */
gboolean triad_figure_export (const char        *path,
                              TriadExportFormat  format,
                              double             width,
                              double             height,
                              double             scale,
                              TriadDrawFunc      draw,
                              gpointer           user_data,
                              GError           **error);
/* "png", "svg" or "pdf", in any case; from a path, its extension. */
gboolean triad_export_format_from_string (const char        *name,
                                          TriadExportFormat *format);
gboolean triad_export_format_from_path   (const char        *path,
                                          TriadExportFormat *format);

G_END_DECLS
