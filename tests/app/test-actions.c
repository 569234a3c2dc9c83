/* test-actions.c — the window under Xvfb: the schema's <enum> keys reach the pages' enum
 * properties by nick and back, and the window's layer and head actions step the page in sight,
 * whichever view it is, through that page's view.* actions. */
#include "config.h"

#include "app-test.h"

#include <gtk/gtk.h>

#include "app/triad-application.h"
#include "app/triad-attention-page.h"
#include "app/triad-cross-page.h"
#include "app/triad-masks-page.h"
#include "app/triad-view.h"
#include "app/triad-window.h"

static TriadApplication *app;

/* The application's settings, which it holds once registered. */
static GSettings *
settings_of_app (void)
{
  if (!g_application_get_is_registered (G_APPLICATION (app)))
    g_assert_true (g_application_register (G_APPLICATION (app), NULL, NULL));
  return triad_application_get_settings (app);
}

/* Runs the main loop until the page in sight is idle and has been for the debounce (or 30 s
 * pass); ready says whether it has a result. */
static GtkWidget *
wait_page (TriadWindow *window,
           gboolean   (*ready) (GtkWidget *page))
{
  gint64 deadline = g_get_monotonic_time () + 30 * G_USEC_PER_SEC;
  GtkWidget *page = triad_window_get_page (window);

  while (g_get_monotonic_time () < deadline)
    {
      g_main_context_iteration (NULL, FALSE);
      if (!triad_view_get_busy (TRIAD_VIEW (page)) && ready (page))
        {
          app_test_iterate (400);
          if (!triad_view_get_busy (TRIAD_VIEW (page)))
            return page;
        }
    }
  g_error ("the page did not finish in time");
  return NULL;
}

static gboolean
masks_ready (GtkWidget *page)
{
  return triad_masks_page_get_scene (TRIAD_MASKS_PAGE (page)) != NULL;
}

static gboolean
cross_ready (GtkWidget *page)
{
  return triad_cross_page_get_view (TRIAD_CROSS_PAGE (page)) != NULL;
}

static gboolean
attention_ready (GtkWidget *page)
{
  return triad_attention_page_get_map (TRIAD_ATTENTION_PAGE (page)) != NULL;
}

static int
get_int (GtkWidget  *page,
         const char *property)
{
  int v = G_MININT;

  g_object_get (page, property, &v, NULL);
  return v;
}

static int
get_enum (gpointer    object,
          const char *property)
{
  GParamSpec *pspec = g_object_class_find_property (G_OBJECT_GET_CLASS (object), property);
  GValue v = G_VALUE_INIT;
  int e;

  g_assert_nonnull (pspec);
  g_value_init (&v, pspec->value_type);
  g_object_get_property (G_OBJECT (object), property, &v);
  e = g_value_get_enum (&v);
  g_value_unset (&v);
  return e;
}

/* The schema's nicks for key, in its order, are the nicks of the page property's enum type,
 * in the enum's order: GSettings binds by nick, so they must agree one for one. */
static void
assert_same_nicks (GSettings  *settings,
                   const char *key,
                   GObject    *page,
                   const char *property)
{
  g_autoptr(GSettingsSchema) schema = NULL;
  g_autoptr(GSettingsSchemaKey) skey = NULL;
  g_autoptr(GVariant) range = NULL;
  g_autoptr(GVariant) values = NULL;
  g_autofree const char **nicks = NULL;
  const char *type;
  GParamSpec *pspec = g_object_class_find_property (G_OBJECT_GET_CLASS (page), property);
  GEnumClass *klass;
  gsize n;

  g_assert_nonnull (pspec);
  g_assert_true (G_TYPE_IS_ENUM (pspec->value_type));
  g_object_get (settings, "settings-schema", &schema, NULL);
  skey = g_settings_schema_get_key (schema, key);
  range = g_settings_schema_key_get_range (skey);
  g_variant_get (range, "(&sv)", &type, &values);
  g_assert_cmpstr (type, ==, "enum");
  nicks = g_variant_get_strv (values, &n);
  klass = g_type_class_ref (pspec->value_type);
  g_assert_cmpuint (n, ==, klass->n_values);
  for (guint i = 0; i < n; i++)
    {
      g_assert_cmpint (klass->values[i].value, ==, (int) i);
      g_assert_cmpstr (nicks[i], ==, klass->values[i].value_nick);
    }
  g_type_class_unref (klass);
}

/* The colour map, normalisation and head mode go from the keys into the Attention page by
 * nick, and back; the colour map also reaches the Masks page, which only reads it. The
 * expected values are the scene's enums in the order the headers declare them. */
static void
test_enum_settings (void)
{
  GSettings *settings = settings_of_app ();
  TriadWindow *window;
  GtkWidget *page, *masks;

  g_settings_set_string (settings, "view", "attention");
  g_settings_set_string (settings, "model", "decoder");
  window = app_test_open_window (app, 1200, 800);
  page = wait_page (window, attention_ready);
  g_assert_true (TRIAD_IS_ATTENTION_PAGE (page));

  assert_same_nicks (settings, "colormap", G_OBJECT (page), "colormap");
  assert_same_nicks (settings, "normalization", G_OBJECT (page), "normalization");
  assert_same_nicks (settings, "head-mode", G_OBJECT (page), "mode");

  g_settings_set_string (settings, "colormap", "magma");
  g_settings_set_string (settings, "normalization", "row");
  g_settings_set_string (settings, "head-mode", "average");
  g_assert_cmpint (get_enum (page, "colormap"), ==, TRIAD_COLORMAP_MAGMA);
  g_assert_cmpint (get_enum (page, "normalization"), ==, TRIAD_NORM_ROW);
  g_assert_cmpint (get_enum (page, "mode"), ==, TRIAD_ATTENTION_MEAN);

  /* the page's own controls write the keys back, by the same nicks */
  g_object_set (page, "colormap", TRIAD_COLORMAP_GREY, "normalization", TRIAD_NORM_LOG,
                "mode", TRIAD_ATTENTION_GRID, NULL);
  {
    g_autofree char *cmap = g_settings_get_string (settings, "colormap");
    g_autofree char *norm = g_settings_get_string (settings, "normalization");
    g_autofree char *mode = g_settings_get_string (settings, "head-mode");

    g_assert_cmpstr (cmap, ==, "grey");
    g_assert_cmpstr (norm, ==, "log");
    g_assert_cmpstr (mode, ==, "grid");
  }

  /* the same key, bound one way into the Masks page */
  app_test_activate (GTK_WIDGET (window), "win.view", g_variant_new_string ("masks"));
  masks = triad_window_get_page (window);
  g_assert_true (TRIAD_IS_MASKS_PAGE (masks));
  g_assert_cmpint (get_enum (masks, "colormap"), ==, TRIAD_COLORMAP_GREY);
  g_settings_set_string (settings, "colormap", "cividis");
  g_assert_cmpint (get_enum (masks, "colormap"), ==, TRIAD_COLORMAP_CIVIDIS);
  g_assert_cmpint (get_enum (page, "colormap"), ==, TRIAD_COLORMAP_CIVIDIS);

  g_settings_reset (settings, "colormap");
  g_settings_reset (settings, "normalization");
  g_settings_reset (settings, "head-mode");
  g_settings_set_string (settings, "view", "attention");
  gtk_window_destroy (GTK_WINDOW (window));
  app_test_iterate (50);
}

/* win.next-layer and its kin on the Masks, Attention and Cross-Attention pages: each moves the
 * layer (and head) of the page in sight and of no other. The shipped decoder and encoder have
 * 4 layers and 4 heads, the encoder-decoder 3 decoder layers and 4 heads
 * (data/models/…/config.json); the Masks page starts at layer 0 and head 0, and the others are
 * put on layer 0 or 1 first, so that a step forward stays within the model. */
static void
test_next_layer (void)
{
  GSettings *settings = settings_of_app ();
  TriadWindow *window;
  GtkWidget *attention, *masks, *cross;
  GtkWidget *w;
  int attention_layer;

  g_settings_set_string (settings, "view", "attention");
  g_settings_set_string (settings, "model", "decoder");
  window = app_test_open_window (app, 1200, 800);
  w = GTK_WIDGET (window);
  attention = wait_page (window, attention_ready);
  g_object_set (attention, "layer", 1, "head", 2, NULL);
  app_test_activate (w, "win.next-layer", NULL);
  app_test_activate (w, "win.next-head", NULL);
  g_assert_cmpint (get_int (attention, "layer"), ==, 2);
  g_assert_cmpint (get_int (attention, "head"), ==, 3);
  attention_layer = get_int (attention, "layer");

  app_test_activate (w, "win.view", g_variant_new_string ("masks"));
  masks = wait_page (window, masks_ready);
  g_assert_true (TRIAD_IS_MASKS_PAGE (masks));
  g_assert_cmpint (get_int (masks, "layer"), ==, 0);
  g_assert_cmpint (get_int (masks, "head"), ==, 0);
  app_test_activate (w, "win.next-layer", NULL);
  app_test_activate (w, "win.next-layer", NULL);
  app_test_activate (w, "win.next-head", NULL);
  g_assert_cmpint (get_int (masks, "layer"), ==, 2);
  g_assert_cmpint (get_int (masks, "head"), ==, 1);
  app_test_activate (w, "win.previous-layer", NULL);
  g_assert_cmpint (get_int (masks, "layer"), ==, 1);
  /* the page out of sight kept its layer */
  g_assert_cmpint (get_int (attention, "layer"), ==, attention_layer);

  app_test_activate (w, "win.view", g_variant_new_string ("cross"));
  cross = wait_page (window, cross_ready);
  g_assert_true (TRIAD_IS_CROSS_PAGE (cross));
  g_object_set (cross, "layer", 0, NULL);
  app_test_activate (w, "win.next-layer", NULL);
  g_assert_cmpint (get_int (cross, "layer"), ==, 1);
  /* the heads come after their average, -1 */
  g_object_set (cross, "head", -1, NULL);
  app_test_activate (w, "win.next-head", NULL);
  g_assert_cmpint (get_int (cross, "head"), ==, 0);
  app_test_activate (w, "win.previous-head", NULL);
  app_test_activate (w, "win.previous-head", NULL);
  g_assert_cmpint (get_int (cross, "head"), ==, 3);
  g_assert_cmpint (get_int (masks, "layer"), ==, 1);
  g_assert_cmpint (get_int (attention, "layer"), ==, attention_layer);

  /* the pages' own actions are there by the same names, for menus in the pages */
  g_assert_true (gtk_widget_activate_action (cross, "view.layer", "i", 2));
  g_assert_cmpint (get_int (cross, "layer"), ==, 2);

  g_settings_set_string (settings, "view", "attention");
  gtk_window_destroy (GTK_WINDOW (window));
  app_test_iterate (50);
}

static gpointer
child (GtkWidget  *page,
       GType       type,
       const char *name)
{
  GObject *c = gtk_widget_get_template_child (page, type, name);

  g_assert_nonnull (c);
  return c;
}

static gboolean
active (GtkWidget  *page,
        GType       type,
        const char *name)
{
  return gtk_toggle_button_get_active (child (page, type, name));
}

/* The Attention page's mode buttons, colour-map list and Lines button, and the Cross-Attention
 * page's display buttons, follow their properties and set them: one way and the other. */
static void
test_controls (void)
{
  GSettings *settings = settings_of_app ();
  GType at = TRIAD_TYPE_ATTENTION_PAGE, ct = TRIAD_TYPE_CROSS_PAGE;
  TriadWindow *window;
  GtkWidget *page, *cross;
  gboolean lines;

  g_settings_set_string (settings, "view", "attention");
  g_settings_set_string (settings, "model", "decoder");
  window = app_test_open_window (app, 1200, 800);
  page = wait_page (window, attention_ready);

  g_object_set (page, "mode", TRIAD_ATTENTION_GRID, NULL);
  app_test_iterate (50);
  g_assert_true (active (page, at, "grid_button"));
  g_assert_false (active (page, at, "single_button"));
  g_assert_false (active (page, at, "average_button"));
  g_signal_emit_by_name (child (page, at, "average_button"), "clicked");
  app_test_iterate (50);
  g_assert_cmpint (get_enum (page, "mode"), ==, TRIAD_ATTENTION_MEAN);
  g_assert_true (active (page, at, "average_button"));
  g_assert_false (active (page, at, "grid_button"));

  g_object_get (page, "show-lines", &lines, NULL);
  g_assert_false (lines);
  g_signal_emit_by_name (child (page, at, "lines_button"), "clicked");
  app_test_iterate (50);
  g_object_get (page, "show-lines", &lines, NULL);
  g_assert_true (lines);
  g_assert_true (active (page, at, "lines_button"));
  g_object_set (page, "show-lines", FALSE, NULL);
  app_test_iterate (50);
  g_assert_false (active (page, at, "lines_button"));

  /* the list's second item is Magma, its fourth Grey (the enum's order) */
  gtk_drop_down_set_selected (child (page, at, "colormap_dropdown"), 1);
  g_assert_cmpint (get_enum (page, "colormap"), ==, TRIAD_COLORMAP_MAGMA);
  {
    g_autofree char *cmap = g_settings_get_string (settings, "colormap");
    g_assert_cmpstr (cmap, ==, "magma");
  }
  g_settings_set_string (settings, "colormap", "grey");
  g_assert_cmpuint (gtk_drop_down_get_selected (child (page, at, "colormap_dropdown")), ==, 3);
  gtk_drop_down_set_selected (child (page, at, "norm_dropdown"), 2);
  g_assert_cmpint (get_enum (page, "normalization"), ==, TRIAD_NORM_LOG);

  app_test_activate (GTK_WIDGET (window), "win.view", g_variant_new_string ("cross"));
  cross = wait_page (window, cross_ready);
  g_assert_true (active (cross, ct, "heatmaps_button"));
  g_object_set (cross, "display", TRIAD_CROSS_DISPLAY_ALIGNMENT, NULL);
  app_test_iterate (50);
  g_assert_true (active (cross, ct, "alignment_button"));
  g_assert_false (active (cross, ct, "heatmaps_button"));
  g_signal_emit_by_name (child (cross, ct, "heatmaps_button"), "clicked");
  app_test_iterate (50);
  g_assert_cmpint (get_enum (cross, "display"), ==, TRIAD_CROSS_DISPLAY_HEATMAPS);
  g_assert_false (active (cross, ct, "alignment_button"));

  g_object_set (page, "mode", TRIAD_ATTENTION_SINGLE, NULL);
  g_settings_reset (settings, "colormap");
  g_settings_reset (settings, "normalization");
  g_settings_reset (settings, "head-mode");
  g_settings_set_string (settings, "view", "attention");
  gtk_window_destroy (GTK_WINDOW (window));
  app_test_iterate (50);
}

/* The entry a drop-down shows. */
static const char *
shown (GtkWidget  *page,
       GType       type,
       const char *name)
{
  GtkStringObject *item = gtk_drop_down_get_selected_item (child (page, type, name));

  g_assert_nonnull (item);
  return gtk_string_object_get_string (item);
}

/* The layer and head lists of the Attention, Cross-Attention and Masks pages are bound to
 * their properties: a property set shows in its list, an entry chosen sets the property, and
 * the view.layer and view.head actions reach both. The shipped models have 4 heads, the
 * decoder 4 layers, the encoder-decoder 3 decoder layers (data/models/…/config.json); the
 * Cross-Attention page's head list starts with the mean of the heads, -1. */
static void
test_layer_lists (void)
{
  GSettings *settings = settings_of_app ();
  GType at = TRIAD_TYPE_ATTENTION_PAGE, ct = TRIAD_TYPE_CROSS_PAGE, mt = TRIAD_TYPE_MASKS_PAGE;
  TriadWindow *window;
  GtkWidget *page;

  g_settings_set_string (settings, "view", "attention");
  g_settings_set_string (settings, "model", "decoder");
  window = app_test_open_window (app, 1200, 800);
  page = wait_page (window, attention_ready);
  g_object_set (page, "layer", 2, "head", 3, NULL);
  g_assert_cmpstr (shown (page, at, "layer_dropdown"), ==, "Layer 2");
  g_assert_cmpstr (shown (page, at, "head_dropdown"), ==, "Head 3");
  gtk_drop_down_set_selected (child (page, at, "layer_dropdown"), 1);
  g_assert_cmpint (get_int (page, "layer"), ==, 1);
  g_assert_true (gtk_widget_activate_action (page, "view.head", "i", 0));
  g_assert_cmpint (get_int (page, "head"), ==, 0);
  g_assert_cmpstr (shown (page, at, "head_dropdown"), ==, "Head 0");

  app_test_activate (GTK_WIDGET (window), "win.view", g_variant_new_string ("cross"));
  page = wait_page (window, cross_ready);
  g_object_set (page, "head", -1, NULL);
  g_assert_cmpstr (shown (page, ct, "head_dropdown"), ==, "Mean of heads");
  g_assert_true (gtk_widget_activate_action (page, "view.head", "i", 2));
  g_assert_cmpstr (shown (page, ct, "head_dropdown"), ==, "Head 2");
  gtk_drop_down_set_selected (child (page, ct, "head_dropdown"), 0);
  g_assert_cmpint (get_int (page, "head"), ==, -1);
  gtk_drop_down_set_selected (child (page, ct, "layer_dropdown"), 2);
  g_assert_cmpint (get_int (page, "layer"), ==, 2);
  g_assert_true (gtk_widget_activate_action (page, "view.layer", "i", 0));
  g_assert_cmpstr (shown (page, ct, "layer_dropdown"), ==, "Layer 0");

  app_test_activate (GTK_WIDGET (window), "win.view", g_variant_new_string ("masks"));
  page = wait_page (window, masks_ready);
  g_assert_true (gtk_widget_activate_action (page, "view.layer", "i", 2));
  g_assert_cmpint (get_int (page, "layer"), ==, 2);
  g_assert_cmpstr (shown (page, mt, "layer_dropdown"), ==, "Layer 2");
  gtk_drop_down_set_selected (child (page, mt, "head_dropdown"), 3);
  g_assert_cmpint (get_int (page, "head"), ==, 3);
  g_object_set (page, "head", 1, NULL);
  g_assert_cmpstr (shown (page, mt, "head_dropdown"), ==, "Head 1");
  /* after the recomputation the list still shows the layer asked for */
  page = wait_page (window, masks_ready);
  g_assert_cmpint (get_int (page, "layer"), ==, 2);
  g_assert_cmpstr (shown (page, mt, "layer_dropdown"), ==, "Layer 2");
  g_object_set (page, "layer", 0, "head", 0, NULL);

  g_settings_set_string (settings, "view", "attention");
  gtk_window_destroy (GTK_WINDOW (window));
  app_test_iterate (50);
}

/* The Masks page's third mask is an enum property: the list follows it and sets it, and
 * view.compare sets it by nick; the spin button is there for the two masks with a number (the
 * window, the prefix). The list's words are those of ui/triad-masks-page.ui. */
static void
test_masks_compare (void)
{
  GSettings *settings = settings_of_app ();
  GType mt = TRIAD_TYPE_MASKS_PAGE;
  TriadWindow *window;
  GtkWidget *masks;
  GtkDropDown *dd;

  g_settings_set_string (settings, "view", "masks");
  window = app_test_open_window (app, 1200, 800);
  masks = wait_page (window, masks_ready);
  g_assert_true (TRIAD_IS_MASKS_PAGE (masks));
  dd = child (masks, mt, "compare_dropdown");
  g_assert_cmpint (get_enum (masks, "compare"), ==, TRIAD_COMPARE_NONE);

  g_object_set (masks, "compare", TRIAD_COMPARE_SLIDING, NULL);
  g_assert_cmpstr (gtk_string_object_get_string (gtk_drop_down_get_selected_item (dd)), ==,
                   "Sliding window");
  g_assert_true (gtk_widget_get_visible (child (masks, mt, "compare_spin")));

  g_assert_true (gtk_widget_activate_action (masks, "view.compare", "s", "padding"));
  g_assert_cmpint (get_enum (masks, "compare"), ==, TRIAD_COMPARE_PADDING);
  g_assert_cmpstr (gtk_string_object_get_string (gtk_drop_down_get_selected_item (dd)), ==,
                   "Key padding");
  g_assert_false (gtk_widget_get_visible (child (masks, mt, "compare_spin")));

  gtk_drop_down_set_selected (dd, 2);
  g_assert_cmpint (get_enum (masks, "compare"), ==, TRIAD_COMPARE_PREFIX_LM);
  g_assert_true (gtk_widget_get_visible (child (masks, mt, "compare_spin")));

  g_object_set (masks, "compare", TRIAD_COMPARE_NONE, NULL);
  g_settings_set_string (settings, "view", "attention");
  gtk_window_destroy (GTK_WINDOW (window));
  app_test_iterate (50);
}

/* The window's win.mode, win.colormap, … act on the page in sight through its view.*
 * action, and on no other page: on the Masks page win.colormap sets its colour map, and
 * win.mode, which it has not, leaves the Attention page's mode alone; on the Attention page
 * the same win.mode sets it. */
static void
test_forward (void)
{
  GSettings *settings = settings_of_app ();
  TriadWindow *window;
  GtkWidget *attention, *masks;

  g_settings_set_string (settings, "view", "attention");
  g_settings_set_string (settings, "model", "decoder");
  window = app_test_open_window (app, 1200, 800);
  attention = wait_page (window, attention_ready);
  g_object_set (attention, "mode", TRIAD_ATTENTION_SINGLE, NULL);

  app_test_activate (GTK_WIDGET (window), "win.view", g_variant_new_string ("masks"));
  masks = wait_page (window, masks_ready);
  app_test_activate (GTK_WIDGET (window), "win.colormap", g_variant_new_string ("magma"));
  g_assert_cmpint (get_enum (masks, "colormap"), ==, TRIAD_COLORMAP_MAGMA);
  app_test_activate (GTK_WIDGET (window), "win.mode", g_variant_new_string ("grid"));
  g_assert_cmpint (get_enum (attention, "mode"), ==, TRIAD_ATTENTION_SINGLE);

  app_test_activate (GTK_WIDGET (window), "win.view", g_variant_new_string ("attention"));
  app_test_activate (GTK_WIDGET (window), "win.mode", g_variant_new_string ("grid"));
  g_assert_cmpint (get_enum (attention, "mode"), ==, TRIAD_ATTENTION_GRID);
  app_test_activate (GTK_WIDGET (window), "win.mode", g_variant_new_string ("single"));

  g_settings_reset (settings, "colormap");
  g_settings_reset (settings, "head-mode");
  gtk_window_destroy (GTK_WINDOW (window));
  app_test_iterate (50);
}

/* Every accelerator the application sets names an action the window (win.*) or the
 * application (app.*) has, taking the accelerator's target (none, or one of its parameter's
 * type): an accelerator of an action that went, or of a changed parameter, does nothing. On
 * the Attention page Ctrl+2's action, win.mode::average, then sets the page's mode. */
static void
test_accels (void)
{
  GSettings *settings = settings_of_app ();
  g_auto(GStrv) names = NULL;
  TriadWindow *window;
  GtkWidget *page;
  guint n = 0;

  g_settings_set_string (settings, "view", "attention");
  window = app_test_open_window (app, 1200, 800);
  page = wait_page (window, attention_ready);
  names = gtk_application_list_action_descriptions (GTK_APPLICATION (app));
  for (guint i = 0; names[i] != NULL; i++)
    {
      g_autofree char *name = NULL;
      g_autoptr(GVariant) target = NULL;
      g_auto(GStrv) accels = gtk_application_get_accels_for_action (GTK_APPLICATION (app),
                                                                    names[i]);
      GActionGroup *group;
      const GVariantType *type;

      if (accels[0] == NULL)
        continue;
      g_assert_true (g_action_parse_detailed_name (names[i], &name, &target, NULL));
      g_assert_true (g_str_has_prefix (name, "win.") || g_str_has_prefix (name, "app."));
      group = g_str_has_prefix (name, "win.") ? G_ACTION_GROUP (window) : G_ACTION_GROUP (app);
      g_test_message ("%s: %s", names[i], accels[0]);
      g_assert_true (g_action_group_has_action (group, name + 4));
      type = g_action_group_get_action_parameter_type (group, name + 4);
      if (target == NULL)
        g_assert_null (type);
      else
        g_assert_true (type != NULL && g_variant_is_of_type (target, type));
      n++;
    }
  /* quit, preferences, close, the three models, the three modes, the lines, … */
  g_assert_cmpuint (n, >=, 10);

  g_object_set (page, "mode", TRIAD_ATTENTION_SINGLE, NULL);
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (window), "win.mode", "s", "average"));
  g_assert_cmpint (get_enum (page, "mode"), ==, TRIAD_ATTENTION_MEAN);
  g_object_set (page, "mode", TRIAD_ATTENTION_SINGLE, NULL);
  g_settings_reset (settings, "head-mode");

  /* Ctrl+W's win.close closes the window (it named no action before) */
  {
    guint before = g_list_length (gtk_application_get_windows (GTK_APPLICATION (app)));

    g_assert_true (gtk_widget_activate_action (GTK_WIDGET (window), "win.close", NULL));
    app_test_iterate (50);
    g_assert_cmpuint (g_list_length (gtk_application_get_windows (GTK_APPLICATION (app))), ==,
                      before - 1);
  }
}

int
main (int argc, char *argv[])
{
  int status;

  gtk_test_init (&argc, &argv, NULL);
  app = triad_application_new ();
  g_test_add_func ("/app/actions/enum-settings", test_enum_settings);
  g_test_add_func ("/app/actions/next-layer", test_next_layer);
  g_test_add_func ("/app/actions/controls", test_controls);
  g_test_add_func ("/app/actions/masks-compare", test_masks_compare);
  g_test_add_func ("/app/actions/layer-lists", test_layer_lists);
  g_test_add_func ("/app/actions/forward", test_forward);
  g_test_add_func ("/app/actions/accels", test_accels);
  status = g_test_run ();
  g_object_unref (app);
  return status;
}
