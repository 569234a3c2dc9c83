/* app-test.h — what the window's tests share: running the main loop for a while, and
 * activating the window's actions as its menus and keys do. */
#pragma once

#include "config.h"

#include <gtk/gtk.h>
#include <cairo-pdf.h>
#include <glib/gstdio.h>

#include "../test-tools.h"
#include "app/triad-application.h"
#include "app/triad-attention-page.h"
#include "app/triad-window.h"

/* A window of app (registered here if it is not yet), presented at width × height. */
static inline TriadWindow *
app_test_open_window (TriadApplication *app,
                      int               width,
                      int               height)
{
  TriadWindow *window;

  if (!g_application_get_is_registered (G_APPLICATION (app)))
    g_assert_true (g_application_register (G_APPLICATION (app), NULL, NULL));
  window = triad_window_new (app);
  gtk_window_set_default_size (GTK_WINDOW (window), width, height);
  gtk_window_present (GTK_WINDOW (window));
  return window;
}

/* The shipped models' files, one by one: the three folders and what each holds. */
static const char * const app_test_model_names[] = { "decoder", "encoder", "encdec" };
static const char * const app_test_model_files[] = { "config.json", "model.safetensors",
                                                     "tokenizer.json" };

/* A copy of the three shipped model folders in a new temporary folder, for tests that break
 * them: each file named in halved ("encdec/model.safetensors", NULL-terminated) is cut to
 * its first half. Free with app_test_remove_models (). */
static inline char *
app_test_copy_models (const char * const *halved)
{
  char *top = g_dir_make_tmp ("triad-models-XXXXXX", NULL);

  g_assert_nonnull (top);
  for (guint m = 0; m < G_N_ELEMENTS (app_test_model_names); m++)
    {
      g_autofree char *dir = g_build_filename (top, app_test_model_names[m], NULL);

      g_assert_cmpint (g_mkdir (dir, 0755), ==, 0);
      for (guint f = 0; f < G_N_ELEMENTS (app_test_model_files); f++)
        {
          g_autofree char *name = g_build_filename (app_test_model_names[m],
                                                    app_test_model_files[f], NULL);
          g_autofree char *from = g_build_filename (TRIAD_SOURCE_MODELS_DIR, name, NULL);
          g_autofree char *to = g_build_filename (top, name, NULL);
          g_autofree char *contents = NULL;
          gsize len;

          g_assert_true (g_file_get_contents (from, &contents, &len, NULL));
          for (int h = 0; halved != NULL && halved[h] != NULL; h++)
            if (g_str_equal (halved[h], name))
              len /= 2;
          g_assert_true (g_file_set_contents (to, contents, len, NULL));
        }
    }
  return top;
}

static inline void
app_test_remove_models (char *top)
{
  for (guint m = 0; m < G_N_ELEMENTS (app_test_model_names); m++)
    {
      for (guint f = 0; f < G_N_ELEMENTS (app_test_model_files); f++)
        {
          g_autofree char *path = g_build_filename (top, app_test_model_names[m],
                                                    app_test_model_files[f], NULL);
          g_unlink (path);
        }
      {
        g_autofree char *dir = g_build_filename (top, app_test_model_names[m], NULL);
        g_rmdir (dir);
      }
    }
  g_rmdir (top);
  g_free (top);
}

/* Runs the main loop for ms milliseconds. */
static inline void
app_test_iterate (int ms)
{
  gint64 until = g_get_monotonic_time () + (gint64) ms * 1000;

  while (g_get_monotonic_time () < until)
    g_main_context_iteration (NULL, FALSE);
}

/* Activates a window action ("win.model", …) on widget, which must find it. */
static inline void
app_test_activate (GtkWidget  *widget,
                   const char *action,
                   GVariant   *param)
{
  g_assert_true (gtk_widget_activate_action_variant (widget, action, param));
}

/* Runs the main loop until the Attention page has its result, past a pending debounce (or
 * 30 s pass). */
static inline void
app_test_wait_attention (TriadAttentionPage *page)
{
  gint64 deadline = g_get_monotonic_time () + 30 * G_USEC_PER_SEC;

  /* the debounce first, then the worker thread */
  while (g_get_monotonic_time () < deadline)
    {
      g_main_context_iteration (NULL, FALSE);
      if (!triad_attention_page_get_busy (page) && triad_attention_page_get_map (page) != NULL)
        {
          /* let pending timeouts (the debounce) fire, then check again */
          app_test_iterate (400);
          if (!triad_attention_page_get_busy (page))
            return;
        }
    }
  g_error ("the page did not finish in time");
}

/* The words widget shows on screen: its render node, as GTK draws it now, replayed into a
 * PDF and read back with pdftotext. NULL when pdftotext is missing (the test then failed or
 * skipped). */
static inline char *
app_test_screen_text (GtkWidget *widget)
{
  g_autoptr(GdkPaintable) paintable = gtk_widget_paintable_new (widget);
  GtkSnapshot *snapshot = gtk_snapshot_new ();
  int width = gtk_widget_get_width (widget), height = gtk_widget_get_height (widget);
  g_autofree char *dir = g_dir_make_tmp ("triad-screen-XXXXXX", NULL);
  g_autofree char *path = g_build_filename (dir, "screen.pdf", NULL);
  GskRenderNode *render;
  cairo_surface_t *pdf;
  cairo_t *cr;
  char *text;

  g_assert_cmpint (width, >, 0);
  g_assert_cmpint (height, >, 0);
  gdk_paintable_snapshot (paintable, snapshot, width, height);
  render = gtk_snapshot_free_to_node (snapshot);
  g_assert_nonnull (render);
  pdf = cairo_pdf_surface_create (path, width, height);
  cr = cairo_create (pdf);
  gsk_render_node_draw (render, cr);
  cairo_destroy (cr);
  cairo_surface_finish (pdf);
  g_assert_cmpint (cairo_surface_status (pdf), ==, CAIRO_STATUS_SUCCESS);
  cairo_surface_destroy (pdf);
  gsk_render_node_unref (render);
  text = test_pdf_text (path);
  g_unlink (path);
  g_rmdir (dir);
  return text;
}

/* The pixels of widget's outermost 3 px frame, as the screen draws it, that are not
 * transparent: where a focus ring shows. */
static inline int
app_test_edge_ink (GtkWidget *widget)
{
  g_autoptr(GdkPaintable) paintable = gtk_widget_paintable_new (widget);
  GtkSnapshot *snapshot = gtk_snapshot_new ();
  int width = gtk_widget_get_width (widget), height = gtk_widget_get_height (widget);
  GskRenderNode *render;
  cairo_surface_t *surface;
  cairo_t *cr;
  const guint8 *data;
  int stride, ink = 0;

  g_assert_cmpint (width, >, 6);
  g_assert_cmpint (height, >, 6);
  gdk_paintable_snapshot (paintable, snapshot, width, height);
  render = gtk_snapshot_free_to_node (snapshot);
  surface = cairo_image_surface_create (CAIRO_FORMAT_ARGB32, width, height);
  if (render != NULL)
    {
      cr = cairo_create (surface);
      gsk_render_node_draw (render, cr);
      cairo_destroy (cr);
      gsk_render_node_unref (render);
    }
  cairo_surface_flush (surface);
  data = cairo_image_surface_get_data (surface);
  stride = cairo_image_surface_get_stride (surface);
  for (int y = 0; y < height; y++)
    for (int x = 0; x < width; x++)
      {
        guint32 px = *(const guint32 *) (data + y * stride + x * 4);

        if ((x < 3 || y < 3 || x >= width - 3 || y >= height - 3) && (px >> 24) != 0)
          ink++;
      }
  cairo_surface_destroy (surface);
  return ink;
}
