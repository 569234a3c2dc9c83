/* bench-gl.c — the frame time of the GL heatmap for a 4,096 × 4,096 matrix, beside the time
 * the Cairo figure takes to draw the same matrix at the same size, in one run. Needs a display
 * (the benchmark starts Xvfb); on Xvfb, GL is Mesa's software renderer. */
#include "config.h"

#include <stdio.h>
#include <stdlib.h>
#include <gtk/gtk.h>

#include "app/triad-gl-heatmap.h"

#define N 4096
#define FRAMES 40
#define WIDTH 1200
#define HEIGHT 900

static GArray *times;
static GMainLoop *loop;
static int ticks;

static int
cmp_i64 (const void *a, const void *b)
{
  gint64 x = *(const gint64 *) a, y = *(const gint64 *) b;
  return x < y ? -1 : x > y;
}

static double
median_ms (GArray *a)
{
  g_array_sort (a, cmp_i64);
  return a->len > 0 ? g_array_index (a, gint64, a->len / 2) / 1000.0 : 0;
}

static gboolean
tick (GtkWidget     *widget,
      GdkFrameClock *clock,
      gpointer       data)
{
  TriadGlHeatmap *hm = TRIAD_GL_HEATMAP (widget);

  /* a new view each frame: zooming in and out, as a user would */
  triad_gl_heatmap_set_view (hm, 1.0 + (ticks % 20) * 0.5, 0.3 + (ticks % 7) * 0.05, 0.5);
  if (++ticks > FRAMES + 5 || times->len >= FRAMES)
    {
      g_main_loop_quit (loop);
      return G_SOURCE_REMOVE;
    }
  return G_SOURCE_CONTINUE;
}

int
main (int argc, char *argv[])
{
  g_autofree float *w = g_new (float, (size_t) N * N);
  char **labels = g_new0 (char *, N + 1);
  GRand *rng = g_rand_new_with_seed (1);
  GtkWidget *window, *hm;
  GArray *cairo_times = g_array_new (FALSE, FALSE, sizeof (gint64));
  TriadFigureStyle style;
  double gl_ms, cairo_ms;

  gtk_init ();
  for (int i = 0; i < N; i++)
    {
      double sum = 0;
      for (int j = 0; j < N; j++)
        sum += w[(size_t) i * N + j] = (float) g_rand_double (rng);
      for (int j = 0; j < N; j++)
        w[(size_t) i * N + j] /= sum;
      labels[i] = g_strdup_printf ("t%d", i);
    }

  times = g_array_new (FALSE, FALSE, sizeof (gint64));
  loop = g_main_loop_new (NULL, FALSE);
  window = gtk_window_new ();
  gtk_window_set_default_size (GTK_WINDOW (window), WIDTH, HEIGHT);
  hm = triad_gl_heatmap_new ();
  gtk_window_set_child (GTK_WINDOW (window), hm);
  triad_gl_heatmap_set_matrix (TRIAD_GL_HEATMAP (hm), w, N, N, (const char * const *) labels,
                               (const char * const *) labels, TRIAD_COLORMAP_VIRIDIS, TRIAD_NORM_ROW);
  triad_gl_heatmap_set_timing (TRIAD_GL_HEATMAP (hm), times);
  gtk_widget_add_tick_callback (hm, tick, NULL, NULL);
  gtk_window_present (GTK_WINDOW (window));
  g_main_loop_run (loop);

  if (!triad_gl_heatmap_is_usable (TRIAD_GL_HEATMAP (hm)) || times->len < 2)
    {
      printf ("GL is not available here: no frame was drawn\n");
      return 77;
    }
  /* the first frame uploads the 64 MB texture: report it apart */
  printf ("first frame (texture upload) %.1f ms\n", g_array_index (times, gint64, 0) / 1000.0);
  g_array_remove_index (times, 0);
  gl_ms = median_ms (times);

  /* the Cairo figure, drawing the same matrix at the same size */
  triad_figure_style_init (&style, FALSE);
  for (int r = 0; r < 7; r++)
    {
      cairo_surface_t *surface = cairo_image_surface_create (CAIRO_FORMAT_ARGB32, WIDTH, HEIGHT);
      cairo_t *cr = cairo_create (surface);
      TriadHeatmap map = {
        .weights = w, .n_q = N, .n_k = N, .q_labels = (const char * const *) labels,
        .k_labels = (const char * const *) labels, .title = "4096 × 4096",
        .cmap = TRIAD_COLORMAP_VIRIDIS, .norm = TRIAD_NORM_ROW, .hover_q = -1, .hover_k = -1,
        .show_colorbar = TRUE,
      };
      gint64 t0 = g_get_monotonic_time (), dt;

      triad_heatmap_draw (cr, &map, &style, WIDTH, HEIGHT);
      cairo_surface_flush (surface);
      dt = g_get_monotonic_time () - t0;
      g_array_append_val (cairo_times, dt);
      cairo_destroy (cr);
      cairo_surface_destroy (surface);
    }
  cairo_ms = median_ms (cairo_times);
  printf ("renderer: %s\n", (const char *) g_getenv ("GSK_RENDERER") ?: "default");
  printf ("RESULT name=gl-frame-4096 triad=%.2f ref=%.2f ratio=%.3f unit=ms\n",
          gl_ms, cairo_ms, gl_ms / cairo_ms);
  gtk_window_destroy (GTK_WINDOW (window));
  return 0;
}
