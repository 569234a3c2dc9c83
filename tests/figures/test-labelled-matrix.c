/* test-labelled-matrix.c — the one painter of a matrix's token labels: which cell or label
 * lies under a point, and where the labels and the lit row's outline are drawn. The
 * positions are worked out by hand from the rectangle the tests give. */
#include "config.h"

#include <math.h>

#include "figures/labelled-matrix.h"

#define W 300
#define H 200

static const char * const rows[] = { "alpha", "beta", "gamma" };
static const char * const cols[] = { "w", "x", "y", "z" };

/* Cells of 20 × 30 units from (150, 80): three rows down to 170, four columns to 230. */
static TriadLabelledMatrix
matrix (void)
{
  return (TriadLabelledMatrix) {
    .x = 150, .y = 80, .cell_w = 20, .cell_h = 30, .rows = 3, .cols = 4,
    .row_labels = rows, .col_labels = cols,
    .label_size = 12, .label_max_w = -1, .gap = 4,
    .lit_row = -1, .lit_col = -1,
  };
}

static void
test_hit (void)
{
  TriadLabelledMatrix m = matrix ();
  int row, col;

  /* (185, 125): 35 units in is the second column (20 … 40), 45 down the second row */
  g_assert_true (triad_labelled_matrix_hit (&m, 60, 40, 185, 125, &row, &col));
  g_assert_cmpint (row, ==, 1);
  g_assert_cmpint (col, ==, 1);
  /* the last cell's far corner, just inside */
  g_assert_true (triad_labelled_matrix_hit (&m, 60, 40, 229.9, 169.9, &row, &col));
  g_assert_cmpint (row, ==, 2);
  g_assert_cmpint (col, ==, 3);
  /* right of the cells (x = 230 is the edge) and under them: nothing */
  g_assert_false (triad_labelled_matrix_hit (&m, 60, 40, 230, 100, &row, &col));
  g_assert_cmpint (row, ==, -1);
  g_assert_cmpint (col, ==, -1);
  g_assert_false (triad_labelled_matrix_hit (&m, 60, 40, 160, 170, &row, &col));
  /* 50 units left of the cells, inside a 60-unit band: the third row's label (y 140 … 170) */
  g_assert_true (triad_labelled_matrix_hit (&m, 60, 40, 100, 150, &row, &col));
  g_assert_cmpint (row, ==, 2);
  g_assert_cmpint (col, ==, -1);
  /* past the band, or with no band: nothing */
  g_assert_false (triad_labelled_matrix_hit (&m, 60, 40, 89, 150, &row, &col));
  g_assert_false (triad_labelled_matrix_hit (&m, 0, 0, 140, 150, &row, &col));
  /* 30 units above, inside a 40-unit band: the fourth column's label (x 210 … 230) */
  g_assert_true (triad_labelled_matrix_hit (&m, 60, 40, 215, 50, &row, &col));
  g_assert_cmpint (row, ==, -1);
  g_assert_cmpint (col, ==, 3);
  /* the corner above the row labels belongs to neither */
  g_assert_false (triad_labelled_matrix_hit (&m, 60, 40, 140, 70, &row, &col));
}

typedef struct {
  cairo_surface_t *surface;
  cairo_t         *cr;
  TriadFigureStyle style;
} Canvas;

static void
canvas_init (Canvas *c)
{
  c->surface = cairo_image_surface_create (CAIRO_FORMAT_ARGB32, W, H);
  c->cr = cairo_create (c->surface);
  triad_figure_style_init (&c->style, FALSE);
}

static void
canvas_clear (Canvas *c)
{
  cairo_destroy (c->cr);
  cairo_surface_destroy (c->surface);
}

/* Pixels with any ink (alpha) in [x0, x1) × [y0, y1). */
static int
ink (Canvas *c,
     int     x0,
     int     y0,
     int     x1,
     int     y1)
{
  const guint8 *data;
  int stride, n = 0;

  cairo_surface_flush (c->surface);
  data = cairo_image_surface_get_data (c->surface);
  stride = cairo_image_surface_get_stride (c->surface);
  for (int y = MAX (y0, 0); y < MIN (y1, H); y++)
    for (int x = MAX (x0, 0); x < MIN (x1, W); x++)
      n += ((const guint32 *) (data + y * stride))[x] >> 24 > 0;
  return n;
}

/* Each row label lies left of the cells within its own row, each column label above the
 * cells within its own column; nothing is drawn over the cells or right of them. */
static void
test_labels_layout (void)
{
  TriadLabelledMatrix m = matrix ();
  TriadText text;
  Canvas c;

  canvas_init (&c);
  triad_text_init (&text, c.cr, &c.style);
  triad_labelled_matrix_draw_labels (&text, &c.style, &m);
  triad_text_clear (&text);

  for (int r = 0; r < 3; r++)
    {
      int top = 80 + 30 * r;

      /* ink in the row's band left of the gap (x < 146) */
      g_assert_cmpint (ink (&c, 0, top, 146, top + 30), >, 0);
    }
  /* the bands above the first row and below the last, left of the cells: empty */
  g_assert_cmpint (ink (&c, 0, 171, 146, H), ==, 0);
  for (int k = 0; k < 4; k++)
    {
      int left = 150 + 20 * k;

      /* ink in the column's band above the gap (y < 76) */
      g_assert_cmpint (ink (&c, left, 0, left + 20, 76), >, 0);
    }
  g_assert_cmpint (ink (&c, 150, 77, W, H), ==, 0);
  g_assert_cmpint (ink (&c, 231, 0, W, H), ==, 0);
  /* a label starts its gap away from the cells: nothing within 2 units of them */
  g_assert_cmpint (ink (&c, 148, 80, 150, 170), ==, 0);
  canvas_clear (&c);
}

/* Without labels nothing is drawn: the figures that hide them (too small) rely on it. */
static void
test_labels_none (void)
{
  TriadLabelledMatrix m = matrix ();
  TriadText text;
  Canvas c;

  m.row_labels = m.col_labels = NULL;
  canvas_init (&c);
  triad_text_init (&text, c.cr, &c.style);
  triad_labelled_matrix_draw_labels (&text, &c.style, &m);
  triad_text_clear (&text);
  g_assert_cmpint (ink (&c, 0, 0, W, H), ==, 0);
  canvas_clear (&c);
}

/* Every other label where cells are too short for each: rows 0 and 2 of three and columns 0
 * and 2 of four have ink in their bands, row 1 and columns 1 and 3 none; lit, the second row
 * and column count from there instead (rows 1, columns 1 and 3), so the lit one shows. */
static void
test_labels_step (void)
{
  for (int lit = 0; lit < 2; lit++)
    {
      TriadLabelledMatrix m = matrix ();
      TriadText text;
      Canvas c;

      m.label_step = 2;
      m.lit_row = m.lit_col = lit ? 1 : -1;
      canvas_init (&c);
      triad_text_init (&text, c.cr, &c.style);
      triad_labelled_matrix_draw_labels (&text, &c.style, &m);
      triad_text_clear (&text);
      for (int r = 0; r < 3; r++)
        {
          int top = 80 + 30 * r, n = ink (&c, 0, top + 2, 146, top + 28);

          if ((r + lit) % 2 == 0)
            g_assert_cmpint (n, >, 0);
          else
            g_assert_cmpint (n, ==, 0);
        }
      for (int k = 0; k < 4; k++)
        {
          int left = 150 + 20 * k, n = ink (&c, left + 2, 0, left + 18, 76);

          if ((k + lit) % 2 == 0)
            g_assert_cmpint (n, >, 0);
          else
            g_assert_cmpint (n, ==, 0);
        }
      canvas_clear (&c);
    }
}

/* Cells wider than tall: every other row label, but every column's, as col_label_step says
 * (rows 0 and 2 and all four columns have ink in their bands, row 1 none). */
static void
test_labels_col_step (void)
{
  TriadLabelledMatrix m = matrix ();
  TriadText text;
  Canvas c;

  m.label_step = 2;
  m.col_label_step = 1;
  canvas_init (&c);
  triad_text_init (&text, c.cr, &c.style);
  triad_labelled_matrix_draw_labels (&text, &c.style, &m);
  triad_text_clear (&text);
  g_assert_cmpint (ink (&c, 0, 82, 146, 108), >, 0);
  g_assert_cmpint (ink (&c, 0, 112, 146, 138), ==, 0);
  g_assert_cmpint (ink (&c, 0, 142, 146, 168), >, 0);
  for (int k = 0; k < 4; k++)
    g_assert_cmpint (ink (&c, 150 + 20 * k + 2, 0, 150 + 20 * k + 18, 76), >, 0);
  canvas_clear (&c);
}

/* The lit row's outline runs around its cells (y 110 … 140) and the others have none. */
static void
test_outline_lit (void)
{
  TriadLabelledMatrix m = matrix ();
  Canvas c;

  canvas_init (&c);
  triad_labelled_matrix_outline_lit (c.cr, &c.style, &m, 2.0);
  g_assert_cmpint (ink (&c, 0, 0, W, H), ==, 0);
  m.lit_row = 1;
  triad_labelled_matrix_outline_lit (c.cr, &c.style, &m, 2.0);
  /* its top and bottom edges, across the cells */
  g_assert_cmpint (ink (&c, 160, 109, 220, 111), >, 0);
  g_assert_cmpint (ink (&c, 160, 139, 220, 141), >, 0);
  /* the first and last rows' middles, and the lit row's own middle: no ink */
  g_assert_cmpint (ink (&c, 160, 90, 220, 100), ==, 0);
  g_assert_cmpint (ink (&c, 160, 150, 220, 160), ==, 0);
  g_assert_cmpint (ink (&c, 160, 120, 220, 130), ==, 0);
  canvas_clear (&c);
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/figures/labelled-matrix/hit", test_hit);
  g_test_add_func ("/figures/labelled-matrix/labels-layout", test_labels_layout);
  g_test_add_func ("/figures/labelled-matrix/labels-none", test_labels_none);
  g_test_add_func ("/figures/labelled-matrix/labels-step", test_labels_step);
  g_test_add_func ("/figures/labelled-matrix/labels-col-step", test_labels_col_step);
  g_test_add_func ("/figures/labelled-matrix/outline-lit", test_outline_lit);
  return g_test_run ();
}
