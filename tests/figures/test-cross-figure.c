/* test-cross-figure.c — the Cross-attention view's three linked panels laid out on a slide:
 * how much of its width they take, which token labels a long input keeps, and that the hit
 * test answers the cell drawn at each point. */
#include "config.h"

#include <math.h>

#include "figures/alignment.h"

#define W 1920
#define H 1080

typedef struct {
  int    n_src, n_tgt;
  float *enc, *dec, *cross;
  char **src, **tgt;
  TriadCrossFigure fig;
} Input;

/* Uniform weights over a sentence of n_src tokens translated into n_tgt, labelled "w0" … and
 * "слово0" …, with the gauge, as the view shows a finished translation. */
static void
input_init (Input *in,
            int    n_src,
            int    n_tgt)
{
  in->n_src = n_src;
  in->n_tgt = n_tgt;
  in->enc = g_new (float, (size_t) n_src * n_src);
  in->dec = g_new0 (float, (size_t) n_tgt * n_tgt);
  in->cross = g_new (float, (size_t) n_tgt * n_src);
  in->src = g_new0 (char *, n_src + 1);
  in->tgt = g_new0 (char *, n_tgt + 1);
  for (int i = 0; i < n_src * n_src; i++)
    in->enc[i] = 1.0f / n_src;
  for (int q = 0; q < n_tgt; q++)
    for (int k = 0; k <= q; k++)
      in->dec[q * n_tgt + k] = 1.0f / (q + 1);
  for (int i = 0; i < n_tgt * n_src; i++)
    in->cross[i] = 1.0f / n_src;
  for (int i = 0; i < n_src; i++)
    in->src[i] = g_strdup_printf ("w%d", i);
  for (int i = 0; i < n_tgt; i++)
    in->tgt[i] = g_strdup_printf ("слово%d", i);
  in->fig = (TriadCrossFigure) {
    .enc_self = in->enc, .dec_self = in->dec, .cross = in->cross,
    .n_src = n_src, .n_tgt = n_tgt, .n_shown = n_tgt,
    .src_labels = (const char * const *) in->src,
    .tgt_labels = (const char * const *) in->tgt,
    .title = "Encoder-decoder · layer 2 · mean of 4 heads",
    .cmap = TRIAD_COLORMAP_VIRIDIS,
    .hover = { -1, -1 },
    .cell_panel = TRIAD_CROSS_N_PANELS, .cell_row = -1, .cell_col = -1,
    .show_gauge = TRUE,
    .gauge = { n_tgt, n_tgt, 3072u * n_tgt, n_src, 3072u * n_src },
  };
}

static void
input_clear (Input *in)
{
  g_free (in->enc);
  g_free (in->dec);
  g_free (in->cross);
  g_strfreev (in->src);
  g_strfreev (in->tgt);
}

static void
slide_style (TriadFigureStyle *style)
{
  triad_figure_style_init (style, FALSE);
  style->surface_height = H;
}

/* A short sentence (8 source, 6 target tokens) on a 1920 × 1080 slide is limited by the
 * slide's height: with square cells its gauge, panels and colour bar spanned 60 % of the
 * width (measured before cells could widen: 16.6 % empty on the left, 23 % on the right).
 * Cells as wide as the width allows (at most twice their height) make them span at least
 * three quarters of it, with the cells wider than tall. */
static void
test_slide_width (void)
{
  TriadFigureStyle style;
  TriadCrossLayout l;
  Input in;
  double left, right;

  slide_style (&style);
  input_init (&in, 8, 6);
  triad_cross_figure_layout (&in.fig, &style, W, H, &l);
  left = l.gauge_x;
  right = l.colorbar_x + l.colorbar_w;
  g_test_message ("gauge from %.0f, colour bar to %.0f: %.1f %% of the width; cells %.1f × %.1f",
                  left, right, 100.0 * (right - left) / W, l.cell_w, l.cell_h);
  g_assert_cmpfloat (right - left, >=, 0.75 * W);
  g_assert_cmpfloat (right, <=, W);
  g_assert_cmpfloat (left, >=, 0.0);
  g_assert_cmpfloat (l.cell_w, >, l.cell_h);
  g_assert_cmpfloat (l.cell_w, <=, 2.0 * l.cell_h + 1e-9);
  /* the short sentence keeps every label */
  g_assert_true (l.show_labels);
  g_assert_cmpint (l.row_step, ==, 1);
  g_assert_cmpint (l.col_step, ==, 1);
  input_clear (&in);
}

/* A long input (40 source tokens, 12 target) on the slide leaves rows shorter than the
 * slide's smallest type (1.9 % of 1080 = 20.52 units): 52 rows share what the title, captions
 * and labels leave of 1080, about 12 units each (measured 12.33). Its labels showed none; now
 * every other row label shows (or every third), set as large as that step leaves room for:
 * no closer than a label's size, and no more dropped than that needs. */
static void
test_slide_long_labels (void)
{
  TriadFigureStyle style;
  TriadCrossLayout l;
  Input in;

  slide_style (&style);
  input_init (&in, 40, 12);
  triad_cross_figure_layout (&in.fig, &style, W, H, &l);
  g_test_message ("cells %.2f × %.2f, labels %.2f, every %d row and every %d column label",
                  l.cell_w, l.cell_h, l.label_size, l.row_step, l.col_step);
  g_assert_true (l.show_labels);
  g_assert_cmpfloat (l.label_size, >=, 0.019 * H - 1e-9);
  g_assert_cmpfloat (l.cell_h, <, l.label_size);
  g_assert_cmpint (l.row_step, >=, 2);
  g_assert_cmpint (l.row_step, <=, 3);
  g_assert_cmpfloat (l.row_step * l.cell_h, >=, l.label_size);
  g_assert_cmpfloat ((l.row_step - 1) * l.cell_h, <, l.label_size);
  g_assert_cmpint (l.col_step, >=, 1);
  g_assert_cmpfloat (l.col_step * l.cell_w, >=, l.label_size);
  g_assert_cmpfloat ((l.col_step - 1) * l.cell_w, <, l.label_size);
  input_clear (&in);
}

/* Pixels with any ink (alpha) in [x0, x1) × [y0, y1). */
static int
ink (cairo_surface_t *surface,
     int              x0,
     int              y0,
     int              x1,
     int              y1)
{
  const guint8 *data;
  int stride, n = 0;

  cairo_surface_flush (surface);
  data = cairo_image_surface_get_data (surface);
  stride = cairo_image_surface_get_stride (surface);
  for (int y = MAX (y0, 0); y < MIN (y1, H); y++)
    for (int x = MAX (x0, 0); x < MIN (x1, W); x++)
      n += ((const guint32 *) (data + y * stride))[x] >> 24 > 0;
  return n;
}

/* Drawn on a transparent slide, the long input's encoder has ink in the row-label band of
 * every row_step-th row from the first and none beside the rows between; lit, source token 5
 * shows although 5 is not a multiple of the step, and the rows count from it. */
static void
test_slide_long_drawn (void)
{
  for (int lit = 0; lit < 2; lit++)
    {
      TriadFigureStyle style;
      TriadCrossLayout l;
      Input in;
      cairo_surface_t *surface = cairo_image_surface_create (CAIRO_FORMAT_ARGB32, W, H);
      cairo_t *cr = cairo_create (surface);
      int from = lit ? 5 : 0;
      double x, y0;

      slide_style (&style);
      style.bg[3] = 0.0;
      input_init (&in, 40, 12);
      if (lit)
        in.fig.hover.src = 5;
      triad_cross_figure_layout (&in.fig, &style, W, H, &l);
      g_assert_cmpint (l.row_step, >=, 2);
      triad_cross_figure_draw (cr, &in.fig, &style, W, H);
      x = l.x[TRIAD_CROSS_PANEL_ENCODER];
      y0 = l.y[TRIAD_CROSS_PANEL_ENCODER];
      for (int r = 0; r < 40; r++)
        {
          /* the row's middle, well inside the row: labels are centred on their rows */
          int top = (int) ceil (y0 + (r + 0.4) * l.cell_h);
          int bottom = (int) floor (y0 + (r + 0.6) * l.cell_h);
          int n = ink (surface, (int) (x - 60), top, (int) x - 6, bottom);

          if ((r - from) % l.row_step == 0)
            g_assert_cmpint (n, >, 0);
          else
            g_assert_cmpint (n, ==, 0);
        }
      cairo_destroy (cr);
      cairo_surface_destroy (surface);
      input_clear (&in);
    }
}

/* The hit test answers the cell under every point of the cross-attention as the layout
 * places it, cells wider than tall: a cell's centre and points just inside its right and
 * bottom edges give its row and column; just past the last column, nothing of the panel. */
static void
test_slide_hit (void)
{
  TriadFigureStyle style;
  TriadCrossLayout l;
  TriadCrossHit hit;
  Input in;
  double x0, y0;

  slide_style (&style);
  input_init (&in, 8, 6);
  triad_cross_figure_layout (&in.fig, &style, W, H, &l);
  x0 = l.x[TRIAD_CROSS_PANEL_CROSS];
  y0 = l.y[TRIAD_CROSS_PANEL_CROSS];
  for (int r = 0; r < 6; r++)
    for (int c = 0; c < 8; c++)
      {
        double px[] = { x0 + (c + 0.5) * l.cell_w, x0 + (c + 1) * l.cell_w - 0.25 };
        double py[] = { y0 + (r + 0.5) * l.cell_h, y0 + (r + 1) * l.cell_h - 0.25 };

        for (int i = 0; i < 2; i++)
          {
            g_assert_true (triad_cross_figure_hit (&in.fig, &style, W, H, px[i], py[i], &hit));
            g_assert_cmpint (hit.panel, ==, TRIAD_CROSS_PANEL_CROSS);
            g_assert_cmpint (hit.row, ==, r);
            g_assert_cmpint (hit.col, ==, c);
            g_assert_cmpint (hit.hover.tgt, ==, r);
            g_assert_cmpint (hit.hover.src, ==, c);
          }
      }
  /* the colour bar's gap, right of the last column */
  g_assert_false (triad_cross_figure_hit (&in.fig, &style, W, H, x0 + 8 * l.cell_w + 1,
                                          y0 + 0.5 * l.cell_h, &hit));
  input_clear (&in);
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);
  g_test_add_func ("/figures/cross/slide-width", test_slide_width);
  g_test_add_func ("/figures/cross/slide-long-labels", test_slide_long_labels);
  g_test_add_func ("/figures/cross/slide-long-drawn", test_slide_long_drawn);
  g_test_add_func ("/figures/cross/slide-hit", test_slide_hit);
  return g_test_run ();
}
