/* formula.c — a head taken apart along softmax (Q Kᵀ / √d_k + mask) V, with RoPE (Q) and
 * RoPE (K) on a rotary model. */
#include "config.h"

#include <math.h>
#include <string.h>
#include "engine/i18n.h"
#include <cblas.h>

#include "engine/error.h"
#include "engine/formula.h"
#include "engine/tokenizer.h"

void
triad_formula_trace_free (TriadFormulaTrace *t)
{
  if (t == NULL)
    return;
  g_strfreev (t->tokens);
  g_free (t->key_valid);
  g_free (t->q);
  g_free (t->k);
  g_free (t->q_unrotated);
  g_free (t->k_unrotated);
  g_free (t->v);
  g_free (t->scores);
  g_free (t->scaled);
  g_free (t->weights);
  g_free (t->bias);
  g_free (t->out);
  g_free (t);
}

TriadFormulaTrace *
triad_formula_trace (TriadModel    *model,
                     const char    *text,
                     int            layer,
                     int            head,
                     int            n_pad,
                     GCancellable  *cancellable,
                     GError       **error)
{
  g_autoptr(TriadFormulaTrace) t = g_new0 (TriadFormulaTrace, 1);
  g_autoptr(TriadState) state = NULL;
  g_autoptr(TriadEncoding) enc = NULL;
  g_autofree int *ids = NULL;
  TriadArch arch = model->config.arch;
  TriadAttnKind kind = arch == TRIAD_ARCH_DECODER ? TRIAD_ATTN_DECODER_SELF : TRIAD_ATTN_ENCODER_SELF;
  TriadCapture cap = { .kind = kind, .layer = layer, .head = head, .qkv = TRUE };
  gboolean ok;
  int n;

  g_return_val_if_fail (layer >= 0 && head >= 0 && n_pad >= 0, NULL);

  if (n_pad > 0 && arch == TRIAD_ARCH_DECODER)
    {
      g_set_error (error, TRIAD_ERROR, TRIAD_ERROR_INVALID_ARGUMENT,
                   _("Key padding is shown on an encoder’s input"));
      return NULL;
    }
  enc = triad_model_encode (model, text, kind, error);
  if (enc == NULL)
    return NULL;
  n = enc->n + n_pad;
  if (n > model->config.max_seq_len)
    {
      g_set_error (error, TRIAD_ERROR, TRIAD_ERROR_TOO_LONG,
                   _("The text is %d tokens long; this model reads at most %d"),
                   n, model->config.max_seq_len);
      return NULL;
    }
  if (g_cancellable_set_error_if_cancelled (cancellable, error))
    return NULL;

  ids = g_new (int, n);
  memcpy (ids, enc->ids, sizeof (int) * enc->n);
  t->tokens = g_new0 (char *, n + 1);
  for (int i = 0; i < enc->n; i++)
    t->tokens[i] = triad_tokenizer_display (model->tokenizer, enc->ids[i]);
  for (int i = enc->n; i < n; i++)
    {
      ids[i] = MAX (triad_model_special (model, TRIAD_TOKEN_PAD), 0);
      t->tokens[i] = triad_tokenizer_display (model->tokenizer, ids[i]);
    }

  state = triad_state_new (model);
  if (n_pad > 0)
    {
      t->key_valid = g_new (guint8, n);
      for (int i = 0; i < n; i++)
        t->key_valid[i] = i < enc->n;
      state->src_valid = t->key_valid;
    }
  if (arch == TRIAD_ARCH_DECODER)
    ok = triad_decoder_forward (state, ids, n, &cap, 1, error);
  else
    ok = triad_encoder_forward (state, ids, n, &cap, 1, error);
  if (!ok)
    {
      triad_capture_clear (&cap);
      return NULL;
    }

  t->arch = arch;
  t->layer = layer;
  t->head = head;
  t->n = n;
  t->n_pad = n_pad;
  t->d_k = cap.head_dim;
  t->mask.kind = arch == TRIAD_ARCH_DECODER ? TRIAD_MASK_CAUSAL : TRIAD_MASK_BIDIRECTIONAL;
  if (arch == TRIAD_ARCH_DECODER && model->config.sliding_window > 0)
    {
      /* Mistral's: the mask the forward pass ran with, a band of the last W keys */
      t->mask.kind = TRIAD_MASK_SLIDING;
      t->mask.window = model->config.sliding_window;
    }
  t->mask.key_valid = t->key_valid;
  t->q = g_memdup2 (triad_capture_qkv (&cap, 'q', 0, 0), sizeof (float) * n * t->d_k);
  t->k = g_memdup2 (triad_capture_qkv (&cap, 'k', 0, 0), sizeof (float) * n * t->d_k);
  t->v = g_memdup2 (triad_capture_qkv (&cap, 'v', 0, 0), sizeof (float) * n * t->d_k);
  t->rotary = cap.q_pre != NULL;
  if (t->rotary)
    {
      /* one pass over the whole text from position 0: every key was computed in it */
      t->q_unrotated = g_memdup2 (triad_capture_qkv (&cap, 'Q', 0, 0), sizeof (float) * n * t->d_k);
      t->k_unrotated = g_memdup2 (triad_capture_qkv (&cap, 'K', 0, 0), sizeof (float) * n * t->d_k);
    }
  t->weights = g_memdup2 (triad_capture_matrix (&cap, 0, 0), sizeof (float) * n * n);
  triad_capture_clear (&cap);
  t->unscaled = model->config.unscaled;
  if (model->config.positions == TRIAD_POS_RELATIVE)
    /* the forward pass left every head's position bias in the state */
    t->bias = g_memdup2 (state->bias + (size_t) head * n * n, sizeof (float) * n * n);

  /* the scores, before and after the scaling: Q Kᵀ and Q Kᵀ / √d_k (T5: Q Kᵀ + bias) */
  t->scores = g_new (float, (size_t) n * n);
  t->scaled = g_new (float, (size_t) n * n);
  cblas_sgemm (CblasRowMajor, CblasNoTrans, CblasTrans, n, n, t->d_k, 1.0f,
               t->q, t->d_k, t->k, t->d_k, 0.0f, t->scores, n);
  for (size_t i = 0; i < (size_t) n * n; i++)
    t->scaled[i] = (t->unscaled ? t->scores[i] : t->scores[i] / sqrtf ((float) t->d_k))
                   + (t->bias != NULL ? t->bias[i] : 0.0f);

  /* the output, the weights times V */
  t->out = g_new (float, (size_t) n * t->d_k);
  cblas_sgemm (CblasRowMajor, CblasNoTrans, CblasNoTrans, n, t->d_k, n, 1.0f,
               t->weights, n, t->v, t->d_k, 0.0f, t->out, t->d_k);
  return g_steal_pointer (&t);
}

void
triad_formula_remask (const TriadFormulaTrace *t,
                      const TriadMask         *mask,
                      float                   *weights,
                      float                   *out)
{
  g_autofree float *w = g_new (float, (size_t) t->n * t->n);
  g_autofree float *o = g_new (float, (size_t) t->n * t->d_k);
  TriadMask m = *mask;

  /* the same scores the model computed, under another mask */
  m.scale = t->unscaled ? 1.0f : 0.0f;
  m.bias = t->bias;
  triad_attention_forward (o, w, t->q, t->k, t->v, t->n, t->n, t->d_k, t->d_k,
                           t->d_k, t->d_k, t->d_k, t->d_k, &m);
  if (weights != NULL)
    memcpy (weights, w, sizeof (float) * t->n * t->n);
  if (out != NULL)
    memcpy (out, o, sizeof (float) * t->n * t->d_k);
}
