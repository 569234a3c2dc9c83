/* test-cross.c — the Cross-attention view under Xvfb: what a hovered token lights in each
 * panel, stepping, the three displays, a typed target, failure, and export. */
#include "config.h"

#include "app-test.h"

#include <stdarg.h>
#include <gtk/gtk.h>
#include <glib/gstdio.h>
#include <json-glib/json-glib.h>

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
  g_object_set (page, "target", "", "display", TRIAD_CROSS_DISPLAY_HEATMAPS, NULL);
  triad_view_set_input (TRIAD_VIEW (page), app, "decoder", SENTENCE);
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
  double w, h, cw, ch;

  show_whole ();
  canvas_size (&w, &h);
  layout_style (&style);
  fig = triad_cross_page_get_figure (page);
  triad_cross_figure_layout (fig, &style, w, h, &l);
  cw = l.cell_w;
  ch = l.cell_h;
  g_assert_cmpfloat (cw, >, 4);
  g_assert_cmpfloat (ch, >, 4);

  /* the cross-attention's cell (target 2, source 3) */
  g_assert_true (triad_cross_page_hover_at (page, l.x[TRIAD_CROSS_PANEL_CROSS] + 3.5 * cw,
                                            l.y[TRIAD_CROSS_PANEL_CROSS] + 2.5 * ch));
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
                                            l.y[TRIAD_CROSS_PANEL_ENCODER] + 4.5 * ch));
  assert_lit (TRIAD_CROSS_PANEL_ENCODER, 4, 4);
  assert_lit (TRIAD_CROSS_PANEL_DECODER, -1, -1);
  assert_lit (TRIAD_CROSS_PANEL_CROSS, -1, 4);

  /* the decoder's cell (4, 1): its query, target token 4 */
  g_assert_true (triad_cross_page_hover_at (page, l.x[TRIAD_CROSS_PANEL_DECODER] + 1.5 * cw,
                                            l.y[TRIAD_CROSS_PANEL_DECODER] + 4.5 * ch));
  assert_lit (TRIAD_CROSS_PANEL_ENCODER, -1, -1);
  assert_lit (TRIAD_CROSS_PANEL_DECODER, 4, 4);
  assert_lit (TRIAD_CROSS_PANEL_CROSS, 4, -1);

  /* the cross-attention's column label of source token 0 ("the") */
  g_assert_true (triad_cross_page_hover_at (page, l.x[TRIAD_CROSS_PANEL_CROSS] + 0.5 * cw,
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
/* The keyboard's focus on the figure shows a ring round it, and only then: the figure leaves
 * its outermost pixels blank, the ring is 2 px all round a canvas over 200 × 200 px. */
static void
test_focus_ring (void)
{
  GtkWidget *canvas = triad_cross_page_get_canvas (page);
  double w, h;

  show_whole ();
  app_test_iterate (100);
  canvas_size (&w, &h);
  g_assert_true (gtk_widget_get_focusable (canvas));
  gtk_window_set_focus_visible (host, TRUE);
  gtk_window_set_focus (host, NULL);
  app_test_iterate (50);
  g_assert_cmpint (app_test_edge_ink (canvas), ==, 0);
  g_assert_true (gtk_widget_grab_focus (canvas));
  app_test_iterate (50);
  g_test_message ("the ring: %d pixels", app_test_edge_ink (canvas));
  g_assert_cmpint (app_test_edge_ink (canvas), >, 2 * (w + h));
  gtk_window_set_focus (host, NULL);
}

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
  g_assert_false (triad_cross_page_hover_at (page, l.x[TRIAD_CROSS_PANEL_CROSS] + 0.5 * l.cell_w,
                                             l.y[TRIAD_CROSS_PANEL_CROSS] + 4.5 * l.cell_h));
  g_assert_true (triad_cross_page_hover_at (page, l.x[TRIAD_CROSS_PANEL_CROSS] + 0.5 * l.cell_w,
                                            l.y[TRIAD_CROSS_PANEL_CROSS] + 2.5 * l.cell_h));
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
  triad_view_set_input (TRIAD_VIEW (page), app, "decoder", s->str);
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

/* ---- the window's export and `triad export --view cross` ------------------------------ */

#define EXPORT_W 1000
#define EXPORT_H 640

/* A window showing the Cross-attention view of SENTENCE, in the style asked for ("light",
 * "dark"), with its result. */
static TriadWindow *
open_cross_window (const char *style)
{
  GSettings *settings = triad_application_get_settings (app);
  TriadWindow *window;
  gboolean dark;

  g_settings_set_string (settings, "style", style);
  g_settings_set_string (settings, "text", SENTENCE);
  g_settings_set_string (settings, "view", "cross");
  window = app_test_open_window (app, 1200, 800);
  g_assert_true (TRIAD_IS_CROSS_PAGE (triad_window_get_page (window)));
  wait_idle (TRIAD_CROSS_PAGE (triad_window_get_page (window)));
  g_object_get (gtk_settings_get_default (), "gtk-application-prefer-dark-theme", &dark, NULL);
  g_assert_cmpint (dark, ==, g_str_equal (style, "dark"));
  return window;
}

static void
close_cross_window (TriadWindow *window)
{
  GSettings *settings = triad_application_get_settings (app);

  g_settings_set_string (settings, "view", "attention");
  g_settings_reset (settings, "style");
  gtk_widget_set_visible (GTK_WIDGET (window), FALSE);
}

/* Runs `triad export --view cross --text SENTENCE --out path …` in this process, and returns
 * its JSON report. */
static char *
cli_export (const char *path,
            ...)
{
  g_autoptr(GPtrArray) args = g_ptr_array_new_with_free_func (g_free);
  g_autofree char *w = g_strdup_printf ("%d", EXPORT_W), *h = g_strdup_printf ("%d", EXPORT_H);
  const char *fixed[] = { "export", "--view", "cross", "--text", SENTENCE, "--out", path,
                          "--width", w, "--height", h };
  FILE *out = tmpfile (), *err = tmpfile ();
  char report[4096] = { 0 }, errors[4096] = { 0 };
  const char *arg;
  va_list ap;
  int status;

  for (guint i = 0; i < G_N_ELEMENTS (fixed); i++)
    g_ptr_array_add (args, g_strdup (fixed[i]));
  va_start (ap, path);
  while ((arg = va_arg (ap, const char *)) != NULL)
    g_ptr_array_add (args, g_strdup (arg));
  va_end (ap);
  g_ptr_array_add (args, NULL);
  status = triad_cli_run (args->len - 1, (char **) args->pdata, out, err);
  rewind (out);
  rewind (err);
  report[fread (report, 1, sizeof report - 1, out)] = '\0';
  errors[fread (errors, 1, sizeof errors - 1, err)] = '\0';
  fclose (out);
  fclose (err);
  if (status != 0)
    g_error ("triad export failed (%d): %s", status, errors);
  return g_strdup (report);
}

/* The "title" of an export's JSON report. */
static char *
report_title (const char *report)
{
  g_autoptr(JsonParser) parser = json_parser_new ();
  g_autoptr(GError) error = NULL;

  g_assert_true (json_parser_load_from_data (parser, report, -1, &error));
  g_assert_no_error (error);
  return g_strdup (json_object_get_string_member (json_node_get_object (
    json_parser_get_root (parser)), "title"));
}

/* The pixels of two PNGs of one size that differ at all. */
static int
count_differing (const char *a,
                 const char *b)
{
  cairo_surface_t *sa = cairo_image_surface_create_from_png (a);
  cairo_surface_t *sb = cairo_image_surface_create_from_png (b);
  int w, h, n = 0;

  g_assert_cmpint (cairo_surface_status (sa), ==, CAIRO_STATUS_SUCCESS);
  g_assert_cmpint (cairo_surface_status (sb), ==, CAIRO_STATUS_SUCCESS);
  w = cairo_image_surface_get_width (sa);
  h = cairo_image_surface_get_height (sa);
  g_assert_cmpint (cairo_image_surface_get_width (sb), ==, w);
  g_assert_cmpint (cairo_image_surface_get_height (sb), ==, h);
  for (int y = 0; y < h; y++)
    {
      const guint32 *ra = (const guint32 *) (cairo_image_surface_get_data (sa)
                                             + (size_t) y * cairo_image_surface_get_stride (sa));
      const guint32 *rb = (const guint32 *) (cairo_image_surface_get_data (sb)
                                             + (size_t) y * cairo_image_surface_get_stride (sb));
      for (int x = 0; x < w; x++)
        n += ra[x] != rb[x];
    }
  cairo_surface_destroy (sa);
  cairo_surface_destroy (sb);
  return n;
}

/* Pixels of rows [y0, y1) of a PNG whose luminance is below max (0 black … 1 white). */
static int
count_darker (const char *path,
              int         y0,
              int         y1,
              double      max)
{
  cairo_surface_t *s = cairo_image_surface_create_from_png (path);
  int n = 0;

  g_assert_cmpint (cairo_surface_status (s), ==, CAIRO_STATUS_SUCCESS);
  for (int y = y0; y < y1; y++)
    {
      const guint32 *row = (const guint32 *) (cairo_image_surface_get_data (s)
                                              + (size_t) y * cairo_image_surface_get_stride (s));
      for (int x = 0; x < cairo_image_surface_get_width (s); x++)
        {
          double r = ((row[x] >> 16) & 0xff) / 255.0, g = ((row[x] >> 8) & 0xff) / 255.0;
          double b = (row[x] & 0xff) / 255.0;

          n += 0.2126 * r + 0.7152 * g + 0.0722 * b < max;
        }
    }
  cairo_surface_destroy (s);
  return n;
}

/* The window's figure in the dark style, exported on white: dark text, as the light style
 * and `triad export --background white` draw it — the same pixels as the command line's with
 * the same options (step 4 of 6, head 1). Before the scene, the page drew in the theme's
 * colours whatever the export asked: light grey text on white. */
static void
test_export_white_in_dark_style (void)
{
  g_autofree char *dir = g_dir_make_tmp ("triad-cross-XXXXXX", NULL);
  g_autofree char *win_png = g_build_filename (dir, "window.png", NULL);
  g_autofree char *cli_png = g_build_filename (dir, "cli.png", NULL);
  g_autoptr(GError) error = NULL;
  TriadWindowExport opt = { .format = TRIAD_EXPORT_PNG, .size = TRIAD_EXPORT_SIZE_CUSTOM,
                            .scale = 1.0, .width = EXPORT_W, .height = EXPORT_H,
                            .background = TRIAD_EXPORT_BACKGROUND_WHITE };
  TriadWindow *window = open_cross_window ("dark");
  TriadCrossPage *p = TRIAD_CROSS_PAGE (triad_window_get_page (window));
  int differing, dark_title;

  g_object_set (p, "position", 4, "head", 1, NULL);
  g_assert_true (triad_window_export (window, win_png, &opt, &error));
  g_assert_no_error (error);
  g_free (cli_export (cli_png, "--background", "white", "--step", "4", "--head", "1", NULL));

  /* the title's band, above the gauge and the panels (its cap height is about 10 px at
   * 1000 × 640): its glyphs' cores are dark. Light text (#eeeeec, luminance 0.93) on white
   * would leave none below 0.35; dark text leaves hundreds */
  dark_title = count_darker (win_png, 0, 30, 0.35);
  g_assert_cmpint (dark_title, >, 200);
  /* the same figure as the command line's, pixel for pixel: one scene, one style */
  differing = count_differing (win_png, cli_png);
  g_assert_cmpint (differing, ==, 0);

  /* the light style exports the same file */
  close_cross_window (window);
  window = open_cross_window ("light");
  g_object_set (triad_window_get_page (window), "position", 4, "head", 1, NULL);
  g_assert_true (triad_window_export (window, win_png, &opt, &error));
  g_assert_no_error (error);
  g_assert_cmpint (count_differing (win_png, cli_png), ==, 0);
  close_cross_window (window);

  g_unlink (win_png);
  g_unlink (cli_png);
  g_rmdir (dir);
}

/* The title of the figure the page shows. */
static const char *
shown_title (TriadCrossPage *p)
{
  if (triad_cross_page_get_display (p) == TRIAD_CROSS_DISPLAY_PROMPT)
    return triad_cross_page_get_pair (p)->title;
  return triad_cross_page_get_figure (p)->title;
}

/* Every display, from the window and from the command line with the same options: the same
 * pixels and the same title. */
static void
test_export_same_as_cli (void)
{
  static const char * const displays[] = { "heatmaps", "alignment", "prompt" };
  g_autofree char *dir = g_dir_make_tmp ("triad-cross-XXXXXX", NULL);
  g_autofree char *win_png = g_build_filename (dir, "window.png", NULL);
  g_autofree char *cli_png = g_build_filename (dir, "cli.png", NULL);
  g_autoptr(GError) error = NULL;
  TriadWindowExport opt = { .format = TRIAD_EXPORT_PNG, .size = TRIAD_EXPORT_SIZE_CUSTOM,
                            .scale = 1.0, .width = EXPORT_W, .height = EXPORT_H,
                            .background = TRIAD_EXPORT_BACKGROUND_WHITE };
  TriadWindow *window = open_cross_window ("light");
  TriadCrossPage *p = TRIAD_CROSS_PAGE (triad_window_get_page (window));

  for (guint d = 0; d < G_N_ELEMENTS (displays); d++)
    {
      g_autofree char *report = NULL, *title = NULL;

      g_object_set (p, "display", (TriadCrossDisplay) d, "position", 3, "layer", 1, NULL);
      g_assert_true (triad_window_export (window, win_png, &opt, &error));
      g_assert_no_error (error);
      report = cli_export (cli_png, "--background", "white", "--display", displays[d],
                           "--step", "3", "--layer", "1", NULL);
      g_assert_cmpint (count_differing (win_png, cli_png), ==, 0);
      /* ink: the figure is there, not a blank page in both (over a third of the pixels of
       * the heatmaps are cells; the alignment's lines and labels are fewer) */
      g_assert_cmpint (count_darker (win_png, 0, EXPORT_H, 0.9), >, EXPORT_W * EXPORT_H / 100);
      title = report_title (report);
      g_assert_cmpstr (title, ==, shown_title (p));
    }
  /* the words the issue found drifting: one title, the same in both */
  g_assert_cmpstr (shown_title (p), ==,
                   "One architecture doing the other’s job: translation by prompt, and by "
                   "cross-attention");
  g_object_set (p, "display", TRIAD_CROSS_DISPLAY_HEATMAPS, NULL);
  g_assert_cmpstr (shown_title (p), ==,
                   "Encoder-decoder · its own translation · layer 1 · mean of 4 heads");
  close_cross_window (window);
  g_unlink (win_png);
  g_unlink (cli_png);
  g_rmdir (dir);
}

/* Squeezes runs of white space into one space: pdftotext breaks lines where it likes. */
static char *
squeeze (const char *text)
{
  g_auto(GStrv) words = g_strsplit_set (text, " \n\t\f", -1);
  g_autoptr(GString) s = g_string_new (NULL);

  for (int i = 0; words[i] != NULL; i++)
    if (*words[i] != '\0')
      g_string_append_printf (s, "%s%s", s->len > 0 ? " " : "", words[i]);
  return g_string_free (g_steal_pointer (&s), FALSE);
}

/* An English window exports its figure with Russian labels: the title is the one `triad
 * export --lang ru` gives, and the window's own words stay English. Before the scene, the
 * page kept the title it had made in English. */
static void
test_export_russian (void)
{
  g_autofree char *dir = g_dir_make_tmp ("triad-cross-XXXXXX", NULL);
  g_autofree char *pdf = g_build_filename (dir, "cross.pdf", NULL);
  g_autofree char *cli_png = g_build_filename (dir, "cli.png", NULL);
  g_autofree char *text = NULL, *flat = NULL, *report = NULL, *ru_title = NULL;
  g_autoptr(GError) error = NULL;
  TriadWindowExport opt = { .format = TRIAD_EXPORT_PDF, .size = TRIAD_EXPORT_SIZE_CUSTOM,
                            .scale = 1.0, .width = EXPORT_W, .height = EXPORT_H,
                            .background = TRIAD_EXPORT_BACKGROUND_WHITE, .language = "ru" };
  TriadWindow *window = open_cross_window ("light");
  TriadCrossPage *p = TRIAD_CROSS_PAGE (triad_window_get_page (window));

  g_assert_true (triad_window_export (window, pdf, &opt, &error));
  g_assert_no_error (error);
  /* the window speaks English again */
  g_assert_cmpstr (triad_cross_page_get_figure (p)->title, ==,
                   "Encoder-decoder · its own translation · layer 2 · mean of 4 heads");
  text = test_pdf_text (pdf);
  if (text == NULL)
    goto out;
  flat = squeeze (text);
  /* po/ru.po: «Кодировщик-декодировщик · %s · слой %d · %s», «собственный перевод» */
  g_assert_nonnull (strstr (flat, "Кодировщик-декодировщик"));
  g_assert_nonnull (strstr (flat, "собственный перевод"));
  g_assert_null (strstr (flat, "Encoder-decoder"));
  g_assert_null (strstr (flat, "its own translation"));

  /* the command line's Russian title, word for word */
  report = cli_export (cli_png, "--lang", "ru", NULL);
  triad_application_set_messages_language ("en");
  ru_title = squeeze (report_title (report));
  g_assert_true (g_str_has_prefix (ru_title, "Кодировщик-декодировщик"));
  g_assert_nonnull (strstr (flat, ru_title));

out:
  close_cross_window (window);
  g_unlink (pdf);
  g_unlink (cli_png);
  g_rmdir (dir);
}

int
main (int argc, char *argv[])
{
  int status;

  /* the build tree's catalogue, for the Russian export; the window speaks English */
  test_bind_translations ();
  g_setenv ("LANGUAGE", "en", TRUE);
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
  g_test_add_func ("/app/cross/focus-ring", test_focus_ring);
  g_test_add_func ("/app/cross/stepping", test_stepping);
  g_test_add_func ("/app/cross/displays", test_displays);
  g_test_add_func ("/app/cross/target", test_target);
  g_test_add_func ("/app/cross/failure-keeps-figure", test_failure_keeps_figure);
  g_test_add_func ("/app/cross/export", test_export);
  g_test_add_func ("/app/cross/in-window", test_in_window);
  g_test_add_func ("/app/cross/export-white-in-dark-style", test_export_white_in_dark_style);
  g_test_add_func ("/app/cross/export-same-as-cli", test_export_same_as_cli);
  g_test_add_func ("/app/cross/export-russian", test_export_russian);
  status = g_test_run ();
  gtk_window_destroy (host);
  g_object_unref (app);
  return status;
}
