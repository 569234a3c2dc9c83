/* training-scene-live.h — the Training view as the window draws it while a run goes on: the
 * loss over the steps, every head's score over the snapshots (the chosen head strongest), and
 * the chosen head's attention on the probe at the timeline's snapshot beside the same head at
 * an earlier step and their difference; the phase change and the timeline's position marked
 * on the curves. From a run on record (a live run's copy, or snapshot files read back), so
 * that the window's export and `triad export --view training --figure live` draw the same. */
#pragma once

#include "engine/watch.h"
#include "figures/masks.h"
#include "figures/training-curves.h"
#include "scenes/scene.h"

G_BEGIN_DECLS

/* The panels, as a hit part's panel: the two charts (row: the step under the pointer) and the
 * three maps (row and col: the query and the key, value: the cell's number). */
typedef enum {
  TRIAD_TRAINING_LIVE_LOSS,
  TRIAD_TRAINING_LIVE_SCORES,
  TRIAD_TRAINING_LIVE_NOW,        /* the head at the timeline's snapshot */
  TRIAD_TRAINING_LIVE_THEN,       /* the head at the compare step */
  TRIAD_TRAINING_LIVE_DIFFERENCE, /* now − then, on a diverging scale */
  TRIAD_TRAINING_LIVE_N_PANELS /*< skip >*/
} TriadTrainingLivePanel;

typedef struct {
  int           layer, head;     /* the head shown; -1, -1: the best at the shown snapshot */
  int           step;            /* the snapshot shown; -1: the latest */
  int           compare_step;    /* the earlier snapshot beside it; -1: the first */
  TriadColormap cmap;
  /* lit: a panel (-1: none), the cell of the maps (every map lights it), or a chart's step */
  int           hover_panel, hover_row, hover_col, hover_step;
} TriadTrainingLiveOptions;

typedef struct _TriadTrainingLiveScene TriadTrainingLiveScene;

void                    triad_training_live_options_init (TriadTrainingLiveOptions *opt);

/* record is borrowed: it must outlive the scene, or be replaced with set_record first (NULL:
 * no run yet). run_steps is the run's length, where the curves' axis ends (<= 0: the last
 * snapshot's step). */
TriadTrainingLiveScene *triad_training_live_scene_new        (void);
void                    triad_training_live_scene_free       (TriadTrainingLiveScene *scene);
void                    triad_training_live_scene_set_record (TriadTrainingLiveScene *scene,
                                                              const TriadWatchRecord *record,
                                                              int                     run_steps);
/* Takes opt: the snapshots, the head and the lit cell, the words in the language gettext
 * speaks now. */
void                    triad_training_live_scene_update     (TriadTrainingLiveScene         *scene,
                                                              const TriadTrainingLiveOptions *opt);
const char             *triad_training_live_scene_get_title  (TriadTrainingLiveScene *scene);
/* What the last update drew: the head, the snapshots of the two maps (NULL: none yet). */
void                    triad_training_live_scene_get_head   (TriadTrainingLiveScene *scene,
                                                              int                    *layer,
                                                              int                    *head);
const TriadWatchSnapshot *triad_training_live_scene_get_now  (TriadTrainingLiveScene *scene);
const TriadWatchSnapshot *triad_training_live_scene_get_then (TriadTrainingLiveScene *scene);
/* A map as drawn, (n_q, n_k) of it; NULL for a chart or before the first snapshot. */
const float            *triad_training_live_scene_get_map    (TriadTrainingLiveScene *scene,
                                                              TriadTrainingLivePanel  panel,
                                                              int                    *n_q,
                                                              int                    *n_k);
/* The probe's tokens down the maps' rows (queries) and along their columns (keys). */
const char * const     *triad_training_live_scene_get_labels (TriadTrainingLiveScene *scene,
                                                              gboolean                queries);
void                    triad_training_live_scene_draw       (TriadTrainingLiveScene *scene,
                                                              cairo_t                *cr,
                                                              const TriadFigureStyle *style,
                                                              double                  width,
                                                              double                  height);
/* What (x, y) of that figure is over (see TriadTrainingLivePanel); FALSE over nothing. */
gboolean                triad_training_live_scene_hit        (TriadTrainingLiveScene *scene,
                                                              const TriadFigureStyle *style,
                                                              double                  width,
                                                              double                  height,
                                                              double                  x,
                                                              double                  y,
                                                              TriadScenePart         *part);
/* What a part holds, as the hover readout says it; NULL for nothing. */
char                   *triad_training_live_scene_describe_part (TriadTrainingLiveScene *scene,
                                                                 const TriadScenePart   *part);
/* The figure in sentences for a screen reader; NULL before the first snapshot. */
char                   *triad_training_live_scene_describe   (TriadTrainingLiveScene *scene);

/* The scene as a TriadScene drawn with opt (scene must outlive it); hovering lights a cell or
 * a step. */
TriadScene             *triad_training_live_scene_as_scene   (TriadTrainingLiveScene         *scene,
                                                              const TriadTrainingLiveOptions *opt);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (TriadTrainingLiveScene, triad_training_live_scene_free)

G_END_DECLS
