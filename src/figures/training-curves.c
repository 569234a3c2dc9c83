/* training-curves.c — lines over the steps of a training run, the phase change and the
 * timeline's position marked. */
#include "config.h"

#include <math.h>

#include "figures/figures-private.h"
#include "figures/training-curves.h"

#define GAP          6.0
#define MIN_PLOT     16.0   /* a plot smaller than this is not drawn */

typedef struct {
  TriadAxis ax, ay;
  double    x0, y0, x1, y1;   /* the plot */
  gboolean  ok;
} Layout;

static void
y_range (const TriadCurvesChart *c,
         double                 *lo,
         double                 *hi)
{
  *lo = INFINITY, *hi = -INFINITY;
  if (c->y_lo < c->y_hi)
    {
      *lo = c->y_lo, *hi = c->y_hi;
      return;
    }
  for (int i = 0; i < c->n_curves; i++)
    for (int j = 0; j < c->curves[i].n; j++)
      if (isfinite (c->curves[i].y[j]))
        *lo = MIN (*lo, c->curves[i].y[j]), *hi = MAX (*hi, c->curves[i].y[j]);
  if (!(*hi >= *lo))
    *lo = 0.0, *hi = 1.0;
  /* whole halves, so that the ticks fall on round numbers however the data moves */
  *lo = MAX (0.0, floor (*lo * 2) / 2);
  *hi = ceil (*hi * 2) / 2 + (*hi <= *lo ? 0.5 : 0.0);
}

static void
layout (TriadText              *text,
        const TriadCurvesChart *c,
        double                  width,
        double                  height,
        Layout                 *l)
{
  double fs = text->fs, pad = TRIAD_FIG_PAD * fs, size = TRIAD_FIG_TICK_SIZE * fs;
  double line_h = triad_chart_line_height (text, size), yw;
  g_autofree char *end = NULL;

  *l = (Layout) { 0 };
  y_range (c, &l->ay.lo, &l->ay.hi);
  l->ax.lo = 0.0;
  l->ax.hi = MAX (c->x_max, 1.0);
  yw = triad_axis_labels_width (text, &l->ay, TRIAD_AXIS_PLAIN, 0, size);
  end = triad_axis_label (l->ax.hi, TRIAD_AXIS_PLAIN);
  l->x0 = pad + line_h + GAP * fs + yw + (TRIAD_AXIS_TICK_LEN + 2.0) * fs;
  /* the last step's label is centred on the axis' end: room for its right half */
  l->x1 = width - pad - triad_chart_text_width (text, end, size, FALSE) / 2;
  l->y0 = pad + (c->title != NULL ? triad_figure_title_height (text, c->title) + GAP * fs : 0.0)
          + line_h;
  l->y1 = height - pad - 2 * line_h - GAP * fs - (TRIAD_AXIS_TICK_LEN + 2.0) * fs;
  l->ax.p0 = l->x0, l->ax.p1 = l->x1;
  l->ay.p0 = l->y1, l->ay.p1 = l->y0;
  l->ok = l->x1 - l->x0 >= MIN_PLOT * fs && l->y1 - l->y0 >= MIN_PLOT * fs;
}

static void
vertical (cairo_t      *cr,
          const Layout *l,
          double        x,
          const double  rgba[4],
          double        alpha,
          double        line_width,
          gboolean      dashed)
{
  static const double dash[] = { 4.0, 3.0 };
  double px = triad_axis_map (&l->ax, x);

  cairo_save (cr);
  triad_chart_set_source (cr, rgba, alpha);
  cairo_set_line_width (cr, line_width);
  if (dashed)
    cairo_set_dash (cr, dash, 2, 0);
  cairo_move_to (cr, px, l->y0);
  cairo_line_to (cr, px, l->y1);
  cairo_stroke (cr);
  cairo_restore (cr);
}

static void
draw_curve (cairo_t                *cr,
            const TriadFigureStyle *style,
            const Layout           *l,
            const TriadCurve       *curve,
            double                  fs)
{
  gboolean open = FALSE;

  switch (curve->weight)
    {
    case TRIAD_CURVE_FAINT:
      triad_chart_set_source (cr, style->fg, 0.3);
      cairo_set_line_width (cr, 1.0 * fs);
      break;
    case TRIAD_CURVE_NORMAL:
      triad_chart_set_source (cr, style->fg, 0.95);
      cairo_set_line_width (cr, 1.5 * fs);
      break;
    case TRIAD_CURVE_STRONG:
    default:
      triad_chart_set_source (cr, style->accent, 1.0);
      cairo_set_line_width (cr, triad_figure_outline_width (style, 2.5) * fs);
      break;
    }
  for (int i = 0; i < curve->n; i++)
    {
      if (!isfinite (curve->y[i]))
        {
          open = FALSE;
          continue;
        }
      if (open)
        cairo_line_to (cr, triad_axis_map (&l->ax, curve->x[i]), triad_axis_map (&l->ay, curve->y[i]));
      else
        cairo_move_to (cr, triad_axis_map (&l->ax, curve->x[i]), triad_axis_map (&l->ay, curve->y[i]));
      open = TRUE;
    }
  cairo_stroke (cr);
}

void
triad_curves_draw (cairo_t                *cr,
                   const TriadCurvesChart *c,
                   const TriadFigureStyle *style,
                   double                  width,
                   double                  height)
{
  TriadText text;
  Layout l;
  double fs, pad, size, line_h;

  g_return_if_fail (cr != NULL && c != NULL && style != NULL);

  if (width <= 0 || height <= 0)
    return;
  triad_text_init (&text, cr, style);
  fs = text.fs;
  pad = TRIAD_FIG_PAD * fs;
  size = TRIAD_FIG_TICK_SIZE * fs;
  line_h = triad_chart_line_height (&text, size);
  if (c->title != NULL)
    triad_figure_draw_title (&text, style, c->title, pad, pad, width - 2 * pad);
  layout (&text, c, width, height, &l);
  if (!l.ok)
    {
      triad_text_clear (&text);
      return;
    }
  triad_axis_draw_y (&text, style, &l.ay, TRIAD_AXIS_PLAIN, 0, l.x0, l.x1);
  triad_axis_draw_x (&text, style, &l.ax, TRIAD_AXIS_PLAIN, 0, l.y1, l.y0);

  cairo_save (cr);
  cairo_rectangle (cr, l.x0, l.y0 - 2.0 * fs, l.x1 - l.x0, l.y1 - l.y0 + 4.0 * fs);
  cairo_clip (cr);
  cairo_set_line_join (cr, CAIRO_LINE_JOIN_ROUND);
  if (c->hover_x >= 0)
    vertical (cr, &l, c->hover_x, style->fg, 0.35, 1.0 * fs, FALSE);
  for (int i = 0; i < c->n_curves; i++)
    draw_curve (cr, style, &l, &c->curves[i], fs);
  if (c->cursor_x >= 0)
    vertical (cr, &l, c->cursor_x, style->fg, 0.8, 1.5 * fs, FALSE);
  if (c->phase_x >= 0)
    vertical (cr, &l, c->phase_x, style->accent, 1.0, 2.0 * fs, TRUE);
  cairo_restore (cr);

  if (c->phase_x >= 0 && c->phase_label != NULL)
    {
      double x = triad_axis_map (&l.ax, c->phase_x);
      /* left of the line when the label would run past the plot's end */
      gboolean left = x + 4.0 * fs + triad_chart_text_width (&text, c->phase_label, size, TRUE)
                      > l.x1;

      triad_chart_label (&text, c->phase_label, size, TRUE, left ? x - 4.0 * fs : x + 4.0 * fs,
                         l.y0 - line_h, 0.0, left ? 1.0 : 0.0, 0.0, style->accent);
    }
  triad_chart_frame (cr, style, l.x0, l.y0, l.x1, l.y1, fs);
  /* turned up the plot's side: no longer than the plot is high, nor the x title wider than
   * it is wide */
  triad_chart_label_within (&text, c->y_label, size, FALSE, pad, (l.y0 + l.y1) / 2, -G_PI / 2,
                            0.5, 0.0, fabs (l.y1 - l.y0), style->fg);
  triad_chart_label_within (&text, c->x_label, size, FALSE, (l.x0 + l.x1) / 2, height - pad, 0.0,
                            0.5, 1.0, fabs (l.x1 - l.x0), style->fg);
  triad_text_clear (&text);
}

double
triad_curves_hit (const TriadCurvesChart *c,
                  const TriadFigureStyle *style,
                  double                  width,
                  double                  height,
                  double                  x,
                  double                  y)
{
  TriadText text;
  Layout l;

  g_return_val_if_fail (c != NULL && style != NULL, -1);

  if (width <= 0 || height <= 0)
    return -1;
  triad_text_init (&text, NULL, style);
  layout (&text, c, width, height, &l);
  triad_text_clear (&text);
  if (!l.ok || x < l.x0 || x > l.x1 || y < l.y0 || y > l.y1)
    return -1;
  return round (triad_axis_unmap (&l.ax, x));
}
