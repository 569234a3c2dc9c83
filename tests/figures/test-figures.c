/* test-figures.c — colour maps, layouts and hit tests, pixels drawn, PNG export and the
 * export command. */
#include "config.h"

#include <errno.h>
#include <math.h>
#include <stdio.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>
#include <glib/gstdio.h>

#include "cli/cli.h"
#include "figures/figures.h"
#include "../engine/test-common.h"

/* ---- helpers ------------------------------------------------------------------------- */

static guint32
hex_of (const guint8 rgb[3])
{
  return (guint32) rgb[0] << 16 | (guint32) rgb[1] << 8 | rgb[2];
}

static guint32
cmap_hex (TriadColormap cmap,
          double        t)
{
  guint8 rgb[3];

  triad_colormap_rgb (cmap, t, rgb);
  return hex_of (rgb);
}

/* The 0xRRGGBB of an opaque pixel of an ARGB32 or RGB24 surface. */
static guint32
pixel_at (cairo_surface_t *surface,
          double           x,
          double           y)
{
  guint8 *data;
  int stride, xi = (int) floor (x), yi = (int) floor (y);

  cairo_surface_flush (surface);
  data = cairo_image_surface_get_data (surface);
  stride = cairo_image_surface_get_stride (surface);
  g_assert_cmpint (xi, >=, 0);
  g_assert_cmpint (yi, >=, 0);
  g_assert_cmpint (xi, <, cairo_image_surface_get_width (surface));
  g_assert_cmpint (yi, <, cairo_image_surface_get_height (surface));
  return *(guint32 *) (data + (size_t) yi * stride + 4 * (size_t) xi) & 0xffffff;
}

static void
assert_near (guint32 got,
             guint32 want)
{
  for (int shift = 0; shift <= 16; shift += 8)
    g_assert_cmpint (ABS ((int) ((got >> shift) & 0xff) - (int) ((want >> shift) & 0xff)), <=,
                     8);
}

typedef struct {
  const TriadHeatmap     *hm;
  const TriadFigureStyle *style;
} HeatmapDraw;

static void
draw_heatmap (cairo_t  *cr,
              double    width,
              double    height,
              gpointer  user_data)
{
  HeatmapDraw *d = user_data;

  triad_heatmap_draw (cr, d->hm, d->style, width, height);
}

static cairo_surface_t *
render_heatmap (const TriadHeatmap     *hm,
                const TriadFigureStyle *style,
                int                     width,
                int                     height)
{
  cairo_surface_t *surface = cairo_image_surface_create (CAIRO_FORMAT_ARGB32, width, height);
  cairo_t *cr = cairo_create (surface);

  triad_heatmap_draw (cr, hm, style, width, height);
  g_assert_cmpint (cairo_status (cr), ==, CAIRO_STATUS_SUCCESS);
  cairo_destroy (cr);
  return surface;
}

static GStrv
letter_labels (int n)
{
  GStrv labels = g_new0 (char *, n + 1);

  for (int i = 0; i < n; i++)
    labels[i] = g_strdup_printf ("%c%d", 'a' + i % 26, i);
  return labels;
}

/* ---- colour maps and normalisation --------------------------------------------------- */

static void
test_colormap_endpoints (void)
{
  /* matplotlib's published values, as matplotlib.colors.to_hex gives them */
  g_assert_cmphex (cmap_hex (TRIAD_COLORMAP_VIRIDIS, 0.0), ==, 0x440154);
  g_assert_cmphex (cmap_hex (TRIAD_COLORMAP_VIRIDIS, 1.0), ==, 0xfde725);
  g_assert_cmphex (cmap_hex (TRIAD_COLORMAP_MAGMA, 0.0), ==, 0x000004);
  g_assert_cmphex (cmap_hex (TRIAD_COLORMAP_MAGMA, 1.0), ==, 0xfcfdbf);
  g_assert_cmphex (cmap_hex (TRIAD_COLORMAP_CIVIDIS, 0.0), ==, 0x00224e);
  g_assert_cmphex (cmap_hex (TRIAD_COLORMAP_CIVIDIS, 1.0), ==, 0xfee838);
  /* and inside, where matplotlib picks entry floor (t · 256) */
  g_assert_cmphex (cmap_hex (TRIAD_COLORMAP_VIRIDIS, 0.25), ==, 0x3b528b);
  g_assert_cmphex (cmap_hex (TRIAD_COLORMAP_VIRIDIS, 0.5), ==, 0x21918c);
  g_assert_cmphex (cmap_hex (TRIAD_COLORMAP_MAGMA, 0.5), ==, 0xb73779);
  g_assert_cmphex (cmap_hex (TRIAD_COLORMAP_CIVIDIS, 0.5), ==, 0x7d7c78);
  g_assert_cmphex (cmap_hex (TRIAD_COLORMAP_GREY, 0.0), ==, 0x000000);
  g_assert_cmphex (cmap_hex (TRIAD_COLORMAP_GREY, 0.5), ==, 0x808080);
  g_assert_cmphex (cmap_hex (TRIAD_COLORMAP_GREY, 1.0), ==, 0xffffff);
  /* out of range and NaN clamp to the ends */
  g_assert_cmphex (cmap_hex (TRIAD_COLORMAP_VIRIDIS, -3.0), ==, 0x440154);
  g_assert_cmphex (cmap_hex (TRIAD_COLORMAP_VIRIDIS, 7.0), ==, 0xfde725);
  g_assert_cmphex (cmap_hex (TRIAD_COLORMAP_VIRIDIS, NAN), ==, 0x440154);
}

static void
test_colormap_names (void)
{
  const char *names[] = { "viridis", "magma", "cividis", "grey" };
  TriadColormap cmap;
  TriadNormalization norm;

  for (int i = 0; i < TRIAD_N_COLORMAPS; i++)
    {
      g_assert_cmpstr (triad_colormap_to_string (i), ==, names[i]);
      g_assert_true (triad_colormap_from_string (names[i], &cmap));
      g_assert_cmpint (cmap, ==, i);
    }
  g_assert_false (triad_colormap_from_string ("jet", &cmap));
  g_assert_false (triad_colormap_from_string (NULL, &cmap));

  g_assert_cmpstr (triad_norm_to_string (TRIAD_NORM_GLOBAL), ==, "global");
  g_assert_cmpstr (triad_norm_to_string (TRIAD_NORM_ROW), ==, "row");
  g_assert_cmpstr (triad_norm_to_string (TRIAD_NORM_LOG), ==, "log");
  for (int i = 0; i < TRIAD_N_NORMS; i++)
    {
      g_assert_true (triad_norm_from_string (triad_norm_to_string (i), &norm));
      g_assert_cmpint (norm, ==, i);
    }
  g_assert_false (triad_norm_from_string ("linear", &norm));
}

static void
test_norm_apply (void)
{
  /* global: w / the matrix's largest weight */
  g_assert_cmpfloat_with_epsilon (triad_norm_apply (TRIAD_NORM_GLOBAL, 0.25, 0.9, 0.5), 0.5,
                                  1e-12);
  g_assert_cmpfloat_with_epsilon (triad_norm_apply (TRIAD_NORM_GLOBAL, 0.5, 0.9, 0.5), 1.0,
                                  1e-12);
  g_assert_cmpfloat (triad_norm_apply (TRIAD_NORM_GLOBAL, 0.3, 0.3, 0.0), ==, 0.0);
  /* row: w / the row's largest weight */
  g_assert_cmpfloat_with_epsilon (triad_norm_apply (TRIAD_NORM_ROW, 0.1, 0.4, 1.0), 0.25,
                                  1e-12);
  g_assert_cmpfloat_with_epsilon (triad_norm_apply (TRIAD_NORM_ROW, 0.4, 0.4, 1.0), 1.0, 1e-12);
  g_assert_cmpfloat (triad_norm_apply (TRIAD_NORM_ROW, 0.0, 0.0, 1.0), ==, 0.0);
  /* log: (log10 w + 4) / 4 over [1e-4, 1] */
  g_assert_cmpfloat_with_epsilon (triad_norm_apply (TRIAD_NORM_LOG, 1.0, 0, 0), 1.0, 1e-12);
  g_assert_cmpfloat_with_epsilon (triad_norm_apply (TRIAD_NORM_LOG, 1e-2, 0, 0), 0.5, 1e-12);
  g_assert_cmpfloat_with_epsilon (triad_norm_apply (TRIAD_NORM_LOG, 1e-3, 0, 0), 0.25, 1e-12);
  g_assert_cmpfloat_with_epsilon (triad_norm_apply (TRIAD_NORM_LOG, 1e-4, 0, 0), 0.0, 1e-12);
  g_assert_cmpfloat (triad_norm_apply (TRIAD_NORM_LOG, 1e-9, 0, 0), ==, 0.0);
  g_assert_cmpfloat (triad_norm_apply (TRIAD_NORM_LOG, 0.0, 0, 0), ==, 0.0);
  /* nothing leaves [0, 1] */
  g_assert_cmpfloat (triad_norm_apply (TRIAD_NORM_GLOBAL, 2.0, 1, 1), ==, 1.0);
  g_assert_cmpfloat (triad_norm_apply (TRIAD_NORM_ROW, -1.0, 1, 1), ==, 0.0);
  g_assert_cmpfloat (triad_norm_apply (TRIAD_NORM_LOG, NAN, 1, 1), ==, 0.0);
}

/* ---- heatmap ------------------------------------------------------------------------- */

static void
test_heatmap_hit (void)
{
  enum { N_Q = 8, N_K = 6 };
  float weights[N_Q * N_K];
  g_auto(GStrv) q_labels = letter_labels (N_Q);
  g_auto(GStrv) k_labels = letter_labels (N_K);
  TriadHeatmap hm = {
    .weights = weights, .n_q = N_Q, .n_k = N_K,
    .q_labels = (const char * const *) q_labels, .k_labels = (const char * const *) k_labels,
    .title = "Decoder · layer 1 · head 0", .colorbar_label = "attention weight",
    .cmap = TRIAD_COLORMAP_VIRIDIS, .norm = TRIAD_NORM_GLOBAL,
    .hover_q = -1, .hover_k = -1, .show_colorbar = TRUE,
  };
  TriadFigureStyle style;
  TriadHeatmapLayout l;
  int q, k;

  for (int i = 0; i < N_Q * N_K; i++)
    weights[i] = (float) i / (N_Q * N_K);
  triad_figure_style_init (&style, FALSE);
  triad_heatmap_layout (&hm, &style, 700, 500, &l);

  g_assert_cmpfloat (l.cell_w, >, 0.0);
  g_assert_cmpfloat_with_epsilon (l.width, l.cell_w * N_K, 1e-9);
  g_assert_cmpfloat_with_epsilon (l.height, l.cell_h * N_Q, 1e-9);
  g_assert_cmpfloat (l.x + l.width, <=, l.colorbar_x);
  g_assert_cmpfloat (l.colorbar_x + l.colorbar_w, <=, 700);
  g_assert_cmpfloat (l.y + l.height, <=, 500);
  for (int qi = 0; qi < N_Q; qi++)
    for (int ki = 0; ki < N_K; ki++)
      {
        double cx = l.x + (ki + 0.5) * l.cell_w, cy = l.y + (qi + 0.5) * l.cell_h;

        g_assert_true (triad_heatmap_hit (&l, &hm, cx, cy, &q, &k));
        g_assert_cmpint (q, ==, qi);
        g_assert_cmpint (k, ==, ki);
      }
  /* the corners of the matrix belong to it; just outside does not */
  g_assert_true (triad_heatmap_hit (&l, &hm, l.x, l.y, &q, &k));
  g_assert_cmpint (q, ==, 0);
  g_assert_cmpint (k, ==, 0);
  g_assert_true (triad_heatmap_hit (&l, &hm, l.x + l.width - 0.01, l.y + l.height - 0.01,
                                    &q, &k));
  g_assert_cmpint (q, ==, N_Q - 1);
  g_assert_cmpint (k, ==, N_K - 1);
  g_assert_false (triad_heatmap_hit (&l, &hm, l.x - 0.5, l.y + 1, &q, &k));
  g_assert_false (triad_heatmap_hit (&l, &hm, l.x + 1, l.y - 0.5, &q, &k));
  g_assert_false (triad_heatmap_hit (&l, &hm, l.x + l.width, l.y + 1, &q, &k));
  g_assert_false (triad_heatmap_hit (&l, &hm, l.x + 1, l.y + l.height, &q, &k));
  g_assert_false (triad_heatmap_hit (&l, &hm, 1, 1, &q, &k));
  g_assert_false (triad_heatmap_hit (&l, &hm, l.colorbar_x + 1, l.colorbar_y + 1, &q, &k));
}

static void
test_heatmap_labels (void)
{
  enum { BIG = 4096 };
  g_autofree float *weights = g_new0 (float, (size_t) BIG * BIG);
  g_auto(GStrv) labels = letter_labels (BIG);
  TriadHeatmap hm = {
    .weights = weights, .n_q = 8, .n_k = 8,
    .q_labels = (const char * const *) labels, .k_labels = (const char * const *) labels,
    .title = "Encoder · layer 0 · head 0",
    .cmap = TRIAD_COLORMAP_VIRIDIS, .norm = TRIAD_NORM_GLOBAL,
    .hover_q = -1, .hover_k = -1, .show_colorbar = TRUE,
  };
  TriadFigureStyle style;
  TriadHeatmapLayout l;
  cairo_surface_t *surface;
  gint64 start;

  triad_figure_style_init (&style, FALSE);

  /* 8 tokens at 1000 units: big cells, labels shown at the largest size */
  triad_heatmap_layout (&hm, &style, 1000, 1000, &l);
  g_assert_true (l.show_q_labels);
  g_assert_true (l.show_k_labels);
  g_assert_cmpfloat (l.label_size, >=, 7.0);
  g_assert_cmpfloat (l.label_size, <=, 12.0);
  g_assert_cmpfloat (l.cell_h, >=, l.label_size);
  /* the labels' room is left of and above the matrix */
  g_assert_cmpfloat (l.x, >, 12.0 + 10.0);
  g_assert_cmpfloat (l.y, >, 12.0 + 10.0);

  /* twice the font scale, twice the bounds */
  style.font_scale = 2.0;
  triad_heatmap_layout (&hm, &style, 1000, 1000, &l);
  g_assert_true (l.show_q_labels);
  g_assert_cmpfloat (l.label_size, >=, 14.0);
  g_assert_cmpfloat (l.label_size, <=, 24.0);
  style.font_scale = 1.0;

  /* labels appear only when a cell is tall enough for them */
  hm.n_q = hm.n_k = 200;
  triad_heatmap_layout (&hm, &style, 1000, 1000, &l);
  g_assert_false (l.show_q_labels);
  g_assert_false (l.show_k_labels);
  hm.n_q = hm.n_k = 60;
  triad_heatmap_layout (&hm, &style, 1000, 1000, &l);
  g_assert_true (l.show_q_labels);
  g_assert_cmpfloat (l.cell_h, >=, l.label_size);
  g_assert_cmpfloat (l.label_size, <, 12.0);

  /* on a 1280 × 720 slide 60 tokens get cells of about 10 units (measured 10.08: 720 less the
   * pads, the title and the labels' band, over 60), under the slide's smallest type, 1.9 % of
   * 720 = 13.68: labels at that size, every other one (2 × 10.08 ≥ 13.68), never smaller. In a
   * window at the same size they are set smaller, every one (measured 8.12 in cells of 10.82) */
  style.surface_height = 720.0;
  triad_heatmap_layout (&hm, &style, 1280, 720, &l);
  g_assert_true (l.show_q_labels);
  g_assert_cmpfloat (l.label_size, >=, 13.68 - 1e-9);
  g_assert_cmpfloat (l.cell_h, <, l.label_size);
  g_assert_cmpint (l.label_step, ==, 2);
  g_assert_cmpfloat (l.cell_h * l.label_step, >=, l.label_size);
  style.surface_height = 0.0;
  triad_heatmap_layout (&hm, &style, 1280, 720, &l);
  g_assert_true (l.show_q_labels);
  g_assert_cmpint (l.label_step, ==, 1);
  g_assert_cmpfloat (l.label_size, <, 13.68);
  g_assert_cmpfloat (l.cell_h, >=, l.label_size);

  /* 4,096 tokens at 1000 units: a fifth of a unit a cell, no labels, and it still draws */
  hm.n_q = hm.n_k = BIG;
  for (int i = 0; i < BIG; i++)
    weights[(size_t) i * BIG + i] = 1.0f;
  triad_heatmap_layout (&hm, &style, 1000, 1000, &l);
  g_assert_false (l.show_q_labels);
  g_assert_false (l.show_k_labels);
  g_assert_cmpfloat (l.cell_w, <, 0.25);
  start = g_get_monotonic_time ();
  surface = render_heatmap (&hm, &style, 1000, 1000);
  g_test_message ("4096 × 4096 heatmap drawn in %.0f ms",
                  (g_get_monotonic_time () - start) / 1000.0);
  cairo_surface_destroy (surface);
}

static void
test_heatmap_pixels (void)
{
  const float identity[4] = { 1, 0, 0, 1 };
  const float rows[4] = { 0.5f, 0.25f, 0.0f, 1.0f };
  const char *labels[] = { "x", "y", NULL };
  TriadHeatmap hm = {
    .weights = identity, .n_q = 2, .n_k = 2, .q_labels = labels, .k_labels = labels,
    .title = "identity", .cmap = TRIAD_COLORMAP_VIRIDIS, .norm = TRIAD_NORM_GLOBAL,
    .hover_q = -1, .hover_k = -1, .show_colorbar = TRUE,
  };
  TriadFigureStyle style;
  TriadHeatmapLayout l;
  cairo_surface_t *surface, *cached;

  triad_figure_style_init (&style, FALSE);
  triad_heatmap_layout (&hm, &style, 400, 300, &l);
  surface = render_heatmap (&hm, &style, 400, 300);
#define CELL(q, k) pixel_at (surface, l.x + ((k) + 0.5) * l.cell_w, l.y + ((q) + 0.5) * l.cell_h)
  g_assert_cmphex (CELL (0, 0), ==, 0xfde725);
  g_assert_cmphex (CELL (0, 1), ==, 0x440154);
  g_assert_cmphex (CELL (1, 0), ==, 0x440154);
  g_assert_cmphex (CELL (1, 1), ==, 0xfde725);
  g_assert_cmphex (pixel_at (surface, 1, 1), ==, 0xffffff);
  /* the colour bar: its top is the map's top, its bottom the map's bottom (a pixel or two in,
   * where the neighbouring entries differ by a few levels) */
  assert_near (pixel_at (surface, l.colorbar_x + l.colorbar_w / 2, l.colorbar_y + 2), 0xfde725);
  assert_near (pixel_at (surface, l.colorbar_x + l.colorbar_w / 2,
                         l.colorbar_y + l.colorbar_h - 2), 0x440154);

  /* the same from a cached image of the cells */
  hm.cells = triad_heatmap_render_cells (&hm);
  cached = render_heatmap (&hm, &style, 400, 300);
  g_assert_cmpmem (cairo_image_surface_get_data (surface),
                   cairo_image_surface_get_stride (surface) * 300,
                   cairo_image_surface_get_data (cached),
                   cairo_image_surface_get_stride (cached) * 300);
  cairo_surface_destroy (hm.cells);
  hm.cells = NULL;
  cairo_surface_destroy (cached);
  cairo_surface_destroy (surface);

  /* row normalisation: each row by its own largest weight; magma */
  hm.weights = rows;
  hm.norm = TRIAD_NORM_ROW;
  hm.cmap = TRIAD_COLORMAP_MAGMA;
  surface = render_heatmap (&hm, &style, 400, 300);
  g_assert_cmphex (CELL (0, 0), ==, 0xfcfdbf);
  g_assert_cmphex (CELL (0, 1), ==, cmap_hex (TRIAD_COLORMAP_MAGMA, 0.5));
  g_assert_cmphex (CELL (1, 0), ==, 0x000004);
  g_assert_cmphex (CELL (1, 1), ==, 0xfcfdbf);
  cairo_surface_destroy (surface);

  /* dark theme: the background, and the hovered cell outlined in the accent colour without
   * changing the cell's own middle */
  triad_figure_style_init (&style, TRUE);
  hm.hover_q = 0;
  hm.hover_k = 1;
  triad_heatmap_layout (&hm, &style, 400, 300, &l);
  surface = render_heatmap (&hm, &style, 400, 300);
  g_assert_cmphex (pixel_at (surface, 1, 1), ==, 0x242424);
  g_assert_cmphex (CELL (0, 1), ==, cmap_hex (TRIAD_COLORMAP_MAGMA, 0.5));
  g_assert_cmphex (pixel_at (surface, l.x + 2 * l.cell_w, l.y + 0.5 * l.cell_h), ==, 0x78aeed);
  cairo_surface_destroy (surface);
#undef CELL
}

/* ---- export -------------------------------------------------------------------------- */

static void
test_export_sizes (void)
{
  const float identity[4] = { 1, 0, 0, 1 };
  const char *labels[] = { "да", "нет", NULL };
  TriadHeatmap hm = {
    .weights = identity, .n_q = 2, .n_k = 2, .q_labels = labels, .k_labels = labels,
    .title = "Кириллица", .cmap = TRIAD_COLORMAP_CIVIDIS, .norm = TRIAD_NORM_LOG,
    .hover_q = -1, .hover_k = -1, .show_colorbar = TRUE,
  };
  TriadFigureStyle style;
  HeatmapDraw d = { &hm, &style };
  g_autofree char *dir = test_tmpdir ();
  g_autofree char *path = g_build_filename (dir, "figure.png", NULL);
  const double scales[] = { 1, 2, 4 };

  triad_figure_style_init (&style, FALSE);
  for (guint i = 0; i < G_N_ELEMENTS (scales); i++)
    {
      g_autoptr(GError) error = NULL;
      cairo_surface_t *png;
      g_autoptr(GDir) listing = NULL;
      int n_files = 0;

      g_assert_true (triad_figure_export_png (path, 301.5, 200.25, scales[i], draw_heatmap, &d,
                                              &error));
      g_assert_no_error (error);
      png = cairo_image_surface_create_from_png (path);
      g_assert_cmpint (cairo_surface_status (png), ==, CAIRO_STATUS_SUCCESS);
      g_assert_cmpint (cairo_image_surface_get_width (png), ==, (int) ceil (301.5 * scales[i]));
      g_assert_cmpint (cairo_image_surface_get_height (png), ==,
                       (int) ceil (200.25 * scales[i]));
      g_assert_cmphex (pixel_at (png, 0, 0), ==, 0xffffff);
      cairo_surface_destroy (png);
      /* no temporary file is left beside it */
      listing = g_dir_open (dir, 0, NULL);
      while (g_dir_read_name (listing) != NULL)
        n_files++;
      g_assert_cmpint (n_files, ==, 1);
    }
  test_rmdir (dir);
}

static void
assert_no_file_in (const char *dir)
{
  g_autoptr(GDir) listing = g_dir_open (dir, 0, NULL);

  if (listing != NULL)
    g_assert_null (g_dir_read_name (listing));
}

static void
test_export_missing_folder (void)
{
  const float one[1] = { 1 };
  TriadHeatmap hm = { .weights = one, .n_q = 1, .n_k = 1, .hover_q = -1, .hover_k = -1 };
  TriadFigureStyle style;
  HeatmapDraw d = { &hm, &style };
  g_autofree char *dir = test_tmpdir ();
  g_autofree char *missing = g_build_filename (dir, "no-such-folder", NULL);
  g_autofree char *path = g_build_filename (missing, "figure.png", NULL);
  g_autoptr(GError) error = NULL;

  triad_figure_style_init (&style, FALSE);
  g_assert_false (triad_figure_export_png (path, 100, 100, 1, draw_heatmap, &d, &error));
  g_assert_error (error, G_FILE_ERROR, G_FILE_ERROR_NOENT);
  g_assert_nonnull (strstr (error->message, path));
  g_assert_false (g_file_test (missing, G_FILE_TEST_EXISTS));
  assert_no_file_in (dir);
  test_rmdir (dir);
}

/* Whether this process, being root, may become nobody: in a child, so nothing changes here. */
static gboolean
can_become_nobody (void)
{
  int status = 0;
  pid_t pid = fork ();

  if (pid == 0)
    _exit (setgid (65534) == 0 && setuid (65534) == 0 ? 0 : 1);
  if (pid < 0 || waitpid (pid, &status, 0) != pid)
    return FALSE;
  return WIFEXITED (status) && WEXITSTATUS (status) == 0;
}

/* A folder no one may write to. Root ignores permissions, so as root the export runs in a
 * subprocess that first becomes nobody. */
static void
test_export_read_only (void)
{
  g_autofree char *dir = NULL;

  if (g_test_subprocess ())
    {
      const float one[1] = { 1 };
      TriadHeatmap hm = { .weights = one, .n_q = 1, .n_k = 1, .hover_q = -1, .hover_k = -1 };
      TriadFigureStyle style;
      HeatmapDraw d = { &hm, &style };
      const char *ro = g_getenv ("TRIAD_TEST_RO_DIR");
      g_autofree char *path = g_build_filename (ro, "figure.png", NULL);
      g_autoptr(GError) error = NULL;

      if (geteuid () == 0)
        g_assert_true (setgid (65534) == 0 && setuid (65534) == 0);
      triad_figure_style_init (&style, FALSE);
      g_assert_false (triad_figure_export_png (path, 100, 100, 1, draw_heatmap, &d, &error));
      g_assert_error (error, G_FILE_ERROR, G_FILE_ERROR_ACCES);
      g_assert_nonnull (strstr (error->message, path));
      g_assert_nonnull (strstr (error->message, "not writable"));
      return;
    }

  if (geteuid () == 0 && !can_become_nobody ())
    {
      g_test_skip ("running as root without the right to become another user");
      return;
    }
  dir = test_tmpdir ();
  /* readable and searchable by all, so nobody reaches it, and writable by none */
  g_assert_cmpint (g_chmod (dir, 0555), ==, 0);
  g_setenv ("TRIAD_TEST_RO_DIR", dir, TRUE);
  g_test_trap_subprocess (NULL, 0, G_TEST_SUBPROCESS_INHERIT_STDERR);
  g_unsetenv ("TRIAD_TEST_RO_DIR");
  g_chmod (dir, 0700);
  assert_no_file_in (dir);
  test_rmdir (dir);
  g_test_trap_assert_passed ();
}

/* ---- head grid and lines ------------------------------------------------------------- */

typedef struct {
  double x0, y0, x1, y1;
  int    n;
} Box;

/* Scans the figure on a fine lattice: where each index is hit, as boxes. */
static void
scan_hits (int (*hit) (gconstpointer, const TriadFigureStyle *, double, double, double, double),
           gconstpointer           view,
           const TriadFigureStyle *style,
           double                  width,
           double                  height,
           Box                    *boxes,
           int                     n)
{
  for (int i = 0; i < n; i++)
    boxes[i] = (Box) { G_MAXDOUBLE, G_MAXDOUBLE, -G_MAXDOUBLE, -G_MAXDOUBLE, 0 };
  for (double y = 0.25; y < height; y += 4.0)
    for (double x = 0.25; x < width; x += 4.0)
      {
        int i = hit (view, style, width, height, x, y);

        g_assert_cmpint (i, >=, -1);
        g_assert_cmpint (i, <, n);
        if (i < 0)
          continue;
        boxes[i].x0 = MIN (boxes[i].x0, x);
        boxes[i].y0 = MIN (boxes[i].y0, y);
        boxes[i].x1 = MAX (boxes[i].x1, x);
        boxes[i].y1 = MAX (boxes[i].y1, y);
        boxes[i].n++;
      }
}

static int
grid_hit (gconstpointer view, const TriadFigureStyle *style, double w, double h, double x,
          double y)
{
  return triad_head_grid_hit (view, style, w, h, x, y);
}

static int
lines_hit (gconstpointer view, const TriadFigureStyle *style, double w, double h, double x,
           double y)
{
  return triad_lines_hit (view, style, w, h, x, y);
}

static void
test_head_grid_hit (void)
{
  enum { H = 4, N = 5 };
  float weights[H * N * N];
  TriadHeadGrid grid = {
    .weights = weights, .n_heads = H, .n_q = N, .n_k = N, .title = "Encoder · layer 1",
    .cmap = TRIAD_COLORMAP_VIRIDIS, .norm = TRIAD_NORM_GLOBAL, .selected = 2, .hover = 1,
  };
  TriadFigureStyle style;
  Box boxes[H];
  cairo_surface_t *surface;
  cairo_t *cr;

  for (int i = 0; i < H * N * N; i++)
    weights[i] = (float) (i % 7) / 7.0f;
  triad_figure_style_init (&style, FALSE);
  scan_hits (grid_hit, &grid, &style, 600, 600, boxes, H);

  /* four heads in a square figure: two by two, in reading order */
  for (int h = 0; h < H; h++)
    g_assert_cmpint (boxes[h].n, >, 25);
  g_assert_cmpfloat (boxes[1].x0, >, boxes[0].x1);
  g_assert_cmpfloat_with_epsilon (boxes[1].y0, boxes[0].y0, 1e-9);
  g_assert_cmpfloat (boxes[2].y0, >, boxes[0].y1);
  g_assert_cmpfloat_with_epsilon (boxes[2].x0, boxes[0].x0, 1e-9);
  g_assert_cmpfloat (boxes[3].x0, >, boxes[2].x1);
  g_assert_cmpfloat (boxes[3].y0, >, boxes[1].y1);
  /* the title and the gaps belong to no head */
  g_assert_cmpint (triad_head_grid_hit (&grid, &style, 600, 600, 300, 5), ==, -1);
  g_assert_cmpint (triad_head_grid_hit (&grid, &style, 600, 600,
                                        (boxes[0].x1 + boxes[1].x0) / 2,
                                        (boxes[0].y0 + boxes[0].y1) / 2), ==, -1);
  g_assert_cmpint (triad_head_grid_hit (&grid, &style, 600, 600,
                                        (boxes[2].x0 + boxes[2].x1) / 2,
                                        (boxes[2].y0 + boxes[2].y1) / 2), ==, 2);

  /* eight heads in a wide figure: more columns than rows */
  {
    float wide[8 * N * N] = { 0 };
    Box eight[8];

    grid.weights = wide;
    grid.n_heads = 8;
    grid.title = NULL;
    scan_hits (grid_hit, &grid, &style, 800, 300, eight, 8);
    for (int h = 0; h < 8; h++)
      g_assert_cmpint (eight[h].n, >, 5);
    g_assert_cmpfloat_with_epsilon (eight[3].y0, eight[0].y0, 1e-9);
    g_assert_cmpfloat (eight[4].y0, >, eight[0].y1);
    grid.weights = weights;
    grid.n_heads = H;
  }

  /* it draws, with and without a colour bar */
  surface = cairo_image_surface_create (CAIRO_FORMAT_ARGB32, 600, 600);
  cr = cairo_create (surface);
  triad_head_grid_draw (cr, &grid, &style, 600, 600);
  grid.show_colorbar = TRUE;
  grid.colorbar_label = "attention weight";
  triad_head_grid_draw (cr, &grid, &style, 600, 600);
  g_assert_cmpint (cairo_status (cr), ==, CAIRO_STATUS_SUCCESS);
  cairo_destroy (cr);
  cairo_surface_destroy (surface);
}

static void
test_lines_hit (void)
{
  enum { N_Q = 5, N_K = 7 };
  float weights[N_Q * N_K] = { 0 };
  const char *q_labels[] = { "the", "cat", "sat", "on", "mat", NULL };
  const char *k_labels[] = { "le", "chat", "s’est", "assis", "sur", "le", "tapis", NULL };
  TriadLineView view = {
    .weights = weights, .n_q = N_Q, .n_k = N_K, .q_labels = q_labels, .k_labels = k_labels,
    .title = "lines", .hover_q = -1,
  };
  TriadFigureStyle style;
  Box boxes[N_Q];
  cairo_surface_t *surface;
  cairo_t *cr;

  for (int q = 0; q < N_Q; q++)
    weights[q * N_K + q] = 1.0f;
  triad_figure_style_init (&style, FALSE);
  scan_hits (lines_hit, &view, &style, 600, 400, boxes, N_Q);

  /* each query in the left column, top to bottom, none in the right half */
  for (int q = 0; q < N_Q; q++)
    {
      g_assert_cmpint (boxes[q].n, >, 3);
      g_assert_cmpfloat (boxes[q].x1, <, 300);
      if (q > 0)
        g_assert_cmpfloat (boxes[q].y0, >, boxes[q - 1].y1);
    }
  g_assert_cmpint (triad_lines_hit (&view, &style, 600, 400, 590, boxes[0].y0 + 1), ==, -1);
  g_assert_cmpint (triad_lines_hit (&view, &style, 600, 400, boxes[3].x1 - 1,
                                    (boxes[3].y0 + boxes[3].y1) / 2), ==, 3);

  surface = cairo_image_surface_create (CAIRO_FORMAT_ARGB32, 600, 400);
  cr = cairo_create (surface);
  triad_lines_draw (cr, &view, &style, 600, 400);
  view.hover_q = 2;
  triad_lines_draw (cr, &view, &style, 600, 400);
  g_assert_cmpint (cairo_status (cr), ==, CAIRO_STATUS_SUCCESS);
  cairo_destroy (cr);
  cairo_surface_destroy (surface);
}

/* ---- the export command -------------------------------------------------------------- */

typedef struct {
  char *dir;
  char *decoder;
  char *encdec;
} CliFixture;

static void
cli_set_up (CliFixture    *f,
            gconstpointer  data)
{
  TriadArch archs[] = { TRIAD_ARCH_DECODER, TRIAD_ARCH_ENCDEC };
  char **paths[] = { &f->decoder, &f->encdec };

  f->dir = test_tmpdir ();
  for (int i = 0; i < 2; i++)
    {
      g_autoptr(TriadModel) m = test_model (archs[i], 31 + i);
      g_autoptr(GError) error = NULL;

      m->tokenizer = test_tokenizer (m->config.vocab_size);
      *paths[i] = g_build_filename (f->dir, triad_arch_to_string (archs[i]), NULL);
      g_assert_true (triad_model_save (m, *paths[i], &error));
      g_assert_no_error (error);
    }
}

static void
cli_tear_down (CliFixture    *f,
               gconstpointer  data)
{
  test_rmdir (f->dir);
  g_free (f->dir);
  g_free (f->decoder);
  g_free (f->encdec);
}


static void
assert_png_size (const char *path,
                 int         width,
                 int         height)
{
  cairo_surface_t *png = cairo_image_surface_create_from_png (path);

  g_assert_cmpint (cairo_surface_status (png), ==, CAIRO_STATUS_SUCCESS);
  g_assert_cmpint (cairo_image_surface_get_width (png), ==, width);
  g_assert_cmpint (cairo_image_surface_get_height (png), ==, height);
  cairo_surface_destroy (png);
}

static void
test_cli_export (CliFixture    *f,
                 gconstpointer  data)
{
  g_autofree char *png = g_build_filename (f->dir, "attention.png", NULL);
  TestRun r;

  r = test_run_cli ("export", "--model", f->decoder, "--text", "abc dab", "--out", png,
                  "--width", "300", "--height", "200", "--scale", "2", NULL);
  g_assert_cmpstr (r.err, ==, "");
  g_assert_cmpint (r.status, ==, 0);
  g_assert_nonnull (strstr (r.out, "\"width\":600"));
  assert_png_size (png, 600, 200 * 2);
  test_run_clear (&r);

  /* the default size, and each figure */
  r = test_run_cli ("export", "--view", "attention", "--model", f->decoder, "--text", "abc", "--out", png,
                  NULL);
  g_assert_cmpint (r.status, ==, 0);
  assert_png_size (png, 1200, 1000);
  test_run_clear (&r);

  r = test_run_cli ("export", "--model", f->decoder, "--text", "abc", "--out", png, "--grid",
                  "--width", "400.5", "--height", "300", "--theme", "dark",
                  "--colormap", "magma", "--norm", "log", NULL);
  g_assert_cmpstr (r.err, ==, "");
  g_assert_cmpint (r.status, ==, 0);
  assert_png_size (png, 401, 300);
  test_run_clear (&r);

  r = test_run_cli ("export", "--model", f->decoder, "--text", "abc", "--out", png, "--average",
                  "--lines", "--layer", "0", "--width", "320", "--height", "240",
                  "--scale", "0.5", "--lang", "en", NULL);
  g_assert_cmpstr (r.err, ==, "");
  g_assert_cmpint (r.status, ==, 0);
  assert_png_size (png, 160, 120);
  test_run_clear (&r);

  r = test_run_cli ("export", "--model", f->encdec, "--text", "abc", "--target", "ba", "--kind", "cross",
                  "--head", "3", "--out", png, "--width", "256", "--height", "256",
                  "--colormap", "cividis", "--norm", "row", NULL);
  g_assert_cmpstr (r.err, ==, "");
  g_assert_cmpint (r.status, ==, 0);
  g_assert_nonnull (strstr (r.out, "cross-attention"));
  assert_png_size (png, 256, 256);
  test_run_clear (&r);
}

static void
test_cli_export_errors (CliFixture    *f,
                        gconstpointer  data)
{
  g_autofree char *png = g_build_filename (f->dir, "x.png", NULL);
  g_autofree char *missing = g_build_filename (f->dir, "missing", "x.png", NULL);
  struct {
    const char *args[8];
    int         status;
    const char *says;
  } cases[] = {
    { { "--view", "tokens" }, 2, "Unknown view “tokens”" },
    { { "--head", "0", "--average" }, 2, "--average" },
    { { "--grid", "--average" }, 2, "--average" },
    { { "--grid", "--lines" }, 2, "--lines" },
    { { "--layer", "2" }, 2, "Layer 2" },
    { { "--head", "4" }, 2, "Head 4" },
    { { "--layer", "-3" }, 2, "count from 0" },
    { { "--colormap", "jet" }, 2, "jet" },
    { { "--norm", "linear" }, 2, "linear" },
    { { "--theme", "sepia" }, 2, "sepia" },
    { { "--lang", "fr" }, 2, "fr" },
    { { "--kind", "cross" }, 2, "cross" },
    { { "--kind", "sideways" }, 2, "sideways" },
    { { "--width", "8" }, 2, "--width" },
    { { "--height", "20000" }, 2, "--height" },
    { { "--scale", "10" }, 2, "--scale" },
    { { "--scale", "0.1" }, 2, "--scale" },
    { { "--width", "16384", "--height", "16384", "--scale", "2" }, 2, "pixels" },
    { { "--width", "wide" }, 2, "wide" },
    { { "--font-scale", "9" }, 2, "--font-scale" },
  };

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autoptr(GPtrArray) args = g_ptr_array_new ();
      TestRun r = { 0 };
      size_t out_len, err_len;
      FILE *out = open_memstream (&r.out, &out_len);
      FILE *err = open_memstream (&r.err, &err_len);
      const char *base[] = { "export", "--model", f->decoder, "--text", "abc", "--out", png };

      for (guint a = 0; a < G_N_ELEMENTS (base); a++)
        g_ptr_array_add (args, (char *) base[a]);
      for (guint a = 0; cases[i].args[a] != NULL; a++)
        g_ptr_array_add (args, (char *) cases[i].args[a]);
      g_ptr_array_add (args, NULL);
      r.status = triad_cli_run (args->len - 1, (char **) args->pdata, out, err);
      fclose (out);
      fclose (err);
      g_test_message ("case %u: %s", i, r.err);
      g_assert_cmpint (r.status, ==, cases[i].status);
      g_assert_nonnull (strstr (r.err, cases[i].says));
      g_assert_false (g_file_test (png, G_FILE_TEST_EXISTS));
      test_run_clear (&r);
    }

  /* the required options */
  {
    TestRun r = test_run_cli ("export", "--model", f->decoder, "--text", "abc", NULL);

    g_assert_cmpint (r.status, ==, 2);
    g_assert_nonnull (strstr (r.err, "--out"));
    test_run_clear (&r);
  }

  /* a folder that does not exist is bad input, not bad usage, and the message names it */
  {
    TestRun r = test_run_cli ("export", "--model", f->decoder, "--text", "abc", "--out", missing, NULL);

    g_assert_cmpint (r.status, ==, 1);
    g_assert_nonnull (strstr (r.err, missing));
    g_assert_nonnull (strstr (r.err, "does not exist"));
    test_run_clear (&r);
  }
}

/* Grouped-query attention in the grid: 8 query heads over 4 K/V heads (groups of 2) in a wide
 * figure lie on one row, the gap between two groups wider than the gap inside one (14 px more
 * at font scale 1, measured on scan_hits' 4 px lattice: more than 5 px); in groups of 4 in a square figure no group is split across rows. Each
 * head is still found where it is drawn, and without groups the gaps are all alike. */
static void
test_head_grid_groups (void)
{
  enum { H = 8, N = 5 };
  float weights[H * N * N] = { 0 };
  TriadHeadGrid grid = {
    .weights = weights, .n_heads = H, .n_q = N, .n_k = N, .cmap = TRIAD_COLORMAP_VIRIDIS,
    .norm = TRIAD_NORM_GLOBAL, .selected = -1, .hover = -1, .kv_group = 2,
  };
  TriadFigureStyle style;
  Box boxes[H];

  triad_figure_style_init (&style, FALSE);
  g_assert_cmpint (triad_head_grid_n_groups (&grid), ==, 4);
  scan_hits (grid_hit, &grid, &style, 1600, 300, boxes, H);
  for (int h = 0; h < H; h++)
    {
      g_assert_cmpint (boxes[h].n, >, 25);
      g_assert_cmpfloat_with_epsilon (boxes[h].y0, boxes[0].y0, 1e-9);
    }
  for (int h = 0; h + 1 < H; h++)
    {
      double gap = boxes[h + 1].x0 - boxes[h].x1;
      double inside = boxes[1].x0 - boxes[0].x1;

      if (h % 2 == 1)
        g_assert_cmpfloat (gap, >, inside + 5.0);
      else
        g_assert_cmpfloat_with_epsilon (gap, inside, 4.5);
    }

  grid.kv_group = 4;
  g_assert_cmpint (triad_head_grid_n_groups (&grid), ==, 2);
  scan_hits (grid_hit, &grid, &style, 600, 600, boxes, H);
  for (int h = 0; h < H; h++)
    if (h % 4 != 0)
      g_assert_cmpfloat_with_epsilon (boxes[h].y0, boxes[h - 1].y0, 1e-9);

  /* multi-head attention: no groups, one gap */
  grid.kv_group = 1;
  g_assert_cmpint (triad_head_grid_n_groups (&grid), ==, 0);
  scan_hits (grid_hit, &grid, &style, 1600, 300, boxes, H);
  for (int h = 0; h + 1 < H; h++)
    if (boxes[h + 1].y0 == boxes[h].y0)
      g_assert_cmpfloat_with_epsilon (boxes[h + 1].x0 - boxes[h].x1, boxes[1].x0 - boxes[0].x1,
                                      4.5);
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/figures/colormap/endpoints", test_colormap_endpoints);
  g_test_add_func ("/figures/colormap/names", test_colormap_names);
  g_test_add_func ("/figures/norm/apply", test_norm_apply);
  g_test_add_func ("/figures/heatmap/hit", test_heatmap_hit);
  g_test_add_func ("/figures/heatmap/labels", test_heatmap_labels);
  g_test_add_func ("/figures/heatmap/pixels", test_heatmap_pixels);
  g_test_add_func ("/figures/export/sizes", test_export_sizes);
  g_test_add_func ("/figures/export/missing-folder", test_export_missing_folder);
  g_test_add_func ("/figures/export/read-only", test_export_read_only);
  g_test_add_func ("/figures/head-grid/hit", test_head_grid_hit);
  g_test_add_func ("/figures/head-grid/groups", test_head_grid_groups);
  g_test_add_func ("/figures/lines/hit", test_lines_hit);
  g_test_add ("/figures/cli/export", CliFixture, NULL, cli_set_up, test_cli_export,
              cli_tear_down);
  g_test_add ("/figures/cli/export-errors", CliFixture, NULL, cli_set_up,
              test_cli_export_errors, cli_tear_down);
  return g_test_run ();
}
