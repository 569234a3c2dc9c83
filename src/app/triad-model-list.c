/* triad-model-list.c — the models the window offers: names, kinds, recent folders. */
#include "config.h"

#include <string.h>
#include <glib/gi18n.h>

#include "app/triad-application.h"
#include "app/triad-model-list.h"

char *
triad_model_display_name (const char *id)
{
  const char *models, *snapshots;

  if (g_strcmp0 (id, "encoder") == 0)
    return g_strdup (_("Encoder · BERT-style"));
  if (g_strcmp0 (id, "decoder") == 0)
    return g_strdup (_("Decoder · GPT-style"));
  if (g_strcmp0 (id, "encdec") == 0)
    return g_strdup (_("Encoder-decoder · T5-style"));
  if (id == NULL)
    return g_strdup ("");
  /* the Hub cache's models--ORG--NAME/snapshots/REV: the name the Hub gives it */
  models = strstr (id, "/models--");
  snapshots = models != NULL ? strstr (models, "/snapshots/") : NULL;
  if (snapshots != NULL)
    {
      g_autofree char *repo = g_strndup (models + strlen ("/models--"),
                                         snapshots - models - strlen ("/models--"));
      g_auto(GStrv) parts = g_strsplit (repo, "--", -1);

      return g_strjoinv ("/", parts);
    }
  return g_path_get_basename (id);
}

const char *
triad_model_kind_label (TriadArch arch)
{
  switch (arch)
    {
    case TRIAD_ARCH_ENCODER:
      /* TRANSLATORS: a model's kind, beside its name in the model chooser */
      return _("encoder-only");
    case TRIAD_ARCH_DECODER:
      return _("decoder-only");
    case TRIAD_ARCH_ENCDEC:
    default:
      return _("encoder-decoder");
    }
}

static gboolean
still_there (const char *folder)
{
  g_autofree char *config = g_build_filename (folder, "config.json", NULL);

  return g_file_test (config, G_FILE_TEST_IS_REGULAR);
}

GStrv
triad_recent_models_list (GSettings *settings)
{
  g_auto(GStrv) all = g_settings_get_strv (settings, "recent-models");
  g_autoptr(GStrvBuilder) kept = g_strv_builder_new ();

  for (guint i = 0; all[i] != NULL; i++)
    if (still_there (all[i]))
      g_strv_builder_add (kept, all[i]);
  return g_strv_builder_end (kept);
}

void
triad_recent_models_add (GSettings  *settings,
                         const char *folder)
{
  g_auto(GStrv) all = g_settings_get_strv (settings, "recent-models");
  g_autoptr(GStrvBuilder) next = g_strv_builder_new ();
  guint n = 1;

  g_strv_builder_add (next, folder);
  for (guint i = 0; all[i] != NULL && n < TRIAD_RECENT_MODELS_MAX; i++)
    if (!g_str_equal (all[i], folder) && still_there (all[i]))
      {
        g_strv_builder_add (next, all[i]);
        n++;
      }
  {
    g_auto(GStrv) strv = g_strv_builder_end (next);

    g_settings_set_strv (settings, "recent-models", (const char * const *) strv);
  }
}
