/* filmstrip.c — one head at a few steps of training side by side, the loss curve under them
 * with the phase change marked. */
#include "config.h"

#include <math.h>
#include "engine/i18n.h"

#include "engine/numbers.h"
#include "figures/figures-private.h"
#include "figures/filmstrip.h"

#define OUTLINE_ROOM 3.0     /* between a caption and its map: the phase change's outline */
#define GAP          8.0
#define MIN_PANEL   16.0    /* maps smaller than this are not drawn */
#define MIN_CHART   60.0    /* the loss chart is never shorter */
#define CHART_SHARE 0.42    /* of the height below the title, at most, for the loss chart */
#define LINE_WIDTH  1.5
#define SMOOTH_POINTS 60    /* the smoothed loss averages n_losses / 60 steps */

static void
draw_panels (cairo_t                *cr,
             TriadText              *text,
             const TriadFilmstrip   *f,
             const TriadFigureStyle *style,
             double                  x0,
             double                  y0,
             double                  side,
             double                  gap)
{
  double fs = text->fs, size = TRIAD_FIG_TICK_SIZE * fs, line_h = triad_chart_line_height (text, size);

  for (int i = 0; i < f->n_panels; i++)
    {
      /* below the caption, with room for the phase change's outline drawn around the map */
      double x = x0 + i * (side + gap), y = y0 + line_h + OUTLINE_ROOM * fs;
      g_autofree char *caption = NULL;
      g_autofree char *score = NULL;
      cairo_surface_t *cells;
      gboolean formed = f->phase_step >= 0 && f->steps[i] >= f->phase_step;

      /* TRANSLATORS: above one map of the training filmstrip: the optimiser steps done */
      caption = g_strdup_printf (_("step %d"), f->steps[i]);
      triad_chart_label (text, caption, size, TRUE, x + side / 2, y0, 0.0, 0.5, 0.0,
                         formed ? style->accent : style->fg);
      if (f->maps[i] == NULL)
        continue;
      /* every map on the same 0 … 1 scale, so the panels compare */
      cells = triad_render_cells (f->maps[i], f->n_q, f->n_k, f->cmap, TRIAD_NORM_GLOBAL, 1.0);
      triad_paint_cells (cr, cells, x, y, side, side);
      cairo_surface_destroy (cells);
      triad_figure_outline (cr, style, formed ? style->accent : style->fg, x, y, side, side,
                            (formed ? 2.0 : 0.75) * fs, formed);
      if (f->scores != NULL)
        {
          g_autofree char *number = triad_format_double (f->scores[i], 2);

          score = f->score_name != NULL ? g_strdup_printf (f->score_name, number)
                                        : g_steal_pointer (&number);
          triad_chart_label (text, score, size, FALSE, x + side / 2, y + side + 2.0 * fs, 0.0,
                             0.5, 0.0, style->fg);
        }
    }
}

static void
draw_loss (cairo_t                *cr,
           TriadText              *text,
           const TriadFilmstrip   *f,
           const TriadFigureStyle *style,
           double                  left,
           double                  top,
           double                  right,
           double                  bottom)
{
  double fs = text->fs, size = TRIAD_FIG_TICK_SIZE * fs, line_h = triad_chart_line_height (text, size);
  double lo = INFINITY, hi = -INFINITY, x0, x1, y0, y1, yw;
  TriadAxis ax = { 0 }, ay = { 0 };

  for (int i = 0; i < f->n_losses; i++)
    if (isfinite (f->losses[i]))
      lo = MIN (lo, f->losses[i]), hi = MAX (hi, f->losses[i]);
  if (!(hi >= lo))
    return;
  ay.lo = MAX (0.0, floor (lo * 2) / 2);
  ay.hi = ceil (hi * 2) / 2 + (hi == lo ? 0.5 : 0.0);
  ax.lo = 0.0;
  ax.hi = MAX (f->n_losses, 1);

  yw = triad_axis_labels_width (text, &ay, TRIAD_AXIS_PLAIN, 0, size);
  x0 = left + line_h + GAP * fs + yw + (TRIAD_AXIS_TICK_LEN + 2.0) * fs;
  {
    /* the last step's label is centred on the axis' end: room for its right half */
    g_autofree char *end = triad_axis_label (ax.hi, TRIAD_AXIS_PLAIN);
    x1 = right - triad_chart_text_width (text, end, size, FALSE) / 2;
  }
  y0 = top;
  y1 = bottom - 2 * line_h - GAP * fs - (TRIAD_AXIS_TICK_LEN + 2.0) * fs;
  if (x1 - x0 < MIN_PANEL * fs || y1 - y0 < MIN_PANEL * fs)
    return;
  ax.p0 = x0, ax.p1 = x1, ay.p0 = y1, ay.p1 = y0;

  triad_axis_draw_y (text, style, &ay, TRIAD_AXIS_PLAIN, 0, x0, x1);
  triad_axis_draw_x (text, style, &ax, TRIAD_AXIS_PLAIN, 0, y1, y0);

  /* the snapshots drawn above, as faint lines through the chart */
  cairo_save (cr);
  triad_chart_set_source (cr, style->fg, 0.25);
  cairo_set_line_width (cr, 1.0 * fs);
  for (int i = 0; i < f->n_panels; i++)
    {
      double x = triad_axis_map (&ax, f->steps[i]);
      cairo_move_to (cr, x, y0);
      cairo_line_to (cr, x, y1);
    }
  cairo_stroke (cr);

  /* the loss of every step (step s + 1 has losses[s]), faint: one batch's loss is noisy; over
   * it, the mean of the last `window` steps, which the eye follows */
  cairo_rectangle (cr, x0, y0, x1 - x0, y1 - y0);
  cairo_clip (cr);
  cairo_set_line_join (cr, CAIRO_LINE_JOIN_ROUND);
  for (int pass = 0; pass < 2; pass++)
    {
      int window = pass == 0 ? 1 : MAX (1, f->n_losses / SMOOTH_POINTS);
      double sum = 0;

      triad_chart_set_source (cr, style->fg, pass == 0 ? 0.25 : 0.95);
      cairo_set_line_width (cr, (pass == 0 ? 1.0 : LINE_WIDTH) * fs);
      for (int i = 0; i < f->n_losses; i++)
        {
          double x, y;

          sum += f->losses[i] - (i >= window ? f->losses[i - window] : 0.0);
          x = triad_axis_map (&ax, i + 1);
          y = triad_axis_map (&ay, sum / MIN (i + 1, window));
          if (i == 0)
            cairo_move_to (cr, x, y);
          else
            cairo_line_to (cr, x, y);
        }
      cairo_stroke (cr);
    }
  cairo_restore (cr);

  if (f->phase_step >= 0)
    {
      double x = triad_axis_map (&ax, f->phase_step);
      static const double dash[] = { 4.0, 3.0 };

      cairo_save (cr);
      triad_chart_set_source (cr, style->accent, 1.0);
      cairo_set_line_width (cr, 2.0 * fs);
      cairo_set_dash (cr, dash, 2, 0);
      cairo_move_to (cr, x, y0);
      cairo_line_to (cr, x, y1);
      cairo_stroke (cr);
      cairo_restore (cr);
      triad_chart_label (text, f->phase_label != NULL ? f->phase_label : "", size, TRUE, x + 4.0 * fs, y0, 0.0,
                         x + 4.0 * fs + 150.0 * fs > x1 ? 1.0 : 0.0, 0.0, style->accent);
    }
  triad_chart_frame (cr, style, x0, y0, x1, y1, fs);
  /* TRANSLATORS: the training filmstrip's vertical axis */
  triad_chart_label (text, _("Loss"), size, FALSE, left, (y0 + y1) / 2, -G_PI / 2, 0.5, 0.0,
                     style->fg);
  /* TRANSLATORS: the training filmstrip's horizontal axis */
  triad_chart_label (text, _("Training step"), size, FALSE, (x0 + x1) / 2, bottom, 0.0, 0.5,
                     1.0, style->fg);
}

void
triad_filmstrip_draw (cairo_t                *cr,
                      const TriadFilmstrip   *f,
                      const TriadFigureStyle *style,
                      double                  width,
                      double                  height)
{
  TriadText text;
  double fs, pad, size, line_h, top, side, gap, avail_w, avail_h, chart_top;

  triad_figure_fill_bg (cr, style, width, height);
  if (width <= 0 || height <= 0)
    return;
  triad_text_init (&text, cr, style);
  fs = text.fs;
  pad = TRIAD_FIG_PAD * fs;
  size = TRIAD_FIG_TICK_SIZE * fs;
  line_h = triad_chart_line_height (&text, size);
  triad_figure_draw_title (&text, style, f->title, pad, pad, width - 2 * pad);
  top = pad + triad_figure_title_height (&text, f->title) + 4.0 * fs;
  if (f->subtitle != NULL)
    {
      g_autoptr(PangoLayout) layout = triad_text_layout (&text, f->subtitle, size, FALSE,
                                                         width - 2 * pad);
      triad_text_draw (&text, layout, width / 2, top, 0.0, 0.5, 0.0, style->fg);
      top += line_h + GAP * fs;
    }
  if (f->n_panels <= 0)
    {
      triad_text_clear (&text);
      return;
    }

  gap = GAP * fs;
  avail_w = width - 2 * pad - (f->n_panels - 1) * gap;
  avail_h = height - top - pad;
  side = MIN (avail_w / f->n_panels,
              MIN (avail_h * (1.0 - CHART_SHARE), avail_h - MIN_CHART * fs) - 2 * line_h
              - (4.0 + OUTLINE_ROOM) * fs);
  if (side >= MIN_PANEL * fs)
    {
      double row_w = f->n_panels * side + (f->n_panels - 1) * gap;

      draw_panels (cr, &text, f, style, (width - row_w) / 2, top, side, gap);
      chart_top = top + side + 2 * line_h + (2 * GAP + OUTLINE_ROOM) * fs;
    }
  else
    chart_top = top;
  draw_loss (cr, &text, f, style, pad, chart_top, width - pad, height - pad);
  triad_text_clear (&text);
}
