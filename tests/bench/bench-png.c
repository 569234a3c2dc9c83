/* bench-png.c — exports an attention heatmap of a matrix read from a file to PNG, through the
 * figure and export code the window and `triad export` use, and prints the median time, so that
 * bench_png.py can time matplotlib on the very same matrix and size.
 * File: int32 n, then (n, n) float32. Prints {"median_ms": …, "bytes": …}. */
#include "config.h"

#include <stdio.h>
#include <stdlib.h>
#include <glib/gstdio.h>

#include "figures/figures.h"

typedef struct {
  TriadHeatmap     map;
  TriadFigureStyle style;
} Figure;

static void
draw (cairo_t  *cr,
      double    width,
      double    height,
      gpointer  data)
{
  Figure *fig = data;

  cairo_set_source_rgb (cr, 1, 1, 1);
  cairo_paint (cr);
  triad_heatmap_draw (cr, &fig->map, &fig->style, width, height);
}

static int
cmp_double (const void *a, const void *b)
{
  double x = *(const double *) a, y = *(const double *) b;
  return x < y ? -1 : x > y;
}

int
main (int argc, char *argv[])
{
  g_autofree char *contents = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree double *times = NULL;
  g_auto(GStrv) labels = NULL;
  Figure fig = { 0 };
  double width, height;
  gsize len;
  GStatBuf st;
  int n, reps;

  if (argc != 6)
    {
      fprintf (stderr, "usage: %s MATRIX OUT.png WIDTH HEIGHT REPS\n", argv[0]);
      return 2;
    }
  if (!g_file_get_contents (argv[1], &contents, &len, &error))
    {
      fprintf (stderr, "%s\n", error->message);
      return 1;
    }
  n = ((const gint32 *) contents)[0];
  width = g_ascii_strtod (argv[3], NULL);
  height = g_ascii_strtod (argv[4], NULL);
  reps = atoi (argv[5]);
  if (n <= 0 || reps <= 0 || len != 4 + (gsize) n * n * 4)
    {
      fprintf (stderr, "bad input\n");
      return 1;
    }
  labels = g_new0 (char *, n + 1);
  for (int i = 0; i < n; i++)
    labels[i] = g_strdup_printf ("t%d", i);
  triad_figure_style_init (&fig.style, FALSE);
  fig.map = (TriadHeatmap) {
    .weights = (const float *) (contents + 4), .n_q = n, .n_k = n,
    .q_labels = (const char * const *) labels, .k_labels = (const char * const *) labels,
    .title = "4096 × 4096", .colorbar_label = "attention weight",
    .cmap = TRIAD_COLORMAP_VIRIDIS, .norm = TRIAD_NORM_GLOBAL,
    .hover_q = -1, .hover_k = -1, .show_colorbar = TRUE,
  };

  /* one warm-up (fonts, the colour map's table), then the timed exports, each whole: the
   * cells mapped and scaled, the labels, the PNG encoded, written, synced and renamed */
  times = g_new (double, reps);
  for (int r = -1; r < reps; r++)
    {
      gint64 t0 = g_get_monotonic_time ();

      if (!triad_figure_export_png (argv[2], width, height, 1.0, draw, &fig, &error))
        {
          fprintf (stderr, "%s\n", error->message);
          return 1;
        }
      if (r >= 0)
        times[r] = (g_get_monotonic_time () - t0) / 1000.0;
    }
  qsort (times, reps, sizeof (double), cmp_double);
  g_stat (argv[2], &st);
  printf ("{\"median_ms\": %.2f, \"bytes\": %lld}\n", times[reps / 2], (long long) st.st_size);
  return 0;
}
