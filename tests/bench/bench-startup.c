/* bench-startup.c — from the start of the process to the first frame of the window, and the
 * peak memory (VmHWM) with the three shipped models loaded, under Xvfb.
 *   bench-startup triad   Triad's application, as `triad` starts it: the window its activate
 *                         handler opens on the decoder; after the first frame, the three
 *                         models loaded and the decoder's figure computed
 *   bench-startup plain   a bare GtkWindow with a label: what any GTK 4 program pays, with
 *                         the renderer Triad would choose
 *   bench-startup engine  no window: the three models loaded by the engine alone
 * Prints FIRST_FRAME <CLOCK_MONOTONIC µs>, and VMHWM_KB lines; bench_startup.py spawns it,
 * so the time includes loading the program and its libraries. */
#include "config.h"

#include <locale.h>
#include <stdio.h>
#include <string.h>
#include <gtk/gtk.h>

#include "app/triad-application.h"
#include "app/triad-attention-page.h"
#include "app/triad-window.h"
#include "engine/model.h"

static GApplication *app;
static gboolean painted;

static long
vm_hwm_kb (void)
{
  g_autofree char *status = NULL;
  const char *p;

  if (!g_file_get_contents ("/proc/self/status", &status, NULL, NULL)
      || (p = strstr (status, "VmHWM:")) == NULL)
    return -1;
  return strtol (p + 6, NULL, 10);
}

static gboolean
finish_triad (gpointer data)
{
  GtkWindow *window = data;
  TriadAttentionPage *page = TRIAD_ATTENTION_PAGE (triad_window_get_page (TRIAD_WINDOW (window)));

  /* the first figure computed, then every model loaded */
  if (triad_attention_page_get_busy (page) || triad_attention_page_get_map (page) == NULL)
    return G_SOURCE_CONTINUE;
  for (TriadArch arch = TRIAD_ARCH_ENCODER; arch <= TRIAD_ARCH_ENCDEC; arch++)
    if (triad_application_get_model (TRIAD_APPLICATION (app), arch, NULL) == NULL)
      g_error ("a shipped model does not load");
  printf ("VMHWM_KB_MODELS %ld\n", vm_hwm_kb ());
  fflush (stdout);
  g_application_quit (app);
  return G_SOURCE_REMOVE;
}

static void
after_paint (GdkFrameClock *clock,
             GtkWidget     *window)
{
  if (painted)
    return;
  painted = TRUE;
  printf ("FIRST_FRAME %" G_GINT64_FORMAT "\n", g_get_monotonic_time ());
  printf ("RENDERER %s\n", G_OBJECT_TYPE_NAME (gtk_native_get_renderer (GTK_NATIVE (window))));
  printf ("VMHWM_KB_FIRST_FRAME %ld\n", vm_hwm_kb ());
  fflush (stdout);
  if (app != NULL)
    g_timeout_add (20, finish_triad, window);
  else
    gtk_window_destroy (GTK_WINDOW (window));
}

static void
realized (GtkWidget *window)
{
  g_signal_connect (gtk_widget_get_frame_clock (window), "after-paint",
                    G_CALLBACK (after_paint), window);
}

static void
window_added (GtkApplication *application,
              GtkWindow      *window)
{
  if (gtk_widget_get_realized (GTK_WIDGET (window)))
    realized (GTK_WIDGET (window));
  else
    g_signal_connect (window, "realize", G_CALLBACK (realized), NULL);
}

int
main (int argc, char *argv[])
{
  const char *mode = argc > 1 ? argv[1] : "triad";

  setlocale (LC_ALL, "");
  if (strcmp (mode, "engine") == 0)
    {
      for (TriadArch arch = TRIAD_ARCH_ENCODER; arch <= TRIAD_ARCH_ENCDEC; arch++)
        {
          g_autoptr(GError) error = NULL;
          g_autofree char *dir = triad_model_resolve (triad_arch_to_string (arch), &error);
          TriadModel *m = dir ? triad_model_load (dir, &error) : NULL;

          if (m == NULL)
            g_error ("%s", error->message);
          /* one forward pass each, so that every weight has been read */
          {
            g_autoptr(TriadState) s = triad_state_new (m);
            const int ids[] = { TRIAD_TOKEN_BOS, 10, 11, 12 };
            if (arch == TRIAD_ARCH_DECODER)
              triad_decoder_forward (s, ids, 4, NULL, 0, NULL);
            else
              triad_encoder_forward (s, ids, 4, NULL, 0, NULL);
          }
        }
      printf ("VMHWM_KB_MODELS %ld\n", vm_hwm_kb ());
      return 0;
    }
  if (strcmp (mode, "plain") == 0)
    {
      GtkWidget *window;

      /* the renderer Triad would draw with, so that the two are compared alike */
      triad_application_choose_renderer ();
      gtk_init ();
      window = gtk_window_new ();
      gtk_window_set_default_size (GTK_WINDOW (window), 1200, 800);
      gtk_window_set_child (GTK_WINDOW (window), gtk_label_new ("Triad"));
      g_signal_connect (window, "realize", G_CALLBACK (realized), NULL);
      gtk_window_present (GTK_WINDOW (window));
      while (g_list_model_get_n_items (gtk_window_get_toplevels ()) > 0)
        g_main_context_iteration (NULL, TRUE);
      return 0;
    }

  app = G_APPLICATION (triad_application_new ());
  g_signal_connect (app, "window-added", G_CALLBACK (window_added), NULL);
  return g_application_run (app, 1, argv);
}
