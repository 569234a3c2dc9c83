/* test-preferences.c — the window under Xvfb keeps the preferences of its schema
 * (data/org.triad.Triad.gschema.xml): the Attention view's layer and head from the keys
 * "layer" and "head" at start, and back into them as they change. */
#include "config.h"

#include "app-test.h"

#include <gtk/gtk.h>

#include "app/triad-application.h"
#include "app/triad-attention-page.h"
#include "app/triad-enum-types.h"
#include "engine/memory.h"
#include "scenes/masks-scene.h"
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

/* The views' <enum> keys take each nick of the GType bound to them, as that value: GSettings
 * binds the two by nick, so a nick of one missing from the other would be a setting that
 * cannot be saved or restored. (tests/app/test-actions.c checks the Attention view's keys
 * against its page.) Run after a window was closed, this also sets the colour map, the
 * normalisation and the head mode with no window: the closed window's actions used to hold
 * its Attention page and crash on the change. */
static void
test_enum_nicks (void)
{
  GSettings *settings = triad_application_get_settings (app);
  const struct { const char *key; GType type; } keys[] = {
    { "masks-compare", TRIAD_TYPE_COMPARE },
    { "kv-dtype", TRIAD_TYPE_DTYPE },
    { "kv-weight-dtype", TRIAD_TYPE_DTYPE },
    { "kv-attention", TRIAD_TYPE_KV_ATTENTION },
  };

  for (guint i = 0; i < G_N_ELEMENTS (keys); i++)
    {
      g_autoptr(GEnumClass) klass = g_type_class_ref (keys[i].type);

      for (guint v = 0; v < klass->n_values; v++)
        {
          g_assert_true (g_settings_set_string (settings, keys[i].key,
                                                klass->values[v].value_nick));
          g_assert_cmpint (g_settings_get_enum (settings, keys[i].key), ==,
                           klass->values[v].value);
        }
      g_settings_reset (settings, keys[i].key);
    }
  g_settings_set_string (settings, "colormap", "magma");
  g_settings_set_string (settings, "normalization", "row");
  g_settings_set_string (settings, "head-mode", "grid");
  g_settings_reset (settings, "colormap");
  g_settings_reset (settings, "normalization");
  g_settings_reset (settings, "head-mode");
}

/* The KV Cache and Masks views' controls from their keys when the page is built, and back
 * into them as they change: Mistral 7B at 32,768 tokens, batch 2, int8 cache, in GiB; the
 * Masks view on the prefix-LM with a prefix of 2. */
static void
test_view_keys (void)
{
  GSettings *settings = triad_application_get_settings (app);
  TriadWindow *window;
  GtkWidget *page;
  g_autofree char *preset = NULL;
  int context, batch, dtype, compare, prefix;
  gboolean gib;

  g_settings_set_string (settings, "kv-preset", "mistral-7b-v0.1");
  g_settings_set_int (settings, "kv-context", 32768);
  g_settings_set_int (settings, "kv-batch", 2);
  g_settings_set_string (settings, "kv-dtype", "int8");
  g_settings_set_boolean (settings, "kv-gib", TRUE);
  g_settings_set_string (settings, "masks-compare", "prefix");
  g_settings_set_int (settings, "masks-prefix", 2);
  g_settings_set_string (settings, "view", "kv");

  window = app_test_open_window (app, 1200, 800);
  page = triad_window_get_page (window);
  g_object_get (page, "preset", &preset, "context", &context, "batch", &batch,
                "kv-dtype", &dtype, "gib", &gib, NULL);
  g_assert_cmpstr (preset, ==, "mistral-7b-v0.1");
  g_assert_cmpint (context, ==, 32768);
  g_assert_cmpint (batch, ==, 2);
  g_assert_cmpint (dtype, ==, TRIAD_DTYPE_INT8);
  g_assert_true (gib);
  g_object_set (page, "context", 4096, "kv-dtype", TRIAD_DTYPE_F32, NULL);
  g_assert_cmpint (g_settings_get_int (settings, "kv-context"), ==, 4096);
  g_assert_cmpint (g_settings_get_enum (settings, "kv-dtype"), ==, TRIAD_DTYPE_F32);

  app_test_activate (GTK_WIDGET (window), "win.view", g_variant_new_string ("masks"));
  page = triad_window_get_page (window);
  g_object_get (page, "compare", &compare, "prefix", &prefix, NULL);
  g_assert_cmpint (compare, ==, TRIAD_COMPARE_PREFIX_LM);
  g_assert_cmpint (prefix, ==, 2);
  g_object_set (page, "compare", TRIAD_COMPARE_SLIDING, NULL);
  g_assert_cmpstr (g_settings_get_string (settings, "masks-compare"), ==, "sliding");
  gtk_window_destroy (GTK_WINDOW (window));
  app_test_iterate (50);
  {
    const char *keys[] = { "kv-preset", "kv-context", "kv-batch", "kv-dtype", "kv-gib",
                           "masks-compare", "masks-prefix", "view" };

    for (guint i = 0; i < G_N_ELEMENTS (keys); i++)
      g_settings_reset (settings, keys[i]);
  }
}

int
main (int argc, char *argv[])
{
  int status;

  gtk_test_init (&argc, &argv, NULL);
  app = triad_application_new ();
  g_test_add_func ("/app/preferences/layer-and-head", test_layer_and_head);
  g_test_add_func ("/app/preferences/enum-nicks", test_enum_nicks);
  g_test_add_func ("/app/preferences/view-keys", test_view_keys);
  status = g_test_run ();
  g_object_unref (app);
  return status;
}
