/* memory-bars.c — the KV cache at a few context lengths (8 k against 100 k tokens), stacked
 * on the weights, as bars. */
#include "config.h"

#include <math.h>
#include <string.h>
#include "engine/i18n.h"

#include "engine/numbers.h"
#include "figures/figures-private.h"
#include "figures/memory-chart.h"

#define MIN_PLOT            24.0    /* a plot narrower or shorter than this is not drawn */

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
  line_h = triad_chart_line_height (&text, size);
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

  x0 = pad + yw + (TRIAD_AXIS_TICK_LEN + 2.0) * fs;
  x1 = width - pad;
  y0 = pad + title_h + (title_h > 0.0 ? 8.0 * fs : 0.0);
  y1 = height - pad - line_h - (TRIAD_AXIS_TICK_LEN + 2.0) * fs;
  if (x1 - x0 < MIN_PLOT * fs || y1 - y0 < MIN_PLOT * fs)
    {
      triad_text_clear (&text);
      return;
    }
  ay.p0 = y1;
  ay.p1 = y0;
  triad_axis_draw_y (&text, style, &ay, unit, 0, x0, x1);
  triad_chart_frame (cr, style, x0, y0, x1, y1, fs);

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

          triad_chart_set_source (cr, style->fg, 0.18);
          cairo_rectangle (cr, cx - bw / 2, wy, bw, base - wy);
          cairo_fill (cr);
          base = wy;
        }
      triad_chart_set_source (cr, style->accent, 1.0);
      cairo_rectangle (cr, cx - bw / 2, kv_top, bw, base - kv_top);
      cairo_fill (cr);
      cairo_restore (cr);

      /* the value as large as a title where the slot has room, else at the body's size */
      triad_chart_label_within (&text, value,
                                triad_chart_text_width (&text, value, TRIAD_FIG_TITLE_SIZE * fs,
                                                        TRUE) <= slot - 4.0 * fs
                                ? TRIAD_FIG_TITLE_SIZE * fs : size, TRUE, cx,
                                kv_top - 3.0 * fs, 0.0, 0.5, 1.0, slot - 4.0 * fs, style->fg);
      if (w_bytes > 0.0 && y1 - triad_axis_map (&ay, w_bytes) >= 1.5 * line_h)
        {
          g_autofree char *wv = triad_format_size_short (w_bytes, bars->gib, 1);
          /* TRANSLATORS: inside the lower part of a bar: the weights under the KV cache */
          g_autofree char *wl = g_strdup_printf (_("weights %s"), wv);

          triad_chart_label_within (&text, wl, size, FALSE, cx,
                                    (y1 + triad_axis_map (&ay, w_bytes)) / 2, 0.0, 0.5, 0.5,
                                    slot - 4.0 * fs, style->fg);
        }
      if (bars->labels != NULL && bars->labels[i] != NULL)
        triad_chart_label_within (&text, bars->labels[i], size, FALSE, cx,
                                  y1 + (TRIAD_AXIS_TICK_LEN + 2.0) * fs, 0.0, 0.5, 0.0,
                                  slot - 4.0 * fs, style->fg);
    }
  triad_text_clear (&text);
}
