/* figures-private.h — text, colour bars and cell images, shared by the figures. */
#pragma once

#include <pango/pangocairo.h>

#include "figures/axis.h"
#include "figures/figures.h"

G_BEGIN_DECLS

#define TRIAD_LOG_FLOOR 1e-4

/* Sizes of the parts every figure shares, in user units before the font scale. */
#define TRIAD_FIG_PAD         12.0
#define TRIAD_FIG_TITLE_SIZE  14.0
#define TRIAD_FIG_TICK_SIZE   10.0
#define TRIAD_FIG_LABEL_MIN    7.0
#define TRIAD_FIG_LABEL_MAX   12.0
#define TRIAD_AXIS_TICK_LEN    4.0    /* a labelled tick's mark; its label stands 2 further off */

/* Text through one Pango context whose metrics do not depend on the target: unhinted and
 * unrounded, so a figure measures the same on screen, in a layout pass without a cairo_t,
 * and in an export at any scale. */
typedef struct {
  PangoContext *ctx;
  cairo_t      *cr;           /* NULL when only measuring */
  const char   *family;
  double        fs;           /* the style's font scale, within bounds */
  double        min_size;     /* the smallest size set, 0 for none (triad_figure_style_min_text) */
} TriadText;

void         triad_text_init    (TriadText              *text,
                                 cairo_t                *cr,
                                 const TriadFigureStyle *style);
void         triad_text_clear   (TriadText              *text);
/* size, or the smallest the style allows if that is larger: what triad_text_layout sets, for
 * a painter deciding whether a label fits */
static inline double
triad_text_min (const TriadText *text,
                double           size)
{
  return MAX (size, text->min_size);
}
/* A one-line layout of `size` user units, ellipsised past max_width (<= 0: never). */
PangoLayout *triad_text_layout  (TriadText              *text,
                                 const char             *str,
                                 double                  size,
                                 gboolean                bold,
                                 double                  max_width);
void         triad_text_size    (PangoLayout            *layout,
                                 double                 *width,
                                 double                 *height);
/* Draws layout turned by angle (radians, clockwise) about (x, y), with the point (ax, ay) of
 * its logical box, in fractions of its width and height, at (x, y). */
void         triad_text_draw    (TriadText              *text,
                                 PangoLayout            *layout,
                                 double                  x,
                                 double                  y,
                                 double                  angle,
                                 double                  ax,
                                 double                  ay,
                                 const double            rgba[4]);
/* The widest of strs at size, ellipsised past max_width. */
double       triad_text_max_width (TriadText            *text,
                                   const char * const   *strs,
                                   int                   n,
                                   double                size,
                                   double                max_width);

double       triad_figure_font_scale (const TriadFigureStyle *style);
void         triad_figure_fill_bg    (cairo_t                *cr,
                                      const TriadFigureStyle *style,
                                      double                  width,
                                      double                  height);
/* The figure's title at the top, centred on [x, x + width]; returns its height. */
double       triad_figure_title_height (TriadText  *text,
                                        const char *title);
void         triad_figure_draw_title   (TriadText              *text,
                                        const TriadFigureStyle *style,
                                        const char             *title,
                                        double                  x,
                                        double                  y,
                                        double                  width);

/* A colour bar: the width it needs right of the bar itself, and the drawing. */
double       triad_colorbar_extra_width (TriadText          *text,
                                         TriadNormalization  norm,
                                         double              global_max,
                                         const char         *label);
void         triad_colorbar_draw        (TriadText              *text,
                                         const TriadFigureStyle *style,
                                         TriadColormap           cmap,
                                         TriadNormalization      norm,
                                         double                  global_max,
                                         const char             *label,
                                         double                  x,
                                         double                  y,
                                         double                  w,
                                         double                  h);

double           triad_weights_max          (const float        *weights,
                                             size_t              n);
/* An n_k × n_q RGB image of the weights, one pixel a cell; global_max for TRIAD_NORM_GLOBAL. */
cairo_surface_t *triad_render_cells         (const float        *weights,
                                             int                 n_q,
                                             int                 n_k,
                                             TriadColormap       cmap,
                                             TriadNormalization  norm,
                                             double              global_max);

/* Paints an (n_q, n_k) image of cells into the rectangle, one pixel a cell, scaled without
 * smoothing so cells stay sharp at any zoom. */
void         triad_paint_cells          (cairo_t         *cr,
                                         cairo_surface_t *cells,
                                         double           x,
                                         double           y,
                                         double           width,
                                         double           height);

/* An outline of the rectangle that shows on any colour of the map: a halo of the
 * background's contrary under the colour. */
void         triad_figure_outline       (cairo_t                *cr,
                                         const TriadFigureStyle *style,
                                         const double            rgba[4],
                                         double                  x,
                                         double                  y,
                                         double                  w,
                                         double                  h,
                                         double                  line_width,
                                         gboolean                halo);

/* ---- the charts' parts -------------------------------------------------------------- */

void    triad_chart_set_source  (cairo_t                *cr,
                                 const double            rgba[4],
                                 double                  alpha);
/* The height of a line of text at size, and the width of str. */
double  triad_chart_line_height (TriadText              *text,
                                 double                  size);
double  triad_chart_text_width  (TriadText              *text,
                                 const char             *str,
                                 double                  size,
                                 gboolean                bold);
/* One line of text, as triad_text_draw places it; nothing for NULL or "". */
void    triad_chart_label       (TriadText              *text,
                                 const char             *str,
                                 double                  size,
                                 gboolean                bold,
                                 double                  x,
                                 double                  y,
                                 double                  angle,
                                 double                  ax,
                                 double                  ay,
                                 const double            rgba[4]);
/* The same, elided with "…" where it is wider than max_width, and left out where max_width
 * holds less than two characters and the ellipsis: what does not fit at the size the surface
 * allows is cut or dropped by rule, never set smaller. */
void    triad_chart_label_within (TriadText             *text,
                                  const char            *str,
                                  double                 size,
                                  gboolean               bold,
                                  double                 x,
                                  double                 y,
                                  double                 angle,
                                  double                 ax,
                                  double                 ay,
                                  double                 max_width,
                                  const double           rgba[4]);
/* The plot's left and bottom edges, from (x0, y0) down to y1 and across to x1. */
void    triad_chart_frame       (cairo_t                *cr,
                                 const TriadFigureStyle *style,
                                 double                  x0,
                                 double                  y0,
                                 double                  x1,
                                 double                  y1,
                                 double                  fs);

/* The axis' grid lines, tick marks and labels: a vertical axis at x with its grid to
 * grid_x1, labels left of it, a label that would touch the one below left out; a horizontal
 * axis at y with its grid up to grid_y0, labels under it, one that would touch the one left
 * of it left out. */
void    triad_axis_draw_y (TriadText              *text,
                           const TriadFigureStyle *style,
                           const TriadAxis        *axis,
                           TriadAxisUnit           unit,
                           TriadAxisTickFlags      flags,
                           double                  x,
                           double                  grid_x1);
void    triad_axis_draw_x (TriadText              *text,
                           const TriadFigureStyle *style,
                           const TriadAxis        *axis,
                           TriadAxisUnit           unit,
                           TriadAxisTickFlags      flags,
                           double                  y,
                           double                  grid_y0);

/* The widest label of the axis' labelled ticks at size. */
double  triad_axis_labels_width (TriadText          *text,
                                 const TriadAxis    *axis,
                                 TriadAxisUnit       unit,
                                 TriadAxisTickFlags  flags,
                                 double              size);

/* Writes an ARGB32 image as a PNG through write, deflated at zlib's fastest level. */
cairo_status_t triad_write_png (cairo_surface_t    *surface,
                                cairo_write_func_t  write,
                                void               *closure);

G_END_DECLS
