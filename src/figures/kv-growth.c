/* kv-growth.c — the running model's KV cache growing layer by layer as it decodes, with the
 * time a step takes with the cache and without it. */
#include "config.h"

#include <math.h>
#include <string.h>
#include "engine/i18n.h"

#include "engine/numbers.h"
#include "figures/figures-private.h"
#include "figures/memory-chart.h"

#define GAP                 6.0
#define LINE_WIDTH          2.0
#define MIN_PLOT            24.0    /* a plot narrower or shorter than this is not drawn */
#define TIMING_SHARE        0.3     /* of the figure's height, for the timing chart */
#define LAYER_BAR_W         10.0

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
  g->line_h = triad_chart_line_height (text, size);
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
    tw = triad_axis_labels_width (text, &g->at, TRIAD_AXIS_MILLISECONDS, 0, size);
  {
    g_autofree char *last = g_strdup_printf (_("layer %d"), gr->n_layers - 1);
    double last_w = triad_chart_text_width (text, last, size, FALSE);
    double first_w = triad_chart_text_width (text, _("layer 0"), size, FALSE);

    legend_w = LAYER_BAR_W * fs + GAP * fs + MAX (last_w, first_w);
  }

  g->x0 = pad + g->line_h + GAP * fs + MAX (yw, tw) + (TRIAD_AXIS_TICK_LEN + 2.0) * fs;
  g->x1 = width - pad - legend_w - 2 * GAP * fs;
  g->y0 = pad + title_h + (title_h > 0.0 ? 8.0 * fs : 0.0);
  bottom = height - pad - g->line_h - GAP * fs - g->line_h - (TRIAD_AXIS_TICK_LEN + 2.0) * fs;
  if (timing)
    {
      double share = (bottom - g->y0) * TIMING_SHARE;

      g->t1 = bottom;
      g->t0 = bottom - share + 2.0 * GAP * fs;
      g->y1 = bottom - share - g->line_h - (TRIAD_AXIS_TICK_LEN + 2.0) * fs;
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
      double px = triad_axis_map (&g->ax, gr->tokens[i]);
      double py = triad_axis_map (&g->at, seconds[i] * 1e3);

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
  triad_chart_frame (cr, style, g.x0, g.y0, g.x1, g.y1, fs);

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

    triad_chart_label (&text, _("layer 0"), size, FALSE, lx + (LAYER_BAR_W + 4.0) * fs, g.y1, 0.0,
                       0.0, 1.0, style->fg);
    triad_chart_label (&text, last, size, FALSE, lx + (LAYER_BAR_W + 4.0) * fs, g.y0, 0.0, 0.0, 0.0,
                       style->fg);
  }
  triad_chart_label (&text, _("KV cache allocated"), size, FALSE, pad, (g.y0 + g.y1) / 2, -G_PI / 2,
                     0.5, 0.0, style->fg);

  if (growth_has_timing (gr))
    {
      double ly = g.t0 + 2.0 * fs;

      triad_axis_draw_y (&text, style, &g.at, TRIAD_AXIS_MILLISECONDS, 0, g.x0, g.x1);
      triad_axis_draw_x (&text, style, &g.ax, TRIAD_AXIS_TOKENS, 0, g.t1, g.t0);
      triad_chart_frame (cr, style, g.x0, g.t0, g.x1, g.t1, fs);
      cairo_save (cr);
      cairo_rectangle (cr, g.x0, g.t0, g.x1 - g.x0, g.t1 - g.t0);
      cairo_clip (cr);
      cairo_set_line_width (cr, LINE_WIDTH * fs);
      cairo_set_line_join (cr, CAIRO_LINE_JOIN_ROUND);
      if (gr->step_seconds_uncached != NULL)
        {
          cairo_save (cr);
          triad_chart_set_source (cr, style->fg, 0.7);
          cairo_set_dash (cr, dash, 2, 0);
          draw_timing_line (cr, gr, &g, gr->step_seconds_uncached);
          cairo_restore (cr);
        }
      if (gr->step_seconds_cached != NULL)
        {
          triad_chart_set_source (cr, style->accent, 1.0);
          draw_timing_line (cr, gr, &g, gr->step_seconds_cached);
        }
      cairo_restore (cr);
      if (gr->step_seconds_cached != NULL)
        {
          triad_chart_label (&text, _("with the KV cache"), size, FALSE, g.x0 + 6.0 * fs, ly, 0.0,
                             0.0, 0.0, style->accent);
          ly += g.line_h;
        }
      if (gr->step_seconds_uncached != NULL)
        triad_chart_label_within (&text, _("without it (the prefix recomputed)"), size, FALSE,
                                  g.x0 + 6.0 * fs, ly, 0.0, 0.0, 0.0,
                                  g.x1 - g.x0 - 6.0 * fs, style->fg);
      triad_chart_label_within (&text, _("Time per step"), size, FALSE, pad, (g.t0 + g.t1) / 2,
                                -G_PI / 2, 0.5, 0.0, g.t1 - g.t0 + 4.0 * fs, style->fg);
    }
  triad_chart_label_within (&text, _("Tokens in the cache"), size, FALSE, (g.x0 + g.x1) / 2,
                            height - pad, 0.0, 0.5, 1.0, width - 2 * pad, style->fg);

  if (gr->hover >= 0 && gr->hover < gr->n_samples)
    {
      double px = round (triad_axis_map (&g.ax, gr->tokens[gr->hover])) + 0.5;
      g_autofree char *bytes = triad_format_size_short (growth_total (gr, gr->hover), gr->gib, 1);
      g_autofree char *count = triad_format_double (gr->tokens[gr->hover], 0);
      /* TRANSLATORS: the hover readout of the growing cache: tokens, then bytes */
      g_autofree char *readout = g_strdup_printf (_("%s tokens · %s allocated"), count, bytes);

      cairo_save (cr);
      triad_chart_set_source (cr, style->accent, 0.9);
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
      triad_chart_label (&text, readout, size, TRUE, g.x0 + 6.0 * fs, g.y0 + 4.0 * fs, 0.0, 0.0,
                         0.0, style->fg);
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
