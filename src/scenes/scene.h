/* scene.h — what every view's scene offers the window and `triad export` alike, whatever the
 * view: its natural size, its title, drawing the whole figure in an explicit style at any
 * size, what a point of it is over, lighting that, and its words rebuilt in the language
 * gettext speaks now. One scene widget in the window draws any of them through this.
 *
 * A TriadScene is a view's scene with the options it is drawn with: each view's adapter
 * (triad_<view>_scene_as_scene) borrows the view's scene, which must outlive it, and keeps a
 * copy of its options, which triad_scene_set_options replaces. */
#pragma once

#include <cairo.h>
#include <glib.h>

#include "figures/figures.h"

G_BEGIN_DECLS

/* What a point of a figure is over, in the scene's own terms. */
typedef struct {
  int    panel;   /* the panel, figure or grid row (each scene says which); -1: nothing */
  int    row;     /* a row, query, target token or step; -1: none */
  int    col;     /* a column, key or source token; -1: none */
  int    a, b;    /* more of what is lit where a scene needs it (each says what); -1: none */
  double value;   /* a position along an axis, a context in tokens; 0: none */
} TriadScenePart;

#define TRIAD_SCENE_PART_NONE ((TriadScenePart) { -1, -1, -1, -1, -1, 0.0 })

typedef struct _TriadScene      TriadScene;
typedef struct _TriadSceneClass TriadSceneClass;

/* A view's own scene functions, called with the view's scene (inner) and, for update, the
 * options: every view's scene has them in these shapes (its own types for the gpointers), so
 * a class names them, cast as a GDestroyNotify is, and no view wraps them again. */
typedef void        (*TriadSceneUpdateFunc) (gpointer                inner,
                                             gconstpointer           opts);
typedef const char *(*TriadSceneTitleFunc)  (gpointer                inner);
typedef void        (*TriadSceneDrawFunc)   (gpointer                inner,
                                             cairo_t                *cr,
                                             const TriadFigureStyle *style,
                                             double                  width,
                                             double                  height);
typedef double      (*TriadSceneHeightFunc) (gpointer                inner,
                                             const TriadFigureStyle *style,
                                             double                  width);

/* A view: its options and its scene's functions, shared by every way of drawing it (a class). */
typedef struct {
  const char          *name;           /* as `triad export --view` takes it */
  gsize                options_size;   /* the size of the view's options */
  /* Rebuilds the figures and titles from the options, in the language gettext speaks now. */
  TriadSceneUpdateFunc update;
  TriadSceneTitleFunc  title;
  /* Sets the options' hover to part (panel -1: nothing lit); NULL: the view lights nothing. */
  void               (*hover)          (TriadScene             *scene,
                                        const TriadScenePart   *part);
} TriadSceneViewFuncs;

/* One way of drawing a view: the whole figure, or one of its panels, or the figure as the
 * window shows it. */
struct _TriadSceneClass {
  const TriadSceneViewFuncs *view;
  TriadSceneDrawFunc         draw;
  /* The height the figure asks for at a width; NULL: width × aspect, rounded. */
  TriadSceneHeightFunc       natural_height;
  double                     aspect;
  /* What a point is over, in the view's terms; NULL: nothing ever is. */
  gboolean                 (*hit)      (TriadScene             *scene,
                                        const TriadFigureStyle *style,
                                        double                  width,
                                        double                  height,
                                        double                  x,
                                        double                  y,
                                        TriadScenePart         *part);
};

/* A view's scene and the options it is drawn with. */
struct _TriadScene {
  const TriadSceneClass *klass;
  gpointer               inner;     /* the view's own scene */
  gpointer               options;   /* the view's options, klass->view->options_size bytes */
};

/* For adapters: a scene of klass around inner with a copy of opts (the view's options type),
 * updated. */
TriadScene     *triad_scene_new            (const TriadSceneClass  *klass,
                                            gpointer                inner,
                                            gconstpointer           opts);
void            triad_scene_free           (TriadScene             *scene);

const char     *triad_scene_get_name       (TriadScene             *scene);
gpointer        triad_scene_get_inner      (TriadScene             *scene);
/* The options drawn with (the view's options type); change them with set_options. */
gconstpointer   triad_scene_get_options    (TriadScene             *scene);
/* Copies opts (the view's options type) and updates the figures with them. */
void            triad_scene_set_options    (TriadScene             *scene,
                                            gconstpointer           opts);
/* The height the figure asks for at width. */
double          triad_scene_natural_height (TriadScene             *scene,
                                            const TriadFigureStyle *style,
                                            double                  width);
/* The figure's title as the last update (or relabel) wrote it; "" for none. */
const char     *triad_scene_get_title      (TriadScene             *scene);
/* The whole figure into cr at width × height, in style. */
void            triad_scene_draw           (TriadScene             *scene,
                                            cairo_t                *cr,
                                            const TriadFigureStyle *style,
                                            double                  width,
                                            double                  height);
/* What (x, y) of that figure is over; FALSE, and part TRIAD_SCENE_PART_NONE, over nothing. */
gboolean        triad_scene_hit            (TriadScene             *scene,
                                            const TriadFigureStyle *style,
                                            double                  width,
                                            double                  height,
                                            double                  x,
                                            double                  y,
                                            TriadScenePart         *part);
/* Lights part (NULL: nothing) and updates the figures. */
void            triad_scene_hover          (TriadScene             *scene,
                                            const TriadScenePart   *part);
/* Rebuilds the words in the language gettext speaks now. */
void            triad_scene_relabel        (TriadScene             *scene);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (TriadScene, triad_scene_free)

G_END_DECLS
