/* triad-application.h — the GtkApplication: models, actions, accelerators. */
#pragma once

#include <gtk/gtk.h>

#include "engine/model.h"

G_BEGIN_DECLS

#define TRIAD_TYPE_APPLICATION (triad_application_get_type ())

G_DECLARE_FINAL_TYPE (TriadApplication, triad_application, TRIAD, APPLICATION, GtkApplication)

TriadApplication *triad_application_new       (void);
/* A model id is what the window's model setting holds: a shipped model's name ("encoder",
 * "decoder", "encdec") or a model folder's absolute path (Triad's own or a Hugging Face one). */
gboolean          triad_model_id_is_shipped   (const char *id);

/* The model of an id, loaded on first use; NULL and the engine's error when it cannot be
 * loaded (a failed load is tried again next time). The application keeps every model it
 * loaded until it quits, so a page may hold one as long as it likes. Safe from any thread:
 * the pages call it in their computations' worker threads, and it may take a while. */
TriadModel       *triad_application_get_model_by_id  (TriadApplication *self,
                                                      const char       *id,
                                                      GError          **error);
/* The model of id if it has been loaded, or NULL (a load under way included): it never
 * loads one and never waits, so the main thread may ask. */
TriadModel       *triad_application_peek_model_by_id (TriadApplication *self,
                                                      const char       *id);
/* Whether the last load of id failed (and none has succeeded since). */
gboolean          triad_application_model_failed     (TriadApplication *self,
                                                      const char       *id);
/* The architecture of id without its weights: a folder's config.json is read once (the
 * answer kept). FALSE and the engine's sentence for a folder Triad cannot open. */
gboolean          triad_application_model_arch       (TriadApplication *self,
                                                      const char       *id,
                                                      TriadArch        *arch,
                                                      GError          **error);
/* The shipped model of an architecture: triad_application_get_model_by_id with its name. */
TriadModel       *triad_application_get_model (TriadApplication *self,
                                               TriadArch         arch,
                                               GError          **error);
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
