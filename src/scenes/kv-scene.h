/* kv-scene.h — the KV Cache view's figures and words, from the engine's results: the live
 * run's steps (engine/kvlive.h) as the chart of the cache growing layer by layer with each
 * step's time, and the memory model's estimates (engine/memory.h) for real LLMs as the
 * memory curve under GPU lines and the 8 k against 100 k bars, with the readouts under them.
 * The window's page and `triad export --view kv` draw the same scene. */
#pragma once

#include <cairo.h>
#include <glib.h>

#include "engine/kvlive.h"
#include "engine/kvquant.h"
#include "engine/memory.h"
#include "figures/figures.h"
#include "figures/memory-chart.h"

G_BEGIN_DECLS

/* The context axis: 1 k to 1 M tokens by default; the bars at 8 k and 100 k. */
#define TRIAD_KV_SCENE_MIN_CONTEXT 1000.0
#define TRIAD_KV_SCENE_MAX_CONTEXT 1000000.0
#define TRIAD_KV_SCENE_MARK_8K     TRIAD_CONTEXT_SHORT
#define TRIAD_KV_SCENE_MARK_100K   TRIAD_CONTEXT_LONG
/* The most models one memory chart compares. */
#define TRIAD_KV_SCENE_MAX_SERIES  6

typedef struct {
  /* the projection */
  TriadKvOptions kv;            /* kv.tokens: the chosen context, where the readout is */
  gboolean       gib;           /* amounts and GPUs in GiB, else GB */
  gboolean       log_axes;
  double         max_tokens;    /* the context axis' end; <= 0: 1 M */
  gboolean       no_weights;    /* the cache alone, not stacked on the weights */
  double         hover_tokens;  /* > 0: the chart's readout at this context, not kv.tokens */
  /* the live run */
  int            kv_block;      /* positions the cache grows by: 1 or 16 */
  int            max_steps;     /* the run's limit, for the status to say it is reached */
  int            growth_hover;  /* the step under the pointer; -1: none, the last is told */
  TriadColormap  cmap;          /* the layers' colours */
  gboolean       hint;          /* on screen: an empty live chart says how to start it */
} TriadKvSceneOptions;

/* 8192 tokens of Llama-like defaults (triad_kv_options_init), GB, log axes, blocks of one
 * position, 256 steps, viridis, no hover, no hint. */
void triad_kv_scene_options_init (TriadKvSceneOptions *opt);

typedef struct _TriadKvScene TriadKvScene;

TriadKvScene *triad_kv_scene_new          (void);
void          triad_kv_scene_free         (TriadKvScene              *scene);

/* ---- the engine's results ---------------------------------------------------------- */

/* The models projected (copied; 0 … TRIAD_KV_SCENE_MAX_SERIES): the first one's cache is
 * the one the bars and the readout tell. */
void          triad_kv_scene_set_presets  (TriadKvScene              *scene,
                                           const TriadLlmPreset     **presets,
                                           int                        n);
/* A new live run of a decoder of n_layers over a prompt of n_prompt tokens, no step yet;
 * n_prompt 0: no run. error, when not NULL, is what the run's status says instead. */
void          triad_kv_scene_set_live     (TriadKvScene              *scene,
                                           int                        n_prompt,
                                           int                        n_layers,
                                           const char                *error);
/* Which decoder the run is of, for its chart's title and status: a real model (GPT-2) by its
 * name, with no <bos> added to its prompt; Triad's own as "Shipped decoder", <bos> first.
 * Until it is called, the run is the shipped decoder's. */
void          triad_kv_scene_set_live_decoder (TriadKvScene          *scene,
                                               const TriadModel      *decoder);
/* A step of the run, as triad_kv_live_step () returned it. */
void          triad_kv_scene_add_step     (TriadKvScene              *scene,
                                           const TriadKvLiveStep     *step);
/* A step failed: the run's status says why, its steps stay. */
void          triad_kv_scene_set_live_error (TriadKvScene            *scene,
                                             const char              *error);
/* The decoder's positions are full: the run can go no further. */
void          triad_kv_scene_set_exhausted (TriadKvScene             *scene,
                                            gboolean                  exhausted);

/* ---- the live run, computed ------------------------------------------------------- */

/* What a live run is asked for, beside the model and the prompt. */
typedef struct {
  int      kv_block;   /* positions the cache grows by: 1 or 16 */
  gboolean sampling;   /* sampling (temperature 0.8, every token, a fixed seed, so that a run
                        * started again replays the same text), else greedy */
  TriadDtype kv_dtype; /* how the cache stores K and V: f32 (0, the default), f16, bf16, int8
                        * or int4 (kvquant.h) */
} TriadKvLiveRequest;

/* What a live cache in another format than f32 costs, measured in a worker after the run. */
typedef struct {
  TriadDtype          dtype;
  TriadKvQuantReport  report;  /* triad_kv_quant_compare () over the run's prompt and its
                                * steps: the greedy changes, the largest weight difference and
                                * where it is */
  int                 n;       /* the run's tokens, prompt and generated */
  float              *diff;    /* (n, n): the attention weights of report's worst layer and
                                * head over the run's tokens, that cache's minus an f32
                                * cache's; row i is what the step reading position i saw */
} TriadKvQuantView;

/* Steps a worker computed, for the scene to take on the main thread. */
typedef struct {
  GArray   *steps;     /* (TriadKvLiveStep) */
  gboolean  exhausted; /* the decoder's positions are full: no further step */
} TriadKvTrace;

/* A run of decoder (decoder-only) over text, with no step yet; the prompt's tokens, <bos>
 * included, in n_prompt. Cheap: the prefill is the first step's. */
TriadKvLive  *triad_kv_scene_live_new   (const TriadModel          *decoder,
                                         const char                *text,
                                         const TriadKvLiveRequest  *request,
                                         int                       *n_prompt,
                                         GError                   **error);
/* In a worker thread: up to n_steps more steps of live, each timed recomputed too; fewer
 * when the decoder's positions fill (trace->exhausted, not an error). NULL with error when a
 * step fails or cancellable is cancelled. */
TriadKvTrace *triad_kv_scene_compute_live (TriadKvLive             *live,
                                           int                      n_steps,
                                           GCancellable            *cancellable,
                                           GError                 **error);
void          triad_kv_trace_free       (TriadKvTrace              *trace);
/* In a worker thread, after steps of live: what its cache's format (not f32) costs against
 * f32 over the same prompt and as many steps. */
TriadKvQuantView *triad_kv_scene_compare_live (TriadKvLive         *live,
                                               const TriadModel    *decoder,
                                               int                  n_prompt,
                                               TriadDtype           dtype,
                                               GCancellable        *cancellable,
                                               GError             **error);
/* The same over a run's tokens (prompt first, then what it generated), copied beforehand: a
 * worker can compare while the live run goes on. */
TriadKvQuantView *triad_kv_scene_compare_ids (const TriadModel     *decoder,
                                              const int            *ids,
                                              int                   n,
                                              int                   n_prompt,
                                              TriadDtype            dtype,
                                              GCancellable         *cancellable,
                                              GError              **error);
void          triad_kv_quant_view_free  (TriadKvQuantView          *view);
/* A decoder's own config as a preset the projection takes (id "model", named as the live
 * chart names it): its layers, heads, K/V heads, head size, window and parameters. */
TriadLlmPreset *triad_kv_scene_model_preset (const TriadModel      *decoder);
/* On the main thread: the run's cache format (after set_live_decoder (), which makes it f32)
 * and what it costs (taken; NULL: none shown). */
void          triad_kv_scene_set_live_format (TriadKvScene         *scene,
                                              TriadDtype            dtype);
void          triad_kv_scene_set_quant  (TriadKvScene              *scene,
                                         TriadKvQuantView          *view);
const TriadKvQuantView *triad_kv_scene_get_quant (TriadKvScene      *scene);
/* A whole run at once, as `triad export --view kv` takes it: decoder over text, n_steps steps
 * (fewer when its positions fill), into scene in place of its run before. */
gboolean      triad_kv_scene_run_live   (TriadKvScene              *scene,
                                         const TriadModel          *decoder,
                                         const char                *text,
                                         const TriadKvLiveRequest  *request,
                                         int                        n_steps,
                                         GError                   **error);
/* On the main thread: the trace's steps after the run's (triad_kv_scene_set_live ()). */
void          triad_kv_scene_add_trace  (TriadKvScene              *scene,
                                         const TriadKvTrace        *trace);

/* ---- options to figures and words -------------------------------------------------- */

/* Estimates at opt's context, along the curve and at the bars' marks, and builds every title,
 * label and readout in the language gettext speaks now (so relabelling is calling it again). */
void          triad_kv_scene_update       (TriadKvScene              *scene,
                                           const TriadKvSceneOptions *opt);

/* The first model's estimate at the chosen context; NULL when the options make none (the
 * readout then says why). */
const TriadKvEstimate *triad_kv_scene_get_estimate (TriadKvScene     *scene);
/* What the projection's readout says: cache, weights, total, how a token's worth is made,
 * which GPUs hold it; or why there is no estimate (is_error). */
const char   *triad_kv_scene_get_readout  (TriadKvScene              *scene,
                                           gboolean                  *is_error);
/* What the live run's status says: the step told (hovered, else the last), the times. */
const char   *triad_kv_scene_get_live_status (TriadKvScene           *scene);
/* The live cache's bytes per token: 2 × layers × K/V heads × head size × bytes (with int8 and
 * int4, a float32 scale per token and K/V head) as the formula with the decoder's numbers,
 * what the run allocated, and what the projection (memory.c) gives for the decoder's own
 * config in that format; NULL before a step. Numbers into the pointers that are not NULL. */
const char   *triad_kv_scene_get_live_bytes (TriadKvScene            *scene,
                                             guint64                 *formula,
                                             guint64                 *measured,
                                             guint64                 *projected);
/* The title of the whole figure (the memory chart's). */
const char   *triad_kv_scene_get_title    (TriadKvScene              *scene);
const TriadMemoryChart *triad_kv_scene_get_chart  (TriadKvScene      *scene);
const TriadMemoryBars  *triad_kv_scene_get_bars   (TriadKvScene      *scene);
const TriadKvGrowth    *triad_kv_scene_get_growth (TriadKvScene      *scene);

/* The live run's steps so far and the prompt's tokens. */
int           triad_kv_scene_get_n_steps  (TriadKvScene              *scene);
int           triad_kv_scene_get_n_prompt (TriadKvScene              *scene);
int           triad_kv_scene_get_n_layers (TriadKvScene              *scene);
const TriadKvLiveStep *triad_kv_scene_get_step (TriadKvScene         *scene,
                                                int                   i);
/* The context's tokens written out for people, "8,192 tokens" (the bars' labels too). */
char         *triad_kv_scene_format_tokens (gint64                    tokens);
/* "24 GB", "24 GiB": a GPU's memory as the chart labels it. */
char         *triad_kv_scene_gpu_name     (int                        size,
                                           gboolean                   gib);

/* ---- drawing and pointing ------------------------------------------------------------ */

/* The panels one at a time, as the page shows them. */
void          triad_kv_scene_draw_growth  (TriadKvScene              *scene,
                                           cairo_t                   *cr,
                                           const TriadFigureStyle    *style,
                                           double                     width,
                                           double                     height);
void          triad_kv_scene_draw_chart   (TriadKvScene              *scene,
                                           cairo_t                   *cr,
                                           const TriadFigureStyle    *style,
                                           double                     width,
                                           double                     height);
void          triad_kv_scene_draw_bars    (TriadKvScene              *scene,
                                           cairo_t                   *cr,
                                           const TriadFigureStyle    *style,
                                           double                     width,
                                           double                     height);
/* The quantized cache's difference heatmap with its title and what it says; nothing without
 * one (f32, or not computed). */
void          triad_kv_scene_draw_difference (TriadKvScene           *scene,
                                              cairo_t                *cr,
                                              const TriadFigureStyle *style,
                                              double                  width,
                                              double                  height);
/* The step under (x, y) of a growth panel that size, or -1. */
int           triad_kv_scene_hit_growth   (TriadKvScene              *scene,
                                           const TriadFigureStyle    *style,
                                           double                     width,
                                           double                     height,
                                           double                     x,
                                           double                     y);
/* The context under (x, y) of a chart that size, or -1. */
double        triad_kv_scene_hit_chart    (TriadKvScene              *scene,
                                           const TriadFigureStyle    *style,
                                           double                     width,
                                           double                     height,
                                           double                     x,
                                           double                     y);

/* The whole view as one figure: the live chart, the memory chart and the bars side by side
 * (their widths shares of width), and under them the two readouts. */
void          triad_kv_scene_draw         (TriadKvScene              *scene,
                                           cairo_t                   *cr,
                                           const TriadFigureStyle    *style,
                                           double                     width,
                                           double                     height);
/* What (x, y) of that whole figure is over: 0, the live chart, with the step under it in step;
 * 1, the memory chart, with the context in tokens; -1 for nothing (the bars, the readouts, a
 * gap, a chart where it has no data). */
int           triad_kv_scene_hit          (TriadKvScene              *scene,
                                           const TriadFigureStyle    *style,
                                           double                     width,
                                           double                     height,
                                           double                     x,
                                           double                     y,
                                           int                       *step,
                                           double                    *tokens);
/* The height of that figure at width whose charts are plot_height high: the readouts take
 * what they need under them. */
double        triad_kv_scene_natural_height (TriadKvScene            *scene,
                                             const TriadFigureStyle  *style,
                                             double                   width,
                                             double                   plot_height);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (TriadKvScene, triad_kv_scene_free)
G_DEFINE_AUTOPTR_CLEANUP_FUNC (TriadKvTrace, triad_kv_trace_free)
G_DEFINE_AUTOPTR_CLEANUP_FUNC (TriadKvQuantView, triad_kv_quant_view_free)

G_END_DECLS
