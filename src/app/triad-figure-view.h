/* triad-figure-view.h — a widget that draws one of the figures layer's figures (heatmap, head
 * grid, line view) with the theme's colours, and reports what the pointer is over. */
#pragma once

#include <gtk/gtk.h>

#include "figures/figures.h"

G_BEGIN_DECLS

#define TRIAD_TYPE_FIGURE_VIEW (triad_figure_view_get_type ())

G_DECLARE_FINAL_TYPE (TriadFigureView, triad_figure_view, TRIAD, FIGURE_VIEW, GtkWidget)

typedef enum {
  TRIAD_FIGURE_NONE,
  TRIAD_FIGURE_HEATMAP,
  TRIAD_FIGURE_GRID,
  TRIAD_FIGURE_LINES,
} TriadFigureKind;

GtkWidget       *triad_figure_view_new         (void);
/* The figure to draw. The view keeps the struct, not what it points to: the caller keeps
 * weights and labels alive until the next call or until the view is gone. */
void             triad_figure_view_set_heatmap (TriadFigureView     *self,
                                                const TriadHeatmap  *heatmap);
void             triad_figure_view_set_grid    (TriadFigureView     *self,
                                                const TriadHeadGrid *grid);
void             triad_figure_view_set_lines   (TriadFigureView     *self,
                                                const TriadLineView *lines);
void             triad_figure_view_clear       (TriadFigureView     *self);
TriadFigureKind  triad_figure_view_get_kind    (TriadFigureView     *self);
/* What the pointer is over, as in the hover-changed signal: -1 for nothing. */
void             triad_figure_view_get_hover   (TriadFigureView     *self,
                                                int                 *a,
                                                int                 *b);
/* The style the view draws with: the theme's colours and the font scale. */
void             triad_figure_view_get_style   (TriadFigureView     *self,
                                                TriadFigureStyle    *style);
/* The style a figure in widget draws with: the theme's colours, the background left to
 * the window, and font_scale. */
void             triad_figure_style_for_widget (GtkWidget          *widget,
                                                double              font_scale,
                                                TriadFigureStyle   *style);
void             triad_figure_view_set_font_scale (TriadFigureView  *self,
                                                   double            scale);
/* Draws the current figure into cr at width × height in style. */
void             triad_figure_view_draw_with_style (TriadFigureView        *self,
                                                    cairo_t                *cr,
                                                    const TriadFigureStyle *style,
                                                    double                  width,
                                                    double                  height);
/* Draws the current figure into cr, as on screen, at width × height. */
void             triad_figure_view_draw        (TriadFigureView     *self,
                                                cairo_t             *cr,
                                                double               width,
                                                double               height);

G_END_DECLS
