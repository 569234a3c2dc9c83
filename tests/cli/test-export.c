/* test-export.c — `triad export` of every view in every format: PNG sizes and presets, SVG
 * that parses, PDF text in the language asked for, backgrounds, and the options' errors. */
#include "config.h"

#include <locale.h>
#include <string.h>
#include <cairo.h>
#include <glib/gi18n-lib.h>

#include "../engine/test-common.h"
#include "../test-pixels.h"

static char *dir;

static char *
out_path (const char *name)
{
  return g_build_filename (dir, name, NULL);
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

/* Each view draws to a PNG of the size asked for, with its figure in it (ink: pixels unlike
 * the background), and to a PDF with its own words. */
static void
test_views_png (void)
{
  static const struct {
    const char *view;
    int         min_ink;     /* of 640 × 400 = 256,000 pixels */
    const char *words[3];    /* in the figure, in English */
  } views[] = {
    /* an 8 × 8 heatmap over most of the picture: measured 101,000 pixels */
    { "attention", 40000, { "Decoder · layer 3 · head 0", "attention weight", "<bos>" } },
    /* six matrices and the formula's seven: measured 34,000 */
    { "masks", 15000, { "Weights after softmax", "bidirectional", "Mask" } },
    /* three maps and the alignment: measured 50,000 */
    { "cross", 20000, { "Encoder self-attention", "Cross-attention", "<eos>" } },
    /* curves, bands and labels: measured 41,000 */
    { "kv", 20000, { "Llama 3 8B", "KV cache", "weights" } },
    /* two panels of curves: measured 23,000 */
    { "lesson-cost", 10000, { "What attention costs", "Memory per layer", "decoder-only" } },
  };

  for (guint i = 0; i < G_N_ELEMENTS (views); i++)
    for (int pdf = 0; pdf < 2; pdf++)
      {
        g_autofree char *path = out_path (pdf ? "view.pdf" : "view.png");
        g_autofree char *view = g_strdup_printf ("--view=%s", views[i].view);
        g_autofree char *text = NULL;
        TestRun r;

        if (g_str_equal (views[i].view, "kv"))
          r = test_run_cli ("export", view, "--preset", "llama-3-8b", "--out", path,
                            "--width", "640", "--height", "400", "--lang", "en", NULL);
        else if (g_str_equal (views[i].view, "lesson-cost"))
          r = test_run_cli ("export", view, "--out", path, "--width", "640", "--height", "400",
                            "--lang", "en", NULL);
        else if (g_str_equal (views[i].view, "attention"))
          r = test_run_cli ("export", view, "--model", "decoder", "--text", "the big cat saw a small dog",
                            "--out", path, "--width", "640", "--height", "400", "--lang", "en", NULL);
        else
          r = test_run_cli ("export", view, "--text", "the big cat saw a small dog", "--out", path,
                            "--width", "640", "--height", "400", "--lang", "en", NULL);
        g_test_message ("%s: %s", views[i].view, r.err);
        g_assert_cmpint (r.status, ==, 0);
        if (!pdf)
          {
            int ink;

            g_assert_nonnull (strstr (r.out, "\"format\":\"png\""));
            assert_png (path, 640, 400);
            ink = test_png_ink (path);
            g_test_message ("%s: %d pixels of ink", views[i].view, ink);
            g_assert_cmpint (ink, >, views[i].min_ink);
          }
        else if ((text = test_pdf_text (path)) != NULL)
          {
            for (guint w = 0; w < G_N_ELEMENTS (views[i].words); w++)
              if (strstr (text, views[i].words[w]) == NULL)
                g_error ("%s: no “%s” in the figure's text:\n%s", views[i].view, views[i].words[w], text);
            /* a keyboard hint is for the screen, never in a figure */
            g_assert_null (strstr (text, "Press"));
          }
        test_run_clear (&r);
      }
}

static void
test_sizes_and_backgrounds (void)
{
  g_autofree char *path = out_path ("masks.png");
  cairo_surface_t *png;
  TestRun r;

  /* a slide is 1920 × 1080 pixels, a paper column 3.5 in at 300 dpi = 1050 pixels wide */
  r = test_run_cli ("export", "--view", "masks", "--text", "the cat", "--size", "slide",
                    "--out", path, NULL);
  g_assert_cmpint (r.status, ==, 0);
  assert_png (path, 1920, 1080);
  /* the figure fills the slide: its thirteen matrices are over a tenth of it */
  g_assert_cmpint (test_png_ink (path), >, 1920 * 1080 / 10);
  test_run_clear (&r);
  r = test_run_cli ("export", "--view", "masks", "--text", "the cat", "--size", "column",
                    "--width", "800", "--height", "600", "--out", path, NULL);
  g_assert_cmpint (r.status, ==, 0);
  assert_png (path, 1050, 788);       /* 252 pt × 189 pt at 300/72 */
  g_assert_cmpint (test_png_ink (path), >, 1050 * 788 / 10);
  test_run_clear (&r);

  /* transparent: the corner has no paint; white: an opaque white corner, even in dark */
  r = test_run_cli ("export", "--view", "masks", "--text", "the cat", "--background", "transparent",
                    "--out", path, NULL);
  g_assert_cmpint (r.status, ==, 0);
  png = cairo_image_surface_create_from_png (path);
  g_assert_cmpuint (((guint32 *) cairo_image_surface_get_data (png))[0] >> 24, ==, 0);
  cairo_surface_destroy (png);
  test_run_clear (&r);
  r = test_run_cli ("export", "--view", "masks", "--text", "the cat", "--background", "white",
                    "--theme", "dark", "--out", path, NULL);
  g_assert_cmpint (r.status, ==, 0);
  png = cairo_image_surface_create_from_png (path);
  g_assert_cmphex (((guint32 *) cairo_image_surface_get_data (png))[0], ==, 0xffffffff);
  cairo_surface_destroy (png);
  /* … with the figure on it */
  g_assert_cmpint (test_png_ink (path), >, 1400 * 1000 / 10);
  test_run_clear (&r);
}

/* --colormap colours the Masks view's weights. The decoder's first query sees only itself:
 * its weight is exactly 1, so its cells (in the grid and in the formula's softmax) take the
 * colour map's last colour, matplotlib's magma(1.0) = #fcfdbf and cividis(1.0) = #fee838. */
static void
test_masks_colormap (void)
{
  g_autofree char *path = out_path ("masks-cmap.png");
  const struct { const char *name; guint32 top, other; } maps[] = {
    { "magma", 0xfcfdbf, 0xfee838 }, { "cividis", 0xfee838, 0xfcfdbf },
  };
  TestRun r;

  for (guint i = 0; i < G_N_ELEMENTS (maps); i++)
    {
      int top, other;

      r = test_run_cli ("export", "--view", "masks", "--text", "the big cat saw a small dog",
                        "--colormap", maps[i].name, "--out", path, NULL);
      g_assert_cmpint (r.status, ==, 0);
      top = test_png_count_rgb (path, maps[i].top);
      other = test_png_count_rgb (path, maps[i].other);
      g_test_message ("%s: %d pixels of #%06x", maps[i].name, top, maps[i].top);
      /* two cells of the 8 × 8 weights, each over 20 px a side at 1,400 × 1,000 */
      g_assert_cmpint (top, >, 400);
      g_assert_cmpint (other, ==, 0);
      test_run_clear (&r);
    }
  r = test_run_cli ("export", "--view", "masks", "--text", "the cat", "--colormap", "jet",
                    "--out", path, NULL);
  g_assert_cmpint (r.status, ==, 2);
  g_assert_nonnull (strstr (r.err, "--colormap"));
  test_run_clear (&r);
}

static void
test_vector_formats (void)
{
  g_autofree char *svg = out_path ("a.svg");
  g_autofree char *pdf = out_path ("a.pdf");
  g_autofree char *noext = out_path ("figure");
  g_autofree char *contents = NULL;
  g_autofree char *text = NULL;
  TestRun r;

  /* by the extension */
  r = test_run_cli ("export", "--view", "masks", "--text", "the cat", "--out", svg, NULL);
  g_assert_cmpint (r.status, ==, 0);
  g_assert_nonnull (strstr (r.out, "\"format\":\"svg\""));
  g_assert_true (g_file_get_contents (svg, &contents, NULL, NULL));
  g_assert_true (g_str_has_prefix (contents, "<?xml"));
  g_assert_nonnull (strstr (contents, "<svg"));
  g_assert_nonnull (strstr (contents, "</svg>"));
  test_run_clear (&r);

  /* PDF, its text in Russian, then in English */
  r = test_run_cli ("export", "--model", "decoder", "--text", "the cat", "--out", pdf, "--lang", "ru", NULL);
  g_assert_cmpint (r.status, ==, 0);
  text = test_pdf_text (pdf);
  if (text == NULL)
    return;
  g_assert_nonnull (strstr (text, "Декодировщик"));
  g_assert_nonnull (strstr (text, "слой"));
  g_clear_pointer (&text, g_free);
  test_run_clear (&r);
  r = test_run_cli ("export", "--model", "decoder", "--text", "the cat", "--out", pdf, "--lang", "en", NULL);
  g_assert_cmpint (r.status, ==, 0);
  text = test_pdf_text (pdf);
  g_assert_nonnull (text);
  g_assert_nonnull (strstr (text, "Decoder"));
  g_assert_null (strstr (text, "Декодировщик"));
  test_run_clear (&r);

  /* by --format, whatever the name */
  r = test_run_cli ("export", "--view", "lesson-cost", "--format", "pdf", "--out", noext, NULL);
  g_assert_cmpint (r.status, ==, 0);
  g_clear_pointer (&contents, g_free);
  g_assert_true (g_file_get_contents (noext, &contents, NULL, NULL));
  g_assert_true (g_str_has_prefix (contents, "%PDF-"));
  test_run_clear (&r);
}

/* The figure's numbers follow --lang, not the process locale (these tests run in C): the KV
 * bars of Llama 3 8B, whose cache is 131 072 bytes a token (2 × 8 heads × 128 × 2 bytes × 32
 * layers), label 8192 tokens' 1 073 741 824 bytes "1.1 GB", 100 000 tokens' 13 107 200 000
 * bytes "13.1 GB" and the weights, 2 × 8 030 261 248 = 16 060 522 496 bytes, "16.1 GB":
 * in Russian «1,1 ГБ», «13,1 ГБ», «16,1 ГБ». */
static void
test_numbers_follow_lang (void)
{
  g_autofree char *pdf = out_path ("kv-bars.pdf");
  g_autofree char *text = NULL;
  TestRun r;

  r = test_run_cli ("export", "--view", "kv", "--preset", "llama-3-8b", "--chart", "bars",
                    "--out", pdf, "--lang", "ru", NULL);
  g_assert_cmpstr (r.err, ==, "");
  g_assert_cmpint (r.status, ==, 0);
  text = test_pdf_text (pdf);
  g_assert_nonnull (text);
  g_test_message ("%s", text);
  g_assert_nonnull (strstr (text, "13,1"));
  g_assert_nonnull (strstr (text, "16,1"));
  g_assert_nonnull (strstr (text, "ГБ"));
  g_assert_null (strstr (text, "13.1"));
  g_clear_pointer (&text, g_free);
  test_run_clear (&r);

  r = test_run_cli ("export", "--view", "kv", "--preset", "llama-3-8b", "--chart", "bars",
                    "--out", pdf, "--lang", "en", NULL);
  g_assert_cmpint (r.status, ==, 0);
  text = test_pdf_text (pdf);
  g_assert_nonnull (text);
  g_assert_nonnull (strstr (text, "13.1"));
  g_assert_nonnull (strstr (text, "16.1"));
  g_assert_null (strstr (text, "13,1"));
  test_run_clear (&r);
}

static void
test_option_errors (void)
{
  g_autofree char *path = out_path ("x.png");
  const char *bad[][2] = {
    { "--format", "gif" }, { "--background", "pink" }, { "--size", "poster" },
    { "--lang", "de" }, { "--theme", "blue" },
  };

  for (guint i = 0; i < G_N_ELEMENTS (bad); i++)
    {
      TestRun r = test_run_cli ("export", "--view", "masks", "--text", "the cat", bad[i][0], bad[i][1],
                                "--out", path, NULL);

      g_assert_cmpint (r.status, ==, 2);
      g_assert_nonnull (strstr (r.err, bad[i][0]));
      g_assert_false (g_file_test (path, G_FILE_TEST_EXISTS));
      test_run_clear (&r);
    }
}

/* Each view's own options, at the edges their help gives: one step past the edge is a usage
 * error (status 2) in that option's own words, with nothing written; the edge itself draws.
 * The bounds: --pads 1 to 16 and --step 0 to 6 (the formula's seven steps) for the Masks;
 * --input-max from 1 000 (ten times the axis' start, 100) to 10⁷ tokens, --output 1 to 10⁶
 * and --dim 1 to 65 536 for the lesson's cost; --steps 0 to 512 and --max-tokens 10⁴ to 10⁹
 * for the KV Cache; the choices as each help lists them. */
static void
test_view_option_errors (void)
{
  g_autofree char *path = out_path ("view-errors.png");
  const struct {
    const char *args[8];
    const char *message;   /* NULL: drawn */
  } rows[] = {
    { { "--view=masks", "--text", "the cat", "--pads", "17" },
      "--window must be at least 1, --prefix at least 0 and --pads 1 to 16" },
    { { "--view=masks", "--text", "the cat", "--window", "0" },
      "--window must be at least 1, --prefix at least 0 and --pads 1 to 16" },
    { { "--view=masks", "--text", "the cat", "--step", "7" }, "--step must be between 0 and 6" },
    { { "--view=masks", "--text", "the cat", "--step", "-2" }, "--step must be between 0 and 6" },
    { { "--view=masks", "--text", "the cat", "--position", "-2" }, "--position counts from 0" },
    { { "--view=masks", "--text", "the cat", "--head", "-1" }, "--layer and --head count from 0" },
    { { "--view=masks", "--text", "the cat", "--compare", "causal" },
      "--compare must be none, sliding, prefix or padding, not “causal”" },
    { { "--view=masks", "--text", "the cat", "--formula", "both" }, "--formula must be encoder or decoder, not “both”" },
    { { "--view=masks", "--text", "the cat", "--pads", "16", "--step", "6" }, NULL },
    { { "--view=lesson-cost", "--input-max", "999" }, "--input-max must be between 1000 and 1e+07" },
    { { "--view=lesson-cost", "--output", "0" }, "--output must be between 1 and 1e+06" },
    { { "--view=lesson-cost", "--dim", "nan" }, "--dim must be between 1 and 65536" },
    { { "--view=lesson-cost", "--dim", "65537" }, "--dim must be between 1 and 65536" },
    { { "--view=lesson-cost", "--input-max", "1000", "--dim", "65536" }, NULL },
    { { "--view=cross", "--text", "the cat", "--display", "table" },
      "--display must be heatmaps, alignment or prompt, not “table”" },
    { { "--view=cross", "--text", "the cat", "--step", "0" }, "--step counts target tokens from 1" },
    { { "--view=kv", "--preset", "llama-3-8b", "--chart", "pie" }, "--chart must be view, curve or bars, not “pie”" },
    { { "--view=kv", "--preset", "llama-3-8b", "--steps", "513" }, "--steps must be between 0 and 512" },
    { { "--view=kv", "--preset", "llama-3-8b", "--max-tokens", "9999" }, "--max-tokens must be between 10 000 and 10⁹" },
    { { "--view=kv", "--preset", "llama-3-8b", "--max-tokens", "1000000000", "--steps", "512" }, NULL },
  };

  for (guint i = 0; i < G_N_ELEMENTS (rows); i++)
    {
      g_autofree char *expected = rows[i].message != NULL
                                  ? g_strdup_printf ("triad export: %s\n", rows[i].message)
                                  : NULL;
      const char * const *a = rows[i].args;
      TestRun r;

      g_test_message ("%s", rows[i].message != NULL ? rows[i].message : "drawn");
      r = test_run_cli ("export", "--out", path, "--width", "640", "--height", "400", a[0], a[1],
                        a[2], a[3], a[4], a[5], a[6], a[7], NULL);
      if (expected != NULL)
        {
          g_assert_cmpstr (r.err, ==, expected);
          g_assert_cmpint (r.status, ==, 2);
          g_assert_false (g_file_test (path, G_FILE_TEST_EXISTS));
        }
      else
        {
          g_assert_cmpstr (r.err, ==, "");
          g_assert_cmpint (r.status, ==, 0);
          g_assert_true (g_file_test (path, G_FILE_TEST_EXISTS));
          g_unlink (path);
        }
      test_run_clear (&r);
    }
}

int
main (int argc, char **argv)
{
  int status;

  test_bind_translations ();
  g_test_init (&argc, &argv, NULL);
  dir = test_tmpdir ();
  g_test_add_func ("/export/views-png", test_views_png);
  g_test_add_func ("/export/sizes-and-backgrounds", test_sizes_and_backgrounds);
  g_test_add_func ("/export/vector-formats", test_vector_formats);
  g_test_add_func ("/export/masks-colormap", test_masks_colormap);
  g_test_add_func ("/export/option-errors", test_option_errors);
  g_test_add_func ("/export/view-option-errors", test_view_option_errors);
  g_test_add_func ("/export/numbers-follow-lang", test_numbers_follow_lang);
  status = g_test_run ();
  test_rmdir (dir);
  g_free (dir);
  return status;
}
