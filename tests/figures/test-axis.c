/* test-axis.c — the charts' axis engine: where values fall, which ticks it chooses and what
 * they read, and the labels that fit their room. Every expected tick is worked out by hand
 * from the rule in axis.h. */
#include "config.h"

#include <locale.h>
#include <math.h>

#include "figures/axis.h"
#include "figures/figures-private.h"


static void
set_english (void)
{
  g_setenv ("LANGUAGE", "en", TRUE);
  g_assert_nonnull (setlocale (LC_MESSAGES, "C.UTF-8"));
}

/* The values of the ticks, and which of them are labelled, as "v" or "v*" (labelled). */
static char *
ticks_string (const TriadAxis    *axis,
              TriadAxisUnit       unit,
              TriadAxisTickFlags  flags,
              gboolean            labelled_only)
{
  g_autoptr(GArray) ticks = triad_axis_ticks (axis, unit, flags);
  GString *s = g_string_new (NULL);

  for (guint i = 0; i < ticks->len; i++)
    {
      TriadAxisTick *t = &g_array_index (ticks, TriadAxisTick, i);

      if (labelled_only && !t->labelled)
        continue;
      g_string_append_printf (s, "%s%.6g%s", s->len > 0 ? " " : "", t->v,
                              t->labelled ? "*" : "");
    }
  return g_string_free (s, FALSE);
}

static char *
labels_string (const TriadAxis *axis,
               TriadAxisUnit    unit)
{
  g_autoptr(GArray) ticks = triad_axis_ticks (axis, unit, 0);
  GString *s = g_string_new (NULL);

  for (guint i = 0; i < ticks->len; i++)
    if (g_array_index (ticks, TriadAxisTick, i).labelled)
      {
        g_autofree char *label = triad_axis_label (g_array_index (ticks, TriadAxisTick, i).v,
                                                   unit);
        g_string_append_printf (s, "%s%s", s->len > 0 ? " | " : "", label);
      }
  return g_string_free (s, FALSE);
}

/* 10 kB to 200 GB is 7.3 decades: more than two and a half, so only the eight powers of
 * ten 10⁴ … 10¹¹ are labelled; the multiples 2 … 9 of each decade lie between, up to
 * 2 × 10¹¹ (the end), 7 × 9 + 2 = 65 ticks in all. */
static void
test_axis_log_bytes (void)
{
  TriadAxis a = { .lo = 1e4, .hi = 2e11, .log = TRUE, .p0 = 0, .p1 = 100 };
  g_autoptr(GArray) ticks = triad_axis_ticks (&a, TRIAD_AXIS_BYTES, 0);
  g_autofree char *labelled = ticks_string (&a, TRIAD_AXIS_BYTES, 0, TRUE);
  g_autofree char *labels = NULL;

  set_english ();
  labels = labels_string (&a, TRIAD_AXIS_BYTES);
  g_assert_cmpuint (ticks->len, ==, 65);
  g_assert_cmpfloat (g_array_index (ticks, TriadAxisTick, ticks->len - 1).v, ==, 2e11);
  g_assert_false (g_array_index (ticks, TriadAxisTick, ticks->len - 1).labelled);
  g_assert_cmpstr (labelled, ==, "10000* 100000* 1e+06* 1e+07* 1e+08* 1e+09* 1e+10* 1e+11*");
  g_assert_cmpstr (labels, ==, "10 kB | 100 kB | 1 MB | 10 MB | "
                               "100 MB | 1 GB | 10 GB | 100 GB");
}

/* 0 to 30 GB: a fifth of the range is 6 GB; in whole GB the first of 1, 2, 2.5, 5, 10 not
 * under 6 is 10, so the ticks are 0, 10, 20 and 30 GB. */
static void
test_axis_linear_bytes (void)
{
  TriadAxis a = { .lo = 0, .hi = 30e9, .log = FALSE, .p0 = 0, .p1 = 100 };
  g_autofree char *ticks = ticks_string (&a, TRIAD_AXIS_BYTES, 0, FALSE);
  g_autofree char *labels = NULL;

  set_english ();
  labels = labels_string (&a, TRIAD_AXIS_BYTES);
  g_assert_cmpstr (ticks, ==, "0* 1e+10* 2e+10* 3e+10*");
  g_assert_cmpstr (labels, ==, "0 | 10 GB | 20 GB | 30 GB");
}

/* 0 to 1.1 ms: a fifth is 0.22; of 0.1, 0.2, 0.25, 0.5 the first not under it is 0.25. */
static void
test_axis_linear_ms (void)
{
  TriadAxis a = { .lo = 0, .hi = 1.1, .log = FALSE, .p0 = 0, .p1 = 100 };
  g_autofree char *ticks = ticks_string (&a, TRIAD_AXIS_MILLISECONDS, 0, FALSE);
  g_autofree char *labels = NULL;

  set_english ();
  labels = labels_string (&a, TRIAD_AXIS_MILLISECONDS);
  g_assert_cmpstr (ticks, ==, "0* 0.25* 0.5* 0.75* 1*");
  g_assert_cmpstr (labels, ==, "0 | 0.25 ms | 0.5 ms | 0.75 ms | 1 ms");
}

/* 1 KiB to 1 GiB in binary units: 1, 10 and 100 of KiB and MiB, then 1 GiB — seven. */
static void
test_axis_log_binary (void)
{
  TriadAxis a = { .lo = 1024, .hi = 1073741824.0, .log = TRUE, .p0 = 0, .p1 = 100 };
  g_autofree char *labels = NULL;

  set_english ();
  labels = labels_string (&a, TRIAD_AXIS_BINARY_BYTES);
  g_assert_cmpstr (labels, ==, "1 KiB | 10 KiB | 100 KiB | 1 MiB | "
                               "10 MiB | 100 MiB | 1 GiB");
}

/* 100 to 10 000 tokens is two decades, under two and a half: 2 and 5 are labelled too,
 * unless only decades are asked for; the end of 100 … 50 000 is labelled when asked. */
static void
test_axis_log_flags (void)
{
  TriadAxis a = { .lo = 100, .hi = 10000, .log = TRUE, .p0 = 0, .p1 = 100 };
  TriadAxis b = { .lo = 100, .hi = 50000, .log = TRUE, .p0 = 0, .p1 = 100 };
  g_autofree char *few = ticks_string (&a, TRIAD_AXIS_TOKENS, 0, TRUE);
  g_autofree char *decades = ticks_string (&a, TRIAD_AXIS_TOKENS,
                                           TRIAD_AXIS_TICKS_DECADES_ONLY, TRUE);
  g_autofree char *end = ticks_string (&b, TRIAD_AXIS_TOKENS,
                                       TRIAD_AXIS_TICKS_DECADES_ONLY
                                       | TRIAD_AXIS_TICKS_LABEL_END, TRUE);
  g_autoptr(GArray) ticks = triad_axis_ticks (&b, TRIAD_AXIS_TOKENS,
                                              TRIAD_AXIS_TICKS_DECADES_ONLY
                                              | TRIAD_AXIS_TICKS_LABEL_END);
  TriadAxisTick *last = &g_array_index (ticks, TriadAxisTick, ticks->len - 1);

  g_assert_cmpstr (few, ==, "100* 200* 500* 1000* 2000* 5000* 10000*");
  g_assert_cmpstr (decades, ==, "100* 1000* 10000*");
  g_assert_cmpstr (end, ==, "100* 1000* 10000* 50000*");
  /* the end is labelled but not a decade: a faint grid line */
  g_assert_cmpfloat (last->v, ==, 50000);
  g_assert_false (last->major);
}

/* The least of 1, 2, 2.5, 5, 10 times a power of ten not under the value: the colour bar's
 * steps and the linear axes' (in their unit). */
static void
test_axis_nice_step (void)
{
  static const double cases[][2] = {
    { 6.0, 10.0 }, { 0.22, 0.25 }, { 1.5, 2.0 }, { 3.0, 5.0 }, { 1.0, 1.0 }, { 2.5, 2.5 },
    { 0.034, 0.05 }, { 4100.0, 5000.0 }, { 0.0, 0.0 }, { -1.0, 0.0 },
  };

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    g_assert_cmpfloat_with_epsilon (triad_axis_nice_step (cases[i][0]), cases[i][1],
                                    1e-12 * MAX (1.0, cases[i][1]));
}

static void
test_axis_map (void)
{
  TriadAxis lg = { .lo = 1, .hi = 1000, .log = TRUE, .p0 = 0, .p1 = 300 };
  TriadAxis lin = { .lo = 0, .hi = 30e9, .log = FALSE, .p0 = 180, .p1 = 20 };

  /* a decade is a third of three decades' 300 */
  g_assert_cmpfloat_with_epsilon (triad_axis_map (&lg, 10), 100, 1e-9);
  g_assert_cmpfloat_with_epsilon (triad_axis_map (&lg, 1000), 300, 1e-9);
  g_assert_cmpfloat_with_epsilon (triad_axis_unmap (&lg, 200), 100, 1e-9);
  /* zero falls at the floor: 10⁻⁶ of lo (six decades below), or 10⁻³ when set */
  g_assert_cmpfloat_with_epsilon (triad_axis_map (&lg, 0), -600, 1e-9);
  lg.floor = 1e-3;
  g_assert_cmpfloat_with_epsilon (triad_axis_map (&lg, 0), -300, 1e-9);
  /* 10 GB is a third of the way from 180 up to 20 */
  g_assert_cmpfloat_with_epsilon (triad_axis_map (&lin, 10e9), 180 - 160.0 / 3, 1e-9);
}

static void
test_axis_labels (void)
{
  static const struct { double v; TriadAxisUnit unit; const char *label; } cases[] = {
    /* context lengths told in binary thousands when they are ones: 8192 = 8 × 1024 */
    { 8192, TRIAD_AXIS_TOKENS, "8 k" },
    { 131072, TRIAD_AXIS_TOKENS, "128 k" },
    { 100000, TRIAD_AXIS_TOKENS, "100 k" },
    { 1500, TRIAD_AXIS_TOKENS, "1.5 k" },
    { 1e6, TRIAD_AXIS_TOKENS, "1 M" },
    { 1048576, TRIAD_AXIS_TOKENS, "1 M" },
    { 500, TRIAD_AXIS_TOKENS, "500" },
    { 1e12, TRIAD_AXIS_POWERS_OF_TEN, "10¹²" },
    { 1e-3, TRIAD_AXIS_POWERS_OF_TEN, "10⁻³" },
    /* three significant digits: 1.25 GB and 97.7 GB (97.66 rounded), 512 bytes whole */
    { 1.25e9, TRIAD_AXIS_BYTES, "1.25 GB" },
    { 97.66e9, TRIAD_AXIS_BYTES, "97.7 GB" },
    { 512, TRIAD_AXIS_BYTES, "512 B" },
    { 0, TRIAD_AXIS_BYTES, "0" },
  };

  set_english ();
  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autofree char *label = triad_axis_label (cases[i].v, cases[i].unit);

      g_assert_cmpstr (label, ==, cases[i].label);
    }
}

/* A vertical axis from 0 to 30 GB over rows 180 … 20 draws its grid lines on rows 180,
 * 127 (126.7 rounded), 73 and 20, and nothing between them. */
static void
test_axis_draw_y (void)
{
  TriadAxis a = { .lo = 0, .hi = 30e9, .log = FALSE, .p0 = 180, .p1 = 20 };
  cairo_surface_t *surface = cairo_image_surface_create (CAIRO_FORMAT_ARGB32, 200, 200);
  cairo_t *cr = cairo_create (surface);
  TriadFigureStyle style;
  TriadText text;
  const guint8 *data;
  int stride;
  static const int lines[] = { 180, 127, 73, 20 }, gaps[] = { 150, 100, 50, 30 };

  triad_figure_style_init (&style, FALSE);
  triad_text_init (&text, cr, &style);
  triad_axis_draw_y (&text, &style, &a, TRIAD_AXIS_BYTES, 0, 100, 190);
  triad_text_clear (&text);
  cairo_surface_flush (surface);
  data = cairo_image_surface_get_data (surface);
  stride = cairo_image_surface_get_stride (surface);
  /* the alpha of the pixel at column 150, inside the grid */
  for (guint i = 0; i < G_N_ELEMENTS (lines); i++)
    g_assert_cmpuint (((const guint32 *) (data + lines[i] * stride))[150] >> 24, >, 0);
  for (guint i = 0; i < G_N_ELEMENTS (gaps); i++)
    g_assert_cmpuint (((const guint32 *) (data + gaps[i] * stride))[150] >> 24, ==, 0);
  /* and the labels left of the axis: ink left of x = 100 at the 10 GB row */
  {
    gboolean ink = FALSE;

    for (int x = 0; x < 95 && !ink; x++)
      for (int y = 120; y < 134 && !ink; y++)
        ink = ((const guint32 *) (data + y * stride))[x] >> 24 > 0;
    g_assert_true (ink);
  }
  cairo_destroy (cr);
  cairo_surface_destroy (surface);
}

/* The rightmost column with ink in a 400 × 40 image, -1 for none. */
static int
rightmost_ink (cairo_surface_t *surface)
{
  const guint8 *data;
  int stride, right = -1;

  cairo_surface_flush (surface);
  data = cairo_image_surface_get_data (surface);
  stride = cairo_image_surface_get_stride (surface);
  for (int y = 0; y < 40; y++)
    for (int x = 0; x < 400; x++)
      if (((const guint32 *) (data + y * stride))[x] >> 24 > 0)
        right = MAX (right, x);
  return right;
}

/* A label within its room: whole where it fits, elided to the room where it does not, and
 * left out where the room holds less than "00…" (about 27 units at 12: two digits of 7.6 and
 * the ellipsis' 12). "Context length (tokens per sequence)" at 12 units runs about 230. */
static void
test_label_within (void)
{
  static const double rooms[] = { -1.0, 300.0, 100.0, 20.0 };
  int right[G_N_ELEMENTS (rooms)];

  for (guint i = 0; i < G_N_ELEMENTS (rooms); i++)
    {
      cairo_surface_t *surface = cairo_image_surface_create (CAIRO_FORMAT_ARGB32, 400, 40);
      cairo_t *cr = cairo_create (surface);
      TriadFigureStyle style;
      TriadText text;

      triad_figure_style_init (&style, FALSE);
      triad_text_init (&text, cr, &style);
      triad_chart_label_within (&text, "Context length (tokens per sequence)", 12.0, FALSE,
                                10.0, 20.0, 0.0, 0.0, 0.5, rooms[i], style.fg);
      triad_text_clear (&text);
      right[i] = rightmost_ink (surface);
      cairo_destroy (cr);
      cairo_surface_destroy (surface);
    }
  /* no room given, or room enough: the whole label, past x = 10 + 200 */
  g_assert_cmpint (right[0], >, 210);
  g_assert_cmpint (right[1], ==, right[0]);
  /* 100 units: elided, its ink ends by x = 110 and well past the start */
  g_assert_cmpint (right[2], <=, 111);
  g_assert_cmpint (right[2], >, 60);
  /* 20 units: nothing */
  g_assert_cmpint (right[3], ==, -1);
}

/* On a slide 720 units tall the type is sized from the slide: body text (10 units before the
 * scale) 2.25 % of 720 = 16.2, a scale of 1.62 whatever font_scale says below it, and no word
 * under 1.9 % of 720 = 13.68, so a label asked for at 5 units is set at 13.68. Off a surface,
 * font_scale alone and no floor. */
static void
test_surface_type (void)
{
  TriadFigureStyle style;
  TriadText text;
  g_autoptr(PangoLayout) small = NULL;
  g_autoptr(PangoLayout) floor_size = NULL;
  double w, h_small, h_floor;

  triad_figure_style_init (&style, FALSE);
  g_assert_cmpfloat (triad_figure_style_font_scale (&style), ==, 1.0);
  g_assert_cmpfloat (triad_figure_style_min_text (&style), ==, 0.0);
  style.surface_height = 720.0;
  g_assert_cmpfloat_with_epsilon (triad_figure_style_font_scale (&style), 1.62, 1e-9);
  g_assert_cmpfloat_with_epsilon (triad_figure_style_min_text (&style), 13.68, 1e-9);
  /* a font scale above the surface's wins: 2 × 10 = 20 units of body text */
  style.font_scale = 2.0;
  g_assert_cmpfloat_with_epsilon (triad_figure_style_font_scale (&style), 2.0, 1e-9);
  style.font_scale = 1.0;

  triad_text_init (&text, NULL, &style);
  small = triad_text_layout (&text, "Hg", 5.0, FALSE, -1);
  floor_size = triad_text_layout (&text, "Hg", 13.68, FALSE, -1);
  triad_text_size (small, &w, &h_small);
  triad_text_size (floor_size, &w, &h_floor);
  triad_text_clear (&text);
  g_assert_cmpfloat_with_epsilon (h_small, h_floor, 1e-6);
  g_assert_cmpfloat (h_small, >, 13.0);
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/figures/axis/log-bytes", test_axis_log_bytes);
  g_test_add_func ("/figures/axis/linear-bytes", test_axis_linear_bytes);
  g_test_add_func ("/figures/axis/linear-ms", test_axis_linear_ms);
  g_test_add_func ("/figures/axis/log-binary", test_axis_log_binary);
  g_test_add_func ("/figures/axis/log-flags", test_axis_log_flags);
  g_test_add_func ("/figures/axis/nice-step", test_axis_nice_step);
  g_test_add_func ("/figures/axis/map", test_axis_map);
  g_test_add_func ("/figures/axis/labels", test_axis_labels);
  g_test_add_func ("/figures/axis/label-within", test_label_within);
  g_test_add_func ("/figures/axis/surface-type", test_surface_type);
  g_test_add_func ("/figures/axis/draw-y", test_axis_draw_y);
  return g_test_run ();
}
