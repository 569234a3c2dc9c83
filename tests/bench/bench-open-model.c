/* bench-open-model.c — in the window under Xvfb: the time from choosing a model folder (the
 * win.model action the chooser activates) to the Attention view's heatmap of that model drawn,
 * on the default text. Prints OPEN_MS <milliseconds> for each of REPS choices, the shipped
 * decoder chosen in between (a model once loaded is kept: only the first choice reads the
 * folder; the others show what a view switch back to it costs).
 *
 * Usage: bench-open-model MODEL_DIR REPS */
#include "config.h"

#include <stdio.h>
#include <stdlib.h>
#include <gtk/gtk.h>

#include "app/triad-application.h"
#include "app/triad-attention-page.h"
#include "app/triad-window.h"
#include "../app/app-test.h"

/* Until the page holds a new figure, computed, and a frame has been drawn with it. */
static gboolean
wait_new_figure (TriadAttentionPage *page,
                 gconstpointer       old)
{
  gint64 deadline = g_get_monotonic_time () + 600 * G_USEC_PER_SEC;

  while (g_get_monotonic_time () < deadline)
    {
      g_main_context_iteration (NULL, TRUE);
      if (!triad_attention_page_get_busy (page) && triad_attention_page_get_map (page) != NULL
          && (gconstpointer) triad_attention_page_get_map (page) != old)
        {
          GdkFrameClock *clock = gtk_widget_get_frame_clock (GTK_WIDGET (page));
          gint64 frame = gdk_frame_clock_get_frame_counter (clock);

          while (gdk_frame_clock_get_frame_counter (clock) <= frame + 1
                 && g_get_monotonic_time () < deadline)
            g_main_context_iteration (NULL, TRUE);
          return TRUE;
        }
    }
  return FALSE;
}

int
main (int    argc,
      char **argv)
{
  g_autoptr(TriadApplication) app = NULL;
  TriadWindow *window;
  TriadAttentionPage *page;
  int reps;

  if (argc != 3)
    {
      fprintf (stderr, "usage: bench-open-model MODEL_DIR REPS\n");
      return 2;
    }
  reps = MAX (atoi (argv[2]), 1);
  gtk_init ();
  app = triad_application_new ();
  window = app_test_open_window (app, 1400, 900);
  app_test_activate (GTK_WIDGET (window), "win.view", g_variant_new_string ("attention"));
  page = TRIAD_ATTENTION_PAGE (triad_window_get_page (window));
  if (!wait_new_figure (page, NULL))
    return 1;
  for (int r = 0; r < reps; r++)
    {
      gconstpointer old = triad_attention_page_get_map (page);
      gint64 t0 = g_get_monotonic_time ();

      app_test_activate (GTK_WIDGET (window), "win.model", g_variant_new_string (argv[1]));
      if (!wait_new_figure (page, old))
        {
          fprintf (stderr, "the model's heatmap did not come\n");
          return 1;
        }
      printf ("OPEN_MS %.1f\n", (g_get_monotonic_time () - t0) / 1000.0);
      fflush (stdout);
      old = triad_attention_page_get_map (page);
      app_test_activate (GTK_WIDGET (window), "win.model", g_variant_new_string ("decoder"));
      if (!wait_new_figure (page, old))
        return 1;
    }
  gtk_window_destroy (GTK_WINDOW (window));
  return 0;
}
