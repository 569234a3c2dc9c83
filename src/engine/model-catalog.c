/* model-catalog.c — the models a person has: the shipped three and those in the local Hugging
 * Face cache, each with its architecture read from config.json alone (no weights opened).
 *
 * The cache is $HF_HUB_CACHE, else $HF_HOME/hub, else ~/.cache/huggingface/hub; a model there is
 * models--ORG--NAME/snapshots/REVISION/, the revision refs/main names, else the newest. */
#include "config.h"

#include <string.h>
#include "engine/i18n.h"
#include <json-glib/json-glib.h>

#include "engine/error.h"
#include "engine/hf-model.h"
#include "engine/model-catalog.h"

void
triad_model_entry_free (TriadModelEntry *entry)
{
  if (entry == NULL)
    return;
  g_free (entry->id);
  g_free (entry->name);
  g_free (entry->model_type);
  g_free (entry);
}

gboolean
triad_model_peek (const char  *dir,
                  TriadArch   *arch,
                  char       **model_type,
                  GError     **error)
{
  g_autofree char *path = g_build_filename (dir, "config.json", NULL);
  g_autoptr(JsonParser) parser = json_parser_new ();
  g_autoptr(GError) local = NULL;
  JsonNode *root;
  JsonObject *obj;
  const char *type = NULL, *name = NULL;

  if (!json_parser_load_from_mapped_file (parser, path, &local))
    {
      g_set_error (error, TRIAD_ERROR, TRIAD_ERROR_NOT_FOUND,
                   _("The folder has no readable config.json: %s"), local->message);
      return FALSE;
    }
  root = json_parser_get_root (parser);
  if (root == NULL || !JSON_NODE_HOLDS_OBJECT (root))
    {
      g_set_error (error, TRIAD_ERROR, TRIAD_ERROR_CONFIG, _("config.json is not a JSON object"));
      return FALSE;
    }
  obj = json_node_get_object (root);
  if (triad_hf_is_model_dir (obj))
    {
      type = json_object_get_string_member_with_default (obj, "model_type", "");
      if (!triad_hf_arch_of (type, arch))
        {
          g_set_error (error, TRIAD_ERROR, TRIAD_ERROR_CONFIG,
                       _("The model type “%s” is not supported; Triad opens %s"),
                       type, triad_hf_supported_types ());
          return FALSE;
        }
    }
  else
    {
      name = json_object_get_string_member_with_default (obj, "arch", "");
      if (!triad_arch_from_string (name, arch))
        {
          g_set_error (error, TRIAD_ERROR, TRIAD_ERROR_CONFIG,
                       _("config.json: “arch” must be “encoder”, “decoder” or “encdec”"));
          return FALSE;
        }
    }
  if (model_type != NULL)
    *model_type = g_strdup (type != NULL ? type : "triad");
  return TRUE;
}

char *
triad_hf_cache_dir (void)
{
  const char *hub = g_getenv ("HF_HUB_CACHE");
  const char *home = g_getenv ("HF_HOME");

  if (hub != NULL && *hub != '\0')
    return g_strdup (hub);
  if (home != NULL && *home != '\0')
    return g_build_filename (home, "hub", NULL);
  return g_build_filename (g_get_home_dir (), ".cache", "huggingface", "hub", NULL);
}

/* The snapshot of a cached model: the one refs/main names, else the newest. */
static char *
snapshot_of (const char *model_dir)
{
  g_autofree char *ref_path = g_build_filename (model_dir, "refs", "main", NULL);
  g_autofree char *snapshots = g_build_filename (model_dir, "snapshots", NULL);
  g_autofree char *ref = NULL;
  g_autofree char *best = NULL;
  g_autoptr(GDir) dir = NULL;
  gint64 best_time = G_MININT64;
  const char *name;

  if (g_file_get_contents (ref_path, &ref, NULL, NULL))
    {
      g_autofree char *path = g_build_filename (snapshots, g_strstrip (ref), NULL);

      if (strchr (ref, '/') == NULL && g_file_test (path, G_FILE_TEST_IS_DIR))
        return g_steal_pointer (&path);
    }
  dir = g_dir_open (snapshots, 0, NULL);
  while (dir != NULL && (name = g_dir_read_name (dir)) != NULL)
    {
      g_autofree char *path = g_build_filename (snapshots, name, NULL);
      g_autoptr(GFile) file = g_file_new_for_path (path);
      g_autoptr(GFileInfo) info = g_file_query_info (file, G_FILE_ATTRIBUTE_TIME_MODIFIED,
                                                     G_FILE_QUERY_INFO_NONE, NULL, NULL);
      gint64 t = info != NULL ? (gint64) g_file_info_get_attribute_uint64 (info,
                                          G_FILE_ATTRIBUTE_TIME_MODIFIED) : 0;

      if (g_file_test (path, G_FILE_TEST_IS_DIR) && t > best_time)
        {
          g_free (best);
          best = g_steal_pointer (&path);
          best_time = t;
        }
    }
  return g_steal_pointer (&best);
}

static gint
by_name (gconstpointer a,
         gconstpointer b)
{
  const TriadModelEntry *x = *(TriadModelEntry * const *) a, *y = *(TriadModelEntry * const *) b;

  return g_utf8_collate (x->name, y->name);
}

GPtrArray *
triad_model_catalog_scan_cache (const char *cache_dir)
{
  GPtrArray *out = g_ptr_array_new_with_free_func ((GDestroyNotify) triad_model_entry_free);
  g_autoptr(GDir) dir = g_dir_open (cache_dir, 0, NULL);
  const char *name;

  while (dir != NULL && (name = g_dir_read_name (dir)) != NULL)
    {
      g_autofree char *model_dir = NULL, *snapshot = NULL, *model_type = NULL;
      g_auto(GStrv) parts = NULL;
      TriadModelEntry *entry;
      TriadArch arch;

      if (!g_str_has_prefix (name, "models--"))
        continue;
      model_dir = g_build_filename (cache_dir, name, NULL);
      snapshot = snapshot_of (model_dir);
      /* a model of a type Triad does not open is left out of the list, not an error */
      if (snapshot == NULL || !triad_model_peek (snapshot, &arch, &model_type, NULL))
        continue;
      entry = g_new0 (TriadModelEntry, 1);
      parts = g_strsplit (name + strlen ("models--"), "--", -1);
      entry->name = g_strjoinv ("/", parts);
      entry->id = g_steal_pointer (&snapshot);
      entry->arch = arch;
      entry->model_type = g_steal_pointer (&model_type);
      g_ptr_array_add (out, entry);
    }
  g_ptr_array_sort (out, by_name);
  return out;
}

GPtrArray *
triad_model_catalog (void)
{
  static const char * const shipped[] = { "encoder", "decoder", "encdec" };
  GPtrArray *out = g_ptr_array_new_with_free_func ((GDestroyNotify) triad_model_entry_free);
  g_autofree char *cache = triad_hf_cache_dir ();
  g_autoptr(GPtrArray) found = triad_model_catalog_scan_cache (cache);

  for (guint i = 0; i < G_N_ELEMENTS (shipped); i++)
    {
      TriadModelEntry *entry = g_new0 (TriadModelEntry, 1);

      entry->id = g_strdup (shipped[i]);
      entry->name = g_strdup (shipped[i]);
      entry->arch = (TriadArch) i;
      entry->model_type = g_strdup ("triad");
      entry->shipped = TRUE;
      g_ptr_array_add (out, entry);
    }
  for (guint i = 0; i < found->len; i++)
    g_ptr_array_add (out, g_steal_pointer (&found->pdata[i]));
  return out;
}
