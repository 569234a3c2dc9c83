/* style.c — the light and dark styles, and the text, titles and colour bars every figure uses. */
#include "config.h"

#include <math.h>
#include <string.h>
#include "engine/i18n.h"

#include "figures/figures-private.h"
#include "engine/numbers.h"

static void
set_rgba (double     rgba[4],
          guint32    rgb,
          double     alpha)
{
  rgba[0] = ((rgb >> 16) & 0xff) / 255.0;
  rgba[1] = ((rgb >> 8) & 0xff) / 255.0;
  rgba[2] = (rgb & 0xff) / 255.0;
  rgba[3] = alpha;
}

void
triad_figure_style_init (TriadFigureStyle *style,
                         gboolean          dark)
{
  g_return_if_fail (style != NULL);

  /* Adwaita's window colours and accent, so an export sits next to the app's own look */
  set_rgba (style->fg, dark ? 0xffffff : 0x1e1e1e, 1.0);
  set_rgba (style->bg, dark ? 0x242424 : 0xffffff, 1.0);
  set_rgba (style->accent, dark ? 0x78aeed : 0x1c71d8, 1.0);
  style->font_scale = 1.0;
  style->font_family = NULL;
  style->masked[0] = style->masked[1] = style->masked[2] = style->masked[3] = 0.0;
  style->outline_scale = 1.0;
  style->surface_height = 0.0;
}

void
triad_figure_style_make_high_contrast (TriadFigureStyle *style)
{
  gboolean dark;

  g_return_if_fail (style != NULL);

  dark = style->fg[0] + style->fg[1] + style->fg[2] > 1.5;
  set_rgba (style->fg, dark ? 0xffffff : 0x000000, 1.0);
  if (style->bg[3] > 0.0)
    set_rgba (style->bg, dark ? 0x000000 : 0xffffff, style->bg[3]);
  /* a lit cell or token in the text's own colour: the accent's blue is a shade, not a contrast */
  memcpy (style->accent, style->fg, sizeof style->accent);
  /* black in both: on white it is the strongest mark, and on black its fg border and white
   * hatch set it apart from the allowed cells' dark grey */
  set_rgba (style->masked, 0x000000, 1.0);
  style->outline_scale = 2.0;
}

double
triad_figure_outline_width (const TriadFigureStyle *style,
                            double                  w)
{
  return style->outline_scale > 1.0 ? w * style->outline_scale : w;
}

/* On a surface, body text (TRIAD_FIG_TICK_SIZE before the scale) is this share of its height,
 * and no word is smaller than TRIAD_SURFACE_MIN of it. Measured as a PDF reader does, a word's
 * box is about 1.17 times its size in DejaVu Sans: 2.6 % and 2.2 % of the height, over the
 * 2.5 % and 2 % that a lecture hall's back row needs. */
#define TRIAD_SURFACE_BODY 0.0225
#define TRIAD_SURFACE_MIN  0.019

static gboolean
on_surface (const TriadFigureStyle *style)
{
  return style->surface_height > 0.0 && isfinite (style->surface_height);
}

double
triad_figure_font_scale (const TriadFigureStyle *style)
{
  double fs = style->font_scale;

  fs = fs > 0.0 && isfinite (fs) ? CLAMP (fs, 0.25, 4.0) : 1.0;
  if (on_surface (style))
    fs = MAX (fs, style->surface_height * TRIAD_SURFACE_BODY / TRIAD_FIG_TICK_SIZE);
  return fs;
}

double
triad_figure_style_font_scale (const TriadFigureStyle *style)
{
  g_return_val_if_fail (style != NULL, 1.0);

  return triad_figure_font_scale (style);
}

double
triad_figure_style_min_text (const TriadFigureStyle *style)
{
  g_return_val_if_fail (style != NULL, 0.0);

  return on_surface (style) ? style->surface_height * TRIAD_SURFACE_MIN : 0.0;
}

void
triad_figure_fill_bg (cairo_t                *cr,
                      const TriadFigureStyle *style,
                      double                  width,
                      double                  height)
{
  if (style->bg[3] <= 0.0)
    return;
  cairo_save (cr);
  cairo_set_source_rgba (cr, style->bg[0], style->bg[1], style->bg[2], style->bg[3]);
  cairo_rectangle (cr, 0, 0, width, height);
  cairo_fill (cr);
  cairo_restore (cr);
}

/* ---- text ---------------------------------------------------------------------------- */

void
triad_text_init (TriadText              *text,
                 cairo_t                *cr,
                 const TriadFigureStyle *style)
{
  cairo_font_options_t *opts = cairo_font_options_create ();

  text->ctx = pango_font_map_create_context (pango_cairo_font_map_get_default ());
  cairo_font_options_set_hint_metrics (opts, CAIRO_HINT_METRICS_OFF);
  cairo_font_options_set_hint_style (opts, CAIRO_HINT_STYLE_NONE);
  pango_cairo_context_set_font_options (text->ctx, opts);
  cairo_font_options_destroy (opts);
  pango_context_set_round_glyph_positions (text->ctx, FALSE);
  text->cr = cr;
  if (cr != NULL)
    pango_cairo_update_context (cr, text->ctx);
  text->family = style->font_family != NULL && *style->font_family ? style->font_family : "Sans";
  text->fs = triad_figure_font_scale (style);
  text->min_size = triad_figure_style_min_text (style);
}

void
triad_text_clear (TriadText *text)
{
  g_clear_object (&text->ctx);
}

PangoLayout *
triad_text_layout (TriadText  *text,
                   const char *str,
                   double      size,
                   gboolean    bold,
                   double      max_width)
{
  PangoLayout *layout = pango_layout_new (text->ctx);
  PangoFontDescription *desc = pango_font_description_new ();

  pango_font_description_set_family (desc, text->family);
  /* absolute: a size in user units, whatever resolution the font map assumes; never under
   * the surface's smallest, which painters lay out for (triad_text_min) */
  pango_font_description_set_absolute_size (desc, MAX (MAX (size, text->min_size), 1.0)
                                                  * PANGO_SCALE);
  pango_font_description_set_weight (desc, bold ? PANGO_WEIGHT_BOLD : PANGO_WEIGHT_NORMAL);
  pango_layout_set_font_description (layout, desc);
  pango_font_description_free (desc);
  pango_layout_set_single_paragraph_mode (layout, TRUE);
  if (max_width > 0.0)
    {
      pango_layout_set_width (layout, (int) (max_width * PANGO_SCALE));
      pango_layout_set_ellipsize (layout, PANGO_ELLIPSIZE_END);
    }
  pango_layout_set_text (layout, str != NULL ? str : "", -1);
  return layout;
}

void
triad_text_size (PangoLayout *layout,
                 double      *width,
                 double      *height)
{
  PangoRectangle logical;

  pango_layout_get_extents (layout, NULL, &logical);
  *width = (double) logical.width / PANGO_SCALE;
  *height = (double) logical.height / PANGO_SCALE;
}

void
triad_text_draw (TriadText    *text,
                 PangoLayout  *layout,
                 double        x,
                 double        y,
                 double        angle,
                 double        ax,
                 double        ay,
                 const double  rgba[4])
{
  cairo_t *cr = text->cr;
  PangoRectangle logical;
  double w, h;

  pango_layout_get_extents (layout, NULL, &logical);
  w = (double) logical.width / PANGO_SCALE;
  h = (double) logical.height / PANGO_SCALE;
  cairo_save (cr);
  cairo_translate (cr, x, y);
  if (angle != 0.0)
    cairo_rotate (cr, angle);
  cairo_move_to (cr, -ax * w - (double) logical.x / PANGO_SCALE,
                 -ay * h - (double) logical.y / PANGO_SCALE);
  pango_cairo_update_layout (cr, layout);
  cairo_set_source_rgba (cr, rgba[0], rgba[1], rgba[2], rgba[3]);
  pango_cairo_show_layout (cr, layout);
  cairo_restore (cr);
}

double
triad_text_max_width (TriadText          *text,
                      const char * const *strs,
                      int                 n,
                      double              size,
                      double              max_width)
{
  double widest = 0.0;

  if (strs == NULL)
    return 0.0;
  for (int i = 0; i < n; i++)
    {
      g_autoptr(PangoLayout) layout = triad_text_layout (text, strs[i], size, FALSE, max_width);
      double w, h;

      triad_text_size (layout, &w, &h);
      widest = MAX (widest, w);
    }
  return widest;
}

/* ---- title --------------------------------------------------------------------------- */

double
triad_figure_title_height (TriadText  *text,
                           const char *title)
{
  g_autoptr(PangoLayout) layout = NULL;
  double w, h;

  if (title == NULL || *title == '\0')
    return 0.0;
  layout = triad_text_layout (text, title, TRIAD_FIG_TITLE_SIZE * text->fs, TRUE, -1);
  triad_text_size (layout, &w, &h);
  return h;
}

void
triad_figure_draw_title (TriadText              *text,
                         const TriadFigureStyle *style,
                         const char             *title,
                         double                  x,
                         double                  y,
                         double                  width)
{
  g_autoptr(PangoLayout) layout = NULL;

  if (title == NULL || *title == '\0' || width <= 0.0)
    return;
  layout = triad_text_layout (text, title, TRIAD_FIG_TITLE_SIZE * text->fs, TRUE, width);
  triad_text_draw (text, layout, x + width / 2, y, 0.0, 0.5, 0.0, style->fg);
}

/* ---- colour bar ---------------------------------------------------------------------- */

typedef struct {
  double  t;        /* 0 at the bottom of the bar, 1 at the top */
  char   *label;
} Tick;

static void
tick_clear (gpointer data)
{
  g_free (((Tick *) data)->label);
}

static void
add_tick (GArray     *ticks,
          double      t,
          char       *label)
{
  Tick tick = { t, label };

  g_array_append_val (ticks, tick);
}

/* Decimals that show v to within half a percent, at least `min` of them. */
static int
decimals_for (double v,
              int    min)
{
  int d = MAX (min, 0);

  while (d < 6 && fabs (round (v * pow (10, d)) / pow (10, d) - v) > 0.005 * fabs (v))
    d++;
  return d;
}

/* The candidate ticks from bottom to top; the bottom and top ones always show. */
static GArray *
colorbar_ticks (TriadNormalization norm,
                double             global_max)
{
  GArray *ticks = g_array_new (FALSE, FALSE, sizeof (Tick));

  g_array_set_clear_func (ticks, tick_clear);
  switch (norm)
    {
    case TRIAD_NORM_ROW:
      add_tick (ticks, 0.0, g_strdup ("0"));
      for (int i = 1; i < 4; i++)
        add_tick (ticks, i / 4.0, g_strdup_printf ("%d%%", i * 25));
      /* TRANSLATORS: the colour bar's top when each row is scaled by its largest weight */
      add_tick (ticks, 1.0, g_strdup (_("row max")));
      break;

    case TRIAD_NORM_LOG:
      {
        static const char * const labels[] = { "10⁻⁴", "10⁻³", "10⁻²", "10⁻¹", "1" };

        for (int i = 0; i < 5; i++)
          add_tick (ticks, i / 4.0, g_strdup (labels[i]));
      }
      break;

    case TRIAD_NORM_GLOBAL:
    default:
      add_tick (ticks, 0.0, g_strdup ("0"));
      if (global_max > 0.0 && isfinite (global_max))
        {
          /* about four steps of 1, 2, 2.5 or 5 times a power of ten, then the maximum */
          double step = triad_axis_nice_step (global_max / 4.0);
          int dec;

          dec = MAX (0, (int) -floor (log10 (step) + 1e-9));
          if (fabs (step / pow (10.0, floor (log10 (step) + 1e-9)) - 2.5) < 1e-6)
            dec++;
          /* (a step of 0 when a quarter of the maximum underflows: the ends alone) */
          for (int i = 1; step > 0.0 && i * step < global_max * (1.0 - 1e-6); i++)
            add_tick (ticks, i * step / global_max, triad_format_double (i * step, dec));
          add_tick (ticks, 1.0, triad_format_double (global_max,
                                                     decimals_for (global_max, dec)));
        }
      break;
    }
  return ticks;
}

#define TICK_LEN 4.0
#define TICK_GAP 3.0
#define LABEL_GAP 8.0

double
triad_colorbar_extra_width (TriadText          *text,
                            TriadNormalization  norm,
                            double              global_max,
                            const char         *label)
{
  g_autoptr(GArray) ticks = colorbar_ticks (norm, global_max);
  double fs = text->fs, widest = 0.0, extra;

  for (guint i = 0; i < ticks->len; i++)
    {
      const char *s = g_array_index (ticks, Tick, i).label;
      widest = MAX (widest, triad_text_max_width (text, &s, 1, TRIAD_FIG_TICK_SIZE * fs, -1));
    }
  extra = (TICK_LEN + TICK_GAP) * fs + widest;
  if (label != NULL && *label != '\0')
    {
      g_autoptr(PangoLayout) layout = triad_text_layout (text, label, TRIAD_FIG_TICK_SIZE * fs,
                                                         FALSE, -1);
      double w, h;

      triad_text_size (layout, &w, &h);
      extra += LABEL_GAP * fs + h;
    }
  return extra;
}

void
triad_colorbar_draw (TriadText              *text,
                     const TriadFigureStyle *style,
                     TriadColormap           cmap,
                     TriadNormalization      norm,
                     double                  global_max,
                     const char             *label,
                     double                  x,
                     double                  y,
                     double                  w,
                     double                  h)
{
  g_autoptr(GArray) ticks = colorbar_ticks (norm, global_max);
  cairo_t *cr = text->cr;
  cairo_surface_t *bar;
  guint8 *data;
  double fs = text->fs, tick_size = TRIAD_FIG_TICK_SIZE * fs, widest = 0.0;
  double line_h, last_y = G_MAXDOUBLE, top_y;
  double fg_line[4] = { style->fg[0], style->fg[1], style->fg[2], style->fg[3] * 0.6 };
  int stride;

  if (w <= 0.0 || h <= 0.0)
    return;

  /* the bar: a 1 × 256 image, top entry first, stretched unsmoothed so each band is exactly
   * an entry of the map, as each cell is */
  bar = cairo_image_surface_create (CAIRO_FORMAT_RGB24, 1, 256);
  cairo_surface_flush (bar);
  data = cairo_image_surface_get_data (bar);
  stride = cairo_image_surface_get_stride (bar);
  for (int i = 0; i < 256 && data != NULL; i++)
    {
      guint8 rgb[3];

      triad_colormap_rgb (cmap, (255 - i + 0.5) / 256.0, rgb);
      *(guint32 *) (data + (size_t) i * stride) =
        0xff000000u | (guint32) rgb[0] << 16 | (guint32) rgb[1] << 8 | rgb[2];
    }
  cairo_surface_mark_dirty (bar);
  cairo_save (cr);
  cairo_rectangle (cr, x, y, w, h);
  cairo_clip (cr);
  cairo_translate (cr, x, y);
  cairo_scale (cr, w, h / 256.0);
  cairo_set_source_surface (cr, bar, 0, 0);
  cairo_pattern_set_extend (cairo_get_source (cr), CAIRO_EXTEND_PAD);
  cairo_pattern_set_filter (cairo_get_source (cr), CAIRO_FILTER_NEAREST);
  cairo_paint (cr);
  cairo_restore (cr);
  cairo_surface_destroy (bar);

  cairo_save (cr);
  cairo_set_source_rgba (cr, fg_line[0], fg_line[1], fg_line[2], fg_line[3]);
  cairo_set_line_width (cr, MAX (0.5, 0.75 * fs));
  cairo_rectangle (cr, x, y, w, h);
  cairo_stroke (cr);
  cairo_restore (cr);

  /* ticks from the bottom up, skipping any whose label would touch the previous one or the
   * top one */
  {
    g_autoptr(PangoLayout) probe = triad_text_layout (text, "0", tick_size, FALSE, -1);
    double pw;

    triad_text_size (probe, &pw, &line_h);
  }
  top_y = y;
  for (guint i = 0; i < ticks->len; i++)
    {
      Tick *tick = &g_array_index (ticks, Tick, i);
      double ty = y + h * (1.0 - tick->t);
      gboolean is_top = i + 1 == ticks->len;
      g_autoptr(PangoLayout) layout = NULL;

      if (!is_top && i > 0 && (last_y - ty < 1.1 * line_h || ty - top_y < 1.1 * line_h))
        continue;
      last_y = ty;
      cairo_save (cr);
      cairo_set_source_rgba (cr, fg_line[0], fg_line[1], fg_line[2], fg_line[3]);
      cairo_set_line_width (cr, MAX (0.5, 0.75 * fs));
      cairo_move_to (cr, x + w, ty);
      cairo_line_to (cr, x + w + TICK_LEN * fs, ty);
      cairo_stroke (cr);
      cairo_restore (cr);
      layout = triad_text_layout (text, tick->label, tick_size, FALSE, -1);
      triad_text_draw (text, layout, x + w + (TICK_LEN + TICK_GAP) * fs, ty, 0.0, 0.0, 0.5,
                       style->fg);
    }

  if (label != NULL && *label != '\0')
    {
      g_autoptr(PangoLayout) layout = triad_text_layout (text, label, tick_size, FALSE, h);
      double lx;

      /* past the widest candidate, as triad_colorbar_extra_width () reserved room for */
      for (guint i = 0; i < ticks->len; i++)
        {
          const char *s = g_array_index (ticks, Tick, i).label;
          widest = MAX (widest, triad_text_max_width (text, &s, 1, tick_size, -1));
        }
      lx = x + w + (TICK_LEN + TICK_GAP) * fs + widest + LABEL_GAP * fs;
      triad_text_draw (text, layout, lx, y + h / 2, -G_PI / 2, 0.5, 0.0, style->fg);
    }
}

/* ---- cells and outlines -------------------------------------------------------------- */

void
triad_paint_cells (cairo_t         *cr,
                   cairo_surface_t *cells,
                   double           x,
                   double           y,
                   double           width,
                   double           height)
{
  int iw, ih;

  if (cells == NULL || cairo_surface_status (cells) != CAIRO_STATUS_SUCCESS
      || width <= 0.0 || height <= 0.0)
    return;
  iw = cairo_image_surface_get_width (cells);
  ih = cairo_image_surface_get_height (cells);
  if (iw <= 0 || ih <= 0)
    return;
  cairo_save (cr);
  cairo_rectangle (cr, x, y, width, height);
  cairo_clip (cr);
  cairo_translate (cr, x, y);
  cairo_scale (cr, width / iw, height / ih);
  cairo_set_source_surface (cr, cells, 0, 0);
  cairo_pattern_set_filter (cairo_get_source (cr), CAIRO_FILTER_NEAREST);
  cairo_paint (cr);
  cairo_restore (cr);
}

void
triad_figure_outline (cairo_t                *cr,
                      const TriadFigureStyle *style,
                      const double            rgba[4],
                      double                  x,
                      double                  y,
                      double                  w,
                      double                  h,
                      double                  line_width,
                      gboolean                halo)
{
  line_width = triad_figure_outline_width (style, line_width);
  cairo_save (cr);
  cairo_rectangle (cr, x, y, w, h);
  if (halo)
    {
      /* the background's colour, or the contrary of the text's when it is transparent */
      if (style->bg[3] > 0.0)
        cairo_set_source_rgb (cr, style->bg[0], style->bg[1], style->bg[2]);
      else
        cairo_set_source_rgb (cr, 1.0 - style->fg[0], 1.0 - style->fg[1], 1.0 - style->fg[2]);
      cairo_set_line_width (cr, line_width * 2.2);
      cairo_stroke_preserve (cr);
    }
  cairo_set_source_rgba (cr, rgba[0], rgba[1], rgba[2], rgba[3]);
  cairo_set_line_width (cr, line_width);
  cairo_stroke (cr);
  cairo_restore (cr);
}
