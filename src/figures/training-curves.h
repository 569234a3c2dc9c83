/* training-curves.h — a quantity over the steps of a training run: the loss, or the score of
 * every head, as lines against the step, with the phase change and the timeline's position
 * marked across them. The Training view draws two of these above its heatmaps. */
#pragma once

#include <cairo.h>
#include <glib.h>

#include "figures/figures.h"

G_BEGIN_DECLS

typedef enum {
  TRIAD_CURVE_FAINT,        /* thin and pale: the rest of the heads, one batch's loss */
  TRIAD_CURVE_NORMAL,       /* in the foreground colour */
  TRIAD_CURVE_STRONG,       /* thick, in the accent: the chosen head */
} TriadCurveWeight;

typedef struct {
  const double    *x;       /* (n) the steps, increasing */
  const double    *y;       /* (n) the values; a NaN leaves a gap */
  int              n;
  TriadCurveWeight weight;
} TriadCurve;

typedef struct {
  const char       *title;      /* above the plot */
  const char       *y_label;
  const char       *x_label;
  const TriadCurve *curves;     /* drawn in order, so the strong one goes last */
  int               n_curves;
  double            x_max;      /* the axis' end: the run's length, so the lines grow into it */
  double            y_lo, y_hi; /* the axis' range; y_lo >= y_hi: the data's, rounded out */
  double            phase_x;    /* the phase change, a dashed accent line; < 0: none */
  const char       *phase_label;
  double            cursor_x;   /* the timeline's position, a solid line; < 0: none */
  double            hover_x;    /* the step under the pointer, a faint line; < 0: none */
} TriadCurvesChart;

void     triad_curves_draw (cairo_t                *cr,
                            const TriadCurvesChart *chart,
                            const TriadFigureStyle *style,
                            double                  width,
                            double                  height);
/* The step under (x, y) inside the plot (rounded to a whole step), or -1 outside it. */
double   triad_curves_hit  (const TriadCurvesChart *chart,
                            const TriadFigureStyle *style,
                            double                  width,
                            double                  height,
                            double                  x,
                            double                  y);

G_END_DECLS
