/* memory-chart.h — figures of memory: the KV cache of real LLMs against the context, with
 * their weights and the GPUs that hold them; the cache at 8 k against 100 k tokens as bars;
 * and the cache of the running model growing layer by layer, with the time of a step.
 *
 * They take numbers, not models: the caller computes them (engine/memory.h), so the figures
 * stay Cairo and Pango alone and draw the same on screen and in an export. Byte amounts are
 * written in decimal units (GB = 10⁹ bytes) or, with `gib`, binary ones (GiB = 2³⁰ bytes). */
#pragma once

#include <cairo.h>
#include <glib.h>

#include "engine/numbers.h"
#include "figures/axis.h"
#include "figures/figures.h"

G_BEGIN_DECLS

/* ---- the KV cache against the context ----------------------------------------------- */

typedef struct {
  const char   *label;          /* the model, in the legend and the readout */
  const double *tokens;         /* (n) context lengths, increasing, > 0 */
  const double *kv_bytes;       /* (n) the KV cache at each (0 at 0 tokens, linear before
                                 * the first sample) */
  int           n;
  double        weights_bytes;  /* the weights; 0: none */
} TriadMemorySeries;

typedef struct {
  const TriadMemorySeries *series;
  int                      n_series;
  const double            *gpu_bytes;     /* (n_gpus) a horizontal line for each memory size */
  const char * const      *gpu_labels;    /* (n_gpus) "24 GB"; NULL: written from gpu_bytes */
  int                      n_gpus;
  double                   min_tokens;    /* the x axis' start on a log axis; <= 0: 1000 */
  double                   max_tokens;    /* the x axis' end; <= 0: 1 000 000 */
  gboolean                 log_x;
  gboolean                 log_y;
  /* The cache drawn on top of its weights, a band under it: the curve is then the whole
   * memory, and where it crosses a GPU's line (marked) the model stops fitting that GPU.
   * Without it the curve is the cache alone and nothing is marked. */
  gboolean                 stack_weights;
  gboolean                 gib;
  const char              *title;         /* NULL: none */
  double                   hover_tokens;  /* > 0: a readout of every series at this context */
} TriadMemoryChart;

void   triad_memory_chart_draw (cairo_t                *cr,
                                const TriadMemoryChart *chart,
                                const TriadFigureStyle *style,
                                double                  width,
                                double                  height);
/* The context length under x (y inside the plot), for the hover readout; -1 outside. */
double triad_memory_chart_hit  (const TriadMemoryChart *chart,
                                const TriadFigureStyle *style,
                                double                  width,
                                double                  height,
                                double                  x,
                                double                  y);

/* ---- the cache at a few context lengths, as bars ------------------------------------- */

typedef struct {
  const double       *kv_bytes;       /* (n) one bar each */
  const double       *weights_bytes;  /* (n) stacked under each bar; NULL: none */
  const char * const *labels;         /* (n) under each bar, e.g. "8 k tokens" */
  int                 n;
  gboolean            gib;
  const char         *title;
} TriadMemoryBars;

/* Each bar carries its number with its unit ("1.1 GB"). */
void triad_memory_bars_draw (cairo_t                *cr,
                             const TriadMemoryBars  *bars,
                             const TriadFigureStyle *style,
                             double                  width,
                             double                  height);

/* ---- the running model's cache, growing ------------------------------------------- */

typedef struct {
  const double *tokens;            /* (n_samples) positions in the cache, increasing */
  const double *layer_bytes;       /* (n_samples, n_layers) bytes allocated for each layer */
  int           n_samples;
  int           n_layers;
  /* A second, smaller chart under the first: seconds per generated token with the cache and
   * without it (the whole prefix recomputed). NULL: that line is not drawn; both NULL: no
   * second chart. */
  const double *step_seconds_cached;    /* (n_samples) */
  const double *step_seconds_uncached;  /* (n_samples) */
  TriadColormap cmap;              /* the layers' colours, layer 0 at the bottom */
  gboolean      gib;
  const char   *title;
  int           hover;             /* the sample under the pointer; -1: none */
} TriadKvGrowth;

void triad_kv_growth_draw (cairo_t                *cr,
                           const TriadKvGrowth    *growth,
                           const TriadFigureStyle *style,
                           double                  width,
                           double                  height);
/* The sample nearest x inside either chart, or -1. */
int  triad_kv_growth_hit  (const TriadKvGrowth    *growth,
                           const TriadFigureStyle *style,
                           double                  width,
                           double                  height,
                           double                  x,
                           double                  y);

G_END_DECLS
