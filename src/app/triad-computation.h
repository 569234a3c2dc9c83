/* triad-computation.h — the one background computation every page of the window owns: a
 * worker function run in a thread (the models loaded there too), the one before cancelled, a
 * late result of an old input dropped, the page's "busy" state, and the outcome back on the
 * main context: the result to the page, an error through the page's failure report. */
#pragma once

#include <gtk/gtk.h>

#include "app/triad-view.h"

G_BEGIN_DECLS

typedef struct _TriadComputation TriadComputation;

/* Runs in a worker thread: the result, or NULL with error set. It may return early when
 * cancellable is cancelled; whatever it returns then is dropped. */
typedef gpointer (*TriadComputeFunc) (gpointer       data,
                                      GCancellable  *cancellable,
                                      GError       **error);
/* On the main thread, for the newest start only: the page takes the result. */
typedef void     (*TriadComputeDone) (TriadView     *view,
                                      gpointer       result);

/* On the main thread, for the newest start only, in place of the usual report: a page whose
 * errors mean something else (the end of the decoder's positions, say) says so itself. */
typedef void     (*TriadComputeFailed) (TriadView    *view,
                                        const GError *error);

/* For view, which owns it and frees it in its dispose. Errors show in message (may be NULL)
 * and are emitted as the view's "failed"; result_free frees a result that is dropped. */
TriadComputation *triad_computation_new            (TriadView        *view,
                                                    GtkLabel         *message,
                                                    TriadComputeDone  done,
                                                    GDestroyNotify    result_free);
/* The page's own handling of errors, instead of the message and "failed". */
void              triad_computation_set_failed_func (TriadComputation   *self,
                                                     TriadComputeFailed  failed);
/* Cancels the computation before and starts func (data) in a worker thread; data_free
 * frees data afterwards, in whichever thread finishes with it. The view is busy until the
 * outcome of this start arrives. */
void              triad_computation_start          (TriadComputation *self,
                                                    TriadComputeFunc  func,
                                                    gpointer          data,
                                                    GDestroyNotify    data_free);
/* Cancels what computes: its result is dropped, and the view is no longer busy. */
void              triad_computation_cancel         (TriadComputation *self);
/* TRUE from a start until its outcome arrives (or it is cancelled). */
gboolean          triad_computation_get_busy       (TriadComputation *self);
/* How many starts there have been: a result is delivered only for the last. */
guint             triad_computation_get_generation (TriadComputation *self);
/* Cancels, forgets the view, and lets go: a thread still running ends on its own. */
void              triad_computation_free           (TriadComputation *self);

/* For the language switch, on the main thread: cancels every computation's worker that runs
 * and waits until none does; workers started meanwhile wait until the matching release.
 * Between the two the process's environment and locale may change safely. */
void              triad_computation_hold_workers    (void);
void              triad_computation_release_workers (void);
/* The workers running a computation's function now, of every computation. */
int               triad_computation_get_n_running   (void);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (TriadComputation, triad_computation_free)

G_END_DECLS
