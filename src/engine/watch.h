/* watch.h — a training run to watch: a small model learning one of the toy world's tasks,
 * stepped a few optimiser steps at a time (from a worker thread: nothing here touches a
 * display), with a snapshot every `every` steps of what the Training view and
 * `triad train --task` show — the loss, every head's score, and the attention of every layer
 * and head on a fixed probe. Seeded: the same options give the same run, bit for bit, however
 * it is cut into calls, so pausing is just not stepping for a while.
 *
 * The induction task: a decoder of 2 layers on sequences of random lexicon words said two or
 * three times (tasks.h's repeated documents). Two layers is the least an induction head needs:
 * a head of layer 0 copies the previous token into each position, and a head of layer 1
 * matches the current token against that copy and reads the token after the earlier
 * occurrence. The score of every head is the evaluation's (triad_task_induction_scores) on the
 * same held-out sequences at every snapshot. */
#pragma once

#include <glib.h>

#include "engine/model.h"

G_BEGIN_DECLS

typedef enum {
  TRIAD_WATCH_INDUCTION,    /* a decoder copies repeated words: an induction head forms */
  TRIAD_WATCH_TRANSLATION,  /* the encoder-decoder translates: cross-attention aligns */
  TRIAD_WATCH_AGREEMENT,    /* the encoder guesses a hidden Russian verb: a head looks from
                             * the verb to its subject, whose gender the verb takes */
  TRIAD_N_WATCH_TASKS /*< skip >*/
} TriadWatchTask;

/* The phase change of the induction task: the first snapshot where a head past layer 0 has an
 * induction score of this … */
#define TRIAD_WATCH_PHASE_SCORE    0.4
/* … and the model predicts this share of the second saying's tokens (the loss has dropped:
 * before an induction head forms, copying is right about one time in the lexicon's size). */
#define TRIAD_WATCH_PHASE_ACCURACY 0.5
/* Of translation: a cross-attention head aligns this share of the content words. */
#define TRIAD_WATCH_PHASE_ALIGNMENT 0.8
/* Of agreement: a head gives the subject this much of the verb's attention, and this share of
 * the verbs is guessed in the subject's gender (by chance: about one in three). */
#define TRIAD_WATCH_PHASE_SUBJECT   0.4
#define TRIAD_WATCH_PHASE_AGREEMENT 0.8

typedef struct {
  TriadWatchTask task;
  guint64        seed;         /* the weights' and the data's */
  int            steps;        /* the schedule's length, where the run ends */
  int            every;        /* a snapshot every N steps, and at step 0 */
  int            batch;        /* sequences per step */
  float          lr;           /* peak learning rate */
  int            warmup;       /* linear warm-up steps */
  int            dim, n_heads, n_layers, ffn_dim;
  int            eval_examples;  /* held-out sequences each snapshot scores */
} TriadWatchOptions;

/* One snapshot: immutable once made, reference-counted so that a reader keeps it while the
 * run goes on (triad_watch_snapshot_ref / _unref). */
typedef struct {
  TriadWatchTask task;
  int     step;               /* optimiser steps done */
  float   loss;               /* mean training loss over the steps since the previous
                               * snapshot; NAN at step 0 */
  int     n_layers, n_heads;  /* of the attention watched: the decoder's self-attention
                               * (induction), the cross-attention (translation), the encoder's
                               * self-attention (agreement) */
  double *scores;             /* (n_layers, n_heads) the task's score of every head: induction
                               * score, alignment, attention from the verb to its subject */
  double *prev_scores;        /* induction: (n_layers, n_heads) attention to the previous
                               * token; NULL for the other tasks */
  double  accuracy;           /* the task's accuracy: the second saying predicted; the Russian
                               * tokens predicted; the verbs guessed in the subject's gender */
  int     best_layer, best_head;  /* the head of the highest score (induction: past layer 0,
                                   * as an induction head needs a layer before it) */
  int     n_q, n_k;           /* the probe's queries and keys (equal but in cross-attention) */
  float  *probe;              /* (n_layers, n_heads, n_q, n_k) attention */
} TriadWatchSnapshot;

TriadWatchSnapshot *triad_watch_snapshot_ref   (TriadWatchSnapshot       *snap);
void                triad_watch_snapshot_unref (TriadWatchSnapshot       *snap);
double              triad_watch_snapshot_best  (const TriadWatchSnapshot *snap);
/* The (n_q, n_k) map of layer l, head h. */
const float        *triad_watch_snapshot_map   (const TriadWatchSnapshot *snap,
                                                int                       l,
                                                int                       h);
/* Whether the snapshot shows the phase change (see TRIAD_WATCH_PHASE_*). */
gboolean            triad_watch_snapshot_formed (const TriadWatchSnapshot *snap);

typedef struct _TriadWatch TriadWatch;

/* The defaults of the Training view (see watch.c for why these). */
void          triad_watch_options_init (TriadWatchOptions       *opt,
                                        TriadWatchTask           task);
const char   *triad_watch_task_to_string   (TriadWatchTask  task);
/* The task's name in the window, and what its score of a head is called, in the language
 * gettext speaks now. */
const char   *triad_watch_task_label       (TriadWatchTask  task);
const char   *triad_watch_task_score_label (TriadWatchTask  task);
/* What the task's phase change is called where the curves mark it ("induction head formed"). */
const char   *triad_watch_task_phase_label (TriadWatchTask  task);
gboolean      triad_watch_task_from_string (const char     *name,
                                            TriadWatchTask *task);

/* A run at step 0 with its first snapshot taken. */
TriadWatch   *triad_watch_new          (const TriadWatchOptions *opt,
                                        GError                 **error);
void          triad_watch_free         (TriadWatch              *watch);
/* Up to n more optimiser steps (fewer at the schedule's end), with the snapshots they reach.
 * Call from one thread at a time; the getters below may be called from any. */
gboolean      triad_watch_step         (TriadWatch              *watch,
                                        int                      n,
                                        GError                 **error);
const TriadWatchOptions *triad_watch_get_options (TriadWatch    *watch);
/* The steps done, each with the snapshot that falls on it already kept: a reader on another
 * thread that sees step N finds N's snapshot. */
int           triad_watch_get_step     (TriadWatch              *watch);
gboolean      triad_watch_is_done      (TriadWatch              *watch);
/* The loss of every step so far, a new array of floats. */
GArray       *triad_watch_dup_losses   (TriadWatch              *watch);
/* The snapshots so far, oldest first: a new array holding a reference to each. */
GPtrArray    *triad_watch_dup_snapshots (TriadWatch             *watch);
/* The step of the phase change, -1 while it has not happened. */
int           triad_watch_get_phase_step (TriadWatch            *watch);
/* The probe's tokens as shown: its queries (n_q of them) or its keys (n_k). */
const char * const *triad_watch_get_probe_tokens (TriadWatch    *watch,
                                                  gboolean       keys);
/* The model being trained: read it only between steps. */
TriadModel   *triad_watch_get_model    (TriadWatch              *watch);

/* ---- a run on record: from a live run, or read back from its snapshot files ---------- */

typedef struct {
  TriadWatchTask task;
  GPtrArray     *snapshots;     /* TriadWatchSnapshot, by step */
  char         **q_tokens;      /* the probe's queries, n_q of them */
  char         **k_tokens;      /* its keys, n_k of them (a copy of q_tokens in self-attention) */
  GArray        *losses;        /* float: the loss of each step, from the first */
  int            phase_step;    /* the first snapshot that shows the phase change; -1: none */
} TriadWatchRecord;

void              triad_watch_record_free (TriadWatchRecord *record);
/* What the run holds now. */
TriadWatchRecord *triad_watch_dup_record  (TriadWatch       *watch);
/* Writes every snapshot of the record into dir, one JSON file a step ("step-000250.json"),
 * each with the losses of the steps since the one before. The folder is made if need be. */
gboolean          triad_watch_record_save (const TriadWatchRecord *record,
                                           const char             *dir,
                                           GError                **error);
/* The snapshots of a folder that triad_watch_record_save wrote; an error that says in one
 * sentence what is wrong with a folder that is not one. */
TriadWatchRecord *triad_watch_record_load (const char       *dir,
                                           GError          **error);
/* The snapshot of the record at step, or NULL. */
const TriadWatchSnapshot *triad_watch_record_at (const TriadWatchRecord *record,
                                                 int                     step);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (TriadWatchRecord, triad_watch_record_free)
G_DEFINE_AUTOPTR_CLEANUP_FUNC (TriadWatch, triad_watch_free)
G_DEFINE_AUTOPTR_CLEANUP_FUNC (TriadWatchSnapshot, triad_watch_snapshot_unref)

G_END_DECLS
