/* triad-application.c — the application: the shipped models, the about dialog, the
 * accelerators of every action, the style sheet. */
#include "config.h"

#include <locale.h>
#include <string.h>
#include <glib/gi18n.h>

#include "app/triad-application.h"
#define TRIAD_I18N_NO_MACROS
#include "engine/i18n.h"
#include "app/triad-computation.h"
#include "app/triad-preferences.h"
#include "app/triad-window.h"
#include "engine/model-catalog.h"

struct _TriadApplication
{
  GtkApplication  parent_instance;
  GSettings      *settings;
  GHashTable     *models;         /* id → TriadModel, kept until quit: pages hold them */
  GHashTable     *archs;          /* id → TriadArch + 1, from config.json */
  GHashTable     *failed;         /* ids whose last load failed */
  GMutex          lock;           /* held while a model loads, in the pages' worker threads */
  GMutex          table_lock;     /* held for a look-up only, never across a load */
  char           *system_language;  /* LANGUAGE as Triad started, for "System" */
  gboolean        have_system_language;
  gboolean        style_set;      /* the dark-theme preference is Triad's, not the system's */
};

G_DEFINE_FINAL_TYPE (TriadApplication, triad_application, GTK_TYPE_APPLICATION)

/* TRUE when the machine has a GPU that Mesa or a vendor driver can render with: a DRM render
 * node. Without one, GL is rasterised in software. */
static gboolean
have_render_node (void)
{
  g_autoptr(GDir) dir = g_dir_open ("/dev/dri", 0, NULL);
  const char *name;

  while (dir != NULL && (name = g_dir_read_name (dir)) != NULL)
    if (g_str_has_prefix (name, "renderD"))
      return TRUE;
  return FALSE;
}

/* With GL rasterised in software (a virtual machine, a remote or virtual X server), GTK's GL
 * renderer and the GL context GDK prepares as it opens the display cost a tenth of a second
 * and 60 MB before the first frame, for figures that are flat anyway. There Triad draws with
 * Cairo and leaves GL off (the large-heatmap canvas falls back to the Cairo figure), unless
 * GSK_RENDERER says otherwise. */
void
triad_application_choose_renderer (void)
{
  const char *software = g_getenv ("LIBGL_ALWAYS_SOFTWARE");
  const char *debug = g_getenv ("GDK_DEBUG");

  if (g_getenv ("GSK_RENDERER") != NULL)
    return;
  if (have_render_node () && (software == NULL || g_strcmp0 (software, "0") == 0
                              || g_ascii_strcasecmp (software, "false") == 0))
    return;
  g_setenv ("GSK_RENDERER", "cairo", TRUE);
  if (debug == NULL || *debug == '\0')
    g_setenv ("GDK_DEBUG", "gl-disable", TRUE);
  else if (strstr (debug, "gl-disable") == NULL)
    {
      g_autofree char *more = g_strconcat (debug, ",gl-disable", NULL);
      g_setenv ("GDK_DEBUG", more, TRUE);
    }
}

TriadApplication *
triad_application_new (void)
{
  triad_application_choose_renderer ();
  return g_object_new (TRIAD_TYPE_APPLICATION,
                       "application-id", APP_ID,
                       "flags", G_APPLICATION_NON_UNIQUE,
                       NULL);
}

gboolean
triad_model_id_is_shipped (const char *id)
{
  return g_strcmp0 (id, "encoder") == 0 || g_strcmp0 (id, "decoder") == 0
         || g_strcmp0 (id, "encdec") == 0;
}

static TriadModel *
lookup (TriadApplication *self,
        const char       *id)
{
  g_autoptr(GMutexLocker) locker = g_mutex_locker_new (&self->table_lock);

  return g_hash_table_lookup (self->models, id);
}

/* Called from worker threads: the lock is held while a model loads, so that two pages asking
 * for the same one at once load it once, and the second gets the first's. The table has its
 * own lock, so that peek never waits on a load. */
TriadModel *
triad_application_get_model_by_id (TriadApplication *self,
                                   const char       *id,
                                   GError          **error)
{
  g_autoptr(GMutexLocker) locker = NULL;
  g_autofree char *dir = NULL;
  TriadModel *model;

  g_return_val_if_fail (TRIAD_IS_APPLICATION (self), NULL);
  g_return_val_if_fail (id != NULL, NULL);
  locker = g_mutex_locker_new (&self->lock);
  model = lookup (self, id);
  if (model != NULL)
    return model;
  dir = triad_model_resolve (id, error);
  model = dir != NULL ? triad_model_load (dir, error) : NULL;
  g_mutex_lock (&self->table_lock);
  if (model == NULL)
    {
      g_hash_table_add (self->failed, g_strdup (id));
      g_mutex_unlock (&self->table_lock);
      return NULL;
    }
  g_hash_table_remove (self->failed, id);
  g_hash_table_insert (self->models, g_strdup (id), model);
  g_hash_table_insert (self->archs, g_strdup (id), GINT_TO_POINTER (model->config.arch + 1));
  g_mutex_unlock (&self->table_lock);
  return model;
}

TriadModel *
triad_application_peek_model_by_id (TriadApplication *self,
                                    const char       *id)
{
  g_return_val_if_fail (TRIAD_IS_APPLICATION (self), NULL);

  return id != NULL ? lookup (self, id) : NULL;
}

gboolean
triad_application_model_failed (TriadApplication *self,
                                const char       *id)
{
  g_autoptr(GMutexLocker) locker = NULL;

  g_return_val_if_fail (TRIAD_IS_APPLICATION (self), FALSE);

  locker = g_mutex_locker_new (&self->table_lock);
  return id != NULL && g_hash_table_contains (self->failed, id);
}

gboolean
triad_application_model_arch (TriadApplication *self,
                              const char       *id,
                              TriadArch        *arch,
                              GError          **error)
{
  gpointer known;

  g_return_val_if_fail (TRIAD_IS_APPLICATION (self), FALSE);

  if (triad_model_id_is_shipped (id))
    return triad_arch_from_string (id, arch);
  g_mutex_lock (&self->table_lock);
  known = g_hash_table_lookup (self->archs, id);
  g_mutex_unlock (&self->table_lock);
  if (known == NULL)
    {
      if (!triad_model_peek (id, arch, NULL, error))
        return FALSE;
      g_mutex_lock (&self->table_lock);
      g_hash_table_insert (self->archs, g_strdup (id), GINT_TO_POINTER (*arch + 1));
      g_mutex_unlock (&self->table_lock);
      return TRUE;
    }
  *arch = GPOINTER_TO_INT (known) - 1;
  return TRUE;
}

TriadModel *
triad_application_get_model (TriadApplication *self,
                             TriadArch         arch,
                             GError          **error)
{
  return triad_application_get_model_by_id (self, triad_arch_to_string (arch), error);
}

TriadModel *
triad_application_peek_model (TriadApplication *self,
                              TriadArch         arch)
{
  return triad_application_peek_model_by_id (self, triad_arch_to_string (arch));
}

void
triad_application_hold_models (TriadApplication *self,
                               gboolean          hold)
{
  g_return_if_fail (TRIAD_IS_APPLICATION (self));

  if (hold)
    g_mutex_lock (&self->lock);
  else
    g_mutex_unlock (&self->lock);
}

GSettings *
triad_application_get_settings (TriadApplication *self)
{
  return self->settings;
}

static void
quit_activated (GSimpleAction *action,
                GVariant      *param,
                gpointer       user_data)
{
  g_application_quit (G_APPLICATION (user_data));
}

static void
about_activated (GSimpleAction *action,
                 GVariant      *param,
                 gpointer       user_data)
{
  GtkApplication *app = GTK_APPLICATION (user_data);
  const char *authors[] = { _("The Triad developers"), NULL };

  gtk_show_about_dialog (gtk_application_get_active_window (app),
                         "program-name", _("Triad"),
                         "logo-icon-name", APP_ID,
                         "version", PACKAGE_VERSION,
                         "comments", _("The three transformer architectures, made visible: "
                                       "attention, masks, cross-attention and the KV cache"),
                         "license-type", GTK_LICENSE_GPL_3_0,
                         "authors", authors,
                         "translator-credits", _("translator-credits"),
                         NULL);
}

static void
preferences_activated (GSimpleAction *action,
                       GVariant      *param,
                       gpointer       user_data)
{
  TriadApplication *self = user_data;
  GtkWindow *parent = gtk_application_get_active_window (GTK_APPLICATION (self));

  gtk_window_present (GTK_WINDOW (triad_preferences_new (parent, self->settings)));
}

void
triad_application_set_messages_language (const char *language)
{
  const char *set;

  /* the scenes' and figures' words (which worker threads may build) by name; GTK's own and
   * the widgets' through the environment, on this thread, while no worker runs: setenv and
   * setlocale under another thread's getenv or gettext are undefined behaviour. The workers
   * cancelled here belong to pages about to be built again in the new language. */
  triad_computation_hold_workers ();
  triad_i18n_set_default_language (language);
  if (language != NULL && *language != '\0')
    g_setenv ("LANGUAGE", language, TRUE);
  else
    g_unsetenv ("LANGUAGE");
  /* setlocale tells gettext that its cached lookups are stale; gettext ignores LANGUAGE
   * under the C locale, so a bare environment gets C.UTF-8 */
  /* through "C" and back: gettext drops its cached lookups only when the locale changes */
  setlocale (LC_MESSAGES, "C");
  set = setlocale (LC_MESSAGES, "");
  if (set == NULL || g_str_equal (set, "C") || g_str_equal (set, "POSIX")
      || g_str_has_prefix (set, "C."))
    setlocale (LC_MESSAGES, "C.UTF-8");
  triad_computation_release_workers ();
}

/* The language key: every window is built again in the new language, showing what it
 * showed (the text, model and view live in the settings). */
static void
language_changed (GSettings        *settings,
                  const char       *key,
                  TriadApplication *self)
{
  g_autofree char *lang = g_settings_get_string (settings, "language");
  GList *windows = g_list_copy (gtk_application_get_windows (GTK_APPLICATION (self)));
  GAction *action = g_action_map_lookup_action (G_ACTION_MAP (self), "language");

  if (!self->have_system_language)
    {
  self->system_language = g_strdup (g_getenv ("LANGUAGE"));
      self->have_system_language = TRUE;
    }
  triad_application_set_messages_language (*lang != '\0' ? lang : self->system_language);
  if (action != NULL)
    g_simple_action_set_state (G_SIMPLE_ACTION (action),
                               g_variant_new_string (*lang != '\0' ? lang : "system"));
  for (GList *l = windows; l != NULL; l = l->next)
    if (TRIAD_IS_WINDOW (l->data))
      {
        GtkWindow *old = l->data;
        TriadWindow *fresh = triad_window_new (self);

        if (gtk_window_is_fullscreen (old))
          gtk_window_fullscreen (GTK_WINDOW (fresh));
        gtk_window_present (GTK_WINDOW (fresh));
        gtk_window_destroy (old);
      }
  g_list_free (windows);
}

static void
language_activated (GSimpleAction *action,
                    GVariant      *state,
                    gpointer       user_data)
{
  TriadApplication *self = user_data;
  const char *lang = g_variant_get_string (state, NULL);

  if (!g_str_equal (lang, "system") && !g_str_equal (lang, "en") && !g_str_equal (lang, "ru"))
    return;
  g_settings_set_string (self->settings, "language", g_str_equal (lang, "system") ? "" : lang);
}

/* The style key: follow the system, or force light or dark. */
static void
style_changed (GSettings        *settings,
               const char       *key,
               TriadApplication *self)
{
  g_autofree char *style = g_settings_get_string (settings, "style");
  GtkSettings *gtk = gtk_settings_get_default ();

  /* resetting reloads the theme: only undo what Triad set */
  if (g_str_equal (style, "system"))
    {
      if (self->style_set)
        gtk_settings_reset_property (gtk, "gtk-application-prefer-dark-theme");
      self->style_set = FALSE;
    }
  else
    {
      g_object_set (gtk, "gtk-application-prefer-dark-theme", g_str_equal (style, "dark"), NULL);
      self->style_set = TRUE;
    }
}

static const GActionEntry app_actions[] = {
  { "quit", quit_activated },
  { "preferences", preferences_activated },
  { "about", about_activated },
  { "language", NULL, "s", "'system'", language_activated },
};

/* Every accelerator in one place; the shortcuts window lists the same. */
static const struct {
  const char *action;
  const char *accels[3];
} accels[] = {
  { "app.quit", { "<Control>q", NULL } },
  { "app.preferences", { "<Control>comma", NULL } },
  { "win.close", { "<Control>w", NULL } },
  { "win.export", { "<Control>e", NULL } },
  { "win.copy-figure", { "<Control>c", NULL } },
  { "win.show-help-overlay", { "<Control>question", NULL } },
  { "win.focus-text", { "<Control>l", NULL } },
  { "win.vocabulary", { "F7", NULL } },
  { "win.model::encoder", { "<Alt>1", NULL } },
  { "win.model::decoder", { "<Alt>2", NULL } },
  { "win.model::encdec", { "<Alt>3", NULL } },
  { "win.open-model", { "<Control>o", NULL } },
  { "win.mode::single", { "<Control>1", NULL } },
  { "win.mode::average", { "<Control>2", NULL } },
  { "win.mode::grid", { "<Control>3", NULL } },
  { "win.show-lines", { "<Control>t", NULL } },
};

static void
triad_application_startup (GApplication *app)
{
  TriadApplication *self = TRIAD_APPLICATION (app);
  g_autoptr(GtkCssProvider) css = gtk_css_provider_new ();

  G_APPLICATION_CLASS (triad_application_parent_class)->startup (app);

  g_action_map_add_action_entries (G_ACTION_MAP (app), app_actions, G_N_ELEMENTS (app_actions), app);
  for (guint i = 0; i < G_N_ELEMENTS (accels); i++)
    gtk_application_set_accels_for_action (GTK_APPLICATION (app), accels[i].action, accels[i].accels);

  gtk_css_provider_load_from_resource (css, "/org/triad/Triad/style.css");
  gtk_style_context_add_provider_for_display (gdk_display_get_default (), GTK_STYLE_PROVIDER (css),
                                              GTK_STYLE_PROVIDER_PRIORITY_APPLICATION);
  gtk_window_set_default_icon_name (APP_ID);
  self->settings = g_settings_new (APP_ID);
  g_signal_connect (self->settings, "changed::style", G_CALLBACK (style_changed), self);
  style_changed (self->settings, "style", self);
  self->system_language = g_strdup (g_getenv ("LANGUAGE"));
  self->have_system_language = TRUE;
  {
    g_autofree char *lang = g_settings_get_string (self->settings, "language");

    /* the language chosen in Triad wins over the environment's */
    if (*lang != '\0')
      triad_application_set_messages_language (lang);
    g_simple_action_set_state (G_SIMPLE_ACTION (g_action_map_lookup_action (G_ACTION_MAP (app), "language")),
                               g_variant_new_string (*lang != '\0' ? lang : "system"));
  }
  g_signal_connect (self->settings, "changed::language", G_CALLBACK (language_changed), self);
}

static void
triad_application_activate (GApplication *app)
{
  GtkWindow *window = gtk_application_get_active_window (GTK_APPLICATION (app));

  if (window == NULL)
    window = GTK_WINDOW (triad_window_new (TRIAD_APPLICATION (app)));
  gtk_window_present (window);
}

static void
triad_application_finalize (GObject *object)
{
  TriadApplication *self = TRIAD_APPLICATION (object);

  g_clear_pointer (&self->models, g_hash_table_unref);
  g_clear_pointer (&self->archs, g_hash_table_unref);
  g_clear_pointer (&self->failed, g_hash_table_unref);
  g_clear_object (&self->settings);
  g_free (self->system_language);
  g_mutex_clear (&self->lock);
  g_mutex_clear (&self->table_lock);
  G_OBJECT_CLASS (triad_application_parent_class)->finalize (object);
}

static void
triad_application_class_init (TriadApplicationClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GApplicationClass *app_class = G_APPLICATION_CLASS (klass);

  object_class->finalize = triad_application_finalize;
  app_class->startup = triad_application_startup;
  app_class->activate = triad_application_activate;
}

static void
triad_application_init (TriadApplication *self)
{
  g_mutex_init (&self->lock);
  g_mutex_init (&self->table_lock);
  self->models = g_hash_table_new_full (g_str_hash, g_str_equal, g_free,
                                        (GDestroyNotify) triad_model_free);
  self->archs = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
  self->failed = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
}
