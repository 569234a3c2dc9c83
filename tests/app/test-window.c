/* test-window.c — the window under Xvfb, driven through its actions as a user would. */
#include "config.h"

#include "app-test.h"

#include <string.h>
#include <gtk/gtk.h>
#include <glib/gstdio.h>

#include "app/triad-application.h"
#include "app/triad-attention-page.h"
#include "app/triad-window.h"

static TriadApplication *app;
static TriadWindow *window;

static TriadAttentionPage *
page (void)
{
  return TRIAD_ATTENTION_PAGE (triad_window_get_page (window));
}

static void
activate (const char *action,
          GVariant   *param)
{
  app_test_activate (GTK_WIDGET (window), action, param);
}

static void
test_models (void)
{
  const TriadAttentionMap *map;

  /* decoder-only: <bos> and the seven words of the default sentence ("the big cat saw a
   * small dog"), causal */
  activate ("win.model", g_variant_new_string ("decoder"));
  app_test_wait_attention (page ());
  map = triad_attention_page_get_map (page ());
  g_assert_cmpint (map->arch, ==, TRIAD_ARCH_DECODER);
  g_assert_cmpint (map->cap.n_q, ==, 8);
  g_assert_true (triad_capture_matrix (&map->cap, 0, 0)[1] == 0.0f);

  /* encoder-only: <bos>, seven words, <eos>; bidirectional, so row 0 reaches the end */
  activate ("win.model", g_variant_new_string ("encoder"));
  app_test_wait_attention (page ());
  map = triad_attention_page_get_map (page ());
  g_assert_cmpint (map->arch, ==, TRIAD_ARCH_ENCODER);
  g_assert_cmpint (map->cap.n_q, ==, 9);
  g_assert_cmpfloat (triad_capture_matrix (&map->cap, 0, 0)[8], >, 0.0f);

  /* encoder-decoder cross-attention: the model's own translation, after <bos>, against the
   * source (seven words and <eos>) */
  activate ("win.model", g_variant_new_string ("encdec"));
  activate ("win.kind", g_variant_new_string ("cross"));
  app_test_wait_attention (page ());
  map = triad_attention_page_get_map (page ());
  g_assert_cmpint (map->kind, ==, TRIAD_ATTN_CROSS);
  g_assert_cmpint (map->cap.n_k, ==, 8);
  g_assert_true (map->generated);
  g_assert_cmpint (map->cap.n_q, ==, map->tgt->n);

  /* the kind list is bound to the kind, both ways: the third entry is cross-attention, and
   * choosing the second shows the decoder's self-attention */
  {
    GtkDropDown *kinds = GTK_DROP_DOWN (gtk_widget_get_template_child (GTK_WIDGET (page ()),
                                                                       TRIAD_TYPE_ATTENTION_PAGE,
                                                                       "kind_dropdown"));
    g_autofree char *kind = NULL;

    g_assert_true (gtk_widget_get_visible (GTK_WIDGET (kinds)));
    g_assert_cmpuint (gtk_drop_down_get_selected (kinds), ==, 2);
    gtk_drop_down_set_selected (kinds, 1);
    g_object_get (page (), "kind", &kind, NULL);
    g_assert_cmpstr (kind, ==, "decoder-self");
    app_test_wait_attention (page ());
    g_assert_cmpint (triad_attention_page_get_map (page ())->kind, ==, TRIAD_ATTN_DECODER_SELF);
    /* another model opens on its own attention, "self", the first entry */
    activate ("win.model", g_variant_new_string ("decoder"));
    app_test_wait_attention (page ());
    g_assert_cmpuint (gtk_drop_down_get_selected (kinds), ==, 0);
    g_assert_false (gtk_widget_get_visible (GTK_WIDGET (kinds)));
  }
}

static void
test_layers_and_heads (void)
{
  TriadModel *model = triad_application_get_model (app, TRIAD_ARCH_DECODER, NULL);
  int last = model->config.n_dec_layers - 1;
  int layer, head;

  activate ("win.model", g_variant_new_string ("encoder"));
  activate ("win.model", g_variant_new_string ("decoder"));
  app_test_wait_attention (page ());
  /* a new model starts on its last layer and its first head */
  g_object_get (page (), "layer", &layer, "head", &head, NULL);
  g_assert_cmpint (layer, ==, last);
  g_object_set (page (), "head", 0, NULL);
  activate ("win.previous-layer", NULL);
  activate ("win.next-head", NULL);
  g_object_get (page (), "layer", &layer, "head", &head, NULL);
  g_assert_cmpint (layer, ==, last - 1);
  g_assert_cmpint (head, ==, 1);
  /* the ends hold: no layer past the last, no head before the first */
  for (int i = 0; i < 10; i++)
    activate ("win.next-layer", NULL), activate ("win.previous-head", NULL);
  g_object_get (page (), "layer", &layer, "head", &head, NULL);
  g_assert_cmpint (layer, ==, last);
  g_assert_cmpint (head, ==, 0);
  /* the figure follows: its title names the layer and head (the shipped decoder has four
   * layers, so the last is 3) */
  app_test_wait_attention (page ());
  g_assert_cmpint (last, ==, 3);
  g_assert_cmpint (triad_attention_scene_get_figure (triad_attention_page_get_scene (page ())), ==,
                   TRIAD_ATTENTION_FIGURE_HEATMAP);
  g_assert_cmpstr (triad_attention_scene_get_title (triad_attention_page_get_scene (page ())), ==,
                   "Decoder · layer 3 · head 0");
}

static TriadAttentionFigure
shown_figure (void)
{
  return triad_attention_scene_get_figure (triad_attention_page_get_scene (page ()));
}

static void
test_figure_kinds (void)
{
  activate ("win.model", g_variant_new_string ("decoder"));
  app_test_wait_attention (page ());
  activate ("win.mode", g_variant_new_string ("single"));
  g_assert_cmpint (shown_figure (), ==, TRIAD_ATTENTION_FIGURE_HEATMAP);
  activate ("win.mode", g_variant_new_string ("grid"));
  g_assert_cmpint (shown_figure (), ==, TRIAD_ATTENTION_FIGURE_GRID);
  activate ("win.mode", g_variant_new_string ("average"));
  activate ("win.show-lines", NULL);
  g_assert_cmpint (shown_figure (), ==, TRIAD_ATTENTION_FIGURE_LINES);
  activate ("win.show-lines", NULL);
  activate ("win.mode", g_variant_new_string ("single"));
  g_assert_cmpint (shown_figure (), ==, TRIAD_ATTENTION_FIGURE_HEATMAP);
}

static void
test_bad_text_keeps_figure (void)
{
  const TriadAttentionMap *before, *after;

  activate ("win.model", g_variant_new_string ("decoder"));
  /* too long for the model (1,024 positions): a message, and the figure stays */
  activate ("win.example", g_variant_new_string ("the cat"));
  app_test_wait_attention (page ());
  before = triad_attention_page_get_map (page ());
  {
    GString *s = g_string_new (NULL);
    for (int i = 0; i < 1100; i++)
      g_string_append (s, "cat ");
    activate ("win.example", g_variant_new_string (s->str));
    g_string_free (s, TRUE);
  }
  app_test_wait_attention (page ());
  after = triad_attention_page_get_map (page ());
  g_assert_true (before == after);
}

static void
test_export (void)
{
  g_autofree char *dir = g_dir_make_tmp ("triad-export-XXXXXX", NULL);
  g_autofree char *path = g_build_filename (dir, "figure.png", NULL);
  g_autofree char *bad = g_build_filename (dir, "missing", "figure.png", NULL);
  g_autoptr(GError) error = NULL;
  TriadSceneView *figure;
  cairo_surface_t *png;
  int w, h;

  activate ("win.model", g_variant_new_string ("decoder"));
  activate ("win.example", g_variant_new_string ("the big cat saw a small dog"));
  app_test_wait_attention (page ());
  figure = triad_attention_page_get_figure (page ());
  w = gtk_widget_get_width (GTK_WIDGET (figure));
  h = gtk_widget_get_height (GTK_WIDGET (figure));
  g_assert_cmpint (w, >, 100);

  g_assert_true (triad_window_export_png (window, path, 2.0, &error));
  g_assert_no_error (error);
  png = cairo_image_surface_create_from_png (path);
  g_assert_cmpint (cairo_surface_status (png), ==, CAIRO_STATUS_SUCCESS);
  /* twice the size on screen */
  g_assert_cmpint (cairo_image_surface_get_width (png), ==, 2 * w);
  g_assert_cmpint (cairo_image_surface_get_height (png), ==, 2 * h);
  cairo_surface_destroy (png);

  g_assert_false (triad_window_export_png (window, bad, 1.0, &error));
  g_assert_nonnull (error);
  g_assert_false (g_file_test (bad, G_FILE_TEST_EXISTS));
  g_unlink (path);
  g_rmdir (dir);
}

/* The examples menu's repeated sequence on the decoder: in layer 3, head 1 each word of the
 * second saying looks mostly at the word after its first occurrence (position p − 5 + 1), the
 * induction head the models test names. */
static void
test_induction_example (void)
{
  const TriadAttentionMap *map;
  const float *a;
  int n;

  activate ("win.model", g_variant_new_string ("decoder"));
  activate ("win.example", g_variant_new_string ("bear ball wolf green house bear ball wolf green house"));
  app_test_wait_attention (page ());
  map = triad_attention_page_get_map (page ());
  n = map->cap.n_q;
  g_assert_cmpint (n, ==, 11);        /* <bos> and ten words, one token each */
  a = triad_capture_matrix (&map->cap, 3, 1);
  for (int p = 6; p < n; p++)
    {
      int target = p - 5 + 1, best = 0;

      for (int k = 1; k <= p; k++)
        if (a[p * n + k] > a[p * n + best])
          best = k;
      g_assert_cmpint (best, ==, target);
      g_assert_cmpfloat (a[p * n + target], >, 0.4);
    }
  activate ("win.example", g_variant_new_string ("the big cat saw a small dog"));
  app_test_wait_attention (page ());
}

/* The views are built when first needed, and the shortcuts window when first asked for; both
 * appear whole when they are. */
static void
test_lazy_parts (void)
{
  GtkWidget *kv, *stack = gtk_widget_get_ancestor (GTK_WIDGET (page ()), GTK_TYPE_STACK);
  const char *names[] = { "lesson", "attention", "masks", "cross", "kv", "training" };
  GListModel *toplevels = gtk_window_get_toplevels ();
  GtkWindow *shortcuts = NULL;
  guint before = g_list_model_get_n_items (toplevels);
  GLogLevelFlags fatal;
  int i = 0;

  /* a slot per view in the switcher's order, each with its title */
  for (GtkWidget *c = gtk_widget_get_first_child (stack); c != NULL; c = gtk_widget_get_next_sibling (c), i++)
    {
      GtkStackPage *sp = gtk_stack_get_page (GTK_STACK (stack), c);

      g_assert_cmpint (i, <, G_N_ELEMENTS (names));
      g_assert_cmpstr (gtk_stack_page_get_name (sp), ==, names[i]);
      g_assert_nonnull (gtk_stack_page_get_title (sp));
    }
  g_assert_cmpint (i, ==, G_N_ELEMENTS (names));
  kv = triad_window_get_view (window, "kv");
  g_assert_true (G_TYPE_CHECK_INSTANCE_TYPE (kv, g_type_from_name ("TriadKvPage")));
  /* asked twice, the same view */
  g_assert_true (triad_window_get_view (window, "kv") == kv);
  g_assert_true (gtk_widget_get_ancestor (kv, GTK_TYPE_STACK) == stack);
  g_assert_null (triad_window_get_view (window, "nothing"));

  /* GTK 4.8's shortcuts window warns that two of its own labels measure −4 px wide: its
   * warnings, not Triad's, are let through while it is shown */
  fatal = g_log_set_always_fatal (G_LOG_FATAL_MASK);
  activate ("win.show-help-overlay", NULL);
  app_test_iterate (100);
  g_assert_cmpuint (g_list_model_get_n_items (toplevels), ==, before + 1);
  for (guint k = 0; k < g_list_model_get_n_items (toplevels); k++)
    {
      GtkWindow *w = g_list_model_get_item (toplevels, k);

      if (GTK_IS_SHORTCUTS_WINDOW (w))
        shortcuts = w;
      g_object_unref (w);
    }
  g_assert_nonnull (shortcuts);
  g_assert_true (gtk_widget_get_visible (GTK_WIDGET (shortcuts)));
  g_assert_true (gtk_window_get_transient_for (shortcuts) == GTK_WINDOW (window));
  /* the window's help overlay, through which its shortcuts find the accelerators */
  g_assert_true (GTK_WINDOW (gtk_application_window_get_help_overlay (GTK_APPLICATION_WINDOW (window)))
                 == shortcuts);
  gtk_window_close (shortcuts);
  app_test_iterate (100);
  g_assert_false (gtk_widget_get_visible (GTK_WIDGET (shortcuts)));
  /* shown again: the same window, not a second one */
  activate ("win.show-help-overlay", NULL);
  app_test_iterate (100);
  g_assert_cmpuint (g_list_model_get_n_items (toplevels), ==, before + 1);
  g_assert_true (gtk_widget_get_visible (GTK_WIDGET (shortcuts)));
  gtk_window_close (shortcuts);
  app_test_iterate (50);
  g_log_set_always_fatal (fatal);
}

/* The Style preference: dark and light are Triad's; System gives the choice back. */
static void
test_style (void)
{
  GSettings *settings = triad_application_get_settings (app);
  GtkSettings *gtk = gtk_settings_get_default ();
  gboolean dark, system_dark;

  g_object_get (gtk, "gtk-application-prefer-dark-theme", &system_dark, NULL);
  g_settings_set_string (settings, "style", "dark");
  g_object_get (gtk, "gtk-application-prefer-dark-theme", &dark, NULL);
  g_assert_true (dark);
  g_settings_set_string (settings, "style", "light");
  g_object_get (gtk, "gtk-application-prefer-dark-theme", &dark, NULL);
  g_assert_false (dark);
  g_settings_set_string (settings, "style", "dark");
  g_settings_set_string (settings, "style", "system");
  g_object_get (gtk, "gtk-application-prefer-dark-theme", &dark, NULL);
  g_assert_cmpint (dark, ==, system_dark);
  app_test_iterate (50);
}

/* A point of the figure view over part, found by the scene's own hit test; FALSE for none. */
static gboolean
find_part (TriadSceneView *view,
           int             row,
           int             col,
           double         *x,
           double         *y,
           TriadScenePart *part)
{
  TriadScene *scene = triad_scene_view_get_scene (view);
  int w = gtk_widget_get_width (GTK_WIDGET (view)), h = gtk_widget_get_height (GTK_WIDGET (view));
  TriadFigureStyle style;

  g_assert_nonnull (scene);
  triad_scene_view_get_style (view, &style);
  for (*y = 0; *y < h; *y += 3)
    for (*x = 0; *x < w; *x += 3)
      if (triad_scene_hit (scene, &style, w, h, *x, *y, part) && part->row == row
          && (col < 0 || part->col == col))
        return TRUE;
  return FALSE;
}

/* The pointer over the decoder's heatmap tells the cell in the readout, and leaving clears
 * it; in the grid of heads a click on head 2 opens it; the keyboard's focus rings the figure.
 * The default sentence's query 2 is "big" and its key 1 "the" (after <bos>). */
static void
test_figure_pointer (void)
{
  TriadSceneView *view;
  const char *readout;
  TriadScenePart part;
  double x, y;
  int head = -1;
  TriadAttentionMode mode = TRIAD_ATTENTION_GRID;

  activate ("win.model", g_variant_new_string ("decoder"));
  activate ("win.example", g_variant_new_string ("the big cat saw a small dog"));
  g_object_set (page (), "mode", TRIAD_ATTENTION_SINGLE, "layer", 0, "head", 0, NULL);
  app_test_wait_attention (page ());
  app_test_iterate (100);
  view = triad_attention_page_get_figure (page ());
  g_assert_true (find_part (view, 2, 1, &x, &y, &part));
  triad_scene_view_hover_at (view, x, y);
  readout = triad_attention_page_get_readout (page ());
  g_assert_nonnull (readout);
  g_test_message ("readout: %s", readout);
  g_assert_nonnull (strstr (readout, "“big” (2)"));
  g_assert_nonnull (strstr (readout, "“the” (1)"));
  triad_scene_view_hover_at (view, -1, -1);
  g_assert_null (triad_attention_page_get_readout (page ()));

  gtk_window_set_focus_visible (GTK_WINDOW (window), TRUE);
  gtk_window_set_focus (GTK_WINDOW (window), NULL);
  app_test_iterate (50);
  g_assert_cmpint (app_test_edge_ink (GTK_WIDGET (view)), ==, 0);
  g_assert_true (gtk_widget_grab_focus (GTK_WIDGET (view)));
  app_test_iterate (50);
  /* 2 px all round a figure over 100 px a side */
  g_assert_cmpint (app_test_edge_ink (GTK_WIDGET (view)), >, 800);
  gtk_window_set_focus (GTK_WINDOW (window), NULL);

  g_object_set (page (), "mode", TRIAD_ATTENTION_GRID, NULL);
  app_test_iterate (100);
  g_assert_true (find_part (view, 2, -1, &x, &y, &part));
  g_assert_cmpint (part.panel, ==, TRIAD_ATTENTION_FIGURE_GRID);
  g_signal_emit_by_name (view, "activated", &part);
  g_object_get (page (), "head", &head, "mode", &mode, NULL);
  g_assert_cmpint (head, ==, 2);
  g_assert_cmpint (mode, ==, TRIAD_ATTENTION_SINGLE);
  g_object_set (page (), "head", 0, NULL);
}

int
main (int argc, char *argv[])
{
  int status;

  gtk_test_init (&argc, &argv, NULL);
  app = triad_application_new ();
  window = app_test_open_window (app, 1200, 800);

  g_test_add_func ("/app/window/models", test_models);
  g_test_add_func ("/app/window/layers-and-heads", test_layers_and_heads);
  g_test_add_func ("/app/window/figure-kinds", test_figure_kinds);
  g_test_add_func ("/app/window/bad-text-keeps-figure", test_bad_text_keeps_figure);
  g_test_add_func ("/app/window/export", test_export);
  g_test_add_func ("/app/window/induction-example", test_induction_example);
  g_test_add_func ("/app/window/lazy-parts", test_lazy_parts);
  g_test_add_func ("/app/window/style", test_style);
  g_test_add_func ("/app/window/figure-pointer", test_figure_pointer);
  status = g_test_run ();
  gtk_window_destroy (GTK_WINDOW (window));
  g_object_unref (app);
  return status;
}
