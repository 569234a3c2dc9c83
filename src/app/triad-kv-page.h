/* triad-kv-page.h — the KV Cache view: the shipped decoder generating live while the bytes
 * its cache allocates grow layer by layer, each step timed with the cache and with a full
 * recompute; beside it, the cache of real LLMs projected from their published shapes. */
#pragma once

#include <gtk/gtk.h>

#include "engine/memory.h"
#include "scenes/kv-scene.h"

G_BEGIN_DECLS

#define TRIAD_TYPE_KV_PAGE (triad_kv_page_get_type ())

G_DECLARE_FINAL_TYPE (TriadKvPage, triad_kv_page, TRIAD, KV_PAGE, GtkWidget)

/* ---- the live run ------------------------------------------------------------------- */

/* Asks for n more decoding steps (computed one after another in a worker thread). */
void         triad_kv_page_step_live      (TriadKvPage *self,
                                           int          n);
/* An empty cache again, the prompt unchanged. */
void         triad_kv_page_reset_live     (TriadKvPage *self);
/* Steps asked for and not done yet, the one computing included. */
int          triad_kv_page_get_pending    (TriadKvPage *self);
/* The samples of the growth chart, one a step: the positions in the cache, the bytes
 * allocated for K and V over every layer and for one layer, and the step's seconds with the
 * cache and recomputed. */
int          triad_kv_page_get_n_samples  (TriadKvPage *self);
void         triad_kv_page_get_sample     (TriadKvPage *self,
                                           int          i,
                                           int         *tokens,
                                           guint64     *kv_bytes,
                                           guint64     *layer_bytes,
                                           double      *cached_seconds,
                                           double      *recompute_seconds);
int          triad_kv_page_get_n_prompt   (TriadKvPage *self);
int          triad_kv_page_get_n_layers   (TriadKvPage *self);
/* The text generated so far, without the prompt; "" before the first step. */
const char  *triad_kv_page_get_generated  (TriadKvPage *self);
const char  *triad_kv_page_get_live_status (TriadKvPage *self);

/* ---- the projections ---------------------------------------------------------------- */

/* What the readout under the chart says, as plain text. */
const char  *triad_kv_page_get_readout    (TriadKvPage *self);
/* The estimate shown; NULL when the options do not make one (the readout says why). */
const TriadKvEstimate *triad_kv_page_get_estimate (TriadKvPage *self);
/* Points at (x, y) of the chart, as hovering does: the context under it, or -1. */
double       triad_kv_page_hover_chart    (TriadKvPage *self,
                                           double       x,
                                           double       y);
/* The context the chart's readout box is at: the hovered one, else the chosen one. */
double       triad_kv_page_get_chart_readout_tokens (TriadKvPage *self);

/* The scene the page draws, on screen and for export. */
TriadKvScene *triad_kv_page_get_scene     (TriadKvPage *self);

G_END_DECLS
