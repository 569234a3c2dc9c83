/* triad-training-page.h — the Training view: a small model learning one of the toy world's
 * tasks live, in a worker thread, while the page shows its loss, every head's score and the
 * chosen head's attention on a fixed probe; a timeline of the snapshots kept, scrubbed while
 * paused or after the run, replays the moment a head learns. */
#pragma once

#include <gtk/gtk.h>

#include "engine/watch.h"
#include "scenes/training-scene-live.h"

G_BEGIN_DECLS

#define TRIAD_TYPE_TRAINING_PAGE (triad_training_page_get_type ())

G_DECLARE_FINAL_TYPE (TriadTrainingPage, triad_training_page, TRIAD, TRAINING_PAGE, GtkWidget)

typedef enum {
  TRIAD_TRAINING_IDLE,      /* the run made and parked at step 0, the untrained model shown:
                             * Start lets it go */
  TRIAD_TRAINING_RUNNING,
  TRIAD_TRAINING_PAUSED,
  TRIAD_TRAINING_DONE,      /* the schedule's end, or a failure */
} TriadTrainingState;

GtkWidget          *triad_training_page_new         (void);
/* The run's options from now on (the task's defaults until this is called): the run parked
 * at step 0 is made again of them, else the next run after this one's end. A test's small run,
 * say. */
void                triad_training_page_set_options (TriadTrainingPage       *self,
                                                     const TriadWatchOptions *opt);
void                triad_training_page_start       (TriadTrainingPage       *self);
void                triad_training_page_pause       (TriadTrainingPage       *self);
void                triad_training_page_resume      (TriadTrainingPage       *self);
/* Stops the worker, joins it, and parks a new run at step 0. */
void                triad_training_page_reset       (TriadTrainingPage       *self);
TriadTrainingState  triad_training_page_get_state   (TriadTrainingPage       *self);
/* The optimiser steps done, as the worker has them now (0 without a run). */
int                 triad_training_page_get_step    (TriadTrainingPage       *self);
/* Whether the worker is stepping no more: paused and waiting, done, or no run. */
gboolean            triad_training_page_is_idle     (TriadTrainingPage       *self);
/* Reads the run now, as the page's poll does at display rate: the record, the scene and the
 * controls brought up to date when the run moved on. */
void                triad_training_page_poll        (TriadTrainingPage       *self);
/* The run on record as the page last read it; NULL without a run. */
const TriadWatchRecord *triad_training_page_get_record (TriadTrainingPage    *self);
/* The scene the page draws, on screen and for export. */
TriadTrainingLiveScene *triad_training_page_get_scene  (TriadTrainingPage    *self);
GtkWidget          *triad_training_page_get_canvas  (TriadTrainingPage       *self);
/* What the status line under the controls says. */
const char         *triad_training_page_get_status  (TriadTrainingPage       *self);
/* The timeline's step: the snapshot shown (-1: the latest, as it comes while running). */
int                 triad_training_page_get_position (TriadTrainingPage      *self);
/* Writes the filmstrip of the run into path (PNG, SVG or PDF by its extension). */
gboolean            triad_training_page_export_filmstrip (TriadTrainingPage  *self,
                                                          const char         *path,
                                                          GError            **error);

G_END_DECLS
