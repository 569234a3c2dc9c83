/* generate.h — prefill, then decoding steps, each reported as it happens. */
#pragma once

#include <gio/gio.h>

#include "engine/model.h"

G_BEGIN_DECLS

typedef struct {
  int      max_tokens;      /* steps at most; the model's length bounds it too */
  float    temperature;     /* <= 0: greedy */
  int      top_k;           /* 0: the whole vocabulary */
  guint64  seed;
  gboolean capture;         /* report each step's attention rows */
} TriadGenerateOptions;

typedef struct {
  int                 step;         /* 0 for the first generated token */
  int                 position;     /* the decoder position the new token was predicted at */
  int                 token;
  const char         *piece;        /* its vocabulary string */
  float               prob;         /* its probability under the model (temperature 1) */
  size_t              kv_bytes;     /* decoder self-attention K/V allocated after the step */
  size_t              cross_bytes;  /* cross-attention K/V, fixed after the encoder */
  gint64              usec;         /* wall time of the step's forward pass */
  /* with capture: one query row per layer and head, (n_layers, n_heads, 1, n_k) */
  const TriadCapture *self_rows;
  const TriadCapture *cross_rows;   /* NULL unless encoder-decoder */
} TriadStepEvent;

/* Return FALSE to stop. */
typedef gboolean (*TriadStepFunc) (const TriadStepEvent *event,
                                   gpointer              user_data);

/* Generates from a decoder-only model (prompt: the decoder's input, <bos> first) or an
 * encoder-decoder (source: the encoder's input; the decoder starts from <bos>). Stops at
 * <eos>, after max_tokens, at the model's length, when the callback says so, or when
 * cancelled. The generated ids (without the prompt) go to *out_ids when it is not NULL. */
gboolean triad_generate (TriadState                 *state,
                         const int                  *input,
                         int                         n_input,
                         const TriadGenerateOptions *options,
                         TriadStepFunc               callback,
                         gpointer                    user_data,
                         GArray                    **out_ids,
                         GCancellable               *cancellable,
                         GError                    **error);

/* Greedy decoding of up to max_tokens tokens; the ids written, without a final <eos>. */
GArray  *triad_generate_greedy (TriadState    *state,
                                const int     *input,
                                int            n_input,
                                int            max_tokens,
                                GCancellable  *cancellable,
                                GError       **error);

/* The next token from logits (vocab): argmax when temperature <= 0, else sampled from the
 * top_k most likely at that temperature. */
int      triad_sample        (const float *logits,
                              int          vocab,
                              float        temperature,
                              int          top_k,
                              GRand       *rng);

G_END_DECLS
