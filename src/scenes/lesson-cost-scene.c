/* lesson-cost-scene.c — the Lesson's cost figure from its options: the chart's parameters
 * and its title. */
#include "config.h"

#include <math.h>

#include "scenes/lesson-cost-scene.h"

/* The export's size, 1100 × 640; a figure narrower than SIDE_BY_SIDE points (times the font
 * scale) stacks its panels, and is then about as tall again as wide. */
#define ASPECT        (640.0 / 1100.0)
#define SIDE_BY_SIDE  560.0
#define STACKED_ASPECT 1.8

struct _TriadLessonCostScene {
  TriadCostChart chart;
  char          *title;
};

void
triad_lesson_cost_options_init (TriadLessonCostOptions *opt)
{
  opt->output_tokens = TRIAD_COST_DEFAULT_OUTPUT;
  opt->width = TRIAD_COST_DEFAULT_WIDTH;
  opt->max_input = TRIAD_COST_DEFAULT_MAX;
}

TriadLessonCostScene *
triad_lesson_cost_scene_new (void)
{
  TriadLessonCostScene *s = g_new0 (TriadLessonCostScene, 1);
  TriadLessonCostOptions opt;

  triad_lesson_cost_options_init (&opt);
  triad_lesson_cost_scene_update (s, &opt);
  return s;
}

void
triad_lesson_cost_scene_free (TriadLessonCostScene *s)
{
  if (s == NULL)
    return;
  g_free (s->title);
  g_free (s);
}

void
triad_lesson_cost_scene_update (TriadLessonCostScene         *s,
                                const TriadLessonCostOptions *opt)
{
  g_return_if_fail (s != NULL && opt != NULL);

  s->chart = (TriadCostChart) {
    .output_tokens = opt->output_tokens,
    .width = opt->width,
    .min_input = TRIAD_COST_DEFAULT_MIN,
    .max_input = opt->max_input,
    .bytes_per_value = 2.0,   /* 16-bit values, as the lesson's models keep them */
  };
  g_free (s->title);
  s->title = triad_cost_chart_title (&s->chart);
}

const char *
triad_lesson_cost_scene_get_title (TriadLessonCostScene *s)
{
  return s->title;
}

double
triad_lesson_cost_scene_natural_height (TriadLessonCostScene   *s,
                                        const TriadFigureStyle *style,
                                        double                  width)
{
  double fs = triad_figure_style_font_scale (style);

  return round (width * (width >= SIDE_BY_SIDE * fs ? ASPECT : STACKED_ASPECT));
}

void
triad_lesson_cost_scene_draw (TriadLessonCostScene   *s,
                              cairo_t                *cr,
                              const TriadFigureStyle *style,
                              double                  width,
                              double                  height)
{
  triad_cost_chart_draw (cr, &s->chart, style, width, height);
}

int
triad_lesson_cost_scene_hit (TriadLessonCostScene   *s,
                             const TriadFigureStyle *style,
                             double                  width,
                             double                  height,
                             double                  x,
                             double                  y)
{
  return triad_cost_chart_hit (&s->chart, style, width, height, x, y);
}

/* ---- as a TriadScene ------------------------------------------------------------------ */

static gboolean
scene_hit (TriadScene             *scene,
           const TriadFigureStyle *style,
           double                  width,
           double                  height,
           double                  x,
           double                  y,
           TriadScenePart         *part)
{
  part->panel = triad_lesson_cost_scene_hit (scene->inner, style, width, height, x, y);
  return part->panel >= 0;
}

static const TriadSceneViewFuncs lesson_cost_view = {
  .name = "lesson-cost",
  .options_size = sizeof (TriadLessonCostOptions),
  .update = (TriadSceneUpdateFunc) triad_lesson_cost_scene_update,
  .title = (TriadSceneTitleFunc) triad_lesson_cost_scene_get_title,
};

/* The curves are read off their axes: nothing is lit. */
static const TriadSceneClass lesson_cost_class = {
  .view = &lesson_cost_view,
  .draw = (TriadSceneDrawFunc) triad_lesson_cost_scene_draw,
  .natural_height = (TriadSceneHeightFunc) triad_lesson_cost_scene_natural_height,
  .hit = scene_hit,
};

TriadScene *
triad_lesson_cost_scene_as_scene (TriadLessonCostScene         *scene,
                                  const TriadLessonCostOptions *opt)
{
  g_return_val_if_fail (scene != NULL && opt != NULL, NULL);

  return triad_scene_new (&lesson_cost_class, scene, opt);
}
