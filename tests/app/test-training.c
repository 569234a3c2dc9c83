/* test-training.c — the Training view under Xvfb, on a run small enough to finish in seconds:
 * starting, pausing, resuming and resetting it; the window closed while it trains; the
 * timeline scrubbed and moved by the presentation's keys; the maps drawn from the snapshot
 * asked for. */
#include "config.h"

#include "app-test.h"

#include <string.h>
#include <dirent.h>

#include "app/triad-scene-view.h"
#include "app/triad-training-page.h"
#include "app/triad-view.h"

/* The small run: 2 layers of 2 heads, 32 wide, 4 sequences a step; a snapshot every 10 steps.
 * A step takes milliseconds here. */
static void
small_options (TriadWatchOptions *opt,
               int                steps)
{
  triad_watch_options_init (opt, TRIAD_WATCH_INDUCTION);
  opt->steps = steps;
  opt->every = 10;
  opt->batch = 4;
  opt->warmup = 5;
  opt->dim = 32;
  opt->n_heads = 2;
  opt->ffn_dim = 64;
  opt->eval_examples = 4;
}

static TriadTrainingPage *
open_page (TriadApplication  *app,
           TriadWindow      **window,
           int                steps)
{
  TriadTrainingPage *page;
  TriadWatchOptions opt;

  *window = app_test_open_window (app, 1400, 900);
  app_test_activate (GTK_WIDGET (*window), "win.view", g_variant_new_string ("training"));
  page = TRIAD_TRAINING_PAGE (triad_window_get_view (*window, "training"));
  g_assert_true (GTK_WIDGET (page) == triad_window_get_page (*window));
  small_options (&opt, steps);
  triad_training_page_set_options (page, &opt);
  app_test_iterate (100);
  return page;
}

/* Runs the main loop until cond (page) holds, or fails after 60 s. */
static void
wait_for (TriadTrainingPage *page,
          gboolean         (*cond) (TriadTrainingPage *page),
          const char        *what)
{
  gint64 deadline = g_get_monotonic_time () + 60 * G_USEC_PER_SEC;

  while (g_get_monotonic_time () < deadline)
    {
      app_test_iterate (20);
      if (cond (page))
        return;
    }
  g_error ("timed out waiting for %s", what);
}

static gboolean
has_steps (TriadTrainingPage *page)
{
  return triad_training_page_get_step (page) >= 5;
}

/* The run made and its snapshot of step 0 on the page's record. */
static gboolean
has_first_snapshot (TriadTrainingPage *page)
{
  const TriadWatchRecord *r = triad_training_page_get_record (page);

  return r != NULL && r->snapshots->len == 1
         && ((const TriadWatchSnapshot *) g_ptr_array_index (r->snapshots, 0))->step == 0;
}

static gboolean
is_paused (TriadTrainingPage *page)
{
  return triad_training_page_get_state (page) == TRIAD_TRAINING_PAUSED;
}

static gboolean
is_done (TriadTrainingPage *page)
{
  return triad_training_page_get_state (page) == TRIAD_TRAINING_DONE;
}

/* How many threads of this process are the training's worker ("triad-training"). */
static int
training_threads (void)
{
  DIR *dir = opendir ("/proc/self/task");
  struct dirent *e;
  int n = 0;

  g_assert_nonnull (dir);
  while ((e = readdir (dir)) != NULL)
    {
      g_autofree char *path = g_strdup_printf ("/proc/self/task/%s/comm", e->d_name);
      g_autofree char *comm = NULL;

      if (e->d_name[0] != '.' && g_file_get_contents (path, &comm, NULL, NULL)
          && g_str_has_prefix (comm, "triad-training"))
        n++;
    }
  closedir (dir);
  return n;
}

/* The page parks a run at step 0, its snapshot of the untrained model shown; Start steps it;
 * Pause stops the step count (the worker idle, the count the same 300 ms later); Resume goes on
 * past it; Reset parks a new run at step 0, the old worker gone. */
static void
test_start_pause_resume_reset (void)
{
  g_autoptr(TriadApplication) app = triad_application_new ();
  TriadWindow *window;
  TriadTrainingPage *page = open_page (app, &window, 100000);
  int paused_at;

  g_assert_cmpint (triad_training_page_get_state (page), ==, TRIAD_TRAINING_IDLE);
  wait_for (page, has_first_snapshot, "the run parked at step 0");
  g_assert_cmpint (triad_training_page_get_step (page), ==, 0);
  app_test_iterate (200);
  g_assert_cmpint (triad_training_page_get_step (page), ==, 0);
  app_test_activate (GTK_WIDGET (page), "view.start", NULL);
  g_assert_cmpint (triad_training_page_get_state (page), ==, TRIAD_TRAINING_RUNNING);
  wait_for (page, has_steps, "the first steps");
  /* the page's own copy follows the run at display rate */
  app_test_iterate (100);
  g_assert_nonnull (triad_training_page_get_record (page));
  g_assert_cmpint (triad_training_page_get_record (page)->losses->len, >, 0);

  app_test_activate (GTK_WIDGET (page), "view.pause", NULL);
  g_assert_cmpint (triad_training_page_get_state (page), ==, TRIAD_TRAINING_PAUSED);
  wait_for (page, triad_training_page_is_idle, "the worker to pause");
  paused_at = triad_training_page_get_step (page);
  app_test_iterate (300);
  g_assert_cmpint (triad_training_page_get_step (page), ==, paused_at);
  g_assert_nonnull (strstr (triad_training_page_get_status (page), "paused"));

  app_test_activate (GTK_WIDGET (page), "view.resume", NULL);
  g_assert_cmpint (triad_training_page_get_state (page), ==, TRIAD_TRAINING_RUNNING);
  {
    gint64 deadline = g_get_monotonic_time () + 60 * G_USEC_PER_SEC;

    while (triad_training_page_get_step (page) <= paused_at
           && g_get_monotonic_time () < deadline)
      app_test_iterate (20);
  }
  g_assert_cmpint (triad_training_page_get_step (page), >, paused_at);

  app_test_activate (GTK_WIDGET (page), "view.reset", NULL);
  g_assert_cmpint (triad_training_page_get_state (page), ==, TRIAD_TRAINING_IDLE);
  g_assert_cmpint (triad_training_page_get_step (page), ==, 0);
  wait_for (page, has_first_snapshot, "the new run parked at step 0");
  g_assert_cmpint (triad_training_page_get_record (page)->losses->len, ==, 0);
  /* the old worker joined, the new one's alone, parked */
  g_assert_cmpint (training_threads (), ==, 1);
  gtk_window_destroy (GTK_WINDOW (window));
  app_test_iterate (100);
}

/* Another task is another run: the one training stops, its worker joined, a new one parked at
 * step 0; the task list holds every task the engine has. */
static void
test_switch_task (void)
{
  g_autoptr(TriadApplication) app = triad_application_new ();
  TriadWindow *window;
  TriadTrainingPage *page = open_page (app, &window, 100000);
  g_autofree char *task = NULL;

  app_test_activate (GTK_WIDGET (page), "view.start", NULL);
  wait_for (page, has_steps, "the first steps");
  g_assert_cmpint (training_threads (), ==, 1);
  g_object_set (page, "task", "translation", NULL);
  g_assert_cmpint (triad_training_page_get_state (page), ==, TRIAD_TRAINING_IDLE);
  g_assert_cmpint (triad_training_page_get_step (page), ==, 0);
  g_object_get (page, "task", &task, NULL);
  g_assert_cmpstr (task, ==, "translation");
  /* the induction run's worker joined; the translation run's alone, parked at step 0 */
  wait_for (page, has_first_snapshot, "the translation run parked at step 0");
  g_assert_cmpint (training_threads (), ==, 1);
  {
    GtkDropDown *tasks = GTK_DROP_DOWN (gtk_widget_get_template_child (
        GTK_WIDGET (page), TRIAD_TYPE_TRAINING_PAGE, "task_dropdown"));

    g_assert_cmpuint (g_list_model_get_n_items (gtk_drop_down_get_model (tasks)), ==,
                      TRIAD_N_WATCH_TASKS);
    g_assert_cmpuint (gtk_drop_down_get_selected (tasks), ==, TRIAD_WATCH_TRANSLATION);
  }
  gtk_window_destroy (GTK_WINDOW (window));
  app_test_iterate (100);
}

/* Another view chosen: the run pauses (its step count holds 300 ms later) and goes on with
 * Resume once the view is back. */
static void
test_other_view_pauses (void)
{
  g_autoptr(TriadApplication) app = triad_application_new ();
  TriadWindow *window;
  TriadTrainingPage *page = open_page (app, &window, 100000);
  int step;

  app_test_activate (GTK_WIDGET (page), "view.start", NULL);
  wait_for (page, has_steps, "the first steps");
  g_assert_true (gtk_widget_get_mapped (GTK_WIDGET (page)));
  app_test_activate (GTK_WIDGET (window), "win.view", g_variant_new_string ("attention"));
  /* the stack cross-fades: the page leaves the screen when the fade ends */
  wait_for (page, is_paused, "the run paused");
  g_assert_false (gtk_widget_get_mapped (GTK_WIDGET (page)));
  wait_for (page, triad_training_page_is_idle, "the worker idle");
  step = triad_training_page_get_step (page);
  app_test_iterate (300);
  g_assert_cmpint (triad_training_page_get_step (page), ==, step);

  app_test_activate (GTK_WIDGET (window), "win.view", g_variant_new_string ("training"));
  app_test_activate (GTK_WIDGET (page), "view.resume", NULL);
  g_assert_cmpint (triad_training_page_get_state (page), ==, TRIAD_TRAINING_RUNNING);
  gtk_window_destroy (GTK_WINDOW (window));
  app_test_iterate (100);
}

static void
finalized (gpointer  data,
           GObject  *where)
{
  *(gboolean *) data = TRUE;
}

/* Closing the window while the run trains joins its worker: the thread is gone and the page
 * finalized, with no warning (GTest makes a CRITICAL fatal). */
static void
test_close_while_training (void)
{
  g_autoptr(TriadApplication) app = triad_application_new ();
  TriadWindow *window;
  TriadTrainingPage *page = open_page (app, &window, 100000);
  gboolean gone = FALSE;

  g_object_weak_ref (G_OBJECT (page), finalized, &gone);
  app_test_activate (GTK_WIDGET (page), "view.start", NULL);
  wait_for (page, has_steps, "the first steps");
  g_assert_cmpint (training_threads (), ==, 1);
  gtk_window_close (GTK_WINDOW (window));
  app_test_iterate (200);
  g_assert_true (gone);
  g_assert_cmpint (training_threads (), ==, 0);
}

/* The first GtkScale under widget, depth first: the timeline. */
static GtkRange *
find_range (GtkWidget *widget)
{
  if (GTK_IS_SCALE (widget))
    return GTK_RANGE (widget);
  for (GtkWidget *c = gtk_widget_get_first_child (widget); c != NULL;
       c = gtk_widget_get_next_sibling (c))
    {
      GtkRange *found = find_range (c);

      if (found != NULL)
        return found;
    }
  return NULL;
}

/* The page and the canvas's hit test: the NOW map's cell under a point whose weight changed
 * between step 20 and the run's end (60) reads the weight of step 20's snapshot there. */
static void
test_scrub_timeline (void)
{
  g_autoptr(TriadApplication) app = triad_application_new ();
  TriadWindow *window;
  TriadTrainingPage *page = open_page (app, &window, 60);
  GtkWidget *canvas = triad_training_page_get_canvas (page);
  TriadTrainingLiveScene *scene = triad_training_page_get_scene (page);
  const TriadWatchRecord *r;
  const TriadWatchSnapshot *at20, *at60;
  int layer, head, n_k, width, height;
  gboolean found = FALSE;

  app_test_activate (GTK_WIDGET (page), "view.start", NULL);
  wait_for (page, is_done, "the run's end");
  app_test_iterate (100);
  r = triad_training_page_get_record (page);
  g_assert_cmpint (r->snapshots->len, ==, 7);   /* steps 0, 10, … 60 */
  g_assert_cmpint (triad_training_live_scene_get_now (scene)->step, ==, 60);

  /* the timeline's scale, as a person drags it: 21 is nearest the snapshot of step 20 */
  {
    GtkRange *range = find_range (GTK_WIDGET (page));

    g_assert_nonnull (range);
    g_assert_true (gtk_widget_get_sensitive (GTK_WIDGET (range)));
    gtk_range_set_value (range, 21);
  }
  g_assert_cmpint (triad_training_page_get_position (page), ==, 20);
  g_assert_cmpint (triad_training_live_scene_get_now (scene)->step, ==, 20);
  app_test_iterate (100);

  triad_training_live_scene_get_head (scene, &layer, &head);
  at20 = triad_watch_record_at (r, 20);
  at60 = triad_watch_record_at (r, 60);
  triad_training_live_scene_get_map (scene, TRIAD_TRAINING_LIVE_NOW, NULL, &n_k);
  width = gtk_widget_get_width (canvas);
  height = gtk_widget_get_height (canvas);
  g_assert_cmpint (width, >, 100);
  for (int y = 0; y < height && !found; y += 3)
    for (int x = 0; x < width && !found; x += 3)
      {
        TriadScenePart part;
        size_t at;

        triad_scene_view_hover_at (TRIAD_SCENE_VIEW (canvas), x, y);
        triad_scene_view_get_hover (TRIAD_SCENE_VIEW (canvas), &part);
        if (part.panel != TRIAD_TRAINING_LIVE_NOW)
          continue;
        at = (size_t) part.row * n_k + part.col;
        if (fabsf (triad_watch_snapshot_map (at20, layer, head)[at]
                   - triad_watch_snapshot_map (at60, layer, head)[at]) < 1e-3f)
          continue;
        g_assert_cmpfloat_with_epsilon (part.value, triad_watch_snapshot_map (at20, layer, head)[at],
                                        1e-6);
        found = TRUE;
      }
  g_assert_true (found);

  /* the filmstrip of the run: 7 snapshots, so all of them, each titled with its step */
  {
    g_autofree char *tmp = g_dir_make_tmp ("triad-film-XXXXXX", NULL);
    g_autofree char *pdf = g_build_filename (tmp, "strip.pdf", NULL);
    g_autofree char *text = NULL;
    g_autoptr(GError) error = NULL;

    g_assert_true (triad_training_page_export_filmstrip (page, pdf, &error));
    g_assert_no_error (error);
    if ((text = test_pdf_text (pdf)) != NULL)
      for (int step = 0; step <= 60; step += 10)
        {
          g_autofree char *caption = g_strdup_printf ("step %d", step);

          g_assert_nonnull (strstr (text, caption));
        }
    g_unlink (pdf);
    g_rmdir (tmp);
  }
  gtk_window_destroy (GTK_WINDOW (window));
  app_test_iterate (100);
}

static GtkEventController *
window_keys (TriadWindow *window)
{
  g_autoptr(GListModel) controllers = gtk_widget_observe_controllers (GTK_WIDGET (window));

  for (guint i = 0; i < g_list_model_get_n_items (controllers); i++)
    {
      g_autoptr(GObject) c = g_list_model_get_item (controllers, i);

      if (GTK_IS_EVENT_CONTROLLER_KEY (c)
          && gtk_event_controller_get_propagation_phase (GTK_EVENT_CONTROLLER (c))
             == GTK_PHASE_CAPTURE)
        return GTK_EVENT_CONTROLLER (c);
    }
  g_error ("no key controller on the window");
}

/* Presenting, Space starts the run and pauses it; ← and → move along the timeline, one
 * snapshot (10 steps) a key. */
static void
test_presentation_keys (void)
{
  g_autoptr(TriadApplication) app = triad_application_new ();
  TriadWindow *window;
  TriadTrainingPage *page = open_page (app, &window, 100000);
  GtkEventController *keys = window_keys (window);
  gboolean handled = FALSE;
  int at;

  app_test_activate (GTK_WIDGET (window), "win.present", NULL);
  g_assert_true (triad_window_get_presenting (window));
  g_signal_emit_by_name (keys, "key-pressed", GDK_KEY_space, 0, 0, &handled);
  g_assert_true (handled);
  g_assert_cmpint (triad_training_page_get_state (page), ==, TRIAD_TRAINING_RUNNING);
  {
    gint64 deadline = g_get_monotonic_time () + 60 * G_USEC_PER_SEC;

    /* five snapshots, so that there is room to move back */
    while (triad_training_page_get_step (page) < 50 && g_get_monotonic_time () < deadline)
      app_test_iterate (20);
  }
  g_signal_emit_by_name (keys, "key-pressed", GDK_KEY_space, 0, 0, &handled);
  g_assert_cmpint (triad_training_page_get_state (page), ==, TRIAD_TRAINING_PAUSED);
  wait_for (page, triad_training_page_is_idle, "the worker to pause");
  triad_training_page_poll (page);
  /* the timeline follows the latest snapshot until a key moves it */
  g_assert_cmpint (triad_training_page_get_position (page), ==, -1);
  at = ((const TriadWatchSnapshot *) g_ptr_array_index (
          triad_training_page_get_record (page)->snapshots,
          triad_training_page_get_record (page)->snapshots->len - 1))->step;
  g_signal_emit_by_name (keys, "key-pressed", GDK_KEY_Left, 0, 0, &handled);
  g_assert_true (handled);
  g_assert_cmpint (triad_training_page_get_position (page), ==, at - 10);
  g_signal_emit_by_name (keys, "key-pressed", GDK_KEY_Left, 0, 0, &handled);
  g_assert_cmpint (triad_training_page_get_position (page), ==, at - 20);
  g_signal_emit_by_name (keys, "key-pressed", GDK_KEY_Right, 0, 0, &handled);
  g_assert_cmpint (triad_training_page_get_position (page), ==, at - 10);
  g_assert_cmpint (triad_training_live_scene_get_now (triad_training_page_get_scene (page))->step,
                   ==, at - 10);
  app_test_activate (GTK_WIDGET (window), "win.present", NULL);
  gtk_window_destroy (GTK_WINDOW (window));
  app_test_iterate (100);
}

int
main (int argc, char *argv[])
{
  test_bind_translations ();
  g_setenv ("LANGUAGE", "en", TRUE);
  gtk_test_init (&argc, &argv, NULL);

  g_test_add_func ("/app/training/start-pause-resume-reset", test_start_pause_resume_reset);
  g_test_add_func ("/app/training/close-while-training", test_close_while_training);
  g_test_add_func ("/app/training/switch-task", test_switch_task);
  g_test_add_func ("/app/training/other-view-pauses", test_other_view_pauses);
  g_test_add_func ("/app/training/scrub-timeline", test_scrub_timeline);
  g_test_add_func ("/app/training/presentation-keys", test_presentation_keys);
  return g_test_run ();
}
