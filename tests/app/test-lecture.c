/* test-lecture.c — what a lecture needs, under Xvfb: presentation mode driven through the
 * actions its keys use, export in PNG, SVG and PDF with the labels' language, the clipboard,
 * and switching the interface's language while the window is open. */
#include "config.h"

#include "app-test.h"
#include "../test-pixels.h"

#include <locale.h>
#include <string.h>
#include <gtk/gtk.h>
#include <glib/gi18n.h>
#include <glib/gstdio.h>

#include "app/triad-application.h"
#include "app/triad-computation.h"
#include "app/triad-view.h"
#include "app/triad-window.h"

static TriadApplication *app;

static TriadWindow *
window (void)
{
  for (GList *l = gtk_application_get_windows (GTK_APPLICATION (app)); l != NULL; l = l->next)
    if (TRIAD_IS_WINDOW (l->data))
      return l->data;
  g_error ("no window");
}

static void
activate (const char *action,
          GVariant   *param)
{
  app_test_activate (GTK_WIDGET (window ()), action, param);
}

/* Until the visible view has a figure and is idle. */
static void
wait_figure (void)
{
  gint64 deadline = g_get_monotonic_time () + 20 * G_USEC_PER_SEC;

  while (g_get_monotonic_time () < deadline)
    {
      GtkWidget *page = triad_window_get_page (window ());
      double w, h;

      app_test_iterate (100);
      if (TRIAD_IS_VIEW (page) && !triad_view_get_busy (TRIAD_VIEW (page))
          && triad_view_get_figure_size (TRIAD_VIEW (page), &w, &h))
        {
          app_test_iterate (400);
          return;
        }
    }
  g_error ("no figure in time");
}

static const char *
view_name (void)
{
  GtkWidget *page = triad_window_get_page (window ());
  GtkStack *stack = GTK_STACK (gtk_widget_get_ancestor (page, GTK_TYPE_STACK));

  return gtk_stack_get_visible_child_name (stack);
}

static void
test_presentation (void)
{
  GSettings *settings = triad_application_get_settings (app);
  GtkWidget *page;
  double scale;
  int step;

  activate ("win.view", g_variant_new_string ("attention"));
  wait_figure ();
  g_settings_set_double (settings, "presentation-scale", 2.0);
  activate ("win.present", NULL);
  g_assert_true (triad_window_get_presenting (window ()));
  g_assert_true (gtk_widget_has_css_class (GTK_WIDGET (window ()), "presentation"));
  /* the figures' text at the presentation's scale, on every view */
  page = triad_window_get_page (window ());
  g_object_get (page, "font-scale", &scale, NULL);
  g_assert_cmpfloat (scale, ==, 2.0);

  /* Page Down / Page Up / Home / End walk the views as slides; the ends hold */
  activate ("win.first-view", NULL);
  g_assert_cmpstr (view_name (), ==, "lesson");
  activate ("win.previous-view", NULL);
  g_assert_cmpstr (view_name (), ==, "lesson");
  activate ("win.next-view", NULL);
  g_assert_cmpstr (view_name (), ==, "attention");
  activate ("win.next-view", NULL);
  g_assert_cmpstr (view_name (), ==, "masks");
  wait_figure ();
  /* → steps the formula on the Masks view */
  g_object_get (triad_window_get_page (window ()), "formula-step", &step, NULL);
  g_assert_cmpint (step, ==, -1);
  activate ("win.step", g_variant_new_int32 (1));
  activate ("win.step", g_variant_new_int32 (1));
  activate ("win.step", g_variant_new_int32 (-1));
  g_object_get (triad_window_get_page (window ()), "formula-step", &step, NULL);
  g_assert_cmpint (step, ==, 0);
  activate ("win.last-view", NULL);
  g_assert_cmpstr (view_name (), ==, "training");
  activate ("win.next-view", NULL);
  g_assert_cmpstr (view_name (), ==, "training");
  activate ("win.first-view", NULL);
  g_assert_cmpstr (view_name (), ==, "lesson");
  activate ("win.view", g_variant_new_string ("attention"));

  /* B blanks and brings the picture back */
  activate ("win.blank", NULL);
  g_assert_true (triad_window_get_blanked (window ()));
  activate ("win.blank", NULL);
  g_assert_false (triad_window_get_blanked (window ()));

  /* leaving restores the desk's scale */
  activate ("win.present", NULL);
  g_assert_false (triad_window_get_presenting (window ()));
  g_object_get (triad_window_get_page (window ()), "font-scale", &scale, NULL);
  g_assert_cmpfloat (scale, ==, g_settings_get_double (settings, "figure-scale"));
}

static void
test_export_formats (void)
{
  g_autofree char *dir = g_dir_make_tmp ("triad-lecture-XXXXXX", NULL);
  g_autofree char *png = g_build_filename (dir, "a.png", NULL);
  g_autofree char *svg = g_build_filename (dir, "a.svg", NULL);
  g_autofree char *pdf = g_build_filename (dir, "a.pdf", NULL);
  g_autofree char *contents = NULL;
  g_autofree char *text = NULL;
  g_autoptr(GError) error = NULL;
  TriadWindowExport opt = { .format = TRIAD_EXPORT_PNG, .size = TRIAD_EXPORT_SIZE_SLIDE,
                            .background = TRIAD_EXPORT_BACKGROUND_WHITE };
  cairo_surface_t *image;

  activate ("win.view", g_variant_new_string ("attention"));
  activate ("win.model", g_variant_new_string ("decoder"));
  wait_figure ();

  /* a slide: 1920 × 1080 pixels */
  g_assert_true (triad_window_export (window (), png, &opt, &error));
  g_assert_no_error (error);
  image = cairo_image_surface_create_from_png (png);
  g_assert_cmpint (cairo_image_surface_get_width (image), ==, 1920);
  g_assert_cmpint (cairo_image_surface_get_height (image), ==, 1080);
  cairo_surface_destroy (image);

  /* the slide's type sized from the slide, as `triad export --size slide` sizes it: in
   * Russian, no word under 2 % of its height and the median at least 2.5 % (test-slide-type.c
   * says why); drawn at the window's type, they measured 1.62 % and 1.94 % */
  {
    TestWordHeights words = { 0 };

    opt.format = TRIAD_EXPORT_PDF;
    opt.language = "ru";
    g_assert_true (triad_window_export (window (), pdf, &opt, &error));
    g_assert_no_error (error);
    if (test_pdf_word_heights (pdf, &words))
      {
        g_test_message ("slide: %u words, smallest %.2f %% (“%s”), median %.2f %%", words.n,
                        100.0 * words.min / words.page_h, words.min_word,
                        100.0 * words.median / words.page_h);
        g_assert_cmpfloat (words.min, >=, 0.02 * words.page_h);
        g_assert_cmpfloat (words.median, >=, 0.025 * words.page_h);
        g_free (words.min_word);
      }
    opt.format = TRIAD_EXPORT_PNG;
    opt.language = NULL;
  }

  /* a paper column at 300 dpi: 3.5 in, 1050 pixels wide */
  opt.size = TRIAD_EXPORT_SIZE_COLUMN;
  g_assert_true (triad_window_export (window (), png, &opt, &error));
  image = cairo_image_surface_create_from_png (png);
  g_assert_cmpint (cairo_image_surface_get_width (image), ==, 1050);
  cairo_surface_destroy (image);

  /* SVG: an XML document with an svg root */
  opt.format = TRIAD_EXPORT_SVG;
  opt.size = TRIAD_EXPORT_SIZE_SCREEN;
  g_assert_true (triad_window_export (window (), svg, &opt, &error));
  g_assert_true (g_file_get_contents (svg, &contents, NULL, NULL));
  g_assert_true (g_str_has_prefix (contents, "<?xml"));
  g_assert_nonnull (strstr (contents, "<svg"));
  g_assert_nonnull (strstr (contents, "</svg>"));

  /* PDF with the labels in Russian while the window speaks English; the text in the PDF is
   * Russian (pdftotext), and the window's words stay English */
  opt.format = TRIAD_EXPORT_PDF;
  opt.language = "ru";
  g_assert_true (triad_window_export (window (), pdf, &opt, &error));
  g_assert_no_error (error);
  text = test_pdf_text (pdf);
  if (text == NULL)
    return;
  g_assert_nonnull (strstr (text, "Декодировщик"));
  g_assert_nonnull (strstr (text, "слой"));
  g_clear_pointer (&text, g_free);
  opt.language = "en";
  g_assert_true (triad_window_export (window (), pdf, &opt, &error));
  text = test_pdf_text (pdf);
  g_assert_nonnull (text);
  g_assert_nonnull (strstr (text, "Decoder"));
  g_assert_null (strstr (text, "Декодировщик"));
  g_assert_cmpstr (_("Decoder"), ==, "Decoder");

  g_unlink (png);
  g_unlink (svg);
  g_unlink (pdf);
  g_rmdir (dir);
}

static void
test_clipboard (void)
{
  g_autoptr(GError) error = NULL;
  GdkClipboard *clipboard;
  GdkContentFormats *formats;

  activate ("win.view", g_variant_new_string ("attention"));
  wait_figure ();
  gtk_widget_grab_focus (triad_window_get_page (window ()));
  activate ("win.copy-figure", NULL);
  clipboard = gtk_widget_get_clipboard (GTK_WIDGET (window ()));
  formats = gdk_clipboard_get_formats (clipboard);
  g_assert_true (gdk_content_formats_contain_gtype (formats, GDK_TYPE_TEXTURE));
  g_assert_true (gdk_clipboard_is_local (clipboard));
}

typedef struct {
  gboolean  finished;
  gboolean  ok;
  guint     written;
  GError   *error;
} ExportAll;

static void
export_all_done (GObject      *source,
                 GAsyncResult *result,
                 gpointer      data)
{
  ExportAll *e = data;

  e->ok = triad_window_export_all_finish (result, &e->written, &e->error);
  e->finished = TRUE;
}

static void
count_switch (GObject    *stack,
              GParamSpec *pspec,
              guint      *switches)
{
  (*switches)++;
}

/* Every view of the current input into a folder, one PNG each, computed out of sight: the
 * view on screen never changes while it runs (the export used to show each view in turn). */
static void
test_export_all (void)
{
  g_autofree char *dir = g_dir_make_tmp ("triad-all-XXXXXX", NULL);
  g_autoptr(GFile) folder = g_file_new_for_path (dir);
  const char *names[] = { "lesson", "attention", "masks", "cross", "kv", "training" };
  gint64 deadline = g_get_monotonic_time () + 120 * G_USEC_PER_SEC;
  ExportAll e = { 0 };
  GtkStack *stack;
  guint switches = 0;
  gulong id;

  activate ("win.view", g_variant_new_string ("masks"));
  wait_figure ();
  stack = GTK_STACK (gtk_widget_get_ancestor (triad_window_get_page (window ()), GTK_TYPE_STACK));
  id = g_signal_connect (stack, "notify::visible-child", G_CALLBACK (count_switch), &switches);
  triad_window_export_all_async (window (), folder, TRIAD_EXPORT_PNG, export_all_done, &e);
  while (!e.finished && g_get_monotonic_time () < deadline)
    g_main_context_iteration (NULL, FALSE);
  g_signal_handler_disconnect (stack, id);
  g_assert_true (e.finished);
  g_assert_no_error (e.error);
  g_assert_true (e.ok);
  /* the six views of the switcher, one file each (Training before a run: its empty axes) */
  g_assert_cmpuint (e.written, ==, G_N_ELEMENTS (names));
  g_assert_cmpuint (switches, ==, 0);
  g_assert_cmpstr (view_name (), ==, "masks");
  for (guint i = 0; i < G_N_ELEMENTS (names); i++)
    {
      g_autofree char *file = g_strdup_printf ("%s/%s.png", dir, names[i]);
      cairo_surface_t *png = test_png_load (file);
      int w = cairo_image_surface_get_width (png), h = cairo_image_surface_get_height (png);
      int ink = test_png_ink (file);

      cairo_surface_destroy (png);
      g_test_message ("%s: %d × %d, ink %d (%.2f %%)", names[i], w, h, ink,
                      100.0 * ink / ((double) w * h));
      g_assert_cmpint (w, >, 200);
      /* a figure: at least 1 % of its pixels are text, lines or cells (a title alone on an
       * empty frame is some 0.3 % of a figure this size) */
      g_assert_cmpint (ink, >, (double) w * h / 100);
      g_unlink (file);
    }
  g_rmdir (dir);
}

/* The window goes (a language switch builds it again) while every view is being exported:
 * the export stops, says it was cancelled, and nothing touches the window that went (the
 * export used to keep polling it every 100 ms). */
static void
test_export_all_window_goes (void)
{
  g_autofree char *dir = g_dir_make_tmp ("triad-all-XXXXXX", NULL);
  g_autoptr(GFile) folder = g_file_new_for_path (dir);
  TriadWindow *before = window ();
  ExportAll e = { 0 };
  GDir *d;
  const char *name;

  activate ("win.view", g_variant_new_string ("attention"));
  wait_figure ();
  /* a text every view computes afresh, so the export is still waiting when the window goes */
  activate ("win.example", g_variant_new_string ("the cat that saw a dog slept"));
  triad_window_export_all_async (window (), folder, TRIAD_EXPORT_PNG, export_all_done, &e);
  g_action_group_activate_action (G_ACTION_GROUP (app), "language", g_variant_new_string ("ru"));
  app_test_iterate (3000);
  g_assert_true (window () != before);
  g_assert_true (e.finished);
  g_assert_false (e.ok);
  g_assert_error (e.error, G_IO_ERROR, G_IO_ERROR_CANCELLED);
  g_clear_error (&e.error);

  g_action_group_activate_action (G_ACTION_GROUP (app), "language", g_variant_new_string ("en"));
  app_test_iterate (300);
  wait_figure ();
  d = g_dir_open (dir, 0, NULL);
  while ((name = g_dir_read_name (d)) != NULL)
    {
      g_autofree char *file = g_build_filename (dir, name, NULL);
      g_unlink (file);
    }
  g_dir_close (d);
  g_rmdir (dir);
}

/* Main menu → Language: the window is built again in Russian, on the same view and text. */
static void
test_language_switch (void)
{
  GSettings *settings = triad_application_get_settings (app);
  TriadWindow *before = window ();
  GtkWidget *page;
  GtkStack *stack;

  activate ("win.view", g_variant_new_string ("masks"));
  wait_figure ();
  g_action_group_activate_action (G_ACTION_GROUP (app), "language", g_variant_new_string ("ru"));
  app_test_iterate (300);
  g_assert_cmpstr (g_settings_get_string (settings, "language"), ==, "ru");
  g_assert_true (window () != before);
  wait_figure ();
  g_assert_cmpstr (view_name (), ==, "masks");
  page = triad_window_get_page (window ());
  stack = GTK_STACK (gtk_widget_get_ancestor (page, GTK_TYPE_STACK));
  g_assert_cmpstr (gtk_stack_page_get_title (gtk_stack_get_page (stack, gtk_widget_get_parent (page))),
                   ==, "Маски");
  g_assert_cmpstr (_("Decoder"), ==, "Декодировщик");

  g_action_group_activate_action (G_ACTION_GROUP (app), "language", g_variant_new_string ("en"));
  app_test_iterate (300);
  wait_figure ();
  page = triad_window_get_page (window ());
  stack = GTK_STACK (gtk_widget_get_ancestor (page, GTK_TYPE_STACK));
  g_assert_cmpstr (gtk_stack_page_get_title (gtk_stack_get_page (stack, gtk_widget_get_parent (page))),
                   ==, "Masks");
}

/* The language switched while a worker computes (the KV view's live run, playing as fast as
 * it steps): the switch changes the process's LANGUAGE and locale only once no worker runs
 * (a worker of the page before would otherwise read them as they change), and the window
 * built again speaks Russian. */
static void
test_language_while_computing (void)
{
  GtkWidget *page;
  GtkStack *stack;
  GtkDropDown *speed;
  gint64 deadline;

  activate ("win.view", g_variant_new_string ("kv"));
  activate ("win.example", g_variant_new_string ("the big cat saw a small dog"));
  app_test_iterate (400);
  page = triad_window_get_page (window ());
  speed = GTK_DROP_DOWN (gtk_widget_get_template_child (page, G_OBJECT_TYPE (page),
                                                        "speed_dropdown"));
  gtk_drop_down_set_selected (speed, 2);
  g_object_set (page, "playing", TRUE, NULL);
  deadline = g_get_monotonic_time () + 20 * G_USEC_PER_SEC;
  while (triad_computation_get_n_running () == 0 && g_get_monotonic_time () < deadline)
    g_main_context_iteration (NULL, FALSE);
  g_assert_cmpint (triad_computation_get_n_running (), >, 0);

  g_action_group_activate_action (G_ACTION_GROUP (app), "language", g_variant_new_string ("ru"));
  app_test_iterate (300);
  page = triad_window_get_page (window ());
  stack = GTK_STACK (gtk_widget_get_ancestor (page, GTK_TYPE_STACK));
  g_assert_cmpstr (gtk_stack_page_get_title (gtk_stack_get_page (stack, gtk_widget_get_parent (page))),
                   ==, "KV-кэш");
  g_assert_cmpstr (_("Decoder"), ==, "Декодировщик");

  g_action_group_activate_action (G_ACTION_GROUP (app), "language", g_variant_new_string ("en"));
  app_test_iterate (300);
  page = triad_window_get_page (window ());
  g_object_set (page, "playing", FALSE, NULL);
  activate ("win.view", g_variant_new_string ("masks"));
  wait_figure ();
}

int
main (int argc, char *argv[])
{
  int status;

  test_bind_translations ();
  g_setenv ("LANGUAGE", "en", TRUE);
  gtk_test_init (&argc, &argv, NULL);
  app = triad_application_new ();
  g_assert_true (g_application_register (G_APPLICATION (app), NULL, NULL));
  g_application_activate (G_APPLICATION (app));
  gtk_window_set_default_size (GTK_WINDOW (window ()), 1400, 900);
  app_test_iterate (200);

  g_test_add_func ("/app/lecture/presentation", test_presentation);
  g_test_add_func ("/app/lecture/export-formats", test_export_formats);
  g_test_add_func ("/app/lecture/clipboard", test_clipboard);
  g_test_add_func ("/app/lecture/export-all", test_export_all);
  g_test_add_func ("/app/lecture/language", test_language_switch);
  g_test_add_func ("/app/lecture/language-while-computing", test_language_while_computing);
  g_test_add_func ("/app/lecture/export-all-window-goes", test_export_all_window_goes);
  status = g_test_run ();
  for (GList *l = gtk_application_get_windows (GTK_APPLICATION (app)); l != NULL; l = gtk_application_get_windows (GTK_APPLICATION (app)))
    gtk_window_destroy (l->data);
  g_object_unref (app);
  return status;
}
