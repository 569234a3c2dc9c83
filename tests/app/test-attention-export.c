/* test-attention-export.c — what the Attention view exports from the window is what
 * `triad export --view attention` draws with the same model, text, layer, head, mode and size:
 * the same pixels, the same title (a mean of one head reads "mean of 1 head"), and, for a long
 * input that the GL canvas shows on screen, the current figure rather than the one before. GL
 * is left as the display offers it, so that the GL canvas is used where it can be. */
#include "config.h"

#include "app-test.h"
#include "../engine/test-common.h"

#include <string.h>
#include <gtk/gtk.h>
#include <glib/gstdio.h>

#include "app/triad-application.h"
#include "app/triad-attention-page.h"
#include "app/triad-gl-heatmap.h"
#include "app/triad-window.h"

static TriadApplication *app;
static TriadWindow *window;
static char *dir;           /* the files written, and the one-head decoder */

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

/* Runs `triad export` with args (NULL-terminated, after "export") and requires success. */
static void
cli_export (const char * const *args)
{
  g_autoptr(GPtrArray) argv = g_ptr_array_new ();
  g_autofree char *out = NULL, *err = NULL;
  size_t out_len, err_len;
  FILE *o = open_memstream (&out, &out_len), *e = open_memstream (&err, &err_len);
  int status;

  g_ptr_array_add (argv, "export");
  for (guint i = 0; args[i] != NULL; i++)
    g_ptr_array_add (argv, (char *) args[i]);
  g_ptr_array_add (argv, NULL);
  status = triad_cli_run (argv->len - 1, (char **) argv->pdata, o, e);
  fclose (o);
  fclose (e);
  g_assert_cmpstr (err, ==, "");
  g_assert_cmpint (status, ==, 0);
}

/* The window's figure on white at width × height, one pixel a point. */
static void
window_export (const char        *path,
               TriadExportFormat  format,
               double             width,
               double             height)
{
  g_autoptr(GError) error = NULL;
  TriadWindowExport opt = {
    .format = format, .size = TRIAD_EXPORT_SIZE_CUSTOM, .scale = 1.0,
    .width = width, .height = height, .background = TRIAD_EXPORT_BACKGROUND_WHITE,
  };

  g_assert_true (triad_window_export (window, path, &opt, &error));
  g_assert_no_error (error);
}

/* How many pixels of two PNGs of the same size differ, and how many of a's are not white (its
 * ink: a blank or nearly blank figure proves nothing). */
static void
compare_png (const char *a_path,
             const char *b_path,
             int        *differ,
             int        *ink)
{
  cairo_surface_t *a = cairo_image_surface_create_from_png (a_path);
  cairo_surface_t *b = cairo_image_surface_create_from_png (b_path);
  int w, h;

  g_assert_cmpint (cairo_surface_status (a), ==, CAIRO_STATUS_SUCCESS);
  g_assert_cmpint (cairo_surface_status (b), ==, CAIRO_STATUS_SUCCESS);
  w = cairo_image_surface_get_width (a);
  h = cairo_image_surface_get_height (a);
  g_assert_cmpint (cairo_image_surface_get_width (b), ==, w);
  g_assert_cmpint (cairo_image_surface_get_height (b), ==, h);
  *differ = *ink = 0;
  for (int y = 0; y < h; y++)
    {
      const guint32 *ra = (const guint32 *) (cairo_image_surface_get_data (a)
                                             + y * cairo_image_surface_get_stride (a));
      const guint32 *rb = (const guint32 *) (cairo_image_surface_get_data (b)
                                             + y * cairo_image_surface_get_stride (b));

      for (int x = 0; x < w; x++)
        {
          *differ += ra[x] != rb[x];
          *ink += (ra[x] & 0xffffff) != 0xffffff;
        }
    }
  cairo_surface_destroy (a);
  cairo_surface_destroy (b);
}

static void
show (const char *model,
      const char *text)
{
  activate ("win.model", g_variant_new_string (model));
  activate ("win.example", g_variant_new_string (text));
  app_test_wait_attention (page ());
}

/* Each mode, from the window and from the command line, at 640 × 480: not one pixel apart.
 * Before the scene the grid differed (no colour bar in the window) and so did an
 * encoder-decoder's titles ("Encoder-decoder, cross-attention" against "… · cross-attention"). */
static void
test_same_pixels (void)
{
  const char *text = "the big cat saw a small dog";
  struct {
    const char *model, *kind, *mode, *cmap, *norm;
    int         layer, head;
    gboolean    lines;
    const char *args[12];
  } cases[] = {
    { "encoder", "self", "single", "magma", "row", 2, 1, FALSE,
      { "--layer", "2", "--head", "1", "--colormap", "magma", "--norm", "row" } },
    { "encoder", "self", "average", "viridis", "global", 1, 0, TRUE,
      { "--layer", "1", "--average", "--lines" } },
    { "encoder", "self", "grid", "cividis", "log", 3, 2, FALSE,
      { "--layer", "3", "--grid", "--head", "2", "--colormap", "cividis", "--norm", "log" } },
    { "encdec", "cross", "single", "viridis", "global", 2, 3, FALSE,
      { "--kind", "cross", "--layer", "2", "--head", "3" } },
  };

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autofree char *win_png = g_build_filename (dir, "window.png", NULL);
      g_autofree char *cli_png = g_build_filename (dir, "cli.png", NULL);
      g_autoptr(GPtrArray) args = g_ptr_array_new ();
      int differ, ink;

      g_test_message ("case %u: %s, %s, %s", i, cases[i].model, cases[i].kind, cases[i].mode);
      show (cases[i].model, text);
      activate ("win.kind", g_variant_new_string (cases[i].kind));
      /* the enum properties by nick, as the menus and accelerators set them */
      activate ("win.mode", g_variant_new_string (cases[i].mode));
      activate ("win.colormap", g_variant_new_string (cases[i].cmap));
      activate ("win.normalization", g_variant_new_string (cases[i].norm));
      g_object_set (page (), "layer", cases[i].layer, "head", cases[i].head,
                    "show-lines", cases[i].lines, NULL);
      app_test_wait_attention (page ());
      window_export (win_png, TRIAD_EXPORT_PNG, 640, 480);

      g_ptr_array_add (args, "--model");
      g_ptr_array_add (args, (char *) cases[i].model);
      g_ptr_array_add (args, "--text");
      g_ptr_array_add (args, (char *) text);
      for (guint a = 0; cases[i].args[a] != NULL; a++)
        g_ptr_array_add (args, (char *) cases[i].args[a]);
      g_ptr_array_add (args, "--width");
      g_ptr_array_add (args, "640");
      g_ptr_array_add (args, "--height");
      g_ptr_array_add (args, "480");
      g_ptr_array_add (args, "--out");
      g_ptr_array_add (args, cli_png);
      g_ptr_array_add (args, NULL);
      cli_export ((const char * const *) args->pdata);

      compare_png (win_png, cli_png, &differ, &ink);
      /* a 640 × 480 figure of a 9 × 9 (or 8 × 8) matrix, its labels and colour bar: a tenth
       * of it is ink at the least */
      g_assert_cmpint (ink, >, 640 * 480 / 10);
      g_assert_cmpint (differ, ==, 0);
      g_unlink (win_png);
      g_unlink (cli_png);
    }
  activate ("win.kind", g_variant_new_string ("self"));
  g_object_set (page (), "mode", TRIAD_ATTENTION_SINGLE, "show-lines", FALSE,
                "colormap", TRIAD_COLORMAP_VIRIDIS, "normalization", TRIAD_NORM_GLOBAL, NULL);
}

/* The figure's title in a PDF of the window's export and of `triad export`. */
static char *
titles (const char *model,
        int         n_heads,
        const char *want)
{
  g_autofree char *win_pdf = g_build_filename (dir, "window.pdf", NULL);
  g_autofree char *cli_pdf = g_build_filename (dir, "cli.pdf", NULL);
  g_autofree char *win_text = NULL, *cli_text = NULL;
  const char *args[] = { "--model", model, "--text", "abc dab", "--average", "--layer", "1",
                         "--width", "500", "--height", "400", "--out", cli_pdf, NULL };

  show (model, "abc dab");
  g_object_set (page (), "mode", TRIAD_ATTENTION_MEAN, "layer", 1, NULL);
  app_test_wait_attention (page ());
  g_assert_cmpint (triad_attention_page_get_map (page ())->cap.n_heads, ==, n_heads);
  window_export (win_pdf, TRIAD_EXPORT_PDF, 500, 400);
  cli_export (args);
  win_text = test_pdf_text (win_pdf);
  cli_text = test_pdf_text (cli_pdf);
  if (win_text == NULL || cli_text == NULL)
    return NULL;
  g_assert_nonnull (strstr (win_text, want));
  g_assert_nonnull (strstr (cli_text, want));
  g_object_set (page (), "mode", TRIAD_ATTENTION_SINGLE, NULL);
  g_unlink (win_pdf);
  g_unlink (cli_pdf);
  return g_steal_pointer (&win_text);
}

/* A mean of one head says "head", of four "heads", in the window as on the command line (the
 * window said "mean of 1 heads"). */
static void
test_mean_title (void)
{
  g_autofree char *one = NULL, *four = NULL;

  /* TRIAD_MODELS_DIR's decoder has one head and two layers; the shipped encoder four heads */
  one = titles ("decoder", 1, "Decoder · layer 1 · mean of 1 head");
  if (one == NULL)
    return;
  g_assert_null (strstr (one, "1 heads"));
  four = titles ("encoder", 4, "Encoder · layer 1 · mean of 4 heads");
}

static GtkWidget *
find_child (GtkWidget *widget,
            GType      type)
{
  if (G_TYPE_CHECK_INSTANCE_TYPE (widget, type))
    return widget;
  for (GtkWidget *c = gtk_widget_get_first_child (widget); c != NULL; c = gtk_widget_get_next_sibling (c))
    {
      GtkWidget *found = find_child (c, type);

      if (found != NULL)
        return found;
    }
  return NULL;
}

/* 302 tokens (91 204 cells) go to the GL canvas where GL works. The export is the scene of
 * that input, as `triad export` draws it — not the figure of the short input before, which
 * the Cairo figure kept while the GL canvas showed the long one. */
static void
test_long_input (void)
{
  g_autoptr(GString) text = g_string_new (NULL);
  g_autofree char *win_png = g_build_filename (dir, "window.png", NULL);
  g_autofree char *cli_png = g_build_filename (dir, "cli.png", NULL);
  GtkWidget *gl;
  int differ, ink;

  for (int i = 0; i < 50; i++)
    g_string_append (text, i > 0 ? " the big cat saw a dog" : "the big cat saw a dog");
  show ("encoder", "the big cat");
  g_object_set (page (), "layer", 3, "head", 0, "mode", TRIAD_ATTENTION_SINGLE, NULL);
  window_export (win_png, TRIAD_EXPORT_PNG, 800, 600);

  show ("encoder", text->str);
  g_assert_cmpint (triad_attention_page_get_map (page ())->cap.n_q, ==, 302);
  app_test_iterate (300);
  gl = find_child (GTK_WIDGET (page ()), TRIAD_TYPE_GL_HEATMAP);
  g_assert_nonnull (gl);
  if (!gtk_widget_get_mapped (gl) || !triad_gl_heatmap_is_usable (TRIAD_GL_HEATMAP (gl)))
    {
      g_test_skip ("GL does not work on this display: the Cairo figure shows the long input");
      return;
    }
  g_assert_cmpuint (triad_gl_heatmap_get_frames (TRIAD_GL_HEATMAP (gl)), >, 0);
  window_export (win_png, TRIAD_EXPORT_PNG, 800, 600);
  {
    const char *args[] = { "--model", "encoder", "--text", text->str, "--layer", "3",
                           "--head", "0", "--width", "800", "--height", "600",
                           "--out", cli_png, NULL };
    cli_export (args);
  }
  compare_png (win_png, cli_png, &differ, &ink);
  g_assert_cmpint (ink, >, 800 * 600 / 10);
  g_assert_cmpint (differ, ==, 0);
  g_unlink (win_png);
  g_unlink (cli_png);
}

/* A decoder of one head in a models folder of its own, found before the shipped one. */
static void
write_one_head_decoder (void)
{
  TriadConfig c = test_config (TRIAD_ARCH_DECODER);
  g_autoptr(GError) error = NULL;
  g_autoptr(TriadModel) m = NULL;
  g_autofree char *path = g_build_filename (dir, "decoder", NULL);

  c.n_heads = 1;
  m = triad_model_new_random (&c, 5, &error);
  g_assert_no_error (error);
  m->tokenizer = test_tokenizer (c.vocab_size);
  g_assert_true (triad_model_save (m, path, &error));
  g_assert_no_error (error);
  g_setenv ("TRIAD_MODELS_DIR", dir, TRUE);
}

int
main (int argc, char *argv[])
{
  int status;

  gtk_test_init (&argc, &argv, NULL);
  dir = g_dir_make_tmp ("triad-attention-export-XXXXXX", NULL);
  write_one_head_decoder ();
  app = triad_application_new ();
  window = app_test_open_window (app, 1200, 800);
  activate ("win.view", g_variant_new_string ("attention"));

  g_test_add_func ("/app/attention-export/same-pixels", test_same_pixels);
  g_test_add_func ("/app/attention-export/mean-title", test_mean_title);
  g_test_add_func ("/app/attention-export/long-input", test_long_input);
  status = g_test_run ();

  gtk_window_destroy (GTK_WINDOW (window));
  app_test_iterate (100);
  g_object_unref (app);
  {
    g_autofree char *model = g_build_filename (dir, "decoder", NULL);
    test_rmdir (model);
  }
  g_rmdir (dir);
  return status;
}
