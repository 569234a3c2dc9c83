/* test-training.c — `triad train --task` writes a run's snapshots, `triad export --view
 * training` draws their filmstrip: the panels are the steps asked for, and a folder that holds
 * no snapshots gets one clear sentence. */
#include "config.h"

#include <string.h>
#include <cairo.h>
#include <json-glib/json-glib.h>

#include "../engine/test-common.h"

static char *dir;       /* the snapshots of one small run, made once */
static char *scratch;   /* figures and bad folders */

static char *
scratch_path (const char *name)
{
  return g_build_filename (scratch, name, NULL);
}

/* 60 steps of a model of 2 layers and 2 heads, a snapshot every 20: steps 0, 20, 40, 60. */
static void
make_run (void)
{
  TestRun r = test_run_cli ("train", "--task", "induction", "--snapshots", dir, "--every", "20",
                            "--steps", "60", "--dim", "32", "--heads", "2", "--batch", "4",
                            NULL);

  g_test_message ("%s", r.err);
  g_assert_cmpint (r.status, ==, 0);
  g_assert_nonnull (strstr (r.out, "\"files\":4"));
  g_assert_nonnull (strstr (r.out, "\"steps\":60"));
  test_run_clear (&r);
}

/* One file a kept step, with every head's scores and the probe's attention: 2 layers × 2 heads
 * of 17 × 17 (<bos> and 8 words said twice), each row a softmax that sums to 1. */
static void
test_snapshot_files (void)
{
  static const char *names[] = { "step-000000.json", "step-000020.json", "step-000040.json",
                                 "step-000060.json" };
  g_autoptr(JsonParser) parser = json_parser_new ();
  g_autoptr(GError) error = NULL;
  g_autofree char *path = g_build_filename (dir, "step-000040.json", NULL);
  JsonObject *o, *probe;
  JsonArray *att, *row;

  for (guint i = 0; i < G_N_ELEMENTS (names); i++)
    {
      g_autofree char *p = g_build_filename (dir, names[i], NULL);
      g_assert_true (g_file_test (p, G_FILE_TEST_IS_REGULAR));
    }
  g_assert_true (json_parser_load_from_file (parser, path, &error));
  g_assert_no_error (error);
  o = json_node_get_object (json_parser_get_root (parser));
  g_assert_cmpint (json_object_get_int_member (o, "step"), ==, 40);
  /* the losses of steps 21 … 40 */
  g_assert_cmpuint (json_array_get_length (json_object_get_array_member (o, "losses")), ==, 20);
  g_assert_cmpuint (json_array_get_length (json_object_get_array_member (o, "scores")), ==, 2);
  g_assert_cmpuint (json_array_get_length (json_array_get_array_element (
                      json_object_get_array_member (o, "scores"), 1)), ==, 2);
  probe = json_object_get_object_member (o, "probe");
  g_assert_cmpuint (json_array_get_length (json_object_get_array_member (probe, "tokens")), ==, 17);
  att = json_object_get_array_member (probe, "attention");
  g_assert_cmpuint (json_array_get_length (att), ==, 2);
  row = json_array_get_array_element (json_array_get_array_element (
          json_array_get_array_element (att, 1), 0), 16);
  g_assert_cmpuint (json_array_get_length (row), ==, 17);
  {
    double sum = 0;
    for (guint k = 0; k < 17; k++)
      sum += json_array_get_double_element (row, k);
    g_assert_cmpfloat_with_epsilon (sum, 1.0, 1e-4);
  }
}

/* Translation watches the cross-attention: the probe's queries are <bos> and the Russian
 * tokens, its keys the English tokens and <eos>, each row summing to 1 over the keys; no
 * previous-token scores (an induction measure). The filmstrip reads it back and says so in its
 * title. */
static void
test_translation_run (void)
{
  g_autofree char *tdir = scratch_path ("translation");
  g_autofree char *path = g_build_filename (tdir, "step-000010.json", NULL);
  g_autofree char *pdf = scratch_path ("translation.pdf");
  g_autoptr(JsonParser) parser = json_parser_new ();
  g_autoptr(GError) error = NULL;
  JsonObject *o, *probe;
  JsonArray *q, *k, *row;
  double sum = 0;
  TestRun r;

  r = test_run_cli ("train", "--task", "translation", "--snapshots", tdir, "--every", "10",
                    "--steps", "10", "--dim", "32", "--heads", "2", "--batch", "4", NULL);
  g_test_message ("%s", r.err);
  g_assert_cmpint (r.status, ==, 0);
  g_assert_nonnull (strstr (r.out, "\"task\":\"translation\""));
  test_run_clear (&r);

  g_assert_true (json_parser_load_from_file (parser, path, &error));
  g_assert_no_error (error);
  o = json_node_get_object (json_parser_get_root (parser));
  g_assert_cmpstr (json_object_get_string_member (o, "task"), ==, "translation");
  g_assert_false (json_object_has_member (o, "previous_token"));
  probe = json_object_get_object_member (o, "probe");
  q = json_object_get_array_member (probe, "tokens");
  k = json_object_get_array_member (probe, "key_tokens");
  g_assert_cmpstr (json_array_get_string_element (q, 0), ==, "<bos>");
  g_assert_cmpstr (json_array_get_string_element (k, json_array_get_length (k) - 1), ==, "<eos>");
  row = json_array_get_array_element (json_array_get_array_element (
          json_array_get_array_element (json_object_get_array_member (probe, "attention"), 0), 0),
          json_array_get_length (q) - 1);
  g_assert_cmpuint (json_array_get_length (row), ==, json_array_get_length (k));
  for (guint i = 0; i < json_array_get_length (row); i++)
    sum += json_array_get_double_element (row, i);
  g_assert_cmpfloat_with_epsilon (sum, 1.0, 1e-4);

  r = test_run_cli ("export", "--view", "training", "--snapshots", tdir, "--out", pdf, "--lang",
                    "en", NULL);
  g_test_message ("%s", r.err);
  g_assert_cmpint (r.status, ==, 0);
  g_assert_nonnull (strstr (r.out, "learning to align"));
  test_run_clear (&r);
}

/* The filmstrip's panels are the steps asked for, each titled with its step, the others left
 * out; without --steps, every snapshot of a run with fewer than 8. */
static void
test_filmstrip_steps (void)
{
  g_autofree char *pdf = scratch_path ("strip.pdf");
  g_autofree char *text = NULL;
  TestRun r;

  r = test_run_cli ("export", "--view", "training", "--snapshots", dir, "--steps", "0,40",
                    "--head", "1.0", "--out", pdf, "--lang", "en", NULL);
  g_test_message ("%s", r.err);
  g_assert_cmpint (r.status, ==, 0);
  g_assert_nonnull (strstr (r.out, "Layer 1, head 0"));
  test_run_clear (&r);
  if ((text = test_pdf_text (pdf)) != NULL)
    {
      g_assert_nonnull (strstr (text, "step 0"));
      g_assert_nonnull (strstr (text, "step 40"));
      g_assert_null (strstr (text, "step 20"));
      g_assert_null (strstr (text, "step 60"));
      g_assert_nonnull (strstr (text, "Loss"));
      g_clear_pointer (&text, g_free);
    }

  r = test_run_cli ("export", "--view", "training", "--snapshots", dir, "--out", pdf, "--lang",
                    "en", NULL);
  g_assert_cmpint (r.status, ==, 0);
  test_run_clear (&r);
  if ((text = test_pdf_text (pdf)) != NULL)
    for (int step = 0; step <= 60; step += 20)
      {
        g_autofree char *title = g_strdup_printf ("step %d", step);
        g_assert_nonnull (strstr (text, title));
      }
}

/* PNG at slide size (1920 × 1080 pixels), and SVG. */
static void
test_filmstrip_formats (void)
{
  g_autofree char *png = scratch_path ("strip.png");
  g_autofree char *svg = scratch_path ("strip.svg");
  g_autofree char *contents = NULL;
  cairo_surface_t *image;
  TestRun r;

  r = test_run_cli ("export", "--view", "training", "--snapshots", dir, "--size", "slide",
                    "--out", png, NULL);
  g_assert_cmpint (r.status, ==, 0);
  test_run_clear (&r);
  image = cairo_image_surface_create_from_png (png);
  g_assert_cmpint (cairo_surface_status (image), ==, CAIRO_STATUS_SUCCESS);
  g_assert_cmpint (cairo_image_surface_get_width (image), ==, 1920);
  g_assert_cmpint (cairo_image_surface_get_height (image), ==, 1080);
  cairo_surface_destroy (image);

  r = test_run_cli ("export", "--view", "training", "--snapshots", dir, "--out", svg, NULL);
  g_assert_cmpint (r.status, ==, 0);
  test_run_clear (&r);
  g_assert_true (g_file_get_contents (svg, &contents, NULL, NULL));
  g_assert_nonnull (strstr (contents, "<svg"));
}

/* --figure live: the view as the window draws it, the step asked for beside the one compared
 * and their difference, each map titled with its step. */
static void
test_live_figure (void)
{
  g_autofree char *pdf = scratch_path ("live.pdf");
  g_autofree char *text = NULL;
  TestRun r;

  r = test_run_cli ("export", "--view", "training", "--snapshots", dir, "--figure", "live",
                    "--step", "40", "--compare", "20", "--head", "1.1", "--out", pdf, "--lang",
                    "en", NULL);
  g_test_message ("%s", r.err);
  g_assert_cmpint (r.status, ==, 0);
  g_assert_nonnull (strstr (r.out, "Layer 1, head 1 at step 40"));
  test_run_clear (&r);
  if ((text = test_pdf_text (pdf)) != NULL)
    {
      g_assert_nonnull (strstr (text, "Step 40"));
      g_assert_nonnull (strstr (text, "Earlier: step 20"));
      g_assert_null (strstr (text, "Earlier: step 0"));
      g_assert_nonnull (strstr (text, "Loss"));
    }
}

/* err is one line that holds words. */
static void
assert_one_sentence (const TestRun *r,
                     int            status,
                     const char    *words)
{
  const char *nl = strchr (r->err, '\n');

  g_test_message ("%s", r->err);
  g_assert_cmpint (r->status, ==, status);
  g_assert_nonnull (strstr (r->err, words));
  g_assert_nonnull (nl);
  g_assert_cmpstr (nl + 1, ==, "");
}

static void
test_bad_folders (void)
{
  g_autofree char *missing = scratch_path ("missing");
  g_autofree char *empty = scratch_path ("empty");
  g_autofree char *bad = scratch_path ("bad");
  g_autofree char *bad_file = g_build_filename (bad, "step-000000.json", NULL);
  g_autofree char *out = scratch_path ("never.png");
  TestRun r;

  g_assert_cmpint (g_mkdir (empty, 0755), ==, 0);
  g_assert_cmpint (g_mkdir (bad, 0755), ==, 0);
  g_assert_true (g_file_set_contents (bad_file, "{\"format\": \"triad-model\"}", -1, NULL));

  r = test_run_cli ("export", "--view", "training", "--snapshots", missing, "--out", out,
                    "--lang", "en", NULL);
  assert_one_sentence (&r, TRIAD_EXIT_INPUT, "is not a folder of training snapshots");
  test_run_clear (&r);
  r = test_run_cli ("export", "--view", "training", "--snapshots", empty, "--out", out,
                    "--lang", "en", NULL);
  assert_one_sentence (&r, TRIAD_EXIT_INPUT, "has no training snapshots");
  test_run_clear (&r);
  r = test_run_cli ("export", "--view", "training", "--snapshots", bad, "--out", out,
                    "--lang", "en", NULL);
  assert_one_sentence (&r, TRIAD_EXIT_INPUT, "is not a Triad training snapshot");
  test_run_clear (&r);
  r = test_run_cli ("export", "--view", "training", "--snapshots", dir, "--steps", "0,35",
                    "--out", out, "--lang", "en", NULL);
  assert_one_sentence (&r, TRIAD_EXIT_USAGE, "There is no snapshot of step 35");
  test_run_clear (&r);
  r = test_run_cli ("export", "--view", "training", "--snapshots", dir, "--head", "5.0",
                    "--out", out, "--lang", "en", NULL);
  assert_one_sentence (&r, TRIAD_EXIT_USAGE, "Head 5.0 does not exist");
  test_run_clear (&r);
  r = test_run_cli ("export", "--view", "training", "--out", out, "--lang", "en", NULL);
  assert_one_sentence (&r, TRIAD_EXIT_USAGE, "--snapshots is required");
  test_run_clear (&r);
  r = test_run_cli ("export", "--view", "training", "--snapshots", dir, "--figure", "live",
                    "--step", "30", "--out", out, "--lang", "en", NULL);
  assert_one_sentence (&r, TRIAD_EXIT_USAGE, "There is no snapshot of step 30");
  test_run_clear (&r);
  r = test_run_cli ("export", "--view", "training", "--snapshots", dir, "--figure", "movie",
                    "--out", out, "--lang", "en", NULL);
  assert_one_sentence (&r, TRIAD_EXIT_USAGE, "--figure must be “filmstrip” or “live”");
  test_run_clear (&r);
  r = test_run_cli ("export", "--view", "training", "--snapshots", dir, "--step", "20",
                    "--out", out, "--lang", "en", NULL);
  assert_one_sentence (&r, TRIAD_EXIT_USAGE, "--step and --compare go with --figure live");
  test_run_clear (&r);
  r = test_run_cli ("train", "--task", "poetry", "--snapshots", empty, NULL);
  g_assert_cmpint (r.status, ==, TRIAD_EXIT_USAGE);
  g_assert_nonnull (strstr (r.err, "--task must be induction, translation or agreement"));
  test_run_clear (&r);
  g_assert_false (g_file_test (out, G_FILE_TEST_EXISTS));
  g_remove (bad_file);
  g_rmdir (bad);
  g_rmdir (empty);
}

int
main (int argc, char **argv)
{
  int status;

  test_bind_translations ();
  g_test_init (&argc, &argv, NULL);
  dir = test_tmpdir ();
  scratch = test_tmpdir ();
  make_run ();
  g_test_add_func ("/cli/training/snapshot-files", test_snapshot_files);
  g_test_add_func ("/cli/training/filmstrip-steps", test_filmstrip_steps);
  g_test_add_func ("/cli/training/filmstrip-formats", test_filmstrip_formats);
  g_test_add_func ("/cli/training/bad-folders", test_bad_folders);
  g_test_add_func ("/cli/training/live-figure", test_live_figure);
  g_test_add_func ("/cli/training/translation", test_translation_run);
  status = g_test_run ();
  test_rmdir (dir);
  test_rmdir (scratch);
  g_free (dir);
  g_free (scratch);
  return status;
}
