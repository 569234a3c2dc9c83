/* triad-figure-view.h — a widget that draws the Attention view's scene with the theme's
 * colours, and reports what the pointer is over through the scene's hit test. */
#pragma once

#include <gtk/gtk.h>

#include "figures/figures.h"
#include "scenes/attention-scene.h"

G_BEGIN_DECLS

#define TRIAD_TYPE_FIGURE_VIEW (triad_figure_view_get_type ())

G_DECLARE_FINAL_TYPE (TriadFigureView, triad_figure_view, TRIAD, FIGURE_VIEW, GtkWidget)

GtkWidget       *triad_figure_view_new         (void);
/* The scene to draw, or NULL for nothing; the caller keeps it alive while it is set, updates
 * it (a hover, new options) and calls queue_draw. */
void             triad_figure_view_set_scene   (TriadFigureView     *self,
                                                TriadAttentionScene *scene);
/* What the pointer is over, as the scene's hit test counts it and as in the hover-changed
 * signal: -1 for nothing. */
void             triad_figure_view_get_hover   (TriadFigureView     *self,
                                                int                 *a,
                                                int                 *b);
/* Forgets what the pointer was over (the figure changed shape), without a signal. */
void             triad_figure_view_reset_hover (TriadFigureView     *self);
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

G_END_DECLS
