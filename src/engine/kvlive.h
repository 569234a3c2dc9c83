/* kvlive.h — a decoder-only model generating one token at a time while its KV cache is
 * watched: after each step, the bytes the engine has allocated for every layer's K and V,
 * the step's wall time with the cache, and the same step done without one (every position
 * of the sequence run again on an empty state), for comparison.
 *
 * With kv_block = 1 the cache grows by exactly one position a step, that is by
 *   2 (K and V) × n_dec_layers × dim × sizeof (float)
 * bytes; with the engine's usual 16 it grows a block of 16 positions at a time. */
#pragma once

#include <gio/gio.h>

#include "engine/model.h"

G_BEGIN_DECLS

typedef struct _TriadKvLive TriadKvLive;

typedef struct {
  int     step;               /* 0 for the first generated token */
  int     token;              /* the token chosen at this step and appended to the cache */
  int     tokens;             /* positions in the cache after the step (prompt included) */
  size_t  kv_bytes;           /* triad_state_kv_bytes () after the step: every layer's K and V */
  size_t  layer_bytes;        /* one layer's K and V (every layer allocates the same) */
  int     n_layers;
  double  cached_seconds;     /* the step with the cache: one position through the decoder */
  double  recompute_seconds;  /* the same step without it: the whole sequence again; < 0 when
                               * not measured */
} TriadKvLiveStep;

/* A run of model (decoder-only) from prompt (ids, <bos> first, 1 … max_seq_len - 1 of them),
 * its cache grown kv_block positions at a time (>= 1), choosing tokens greedily when
 * temperature <= 0 and else by sampling the top_k (0: all) at that temperature from a
 * generator seeded with seed. Nothing is computed until the first step, which prefills. */
TriadKvLive *triad_kv_live_new      (const TriadModel *model,
                                     const int        *prompt,
                                     int               n_prompt,
                                     int               kv_block,
                                     float             temperature,
                                     int               top_k,
                                     guint64           seed,
                                     GError          **error);
TriadKvLive *triad_kv_live_ref      (TriadKvLive      *live);
void         triad_kv_live_unref    (TriadKvLive      *live);

/* One step: the prefill first if it has not run, then the next token chosen from the last
 * logits and run through the decoder at the next position (n = 1), appending its K and V.
 * With recompute, the sequence so far (the new token included) is then run again on an
 * empty state, and timed. Each time is the fastest of up to three runs of the same work (a
 * cached step is repeated at the same position, which rewrites the same K and V), so that
 * other processes disturb it less. Fails with TRIAD_ERROR_TOO_LONG once the cache holds the
 * model's max_seq_len positions, and G_IO_ERROR_CANCELLED when cancelled. */
gboolean     triad_kv_live_step     (TriadKvLive      *live,
                                     gboolean          recompute,
                                     TriadKvLiveStep  *out,
                                     GCancellable     *cancellable,
                                     GError          **error);

/* The run so far: steps taken, positions in the cache, the seconds the prefill took (< 0
 * before it ran), and whether another step fits in the model's positions. */
int          triad_kv_live_get_n_steps  (const TriadKvLive *live);
int          triad_kv_live_get_position (const TriadKvLive *live);
double       triad_kv_live_get_prefill_seconds (const TriadKvLive *live);
gboolean     triad_kv_live_can_step     (const TriadKvLive *live);
/* prompt and generated ids, (n) */
const int   *triad_kv_live_get_ids      (const TriadKvLive *live,
                                         int               *n);
/* The logits (vocab_size) of the last position after the last step, with the cache, and as
 * the recompute found them (NULL when the last step did not recompute). */
const float *triad_kv_live_get_logits   (const TriadKvLive *live);
const float *triad_kv_live_get_recompute_logits (const TriadKvLive *live);
const TriadState *triad_kv_live_get_state (const TriadKvLive *live);

/* What one more cached position costs in bytes: 2 × n_dec_layers × dim × sizeof (float). */
size_t       triad_kv_live_bytes_per_token (const TriadModel *model);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (TriadKvLive, triad_kv_live_unref)

G_END_DECLS
