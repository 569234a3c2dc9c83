/* scene.c — the common face of the views' scenes: a class of functions, the view's scene and
 * a copy of its options. */
#include "config.h"

#include <math.h>
#include <string.h>

#include "scenes/scene.h"

TriadScene *
triad_scene_new (const TriadSceneClass *klass,
                 gpointer               inner,
                 gconstpointer          opts)
{
  TriadScene *scene;

  g_return_val_if_fail (klass != NULL && inner != NULL && opts != NULL, NULL);

  scene = g_new0 (TriadScene, 1);
  scene->klass = klass;
  scene->inner = inner;
  scene->options = g_memdup2 (opts, klass->view->options_size);
  klass->view->update (inner, scene->options);
  return scene;
}

void
triad_scene_free (TriadScene *scene)
{
  if (scene == NULL)
    return;
  g_free (scene->options);
  g_free (scene);
}

const char *
triad_scene_get_name (TriadScene *scene)
{
  g_return_val_if_fail (scene != NULL, NULL);

  return scene->klass->view->name;
}

gpointer
triad_scene_get_inner (TriadScene *scene)
{
  g_return_val_if_fail (scene != NULL, NULL);

  return scene->inner;
}

gconstpointer
triad_scene_get_options (TriadScene *scene)
{
  g_return_val_if_fail (scene != NULL, NULL);

  return scene->options;
}

void
triad_scene_set_options (TriadScene    *scene,
                         gconstpointer  opts)
{
  g_return_if_fail (scene != NULL && opts != NULL);

  memcpy (scene->options, opts, scene->klass->view->options_size);
  scene->klass->view->update (scene->inner, scene->options);
}

double
triad_scene_natural_height (TriadScene             *scene,
                            const TriadFigureStyle *style,
                            double                  width)
{
  g_return_val_if_fail (scene != NULL && style != NULL, 0.0);

  if (scene->klass->natural_height != NULL)
    return scene->klass->natural_height (scene->inner, style, width);
  return round (width * scene->klass->aspect);
}

const char *
triad_scene_get_title (TriadScene *scene)
{
  const char *title;

  g_return_val_if_fail (scene != NULL, NULL);

  title = scene->klass->view->title (scene->inner);
  return title != NULL ? title : "";
}

void
triad_scene_draw (TriadScene             *scene,
                  cairo_t                *cr,
                  const TriadFigureStyle *style,
                  double                  width,
                  double                  height)
{
  g_return_if_fail (scene != NULL && cr != NULL && style != NULL);

  cairo_save (cr);
  scene->klass->draw (scene->inner, cr, style, width, height);
  cairo_restore (cr);
}

gboolean
triad_scene_hit (TriadScene             *scene,
                 const TriadFigureStyle *style,
                 double                  width,
                 double                  height,
                 double                  x,
                 double                  y,
                 TriadScenePart         *part)
{
  TriadScenePart found = TRIAD_SCENE_PART_NONE;
  gboolean hit = FALSE;

  g_return_val_if_fail (scene != NULL && style != NULL && part != NULL, FALSE);

  /* off the figure is over nothing, whatever a figure's own test says of its margins */
  if (scene->klass->hit != NULL && x >= 0 && y >= 0 && x < width && y < height)
    hit = scene->klass->hit (scene, style, width, height, x, y, &found);
  *part = hit ? found : TRIAD_SCENE_PART_NONE;
  return hit;
}

void
triad_scene_hover (TriadScene           *scene,
                   const TriadScenePart *part)
{
  TriadScenePart none = TRIAD_SCENE_PART_NONE;

  g_return_if_fail (scene != NULL);

  if (scene->klass->view->hover != NULL)
    scene->klass->view->hover (scene, part != NULL && part->panel >= 0 ? part : &none);
  scene->klass->view->update (scene->inner, scene->options);
}

void
triad_scene_relabel (TriadScene *scene)
{
  g_return_if_fail (scene != NULL);

  scene->klass->view->update (scene->inner, scene->options);
}
