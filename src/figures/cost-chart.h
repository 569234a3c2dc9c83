/* cost-chart.h — what attention costs as the input grows: an encoder-decoder against a
 * decoder-only model reading an input of n tokens and writing an output of m, in FLOPs and
 * in memory, with the formulas the figure is drawn from. The numbers are engine/cost.h's. */
#pragma once

#include <cairo.h>
#include <glib.h>

#include "engine/cost.h"
#include "figures/figures.h"

G_BEGIN_DECLS

typedef struct {
  double      output_tokens;    /* m; <= 0: 500 */
  double      width;            /* d; <= 0: 4096 */
  double      min_input;        /* the x axis' start (log); <= 0: 100 */
  double      max_input;        /* the x axis' end; <= 0: 100 000 */
  double      bytes_per_value;  /* memory in bytes; <= 0: 2 (16-bit) */
  const char *title;            /* NULL: the figure's own */
} TriadCostChart;

#define TRIAD_COST_DEFAULT_OUTPUT 500.0
#define TRIAD_COST_DEFAULT_WIDTH  4096.0
#define TRIAD_COST_DEFAULT_MIN    100.0
#define TRIAD_COST_DEFAULT_MAX    100000.0

/* Two log-log panels — attention FLOPs and memory against n — the ratio at the axis' end,
 * and the formulas as a caption under them. */
void  triad_cost_chart_draw    (cairo_t                *cr,
                                const TriadCostChart   *chart,
                                const TriadFigureStyle *style,
                                double                  width,
                                double                  height);
/* The panel under (x, y) in that figure at width × height: 0 for the FLOPs, 1 for the memory,
 * -1 over neither. */
int   triad_cost_chart_hit     (const TriadCostChart   *chart,
                                const TriadFigureStyle *style,
                                double                  width,
                                double                  height,
                                double                  x,
                                double                  y);
/* The figure's title in the language gettext speaks. */
char *triad_cost_chart_title   (const TriadCostChart   *chart);
/* The caption's lines, the formulas stated, NULL-terminated. */
GStrv triad_cost_chart_caption (const TriadCostChart   *chart);

G_END_DECLS
