/* triad-window.h — the main window: model chooser, input text, views, export. */
#pragma once

#include <gtk/gtk.h>

#include "app/triad-application.h"

G_BEGIN_DECLS

#define TRIAD_TYPE_WINDOW (triad_window_get_type ())

G_DECLARE_FINAL_TYPE (TriadWindow, triad_window, TRIAD, WINDOW, GtkApplicationWindow)

TriadWindow *triad_window_new             (TriadApplication *app);
/* The current view's page widget. */
GtkWidget   *triad_window_get_page        (TriadWindow      *self);
/* Writes the current figure as a PNG at scale × its size on screen; FALSE and an error when it
 * cannot. */
gboolean     triad_window_export_png      (TriadWindow      *self,
                                           const char       *path,
                                           double            scale,
                                           GError          **error);

G_END_DECLS
