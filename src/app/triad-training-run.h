/* triad-training-run.h — a training run stepped in a worker thread of its own, for the
 * Training page: the thread makes the run, then steps it a few optimiser steps at a time,
 * `speed` steps a tick, until it is done, paused or stopped. The main thread only reads the
 * run through the watch's getters (engine/watch.h says which may be called from any thread)
 * and never waits on a step, except when it frees the run: that joins the thread, which
 * stops within one step. */
#pragma once

#include <glib.h>

#include "engine/watch.h"

G_BEGIN_DECLS

/* A tick of the speed's steps, in microseconds: speed 10 is 100 steps a second. */
#define TRIAD_TRAINING_TICK_US 100000

typedef struct _TriadTrainingRun TriadTrainingRun;

/* Starts the worker on a run of opt, stepping speed steps a tick (0: as fast as it can);
 * paused, it makes the run (its snapshot of step 0) and waits to be resumed. */
TriadTrainingRun *triad_training_run_new         (const TriadWatchOptions *opt,
                                                  int                      speed,
                                                  gboolean                 paused);
/* Stops the worker (within a step), joins it, and frees the run. */
void              triad_training_run_free        (TriadTrainingRun        *run);
void              triad_training_run_set_speed   (TriadTrainingRun        *run,
                                                  int                      speed);
/* Paused, the worker waits after the step it is in; it goes on from there when resumed. */
void              triad_training_run_set_paused  (TriadTrainingRun        *run,
                                                  gboolean                 paused);
gboolean          triad_training_run_get_paused  (TriadTrainingRun        *run);
/* Whether the worker is waiting, paused, and steps no more until resumed. */
gboolean          triad_training_run_is_idle     (TriadTrainingRun        *run);
/* The run, once the worker has made it; NULL before that, or when making it failed. */
TriadWatch       *triad_training_run_get_watch   (TriadTrainingRun        *run);
/* Whether the worker has ended: the run is done, or it failed (error set to why). */
gboolean          triad_training_run_is_finished (TriadTrainingRun        *run,
                                                  GError                 **error);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (TriadTrainingRun, triad_training_run_free)

G_END_DECLS
