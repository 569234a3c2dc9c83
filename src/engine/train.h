/* train.h — training: a packed batch, the backward pass of every architecture, AdamW with
 * gradient clipping, warm-up and a cosine schedule. */
#pragma once

#include <glib.h>

#include "engine/model.h"

G_BEGIN_DECLS

/* Sequences packed end to end, no padding: each sequence attends only within itself.
 * labels has one entry per output position — the encoder's positions for the encoder-only
 * model, the decoder's otherwise — holding the id to predict there, or -1 for none. */
typedef struct {
  int     n_seq;
  GArray *src_ids;   /* int (n_src_total) encoder input */
  GArray *src_off;   /* int (n_seq + 1) */
  GArray *tgt_ids;   /* int (n_tgt_total) decoder input */
  GArray *tgt_off;   /* int (n_seq + 1) */
  GArray *labels;    /* int */
} TriadBatch;

TriadBatch *triad_batch_new   (void);
void        triad_batch_free  (TriadBatch *batch);
void        triad_batch_clear (TriadBatch *batch);
/* src or tgt may be NULL with n 0; labels has n_src entries for an encoder-only model and
 * n_tgt otherwise. */
void        triad_batch_add   (TriadBatch *batch,
                               const int  *src,
                               int         n_src,
                               const int  *tgt,
                               int         n_tgt,
                               const int  *labels);

typedef struct {
  int   steps;          /* for the schedule */
  float lr;             /* peak learning rate */
  float min_lr;         /* the cosine ends here */
  int   warmup;         /* linear warm-up steps */
  float beta1, beta2, eps;
  float weight_decay;   /* decoupled, on matrices only */
  float clip;           /* global gradient norm; 0 for none */
} TriadTrainOptions;

void  triad_train_options_init (TriadTrainOptions       *opt);
float triad_train_lr_at        (const TriadTrainOptions *opt,
                                int                      step);

typedef struct _TriadTrainer TriadTrainer;

/* The model must own its weights (triad_model_new_random); the trainer updates them. */
TriadTrainer *triad_trainer_new              (TriadModel              *model,
                                              const TriadTrainOptions *opt);
void          triad_trainer_free             (TriadTrainer            *trainer);
/* Mean cross-entropy over the labelled positions, and its gradients (zeroed first). */
float         triad_trainer_forward_backward (TriadTrainer            *trainer,
                                              const TriadBatch        *batch,
                                              GError                 **error);
/* The loss alone. */
float         triad_trainer_loss             (TriadTrainer            *trainer,
                                              const TriadBatch        *batch,
                                              GError                 **error);
/* Gradients, laid out as the weights (same tensor table). */
TriadWeights *triad_trainer_grads            (TriadTrainer            *trainer);
/* One AdamW step at the schedule's rate for `step` (0-based); the gradient norm before
 * clipping is returned. */
float         triad_trainer_update           (TriadTrainer            *trainer,
                                              int                      step);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (TriadBatch, triad_batch_free)
G_DEFINE_AUTOPTR_CLEANUP_FUNC (TriadTrainer, triad_trainer_free)

G_END_DECLS
