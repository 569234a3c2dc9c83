/* test-cross.c — the Cross-attention view under Xvfb: what a hovered token lights in each
 * panel, stepping, the three displays, a typed target, failure, and export. */
#include "config.h"

#include "app-test.h"

#include <gtk/gtk.h>
#include <glib/gstdio.h>

#include "app/triad-application.h"
#include "app/triad-cross-page.h"
#include "app/triad-view.h"
#include "app/triad-window.h"

#define SENTENCE "the big cat saw a small dog"

static TriadApplication *app;
static GtkWindow *host;
static TriadCrossPage *page;
static int n_failed;

/* Runs the main loop until the page has a result and is no longer busy (or 30 s pass). */
static void
wait_idle (TriadCrossPage *p)
{
  gint64 deadline = g_get_monotonic_time () + 30 * G_USEC_PER_SEC;

  while (g_get_monotonic_time () < deadline)
    {
      g_main_context_iteration (NULL, FALSE);
      if (!triad_cross_page_get_busy (p) && triad_cross_page_get_view (p) != NULL)
        {
          /* let pending timeouts (the Target entry's debounce) fire, then check again */
          gint64 settle = g_get_monotonic_time () + 500 * 1000;
          while (g_get_monotonic_time () < settle)
            g_main_context_iteration (NULL, FALSE);
          if (!triad_cross_page_get_busy (p))
            return;
        }
    }
  g_error ("the page did not finish in time");
}

/* The style the page measures with: only the font scale changes the layout. */
static void
layout_style (TriadFigureStyle *style)
{
  triad_figure_style_init (style, FALSE);
}

static void
canvas_size (double *w,
             double *h)
{
  GtkWidget *canvas = triad_cross_page_get_canvas (page);

  *w = gtk_widget_get_width (canvas);
  *h = gtk_widget_get_height (canvas);
  g_assert_cmpfloat (*w, >, 200);
  g_assert_cmpfloat (*h, >, 200);
}

static void
show_whole (void)
{
  g_object_set (page, "target", "", "display", "heatmaps", NULL);
  triad_view_set_input (TRIAD_VIEW (page), app, TRIAD_ARCH_DECODER, SENTENCE);
  wait_idle (page);
  g_object_set (page, "position", triad_cross_page_get_n_positions (page), NULL);
}

static void
assert_lit (TriadCrossPanel panel,
            int             row,
            int             col)
{
  TriadCrossHover hover;
  int r, c;

  triad_cross_page_get_hover (page, &hover);
  triad_cross_panel_lit (panel, &hover, &r, &c);
  g_assert_cmpint (r, ==, row);
  g_assert_cmpint (c, ==, col);
}

/* The mapping itself, as the issue states it: a source token is a row and a column of the
 * encoder's self-attention and a column of the cross-attention; a target token a row and a
 * column of the decoder's and a row of the cross-attention. */
static void
test_lit_mapping (void)
{
  TriadCrossHover src = { 3, -1 }, tgt = { -1, 2 }, both = { 5, 1 }, none = { -1, -1 };
  struct { const TriadCrossHover *h; TriadCrossPanel p; int row, col; } cases[] = {
    { &src, TRIAD_CROSS_PANEL_ENCODER, 3, 3 },
    { &src, TRIAD_CROSS_PANEL_DECODER, -1, -1 },
    { &src, TRIAD_CROSS_PANEL_CROSS, -1, 3 },
    { &tgt, TRIAD_CROSS_PANEL_ENCODER, -1, -1 },
    { &tgt, TRIAD_CROSS_PANEL_DECODER, 2, 2 },
    { &tgt, TRIAD_CROSS_PANEL_CROSS, 2, -1 },
    { &both, TRIAD_CROSS_PANEL_ENCODER, 5, 5 },
    { &both, TRIAD_CROSS_PANEL_DECODER, 1, 1 },
    { &both, TRIAD_CROSS_PANEL_CROSS, 1, 5 },
    { &none, TRIAD_CROSS_PANEL_CROSS, -1, -1 },
  };

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      int r, c;

      triad_cross_panel_lit (cases[i].p, cases[i].h, &r, &c);
      g_assert_cmpint (r, ==, cases[i].row);
      g_assert_cmpint (c, ==, cases[i].col);
    }
}

/* The shipped encoder-decoder translates the sentence into five Russian words: six decoder
 * rows (<bos> first) against eight source tokens (seven words and <eos>). */
static void
test_compute (void)
{
  const TriadCrossView *v;
  const TriadCrossFigure *fig;
  int n_q, n_k;

  show_whole ();
  v = triad_cross_page_get_view (page);
  g_assert_true (v->generated);
  triad_cross_view_shape (v, TRIAD_ATTN_CROSS, &n_q, &n_k);
  g_assert_cmpint (n_q, ==, 6);
  g_assert_cmpint (n_k, ==, 8);
  g_assert_cmpint (triad_cross_page_get_position (page), ==, 6);
  fig = triad_cross_page_get_figure (page);
  g_assert_cmpint (fig->n_tgt, ==, 6);
  g_assert_cmpint (fig->n_src, ==, 8);
  g_assert_cmpint (fig->n_shown, ==, 6);
  g_assert_nonnull (triad_cross_page_get_prompt_view (page));
  g_assert_cmpint (n_failed, ==, 0);
}

/* Pointing at a cell or a label lights the same tokens in all three panels. */
static void
test_hover (void)
{
  const TriadCrossFigure *fig;
  TriadFigureStyle style;
  TriadCrossLayout l;
  double w, h, cell;

  show_whole ();
  canvas_size (&w, &h);
  layout_style (&style);
  fig = triad_cross_page_get_figure (page);
  triad_cross_figure_layout (fig, &style, w, h, &l);
  cell = l.cell;
  g_assert_cmpfloat (cell, >, 4);

  /* the cross-attention's cell (target 2, source 3) */
  g_assert_true (triad_cross_page_hover_at (page, l.x[TRIAD_CROSS_PANEL_CROSS] + 3.5 * cell,
                                            l.y[TRIAD_CROSS_PANEL_CROSS] + 2.5 * cell));
  assert_lit (TRIAD_CROSS_PANEL_ENCODER, 3, 3);
  assert_lit (TRIAD_CROSS_PANEL_DECODER, 2, 2);
  assert_lit (TRIAD_CROSS_PANEL_CROSS, 2, 3);
  /* the figure draws what the page lights, and the readout names the cell */
  g_assert_cmpint (fig->hover.src, ==, 3);
  g_assert_cmpint (fig->hover.tgt, ==, 2);
  g_assert_cmpint (fig->cell_panel, ==, TRIAD_CROSS_PANEL_CROSS);
  g_assert_nonnull (strstr (triad_cross_page_get_readout (page), "saw"));

  /* the encoder's row label of source token 4 ("a") */
  g_assert_true (triad_cross_page_hover_at (page, l.x[TRIAD_CROSS_PANEL_ENCODER] - 2,
                                            l.y[TRIAD_CROSS_PANEL_ENCODER] + 4.5 * cell));
  assert_lit (TRIAD_CROSS_PANEL_ENCODER, 4, 4);
  assert_lit (TRIAD_CROSS_PANEL_DECODER, -1, -1);
  assert_lit (TRIAD_CROSS_PANEL_CROSS, -1, 4);

  /* the decoder's cell (4, 1): its query, target token 4 */
  g_assert_true (triad_cross_page_hover_at (page, l.x[TRIAD_CROSS_PANEL_DECODER] + 1.5 * cell,
                                            l.y[TRIAD_CROSS_PANEL_DECODER] + 4.5 * cell));
  assert_lit (TRIAD_CROSS_PANEL_ENCODER, -1, -1);
  assert_lit (TRIAD_CROSS_PANEL_DECODER, 4, 4);
  assert_lit (TRIAD_CROSS_PANEL_CROSS, 4, -1);

  /* the cross-attention's column label of source token 0 ("the") */
  g_assert_true (triad_cross_page_hover_at (page, l.x[TRIAD_CROSS_PANEL_CROSS] + 0.5 * cell,
                                            l.y[TRIAD_CROSS_PANEL_CROSS] - 3));
  assert_lit (TRIAD_CROSS_PANEL_ENCODER, 0, 0);
  assert_lit (TRIAD_CROSS_PANEL_CROSS, -1, 0);

  /* over nothing: nothing lit */
  g_assert_false (triad_cross_page_hover_at (page, 1, h - 1));
  assert_lit (TRIAD_CROSS_PANEL_ENCODER, -1, -1);
  assert_lit (TRIAD_CROSS_PANEL_DECODER, -1, -1);
  assert_lit (TRIAD_CROSS_PANEL_CROSS, -1, -1);
}

/* Each step back hides a row of the decoder's self-attention and of the cross-attention; the
 * decoder's K/V shrinks by a position while the cross K/V stays. */
static void
test_stepping (void)
{
  const TriadCrossView *v;
  const TriadCrossFigure *fig;
  TriadFigureStyle style;
  TriadCrossLayout l;
  double w, h;
  size_t cross_bytes;

  show_whole ();
  v = triad_cross_page_get_view (page);
  fig = triad_cross_page_get_figure (page);
  cross_bytes = fig->gauge.cross_bytes;
  g_assert_cmpuint (cross_bytes, >, 0);

  triad_view_step (TRIAD_VIEW (page), -1);
  g_assert_cmpint (triad_cross_page_get_position (page), ==, 5);
  g_assert_cmpint (fig->n_shown, ==, 5);
  triad_view_step (TRIAD_VIEW (page), -10);
  g_assert_cmpint (triad_cross_page_get_position (page), ==, 1);
  g_assert_cmpint (fig->n_shown, ==, 1);
  g_assert_cmpint (triad_cross_page_get_alignment (page)->n_shown, ==, 1);
  triad_view_step (TRIAD_VIEW (page), 2);
  g_assert_cmpint (fig->n_shown, ==, 3);
  g_assert_cmpint (fig->gauge.self_positions, ==, 3);
  g_assert_cmpuint (fig->gauge.self_bytes, ==, v->kv_bytes[2]);
  g_assert_cmpuint (fig->gauge.self_bytes, ==, 3 * (v->kv_bytes[0]));
  g_assert_cmpuint (fig->gauge.cross_bytes, ==, cross_bytes);
  g_assert_nonnull (strstr (triad_cross_page_get_readout (page), "Step 3"));

  /* a row not decoded yet answers no pointer */
  canvas_size (&w, &h);
  layout_style (&style);
  triad_cross_figure_layout (fig, &style, w, h, &l);
  g_assert_false (triad_cross_page_hover_at (page, l.x[TRIAD_CROSS_PANEL_CROSS] + 0.5 * l.cell,
                                             l.y[TRIAD_CROSS_PANEL_CROSS] + 4.5 * l.cell));
  g_assert_true (triad_cross_page_hover_at (page, l.x[TRIAD_CROSS_PANEL_CROSS] + 0.5 * l.cell,
                                            l.y[TRIAD_CROSS_PANEL_CROSS] + 2.5 * l.cell));
  triad_view_step (TRIAD_VIEW (page), 10);
  g_assert_cmpint (fig->n_shown, ==, 6);
}

static void
test_displays (void)
{
  const TriadAlignment *al;
  const TriadPanelPair *pair;
  TriadFigureStyle style;
  TriadCrossHover hover;
  double w, h, x, y;
  int row, col;

  show_whole ();
  canvas_size (&w, &h);
  layout_style (&style);

  /* alignment: pointing at target token 1 lights it */
  triad_cross_page_set_display (page, TRIAD_CROSS_DISPLAY_ALIGNMENT);
  al = triad_cross_page_get_alignment (page);
  triad_alignment_token_position (al, &style, w, h, TRUE, 1, &x, &y);
  g_assert_true (triad_cross_page_hover_at (page, x, y));
  triad_cross_page_get_hover (page, &hover);
  g_assert_cmpint (hover.tgt, ==, 1);
  g_assert_cmpint (hover.src, ==, -1);
  triad_alignment_token_position (al, &style, w, h, FALSE, 6, &x, &y);
  g_assert_true (triad_cross_page_hover_at (page, x, y - 4));
  triad_cross_page_get_hover (page, &hover);
  g_assert_cmpint (hover.src, ==, 6);

  /* by prompt: the decoder's rows of its Russian tokens over the seven English words, beside
   * the cross-attention; the first rows link */
  triad_cross_page_set_display (page, TRIAD_CROSS_DISPLAY_PROMPT);
  pair = triad_cross_page_get_pair (page);
  g_assert_cmpint (pair->panels[0].n_k, ==, 7);
  g_assert_cmpint (pair->panels[1].n_k, ==, 8);
  g_assert_cmpint (pair->panels[1].n_q, ==, 6);
  {
    TriadPanelPairLayout pl;

    triad_panel_pair_layout (pair, &style, w, h, &pl);
    g_assert_true (triad_cross_page_hover_at (page, pl.x[1] + 2.5 * pl.cell,
                                              pl.y[1] + 0.5 * pl.cell));
    triad_panel_pair_lit (pair, 1, &row, &col);
    g_assert_cmpint (row, ==, 0);
    g_assert_cmpint (col, ==, 2);
    /* "cat" is the third English word of the prompt too */
    triad_panel_pair_lit (pair, 0, &row, &col);
    g_assert_cmpint (row, ==, 0);
    g_assert_cmpint (col, ==, 2);
  }
  triad_cross_page_set_display (page, TRIAD_CROSS_DISPLAY_HEATMAPS);
}

/* A typed target is read as it is (teacher forcing); emptied, the model translates again. */
static void
test_target (void)
{
  const TriadCrossView *v;

  show_whole ();
  g_object_set (page, "target", "кошка спала", NULL);
  wait_idle (page);
  v = triad_cross_page_get_view (page);
  g_assert_false (v->generated);
  g_assert_cmpint (v->tgt->n, ==, 3);
  g_assert_cmpint (triad_cross_page_get_position (page), ==, 3);
  g_assert_false (triad_cross_page_get_prompt_view (page)->generated);
  g_object_set (page, "target", "", NULL);
  wait_idle (page);
  g_assert_true (triad_cross_page_get_view (page)->generated);
}

static void
count_failed (TriadView  *view,
              const char *message,
              gpointer    data)
{
  n_failed++;
}

/* Too long for the encoder-decoder (128 positions): a message, and the figure stays. */
static void
test_failure_keeps_figure (void)
{
  const TriadCrossView *before;
  g_autoptr(GString) s = g_string_new (NULL);
  int failed = n_failed;

  show_whole ();
  before = triad_cross_page_get_view (page);
  for (int i = 0; i < 200; i++)
    g_string_append (s, "cat ");
  triad_view_set_input (TRIAD_VIEW (page), app, TRIAD_ARCH_DECODER, s->str);
  wait_idle (page);
  g_assert_true (triad_cross_page_get_view (page) == before);
  g_assert_cmpint (n_failed, ==, failed + 1);
}

static void
draw_view (cairo_t  *cr,
           double    width,
           double    height,
           gpointer  data)
{
  cairo_set_source_rgb (cr, 1, 1, 1);
  cairo_paint (cr);
  triad_view_draw_figure (TRIAD_VIEW (data), cr, width, height);
}

static void
assert_png (const char *path,
            int         width,
            int         height)
{
  cairo_surface_t *png = cairo_image_surface_create_from_png (path);

  g_assert_cmpint (cairo_surface_status (png), ==, CAIRO_STATUS_SUCCESS);
  g_assert_cmpint (cairo_image_surface_get_width (png), ==, width);
  g_assert_cmpint (cairo_image_surface_get_height (png), ==, height);
  cairo_surface_destroy (png);
}

/* The view's figure exports at twice its size on screen, in every display. */
static void
test_export (void)
{
  g_autofree char *dir = g_dir_make_tmp ("triad-cross-XXXXXX", NULL);
  g_autofree char *path = g_build_filename (dir, "cross.png", NULL);
  g_autoptr(GError) error = NULL;
  double w, h;

  show_whole ();
  for (int d = TRIAD_CROSS_DISPLAY_HEATMAPS; d <= TRIAD_CROSS_DISPLAY_PROMPT; d++)
    {
      triad_cross_page_set_display (page, d);
      g_assert_true (triad_view_get_figure_size (TRIAD_VIEW (page), &w, &h));
      g_assert_true (triad_figure_export_png (path, w, h, 2.0, draw_view, page, &error));
      g_assert_no_error (error);
      assert_png (path, (int) (2 * w), (int) (2 * h));
      g_unlink (path);
    }
  triad_cross_page_set_display (page, TRIAD_CROSS_DISPLAY_HEATMAPS);
  g_rmdir (dir);
}

/* The window shows the view as its "cross" page and exports it. */
static void
test_in_window (void)
{
  g_autofree char *dir = g_dir_make_tmp ("triad-cross-XXXXXX", NULL);
  g_autofree char *path = g_build_filename (dir, "window.png", NULL);
  g_autoptr(GError) error = NULL;
  GSettings *settings = triad_application_get_settings (app);
  TriadWindow *window;
  GtkWidget *shown;
  cairo_surface_t *png;

  g_settings_set_string (settings, "text", SENTENCE);
  g_settings_set_string (settings, "view", "cross");
  window = app_test_open_window (app, 1200, 800);
  shown = triad_window_get_page (window);
  g_assert_true (TRIAD_IS_CROSS_PAGE (shown));
  wait_idle (TRIAD_CROSS_PAGE (shown));
  g_assert_cmpint (triad_cross_page_get_view (TRIAD_CROSS_PAGE (shown))->tgt->n, ==, 6);

  g_assert_true (triad_window_export_png (window, path, 1.0, &error));
  g_assert_no_error (error);
  png = cairo_image_surface_create_from_png (path);
  g_assert_cmpint (cairo_surface_status (png), ==, CAIRO_STATUS_SUCCESS);
  g_assert_cmpint (cairo_image_surface_get_width (png), ==,
                   gtk_widget_get_width (triad_cross_page_get_canvas (TRIAD_CROSS_PAGE (shown))));
  cairo_surface_destroy (png);
  g_unlink (path);
  g_rmdir (dir);
  g_settings_set_string (settings, "view", "attention");
  /* hidden, not destroyed: this test is about the cross page, and what the window's other
   * pages do when finalized is theirs to test */
  gtk_widget_set_visible (GTK_WIDGET (window), FALSE);
}

int
main (int argc, char *argv[])
{
  int status;

  gtk_test_init (&argc, &argv, NULL);
  app = triad_application_new ();
  g_assert_true (g_application_register (G_APPLICATION (app), NULL, NULL));
  host = GTK_WINDOW (gtk_window_new ());
  page = TRIAD_CROSS_PAGE (triad_cross_page_new ());
  g_signal_connect (page, "failed", G_CALLBACK (count_failed), NULL);
  gtk_window_set_child (host, GTK_WIDGET (page));
  gtk_window_set_default_size (host, 1200, 800);
  gtk_window_present (host);

  g_test_add_func ("/app/cross/lit-mapping", test_lit_mapping);
  g_test_add_func ("/app/cross/compute", test_compute);
  g_test_add_func ("/app/cross/hover", test_hover);
  g_test_add_func ("/app/cross/stepping", test_stepping);
  g_test_add_func ("/app/cross/displays", test_displays);
  g_test_add_func ("/app/cross/target", test_target);
  g_test_add_func ("/app/cross/failure-keeps-figure", test_failure_keeps_figure);
  g_test_add_func ("/app/cross/export", test_export);
  g_test_add_func ("/app/cross/in-window", test_in_window);
  status = g_test_run ();
  gtk_window_destroy (host);
  g_object_unref (app);
  return status;
}
