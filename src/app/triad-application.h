/* triad-application.h — the GtkApplication: models, actions, accelerators. */
#pragma once

#include <gtk/gtk.h>

#include "engine/model.h"

G_BEGIN_DECLS

#define TRIAD_TYPE_APPLICATION (triad_application_get_type ())

G_DECLARE_FINAL_TYPE (TriadApplication, triad_application, TRIAD, APPLICATION, GtkApplication)

TriadApplication *triad_application_new       (void);
/* The shipped model of an architecture, loaded on first use; NULL and an error when it
 * cannot be loaded. The application keeps it. Safe from any thread: the pages call it in
 * their computations' worker threads, and it may take a while the first time. */
TriadModel       *triad_application_get_model (TriadApplication *self,
                                               TriadArch         arch,
                                               GError          **error);
/* The model of arch if it has been loaded, or NULL (a load under way included): it never
 * loads one and never waits, so the main thread may ask. */
TriadModel       *triad_application_peek_model (TriadApplication *self,
                                                TriadArch         arch);
/* Holds the model cache (TRUE) as a slow disk would, until released (FALSE): a load waits
 * meanwhile. For tests that a page loads its model in the worker, never on the main thread. */
void              triad_application_hold_models (TriadApplication *self,
                                                 gboolean          hold);
GSettings        *triad_application_get_settings (TriadApplication *self);
/* gettext's language for Triad's words from now on: "en", "ru", or NULL for the
 * environment's. */
void              triad_application_set_messages_language (const char *language);
/* Chooses how GTK draws, before the display is opened: with Cairo and GL off where GL would
 * be rasterised in software, unless GSK_RENDERER is set. triad_application_new calls it. */
void              triad_application_choose_renderer (void);

G_END_DECLS
