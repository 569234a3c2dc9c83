/* memory-chart.c — the KV cache of real LLMs against the context, with their weights and
 * the GPUs that hold them. The bars are in memory-bars.c, the running model's cache in
 * kv-growth.c. */
#include "config.h"

#include <math.h>
#include <string.h>
#include "engine/i18n.h"

#include "engine/memory.h"
#include "engine/numbers.h"
#include "figures/figures-private.h"
#include "figures/memory-chart.h"

#define GAP                 6.0
#define LINE_WIDTH          2.0
#define MARKER_R            4.0
#define DEFAULT_MIN_TOKENS  1000.0
#define DEFAULT_MAX_TOKENS  1e6
#define MIN_PLOT            24.0    /* a plot narrower or shorter than this is not drawn */

/* The two context lengths the figure marks: a common 8 k context and a long 100 k one. */
static const double marks[] = { TRIAD_CONTEXT_SHORT, TRIAD_CONTEXT_LONG };

/* Series after the first (which takes the style's accent): Okabe and Ito's colours, told
 * apart by colour-blind readers. */
static const guint32 palette[] = { 0xe69f00, 0x009e73, 0xd55e00, 0xcc79a7, 0x56b4e9, 0xf0e442 };

static void
series_rgba (const TriadFigureStyle *style,
             int                     i,
             double                  rgba[4])
{
  guint32 c;

  if (i == 0)
    {
      memcpy (rgba, style->accent, 4 * sizeof (double));
      return;
    }
  c = palette[(i - 1) % G_N_ELEMENTS (palette)];
  rgba[0] = ((c >> 16) & 0xff) / 255.0;
  rgba[1] = ((c >> 8) & 0xff) / 255.0;
  rgba[2] = (c & 0xff) / 255.0;
  rgba[3] = 1.0;
}

/* ---- the KV cache against the context ----------------------------------------------- */

/* The cache of a series at t tokens: linear between samples, from 0 at 0 tokens before the
 * first, along the last step after the last. */
static double
series_kv_at (const TriadMemorySeries *s,
              double                   t)
{
  int lo = 0, hi;

  if (s->n <= 0 || s->tokens == NULL || s->kv_bytes == NULL)
    return 0.0;
  if (t <= s->tokens[0])
    return s->tokens[0] > 0.0 ? s->kv_bytes[0] * MAX (t, 0.0) / s->tokens[0] : s->kv_bytes[0];
  if (t >= s->tokens[s->n - 1])
    {
      int n = s->n;
      double slope = n >= 2 && s->tokens[n - 1] > s->tokens[n - 2]
                     ? (s->kv_bytes[n - 1] - s->kv_bytes[n - 2])
                       / (s->tokens[n - 1] - s->tokens[n - 2]) : 0.0;
      return s->kv_bytes[n - 1] + slope * (t - s->tokens[n - 1]);
    }
  hi = s->n - 1;
  while (hi - lo > 1)
    {
      int mid = (lo + hi) / 2;
      if (s->tokens[mid] <= t)
        lo = mid;
      else
        hi = mid;
    }
  return s->kv_bytes[lo] + (s->kv_bytes[hi] - s->kv_bytes[lo])
         * (t - s->tokens[lo]) / (s->tokens[hi] - s->tokens[lo]);
}

static double
series_top_at (const TriadMemoryChart  *c,
               const TriadMemorySeries *s,
               double                   t)
{
  return (c->stack_weights ? s->weights_bytes : 0.0) + series_kv_at (s, t);
}

/* The first context length in [lo, hi] at which the series' top passes `limit`, or -1. */
static double
series_crossing (const TriadMemoryChart  *c,
                 const TriadMemorySeries *s,
                 double                   limit,
                 double                   lo,
                 double                   hi)
{
  double prev_t = lo, prev_v = series_top_at (c, s, lo);

  if (prev_v > limit)
    return -1.0;
  for (int i = 0; i <= s->n; i++)
    {
      double t = i < s->n ? s->tokens[i] : hi, v;

      if (t <= prev_t)
        continue;
      t = MIN (t, hi);
      v = series_top_at (c, s, t);
      if (v > limit)
        return prev_t + (t - prev_t) * (limit - prev_v) / (v - prev_v);
      prev_t = t;
      prev_v = v;
      if (t >= hi)
        break;
    }
  return -1.0;
}

typedef struct {
  double   title_y;
  double   x0, y0, x1, y1;    /* the plot: left, top, right, bottom */
  TriadAxis     ax, ay;
  TriadAxisUnit     y_unit;
  double   line_h;
  gboolean ok;
} ChartGeometry;

static void
chart_ranges (const TriadMemoryChart *c,
              TriadAxis              *ax,
              TriadAxis              *ay)
{
  double top = 0.0, bottom = G_MAXDOUBLE, next_gpu = G_MAXDOUBLE;

  ax->log = c->log_x;
  ax->hi = c->max_tokens > 0.0 ? c->max_tokens : DEFAULT_MAX_TOKENS;
  ax->lo = c->log_x ? (c->min_tokens > 0.0 ? c->min_tokens : DEFAULT_MIN_TOKENS) : 0.0;
  if (ax->lo >= ax->hi)
    ax->lo = c->log_x ? ax->hi / 1000.0 : 0.0;

  for (int i = 0; i < c->n_series; i++)
    {
      const TriadMemorySeries *s = &c->series[i];
      double lo_v = series_top_at (c, s, ax->lo);

      top = MAX (top, series_top_at (c, s, ax->hi));
      for (int j = 0; j < s->n; j++)
        if (s->tokens[j] >= ax->lo && s->tokens[j] <= ax->hi)
          top = MAX (top, series_top_at (c, s, s->tokens[j]));
      if (lo_v <= 0.0 && c->log_x)
        lo_v = series_top_at (c, s, MIN (ax->hi, ax->lo * 10.0));
      if (lo_v > 0.0)
        bottom = MIN (bottom, lo_v);
      if (c->stack_weights && s->weights_bytes > 0.0)
        bottom = MIN (bottom, s->weights_bytes);
    }
  /* the GPUs it fits and the first one it outgrows show; the larger ones would only
   * flatten the curves */
  for (int i = 0; i < c->n_gpus; i++)
    if (c->gpu_bytes[i] >= top)
      next_gpu = MIN (next_gpu, c->gpu_bytes[i]);
  if (next_gpu < G_MAXDOUBLE)
    top = MAX (top, next_gpu);
  if (!(top > 0.0))
    top = 1e9;

  ay->log = c->log_y;
  if (c->log_y)
    {
      if (!(bottom < G_MAXDOUBLE) || bottom <= 0.0)
        bottom = top / 1e3;
      ay->lo = pow (10.0, floor (log10 (MIN (bottom, top / 10.0))));
      ay->hi = top * 1.6;
    }
  else
    {
      ay->lo = 0.0;
      ay->hi = top * 1.08;
    }
}

static void
chart_geometry (const TriadMemoryChart *c,
                TriadText              *text,
                double                  width,
                double                  height,
                ChartGeometry          *g)
{
  double fs = text->fs, pad = TRIAD_FIG_PAD * fs, size = TRIAD_FIG_TICK_SIZE * fs;
  double title_h, yw, last_w;
  g_autofree char *last = NULL;

  memset (g, 0, sizeof *g);
  chart_ranges (c, &g->ax, &g->ay);
  g->y_unit = c->gib ? TRIAD_AXIS_BINARY_BYTES : TRIAD_AXIS_BYTES;
  g->line_h = triad_chart_line_height (text, size);
  title_h = triad_figure_title_height (text, c->title);
  g->title_y = pad;

  yw = triad_axis_labels_width (text, &g->ay, g->y_unit, 0, size);
  last = triad_axis_label (g->ax.hi, TRIAD_AXIS_TOKENS);
  last_w = triad_chart_text_width (text, last, size, FALSE);

  g->x0 = pad + g->line_h + GAP * fs + yw + (TRIAD_AXIS_TICK_LEN + 2.0) * fs;
  g->x1 = width - pad - last_w / 2;
  g->y0 = pad + title_h + (title_h > 0.0 ? 8.0 * fs : 0.0);
  g->y1 = height - pad - g->line_h - GAP * fs - g->line_h - (TRIAD_AXIS_TICK_LEN + 2.0) * fs;
  g->ok = g->x1 - g->x0 >= MIN_PLOT * fs && g->y1 - g->y0 >= MIN_PLOT * fs;
  g->ax.p0 = g->x0;
  g->ax.p1 = g->x1;
  g->ay.p0 = g->y1;
  g->ay.p1 = g->y0;
}

/* The curve of one series across the x axis: samples inside, the ends interpolated. */
static void
series_path (cairo_t                 *cr,
             const TriadMemoryChart  *c,
             const TriadMemorySeries *s,
             const ChartGeometry     *g,
             gboolean                 continue_path)
{
  double t0 = g->ax.lo, t1 = g->ax.hi;

  if (!continue_path)
    cairo_new_path (cr);
  if (continue_path)
    cairo_line_to (cr, triad_axis_map (&g->ax, t0),
                   triad_axis_map (&g->ay, series_top_at (c, s, t0)));
  else
    cairo_move_to (cr, triad_axis_map (&g->ax, t0),
                   triad_axis_map (&g->ay, series_top_at (c, s, t0)));
  for (int i = 0; i < s->n; i++)
    if (s->tokens[i] > t0 && s->tokens[i] < t1)
      cairo_line_to (cr, triad_axis_map (&g->ax, s->tokens[i]),
                     triad_axis_map (&g->ay, series_top_at (c, s, s->tokens[i])));
  cairo_line_to (cr, triad_axis_map (&g->ax, t1),
                 triad_axis_map (&g->ay, series_top_at (c, s, t1)));
}

static char *
gpu_label (const TriadMemoryChart *c,
           int                     i)
{
  if (c->gpu_labels != NULL && c->gpu_labels[i] != NULL)
    return g_strdup (c->gpu_labels[i]);
  return triad_format_size_short (c->gpu_bytes[i], c->gib, -1);
}

static void
draw_readout (TriadText              *text,
              const TriadFigureStyle *style,
              const TriadMemoryChart *c,
              const ChartGeometry    *g)
{
  cairo_t *cr = text->cr;
  double fs = text->fs, size = TRIAD_FIG_TICK_SIZE * fs, t = c->hover_tokens;
  double px = triad_axis_map (&g->ax, t), w = 0.0, h, bx, by, inner = 4.0 * fs;
  gboolean capped;
  g_autoptr(GPtrArray) lines = g_ptr_array_new_with_free_func (g_free);
  g_autofree char *number = triad_format_double (round (t), 0);
  /* TRANSLATORS: the hover readout's first line: the context length there; %s is the
   * number, e.g. "8,192" */
  g_autofree char *count = g_strdup_printf (_("%s tokens"), number);

  if (px < g->x0 || px > g->x1)
    return;
  g_ptr_array_add (lines, g_steal_pointer (&count));
  for (int i = 0; i < c->n_series; i++)
    {
      const TriadMemorySeries *s = &c->series[i];
      g_autofree char *kv = triad_format_size_short (series_kv_at (s, t), c->gib, 1);

      if (c->stack_weights && s->weights_bytes > 0.0)
        {
          g_autofree char *weights = triad_format_size_short (s->weights_bytes, c->gib, 1);
          g_autofree char *total = triad_format_size_short (series_top_at (c, s, t), c->gib, 1);
          /* TRANSLATORS: the hover readout of one model: its name, then the KV cache,
           * the weights and both together at the hovered context length */
          g_ptr_array_add (lines, g_strdup_printf (_("%s: KV %s + weights %s = %s"),
                                                   s->label != NULL ? s->label : "",
                                                   kv, weights, total));
        }
      else
        /* TRANSLATORS: the hover readout of one model: its name and its KV cache */
        g_ptr_array_add (lines, g_strdup_printf (_("%s: KV %s"),
                                                 s->label != NULL ? s->label : "", kv));
    }
  for (guint i = 0; i < lines->len; i++)
    w = MAX (w, triad_chart_text_width (text, g_ptr_array_index (lines, i), size, FALSE));
  /* never wider than the plot: a line that does not fit is elided, not set smaller */
  capped = w > g->x1 - g->x0 - 2 * inner;
  if (capped)
    w = MAX (g->x1 - g->x0 - 2 * inner, 1.0);
  h = lines->len * g->line_h;

  cairo_save (cr);
  triad_chart_set_source (cr, style->accent, 0.8);
  cairo_set_line_width (cr, MAX (1.0, fs));
  cairo_new_path (cr);
  cairo_move_to (cr, round (px) + 0.5, g->y0);
  cairo_line_to (cr, round (px) + 0.5, g->y1);
  cairo_stroke (cr);
  for (int i = 0; i < c->n_series; i++)
    {
      double rgba[4];

      series_rgba (style, i, rgba);
      triad_chart_set_source (cr, rgba, 1.0);
      cairo_new_path (cr);
      cairo_arc (cr, px, triad_axis_map (&g->ay, series_top_at (c, &c->series[i], t)),
                 MARKER_R * fs, 0, 2 * G_PI);
      cairo_fill (cr);
    }

  bx = px + 8.0 * fs;
  if (bx + w + 2 * inner > g->x1)
    bx = px - 8.0 * fs - w - 2 * inner;
  bx = MAX (bx, g->x0);
  by = g->y0 + 0.35 * (g->y1 - g->y0) - h / 2;
  by = CLAMP (by, g->y0, MAX (g->y0, g->y1 - h - 2 * inner));
  triad_chart_set_source (cr, style->bg[3] > 0.0 ? style->bg : (double[4]) { 1, 1, 1, 1 }, 0.92);
  cairo_rectangle (cr, bx, by, w + 2 * inner, h + 2 * inner);
  cairo_fill_preserve (cr);
  triad_chart_set_source (cr, style->fg, 0.3);
  cairo_set_line_width (cr, MAX (0.5, 0.75 * fs));
  cairo_stroke (cr);
  cairo_restore (cr);
  for (guint i = 0; i < lines->len; i++)
    {
      g_autoptr(PangoLayout) layout = triad_text_layout (text, g_ptr_array_index (lines, i),
                                                         size, i == 0,
                                                         capped ? w : -1);

      triad_text_draw (text, layout, bx + inner, by + inner + i * g->line_h, 0.0, 0.0, 0.0,
                       style->fg);
    }
}

static void
draw_legend (TriadText              *text,
             const TriadFigureStyle *style,
             const TriadMemoryChart *c,
             const ChartGeometry    *g)
{
  cairo_t *cr = text->cr;
  double fs = text->fs, size = TRIAD_FIG_TICK_SIZE * fs, sw = 14.0 * fs;
  double x = g->x0 + 8.0 * fs, y = g->y0 + 6.0 * fs, w = 0.0, rows;
  double inner = 4.0 * fs;
  gboolean band = c->stack_weights;
  const char *band_label = c->n_series == 1 ? _("weights (shaded band)")
                                            : _("weights (dotted lines)");

  for (int i = 0; i < c->n_series; i++)
    w = MAX (w, triad_chart_text_width (text, c->series[i].label, size, FALSE));
  if (band)
    w = MAX (w, triad_chart_text_width (text, band_label, size, FALSE));
  rows = c->n_series + (band ? 1 : 0);
  if (rows == 0)
    return;

  cairo_save (cr);
  triad_chart_set_source (cr, style->bg[3] > 0.0 ? style->bg : (double[4]) { 1, 1, 1, 1 }, 0.85);
  cairo_rectangle (cr, x - inner, y - inner, sw + GAP * fs + w + 2 * inner,
                   rows * g->line_h + 2 * inner);
  cairo_fill (cr);
  for (int i = 0; i < c->n_series; i++)
    {
      double rgba[4], cy = y + (i + 0.5) * g->line_h;

      series_rgba (style, i, rgba);
      triad_chart_set_source (cr, rgba, 1.0);
      cairo_set_line_width (cr, LINE_WIDTH * fs);
      cairo_move_to (cr, x, cy);
      cairo_line_to (cr, x + sw, cy);
      cairo_stroke (cr);
    }
  if (band && c->n_series == 1)
    {
      triad_chart_set_source (cr, style->fg, 0.15);
      cairo_rectangle (cr, x, y + c->n_series * g->line_h + 0.2 * g->line_h, sw,
                       0.6 * g->line_h);
      cairo_fill (cr);
    }
  else if (band)
    {
      const double dot[] = { 1.5, 3.0 };

      triad_chart_set_source (cr, style->fg, 0.6);
      cairo_set_line_width (cr, MAX (0.75, fs));
      cairo_set_dash (cr, dot, 2, 0);
      cairo_move_to (cr, x, y + (c->n_series + 0.5) * g->line_h);
      cairo_line_to (cr, x + sw, y + (c->n_series + 0.5) * g->line_h);
      cairo_stroke (cr);
    }
  cairo_restore (cr);
  for (int i = 0; i < c->n_series; i++)
    triad_chart_label (text, c->series[i].label, size, FALSE, x + sw + GAP * fs,
                       y + (i + 0.5) * g->line_h, 0.0, 0.0, 0.5, style->fg);
  if (band)
    triad_chart_label (text, band_label, size, FALSE, x + sw + GAP * fs,
                       y + (c->n_series + 0.5) * g->line_h, 0.0, 0.0, 0.5, style->fg);
}

void
triad_memory_chart_draw (cairo_t                *cr,
                         const TriadMemoryChart *c,
                         const TriadFigureStyle *style,
                         double                  width,
                         double                  height)
{
  TriadText text;
  ChartGeometry g;
  double fs, size, pad;
  const double dash[] = { 5.0, 4.0 }, dot[] = { 1.5, 3.0 };
  g_autofree char *y_title = NULL;

  g_return_if_fail (cr != NULL && c != NULL && style != NULL);

  triad_figure_fill_bg (cr, style, width, height);
  triad_text_init (&text, cr, style);
  fs = text.fs;
  size = TRIAD_FIG_TICK_SIZE * fs;
  pad = TRIAD_FIG_PAD * fs;
  chart_geometry (c, &text, width, height, &g);
  triad_figure_draw_title (&text, style, c->title, pad, g.title_y, width - 2 * pad);
  if (!g.ok)
    {
      triad_text_clear (&text);
      return;
    }

  triad_axis_draw_y (&text, style, &g.ay, g.y_unit, 0, g.x0, g.x1);
  triad_axis_draw_x (&text, style, &g.ax, TRIAD_AXIS_TOKENS, 0, g.y1, g.y0);

  cairo_save (cr);
  cairo_rectangle (cr, g.x0, g.y0, g.x1 - g.x0, g.y1 - g.y0);
  cairo_clip (cr);

  /* the weights as bands, then the cache over them; several models' bands would cover
   * one another, so theirs are lines */
  for (int i = 0; i < c->n_series; i++)
    {
      const TriadMemorySeries *s = &c->series[i];
      double rgba[4], wy;

      series_rgba (style, i, rgba);
      if (c->stack_weights && s->weights_bytes > 0.0)
        {
          wy = triad_axis_map (&g.ay, s->weights_bytes);
          cairo_new_path (cr);
          if (c->n_series == 1)
            {
              triad_chart_set_source (cr, rgba, 0.12);
              cairo_rectangle (cr, g.x0, wy, g.x1 - g.x0, g.y1 - wy);
              cairo_fill (cr);
            }
          cairo_save (cr);
          triad_chart_set_source (cr, rgba, 0.6);
          cairo_set_line_width (cr, MAX (0.75, fs));
          if (c->n_series > 1)
            cairo_set_dash (cr, dot, 2, 0);
          cairo_move_to (cr, g.x0, wy);
          cairo_line_to (cr, g.x1, wy);
          cairo_stroke (cr);
          cairo_restore (cr);
        }
      if (s->n <= 0 || c->n_series > 1)
        continue;
      series_path (cr, c, s, &g, FALSE);
      cairo_line_to (cr, g.x1, c->stack_weights && s->weights_bytes > 0.0
                               ? triad_axis_map (&g.ay, s->weights_bytes) : g.y1);
      cairo_line_to (cr, g.x0, c->stack_weights && s->weights_bytes > 0.0
                               ? triad_axis_map (&g.ay, s->weights_bytes) : g.y1);
      cairo_close_path (cr);
      triad_chart_set_source (cr, rgba, 0.18);
      cairo_fill (cr);
    }
  for (int i = 0; i < c->n_series; i++)
    {
      double rgba[4];

      if (c->series[i].n <= 0)
        continue;
      series_rgba (style, i, rgba);
      series_path (cr, c, &c->series[i], &g, FALSE);
      triad_chart_set_source (cr, rgba, 1.0);
      cairo_set_line_width (cr, LINE_WIDTH * fs);
      cairo_set_line_join (cr, CAIRO_LINE_JOIN_ROUND);
      cairo_stroke (cr);
    }

  /* the GPUs, each a dashed line with its size */
  for (int i = 0; i < c->n_gpus; i++)
    {
      double gy = round (triad_axis_map (&g.ay, c->gpu_bytes[i])) + 0.5;
      g_autofree char *label = NULL;

      if (gy < g.y0 || gy > g.y1)
        continue;
      cairo_save (cr);
      triad_chart_set_source (cr, style->fg, 0.55);
      cairo_set_line_width (cr, MAX (0.75, fs));
      cairo_set_dash (cr, dash, 2, 0);
      cairo_move_to (cr, g.x0, gy);
      cairo_line_to (cr, g.x1, gy);
      cairo_stroke (cr);
      cairo_restore (cr);
      label = gpu_label (c, i);
      triad_chart_label (&text, label, size, TRUE, g.x1 - 4.0 * fs, gy - 2.0 * fs, 0.0, 1.0, 1.0,
                         style->fg);
    }

  /* 8 k and 100 k */
  for (guint i = 0; i < G_N_ELEMENTS (marks); i++)
    {
      double mx = round (triad_axis_map (&g.ax, marks[i])) + 0.5;
      g_autofree char *label = NULL;

      if (marks[i] < g.ax.lo || marks[i] > g.ax.hi)
        continue;
      cairo_save (cr);
      triad_chart_set_source (cr, style->fg, 0.45);
      cairo_set_line_width (cr, MAX (0.75, fs));
      cairo_set_dash (cr, dot, 2, 0);
      cairo_move_to (cr, mx, g.y0);
      cairo_line_to (cr, mx, g.y1);
      cairo_stroke (cr);
      cairo_restore (cr);
      label = triad_figure_format_tokens (marks[i]);
      triad_chart_label (&text, label, size, FALSE, mx + 3.0 * fs, g.y1 - 3.0 * fs, 0.0, 0.0, 1.0,
                         style->fg);
    }

  /* where the whole memory outgrows each GPU */
  if (c->stack_weights)
    for (int i = 0; i < c->n_series; i++)
      for (int k = 0; k < c->n_gpus; k++)
        {
          const TriadMemorySeries *s = &c->series[i];
          double t = series_crossing (c, s, c->gpu_bytes[k], g.ax.lo, g.ax.hi), rgba[4];
          double px, py;

          if (t < 0.0)
            continue;
          series_rgba (style, i, rgba);
          px = triad_axis_map (&g.ax, t);
          py = triad_axis_map (&g.ay, c->gpu_bytes[k]);
          cairo_save (cr);
          cairo_new_path (cr);
          cairo_arc (cr, px, py, MARKER_R * fs, 0, 2 * G_PI);
          triad_chart_set_source (cr, style->bg[3] > 0.0 ? style->bg : (double[4]) { 1, 1, 1, 1 },
                                  1.0);
          cairo_fill_preserve (cr);
          triad_chart_set_source (cr, rgba, 1.0);
          cairo_set_line_width (cr, 1.5 * fs);
          cairo_stroke (cr);
          cairo_restore (cr);
          if (c->n_series <= 2)
            {
              /* under the GPU's line, whose own label sits over it at the right end */
              g_autofree char *at = triad_figure_format_tokens (t);
              double at_w = triad_chart_text_width (&text, at, size, FALSE);
              gboolean right = px + 5.0 * fs + at_w <= g.x1;

              triad_chart_label (&text, at, size, FALSE, right ? px + 5.0 * fs : px - 5.0 * fs,
                                 py + 3.0 * fs, 0.0, right ? 0.0 : 1.0, 0.0, rgba);
            }
        }
  cairo_restore (cr);

  triad_chart_frame (cr, style, g.x0, g.y0, g.x1, g.y1, fs);
  triad_chart_label_within (&text, _("Context length (tokens per sequence)"), size, FALSE,
                            (g.x0 + g.x1) / 2, height - pad, 0.0, 0.5, 1.0,
                            MIN (g.x1 - g.x0, width - 2 * pad), style->fg);
  y_title = g_strdup (c->gib ? _("Memory (GiB = 2³⁰ bytes)") : _("Memory (GB = 10⁹ bytes)"));
  triad_chart_label (&text, y_title, size, FALSE, pad, (g.y0 + g.y1) / 2, -G_PI / 2, 0.5, 0.0,
                     style->fg);
  draw_legend (&text, style, c, &g);
  if (c->hover_tokens > 0.0)
    draw_readout (&text, style, c, &g);
  triad_text_clear (&text);
}

double
triad_memory_chart_hit (const TriadMemoryChart *c,
                        const TriadFigureStyle *style,
                        double                  width,
                        double                  height,
                        double                  x,
                        double                  y)
{
  TriadText text;
  ChartGeometry g;

  g_return_val_if_fail (c != NULL && style != NULL, -1.0);

  triad_text_init (&text, NULL, style);
  chart_geometry (c, &text, width, height, &g);
  triad_text_clear (&text);
  if (!g.ok || x < g.x0 || x > g.x1 || y < g.y0 || y > g.y1)
    return -1.0;
  return triad_axis_unmap (&g.ax, x);
}
