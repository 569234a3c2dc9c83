/* test-preferences.c — the window under Xvfb keeps the preferences of its schema
 * (data/org.triad.Triad.gschema.xml): the Attention view's layer and head from the keys
 * "layer" and "head" at start, and back into them as they change. */
#include "config.h"

#include "app-test.h"

#include <gtk/gtk.h>

#include "app/triad-application.h"
#include "app/triad-attention-page.h"
#include "app/triad-window.h"

static TriadApplication *app;

/* The shipped decoder has 4 layers and 4 heads (data/models/decoder/config.json): layer 1 and
 * head 2 are neither a new model's start (its last layer, 3, and head 0) nor an end. */
static void
test_layer_and_head (void)
{
  GSettings *settings;
  TriadWindow *window;
  TriadAttentionPage *page;
  int layer, head;

  g_assert_true (g_application_register (G_APPLICATION (app), NULL, NULL));
  settings = triad_application_get_settings (app);
  g_settings_set_string (settings, "view", "attention");
  g_settings_set_string (settings, "model", "decoder");
  g_settings_set_int (settings, "layer", 1);
  g_settings_set_int (settings, "head", 2);

  window = app_test_open_window (app, 1200, 800);
  page = TRIAD_ATTENTION_PAGE (triad_window_get_page (window));
  app_test_wait_attention (page);
  g_object_get (page, "layer", &layer, "head", &head, NULL);
  g_assert_cmpint (layer, ==, 1);
  g_assert_cmpint (head, ==, 2);

  /* the keys follow the window's actions */
  app_test_activate (GTK_WIDGET (window), "win.next-layer", NULL);
  app_test_activate (GTK_WIDGET (window), "win.next-head", NULL);
  g_assert_cmpint (g_settings_get_int (settings, "layer"), ==, 2);
  g_assert_cmpint (g_settings_get_int (settings, "head"), ==, 3);
  app_test_activate (GTK_WIDGET (window), "win.previous-layer", NULL);
  app_test_activate (GTK_WIDGET (window), "win.previous-layer", NULL);
  app_test_activate (GTK_WIDGET (window), "win.previous-head", NULL);
  g_assert_cmpint (g_settings_get_int (settings, "layer"), ==, 0);
  g_assert_cmpint (g_settings_get_int (settings, "head"), ==, 2);
  app_test_wait_attention (page);
  gtk_window_destroy (GTK_WINDOW (window));
  app_test_iterate (50);

  /* a second window starts where the first one left */
  window = app_test_open_window (app, 1200, 800);
  page = TRIAD_ATTENTION_PAGE (triad_window_get_page (window));
  app_test_wait_attention (page);
  g_object_get (page, "layer", &layer, "head", &head, NULL);
  g_assert_cmpint (layer, ==, 0);
  g_assert_cmpint (head, ==, 2);
  gtk_window_destroy (GTK_WINDOW (window));
}

int
main (int argc, char *argv[])
{
  int status;

  gtk_test_init (&argc, &argv, NULL);
  app = triad_application_new ();
  g_test_add_func ("/app/preferences/layer-and-head", test_layer_and_head);
  status = g_test_run ();
  g_object_unref (app);
  return status;
}
