/* triad-scene-view.h — the one widget that shows a view's scene (scenes/scene.h): drawn in
 * the theme's style at the page's font scale, a focus ring when the keyboard is on it, and
 * what the pointer is over found by the scene's hit test, lit in the scene and told by a
 * signal. */
#pragma once

#include <gtk/gtk.h>

#include "scenes/scene-describe.h"
#include "scenes/scene.h"

G_BEGIN_DECLS

#define TRIAD_TYPE_SCENE_VIEW (triad_scene_view_get_type ())

G_DECLARE_FINAL_TYPE (TriadSceneView, triad_scene_view, TRIAD, SCENE_VIEW, GtkWidget)

GtkWidget       *triad_scene_view_new            (void);
/* Takes scene (NULL: nothing drawn); the view is as high as the scene asks at its width. */
void             triad_scene_view_set_scene      (TriadSceneView   *self,
                                                  TriadScene       *scene);
TriadScene      *triad_scene_view_get_scene      (TriadSceneView   *self);
/* The style the view draws with: the theme's colours, its background left to the window,
 * and the font scale. */
void             triad_scene_view_get_style      (TriadSceneView   *self,
                                                  TriadFigureStyle *style);
/* Whether the theme is high contrast (GTK's HighContrast or HighContrastInverse): the style
 * is then triad_figure_style_make_high_contrast's. */
gboolean         triad_scene_view_is_high_contrast (TriadSceneView *self);
void             triad_scene_view_set_font_scale (TriadSceneView   *self,
                                                  double            scale);
/* Whether the view draws the figure at whatever height it is given (asking for at most a
 * few hundred pixels), as a page's one figure does; else it asks for the scene's height. */
void             triad_scene_view_set_fill       (TriadSceneView   *self,
                                                  gboolean          fill);
double           triad_scene_view_get_font_scale (TriadSceneView   *self);
/* What the pointer is over, as the last hover-changed told it. */
void             triad_scene_view_get_hover      (TriadSceneView   *self,
                                                  TriadScenePart   *part);
/* The pointer at (x, y) of the view, as motion gives it (x < 0: it left): lights what is
 * there in the scene and, when that changed, redraws and emits hover-changed. */
void             triad_scene_view_hover_at       (TriadSceneView   *self,
                                                  double            x,
                                                  double            y);
/* The keyboard's cell moved (Shift with an arrow, Home, End, Page Up or Down does this): lit
 * as hover is, hover-changed emitted, and its readout the view's accessible description.
 * FALSE when the figure has no cells to walk. */
gboolean         triad_scene_view_walk           (TriadSceneView   *self,
                                                  TriadSceneMove    move);
/* What a screen reader is told of the figure (its accessible description): the cell the
 * keyboard lit, as the readout says it, else the figure and its strongest cells; NULL for no
 * figure. */
const char      *triad_scene_view_get_description (TriadSceneView  *self);

G_END_DECLS
