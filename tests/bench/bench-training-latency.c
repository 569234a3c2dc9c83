/* bench-training-latency.c — the main loop's latency while the Training view trains, under
 * Xvfb: the window on the Training view at 1400 × 900, its default run started at full speed,
 * and a 1 ms timeout recording how late each of its dispatches comes (the time since the one
 * before, less the 1 ms asked for) for DURATION_S seconds of training, while the page polls
 * the run and redraws the figure as snapshots come. Prints the median, the 95th percentile and
 * the worst lateness, and the steps trained. A printed figure, never a timed test; the target
 * is a 95th percentile under 16 ms, a frame at 60 Hz. Last line:
 * RESULT name=training-latency median=<ms> p95=<ms> max=<ms> steps=<n> unit=ms */
#include "config.h"

#include <stdio.h>
#include <stdlib.h>
#include <gtk/gtk.h>

#include "app/triad-application.h"
#include "app/triad-scene-view.h"
#include "app/triad-training-page.h"
#include "app/triad-window.h"

#define DURATION_S 10
#define DRAWS      20

static GArray *lateness;   /* (double) ms */
static gint64 last;

static int
cmp_double (const void *a, const void *b)
{
  double x = *(const double *) a, y = *(const double *) b;
  return x < y ? -1 : x > y;
}

static gboolean
tick (gpointer data)
{
  gint64 now = g_get_monotonic_time ();

  if (last != 0)
    {
      double late = MAX ((now - last) / 1000.0 - 1.0, 0.0);

      g_array_append_val (lateness, late);
    }
  last = now;
  return G_SOURCE_CONTINUE;
}

/* Runs the main loop until then; a timeout wakes it there, whatever else is pending. */
static gboolean
wake (gpointer data)
{
  *(guint *) data = 0;
  return G_SOURCE_REMOVE;
}

static void
iterate_until (gint64 until)
{
  guint id = 0;

  id = g_timeout_add (MAX ((until - g_get_monotonic_time ()) / 1000, 0) + 1, wake, &id);

  while (g_get_monotonic_time () < until)
    g_main_context_iteration (NULL, TRUE);
  g_clear_handle_id (&id, g_source_remove);
}

int
main (int argc, char *argv[])
{
  g_autoptr(TriadApplication) app = NULL;
  TriadWindow *window;
  TriadTrainingPage *page;
  double *v;
  guint n, timeout;
  int steps;

  g_setenv ("LANGUAGE", "en", TRUE);
  gtk_init ();
  app = triad_application_new ();
  if (!g_application_register (G_APPLICATION (app), NULL, NULL))
    g_error ("the application does not register");
  window = triad_window_new (app);
  gtk_window_set_default_size (GTK_WINDOW (window), 1400, 900);
  gtk_window_present (GTK_WINDOW (window));
  gtk_widget_activate_action (GTK_WIDGET (window), "win.view", "s", "training");
  page = TRIAD_TRAINING_PAGE (triad_window_get_view (window, "training"));
  iterate_until (g_get_monotonic_time () + G_USEC_PER_SEC);

  g_object_set (page, "speed", 0, NULL);
  triad_training_page_start (page);
  /* the model made and the first steps taken, then the measure */
  while (triad_training_page_get_step (page) == 0)
    iterate_until (g_get_monotonic_time () + 50000);
  lateness = g_array_new (FALSE, FALSE, sizeof (double));
  timeout = g_timeout_add (1, tick, NULL);
  iterate_until (g_get_monotonic_time () + DURATION_S * G_USEC_PER_SEC);
  g_source_remove (timeout);
  steps = triad_training_page_get_step (page);
  triad_training_page_pause (page);

  /* what one frame of the figure costs to draw, at the canvas' size, with the run as it is */
  {
    GtkWidget *canvas = triad_training_page_get_canvas (page);
    TriadScene *scene = triad_scene_view_get_scene (TRIAD_SCENE_VIEW (canvas));
    int w = gtk_widget_get_width (canvas), h = gtk_widget_get_height (canvas);
    cairo_surface_t *surface = cairo_image_surface_create (CAIRO_FORMAT_ARGB32, w, h);
    TriadFigureStyle style;
    gint64 t0;

    triad_training_page_poll (page);
    triad_scene_view_get_style (TRIAD_SCENE_VIEW (canvas), &style);
    t0 = g_get_monotonic_time ();
    for (int i = 0; i < DRAWS; i++)
      {
        cairo_t *cr = cairo_create (surface);

        triad_scene_draw (scene, cr, &style, w, h);
        cairo_destroy (cr);
      }
    printf ("one frame of the figure, %d × %d: %.2f ms drawn\n", w, h,
            (g_get_monotonic_time () - t0) / 1000.0 / DRAWS);
    t0 = g_get_monotonic_time ();
    for (int i = 0; i < DRAWS; i++)
      {
        TriadTrainingLiveOptions opt = *(const TriadTrainingLiveOptions *) triad_scene_get_options (scene);

        triad_scene_set_options (scene, &opt);
      }
    printf ("one update of the scene: %.2f ms\n", (g_get_monotonic_time () - t0) / 1000.0 / DRAWS);
    cairo_surface_destroy (surface);
  }
  triad_training_page_reset (page);

  n = lateness->len;
  v = (double *) lateness->data;
  qsort (v, n, sizeof (double), cmp_double);
  printf ("dispatches %u in %d s, %d steps trained\n", n, DURATION_S, steps);
  printf ("RESULT name=training-latency median=%.2f p95=%.2f max=%.2f steps=%d unit=ms\n",
          v[n / 2], v[(guint) (0.95 * (n - 1))], v[n - 1], steps);
  g_array_unref (lateness);
  gtk_window_destroy (GTK_WINDOW (window));
  return 0;
}
