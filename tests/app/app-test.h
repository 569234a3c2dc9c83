/* app-test.h — what the window's tests share: running the main loop for a while, and
 * activating the window's actions as its menus and keys do. */
#pragma once

#include <gtk/gtk.h>

/* Runs the main loop for ms milliseconds. */
static inline void
app_test_iterate (int ms)
{
  gint64 until = g_get_monotonic_time () + (gint64) ms * 1000;

  while (g_get_monotonic_time () < until)
    g_main_context_iteration (NULL, FALSE);
}

/* Activates a window action ("win.model", …) on widget, which must find it. */
static inline void
app_test_activate (GtkWidget  *widget,
                   const char *action,
                   GVariant   *param)
{
  g_assert_true (gtk_widget_activate_action_variant (widget, action, param));
}
