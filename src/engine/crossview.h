/* crossview.h — one translation seen whole, for the Cross-attention view: the encoder-decoder
 * decoding step by step (each step's decoder self-attention and cross-attention rows, and the
 * KV cache's bytes after it), and the decoder-only model translating the same sentence by
 * prompt, with its self-attention from the Russian tokens back to the English ones. */
#pragma once

#include <gio/gio.h>

#include "engine/model.h"

G_BEGIN_DECLS

/* The encoder-decoder over a source and a target, captured one decoding step at a time:
 * step t reads target token t, appends its K/V to the cache and adds row t of the decoder's
 * self-attention and of the cross-attention. */
typedef struct {
  TriadEncoding *src;          /* the encoder's input: text <eos> */
  TriadEncoding *tgt;          /* the decoder's input: <bos> target, without a final <eos> */
  gboolean       generated;    /* tgt is the model's own greedy translation */
  int            n_enc_layers;
  int            n_dec_layers;
  int            n_heads;
  float         *enc_self;     /* (n_enc_layers, n_heads, src->n, src->n) */
  float         *dec_self;     /* (n_dec_layers, n_heads, tgt->n, tgt->n); row t from step t,
                                * zero right of the diagonal (the causal mask) */
  float         *cross;        /* (n_dec_layers, n_heads, tgt->n, src->n); row t from step t */
  int           *predicted;    /* (tgt->n) the most likely next token after step t */
  float         *predicted_p;  /* (tgt->n) its probability */
  size_t        *kv_bytes;     /* (tgt->n) decoder self-attention K/V after step t: t + 1
                                * positions (the cache grows one position at a time here) */
  size_t        *cross_bytes;  /* (tgt->n) cross-attention K/V after step t: computed once
                                * from the encoder's output, the same at every step */
} TriadCrossView;

/* Runs model (an encoder-decoder) over text and, token by token, over target (teacher
 * forcing) or, when target is NULL, over its own greedy translation as it writes it. */
TriadCrossView *triad_cross_view_compute     (TriadModel       *model,
                                              const char       *text,
                                              const char       *target,
                                              GCancellable     *cancellable,
                                              GError          **error);
/* The same over token ids: src (the encoder's input) and tgt (the decoder's input, <bos>
 * first), or tgt NULL for greedy decoding from <bos>. */
TriadCrossView *triad_cross_view_compute_ids (TriadModel       *model,
                                              const int        *src,
                                              int               n_src,
                                              const int        *tgt,
                                              int               n_tgt,
                                              GCancellable     *cancellable,
                                              GError          **error);
void            triad_cross_view_free        (TriadCrossView   *view);

/* The shape of one kind of attention: queries × keys. */
void            triad_cross_view_shape       (const TriadCrossView *view,
                                              TriadAttnKind         kind,
                                              int                  *n_q,
                                              int                  *n_k);
int             triad_cross_view_n_layers    (const TriadCrossView *view,
                                              TriadAttnKind         kind);
/* The (n_q, n_k) matrix of a layer and head; into out as the mean of the layer's heads when
 * head is -1 (out then holds n_q × n_k floats and is returned). */
const float    *triad_cross_view_matrix      (const TriadCrossView *view,
                                              TriadAttnKind         kind,
                                              int                   layer,
                                              int                   head,
                                              float                *out);

/* The decoder-only model over its translation prompt "EN: <english> RU:" followed by Russian. */
typedef struct {
  TriadEncoding *tokens;       /* <bos> EN : english RU : russian */
  gboolean       generated;    /* the Russian is the model's own greedy continuation */
  int            n_layers;
  int            n_heads;
  int            en_start;     /* the English tokens: [en_start, en_end) */
  int            en_end;
  int            ru_start;     /* the query rows: the prompt's last token, which predicts the
                                * first Russian word, then the Russian tokens: [ru_start, ru_end) */
  int            ru_end;
  float         *weights;      /* (n_layers, n_heads, tokens->n, tokens->n) causal */
} TriadPromptView;

/* Runs the decoder-only model over the translation prompt of english and russian (teacher
 * forcing), or, when russian is NULL, over its own greedy continuation of the prompt. */
TriadPromptView *triad_prompt_view_compute   (TriadModel       *model,
                                              const char       *english,
                                              const char       *russian,
                                              GCancellable     *cancellable,
                                              GError          **error);
void             triad_prompt_view_free      (TriadPromptView  *view);
/* Rows [ru_start, ru_end) by columns [en_start, en_end) of a layer and head (-1: the mean of
 * the heads) into out, (ru_end - ru_start, en_end - en_start). */
void             triad_prompt_view_block     (const TriadPromptView *view,
                                              int                    layer,
                                              int                    head,
                                              float                 *out);
/* The mean over the query rows of the attention that lands on the English tokens, 0 … 1. */
double           triad_prompt_view_english_share (const TriadPromptView *view,
                                                  int                    layer,
                                                  int                    head);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (TriadCrossView, triad_cross_view_free)
G_DEFINE_AUTOPTR_CLEANUP_FUNC (TriadPromptView, triad_prompt_view_free)

G_END_DECLS
