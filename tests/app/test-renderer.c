/* test-renderer.c — how Triad draws where GL would be rasterised in software: the renderer it
 * chooses from the environment, and, with GL off as it then is, a matrix too large for the
 * figure's usual path drawn by the Cairo figure instead of the GL canvas. */
#include "config.h"

#include "app-test.h"

#include <gtk/gtk.h>

#include "app/triad-application.h"
#include "app/triad-attention-page.h"
#include "app/triad-scene-view.h"
#include "app/triad-window.h"

/* Runs the choice in a clean child with the variables given (NULL: unset), then checks what it
 * leaves. */
static void
check_choice (const char *gsk,
              const char *software,
              const char *debug,
              const char *want_gsk,
              const char *want_debug)
{
  const char *names[] = { "GSK_RENDERER", "LIBGL_ALWAYS_SOFTWARE", "GDK_DEBUG" };
  const char *values[] = { gsk, software, debug };

  for (int i = 0; i < 3; i++)
    if (values[i] != NULL)
      g_setenv (names[i], values[i], TRUE);
    else
      g_unsetenv (names[i]);
  triad_application_choose_renderer ();
  g_assert_cmpstr (g_getenv ("GSK_RENDERER"), ==, want_gsk);
  g_assert_cmpstr (g_getenv ("GDK_DEBUG"), ==, want_debug);
}

static void
test_choice (void)
{
  if (g_test_subprocess ())
    {
      /* the user's renderer wins, even in software */
      check_choice ("gl", "1", NULL, "gl", NULL);
      check_choice ("ngl", NULL, "portals", "ngl", "portals");
      /* software GL asked for: Cairo, GL off, the user's other GDK_DEBUG flags kept */
      check_choice (NULL, "1", NULL, "cairo", "gl-disable");
      check_choice (NULL, "true", "portals", "cairo", "portals,gl-disable");
      check_choice (NULL, "1", "gl-disable", "cairo", "gl-disable");
      return;
    }
  g_test_trap_subprocess (NULL, 0, G_TEST_SUBPROCESS_DEFAULT);
  g_test_trap_assert_passed ();
}

/* With GL off, 300 tokens' attention (90 000 cells, past the GL canvas's threshold) is drawn
 * by the Cairo figure, in full. */
static void
test_large_matrix_without_gl (void)
{
  TriadApplication *app = triad_application_new ();
  TriadWindow *window;
  TriadAttentionPage *page;
  TriadSceneView *figure;
  g_autoptr(GString) text = g_string_new (NULL);

  window = app_test_open_window (app, 1200, 800);
  app_test_activate (GTK_WIDGET (window), "win.view", g_variant_new_string ("attention"));
  page = TRIAD_ATTENTION_PAGE (triad_window_get_page (window));
  for (int i = 0; i < 50; i++)
    g_string_append (text, "the big cat saw a dog ");
  app_test_activate (GTK_WIDGET (window), "win.example", g_variant_new_string (text->str));
  app_test_wait_attention (page);
  g_assert_cmpint (triad_attention_page_get_map (page)->cap.n_q, >=, 300);
  figure = triad_attention_page_get_figure (page);
  g_assert_cmpint (triad_attention_scene_get_figure (triad_attention_page_get_scene (page)), ==,
                   TRIAD_ATTENTION_FIGURE_HEATMAP);
  g_assert_true (gtk_widget_get_mapped (GTK_WIDGET (figure)));
  g_assert_cmpint (gtk_widget_get_width (GTK_WIDGET (figure)), >, 300);
  gtk_window_destroy (GTK_WINDOW (window));
  app_test_iterate (100);
  g_object_unref (app);
}

int
main (int argc, char *argv[])
{
  /* GL off before the display opens, as Triad leaves it where GL is software */
  g_setenv ("GDK_DEBUG", "gl-disable", TRUE);
  gtk_test_init (&argc, &argv, NULL);
  g_test_add_func ("/app/renderer/choice", test_choice);
  g_test_add_func ("/app/renderer/large-matrix-without-gl", test_large_matrix_without_gl);
  return g_test_run ();
}
