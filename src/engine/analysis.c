/* analysis.c — attention maps for the views and the command line, and head statistics. */
#include "config.h"

#include <math.h>
#include <string.h>
#include "engine/i18n.h"

#include "engine/analysis.h"
#include "engine/error.h"
#include "engine/generate.h"

TriadAttnKind
triad_attention_default_kind (const TriadModel *model)
{
  return model->config.arch == TRIAD_ARCH_DECODER ? TRIAD_ATTN_DECODER_SELF
                                                  : TRIAD_ATTN_ENCODER_SELF;
}

int
triad_attention_n_layers (const TriadModel *model,
                          TriadAttnKind     kind)
{
  switch (kind)
    {
    case TRIAD_ATTN_ENCODER_SELF:
      return model->config.n_enc_layers;
    case TRIAD_ATTN_DECODER_SELF:
      return model->config.n_dec_layers;
    case TRIAD_ATTN_CROSS:
      return model->config.arch == TRIAD_ARCH_ENCDEC ? model->config.n_dec_layers : 0;
    default:
      return 0;
    }
}

void
triad_attention_map_free (TriadAttentionMap *map)
{
  if (map == NULL)
    return;
  g_clear_pointer (&map->src, triad_encoding_free);
  g_clear_pointer (&map->tgt, triad_encoding_free);
  triad_capture_clear (&map->cap);
  g_free (map);
}

/* The model's own translation, as a decoder input: <bos> and what greedy decoding wrote,
 * without its <eos>. */
static TriadEncoding *
greedy_target (TriadModel          *model,
               const TriadEncoding *src,
               GCancellable        *cancellable,
               GError             **error)
{
  g_autoptr(TriadState) state = triad_state_new (model);
  g_autoptr(GArray) ids = NULL;
  TriadEncoding *tgt;

  ids = triad_generate_greedy (state, src->ids, src->n, model->config.max_seq_len - 1,
                               cancellable, error);
  if (ids == NULL)
    return NULL;
  tgt = g_new0 (TriadEncoding, 1);
  tgt->n = ids->len + 1;
  tgt->ids = g_new (int, tgt->n);
  tgt->start = g_new0 (int, tgt->n);
  tgt->end = g_new0 (int, tgt->n);
  tgt->pieces = g_new0 (char *, tgt->n + 1);
  tgt->ids[0] = triad_model_special (model, TRIAD_TOKEN_BOS);
  for (guint i = 0; i < ids->len; i++)
    tgt->ids[i + 1] = g_array_index (ids, int, i);
  for (int i = 0; i < tgt->n; i++)
    tgt->pieces[i] = g_strdup (triad_tokenizer_piece (model->tokenizer, tgt->ids[i]) ?: "<unk>");
  return tgt;
}

TriadAttentionMap *
triad_attention_map_compute (TriadModel    *model,
                             const char    *text,
                             const char    *target,
                             TriadAttnKind  kind,
                             int            layer,
                             int            head,
                             GCancellable  *cancellable,
                             GError       **error)
{
  g_autoptr(TriadAttentionMap) map = g_new0 (TriadAttentionMap, 1);
  g_autoptr(TriadState) state = triad_state_new (model);
  TriadArch arch = model->config.arch;

  map->arch = arch;
  map->kind = kind;
  if (triad_attention_n_layers (model, kind) == 0)
    {
      if (kind == TRIAD_ATTN_CROSS)
        g_set_error (error, TRIAD_ERROR, TRIAD_ERROR_INVALID_ARGUMENT,
                     _("Only an encoder-decoder model has cross-attention"));
      else if (kind == TRIAD_ATTN_DECODER_SELF)
        g_set_error (error, TRIAD_ERROR, TRIAD_ERROR_INVALID_ARGUMENT,
                     _("An encoder-only model has no decoder self-attention"));
      else
        g_set_error (error, TRIAD_ERROR, TRIAD_ERROR_INVALID_ARGUMENT,
                     _("A decoder-only model has no encoder self-attention"));
      return NULL;
    }
  if (target != NULL && arch != TRIAD_ARCH_ENCDEC)
    {
      g_set_error (error, TRIAD_ERROR, TRIAD_ERROR_INVALID_ARGUMENT,
                   _("Only an encoder-decoder model reads a target text"));
      return NULL;
    }
  map->cap.kind = kind;
  map->cap.layer = layer;
  map->cap.head = head;

  if (arch == TRIAD_ARCH_DECODER)
    {
      map->src = triad_model_encode (model, text, TRIAD_ATTN_DECODER_SELF, error);
      if (map->src == NULL
          || !triad_decoder_forward (state, map->src->ids, map->src->n, &map->cap, 1, error))
        return NULL;
      map->queries = map->keys = map->src;
      return g_steal_pointer (&map);
    }

  map->src = triad_model_encode (model, text, TRIAD_ATTN_ENCODER_SELF, error);
  if (map->src == NULL)
    return NULL;
  if (arch == TRIAD_ARCH_ENCDEC)
    {
      map->generated = target == NULL;
      map->tgt = target != NULL
                 ? triad_model_encode (model, target, TRIAD_ATTN_DECODER_SELF, error)
                 : greedy_target (model, map->src, cancellable, error);
      if (map->tgt == NULL)
        return NULL;
    }
  if (g_cancellable_set_error_if_cancelled (cancellable, error)
      || !triad_encoder_forward (state, map->src->ids, map->src->n, &map->cap, 1, error)
      || (map->tgt != NULL
          && !triad_decoder_forward (state, map->tgt->ids, map->tgt->n, &map->cap, 1, error)))
    return NULL;
  map->queries = kind == TRIAD_ATTN_ENCODER_SELF ? map->src : map->tgt;
  map->keys = kind == TRIAD_ATTN_DECODER_SELF ? map->tgt : map->src;
  return g_steal_pointer (&map);
}

void
triad_attention_map_average (const TriadAttentionMap *map,
                             int                      i,
                             float                   *out)
{
  size_t cells = (size_t) map->cap.n_q * map->cap.n_k;

  memset (out, 0, sizeof (float) * cells);
  for (int h = 0; h < map->cap.n_heads; h++)
    {
      const float *w = triad_capture_matrix (&map->cap, i, h);
      for (size_t c = 0; c < cells; c++)
        out[c] += w[c];
    }
  for (size_t c = 0; c < cells; c++)
    out[c] /= map->cap.n_heads;
}

void
triad_head_stats (const float    *w,
                  int             n_q,
                  int             n_k,
                  TriadHeadStats *stats)
{
  double entropy = 0, distance = 0, sink = 0;

  for (int i = 0; i < n_q; i++)
    {
      const float *row = w + (size_t) i * n_k;
      for (int j = 0; j < n_k; j++)
        {
          if (row[j] > 0)
            entropy -= row[j] * log (row[j]);
          distance += row[j] * fabs ((double) (i - j));
        }
      sink += row[0];
    }
  stats->entropy = n_q > 0 ? entropy / n_q : 0;
  stats->mean_distance = n_q > 0 ? distance / n_q : 0;
  stats->sink = n_q > 0 ? sink / n_q : 0;
}
