/* lesson-cost-scene.h — the Lesson's cost figure: what attention costs an encoder-decoder and
 * a decoder-only model as the input grows (engine/cost.h's numbers, figures/cost-chart's
 * drawing), for an output's length and a width the reader sets. The Lesson page and
 * `triad export --view lesson-cost` draw the same scene. */
#pragma once

#include "figures/cost-chart.h"
#include "scenes/scene.h"

G_BEGIN_DECLS

typedef struct {
  double output_tokens;   /* m */
  double width;           /* d, the width of attention */
  double max_input;       /* the longest input drawn, the x axis' end */
} TriadLessonCostOptions;

/* The panels a hit finds: the FLOPs, the memory. */
typedef enum {
  TRIAD_LESSON_COST_FLOPS,
  TRIAD_LESSON_COST_MEMORY,
} TriadLessonCostPanel;

typedef struct _TriadLessonCostScene TriadLessonCostScene;

/* m = 500, d = 4096, inputs up to 100 000 tokens. */
void                  triad_lesson_cost_options_init   (TriadLessonCostOptions       *opt);

TriadLessonCostScene *triad_lesson_cost_scene_new      (void);
void                  triad_lesson_cost_scene_free     (TriadLessonCostScene         *scene);
/* Takes opt, and writes the title in the language gettext speaks now. */
void                  triad_lesson_cost_scene_update   (TriadLessonCostScene         *scene,
                                                        const TriadLessonCostOptions *opt);
const char           *triad_lesson_cost_scene_get_title (TriadLessonCostScene        *scene);
/* The figure's height at width: the export's 1100 × 640 when the panels stand abreast,
 * taller when a narrow figure stacks them. */
double                triad_lesson_cost_scene_natural_height (TriadLessonCostScene   *scene,
                                                              const TriadFigureStyle *style,
                                                              double                  width);
void                  triad_lesson_cost_scene_draw     (TriadLessonCostScene         *scene,
                                                        cairo_t                      *cr,
                                                        const TriadFigureStyle       *style,
                                                        double                        width,
                                                        double                        height);
/* The panel under (x, y) of that figure, -1 for neither. */
int                   triad_lesson_cost_scene_hit      (TriadLessonCostScene         *scene,
                                                        const TriadFigureStyle       *style,
                                                        double                        width,
                                                        double                        height,
                                                        double                        x,
                                                        double                        y);

/* The scene as a TriadScene drawn with opt (scene must outlive it). Hit parts: panel, a
 * TriadLessonCostPanel; the figure lights nothing. */
TriadScene           *triad_lesson_cost_scene_as_scene (TriadLessonCostScene         *scene,
                                                        const TriadLessonCostOptions *opt);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (TriadLessonCostScene, triad_lesson_cost_scene_free)

G_END_DECLS
