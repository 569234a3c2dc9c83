/* crossview.c — step-by-step decoding with every row captured, and the decoder translating by
 * prompt, for the Cross-attention view. */
#include "config.h"

#include <math.h>
#include <string.h>
#include "engine/i18n.h"

#include "engine/crossview.h"
#include "engine/error.h"
#include "engine/generate.h"
#include "engine/tasks.h"

/* The longest Russian the decoder may write after its prompt: a toy-world sentence is far
 * shorter, and a model that does not stop is cut here. */
#define PROMPT_MAX_TOKENS 48

/* An encoding of ids with their vocabulary strings and no offsets into any text. */
static TriadEncoding *
encoding_from_ids (const TriadModel *model,
                   const int        *ids,
                   int               n)
{
  TriadEncoding *enc = g_new0 (TriadEncoding, 1);

  enc->n = n;
  enc->ids = g_memdup2 (ids, sizeof (int) * MAX (n, 1));
  enc->start = g_new0 (int, MAX (n, 1));
  enc->end = g_new0 (int, MAX (n, 1));
  enc->pieces = g_new0 (char *, n + 1);
  for (int i = 0; i < n; i++)
    {
      const char *piece = model->tokenizer != NULL
                          ? triad_tokenizer_piece (model->tokenizer, ids[i]) : NULL;
      enc->pieces[i] = piece != NULL ? g_strdup (piece) : g_strdup_printf ("%d", ids[i]);
    }
  return enc;
}

static int
argmax (const float *row,
        int          n,
        float       *p)
{
  int best = 0;
  double sum = 0.0;

  for (int i = 1; i < n; i++)
    if (row[i] > row[best])
      best = i;
  /* p = softmax (row)[best] = 1 / Σ exp (row_i - row_best) */
  for (int i = 0; i < n; i++)
    sum += exp ((double) row[i] - row[best]);
  *p = (float) (1.0 / sum);
  return best;
}

void
triad_cross_view_free (TriadCrossView *view)
{
  if (view == NULL)
    return;
  g_clear_pointer (&view->src, triad_encoding_free);
  g_clear_pointer (&view->tgt, triad_encoding_free);
  g_free (view->enc_self);
  g_free (view->dec_self);
  g_free (view->cross);
  g_free (view->predicted);
  g_free (view->predicted_p);
  g_free (view->kv_bytes);
  g_free (view->cross_bytes);
  g_free (view);
}

static gboolean
check_encdec (const TriadModel *model,
              GError          **error)
{
  if (model->config.arch != TRIAD_ARCH_ENCDEC)
    {
      g_set_error (error, TRIAD_ERROR, TRIAD_ERROR_INVALID_ARGUMENT,
                   _("Only an encoder-decoder model has cross-attention"));
      return FALSE;
    }
  return TRUE;
}

TriadCrossView *
triad_cross_view_compute_ids (TriadModel    *model,
                              const int     *src,
                              int            n_src,
                              const int     *tgt,
                              int            n_tgt,
                              GCancellable  *cancellable,
                              GError       **error)
{
  const TriadConfig *c = &model->config;
  g_autoptr(TriadCrossView) view = NULL;
  g_autoptr(TriadState) state = NULL;
  g_autoptr(GArray) ids = g_array_new (FALSE, FALSE, sizeof (int));
  g_autoptr(GPtrArray) self_rows = g_ptr_array_new_with_free_func (g_free);
  g_autoptr(GPtrArray) cross_rows = g_ptr_array_new_with_free_func (g_free);
  g_autoptr(GArray) predicted = g_array_new (FALSE, FALSE, sizeof (int));
  g_autoptr(GArray) predicted_p = g_array_new (FALSE, FALSE, sizeof (float));
  g_autoptr(GArray) kv = g_array_new (FALSE, FALSE, sizeof (size_t));
  g_autoptr(GArray) cross_kv = g_array_new (FALSE, FALSE, sizeof (size_t));
  TriadCapture enc_cap = { .kind = TRIAD_ATTN_ENCODER_SELF, .layer = -1, .head = -1 };
  int L, H, S, T;

  if (!check_encdec (model, error))
    return NULL;
  if (tgt != NULL && n_tgt <= 0)
    {
      g_set_error (error, TRIAD_ERROR, TRIAD_ERROR_INVALID_TEXT, _("The target is empty"));
      return NULL;
    }

  view = g_new0 (TriadCrossView, 1);
  view->n_enc_layers = c->n_enc_layers;
  view->n_dec_layers = L = c->n_dec_layers;
  view->n_heads = H = c->n_heads;
  view->generated = tgt == NULL;
  if (tgt != NULL)
    g_array_append_vals (ids, tgt, n_tgt);
  else
    {
      const int bos = triad_model_special (model, TRIAD_TOKEN_BOS);
      g_array_append_val (ids, bos);
    }

  state = triad_state_new (model);
  /* one position at a time, so that the bytes the gauge shows are the positions decoded */
  state->kv_block = 1;
  if (!triad_encoder_forward (state, src, n_src, &enc_cap, 1, error))
    return NULL;
  S = n_src;
  view->enc_self = g_steal_pointer (&enc_cap.weights);

  for (guint t = 0; t < ids->len; t++)
    {
      TriadCapture caps[2] = {
        { .kind = TRIAD_ATTN_DECODER_SELF, .layer = -1, .head = -1 },
        { .kind = TRIAD_ATTN_CROSS, .layer = -1, .head = -1 },
      };
      const float *logits;
      size_t bytes;
      float p;
      int next;

      if (g_cancellable_set_error_if_cancelled (cancellable, error)
          || !triad_decoder_forward (state, &g_array_index (ids, int, t), 1, caps, 2, error))
        {
          triad_capture_clear (&caps[0]);
          triad_capture_clear (&caps[1]);
          return NULL;
        }
      /* (L, H, 1, t + 1) and (L, H, 1, S) */
      g_ptr_array_add (self_rows, g_steal_pointer (&caps[0].weights));
      g_ptr_array_add (cross_rows, g_steal_pointer (&caps[1].weights));
      bytes = triad_state_kv_bytes (state);
      g_array_append_val (kv, bytes);
      bytes = triad_state_cross_bytes (state);
      g_array_append_val (cross_kv, bytes);
      logits = state->logits + (size_t) (state->n_logits - 1) * c->vocab_size;
      next = argmax (logits, c->vocab_size, &p);
      g_array_append_val (predicted, next);
      g_array_append_val (predicted_p, p);

      if (view->generated && next != triad_model_special (model, TRIAD_TOKEN_EOS) && (int) ids->len < c->max_seq_len)
        g_array_append_val (ids, next);
    }

  T = ids->len;
  view->src = encoding_from_ids (model, src, n_src);
  view->tgt = encoding_from_ids (model, (const int *) ids->data, T);
  view->dec_self = g_new0 (float, (size_t) L * H * T * T);
  view->cross = g_new (float, (size_t) L * H * T * S);
  for (int t = 0; t < T; t++)
    {
      const float *srow = g_ptr_array_index (self_rows, t);
      const float *crow = g_ptr_array_index (cross_rows, t);

      for (int l = 0; l < L; l++)
        for (int h = 0; h < H; h++)
          {
            size_t m = (size_t) l * H + h;
            memcpy (view->dec_self + (m * T + t) * T, srow + m * (t + 1), sizeof (float) * (t + 1));
            memcpy (view->cross + (m * T + t) * S, crow + m * S, sizeof (float) * S);
          }
    }
  view->predicted = g_array_steal (predicted, NULL);
  view->predicted_p = g_array_steal (predicted_p, NULL);
  view->kv_bytes = g_array_steal (kv, NULL);
  view->cross_bytes = g_array_steal (cross_kv, NULL);
  return g_steal_pointer (&view);
}

TriadCrossView *
triad_cross_view_compute (TriadModel    *model,
                          const char    *text,
                          const char    *target,
                          GCancellable  *cancellable,
                          GError       **error)
{
  g_autoptr(TriadEncoding) src = NULL;
  g_autoptr(TriadEncoding) tgt = NULL;
  TriadCrossView *view;

  if (!check_encdec (model, error))
    return NULL;
  src = triad_model_encode (model, text, TRIAD_ATTN_ENCODER_SELF, error);
  if (src == NULL)
    return NULL;
  if (target != NULL
      && (tgt = triad_model_encode (model, target, TRIAD_ATTN_DECODER_SELF, error)) == NULL)
    return NULL;
  view = triad_cross_view_compute_ids (model, src->ids, src->n, tgt != NULL ? tgt->ids : NULL,
                                       tgt != NULL ? tgt->n : 0, cancellable, error);
  if (view == NULL)
    return NULL;
  /* the encodings of the texts themselves, with their offsets */
  triad_encoding_free (view->src);
  view->src = g_steal_pointer (&src);
  if (tgt != NULL)
    {
      triad_encoding_free (view->tgt);
      view->tgt = g_steal_pointer (&tgt);
    }
  return view;
}

void
triad_cross_view_shape (const TriadCrossView *view,
                        TriadAttnKind         kind,
                        int                  *n_q,
                        int                  *n_k)
{
  *n_q = kind == TRIAD_ATTN_ENCODER_SELF ? view->src->n : view->tgt->n;
  *n_k = kind == TRIAD_ATTN_DECODER_SELF ? view->tgt->n : view->src->n;
}

int
triad_cross_view_n_layers (const TriadCrossView *view,
                           TriadAttnKind         kind)
{
  return kind == TRIAD_ATTN_ENCODER_SELF ? view->n_enc_layers : view->n_dec_layers;
}

const float *
triad_cross_view_matrix (const TriadCrossView *view,
                         TriadAttnKind         kind,
                         int                   layer,
                         int                   head,
                         float                *out)
{
  const float *all;
  size_t cells;
  int n_q, n_k, H = view->n_heads;

  g_return_val_if_fail (layer >= 0 && layer < triad_cross_view_n_layers (view, kind), NULL);
  g_return_val_if_fail (head >= -1 && head < H, NULL);
  g_return_val_if_fail (head >= 0 || out != NULL, NULL);

  triad_cross_view_shape (view, kind, &n_q, &n_k);
  cells = (size_t) n_q * n_k;
  all = kind == TRIAD_ATTN_ENCODER_SELF ? view->enc_self
        : kind == TRIAD_ATTN_DECODER_SELF ? view->dec_self : view->cross;
  if (head >= 0)
    return all + ((size_t) layer * H + head) * cells;

  /* out = (1/H) Σ_h A[layer, h] */
  memset (out, 0, sizeof (float) * cells);
  for (int h = 0; h < H; h++)
    {
      const float *w = all + ((size_t) layer * H + h) * cells;
      for (size_t i = 0; i < cells; i++)
        out[i] += w[i];
    }
  for (size_t i = 0; i < cells; i++)
    out[i] /= H;
  return out;
}

/* ---- the decoder translating by prompt ----------------------------------------------- */

void
triad_prompt_view_free (TriadPromptView *view)
{
  if (view == NULL)
    return;
  g_clear_pointer (&view->tokens, triad_encoding_free);
  g_free (view->weights);
  g_free (view);
}

TriadPromptView *
triad_prompt_view_compute (TriadModel    *model,
                           const char    *english,
                           const char    *russian,
                           GCancellable  *cancellable,
                           GError       **error)
{
  g_autoptr(TriadPromptView) view = NULL;
  g_autoptr(TriadEncoding) enc = NULL;
  g_autoptr(TriadState) state = NULL;
  g_autofree char *en = NULL, *prompt = NULL;
  TriadCapture cap = { .kind = TRIAD_ATTN_DECODER_SELF, .layer = -1, .head = -1 };
  long en_from, en_to, prompt_chars;

  if (model->config.arch != TRIAD_ARCH_DECODER)
    {
      g_set_error (error, TRIAD_ERROR, TRIAD_ERROR_INVALID_ARGUMENT,
                   _("Only a decoder-only model translates by prompt"));
      return NULL;
    }
  en = g_strstrip (g_strdup (english != NULL ? english : ""));
  if (*en == '\0')
    {
      g_set_error (error, TRIAD_ERROR, TRIAD_ERROR_INVALID_TEXT, _("The text is empty"));
      return NULL;
    }
  prompt = triad_task_translation_prompt (en);
  prompt_chars = g_utf8_strlen (prompt, -1);
  /* "EN: " comes before the English: its first token starts at the space before it */
  en_from = 3;
  en_to = 4 + g_utf8_strlen (en, -1);

  view = g_new0 (TriadPromptView, 1);
  view->n_layers = model->config.n_dec_layers;
  view->n_heads = model->config.n_heads;
  view->generated = russian == NULL;
  if (russian != NULL)
    {
      g_autofree char *ru = g_strstrip (g_strdup (russian));
      g_autofree char *text = g_strdup_printf ("%s %s", prompt, ru);

      enc = triad_model_encode (model, text, TRIAD_ATTN_DECODER_SELF, error);
      if (enc == NULL)
        return NULL;
    }
  else
    {
      g_autoptr(TriadEncoding) p = triad_model_encode (model, prompt, TRIAD_ATTN_DECODER_SELF,
                                                       error);
      g_autoptr(TriadState) gen = NULL;
      g_autoptr(GArray) out = NULL;
      int max_tokens;

      if (p == NULL)
        return NULL;
      gen = triad_state_new (model);
      max_tokens = MIN (PROMPT_MAX_TOKENS, model->config.max_seq_len - p->n);
      if (max_tokens > 0)
        {
          out = triad_generate_greedy (gen, p->ids, p->n, max_tokens, cancellable, error);
          if (out == NULL)
            return NULL;
        }
      enc = g_new0 (TriadEncoding, 1);
      enc->n = p->n + (out != NULL ? (int) out->len : 0);
      enc->ids = g_new (int, enc->n);
      enc->start = g_new (int, enc->n);
      enc->end = g_new (int, enc->n);
      enc->pieces = g_new0 (char *, enc->n + 1);
      for (int i = 0; i < enc->n; i++)
        {
          if (i < p->n)
            {
              enc->ids[i] = p->ids[i];
              enc->start[i] = p->start[i];
              enc->end[i] = p->end[i];
            }
          else
            {
              enc->ids[i] = g_array_index (out, int, i - p->n);
              /* after the prompt: where the Russian begins */
              enc->start[i] = enc->end[i] = (int) prompt_chars + (i - p->n);
            }
          enc->pieces[i] = g_strdup (triad_tokenizer_piece (model->tokenizer, enc->ids[i]) ?: "<unk>");
        }
    }

  /* the English tokens lie within it; the Russian ones start after the prompt, and the
   * prompt's last token is the first query row */
  view->en_start = view->en_end = -1;
  view->ru_start = -1;
  for (int i = 0; i < enc->n; i++)
    {
      if (enc->ids[i] < TRIAD_N_SPECIAL_TOKENS)
        continue;
      if (enc->start[i] >= en_from && enc->end[i] <= en_to)
        {
          if (view->en_start < 0)
            view->en_start = i;
          view->en_end = i + 1;
        }
      if (enc->start[i] < prompt_chars)
        view->ru_start = i;
    }
  view->ru_end = enc->n;
  if (view->en_start < 0 || view->ru_start < 0)
    {
      g_set_error (error, TRIAD_ERROR, TRIAD_ERROR_INVALID_TEXT,
                   _("The translation prompt has no English words"));
      return NULL;
    }

  state = triad_state_new (model);
  if (g_cancellable_set_error_if_cancelled (cancellable, error)
      || !triad_decoder_forward (state, enc->ids, enc->n, &cap, 1, error))
    {
      triad_capture_clear (&cap);
      return NULL;
    }
  view->weights = g_steal_pointer (&cap.weights);
  view->tokens = g_steal_pointer (&enc);
  return g_steal_pointer (&view);
}

void
triad_prompt_view_block (const TriadPromptView *view,
                         int                    layer,
                         int                    head,
                         float                 *out)
{
  int n = view->tokens->n, H = view->n_heads;
  int rows = view->ru_end - view->ru_start, cols = view->en_end - view->en_start;
  int h0 = head >= 0 ? head : 0, h1 = head >= 0 ? head + 1 : H;

  g_return_if_fail (layer >= 0 && layer < view->n_layers && head >= -1 && head < H);

  memset (out, 0, sizeof (float) * rows * cols);
  for (int h = h0; h < h1; h++)
    {
      const float *w = view->weights + ((size_t) layer * H + h) * n * n;
      for (int r = 0; r < rows; r++)
        for (int c = 0; c < cols; c++)
          out[r * cols + c] += w[(size_t) (view->ru_start + r) * n + view->en_start + c];
    }
  for (int i = 0; i < rows * cols; i++)
    out[i] /= h1 - h0;
}

double
triad_prompt_view_english_share (const TriadPromptView *view,
                                 int                    layer,
                                 int                    head)
{
  int rows = view->ru_end - view->ru_start, cols = view->en_end - view->en_start;
  g_autofree float *block = g_new (float, (size_t) MAX (rows * cols, 1));
  double sum = 0.0;

  if (rows <= 0)
    return 0.0;
  triad_prompt_view_block (view, layer, head, block);
  for (int i = 0; i < rows * cols; i++)
    sum += block[i];
  return sum / rows;
}
