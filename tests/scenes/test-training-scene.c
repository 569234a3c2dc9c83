/* test-training-scene.c — the Training view's filmstrip scene on a run made up here: the steps
 * and the head it shows, the steps it picks itself, and its panels titled in the figure. */
#include "config.h"

#include <math.h>
#include <string.h>
#include <cairo-pdf.h>

#include "../engine/test-common.h"
#include "../test-tools.h"
#include "scenes/scene-describe.h"
#include "scenes/training-scene.h"
#include "scenes/training-scene-live.h"

#define N_PROBE 5

/* A record of n snapshots, every 50 steps from 0, of a model of 2 layers × 2 heads whose best
 * head at the end is layer 1, head 0; head (l, h) at snapshot i has map cells all equal to
 * (i + 10 (l * 2 + h)) / 100. */
static TriadWatchRecord *
made_up_record (int n,
                int phase_step)
{
  TriadWatchRecord *r = g_new0 (TriadWatchRecord, 1);

  r->snapshots = g_ptr_array_new_with_free_func ((GDestroyNotify) triad_watch_snapshot_unref);
  r->losses = g_array_new (FALSE, FALSE, sizeof (float));
  r->q_tokens = g_new0 (char *, N_PROBE + 1);
  for (int t = 0; t < N_PROBE; t++)
    r->q_tokens[t] = g_strdup_printf ("w%d", t);
  r->k_tokens = g_strdupv (r->q_tokens);
  for (int i = 0; i < n; i++)
    {
      TriadWatchSnapshot *s = g_atomic_rc_box_new0 (TriadWatchSnapshot);

      s->step = 50 * i;
      s->loss = i == 0 ? NAN : 5.0f - 0.1f * i;
      s->n_layers = s->n_heads = 2;
      s->scores = g_new0 (double, 4);
      s->prev_scores = g_new0 (double, 4);
      for (int k = 0; k < 4; k++)
        s->scores[k] = 0.01 * (i + k);
      s->scores[2] = 0.05 * i;          /* layer 1, head 0 overtakes the others */
      s->best_layer = i >= 2 ? 1 : 0;
      s->best_head = i >= 2 ? 0 : 1;
      s->n_q = s->n_k = N_PROBE;
      s->probe = g_new0 (float, 4 * N_PROBE * N_PROBE);
      for (int k = 0; k < 4; k++)
        for (int c = 0; c < N_PROBE * N_PROBE; c++)
          s->probe[k * N_PROBE * N_PROBE + c] = (i + 10 * k) / 100.0f;
      g_ptr_array_add (r->snapshots, s);
    }
  for (int step = 0; step < 50 * (n - 1); step++)
    {
      float v = 5.0f - step * 0.001f;
      g_array_append_val (r->losses, v);
    }
  r->phase_step = phase_step;
  return r;
}

/* Steps asked for are shown, in the order asked; a step with no snapshot is left out; the
 * head defaults to the best at the end and follows the options. */
static void
test_steps_and_head (void)
{
  g_autoptr(TriadWatchRecord) r = made_up_record (5, -1);
  g_autoptr(TriadTrainingScene) scene = triad_training_scene_new (r);
  TriadTrainingOptions opt;
  const int *steps;
  int n, layer, head;

  triad_training_options_init (&opt);
  opt.n_steps = 3;
  opt.steps[0] = 0, opt.steps[1] = 75, opt.steps[2] = 200;
  triad_training_scene_update (scene, &opt);
  steps = triad_training_scene_get_steps (scene, &n);
  g_assert_cmpint (n, ==, 2);
  g_assert_cmpint (steps[0], ==, 0);
  g_assert_cmpint (steps[1], ==, 200);
  triad_training_scene_get_head (scene, &layer, &head);
  g_assert_cmpint (layer, ==, 1);
  g_assert_cmpint (head, ==, 0);
  g_assert_nonnull (strstr (triad_training_scene_get_title (scene), "Layer 1, head 0"));

  opt.layer = 0, opt.head = 1;
  triad_training_scene_update (scene, &opt);
  triad_training_scene_get_head (scene, &layer, &head);
  g_assert_cmpint (layer, ==, 0);
  g_assert_cmpint (head, ==, 1);
}

/* 8 of 20 snapshots (steps 0 … 950): indices round (i × 19 / 7) = 0, 3, 5, 8, 11, 14, 16, 19,
 * steps 0, 150, 250, 400, 550, 700, 800, 950; the phase change at 500 takes the place of the
 * nearest, 550. With 4 snapshots, all 4. */
static void
test_auto_steps (void)
{
  g_autoptr(TriadWatchRecord) r = made_up_record (20, 500);
  g_autoptr(TriadWatchRecord) few = made_up_record (4, -1);
  static const int expected[] = { 0, 150, 250, 400, 500, 700, 800, 950 };
  int steps[TRIAD_TRAINING_MAX_PANELS];

  g_assert_cmpint (triad_training_auto_steps (r, 8, steps), ==, 8);
  for (int i = 0; i < 8; i++)
    g_assert_cmpint (steps[i], ==, expected[i]);
  g_assert_cmpint (triad_training_auto_steps (few, 8, steps), ==, 4);
  for (int i = 0; i < 4; i++)
    g_assert_cmpint (steps[i], ==, 50 * i);
}

/* An early phase change, at 200: the strip spreads over the 13 snapshots up to 600 (three times
 * it), indices round (i × 12 / 7) = 0, 2, 3, 5, 7, 9, 10, 12, steps 0, 100, 150, 250, 350, 450,
 * 500, 600; the phase change takes the place of the first nearest, 150. */
static void
test_auto_steps_early (void)
{
  g_autoptr(TriadWatchRecord) r = made_up_record (20, 200);
  static const int expected[] = { 0, 100, 200, 250, 350, 450, 500, 600 };
  int steps[TRIAD_TRAINING_MAX_PANELS];

  g_assert_cmpint (triad_training_auto_steps (r, 8, steps), ==, 8);
  for (int i = 0; i < 8; i++)
    g_assert_cmpint (steps[i], ==, expected[i]);
}

/* The figure, drawn into a PDF through the TriadScene interface, titles each panel with its
 * step and no other. */
static void
test_panels_in_pdf (void)
{
  g_autoptr(TriadWatchRecord) r = made_up_record (6, 150);
  g_autoptr(TriadTrainingScene) scene = triad_training_scene_new (r);
  g_autoptr(TriadScene) figure = NULL;
  g_autofree char *dir = test_tmpdir ();
  g_autofree char *path = g_build_filename (dir, "strip.pdf", NULL);
  g_autofree char *text = NULL;
  TriadTrainingOptions opt;
  TriadFigureStyle style;
  cairo_surface_t *pdf;
  cairo_t *cr;

  triad_training_options_init (&opt);
  opt.n_steps = 3;
  opt.steps[0] = 50, opt.steps[1] = 150, opt.steps[2] = 250;
  figure = triad_training_scene_as_scene (scene, &opt);
  g_assert_cmpstr (triad_scene_get_name (figure), ==, "training");
  triad_figure_style_init (&style, FALSE);
  pdf = cairo_pdf_surface_create (path, 1200, 620);
  cr = cairo_create (pdf);
  triad_scene_draw (figure, cr, &style, 1200, 620);
  g_assert_cmpint (cairo_status (cr), ==, CAIRO_STATUS_SUCCESS);
  cairo_destroy (cr);
  cairo_surface_destroy (pdf);
  if ((text = test_pdf_text (path)) != NULL)
    {
      g_assert_nonnull (strstr (text, "step 50"));
      g_assert_nonnull (strstr (text, "step 150"));
      g_assert_nonnull (strstr (text, "step 250"));
      g_assert_null (strstr (text, "step 200"));
      g_assert_null (strstr (text, "step 0\n"));
      /* the phase change is marked on the loss curve */
      g_assert_nonnull (strstr (text, "induction head formed"));
    }
  g_remove (path);
  test_rmdir (dir);
}

/* ---- the live scene ------------------------------------------------------------------- */

#define LIVE_W 1200.0
#define LIVE_H 620.0

/* The first point, scanning the figure every 4 units, that hits panel; FALSE if none. */
static gboolean
find_in_panel (TriadScene             *figure,
               const TriadFigureStyle *style,
               int                     panel,
               TriadScenePart         *part)
{
  for (double y = 2; y < LIVE_H; y += 4)
    for (double x = 2; x < LIVE_W; x += 4)
      if (triad_scene_hit (figure, style, LIVE_W, LIVE_H, x, y, part) && part->panel == panel)
        return TRUE;
  return FALSE;
}

/* The maps show the snapshots asked for. The made-up record's head (l, h) at snapshot i has
 * every cell (i + 10 (2 l + h)) / 100: layer 1, head 1 at step 100 (i = 2) reads 0.32, at step
 * 50 (i = 1) 0.31, their difference 0.01; at the latest snapshot (i = 4) 0.34. */
static void
test_live_maps (void)
{
  g_autoptr(TriadWatchRecord) r = made_up_record (5, -1);
  g_autoptr(TriadTrainingLiveScene) scene = triad_training_live_scene_new ();
  g_autoptr(TriadScene) figure = NULL;
  TriadTrainingLiveOptions opt;
  TriadFigureStyle style;
  TriadScenePart part;

  triad_figure_style_init (&style, FALSE);
  triad_training_live_scene_set_record (scene, r, 400);
  triad_training_live_options_init (&opt);
  opt.layer = 1, opt.head = 1;
  opt.step = 100, opt.compare_step = 50;
  figure = triad_training_live_scene_as_scene (scene, &opt);
  g_assert_cmpint (triad_training_live_scene_get_now (scene)->step, ==, 100);
  g_assert_cmpint (triad_training_live_scene_get_then (scene)->step, ==, 50);

  g_assert_true (find_in_panel (figure, &style, TRIAD_TRAINING_LIVE_NOW, &part));
  g_assert_cmpfloat_with_epsilon (part.value, 0.32, 1e-6);
  g_assert_true (find_in_panel (figure, &style, TRIAD_TRAINING_LIVE_THEN, &part));
  g_assert_cmpfloat_with_epsilon (part.value, 0.31, 1e-6);
  g_assert_true (find_in_panel (figure, &style, TRIAD_TRAINING_LIVE_DIFFERENCE, &part));
  g_assert_cmpfloat_with_epsilon (part.value, 0.01, 1e-6);
  g_assert_cmpint (part.row, >=, 0);
  g_assert_cmpint (part.row, <, N_PROBE);

  /* scrubbed to the end: the latest snapshot, step 200 */
  opt.step = -1;
  triad_scene_set_options (figure, &opt);
  g_assert_cmpint (triad_training_live_scene_get_now (scene)->step, ==, 200);
  g_assert_true (find_in_panel (figure, &style, TRIAD_TRAINING_LIVE_NOW, &part));
  g_assert_cmpfloat_with_epsilon (part.value, 0.34, 1e-6);
  /* a step between snapshots shows the one before it: 120 → 100 */
  opt.step = 120;
  triad_scene_set_options (figure, &opt);
  g_assert_cmpint (triad_training_live_scene_get_now (scene)->step, ==, 100);
}

/* The head defaults to the best at the snapshot shown: layer 0, head 1 at step 50, layer 1,
 * head 0 from step 100 (made_up_record's best heads). */
static void
test_live_default_head (void)
{
  g_autoptr(TriadWatchRecord) r = made_up_record (5, -1);
  g_autoptr(TriadTrainingLiveScene) scene = triad_training_live_scene_new ();
  TriadTrainingLiveOptions opt;
  int layer, head;

  triad_training_live_scene_get_head (scene, &layer, &head);
  g_assert_cmpint (layer, ==, -1);
  triad_training_live_scene_set_record (scene, r, 0);
  triad_training_live_options_init (&opt);
  opt.step = 50;
  triad_training_live_scene_update (scene, &opt);
  triad_training_live_scene_get_head (scene, &layer, &head);
  g_assert_cmpint (layer, ==, 0);
  g_assert_cmpint (head, ==, 1);
  opt.step = 150;
  triad_training_live_scene_update (scene, &opt);
  triad_training_live_scene_get_head (scene, &layer, &head);
  g_assert_cmpint (layer, ==, 1);
  g_assert_cmpint (head, ==, 0);
  g_assert_nonnull (strstr (triad_training_live_scene_get_title (scene),
                            "Layer 1, head 0 at step 150"));
}

/* The charts: the loss chart's readout is the loss of the step under the pointer (made_up_record
 * gives step s the loss 5 − (s − 1) / 1000); the score chart's steps are the snapshots' (every
 * 50). A screen reader hears the title and the strongest cell. */
static void
test_live_charts_and_words (void)
{
  g_autoptr(TriadWatchRecord) r = made_up_record (5, 150);
  g_autoptr(TriadTrainingLiveScene) scene = triad_training_live_scene_new ();
  g_autoptr(TriadScene) figure = NULL;
  g_autofree char *words = NULL;
  TriadTrainingLiveOptions opt;
  TriadFigureStyle style;
  TriadScenePart part;

  triad_figure_style_init (&style, FALSE);
  triad_training_live_scene_set_record (scene, r, 200);
  triad_training_live_options_init (&opt);
  figure = triad_training_live_scene_as_scene (scene, &opt);

  g_assert_true (find_in_panel (figure, &style, TRIAD_TRAINING_LIVE_LOSS, &part));
  g_assert_cmpint (part.row, >=, 1);
  g_assert_cmpint (part.row, <=, 200);
  {
    g_autofree char *readout = triad_scene_describe_part (figure, &part);
    g_autofree char *loss = g_strdup_printf ("loss %.3f", 5.0 - (part.row - 1) / 1000.0);

    g_assert_nonnull (strstr (readout, loss));
  }
  g_assert_true (find_in_panel (figure, &style, TRIAD_TRAINING_LIVE_SCORES, &part));
  g_assert_cmpint (part.row % 50, ==, 0);

  words = triad_scene_describe (figure);
  g_assert_nonnull (strstr (words, "at step 200"));
  g_assert_nonnull (strstr (words, "Phase change at step 150: induction head formed"));
  g_assert_nonnull (strstr (words, "Strongest:"));
}

int
main (int    argc,
      char **argv)
{
  test_bind_translations ();
  g_test_init (&argc, &argv, NULL);
  g_setenv ("LANGUAGE", "en", TRUE);
  g_test_add_func ("/scenes/training/steps-and-head", test_steps_and_head);
  g_test_add_func ("/scenes/training/auto-steps", test_auto_steps);
  g_test_add_func ("/scenes/training/auto-steps-early", test_auto_steps_early);
  g_test_add_func ("/scenes/training/panels-in-pdf", test_panels_in_pdf);
  g_test_add_func ("/scenes/training/live-maps", test_live_maps);
  g_test_add_func ("/scenes/training/live-default-head", test_live_default_head);
  g_test_add_func ("/scenes/training/live-charts-and-words", test_live_charts_and_words);
  return g_test_run ();
}
