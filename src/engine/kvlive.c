/* kvlive.c — decoding step by step with the KV cache, each step timed against a full
 * recompute of the sequence. */
#include "config.h"

#include <string.h>
#include "engine/i18n.h"

#include "engine/error.h"
#include "engine/generate.h"
#include "engine/kvlive.h"

/* Runs of the same work a time is the fastest of, and the time past which a recompute is
 * not run again (it is then long enough for a single run to say what it costs). */
#define TIME_RUNS          3
#define RECOMPUTE_REPEAT_S 0.02

struct _TriadKvLive
{
  const TriadModel *model;
  TriadState       *state;       /* the cached run */
  TriadState       *scratch;     /* the recompute: emptied before each */
  GArray           *ids;         /* (int) prompt, then the generated tokens */
  int               n_prompt;
  int               n_steps;
  float             temperature;
  int               top_k;
  GRand            *rng;
  double            prefill_seconds;
  gboolean          recomputed;  /* the last step recomputed: scratch's logits are its */
};

size_t
triad_kv_live_bytes_per_token (const TriadModel *model)
{
  g_return_val_if_fail (model != NULL, 0);

  return 2 * (size_t) model->config.n_dec_layers * (size_t) triad_config_kv_dim (&model->config)
         * sizeof (float);
}

static void
live_clear (TriadKvLive *live)
{
  g_clear_pointer (&live->state, triad_state_free);
  g_clear_pointer (&live->scratch, triad_state_free);
  g_clear_pointer (&live->ids, g_array_unref);
  g_clear_pointer (&live->rng, g_rand_free);
}

TriadKvLive *
triad_kv_live_new (const TriadModel *model,
                   const int        *prompt,
                   int               n_prompt,
                   int               kv_block,
                   float             temperature,
                   int               top_k,
                   guint64           seed,
                   GError          **error)
{
  TriadKvLive *live;
  guint32 seed_words[2] = { (guint32) seed, (guint32) (seed >> 32) };

  g_return_val_if_fail (model != NULL, NULL);
  g_return_val_if_fail (prompt != NULL || n_prompt == 0, NULL);

  if (model->config.arch != TRIAD_ARCH_DECODER)
    {
      g_set_error (error, TRIAD_ERROR, TRIAD_ERROR_INVALID_ARGUMENT,
                   _("The live KV cache runs a decoder-only model"));
      return NULL;
    }
  if (n_prompt < 1 || n_prompt >= model->config.max_seq_len)
    {
      g_set_error (error, TRIAD_ERROR, TRIAD_ERROR_TOO_LONG,
                   /* TRANSLATORS: %d are numbers of tokens */
                   _("The prompt must leave room to generate: it has %d tokens, the decoder "
                     "holds %d"), n_prompt, model->config.max_seq_len);
      return NULL;
    }
  if (kv_block < 1)
    {
      g_set_error (error, TRIAD_ERROR, TRIAD_ERROR_INVALID_ARGUMENT,
                   _("The cache grows by at least one position at a time"));
      return NULL;
    }

  live = g_atomic_rc_box_new0 (TriadKvLive);
  live->model = model;
  live->state = triad_state_new (model);
  live->state->kv_block = kv_block;
  live->scratch = triad_state_new (model);
  live->ids = g_array_new (FALSE, FALSE, sizeof (int));
  g_array_append_vals (live->ids, prompt, n_prompt);
  live->n_prompt = n_prompt;
  live->temperature = temperature;
  live->top_k = top_k;
  live->rng = g_rand_new_with_seed_array (seed_words, 2);
  live->prefill_seconds = -1.0;
  return live;
}

TriadKvLive *
triad_kv_live_ref (TriadKvLive *live)
{
  g_return_val_if_fail (live != NULL, NULL);

  return g_atomic_rc_box_acquire (live);
}

void
triad_kv_live_unref (TriadKvLive *live)
{
  if (live != NULL)
    g_atomic_rc_box_release_full (live, (GDestroyNotify) live_clear);
}

static double
seconds_since (gint64 start)
{
  return (g_get_monotonic_time () - start) / (double) G_USEC_PER_SEC;
}

gboolean
triad_kv_live_step (TriadKvLive     *live,
                    gboolean         recompute,
                    TriadKvLiveStep *out,
                    GCancellable    *cancellable,
                    GError         **error)
{
  TriadState *s;
  const int vocab = live != NULL ? live->model->config.vocab_size : 0;
  const int *ids;
  double best;
  gint64 t;
  int token, n;

  g_return_val_if_fail (live != NULL && out != NULL, FALSE);

  s = live->state;
  memset (out, 0, sizeof *out);
  if (g_cancellable_set_error_if_cancelled (cancellable, error))
    return FALSE;
  if (s->pos == 0)
    {
      t = g_get_monotonic_time ();
      if (!triad_decoder_forward (s, (const int *) live->ids->data, live->n_prompt, NULL, 0,
                                  error))
        return FALSE;
      live->prefill_seconds = seconds_since (t);
    }
  if (!triad_kv_live_can_step (live))
    {
      g_set_error (error, TRIAD_ERROR, TRIAD_ERROR_TOO_LONG,
                   _("The decoder holds at most %d positions"), live->model->config.max_seq_len);
      return FALSE;
    }

  token = triad_sample (s->logits + (size_t) (s->n_logits - 1) * vocab, vocab,
                        live->temperature, live->top_k, live->rng);
  g_array_append_val (live->ids, token);

  t = g_get_monotonic_time ();
  if (!triad_decoder_forward (s, &token, 1, NULL, 0, error))
    {
      g_array_set_size (live->ids, live->ids->len - 1);
      return FALSE;
    }
  best = seconds_since (t);
  /* the same step again at the same position: it rewrites the same K and V */
  for (int run = 1; run < TIME_RUNS; run++)
    {
      s->pos--;
      t = g_get_monotonic_time ();
      if (!triad_decoder_forward (s, &token, 1, NULL, 0, NULL))
        {
          s->pos++;   /* cannot happen where the first run passed; the first run stands */
          break;
        }
      best = MIN (best, seconds_since (t));
    }
  live->n_steps++;

  out->step = live->n_steps - 1;
  out->token = token;
  out->tokens = s->pos;
  out->kv_bytes = triad_state_kv_bytes (s);
  out->n_layers = live->model->config.n_dec_layers;
  out->layer_bytes = out->kv_bytes / (size_t) MAX (out->n_layers, 1);
  out->cached_seconds = best;
  out->recompute_seconds = -1.0;
  live->recomputed = FALSE;

  if (recompute)
    {
      double spent = 0.0;

      ids = (const int *) live->ids->data;
      n = (int) live->ids->len;
      best = G_MAXDOUBLE;
      /* the first recompute pays for the scratch state's first buffers and the matrix
       * library's first call in this thread: a run not timed takes that */
      if (live->n_steps == 1 && !triad_decoder_forward (live->scratch, ids, n, NULL, 0, error))
        return FALSE;
      for (int run = 0; run < TIME_RUNS && (run == 0 || spent < RECOMPUTE_REPEAT_S); run++)
        {
          double dt;

          if (g_cancellable_set_error_if_cancelled (cancellable, error))
            return FALSE;
          triad_state_reset (live->scratch);
          t = g_get_monotonic_time ();
          if (!triad_decoder_forward (live->scratch, ids, n, NULL, 0, error))
            return FALSE;
          dt = seconds_since (t);
          spent += dt;
          best = MIN (best, dt);
        }
      out->recompute_seconds = best;
      live->recomputed = TRUE;
    }
  return TRUE;
}

int
triad_kv_live_get_n_steps (const TriadKvLive *live)
{
  g_return_val_if_fail (live != NULL, 0);

  return live->n_steps;
}

int
triad_kv_live_get_position (const TriadKvLive *live)
{
  g_return_val_if_fail (live != NULL, 0);

  return live->state->pos;
}

double
triad_kv_live_get_prefill_seconds (const TriadKvLive *live)
{
  g_return_val_if_fail (live != NULL, -1.0);

  return live->prefill_seconds;
}

gboolean
triad_kv_live_can_step (const TriadKvLive *live)
{
  g_return_val_if_fail (live != NULL, FALSE);

  /* the prompt is in the cache (or will be) and one more position must fit */
  return MAX (live->state->pos, live->n_prompt) < live->model->config.max_seq_len;
}

const int *
triad_kv_live_get_ids (const TriadKvLive *live,
                       int               *n)
{
  g_return_val_if_fail (live != NULL, NULL);

  if (n != NULL)
    *n = (int) live->ids->len;
  return (const int *) live->ids->data;
}

const float *
triad_kv_live_get_logits (const TriadKvLive *live)
{
  const TriadState *s;

  g_return_val_if_fail (live != NULL, NULL);

  s = live->state;
  if (s->pos == 0 || s->logits == NULL)
    return NULL;
  return s->logits + (size_t) (s->n_logits - 1) * live->model->config.vocab_size;
}

const float *
triad_kv_live_get_recompute_logits (const TriadKvLive *live)
{
  const TriadState *s;

  g_return_val_if_fail (live != NULL, NULL);

  s = live->scratch;
  if (!live->recomputed || s->logits == NULL)
    return NULL;
  return s->logits + (size_t) (s->n_logits - 1) * live->model->config.vocab_size;
}

const TriadState *
triad_kv_live_get_state (const TriadKvLive *live)
{
  g_return_val_if_fail (live != NULL, NULL);

  return live->state;
}
