/* generate.c — greedy and sampled decoding over the KV cache. */
#include "config.h"

#include <math.h>
#include <string.h>
#include "engine/i18n.h"

#include "engine/error.h"
#include "engine/generate.h"

typedef struct { float logit; int id; } Candidate;

static int
candidate_cmp (const void *a,
               const void *b)
{
  const Candidate *x = a, *y = b;

  if (x->logit != y->logit)
    return x->logit > y->logit ? -1 : 1;
  return x->id - y->id;
}

int
triad_sample (const float *logits,
              int          vocab,
              float        temperature,
              int          top_k,
              GRand       *rng)
{
  g_autofree Candidate *cand = NULL;
  double sum = 0.0, r;
  float max;
  int k;

  if (temperature <= 0.0f || rng == NULL)
    {
      int best = 0;
      for (int i = 1; i < vocab; i++)
        if (logits[i] > logits[best])
          best = i;
      return best;
    }

  cand = g_new (Candidate, vocab);
  for (int i = 0; i < vocab; i++)
    cand[i] = (Candidate) { logits[i], i };
  qsort (cand, vocab, sizeof (Candidate), candidate_cmp);
  k = top_k > 0 ? MIN (top_k, vocab) : vocab;

  /* p_i ∝ exp ((l_i - l_max) / T) over the k best */
  max = cand[0].logit;
  for (int i = 0; i < k; i++)
    {
      cand[i].logit = expf ((cand[i].logit - max) / temperature);
      sum += cand[i].logit;
    }
  r = g_rand_double (rng) * sum;
  for (int i = 0; i < k; i++)
    {
      r -= cand[i].logit;
      if (r <= 0.0)
        return cand[i].id;
    }
  return cand[k - 1].id;
}

static float
probability (const float *logits,
             int          vocab,
             int          id)
{
  float max = logits[0];
  double sum = 0.0;

  for (int i = 1; i < vocab; i++)
    max = MAX (max, logits[i]);
  for (int i = 0; i < vocab; i++)
    sum += exp (logits[i] - max);
  return (float) (exp (logits[id] - max) / sum);
}

gboolean
triad_generate (TriadState                 *state,
                const int                  *input,
                int                         n_input,
                const TriadGenerateOptions *opt,
                TriadStepFunc               callback,
                gpointer                    user_data,
                GArray                    **out_ids,
                GCancellable               *cancellable,
                GError                    **error)
{
  const TriadModel *m = state->model;
  const TriadConfig *c = &m->config;
  g_autoptr(GRand) rng = NULL;
  g_autoptr(GArray) ids = g_array_new (FALSE, FALSE, sizeof (int));
  TriadCapture caps[2] = {
    { .kind = TRIAD_ATTN_DECODER_SELF, .layer = -1, .head = -1 },
    { .kind = TRIAD_ATTN_CROSS, .layer = -1, .head = -1 },
  };
  int n_caps = 0;
  gboolean ok = TRUE;
  const int bos = triad_model_special (m, TRIAD_TOKEN_BOS);
  const int eos = triad_model_special (m, TRIAD_TOKEN_EOS);
  const int *prefill = input;
  int n_prefill = n_input;
  guint32 seed_words[2] = { (guint32) opt->seed, (guint32) (opt->seed >> 32) };

  if (c->arch == TRIAD_ARCH_ENCODER)
    {
      g_set_error (error, TRIAD_ERROR, TRIAD_ERROR_INVALID_ARGUMENT,
                   _("An encoder-only model does not generate: it has no decoder"));
      return FALSE;
    }
  rng = g_rand_new_with_seed_array (seed_words, 2);
  if (opt->capture)
    n_caps = c->arch == TRIAD_ARCH_ENCDEC ? 2 : 1;

  triad_state_reset (state);
  if (c->arch == TRIAD_ARCH_ENCDEC)
    {
      if (!triad_encoder_forward (state, input, n_input, NULL, 0, error))
        return FALSE;
      prefill = &bos;
      n_prefill = 1;
    }

  for (int step = 0; opt->max_tokens <= 0 || step < opt->max_tokens; step++)
    {
      const float *last;
      TriadStepEvent ev = { 0 };
      gint64 t0;
      int next;

      if (g_cancellable_set_error_if_cancelled (cancellable, error))
        {
          ok = FALSE;
          break;
        }
      /* the prompt is one prefill pass; after it, one token per pass */
      if (step > 0 && state->pos >= c->max_seq_len)
        break;
      t0 = g_get_monotonic_time ();
      if (step == 0)
        ok = triad_decoder_forward (state, prefill, n_prefill, caps, n_caps, error);
      else
        ok = triad_decoder_forward (state, &g_array_index (ids, int, ids->len - 1), 1,
                                    caps, n_caps, error);
      if (!ok)
        break;

      last = state->logits + (size_t) (state->n_logits - 1) * c->vocab_size;
      next = triad_sample (last, c->vocab_size, opt->temperature, opt->top_k, rng);
      g_array_append_val (ids, next);

      ev.step = step;
      ev.position = state->pos - 1;
      ev.token = next;
      ev.piece = m->tokenizer != NULL ? triad_tokenizer_piece (m->tokenizer, next) : NULL;
      ev.prob = probability (last, c->vocab_size, next);
      ev.kv_bytes = triad_state_kv_bytes (state);
      ev.cross_bytes = triad_state_cross_bytes (state);
      ev.usec = g_get_monotonic_time () - t0;
      ev.self_rows = n_caps > 0 ? &caps[0] : NULL;
      ev.cross_rows = n_caps > 1 ? &caps[1] : NULL;
      if (callback != NULL && !callback (&ev, user_data))
        break;
      if (next == eos)
        break;
    }

  triad_capture_clear (&caps[0]);
  triad_capture_clear (&caps[1]);
  if (ok && out_ids != NULL)
    *out_ids = g_steal_pointer (&ids);
  return ok;
}

GArray *
triad_generate_greedy (TriadState    *state,
                       const int     *input,
                       int            n_input,
                       int            max_tokens,
                       GCancellable  *cancellable,
                       GError       **error)
{
  TriadGenerateOptions opt = { .max_tokens = max_tokens };
  GArray *ids = NULL;

  if (!triad_generate (state, input, n_input, &opt, NULL, NULL, &ids, cancellable, error))
    return NULL;
  if (ids->len > 0
      && g_array_index (ids, int, ids->len - 1) == triad_model_special (state->model, TRIAD_TOKEN_EOS))
    g_array_set_size (ids, ids->len - 1);
  return ids;
}
