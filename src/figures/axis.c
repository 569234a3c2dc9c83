/* axis.c — the charts' axes: where a value falls, which ticks mark the axis, what they read
 * (through engine/numbers.h), and their drawing. */
#include "config.h"

#include <math.h>
#include "engine/i18n.h"

#include "engine/numbers.h"
#include "figures/figures-private.h"

#define TICK_LEN TRIAD_AXIS_TICK_LEN

double
triad_axis_map (const TriadAxis *a,
                double           v)
{
  double t;

  if (a->log)
    {
      double floor = a->floor > 0.0 ? a->floor : 1e-6;

      t = (log10 (MAX (v, a->lo * floor)) - log10 (a->lo)) / (log10 (a->hi) - log10 (a->lo));
    }
  else
    t = (v - a->lo) / (a->hi - a->lo);
  return a->p0 + t * (a->p1 - a->p0);
}

double
triad_axis_unmap (const TriadAxis *a,
                  double           p)
{
  double t = (p - a->p0) / (a->p1 - a->p0);

  if (a->log)
    return pow (10.0, log10 (a->lo) + t * (log10 (a->hi) - log10 (a->lo)));
  return a->lo + t * (a->hi - a->lo);
}

char *
triad_figure_format_tokens (double tokens)
{
  double v;
  const char *unit;
  g_autofree char *number = NULL;

  if (tokens >= 1e6)
    {
      v = fmod (tokens, 1048576.0) == 0.0 ? tokens / 1048576.0 : tokens / 1e6;
      /* TRANSLATORS: millions of tokens, as in "1 M" */
      unit = C_("tokens", "M");
    }
  else if (tokens >= 1000.0)
    {
      v = fmod (tokens, 1024.0) == 0.0 ? tokens / 1024.0 : tokens / 1000.0;
      /* TRANSLATORS: thousands of tokens, as in "8 k" */
      unit = C_("tokens", "k");
    }
  else
    return triad_format_double (tokens, 0);
  /* three significant digits, at most two decimals from 1 to 999 */
  number = v < 1000.0 ? triad_format_g (v, 3) : triad_format_double (v, 0);
  /* TRANSLATORS: a number of tokens and its unit, e.g. "100 k"; the number is written with
   * the "number format" separators */
  return g_strdup_printf (C_("tokens", "%s %s"), number, unit);
}

/* "10¹²": a power of ten, the same in every language. */
static char *
power_of_ten (int e)
{
  static const char * const sup[] = { "⁰", "¹", "²", "³", "⁴", "⁵", "⁶", "⁷", "⁸", "⁹" };
  GString *s = g_string_new ("10");
  char digits[16];

  if (e < 0)
    g_string_append (s, "⁻");
  g_snprintf (digits, sizeof digits, "%d", ABS (e));
  for (const char *c = digits; *c != '\0'; c++)
    g_string_append (s, sup[*c - '0']);
  return g_string_free (s, FALSE);
}

char *
triad_axis_label (double        v,
                  TriadAxisUnit unit)
{
  if (v == 0.0)
    return g_strdup ("0");
  switch (unit)
    {
    case TRIAD_AXIS_TOKENS:
      return triad_figure_format_tokens (v);
    case TRIAD_AXIS_POWERS_OF_TEN:
      return power_of_ten ((int) lround (log10 (fabs (v))));
    case TRIAD_AXIS_PLAIN:
      return triad_format_g (v, 6);
    case TRIAD_AXIS_MILLISECONDS:
      {
        g_autofree char *number = triad_format_g (v, 6);

        /* TRANSLATORS: milliseconds, on the axis of the time a step takes; %s is the
         * number, e.g. "0.5" */
        return g_strdup_printf (_("%s ms"), number);
      }
    case TRIAD_AXIS_BYTES:
    case TRIAD_AXIS_BINARY_BYTES:
    default:
      return triad_format_size_short (v, unit == TRIAD_AXIS_BINARY_BYTES, -1);
    }
}

static void
add_tick (GArray   *ticks,
          double    v,
          gboolean  major,
          gboolean  labelled)
{
  TriadAxisTick t = { v, major, labelled };

  g_array_append_val (ticks, t);
}

double
triad_axis_nice_step (double raw)
{
  static const double nice[] = { 1.0, 2.0, 2.5, 5.0 };
  double p;

  if (!(raw > 0.0) || !isfinite (raw))
    return 0.0;
  p = pow (10.0, floor (log10 (raw)));
  for (guint i = 0; i < G_N_ELEMENTS (nice); i++)
    if (nice[i] * p >= raw * (1.0 - 1e-9))
      return nice[i] * p;
  return 10.0 * p;
}

static void
linear_ticks (const TriadAxis *a,
              TriadAxisUnit    unit,
              GArray          *ticks)
{
  gboolean bytes = unit == TRIAD_AXIS_BYTES || unit == TRIAD_AXIS_BINARY_BYTES;
  double base = unit == TRIAD_AXIS_BINARY_BYTES ? 1024.0 : 1000.0;
  double raw = (a->hi - a->lo) / 5.0, u = 1.0, step;

  if (!(raw > 0.0) || !isfinite (raw))
    return;
  if (bytes)
    while (raw / u >= base)
      u *= base;
  step = triad_axis_nice_step (raw / u) * u;
  for (double v = ceil (a->lo / step) * step; v <= a->hi * (1.0 + 1e-9); v += step)
    add_tick (ticks, fabs (v) < step * 1e-9 ? 0.0 : v, TRUE, TRUE);
}

static void
log_ticks (const TriadAxis    *a,
           TriadAxisUnit       unit,
           TriadAxisTickFlags  flags,
           GArray             *ticks)
{
  gboolean few;

  if (!(a->lo > 0.0) || !(a->hi > a->lo) || !isfinite (a->hi))
    return;
  if (unit == TRIAD_AXIS_BINARY_BYTES)
    {
      for (double u = 1.0; u <= a->hi; u *= 1024.0)
        for (double m = 1.0; m < 1000.0; m *= 10.0)
          if (m * u >= a->lo * (1.0 - 1e-9) && m * u <= a->hi * (1.0 + 1e-9))
            add_tick (ticks, m * u, TRUE, TRUE);
      return;
    }
  /* over fewer than three decades, 2 and 5 are labelled too */
  few = !(flags & TRIAD_AXIS_TICKS_DECADES_ONLY) && log10 (a->hi / a->lo) < 2.5;
  for (double p = pow (10.0, floor (log10 (a->lo))); p <= a->hi * (1.0 + 1e-9); p *= 10.0)
    for (int m = 1; m < 10; m++)
      if (m * p >= a->lo * (1.0 - 1e-9) && m * p <= a->hi * (1.0 + 1e-9))
        {
          gboolean major = m == 1 || (few && (m == 2 || m == 5));
          gboolean end = (flags & TRIAD_AXIS_TICKS_LABEL_END) && m * p == a->hi;

          add_tick (ticks, m * p, major, major || end);
        }
}

GArray *
triad_axis_ticks (const TriadAxis    *a,
                  TriadAxisUnit       unit,
                  TriadAxisTickFlags  flags)
{
  GArray *ticks = g_array_new (FALSE, FALSE, sizeof (TriadAxisTick));

  if (a->log)
    log_ticks (a, unit, flags, ticks);
  else
    linear_ticks (a, unit, ticks);
  return ticks;
}

/* ---- drawing ------------------------------------------------------------------------- */

void
triad_chart_set_source (cairo_t      *cr,
                        const double  rgba[4],
                        double        alpha)
{
  cairo_set_source_rgba (cr, rgba[0], rgba[1], rgba[2], rgba[3] * alpha);
}

double
triad_chart_line_height (TriadText *text,
                         double     size)
{
  g_autoptr(PangoLayout) layout = triad_text_layout (text, "0", size, FALSE, -1);
  double w, h;

  triad_text_size (layout, &w, &h);
  return h;
}

double
triad_chart_text_width (TriadText  *text,
                        const char *str,
                        double      size,
                        gboolean    bold)
{
  g_autoptr(PangoLayout) layout = triad_text_layout (text, str, size, bold, -1);
  double w, h;

  triad_text_size (layout, &w, &h);
  return w;
}

void
triad_chart_label (TriadText    *text,
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

void
triad_chart_label_within (TriadText    *text,
                          const char   *str,
                          double        size,
                          gboolean      bold,
                          double        x,
                          double        y,
                          double        angle,
                          double        ax,
                          double        ay,
                          double        max_width,
                          const double  rgba[4])
{
  g_autoptr(PangoLayout) layout = NULL;

  if (str == NULL || *str == '\0')
    return;
  /* a width only where it cuts: Pango's whole units could elide a label that just fits; and
   * no label where not even two characters and the ellipsis would show, which say nothing */
  if (max_width > 0.0 && triad_chart_text_width (text, str, size, bold) <= max_width)
    max_width = -1.0;
  else if (max_width > 0.0 && max_width < triad_chart_text_width (text, "00…", size, bold))
    return;
  layout = triad_text_layout (text, str, size, bold, MAX (max_width, -1.0));
  triad_text_draw (text, layout, x, y, angle, ax, ay, rgba);
}

void
triad_chart_frame (cairo_t                *cr,
                   const TriadFigureStyle *style,
                   double                  x0,
                   double                  y0,
                   double                  x1,
                   double                  y1,
                   double                  fs)
{
  cairo_save (cr);
  triad_chart_set_source (cr, style->fg, 0.6);
  cairo_set_line_width (cr, MAX (0.5, 0.75 * fs));
  cairo_move_to (cr, round (x0) + 0.5, y0);
  cairo_line_to (cr, round (x0) + 0.5, round (y1) + 0.5);
  cairo_line_to (cr, x1, round (y1) + 0.5);
  cairo_stroke (cr);
  cairo_restore (cr);
}

/* The length of a tick's mark, in units of the font scale. */
static double
mark_length (const TriadAxisTick *t,
             TriadAxisTickFlags   flags)
{
  if (t->major || t->labelled)
    return TICK_LEN;
  return (flags & TRIAD_AXIS_TICKS_BARE_MINOR) ? 0.0 : TICK_LEN / 2;
}

double
triad_axis_labels_width (TriadText          *text,
                         const TriadAxis    *axis,
                         TriadAxisUnit       unit,
                         TriadAxisTickFlags  flags,
                         double              size)
{
  g_autoptr(GArray) ticks = triad_axis_ticks (axis, unit, flags);
  double widest = 0.0;

  for (guint i = 0; i < ticks->len; i++)
    if (g_array_index (ticks, TriadAxisTick, i).labelled)
      {
        g_autofree char *label = triad_axis_label (g_array_index (ticks, TriadAxisTick, i).v,
                                                   unit);
        widest = MAX (widest, triad_chart_text_width (text, label, size, FALSE));
      }
  return widest;
}

void
triad_axis_draw_y (TriadText              *text,
                   const TriadFigureStyle *style,
                   const TriadAxis        *axis,
                   TriadAxisUnit           unit,
                   TriadAxisTickFlags      flags,
                   double                  x,
                   double                  grid_x1)
{
  g_autoptr(GArray) ticks = triad_axis_ticks (axis, unit, flags);
  cairo_t *cr = text->cr;
  double fs = text->fs, size = TRIAD_FIG_TICK_SIZE * fs;
  double line_h = triad_chart_line_height (text, size);
  double apart = (flags & TRIAD_AXIS_TICKS_DENSE_LABELS) ? 1.1 : 1.2, last = G_MAXDOUBLE;

  cairo_save (cr);
  cairo_set_line_width (cr, MAX (0.5, 0.75 * fs));
  for (guint i = 0; i < ticks->len; i++)
    {
      TriadAxisTick *t = &g_array_index (ticks, TriadAxisTick, i);
      double py = round (triad_axis_map (axis, t->v)) + 0.5, len = mark_length (t, flags);

      triad_chart_set_source (cr, style->fg, t->major ? 0.12 : 0.05);
      cairo_move_to (cr, x, py);
      cairo_line_to (cr, grid_x1, py);
      cairo_stroke (cr);
      if (len > 0.0)
        {
          triad_chart_set_source (cr, style->fg, 0.6);
          cairo_move_to (cr, x - len * fs, py);
          cairo_line_to (cr, x, py);
          cairo_stroke (cr);
        }
      if (t->labelled && last - py >= apart * line_h)
        {
          g_autofree char *label = triad_axis_label (t->v, unit);

          triad_chart_label (text, label, size, FALSE, x - (TICK_LEN + 2.0) * fs, py, 0.0,
                             1.0, 0.5, style->fg);
          last = py;
        }
    }
  cairo_restore (cr);
}

void
triad_axis_draw_x (TriadText              *text,
                   const TriadFigureStyle *style,
                   const TriadAxis        *axis,
                   TriadAxisUnit           unit,
                   TriadAxisTickFlags      flags,
                   double                  y,
                   double                  grid_y0)
{
  g_autoptr(GArray) ticks = triad_axis_ticks (axis, unit, flags);
  cairo_t *cr = text->cr;
  double fs = text->fs, size = TRIAD_FIG_TICK_SIZE * fs, last = -G_MAXDOUBLE;

  cairo_save (cr);
  cairo_set_line_width (cr, MAX (0.5, 0.75 * fs));
  for (guint i = 0; i < ticks->len; i++)
    {
      TriadAxisTick *t = &g_array_index (ticks, TriadAxisTick, i);
      double px = round (triad_axis_map (axis, t->v)) + 0.5, len = mark_length (t, flags);

      triad_chart_set_source (cr, style->fg, t->major ? 0.12 : 0.05);
      cairo_move_to (cr, px, grid_y0);
      cairo_line_to (cr, px, y);
      cairo_stroke (cr);
      if (len > 0.0)
        {
          triad_chart_set_source (cr, style->fg, 0.6);
          cairo_move_to (cr, px, y);
          cairo_line_to (cr, px, y + len * fs);
          cairo_stroke (cr);
        }
      if (t->labelled)
        {
          g_autofree char *label = triad_axis_label (t->v, unit);
          double w = triad_chart_text_width (text, label, size, FALSE);

          if (px - w / 2 >= last + 4.0 * fs)
            {
              triad_chart_label (text, label, size, FALSE, px, y + (TICK_LEN + 2.0) * fs, 0.0,
                                 0.5, 0.0, style->fg);
              last = px + w / 2;
            }
        }
    }
  cairo_restore (cr);
}
