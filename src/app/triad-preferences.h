/* triad-preferences.h — the preferences window. */
#pragma once

#include <gtk/gtk.h>

G_BEGIN_DECLS

#define TRIAD_TYPE_PREFERENCES (triad_preferences_get_type ())

G_DECLARE_FINAL_TYPE (TriadPreferences, triad_preferences, TRIAD, PREFERENCES, GtkWindow)

GtkWidget *triad_preferences_new (GtkWindow *parent,
                                  GSettings *settings);

G_END_DECLS
