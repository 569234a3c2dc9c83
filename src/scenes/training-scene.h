/* training-scene.h — the Training view's filmstrip: one head learning, its attention on the
 * probe at a few kept steps side by side and the loss under them, from a run on record (a live
 * run's, or snapshot files read back). The Training page and `triad export --view training`
 * draw the same scene. */
#pragma once

#include "engine/watch.h"
#include "figures/filmstrip.h"
#include "scenes/scene.h"

G_BEGIN_DECLS

#define TRIAD_TRAINING_MAX_PANELS 10
#define TRIAD_TRAINING_AUTO_PANELS 8

typedef struct {
  int           layer, head;     /* the head shown; -1, -1: the best induction head at the end */
  int           n_steps;         /* 0: TRIAD_TRAINING_AUTO_PANELS steps chosen (see below) */
  int           steps[TRIAD_TRAINING_MAX_PANELS];
  TriadColormap cmap;
} TriadTrainingOptions;

typedef struct _TriadTrainingScene TriadTrainingScene;

void                triad_training_options_init     (TriadTrainingOptions       *opt);

/* record is borrowed: it must outlive the scene, or be replaced with set_record first. */
TriadTrainingScene *triad_training_scene_new        (const TriadWatchRecord     *record);
void                triad_training_scene_free       (TriadTrainingScene         *scene);
void                triad_training_scene_set_record (TriadTrainingScene         *scene,
                                                     const TriadWatchRecord     *record);
/* Takes opt: the head and the steps drawn, the title in the language gettext speaks now.
 * Steps with no snapshot are left out. */
void                triad_training_scene_update     (TriadTrainingScene         *scene,
                                                     const TriadTrainingOptions *opt);
const char         *triad_training_scene_get_title  (TriadTrainingScene         *scene);
/* What the last update drew: the head, and the steps of the panels (n of them). */
void                triad_training_scene_get_head   (TriadTrainingScene         *scene,
                                                     int                        *layer,
                                                     int                        *head);
const int          *triad_training_scene_get_steps  (TriadTrainingScene         *scene,
                                                     int                        *n);
void                triad_training_scene_draw       (TriadTrainingScene         *scene,
                                                     cairo_t                    *cr,
                                                     const TriadFigureStyle     *style,
                                                     double                      width,
                                                     double                      height);

/* The steps shown when none are asked for: n snapshots spread evenly from the first to the
 * last (after a phase change, to three times its step), the phase change's among them, written into steps; returns how many (fewer when the
 * record has fewer snapshots). */
int                 triad_training_auto_steps       (const TriadWatchRecord     *record,
                                                     int                         n,
                                                     int                        *steps);

/* The scene as a TriadScene drawn with opt (scene must outlive it); nothing is lit. */
TriadScene         *triad_training_scene_as_scene   (TriadTrainingScene         *scene,
                                                     const TriadTrainingOptions *opt);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (TriadTrainingScene, triad_training_scene_free)

G_END_DECLS
