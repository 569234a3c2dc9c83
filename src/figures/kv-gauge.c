/* kv-gauge.c — the K/V gauge beside the Cross-attention panels: the positions the decoder's
 * self-attention cache and the cross-attention cache hold, and their bytes. */
#include "config.h"

#include <math.h>
#include <string.h>
#include "engine/i18n.h"

#include "engine/numbers.h"
#include "figures/alignment.h"
#include "figures/weights-panel.h"

#define GAUGE_MIN_W  230.0
#define GAUGE_MIN_H  150.0
#define SLOT_MAX      24.0    /* a cached position in the gauge, at most this wide */
#define SLOT_H        16.0

/* ---- the K/V gauge ------------------------------------------------------------------- */

static void
draw_slots (cairo_t                *cr,
            const TriadFigureStyle *style,
            const double            fill[4],
            double                  x,
            double                  y,
            double                  slot_w,
            double                  slot_h,
            int                     filled,
            int                     total,
            double                  fs)
{
  double sgap = slot_w > 5.0 * fs ? 1.5 * fs : 0.0;

  cairo_save (cr);
  for (int i = 0; i < total; i++)
    {
      cairo_rectangle (cr, x + i * slot_w, y, MAX (slot_w - sgap, 0.5), slot_h);
      if (i < filled)
        {
          triad_chart_set_source (cr, fill, 1.0);
          cairo_fill (cr);
        }
      else
        {
          triad_chart_set_source (cr, style->fg, 0.3);
          cairo_set_line_width (cr, 0.75 * fs);
          cairo_stroke (cr);
        }
    }
  cairo_restore (cr);
}

void
triad_kv_gauge_draw (cairo_t                *cr,
                     const TriadKvGauge     *g,
                     const TriadFigureStyle *style,
                     double                  x,
                     double                  y,
                     double                  width,
                     double                  height)
{
  TriadText text;
  double fs, size, cap_h, line_h, slot_w, slot_h, cy;
  int n_slots;
  g_autofree char *self_bytes = NULL, *cross_bytes = NULL, *per = NULL;
  g_autofree char *self_line = NULL, *cross_line = NULL, *note = NULL;
  double cross_fill[4];
  const char *lines[4];

  g_return_if_fail (cr != NULL && g != NULL && style != NULL);
  if (width <= 0.0 || height <= 0.0)
    return;

  triad_text_init (&text, cr, style);
  fs = text.fs;
  size = TRIAD_FIG_TICK_SIZE * fs;
  cap_h = triad_cross_caption_height (&text);
  line_h = triad_chart_line_height (&text, size);
  n_slots = MAX (MAX (g->self_positions_max, g->cross_positions), 1);
  slot_w = MIN (width / n_slots, SLOT_MAX * fs);
  slot_h = SLOT_H * fs;
  memcpy (cross_fill, style->fg, sizeof cross_fill);
  cross_fill[3] *= 0.55;

  self_bytes = triad_format_size ((double) g->self_bytes, FALSE);
  cross_bytes = triad_format_size ((double) g->cross_bytes, FALSE);
  /* TRANSLATORS: the decoder's K/V cache in the gauge: positions cached so far, of all, and
   * its size in bytes, e.g. "3 of 6 positions · 9.2 kB" */
  self_line = g_strdup_printf (g_dngettext (GETTEXT_PACKAGE, "%d of %d position · %s",
                                            "%d of %d positions · %s", g->self_positions_max),
                               g->self_positions, g->self_positions_max, self_bytes);
  /* TRANSLATORS: the cross-attention K/V in the gauge: source positions and its size, which
   * the encoder's output gives once, e.g. "8 positions · 24.6 kB, computed once" */
  cross_line = g_strdup_printf (g_dngettext (GETTEXT_PACKAGE, "%d position · %s, computed once",
                                             "%d positions · %s, computed once",
                                             g->cross_positions),
                                g->cross_positions, cross_bytes);
  if (g->self_positions > 0)
    {
      per = triad_format_size ((double) (g->self_bytes / (size_t) g->self_positions), FALSE);
      /* TRANSLATORS: how much the decoder's K/V cache grows with each token it reads */
      note = g_strdup_printf (_("Each decoding step adds %s to the decoder’s cache"), per);
    }

  cy = y;
  {
    /* TRANSLATORS: the title of the gauge of the key and value cache */
    g_autoptr(PangoLayout) layout = triad_text_layout (&text, _("Key and value cache"),
                                                       CAPTION_SIZE * fs, TRUE, width);
    triad_text_draw (&text, layout, x, cy, 0.0, 0.0, 0.0, style->fg);
    cy += cap_h + 8.0 * fs;
  }

  lines[0] = _("Decoder self-attention K/V");
  lines[1] = self_line;
  lines[2] = _("Cross-attention K/V");
  lines[3] = cross_line;
  for (int i = 0; i < 2; i++)
    {
      for (int j = 0; j < 2; j++)
        {
          g_autoptr(PangoLayout) layout = triad_text_layout (&text, lines[2 * i + j], size,
                                                             FALSE, width);
          double rgba[4] = { style->fg[0], style->fg[1], style->fg[2],
                             style->fg[3] * (j == 0 ? 1.0 : 0.75) };

          triad_text_draw (&text, layout, x, cy, 0.0, 0.0, 0.0, rgba);
          cy += line_h;
        }
      cy += 3.0 * fs;
      if (i == 0)
        draw_slots (cr, style, style->accent, x, cy, slot_w, slot_h, g->self_positions,
                    g->self_positions_max, fs);
      else
        draw_slots (cr, style, cross_fill, x, cy, slot_w, slot_h, g->cross_positions,
                    g->cross_positions, fs);
      cy += slot_h + 10.0 * fs;
    }
  if (note != NULL && cy + line_h <= y + height + 1.0)
    {
      g_autoptr(PangoLayout) layout = triad_text_layout (&text, note, size, FALSE, width);
      double rgba[4] = { style->fg[0], style->fg[1], style->fg[2], style->fg[3] * 0.75 };

      /* the one line that may run long: on two lines at most, as the box allows */
      pango_layout_set_single_paragraph_mode (layout, FALSE);
      pango_layout_set_wrap (layout, PANGO_WRAP_WORD);
      pango_layout_set_height (layout, (int) (-MIN (2, MAX (1, floor ((y + height - cy) / line_h)))));
      triad_text_draw (&text, layout, x, cy, 0.0, 0.0, 0.0, rgba);
    }
  triad_text_clear (&text);
}
