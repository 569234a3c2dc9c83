/* test-badinput-app.c — the window under Xvfb given bad input: an empty text, a megabyte of
 * text, a model whose weights are cut short, a model whose tokenizer.json is broken, exports
 * that cannot be written. Each must give a readable message, and the figure shown before
 * must stay.
 *
 * The models come from a folder of this test's own (TRIAD_MODELS_DIR): the shipped decoder,
 * the shipped encoder with its model.safetensors cut in half, and the shipped encoder-decoder
 * with half a tokenizer.json. Invalid UTF-8 and NUL bytes cannot reach the window: GTK's text
 * entry and the example action take valid UTF-8 only; the command line's test covers them. */
#include "config.h"

#include "app-test.h"
#include "../test-pixels.h"

#include <errno.h>
#include <signal.h>
#include <sys/resource.h>
#include <sys/stat.h>
#include <sys/sysmacros.h>
#include <gtk/gtk.h>
#include <glib/gstdio.h>

#include "app/triad-application.h"
#include "app/triad-attention-page.h"
#include "app/triad-view.h"
#include "app/triad-window.h"

static TriadApplication *app;
static TriadWindow *window;
static char *models_dir;
static char *last_failure;

static void
page_failed (TriadView  *view,
             const char *message,
             gpointer    data)
{
  g_free (last_failure);
  last_failure = g_strdup (message);
}

static TriadAttentionPage *
page (void)
{
  return TRIAD_ATTENTION_PAGE (triad_window_get_page (window));
}

/* Runs the main loop until the page is idle again after the debounce (or 30 s pass). */
static void
wait_idle (void)
{
  gint64 deadline = g_get_monotonic_time () + 30 * G_USEC_PER_SEC;

  while (g_get_monotonic_time () < deadline)
    {
      gint64 settle;

      g_main_context_iteration (NULL, FALSE);
      if (triad_attention_page_get_busy (page ()))
        continue;
      /* let the debounce fire, then check again */
      settle = g_get_monotonic_time () + 400 * 1000;
      while (g_get_monotonic_time () < settle)
        g_main_context_iteration (NULL, FALSE);
      if (!triad_attention_page_get_busy (page ()))
        return;
    }
  g_error ("the window did not finish in time: a hang");
}

static void
activate (const char *action,
          GVariant   *param)
{
  app_test_activate (GTK_WIDGET (window), action, param);
}

/* Whether the window shows text in one of its toasts (a GtkLabel with the style class
 * "toast"). */
static gboolean
toast_says (GtkWidget  *w,
            const char *text)
{
  if (GTK_IS_LABEL (w) && gtk_widget_has_css_class (w, "toast")
      && g_strcmp0 (gtk_label_get_text (GTK_LABEL (w)), text) == 0)
    return TRUE;
  for (GtkWidget *c = gtk_widget_get_first_child (w); c != NULL; c = gtk_widget_get_next_sibling (c))
    if (toast_says (c, text))
      return TRUE;
  return FALSE;
}

/* The pixels of ink in the window's export of the figure shown now (which must exist). The
 * decoder's 8 × 8 heatmap fills most of the 1,200 × 800 window: measured 235,000 to 325,000
 * as the message bar takes room; the threshold asks for a heatmap, not a title alone. */
static int
figure_ink (void)
{
  g_autofree char *dir = g_dir_make_tmp ("triad-badink-XXXXXX", NULL);
  g_autofree char *png = g_build_filename (dir, "figure.png", NULL);
  g_autoptr(GError) error = NULL;
  int ink;

  g_assert_true (triad_window_export_png (window, png, 1.0, &error));
  g_assert_no_error (error);
  ink = test_png_ink (png);
  g_test_message ("the figure: %d pixels of ink", ink);
  g_unlink (png);
  g_rmdir (dir);
  return ink;
}

/* After an input that must fail: a message that says needle, on the page's "failed" signal
 * and in the window's toast, and the map (the figure) that was shown before, still drawn. */
static void
expect_message (const TriadAttentionMap *before,
                const char              *needle,
                const char              *what)
{
  wait_idle ();
  g_test_message ("%s: %s", what, last_failure ? last_failure : "(no message)");
  if (last_failure == NULL || strstr (last_failure, needle) == NULL)
    g_error ("%s: expected a message with “%s”, got “%s”", what, needle,
             last_failure ? last_failure : "(none)");
  if (!toast_says (GTK_WIDGET (window), last_failure))
    g_error ("%s: the window does not show “%s”", what, last_failure);
  /* the figure before the bad input is still the one shown, and still drawn */
  g_assert_true (triad_attention_page_get_map (page ()) == before);
  g_assert_cmpint (figure_ink (), >, 50000);
  g_clear_pointer (&last_failure, g_free);
}

static const TriadAttentionMap *
show_good_figure (void)
{
  const TriadAttentionMap *map;

  activate ("win.model", g_variant_new_string ("decoder"));
  activate ("win.example", g_variant_new_string ("the big cat saw a small dog"));
  wait_idle ();
  map = triad_attention_page_get_map (page ());
  g_assert_nonnull (map);
  g_assert_cmpint (map->arch, ==, TRIAD_ARCH_DECODER);
  /* computed from this text: <bos> and its seven words, and drawn */
  g_assert_cmpint (map->cap.n_q, ==, 8);
  g_assert_cmpstr (map->src->pieces[3], ==, "▁cat");
  g_assert_null (last_failure);
  g_assert_cmpint (figure_ink (), >, 50000);
  return map;
}

static void
test_text (void)
{
  const TriadAttentionMap *before = show_good_figure ();
  GString *big = g_string_new (NULL);
  gint64 t0;

  activate ("win.example", g_variant_new_string (""));
  expect_message (before, "The text is empty", "empty text");
  activate ("win.example", g_variant_new_string ("   \t "));
  expect_message (before, "The text is empty", "blank text");

  /* a mebibyte of words: refused as too long for the model, and soon */
  while (big->len < 1024 * 1024)
    g_string_append (big, "the big cat saw a small dog ");
  t0 = g_get_monotonic_time ();
  activate ("win.example", g_variant_new_string (big->str));
  /* the decoder has 1,024 positions (its config.json), one of them <bos>'s */
  expect_message (before, "this model reads at most 1023", "1 MiB of text");
  g_test_message ("1 MiB of text refused in %.2f s", (g_get_monotonic_time () - t0) / 1e6);
  /* … and without a space: one word of a mebibyte */
  g_string_set_size (big, 0);
  while (big->len < 1024 * 1024)
    g_string_append (big, "кошка");
  activate ("win.example", g_variant_new_string (big->str));
  expect_message (before, "this model reads at most 1023", "1 MiB without a space");
  g_string_free (big, TRUE);

  /* a good text afterwards is shown: the window is not stuck */
  activate ("win.example", g_variant_new_string ("a small dog"));
  {
    /* a new figure, however slowly the debounce and the worker come round on a busy machine */
    gint64 deadline = g_get_monotonic_time () + 30 * G_USEC_PER_SEC;

    while (triad_attention_page_get_map (page ()) == before && g_get_monotonic_time () < deadline)
      g_main_context_iteration (NULL, FALSE);
    wait_idle ();
  }
  g_assert_true (triad_attention_page_get_map (page ()) != before);
  /* <bos> a small dog */
  g_assert_cmpint (triad_attention_page_get_map (page ())->cap.n_q, ==, 4);
  g_assert_null (last_failure);
}

static void
test_broken_models (void)
{
  const TriadAttentionMap *before = show_good_figure ();

  /* weights cut in half: the checkpoint's data lies outside the file */
  activate ("win.model", g_variant_new_string ("encoder"));
  expect_message (before, "lies outside the", "truncated model.safetensors");
  /* half a tokenizer.json: named, with what is wrong with it */
  activate ("win.model", g_variant_new_string ("encdec"));
  {
    g_autofree char *json = g_build_filename (models_dir, "encdec", "tokenizer.json", NULL);
    g_autofree char *needle = g_strdup_printf ("%s is not valid JSON", json);

    expect_message (before, needle, "broken tokenizer.json");
  }
  /* back to the good model: a figure again */
  activate ("win.model", g_variant_new_string ("decoder"));
  wait_idle ();
  g_assert_nonnull (triad_attention_page_get_map (page ()));
  g_assert_cmpint (triad_attention_page_get_map (page ())->arch, ==, TRIAD_ARCH_DECODER);
}

static char *
listing (const char *dir)
{
  g_autoptr(GPtrArray) names = g_ptr_array_new_with_free_func (g_free);
  GDir *d = g_dir_open (dir, 0, NULL);
  const char *name;

  g_assert_nonnull (d);
  while ((name = g_dir_read_name (d)) != NULL)
    g_ptr_array_add (names, g_strdup (name));
  g_dir_close (d);
  g_ptr_array_sort (names, (GCompareFunc) g_strcmp0);
  g_ptr_array_add (names, NULL);
  return g_strjoinv (" ", (char **) names->pdata);
}

static void
test_exports (void)
{
  const TriadAttentionMap *before = show_good_figure ();
  g_autofree char *dir = g_dir_make_tmp ("triad-badexport-XXXXXX", NULL);
  g_autofree char *missing = g_build_filename (dir, "missing", "figure.png", NULL);
  g_autofree char *png = g_build_filename (dir, "figure.png", NULL);
  g_autofree char *names = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *kept = NULL;
  struct rlimit saved, small;

  /* a folder that does not exist */
  g_assert_false (triad_window_export_png (window, missing, 1.0, &error));
  g_test_message ("missing folder: %s", error->message);
  g_assert_nonnull (strstr (error->message, "does not exist"));
  g_clear_error (&error);

  /* a disk that fills up in the middle of the file (a 1 KiB limit on this process's files):
   * nothing is left, and a file that was there keeps its contents */
  g_assert_true (g_file_set_contents (png, "the figure before", -1, NULL));
  signal (SIGXFSZ, SIG_IGN);
  g_assert_cmpint (getrlimit (RLIMIT_FSIZE, &saved), ==, 0);
  small = saved;
  small.rlim_cur = 1024;
  g_assert_cmpint (setrlimit (RLIMIT_FSIZE, &small), ==, 0);
  g_assert_false (triad_window_export_png (window, png, 1.0, &error));
  g_assert_cmpint (setrlimit (RLIMIT_FSIZE, &saved), ==, 0);
  g_test_message ("full disk: %s", error->message);
  g_assert_nonnull (strstr (error->message, "too large"));
  g_clear_error (&error);
  g_assert_true (g_file_get_contents (png, &kept, NULL, NULL));
  g_assert_cmpstr (kept, ==, "the figure before");
  names = listing (dir);
  g_assert_cmpstr (names, ==, "figure.png");

  /* a read-only folder, where the test is not root (root writes anywhere) */
  if (geteuid () != 0)
    {
      g_autofree char *ro = g_build_filename (dir, "read-only", NULL);
      g_autofree char *ro_png = g_build_filename (ro, "figure.png", NULL);

      g_assert_cmpint (g_mkdir (ro, 0555), ==, 0);
      g_assert_false (triad_window_export_png (window, ro_png, 1.0, &error));
      g_test_message ("read-only folder: %s", error->message);
      g_assert_nonnull (strstr (error->message, "not writable"));
      g_clear_error (&error);
      g_rmdir (ro);
    }

  /* the figure is still the one shown, and an export that can succeed does */
  g_assert_true (triad_attention_page_get_map (page ()) == before);
  g_assert_true (triad_window_export_png (window, png, 1.0, &error));
  g_assert_no_error (error);
  g_unlink (png);
  g_rmdir (dir);
}

/* A device node like /dev/full (1, 7), made in a folder of the test's: the export must write
 * to it and fail with "No space left on device", not put a file in its place. */
static void
test_export_device (void)
{
  g_autofree char *dir = g_dir_make_tmp ("triad-badexport-XXXXXX", NULL);
  g_autofree char *full = g_build_filename (dir, "full", NULL);
  g_autoptr(GError) error = NULL;
  gboolean written;
  struct stat st;

  show_good_figure ();
  if (mknod (full, S_IFCHR | 0666, makedev (1, 7)) != 0)
    {
      g_test_skip ("cannot make a device node here (not root)");
      g_rmdir (dir);
      return;
    }
  written = triad_window_export_png (window, full, 1.0, &error);
  g_assert_cmpint (g_lstat (full, &st), ==, 0);
  /* written into the device, which says it is full; never replaced by a regular file */
  g_assert_false (written);
  g_assert_true (S_ISCHR (st.st_mode));
  g_test_message ("full disk (device): %s", error->message);
  g_assert_nonnull (strstr (error->message, "No space left on device"));
  g_unlink (full);
  g_rmdir (dir);
}

/* The three model folders, from the shipped ones: the encoder with its weights cut in half,
 * the encoder-decoder with half a tokenizer.json. */
static void
make_models (void)
{
  const char *halved[] = { "encoder/model.safetensors", "encdec/tokenizer.json", NULL };

  models_dir = app_test_copy_models (halved);
}

static void
remove_models (void)
{
  app_test_remove_models (g_steal_pointer (&models_dir));
}

int
main (int argc, char *argv[])
{
  int status;

  /* before the application looks for its models */
  make_models ();
  g_setenv ("TRIAD_MODELS_DIR", models_dir, TRUE);
  /* messages in English, whatever the machine's language */
  g_setenv ("LANGUAGE", "en", TRUE);

  gtk_test_init (&argc, &argv, NULL);
  app = triad_application_new ();
  window = app_test_open_window (app, 1200, 800);
  g_signal_connect (triad_window_get_page (window), "failed", G_CALLBACK (page_failed), NULL);

  g_test_add_func ("/app/badinput/text", test_text);
  g_test_add_func ("/app/badinput/broken-models", test_broken_models);
  g_test_add_func ("/app/badinput/exports", test_exports);
  g_test_add_func ("/app/badinput/export-device", test_export_device);
  status = g_test_run ();
  gtk_window_destroy (GTK_WINDOW (window));
  g_object_unref (app);
  remove_models ();
  g_free (last_failure);
  return status;
}
