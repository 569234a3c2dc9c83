/* memory-chart.c — the KV cache against the context, the 8 k / 100 k bars, and the running
 * model's cache growing layer by layer. */
#include "config.h"

#include <math.h>
#include <string.h>
#include "engine/i18n.h"

#include "figures/figures-private.h"
#include "engine/numbers.h"
#include "figures/axis.h"
#include "figures/memory-chart.h"

#define TICK_LEN            4.0
#define GAP                 6.0
#define LINE_WIDTH          2.0
#define MARKER_R            4.0
#define DEFAULT_MIN_TOKENS  1000.0
#define DEFAULT_MAX_TOKENS  1e6
#define MIN_PLOT            24.0    /* a plot narrower or shorter than this is not drawn */
#define TIMING_SHARE        0.3     /* of the growth figure's height, for the timing chart */
#define LAYER_BAR_W         10.0

/* The two context lengths the figures mark: a common 8 k context and a long 100 k one. */
static const double marks[] = { 8192.0, 100000.0 };

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

static void
set_source (cairo_t      *cr,
            const double  rgba[4],
            double        alpha)
{
  cairo_set_source_rgba (cr, rgba[0], rgba[1], rgba[2], rgba[3] * alpha);
}

/* ---- axes ---------------------------------------------------------------------------- */

static double
text_height (TriadText *text,
             double     size)
{
  g_autoptr(PangoLayout) layout = triad_text_layout (text, "0", size, FALSE, -1);
  double w, h;

  triad_text_size (layout, &w, &h);
  return h;
}

static double
text_width (TriadText  *text,
            const char *str,
            double      size)
{
  return triad_text_max_width (text, &str, 1, size, -1);
}

static void
draw_label (TriadText    *text,
            const char   *str,
            double        size,
            gboolean      bold,
            double        x,
            double        y,
            double        angle,
            double        ax,
            double        ay,
            const double  rgba[4])
{
  g_autoptr(PangoLayout) layout = NULL;

  if (str == NULL || *str == '\0')
    return;
  layout = triad_text_layout (text, str, size, bold, -1);
  triad_text_draw (text, layout, x, y, angle, ax, ay, rgba);
}

static void
draw_frame (cairo_t                *cr,
            const TriadFigureStyle *style,
            double                  x0,
            double                  y0,
            double                  x1,
            double                  y1,
            double                  fs)
{
  cairo_save (cr);
  set_source (cr, style->fg, 0.6);
  cairo_set_line_width (cr, MAX (0.5, 0.75 * fs));
  cairo_move_to (cr, round (x0) + 0.5, y0);
  cairo_line_to (cr, round (x0) + 0.5, round (y1) + 0.5);
  cairo_line_to (cr, x1, round (y1) + 0.5);
  cairo_stroke (cr);
  cairo_restore (cr);
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
              TriadAxis                   *ax,
              TriadAxis                   *ay)
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
  g->line_h = text_height (text, size);
  title_h = triad_figure_title_height (text, c->title);
  g->title_y = pad;

  yw = triad_axis_labels_width (text, &g->ay, g->y_unit, 0, size);
  last = triad_axis_label (g->ax.hi, TRIAD_AXIS_TOKENS);
  last_w = text_width (text, last, size);

  g->x0 = pad + g->line_h + GAP * fs + yw + (TICK_LEN + 2.0) * fs;
  g->x1 = width - pad - last_w / 2;
  g->y0 = pad + title_h + (title_h > 0.0 ? 8.0 * fs : 0.0);
  g->y1 = height - pad - g->line_h - GAP * fs - g->line_h - (TICK_LEN + 2.0) * fs;
  g->ok = g->x1 - g->x0 >= MIN_PLOT * fs && g->y1 - g->y0 >= MIN_PLOT * fs;
  g->ax.p0 = g->x0;
  g->ax.p1 = g->x1;
  g->ay.p0 = g->y1;
  g->ay.p1 = g->y0;
}

/* The curve of one series across the x axis: samples inside, the ends interpolated. */
static void
series_path (cairo_t                *cr,
             const TriadMemoryChart *c,
             const TriadMemorySeries *s,
             const ChartGeometry    *g,
             gboolean                continue_path)
{
  double t0 = g->ax.lo, t1 = g->ax.hi;

  if (!continue_path)
    cairo_new_path (cr);
  if (continue_path)
    cairo_line_to (cr, triad_axis_map (&g->ax, t0), triad_axis_map (&g->ay, series_top_at (c, s, t0)));
  else
    cairo_move_to (cr, triad_axis_map (&g->ax, t0), triad_axis_map (&g->ay, series_top_at (c, s, t0)));
  for (int i = 0; i < s->n; i++)
    if (s->tokens[i] > t0 && s->tokens[i] < t1)
      cairo_line_to (cr, triad_axis_map (&g->ax, s->tokens[i]),
                     triad_axis_map (&g->ay, series_top_at (c, s, s->tokens[i])));
  cairo_line_to (cr, triad_axis_map (&g->ax, t1), triad_axis_map (&g->ay, series_top_at (c, s, t1)));
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
          g_autofree char *total = triad_format_size_short (series_top_at (c, s, t),
                                                              c->gib, 1);
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
    w = MAX (w, text_width (text, g_ptr_array_index (lines, i), size));
  h = lines->len * g->line_h;

  cairo_save (cr);
  set_source (cr, style->accent, 0.8);
  cairo_set_line_width (cr, MAX (1.0, fs));
  cairo_new_path (cr);
  cairo_move_to (cr, round (px) + 0.5, g->y0);
  cairo_line_to (cr, round (px) + 0.5, g->y1);
  cairo_stroke (cr);
  for (int i = 0; i < c->n_series; i++)
    {
      double rgba[4];

      series_rgba (style, i, rgba);
      set_source (cr, rgba, 1.0);
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
  set_source (cr, style->bg[3] > 0.0 ? style->bg : (double[4]) { 1, 1, 1, 1 }, 0.92);
  cairo_rectangle (cr, bx, by, w + 2 * inner, h + 2 * inner);
  cairo_fill_preserve (cr);
  set_source (cr, style->fg, 0.3);
  cairo_set_line_width (cr, MAX (0.5, 0.75 * fs));
  cairo_stroke (cr);
  cairo_restore (cr);
  for (guint i = 0; i < lines->len; i++)
    draw_label (text, g_ptr_array_index (lines, i), size, i == 0, bx + inner,
                by + inner + i * g->line_h, 0.0, 0.0, 0.0, style->fg);
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
    w = MAX (w, text_width (text, c->series[i].label, size));
  if (band)
    w = MAX (w, text_width (text, band_label, size));
  rows = c->n_series + (band ? 1 : 0);
  if (rows == 0)
    return;

  cairo_save (cr);
  set_source (cr, style->bg[3] > 0.0 ? style->bg : (double[4]) { 1, 1, 1, 1 }, 0.85);
  cairo_rectangle (cr, x - inner, y - inner, sw + GAP * fs + w + 2 * inner,
                   rows * g->line_h + 2 * inner);
  cairo_fill (cr);
  for (int i = 0; i < c->n_series; i++)
    {
      double rgba[4], cy = y + (i + 0.5) * g->line_h;

      series_rgba (style, i, rgba);
      set_source (cr, rgba, 1.0);
      cairo_set_line_width (cr, LINE_WIDTH * fs);
      cairo_move_to (cr, x, cy);
      cairo_line_to (cr, x + sw, cy);
      cairo_stroke (cr);
    }
  if (band && c->n_series == 1)
    {
      set_source (cr, style->fg, 0.15);
      cairo_rectangle (cr, x, y + c->n_series * g->line_h + 0.2 * g->line_h, sw,
                       0.6 * g->line_h);
      cairo_fill (cr);
    }
  else if (band)
    {
      const double dot[] = { 1.5, 3.0 };

      set_source (cr, style->fg, 0.6);
      cairo_set_line_width (cr, MAX (0.75, fs));
      cairo_set_dash (cr, dot, 2, 0);
      cairo_move_to (cr, x, y + (c->n_series + 0.5) * g->line_h);
      cairo_line_to (cr, x + sw, y + (c->n_series + 0.5) * g->line_h);
      cairo_stroke (cr);
    }
  cairo_restore (cr);
  for (int i = 0; i < c->n_series; i++)
    draw_label (text, c->series[i].label, size, FALSE, x + sw + GAP * fs,
                y + (i + 0.5) * g->line_h, 0.0, 0.0, 0.5, style->fg);
  if (band)
    draw_label (text, band_label, size, FALSE, x + sw + GAP * fs,
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
              set_source (cr, rgba, 0.12);
              cairo_rectangle (cr, g.x0, wy, g.x1 - g.x0, g.y1 - wy);
              cairo_fill (cr);
            }
          cairo_save (cr);
          set_source (cr, rgba, 0.6);
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
      set_source (cr, rgba, 0.18);
      cairo_fill (cr);
    }
  for (int i = 0; i < c->n_series; i++)
    {
      double rgba[4];

      if (c->series[i].n <= 0)
        continue;
      series_rgba (style, i, rgba);
      series_path (cr, c, &c->series[i], &g, FALSE);
      set_source (cr, rgba, 1.0);
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
      set_source (cr, style->fg, 0.55);
      cairo_set_line_width (cr, MAX (0.75, fs));
      cairo_set_dash (cr, dash, 2, 0);
      cairo_move_to (cr, g.x0, gy);
      cairo_line_to (cr, g.x1, gy);
      cairo_stroke (cr);
      cairo_restore (cr);
      label = gpu_label (c, i);
      draw_label (&text, label, size, TRUE, g.x1 - 4.0 * fs, gy - 2.0 * fs, 0.0, 1.0, 1.0,
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
      set_source (cr, style->fg, 0.45);
      cairo_set_line_width (cr, MAX (0.75, fs));
      cairo_set_dash (cr, dot, 2, 0);
      cairo_move_to (cr, mx, g.y0);
      cairo_line_to (cr, mx, g.y1);
      cairo_stroke (cr);
      cairo_restore (cr);
      label = triad_figure_format_tokens (marks[i]);
      draw_label (&text, label, size, FALSE, mx + 3.0 * fs, g.y1 - 3.0 * fs, 0.0, 0.0, 1.0,
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
          set_source (cr, style->bg[3] > 0.0 ? style->bg : (double[4]) { 1, 1, 1, 1 }, 1.0);
          cairo_fill_preserve (cr);
          set_source (cr, rgba, 1.0);
          cairo_set_line_width (cr, 1.5 * fs);
          cairo_stroke (cr);
          cairo_restore (cr);
          if (c->n_series <= 2)
            {
              /* under the GPU's line, whose own label sits over it at the right end */
              g_autofree char *at = triad_figure_format_tokens (t);
              gboolean right = px + 5.0 * fs + text_width (&text, at, size) <= g.x1;

              draw_label (&text, at, size, FALSE, right ? px + 5.0 * fs : px - 5.0 * fs,
                          py + 3.0 * fs, 0.0, right ? 0.0 : 1.0, 0.0, rgba);
            }
        }
  cairo_restore (cr);

  draw_frame (cr, style, g.x0, g.y0, g.x1, g.y1, fs);
  draw_label (&text, _("Context length (tokens per sequence)"), size, FALSE,
              (g.x0 + g.x1) / 2, height - pad, 0.0, 0.5, 1.0, style->fg);
  y_title = g_strdup (c->gib ? _("Memory (GiB = 2³⁰ bytes)") : _("Memory (GB = 10⁹ bytes)"));
  draw_label (&text, y_title, size, FALSE, pad, (g.y0 + g.y1) / 2, -G_PI / 2, 0.5, 0.0,
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

/* ---- the cache at a few context lengths, as bars ------------------------------------- */

void
triad_memory_bars_draw (cairo_t                *cr,
                        const TriadMemoryBars  *bars,
                        const TriadFigureStyle *style,
                        double                  width,
                        double                  height)
{
  TriadText text;
  double fs, pad, size, line_h, title_h, top = 0.0, x0, x1, y0, y1, slot, bw, yw;
  TriadAxisUnit unit;
  TriadAxis ay = { 0 };

  g_return_if_fail (cr != NULL && bars != NULL && style != NULL);

  triad_figure_fill_bg (cr, style, width, height);
  triad_text_init (&text, cr, style);
  fs = text.fs;
  pad = TRIAD_FIG_PAD * fs;
  size = TRIAD_FIG_TICK_SIZE * fs;
  line_h = text_height (&text, size);
  title_h = triad_figure_title_height (&text, bars->title);
  triad_figure_draw_title (&text, style, bars->title, pad, pad, width - 2 * pad);
  if (bars->n <= 0 || bars->kv_bytes == NULL)
    {
      triad_text_clear (&text);
      return;
    }

  unit = bars->gib ? TRIAD_AXIS_BINARY_BYTES : TRIAD_AXIS_BYTES;
  for (int i = 0; i < bars->n; i++)
    top = MAX (top, bars->kv_bytes[i] + (bars->weights_bytes != NULL ? bars->weights_bytes[i]
                                                                     : 0.0));
  ay.lo = 0.0;
  ay.hi = top > 0.0 ? top * 1.18 : 1e9;
  yw = triad_axis_labels_width (&text, &ay, unit, 0, size);

  x0 = pad + yw + (TICK_LEN + 2.0) * fs;
  x1 = width - pad;
  y0 = pad + title_h + (title_h > 0.0 ? 8.0 * fs : 0.0);
  y1 = height - pad - line_h - (TICK_LEN + 2.0) * fs;
  if (x1 - x0 < MIN_PLOT * fs || y1 - y0 < MIN_PLOT * fs)
    {
      triad_text_clear (&text);
      return;
    }
  ay.p0 = y1;
  ay.p1 = y0;
  triad_axis_draw_y (&text, style, &ay, unit, 0, x0, x1);
  draw_frame (cr, style, x0, y0, x1, y1, fs);

  slot = (x1 - x0) / bars->n;
  bw = MIN (0.55 * slot, 140.0 * fs);
  for (int i = 0; i < bars->n; i++)
    {
      double cx = x0 + (i + 0.5) * slot, base = y1;
      double w_bytes = bars->weights_bytes != NULL ? bars->weights_bytes[i] : 0.0;
      double kv_top = triad_axis_map (&ay, w_bytes + bars->kv_bytes[i]);
      g_autofree char *value = triad_format_size_short (bars->kv_bytes[i], bars->gib, 1);

      cairo_save (cr);
      if (w_bytes > 0.0)
        {
          double wy = triad_axis_map (&ay, w_bytes);

          set_source (cr, style->fg, 0.18);
          cairo_rectangle (cr, cx - bw / 2, wy, bw, base - wy);
          cairo_fill (cr);
          base = wy;
        }
      set_source (cr, style->accent, 1.0);
      cairo_rectangle (cr, cx - bw / 2, kv_top, bw, base - kv_top);
      cairo_fill (cr);
      cairo_restore (cr);

      draw_label (&text, value, TRIAD_FIG_TITLE_SIZE * fs, TRUE, cx, kv_top - 3.0 * fs, 0.0,
                  0.5, 1.0, style->fg);
      if (w_bytes > 0.0 && y1 - triad_axis_map (&ay, w_bytes) >= 1.5 * line_h)
        {
          g_autofree char *wv = triad_format_size_short (w_bytes, bars->gib, 1);
          /* TRANSLATORS: inside the lower part of a bar: the weights under the KV cache */
          g_autofree char *wl = g_strdup_printf (_("weights %s"), wv);

          draw_label (&text, wl, size, FALSE, cx, (y1 + triad_axis_map (&ay, w_bytes)) / 2, 0.0,
                      0.5, 0.5, style->fg);
        }
      if (bars->labels != NULL && bars->labels[i] != NULL)
        draw_label (&text, bars->labels[i], size, FALSE, cx, y1 + (TICK_LEN + 2.0) * fs,
                    0.0, 0.5, 0.0, style->fg);
    }
  triad_text_clear (&text);
}

/* ---- the running model's cache, growing ------------------------------------------- */

typedef struct {
  double   title_y;
  double   x0, x1;            /* both charts share the x axis */
  double   y0, y1;            /* the cache */
  double   t0, t1;            /* the timing chart; t1 <= t0 when there is none */
  TriadAxis     ax, ay, at;
  double   line_h;
  gboolean ok;
} GrowthGeometry;

static double
growth_total (const TriadKvGrowth *gr,
              int                  i)
{
  double sum = 0.0;

  for (int l = 0; l < gr->n_layers; l++)
    sum += gr->layer_bytes[(size_t) i * gr->n_layers + l];
  return sum;
}

static gboolean
growth_has_timing (const TriadKvGrowth *gr)
{
  return gr->step_seconds_cached != NULL || gr->step_seconds_uncached != NULL;
}

static void
growth_geometry (const TriadKvGrowth *gr,
                 TriadText           *text,
                 double               width,
                 double               height,
                 GrowthGeometry      *g)
{
  double fs = text->fs, pad = TRIAD_FIG_PAD * fs, size = TRIAD_FIG_TICK_SIZE * fs;
  double title_h, top = 0.0, slowest = 0.0, yw, tw = 0.0, legend_w, bottom;
  TriadAxisUnit unit = gr->gib ? TRIAD_AXIS_BINARY_BYTES : TRIAD_AXIS_BYTES;
  gboolean timing = growth_has_timing (gr);

  memset (g, 0, sizeof *g);
  g->line_h = text_height (text, size);
  title_h = triad_figure_title_height (text, gr->title);
  g->title_y = pad;
  if (gr->n_samples <= 0 || gr->n_layers <= 0 || gr->tokens == NULL || gr->layer_bytes == NULL)
    return;

  for (int i = 0; i < gr->n_samples; i++)
    {
      top = MAX (top, growth_total (gr, i));
      if (gr->step_seconds_cached != NULL)
        slowest = MAX (slowest, gr->step_seconds_cached[i]);
      if (gr->step_seconds_uncached != NULL)
        slowest = MAX (slowest, gr->step_seconds_uncached[i]);
    }
  g->ax.lo = 0.0;
  g->ax.hi = MAX (gr->tokens[gr->n_samples - 1], 1.0);
  g->ay.lo = 0.0;
  g->ay.hi = top > 0.0 ? top * 1.05 : 1.0;
  g->at.lo = 0.0;
  g->at.hi = slowest > 0.0 ? slowest * 1e3 * 1.1 : 1.0;

  yw = triad_axis_labels_width (text, &g->ay, unit, 0, size);
  if (timing)
    {
      tw = triad_axis_labels_width (text, &g->at, TRIAD_AXIS_MILLISECONDS, 0, size);
    }
  {
    g_autofree char *last = g_strdup_printf (_("layer %d"), gr->n_layers - 1);
    legend_w = LAYER_BAR_W * fs + GAP * fs + MAX (text_width (text, last, size),
                                                  text_width (text, _("layer 0"), size));
  }

  g->x0 = pad + g->line_h + GAP * fs + MAX (yw, tw) + (TICK_LEN + 2.0) * fs;
  g->x1 = width - pad - legend_w - 2 * GAP * fs;
  g->y0 = pad + title_h + (title_h > 0.0 ? 8.0 * fs : 0.0);
  bottom = height - pad - g->line_h - GAP * fs - g->line_h - (TICK_LEN + 2.0) * fs;
  if (timing)
    {
      double share = (bottom - g->y0) * TIMING_SHARE;

      g->t1 = bottom;
      g->t0 = bottom - share + 2.0 * GAP * fs;
      g->y1 = bottom - share - g->line_h - (TICK_LEN + 2.0) * fs;
    }
  else
    g->y1 = bottom;
  g->ok = g->x1 - g->x0 >= MIN_PLOT * fs && g->y1 - g->y0 >= MIN_PLOT * fs
          && (!timing || g->t1 - g->t0 >= MIN_PLOT * fs / 2);
  g->ax.p0 = g->x0;
  g->ax.p1 = g->x1;
  g->ay.p0 = g->y1;
  g->ay.p1 = g->y0;
  g->at.p0 = g->t1;
  g->at.p1 = g->t0;
}

static void
draw_timing_line (cairo_t              *cr,
                  const TriadKvGrowth  *gr,
                  const GrowthGeometry *g,
                  const double         *seconds)
{
  for (int i = 0; i < gr->n_samples; i++)
    {
      double px = triad_axis_map (&g->ax, gr->tokens[i]), py = triad_axis_map (&g->at, seconds[i] * 1e3);

      if (i == 0)
        cairo_move_to (cr, px, py);
      else
        cairo_line_to (cr, px, py);
    }
  cairo_stroke (cr);
}

void
triad_kv_growth_draw (cairo_t                *cr,
                      const TriadKvGrowth    *gr,
                      const TriadFigureStyle *style,
                      double                  width,
                      double                  height)
{
  TriadText text;
  GrowthGeometry g;
  double fs, pad, size, lx;
  TriadAxisUnit unit;
  g_autofree double *below = NULL;
  const double dash[] = { 5.0, 3.0 };

  g_return_if_fail (cr != NULL && gr != NULL && style != NULL);

  triad_figure_fill_bg (cr, style, width, height);
  triad_text_init (&text, cr, style);
  fs = text.fs;
  pad = TRIAD_FIG_PAD * fs;
  size = TRIAD_FIG_TICK_SIZE * fs;
  unit = gr->gib ? TRIAD_AXIS_BINARY_BYTES : TRIAD_AXIS_BYTES;
  growth_geometry (gr, &text, width, height, &g);
  triad_figure_draw_title (&text, style, gr->title, pad, g.title_y, width - 2 * pad);
  if (!g.ok)
    {
      triad_text_clear (&text);
      return;
    }

  triad_axis_draw_y (&text, style, &g.ay, unit, 0, g.x0, g.x1);
  triad_axis_draw_x (&text, style, &g.ax, TRIAD_AXIS_TOKENS, 0, g.y1, g.y0);

  /* the layers stacked, layer 0 at the bottom, each an area between its running sums */
  below = g_new0 (double, gr->n_samples);
  cairo_save (cr);
  cairo_rectangle (cr, g.x0, g.y0, g.x1 - g.x0, g.y1 - g.y0);
  cairo_clip (cr);
  for (int l = 0; l < gr->n_layers; l++)
    {
      guint8 rgb[3];

      triad_colormap_rgb (gr->cmap, (l + 0.5) / gr->n_layers, rgb);
      for (int i = 0; i < gr->n_samples; i++)
        {
          double px = triad_axis_map (&g.ax, gr->tokens[i]);
          double v = below[i] + gr->layer_bytes[(size_t) i * gr->n_layers + l];

          if (i == 0)
            cairo_move_to (cr, px, triad_axis_map (&g.ay, v));
          else
            cairo_line_to (cr, px, triad_axis_map (&g.ay, v));
        }
      for (int i = gr->n_samples - 1; i >= 0; i--)
        cairo_line_to (cr, triad_axis_map (&g.ax, gr->tokens[i]), triad_axis_map (&g.ay, below[i]));
      cairo_close_path (cr);
      cairo_set_source_rgb (cr, rgb[0] / 255.0, rgb[1] / 255.0, rgb[2] / 255.0);
      cairo_fill (cr);
      for (int i = 0; i < gr->n_samples; i++)
        below[i] += gr->layer_bytes[(size_t) i * gr->n_layers + l];
    }
  cairo_restore (cr);
  draw_frame (cr, style, g.x0, g.y0, g.x1, g.y1, fs);

  /* the layers' colours: a bar from layer 0 (bottom) to the last */
  lx = g.x1 + 2 * GAP * fs;
  for (int i = 0; i < 64; i++)
    {
      guint8 rgb[3];
      double h = (g.y1 - g.y0) / 64.0;

      triad_colormap_rgb (gr->cmap, (i + 0.5) / 64.0, rgb);
      cairo_set_source_rgb (cr, rgb[0] / 255.0, rgb[1] / 255.0, rgb[2] / 255.0);
      cairo_rectangle (cr, lx, g.y1 - (i + 1) * h, LAYER_BAR_W * fs, h + 0.5);
      cairo_fill (cr);
    }
  {
    g_autofree char *last = g_strdup_printf (_("layer %d"), gr->n_layers - 1);

    draw_label (&text, _("layer 0"), size, FALSE, lx + (LAYER_BAR_W + 4.0) * fs, g.y1, 0.0,
                0.0, 1.0, style->fg);
    draw_label (&text, last, size, FALSE, lx + (LAYER_BAR_W + 4.0) * fs, g.y0, 0.0, 0.0,
                0.0, style->fg);
  }
  draw_label (&text, _("KV cache allocated"), size, FALSE, pad, (g.y0 + g.y1) / 2, -G_PI / 2,
              0.5, 0.0, style->fg);

  if (growth_has_timing (gr))
    {
      double ly = g.t0 + 2.0 * fs;

      triad_axis_draw_y (&text, style, &g.at, TRIAD_AXIS_MILLISECONDS, 0, g.x0, g.x1);
      triad_axis_draw_x (&text, style, &g.ax, TRIAD_AXIS_TOKENS, 0, g.t1, g.t0);
      draw_frame (cr, style, g.x0, g.t0, g.x1, g.t1, fs);
      cairo_save (cr);
      cairo_rectangle (cr, g.x0, g.t0, g.x1 - g.x0, g.t1 - g.t0);
      cairo_clip (cr);
      cairo_set_line_width (cr, LINE_WIDTH * fs);
      cairo_set_line_join (cr, CAIRO_LINE_JOIN_ROUND);
      if (gr->step_seconds_uncached != NULL)
        {
          cairo_save (cr);
          set_source (cr, style->fg, 0.7);
          cairo_set_dash (cr, dash, 2, 0);
          draw_timing_line (cr, gr, &g, gr->step_seconds_uncached);
          cairo_restore (cr);
        }
      if (gr->step_seconds_cached != NULL)
        {
          set_source (cr, style->accent, 1.0);
          draw_timing_line (cr, gr, &g, gr->step_seconds_cached);
        }
      cairo_restore (cr);
      if (gr->step_seconds_cached != NULL)
        {
          draw_label (&text, _("with the KV cache"), size, FALSE, g.x0 + 6.0 * fs, ly, 0.0,
                      0.0, 0.0, style->accent);
          ly += g.line_h;
        }
      if (gr->step_seconds_uncached != NULL)
        draw_label (&text, _("without it (the prefix recomputed)"), size, FALSE,
                    g.x0 + 6.0 * fs, ly, 0.0, 0.0, 0.0, style->fg);
      draw_label (&text, _("Time per step"), size, FALSE, pad, (g.t0 + g.t1) / 2, -G_PI / 2,
                  0.5, 0.0, style->fg);
    }
  draw_label (&text, _("Tokens in the cache"), size, FALSE, (g.x0 + g.x1) / 2, height - pad,
              0.0, 0.5, 1.0, style->fg);

  if (gr->hover >= 0 && gr->hover < gr->n_samples)
    {
      double px = round (triad_axis_map (&g.ax, gr->tokens[gr->hover])) + 0.5;
      g_autofree char *bytes = triad_format_size_short (growth_total (gr, gr->hover),
                                                          gr->gib, 1);
      g_autofree char *count = triad_format_double (gr->tokens[gr->hover], 0);
      /* TRANSLATORS: the hover readout of the growing cache: tokens, then bytes */
      g_autofree char *readout = g_strdup_printf (_("%s tokens · %s allocated"), count, bytes);

      cairo_save (cr);
      set_source (cr, style->accent, 0.9);
      cairo_set_line_width (cr, MAX (1.0, fs));
      cairo_move_to (cr, px, g.y0);
      cairo_line_to (cr, px, g.y1);
      if (growth_has_timing (gr))
        {
          cairo_move_to (cr, px, g.t0);
          cairo_line_to (cr, px, g.t1);
        }
      cairo_stroke (cr);
      cairo_restore (cr);
      draw_label (&text, readout, size, TRUE, g.x0 + 6.0 * fs, g.y0 + 4.0 * fs, 0.0, 0.0, 0.0,
                  style->fg);
    }
  triad_text_clear (&text);
}

int
triad_kv_growth_hit (const TriadKvGrowth    *gr,
                     const TriadFigureStyle *style,
                     double                  width,
                     double                  height,
                     double                  x,
                     double                  y)
{
  TriadText text;
  GrowthGeometry g;
  double t, best = G_MAXDOUBLE;
  int found = -1;

  g_return_val_if_fail (gr != NULL && style != NULL, -1);

  triad_text_init (&text, NULL, style);
  growth_geometry (gr, &text, width, height, &g);
  triad_text_clear (&text);
  if (!g.ok || x < g.x0 || x > g.x1)
    return -1;
  if (!((y >= g.y0 && y <= g.y1) || (growth_has_timing (gr) && y >= g.t0 && y <= g.t1)))
    return -1;
  t = triad_axis_unmap (&g.ax, x);
  for (int i = 0; i < gr->n_samples; i++)
    if (fabs (gr->tokens[i] - t) < best)
      {
        best = fabs (gr->tokens[i] - t);
        found = i;
      }
  return found;
}
