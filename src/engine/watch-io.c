/* watch-io.c — a training run's snapshots as files, one JSON file a kept step:
 *
 *   { "format": "triad-training-snapshot", "version": 1, "task": "induction",
 *     "step": 250, "loss": 4.91 (null at step 0), "losses": [ the loss of each step since the
 *     snapshot before ], "accuracy": 0.12, "layers": 2, "heads": 4,
 *     "scores": [ [ per head ] per layer ], "previous_token": [ … the same shape,
 *     induction only ], "best": { "layer": 1, "head": 2, "score": 0.42 }, "formed": false,
 *     "probe": { "tokens": [ the queries ], "key_tokens": [ the keys ],
 *                "attention": [ [ [ [ n_q × n_k ] per head ] per layer ] ] } }
 * "key_tokens" may be left out when the keys are the queries (self-attention). */
#include "config.h"

#include <errno.h>
#include <math.h>
#include <string.h>
#include <glib/gstdio.h>
#include <json-glib/json-glib.h>
#include "engine/i18n.h"

#include "engine/error.h"
#include "engine/watch.h"

#define FORMAT  "triad-training-snapshot"
#define VERSION 1

static void
add_scores (JsonBuilder   *b,
            const char    *key,
            const double  *scores,
            int            n_layers,
            int            n_heads)
{
  json_builder_set_member_name (b, key);
  json_builder_begin_array (b);
  for (int l = 0; l < n_layers; l++)
    {
      json_builder_begin_array (b);
      for (int h = 0; h < n_heads; h++)
        json_builder_add_double_value (b, scores[l * n_heads + h]);
      json_builder_end_array (b);
    }
  json_builder_end_array (b);
}

static char *
snapshot_json (const TriadWatchRecord   *r,
               const TriadWatchSnapshot *s,
               int                       from_step)
{
  g_autoptr(JsonBuilder) b = json_builder_new ();
  g_autoptr(JsonGenerator) gen = json_generator_new ();
  g_autoptr(JsonNode) root = NULL;
  int n_q = s->n_q, n_k = s->n_k;

  json_builder_begin_object (b);
  json_builder_set_member_name (b, "format");
  json_builder_add_string_value (b, FORMAT);
  json_builder_set_member_name (b, "version");
  json_builder_add_int_value (b, VERSION);
  json_builder_set_member_name (b, "task");
  json_builder_add_string_value (b, triad_watch_task_to_string (r->task));
  json_builder_set_member_name (b, "step");
  json_builder_add_int_value (b, s->step);
  json_builder_set_member_name (b, "loss");
  if (isnan (s->loss))
    json_builder_add_null_value (b);
  else
    json_builder_add_double_value (b, s->loss);
  json_builder_set_member_name (b, "losses");
  json_builder_begin_array (b);
  for (int i = from_step; i < s->step && i < (int) r->losses->len; i++)
    json_builder_add_double_value (b, g_array_index (r->losses, float, i));
  json_builder_end_array (b);
  json_builder_set_member_name (b, "accuracy");
  json_builder_add_double_value (b, s->accuracy);
  json_builder_set_member_name (b, "layers");
  json_builder_add_int_value (b, s->n_layers);
  json_builder_set_member_name (b, "heads");
  json_builder_add_int_value (b, s->n_heads);
  add_scores (b, "scores", s->scores, s->n_layers, s->n_heads);
  if (s->prev_scores != NULL)
    add_scores (b, "previous_token", s->prev_scores, s->n_layers, s->n_heads);
  json_builder_set_member_name (b, "best");
  json_builder_begin_object (b);
  json_builder_set_member_name (b, "layer");
  json_builder_add_int_value (b, s->best_layer);
  json_builder_set_member_name (b, "head");
  json_builder_add_int_value (b, s->best_head);
  json_builder_set_member_name (b, "score");
  json_builder_add_double_value (b, triad_watch_snapshot_best (s));
  json_builder_end_object (b);
  json_builder_set_member_name (b, "formed");
  json_builder_add_boolean_value (b, triad_watch_snapshot_formed (s));
  json_builder_set_member_name (b, "probe");
  json_builder_begin_object (b);
  json_builder_set_member_name (b, "tokens");
  json_builder_begin_array (b);
  for (int i = 0; i < n_q; i++)
    json_builder_add_string_value (b, r->q_tokens[i]);
  json_builder_end_array (b);
  json_builder_set_member_name (b, "key_tokens");
  json_builder_begin_array (b);
  for (int i = 0; i < n_k; i++)
    json_builder_add_string_value (b, r->k_tokens[i]);
  json_builder_end_array (b);
  json_builder_set_member_name (b, "attention");
  json_builder_begin_array (b);
  for (int l = 0; l < s->n_layers; l++)
    {
      json_builder_begin_array (b);
      for (int h = 0; h < s->n_heads; h++)
        {
          const float *a = triad_watch_snapshot_map (s, l, h);

          json_builder_begin_array (b);
          for (int q = 0; q < n_q; q++)
            {
              json_builder_begin_array (b);
              for (int k = 0; k < n_k; k++)
                json_builder_add_double_value (b, a[q * n_k + k]);
              json_builder_end_array (b);
            }
          json_builder_end_array (b);
        }
      json_builder_end_array (b);
    }
  json_builder_end_array (b);
  json_builder_end_object (b);
  json_builder_end_object (b);

  root = json_builder_get_root (b);
  json_generator_set_root (gen, root);
  return json_generator_to_data (gen, NULL);
}

gboolean
triad_watch_record_save (const TriadWatchRecord *r,
                         const char             *dir,
                         GError                **error)
{
  int from = 0;

  if (g_mkdir_with_parents (dir, 0755) != 0)
    {
      int saved = errno;
      g_set_error (error, TRIAD_ERROR, TRIAD_ERROR_NOT_FOUND,
                   _("Could not create the folder “%s”: %s"), dir, g_strerror (saved));
      return FALSE;
    }
  for (guint i = 0; i < r->snapshots->len; i++)
    {
      const TriadWatchSnapshot *s = g_ptr_array_index (r->snapshots, i);
      g_autofree char *json = snapshot_json (r, s, from);
      g_autofree char *name = g_strdup_printf ("step-%06d.json", s->step);
      g_autofree char *path = g_build_filename (dir, name, NULL);

      if (!g_file_set_contents (path, json, -1, error))
        return FALSE;
      from = s->step;
    }
  return TRUE;
}

/* ---- reading back --------------------------------------------------------------------- */

static gboolean
read_scores (JsonObject *o,
             const char *key,
             int         n_layers,
             int         n_heads,
             double     *out)
{
  JsonNode *node = json_object_get_member (o, key);
  JsonArray *layers;

  if (node == NULL || !JSON_NODE_HOLDS_ARRAY (node)
      || json_array_get_length (layers = json_node_get_array (node)) != (guint) n_layers)
    return FALSE;
  for (int l = 0; l < n_layers; l++)
    {
      JsonNode *row = json_array_get_element (layers, l);
      JsonArray *heads;

      if (!JSON_NODE_HOLDS_ARRAY (row)
          || json_array_get_length (heads = json_node_get_array (row)) != (guint) n_heads)
        return FALSE;
      for (int h = 0; h < n_heads; h++)
        out[l * n_heads + h] = json_array_get_double_element (heads, h);
    }
  return TRUE;
}

/* The strings of a JSON array, or NULL. */
static char **
read_strings (JsonNode *node)
{
  JsonArray *a;
  char **out;

  if (node == NULL || !JSON_NODE_HOLDS_ARRAY (node))
    return NULL;
  a = json_node_get_array (node);
  out = g_new0 (char *, json_array_get_length (a) + 1);
  for (guint i = 0; i < json_array_get_length (a); i++)
    out[i] = g_strdup (json_array_get_string_element (a, i));
  return out;
}

static gboolean
read_probe (JsonObject         *probe,
            TriadWatchSnapshot *s,
            char             ***q_tokens,
            char             ***k_tokens)
{
  g_auto(GStrv) qt = read_strings (json_object_get_member (probe, "tokens"));
  g_auto(GStrv) kt = NULL;
  JsonNode *an = json_object_get_member (probe, "attention");
  JsonArray *att;
  int n_q, n_k;

  if (json_object_has_member (probe, "key_tokens"))
    kt = read_strings (json_object_get_member (probe, "key_tokens"));
  else
    kt = g_strdupv (qt);
  if (qt == NULL || kt == NULL || an == NULL || !JSON_NODE_HOLDS_ARRAY (an))
    return FALSE;
  att = json_node_get_array (an);
  n_q = g_strv_length (qt);
  n_k = g_strv_length (kt);
  if (n_q < 1 || n_q > 4096 || n_k < 1 || n_k > 4096
      || json_array_get_length (att) != (guint) s->n_layers)
    return FALSE;
  s->n_q = n_q, s->n_k = n_k;
  s->probe = g_new0 (float, (size_t) s->n_layers * s->n_heads * n_q * n_k);
  for (int l = 0; l < s->n_layers; l++)
    {
      JsonNode *ln = json_array_get_element (att, l);
      JsonArray *heads;

      if (!JSON_NODE_HOLDS_ARRAY (ln)
          || json_array_get_length (heads = json_node_get_array (ln)) != (guint) s->n_heads)
        return FALSE;
      for (int h = 0; h < s->n_heads; h++)
        {
          JsonNode *hn = json_array_get_element (heads, h);
          JsonArray *rows;
          float *a = s->probe + ((size_t) l * s->n_heads + h) * n_q * n_k;

          if (!JSON_NODE_HOLDS_ARRAY (hn)
              || json_array_get_length (rows = json_node_get_array (hn)) != (guint) n_q)
            return FALSE;
          for (int q = 0; q < n_q; q++)
            {
              JsonNode *rn = json_array_get_element (rows, q);
              JsonArray *row;

              if (!JSON_NODE_HOLDS_ARRAY (rn)
                  || json_array_get_length (row = json_node_get_array (rn)) != (guint) n_k)
                return FALSE;
              for (int k = 0; k < n_k; k++)
                a[q * n_k + k] = json_array_get_double_element (row, k);
            }
        }
    }
  if (*q_tokens == NULL)
    {
      *q_tokens = g_steal_pointer (&qt);
      *k_tokens = g_steal_pointer (&kt);
    }
  return TRUE;
}

/* One snapshot file; NULL, and *losses untouched, for anything that is not one. */
static TriadWatchSnapshot *
read_snapshot (JsonNode         *root,
               TriadWatchTask   *task,
               char           ***q_tokens,
               char           ***k_tokens,
               GArray           *losses)
{
  g_autoptr(TriadWatchSnapshot) s = g_atomic_rc_box_new0 (TriadWatchSnapshot);
  JsonObject *o, *best, *probe;
  JsonNode *loss, *ln;
  JsonArray *step_losses;
  int n_heads;

  if (!JSON_NODE_HOLDS_OBJECT (root))
    return NULL;
  o = json_node_get_object (root);
  if (g_strcmp0 (json_object_get_string_member_with_default (o, "format", ""), FORMAT) != 0
      || json_object_get_int_member_with_default (o, "version", 0) != VERSION
      || !triad_watch_task_from_string (json_object_get_string_member_with_default (o, "task", ""),
                                        task))
    return NULL;
  s->task = *task;
  s->step = json_object_get_int_member_with_default (o, "step", -1);
  s->n_layers = json_object_get_int_member_with_default (o, "layers", 0);
  s->n_heads = json_object_get_int_member_with_default (o, "heads", 0);
  s->accuracy = json_object_get_double_member_with_default (o, "accuracy", 0);
  if (s->step < 0 || s->n_layers < 1 || s->n_layers > 64 || s->n_heads < 1 || s->n_heads > 256)
    return NULL;
  n_heads = s->n_layers * s->n_heads;
  s->scores = g_new0 (double, n_heads);
  if (!read_scores (o, "scores", s->n_layers, s->n_heads, s->scores))
    return NULL;
  if (json_object_has_member (o, "previous_token"))
    {
      s->prev_scores = g_new0 (double, n_heads);
      if (!read_scores (o, "previous_token", s->n_layers, s->n_heads, s->prev_scores))
        return NULL;
    }
  loss = json_object_get_member (o, "loss");
  s->loss = loss == NULL || JSON_NODE_HOLDS_NULL (loss) ? NAN : json_node_get_double (loss);
  if ((best = json_object_get_object_member (o, "best")) == NULL)
    return NULL;
  s->best_layer = json_object_get_int_member_with_default (best, "layer", -1);
  s->best_head = json_object_get_int_member_with_default (best, "head", -1);
  if (s->best_layer < 0 || s->best_layer >= s->n_layers || s->best_head < 0
      || s->best_head >= s->n_heads)
    return NULL;
  if (!json_object_has_member (o, "probe")
      || (probe = json_object_get_object_member (o, "probe")) == NULL
      || !read_probe (probe, s, q_tokens, k_tokens))
    return NULL;
  ln = json_object_get_member (o, "losses");
  if (ln == NULL || !JSON_NODE_HOLDS_ARRAY (ln))
    return NULL;
  step_losses = json_node_get_array (ln);
  for (guint i = 0; i < json_array_get_length (step_losses); i++)
    {
      float v = json_array_get_double_element (step_losses, i);
      g_array_append_val (losses, v);
    }
  return g_steal_pointer (&s);
}

static int
compare_names (gconstpointer a,
               gconstpointer b)
{
  return strcmp (*(const char * const *) a, *(const char * const *) b);
}

TriadWatchRecord *
triad_watch_record_load (const char *dir,
                         GError    **error)
{
  g_autoptr(TriadWatchRecord) r = g_new0 (TriadWatchRecord, 1);
  g_autoptr(GDir) d = NULL;
  g_autoptr(GPtrArray) names = g_ptr_array_new_with_free_func (g_free);
  const char *name;

  if (!g_file_test (dir, G_FILE_TEST_IS_DIR))
    {
      g_set_error (error, TRIAD_ERROR, TRIAD_ERROR_NOT_FOUND,
                   _("“%s” is not a folder of training snapshots: there is no such folder"), dir);
      return NULL;
    }
  if ((d = g_dir_open (dir, 0, error)) == NULL)
    return NULL;
  while ((name = g_dir_read_name (d)) != NULL)
    if (g_str_has_prefix (name, "step-") && g_str_has_suffix (name, ".json"))
      g_ptr_array_add (names, g_strdup (name));
  if (names->len == 0)
    {
      g_set_error (error, TRIAD_ERROR, TRIAD_ERROR_NOT_FOUND,
                   _("The folder “%s” has no training snapshots (step-*.json): write them with "
                     "triad train --task induction --snapshots"), dir);
      return NULL;
    }
  /* the names carry the step with six digits: sorted by name is sorted by step */
  g_ptr_array_sort (names, compare_names);

  r->snapshots = g_ptr_array_new_with_free_func ((GDestroyNotify) triad_watch_snapshot_unref);
  r->losses = g_array_new (FALSE, FALSE, sizeof (float));
  r->phase_step = -1;
  for (guint i = 0; i < names->len; i++)
    {
      g_autofree char *path = g_build_filename (dir, g_ptr_array_index (names, i), NULL);
      g_autoptr(JsonParser) parser = json_parser_new ();
      TriadWatchSnapshot *s = NULL;
      const TriadWatchSnapshot *first;

      if (json_parser_load_from_file (parser, path, NULL))
        s = read_snapshot (json_parser_get_root (parser), &r->task, &r->q_tokens, &r->k_tokens,
                           r->losses);
      if (s == NULL)
        {
          g_set_error (error, TRIAD_ERROR, TRIAD_ERROR_CONFIG,
                       _("“%s” is not a Triad training snapshot"), path);
          return NULL;
        }
      g_ptr_array_add (r->snapshots, s);
      first = g_ptr_array_index (r->snapshots, 0);
      if (s->n_layers != first->n_layers || s->n_heads != first->n_heads
          || s->task != first->task || s->n_q != first->n_q || s->n_k != first->n_k
          || (i > 0 && (s->step <= first->step)))
        {
          g_set_error (error, TRIAD_ERROR, TRIAD_ERROR_CONFIG,
                       _("“%s” is from another run than the snapshots before it"), path);
          return NULL;
        }
      if (r->phase_step < 0 && triad_watch_snapshot_formed (s))
        r->phase_step = s->step;
    }
  return g_steal_pointer (&r);
}
