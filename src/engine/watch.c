/* watch.c — a training run stepped a few steps at a time, with snapshots of what it learns. */
#include "config.h"

#include <math.h>
#include <string.h>
#include "engine/i18n.h"

#include "engine/error.h"
#include "engine/tasks.h"
#include "engine/train.h"
#include "engine/watch.h"

/* The probe, drawn once from a seed of its own: induction, words said twice after <bos>;
 * translation, a held-out pair; agreement, a held-out Russian sentence with its verb hidden. */
#define PROBE_SEED   0x9B0Eu
#define PROBE_WORDS  8

struct _TriadWatch {
  TriadWatchOptions  opt;
  TriadToyWorld     *world;
  TriadModel        *model;
  TriadTrainer      *trainer;
  TriadBatch        *batch;
  GRand             *rng;          /* the data's */
  GArray            *probe_ids;    /* int: the decoder's or the encoder's input */
  GArray            *probe_src;    /* int: translation, the encoder's input */
  char             **q_tokens;
  char             **k_tokens;
  int                step;
  /* what other threads read, under lock */
  GMutex             lock;
  GArray            *losses;       /* float, one a step */
  GPtrArray         *snapshots;    /* TriadWatchSnapshot */
  int                phase_step;
  int                published;    /* the steps done with the snapshots they reach: what
                                    * triad_watch_get_step says, so that a reader that sees a step
                                    * also finds its snapshot */
};

/* The defaults (tests/bench/bench-watch.c measures what they give). Induction: the two layers
 * an induction head needs, 128 wide with 4 heads of 32, and almost no MLP (8 wide): with one
 * of 256 the model learnt to copy through it and its heads without any head attending the
 * induction way, in every run measured; 32 sequences a step at a rate of 1e-3 (3e-3 and more
 * made the plateau longer). Translation and agreement: the shipped models' MLP (4 × dim) and
 * rate; translation with one layer a side, whose one cross-attention must align the words
 * itself (with 2 and 3 the alignment was spread over layers: no head past 0.5 by 2,500
 * steps). A snapshot every 25 steps catches the moment of learning within a second. */
void
triad_watch_options_init (TriadWatchOptions *opt,
                          TriadWatchTask     task)
{
  memset (opt, 0, sizeof *opt);
  opt->task = task;
  opt->seed = 1;
  opt->steps = 3000;
  opt->every = 25;
  opt->batch = 32;
  opt->lr = 1e-3f;
  opt->warmup = 50;
  opt->dim = 128;
  opt->n_heads = 4;
  opt->n_layers = task == TRIAD_WATCH_TRANSLATION ? 1 : 2;
  opt->ffn_dim = task == TRIAD_WATCH_INDUCTION ? 8 : 4 * opt->dim;
  opt->eval_examples = 16;
}

static const char *task_names[] = { "induction", "translation", "agreement" };
G_STATIC_ASSERT (G_N_ELEMENTS (task_names) == TRIAD_N_WATCH_TASKS);

const char *
triad_watch_task_label (TriadWatchTask task)
{
  switch (task)
    {
    case TRIAD_WATCH_INDUCTION:   return C_("training task", "Induction");
    case TRIAD_WATCH_TRANSLATION: return C_("training task", "Translation");
    case TRIAD_WATCH_AGREEMENT:   return C_("training task", "Agreement");
    case TRIAD_N_WATCH_TASKS:     break;
    }
  g_return_val_if_reached (NULL);
}

const char *
triad_watch_task_phase_label (TriadWatchTask task)
{
  switch (task)
    {
    case TRIAD_WATCH_TRANSLATION:
      /* TRANSLATORS: the mark on the Training view's curves where cross-attention has come to
       * align the translation's words with the sentence's */
      return _("cross-attention aligned");
    case TRIAD_WATCH_AGREEMENT:
      /* TRANSLATORS: the mark on the Training view's curves where a head has come to look
       * from the hidden verb to its subject */
      return _("verb finds its subject");
    case TRIAD_WATCH_INDUCTION:
    default:
      /* TRANSLATORS: the mark on the Training view's curves where an induction head has
       * formed */
      return _("induction head formed");
    }
}

const char *
triad_watch_task_score_label (TriadWatchTask task)
{
  switch (task)
    {
    case TRIAD_WATCH_INDUCTION:   return _("induction score");
    case TRIAD_WATCH_TRANSLATION: return _("alignment");
    case TRIAD_WATCH_AGREEMENT:   return _("attention from the verb to its subject");
    case TRIAD_N_WATCH_TASKS:     break;
    }
  g_return_val_if_reached (NULL);
}

const char *
triad_watch_task_to_string (TriadWatchTask task)
{
  g_return_val_if_fail (task < TRIAD_N_WATCH_TASKS, NULL);
  return task_names[task];
}

gboolean
triad_watch_task_from_string (const char     *name,
                              TriadWatchTask *task)
{
  for (int i = 0; i < TRIAD_N_WATCH_TASKS; i++)
    if (g_strcmp0 (name, task_names[i]) == 0)
      {
        *task = i;
        return TRUE;
      }
  return FALSE;
}

/* ---- snapshots ----------------------------------------------------------------------- */

static void
snapshot_clear (gpointer data)
{
  TriadWatchSnapshot *snap = data;

  g_free (snap->scores);
  g_free (snap->prev_scores);
  g_free (snap->probe);
}

TriadWatchSnapshot *
triad_watch_snapshot_ref (TriadWatchSnapshot *snap)
{
  return g_atomic_rc_box_acquire (snap);
}

void
triad_watch_snapshot_unref (TriadWatchSnapshot *snap)
{
  if (snap != NULL)
    g_atomic_rc_box_release_full (snap, snapshot_clear);
}

double
triad_watch_snapshot_best (const TriadWatchSnapshot *snap)
{
  return snap->scores[snap->best_layer * snap->n_heads + snap->best_head];
}

const float *
triad_watch_snapshot_map (const TriadWatchSnapshot *snap,
                          int                       l,
                          int                       h)
{
  g_return_val_if_fail (l >= 0 && l < snap->n_layers && h >= 0 && h < snap->n_heads, NULL);
  return snap->probe + ((size_t) l * snap->n_heads + h) * snap->n_q * snap->n_k;
}

gboolean
triad_watch_snapshot_formed (const TriadWatchSnapshot *snap)
{
  double best = triad_watch_snapshot_best (snap);

  switch (snap->task)
    {
    case TRIAD_WATCH_INDUCTION:
      return snap->best_layer >= 1 && best >= TRIAD_WATCH_PHASE_SCORE
             && snap->accuracy >= TRIAD_WATCH_PHASE_ACCURACY;
    case TRIAD_WATCH_TRANSLATION:
      return best >= TRIAD_WATCH_PHASE_ALIGNMENT;
    case TRIAD_WATCH_AGREEMENT:
      return best >= TRIAD_WATCH_PHASE_SUBJECT && snap->accuracy >= TRIAD_WATCH_PHASE_AGREEMENT;
    case TRIAD_N_WATCH_TASKS:
      break;
    }
  g_return_val_if_reached (FALSE);
}

/* The task's scores of every head, as the evaluation measures them. */
static gboolean
task_scores (TriadWatch         *w,
             TriadWatchSnapshot *snap,
             GError            **error)
{
  g_autoptr(GRand) eval_rng = g_rand_new_with_seed (TRIAD_TASK_EVAL_SEED);
  int n = w->opt.eval_examples;

  switch (w->opt.task)
    {
    case TRIAD_WATCH_INDUCTION:
      snap->prev_scores = g_new0 (double, snap->n_layers * snap->n_heads);
      return triad_task_induction_scores (w->model, w->world, eval_rng, n, snap->prev_scores,
                                          snap->scores, &snap->accuracy, error);
    case TRIAD_WATCH_TRANSLATION:
      return triad_task_alignment_scores (w->model, w->world, eval_rng, n, snap->scores,
                                          &snap->accuracy, error);
    case TRIAD_WATCH_AGREEMENT:
      return triad_task_agreement_scores (w->model, w->world, eval_rng, n, snap->scores,
                                          &snap->accuracy, error);
    case TRIAD_N_WATCH_TASKS:
      break;
    }
  g_return_val_if_reached (FALSE);
}

/* The probe's attention with the model as it is now: the watched kind, every layer and head. */
static gboolean
probe_attention (TriadWatch         *w,
                 TriadWatchSnapshot *snap,
                 GError            **error)
{
  g_autoptr(TriadState) state = triad_state_new (w->model);
  const int *ids = (const int *) w->probe_ids->data;
  int n = w->probe_ids->len;
  TriadCapture cap = { .layer = -1, .head = -1 };
  gboolean ok;

  switch (w->opt.task)
    {
    case TRIAD_WATCH_INDUCTION:
      cap.kind = TRIAD_ATTN_DECODER_SELF;
      ok = triad_decoder_forward (state, ids, n, &cap, 1, error);
      snap->n_q = snap->n_k = n;
      break;
    case TRIAD_WATCH_TRANSLATION:
      cap.kind = TRIAD_ATTN_CROSS;
      ok = triad_encoder_forward (state, (const int *) w->probe_src->data, w->probe_src->len,
                                  NULL, 0, error)
           && triad_decoder_forward (state, ids, n, &cap, 1, error);
      snap->n_q = n, snap->n_k = w->probe_src->len;
      break;
    case TRIAD_WATCH_AGREEMENT:
    default:
      cap.kind = TRIAD_ATTN_ENCODER_SELF;
      ok = triad_encoder_forward (state, ids, n, &cap, 1, error);
      snap->n_q = snap->n_k = n;
      break;
    }
  if (!ok)
    return FALSE;
  snap->probe = g_steal_pointer (&cap.weights);
  triad_capture_clear (&cap);
  return TRUE;
}

/* The scores on the evaluation's examples (the same ones every time: the evaluation's seed)
 * and the probe's attention, with the model as it is now. */
static TriadWatchSnapshot *
take_snapshot (TriadWatch *w,
               float       loss,
               GError    **error)
{
  const TriadConfig *c = &w->model->config;
  g_autoptr(TriadWatchSnapshot) snap = g_atomic_rc_box_new0 (TriadWatchSnapshot);
  int first = 0, n_heads;

  snap->task = w->opt.task;
  snap->step = w->step;
  snap->loss = loss;
  snap->n_layers = w->opt.task == TRIAD_WATCH_AGREEMENT ? c->n_enc_layers : c->n_dec_layers;
  snap->n_heads = c->n_heads;
  n_heads = snap->n_layers * snap->n_heads;
  snap->scores = g_new0 (double, n_heads);
  if (!task_scores (w, snap, error))
    {
      if (error != NULL && *error == NULL)
        g_set_error (error, TRIAD_ERROR, TRIAD_ERROR_TOKENIZER,
                     _("The tokenizer cannot encode the toy world’s words"));
      return NULL;
    }
  /* induction: the best of the heads that can be induction heads, those with a layer before
   * them to bring each token the one before it. A head of layer 0 sees tokens alone; when one
   * scores high it has found some other pattern of the toy world's words, not copying by
   * induction */
  if (w->opt.task == TRIAD_WATCH_INDUCTION && snap->n_layers > 1)
    first = snap->n_heads;
  snap->best_layer = first / snap->n_heads;
  for (int i = first + 1; i < n_heads; i++)
    if (snap->scores[i] > snap->scores[snap->best_layer * snap->n_heads + snap->best_head])
      snap->best_layer = i / snap->n_heads, snap->best_head = i % snap->n_heads;

  if (!probe_attention (w, snap, error))
    return NULL;
  return g_steal_pointer (&snap);
}

static gboolean
add_snapshot (TriadWatch *w,
              float       loss,
              GError    **error)
{
  TriadWatchSnapshot *snap = take_snapshot (w, loss, error);

  if (snap == NULL)
    return FALSE;
  g_mutex_lock (&w->lock);
  g_ptr_array_add (w->snapshots, snap);
  if (w->phase_step < 0 && triad_watch_snapshot_formed (snap))
    w->phase_step = snap->step;
  g_mutex_unlock (&w->lock);
  return TRUE;
}

/* ---- the run ------------------------------------------------------------------------- */

static gboolean
append_words (const TriadTokenizer *tok,
              char * const         *words,
              int                   n,
              GArray               *ids,
              GError              **error)
{
  for (int i = 0; i < n; i++)
    {
      g_autoptr(TriadEncoding) enc = triad_tokenizer_encode (tok, words[i], -1, FALSE, error);

      if (enc == NULL)
        return FALSE;
      g_array_append_vals (ids, enc->ids, enc->n);
    }
  return TRUE;
}

static char **
display_tokens (const TriadTokenizer *tok,
                const GArray         *ids)
{
  char **tokens = g_new0 (char *, ids->len + 1);

  for (guint i = 0; i < ids->len; i++)
    tokens[i] = triad_tokenizer_display (tok, g_array_index (ids, int, i));
  return tokens;
}

static gboolean
make_probe (TriadWatch *w,
            GError    **error)
{
  const TriadTokenizer *tok = w->model->tokenizer;
  g_autoptr(GRand) rng = g_rand_new_with_seed (PROBE_SEED);
  g_auto(TriadToyPair) pair = { 0 };
  int bos = TRIAD_TOKEN_BOS, eos = TRIAD_TOKEN_EOS, mask = TRIAD_TOKEN_MASK;

  w->probe_ids = g_array_new (FALSE, FALSE, sizeof (int));
  switch (w->opt.task)
    {
    case TRIAD_WATCH_INDUCTION:
      {
        g_auto(GStrv) words = triad_toy_random_words (w->world, rng, PROBE_WORDS, TRIAD_TOY_EN);

        g_array_append_val (w->probe_ids, bos);
        for (int t = 0; t < 2; t++)
          if (!append_words (tok, words, PROBE_WORDS, w->probe_ids, error))
            return FALSE;
      }
      break;
    case TRIAD_WATCH_TRANSLATION:
      triad_toy_sample (w->world, rng, TRIAD_TOY_HELDOUT, &pair);
      w->probe_src = g_array_new (FALSE, FALSE, sizeof (int));
      if (!append_words (tok, pair.en_words, pair.n_en, w->probe_src, error))
        return FALSE;
      g_array_append_val (w->probe_src, eos);
      g_array_append_val (w->probe_ids, bos);
      if (!append_words (tok, pair.ru_words, pair.n_ru, w->probe_ids, error))
        return FALSE;
      break;
    case TRIAD_WATCH_AGREEMENT:
    default:
      triad_toy_sample_distant (w->world, rng, TRIAD_TOY_HELDOUT, &pair);
      g_array_append_val (w->probe_ids, bos);
      for (int i = 0; i < pair.n_ru; i++)
        if (i == pair.ru_verb)
          g_array_append_val (w->probe_ids, mask);
        else if (!append_words (tok, &pair.ru_words[i], 1, w->probe_ids, error))
          return FALSE;
      g_array_append_val (w->probe_ids, eos);
      break;
    }
  w->q_tokens = display_tokens (tok, w->probe_ids);
  w->k_tokens = display_tokens (tok, w->probe_src != NULL ? w->probe_src : w->probe_ids);
  return TRUE;
}

TriadWatch *
triad_watch_new (const TriadWatchOptions *opt,
                 GError                 **error)
{
  g_autoptr(TriadWatch) w = g_new0 (TriadWatch, 1);
  g_autoptr(TriadTokenizer) tok = NULL;
  TriadConfig config = { 0 };
  TriadTrainOptions topt;

  g_return_val_if_fail (opt != NULL && opt->task < TRIAD_N_WATCH_TASKS, NULL);
  g_mutex_init (&w->lock);
  w->opt = *opt;
  w->phase_step = -1;
  w->losses = g_array_new (FALSE, FALSE, sizeof (float));
  w->snapshots = g_ptr_array_new_with_free_func ((GDestroyNotify) triad_watch_snapshot_unref);
  if (opt->steps < 1 || opt->every < 1 || opt->batch < 1 || opt->n_layers < 1
      || opt->eval_examples < 1)
    {
      g_set_error (error, TRIAD_ERROR, TRIAD_ERROR_INVALID_ARGUMENT,
                   _("A training run needs at least one step, one layer, one sequence a "
                     "step and one snapshot"));
      return NULL;
    }

  w->world = triad_toy_world_new ();
  if ((tok = triad_task_tokenizer (w->world, error)) == NULL)
    return NULL;
  /* the watched attention's architecture, its stacks opt->n_layers deep */
  config.arch = opt->task == TRIAD_WATCH_INDUCTION ? TRIAD_ARCH_DECODER
                : opt->task == TRIAD_WATCH_TRANSLATION ? TRIAD_ARCH_ENCDEC : TRIAD_ARCH_ENCODER;
  config.vocab_size = triad_tokenizer_vocab_size (tok);
  config.dim = opt->dim;
  config.n_heads = opt->n_heads;
  config.ffn_dim = opt->ffn_dim;
  if (config.arch != TRIAD_ARCH_ENCODER)
    config.n_dec_layers = opt->n_layers;
  if (config.arch != TRIAD_ARCH_DECODER)
    config.n_enc_layers = opt->n_layers;
  /* the repeated documents are cut at 128 tokens; the toy world's sentences are shorter */
  config.max_seq_len = 128;
  config.norm_eps = 1e-5f;
  /* the decoder's positions are rotary (RoPE, as Llama's): a head's scores then depend on how
   * far back a key is, which is what a previous-token head needs. With learned positions
   * (tests/bench/bench-watch.c measured both) the model copies by where the repeat begins
   * instead, and no head past layer 0 had reached an induction score of 0.15 by 4,000 steps */
  if (opt->task == TRIAD_WATCH_INDUCTION)
    config.positions = TRIAD_POS_ROTARY, config.rope_theta = 10000.0f;
  if ((w->model = triad_model_new_random (&config, opt->seed, error)) == NULL)
    return NULL;
  w->model->tokenizer = g_steal_pointer (&tok);

  triad_train_options_init (&topt);
  topt.steps = opt->steps;
  topt.lr = opt->lr;
  topt.min_lr = opt->lr / 10;
  topt.warmup = MIN (opt->warmup, opt->steps);
  w->trainer = triad_trainer_new (w->model, &topt);
  w->batch = triad_batch_new ();
  /* the data's seed follows the model's, as `triad train` has it */
  w->rng = g_rand_new_with_seed ((guint32) (opt->seed * 2654435761u + 1));

  if (!make_probe (w, error) || !add_snapshot (w, NAN, error))
    return NULL;
  return g_steal_pointer (&w);
}

void
triad_watch_free (TriadWatch *w)
{
  if (w == NULL)
    return;
  g_clear_pointer (&w->trainer, triad_trainer_free);
  g_clear_pointer (&w->model, triad_model_free);
  g_clear_pointer (&w->world, triad_toy_world_free);
  g_clear_pointer (&w->batch, triad_batch_free);
  g_clear_pointer (&w->rng, g_rand_free);
  g_clear_pointer (&w->probe_ids, g_array_unref);
  g_clear_pointer (&w->probe_src, g_array_unref);
  g_strfreev (w->q_tokens);
  g_strfreev (w->k_tokens);
  g_clear_pointer (&w->losses, g_array_unref);
  g_clear_pointer (&w->snapshots, g_ptr_array_unref);
  g_mutex_clear (&w->lock);
  g_free (w);
}

/* One step's examples of the task. */
static gboolean
fill_batch (TriadWatch *w,
            GError    **error)
{
  const TriadTokenizer *tok = w->model->tokenizer;

  switch (w->opt.task)
    {
    case TRIAD_WATCH_INDUCTION:
      return triad_task_fill_induction (w->world, tok, w->rng, w->opt.batch, w->batch, error);
    case TRIAD_WATCH_TRANSLATION:
      return triad_task_fill_batch (TRIAD_ARCH_ENCDEC, w->world, tok, w->rng, TRIAD_TOY_TRAIN,
                                    w->opt.batch, w->batch, error);
    case TRIAD_WATCH_AGREEMENT:
      return triad_task_fill_agreement (w->world, tok, w->rng, w->opt.batch, w->batch, error);
    case TRIAD_N_WATCH_TASKS:
      break;
    }
  g_return_val_if_reached (FALSE);
}

gboolean
triad_watch_step (TriadWatch *w,
                  int         n,
                  GError    **error)
{
  g_return_val_if_fail (w != NULL, FALSE);

  for (int i = 0; i < n && w->step < w->opt.steps; i++)
    {
      float loss;

      triad_batch_clear (w->batch);
      if (!fill_batch (w, error))
        return FALSE;
      loss = triad_trainer_forward_backward (w->trainer, w->batch, error);
      if (isnan (loss))
        return FALSE;
      triad_trainer_update (w->trainer, w->step);
      g_mutex_lock (&w->lock);
      g_array_append_val (w->losses, loss);
      g_mutex_unlock (&w->lock);
      w->step++;

      if (w->step % w->opt.every == 0 || w->step == w->opt.steps)
        {
          int since = w->step - ((w->step - 1) / w->opt.every) * w->opt.every;
          double sum = 0;

          /* only this thread appends to losses: reading them needs no lock */
          for (int s = w->step - since; s < w->step; s++)
            sum += g_array_index (w->losses, float, s);
          if (!add_snapshot (w, (float) (sum / since), error))
            return FALSE;
        }
      g_mutex_lock (&w->lock);
      w->published = w->step;
      g_mutex_unlock (&w->lock);
    }
  return TRUE;
}

const TriadWatchOptions *
triad_watch_get_options (TriadWatch *w)
{
  return &w->opt;
}

int
triad_watch_get_step (TriadWatch *w)
{
  int step;

  g_mutex_lock (&w->lock);
  step = w->published;
  g_mutex_unlock (&w->lock);
  return step;
}

gboolean
triad_watch_is_done (TriadWatch *w)
{
  return triad_watch_get_step (w) >= w->opt.steps;
}

GArray *
triad_watch_dup_losses (TriadWatch *w)
{
  GArray *copy = g_array_new (FALSE, FALSE, sizeof (float));

  g_mutex_lock (&w->lock);
  g_array_append_vals (copy, w->losses->data, w->losses->len);
  g_mutex_unlock (&w->lock);
  return copy;
}

GPtrArray *
triad_watch_dup_snapshots (TriadWatch *w)
{
  GPtrArray *copy = g_ptr_array_new_with_free_func ((GDestroyNotify) triad_watch_snapshot_unref);

  g_mutex_lock (&w->lock);
  for (guint i = 0; i < w->snapshots->len; i++)
    g_ptr_array_add (copy, triad_watch_snapshot_ref (g_ptr_array_index (w->snapshots, i)));
  g_mutex_unlock (&w->lock);
  return copy;
}

int
triad_watch_get_phase_step (TriadWatch *w)
{
  int step;

  g_mutex_lock (&w->lock);
  step = w->phase_step;
  g_mutex_unlock (&w->lock);
  return step;
}

const char * const *
triad_watch_get_probe_tokens (TriadWatch *w,
                              gboolean    keys)
{
  return (const char * const *) (keys ? w->k_tokens : w->q_tokens);
}

TriadModel *
triad_watch_get_model (TriadWatch *w)
{
  return w->model;
}

void
triad_watch_record_free (TriadWatchRecord *record)
{
  if (record == NULL)
    return;
  g_clear_pointer (&record->snapshots, g_ptr_array_unref);
  g_strfreev (record->q_tokens);
  g_strfreev (record->k_tokens);
  g_clear_pointer (&record->losses, g_array_unref);
  g_free (record);
}

TriadWatchRecord *
triad_watch_dup_record (TriadWatch *w)
{
  TriadWatchRecord *r = g_new0 (TriadWatchRecord, 1);

  r->task = w->opt.task;
  r->snapshots = triad_watch_dup_snapshots (w);
  r->q_tokens = g_strdupv (w->q_tokens);
  r->k_tokens = g_strdupv (w->k_tokens);
  r->losses = triad_watch_dup_losses (w);
  r->phase_step = triad_watch_get_phase_step (w);
  return r;
}

const TriadWatchSnapshot *
triad_watch_record_at (const TriadWatchRecord *r,
                       int                     step)
{
  for (guint i = 0; i < r->snapshots->len; i++)
    {
      const TriadWatchSnapshot *s = g_ptr_array_index (r->snapshots, i);
      if (s->step == step)
        return s;
    }
  return NULL;
}
