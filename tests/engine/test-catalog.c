/* test-catalog.c — the models found in a Hugging Face cache laid out as huggingface_hub writes
 * it: models--ORG--NAME/{refs/main, snapshots/REVISION/config.json}. */
#include "config.h"

#include <string.h>
#include <glib/gstdio.h>

#include "engine/error.h"
#include "engine/model-catalog.h"

static void
write_file (const char *dir,
            const char *name,
            const char *text)
{
  g_autofree char *path = g_build_filename (dir, name, NULL);
  g_autofree char *parent = g_path_get_dirname (path);

  g_assert_cmpint (g_mkdir_with_parents (parent, 0755), ==, 0);
  g_assert_true (g_file_set_contents (path, text, -1, NULL));
}

static void
test_scan (void)
{
  g_autofree char *cache = g_dir_make_tmp ("triad-hf-cache-XXXXXX", NULL);
  g_autoptr(GPtrArray) found = NULL;
  const TriadModelEntry *e;

  /* GPT-2 with two snapshots: refs/main names the older one, which must win */
  write_file (cache, "models--openai-community--gpt2/refs/main", "aaa111\n");
  write_file (cache, "models--openai-community--gpt2/snapshots/aaa111/config.json",
              "{\"model_type\": \"gpt2\", \"n_layer\": 12}");
  write_file (cache, "models--openai-community--gpt2/snapshots/bbb222/config.json",
              "{\"model_type\": \"bert\"}");
  /* T5 without refs: its only snapshot */
  write_file (cache, "models--google-t5--t5-small/snapshots/ccc333/config.json",
              "{\"model_type\": \"t5\"}");
  /* BERT under a bare name */
  write_file (cache, "models--bert-base-uncased/snapshots/ddd444/config.json",
              "{\"model_type\": \"bert\"}");
  /* a type Triad does not open, a dataset, and a model without config.json: left out */
  write_file (cache, "models--state-spaces--mamba-130m/snapshots/eee555/config.json",
              "{\"model_type\": \"mamba\"}");
  write_file (cache, "datasets--wikitext/snapshots/fff666/config.json", "{\"model_type\": \"gpt2\"}");
  write_file (cache, "models--empty--repo/snapshots/ggg777/README.md", "nothing");

  found = triad_model_catalog_scan_cache (cache);
  g_assert_cmpuint (found->len, ==, 3);
  /* sorted by name */
  e = found->pdata[0];
  g_assert_cmpstr (e->name, ==, "bert-base-uncased");
  g_assert_cmpint (e->arch, ==, TRIAD_ARCH_ENCODER);
  e = found->pdata[1];
  g_assert_cmpstr (e->name, ==, "google-t5/t5-small");
  g_assert_cmpint (e->arch, ==, TRIAD_ARCH_ENCDEC);
  g_assert_true (g_str_has_suffix (e->id, "snapshots/ccc333"));
  e = found->pdata[2];
  g_assert_cmpstr (e->name, ==, "openai-community/gpt2");
  g_assert_cmpstr (e->model_type, ==, "gpt2");
  g_assert_cmpint (e->arch, ==, TRIAD_ARCH_DECODER);
  g_assert_true (g_str_has_suffix (e->id, "snapshots/aaa111"));
  g_assert_false (e->shipped);
}

static void
test_cache_dir (void)
{
  g_autofree char *a = NULL, *b = NULL, *c = NULL;

  g_setenv ("HF_HUB_CACHE", "/x/hub-cache", TRUE);
  g_setenv ("HF_HOME", "/y/home", TRUE);
  a = triad_hf_cache_dir ();
  g_assert_cmpstr (a, ==, "/x/hub-cache");
  g_unsetenv ("HF_HUB_CACHE");
  b = triad_hf_cache_dir ();
  g_assert_cmpstr (b, ==, "/y/home/hub");
  g_unsetenv ("HF_HOME");
  c = triad_hf_cache_dir ();
  g_assert_true (g_str_has_suffix (c, "/.cache/huggingface/hub"));
}

static void
test_catalog_shipped_first (void)
{
  g_autofree char *cache = g_dir_make_tmp ("triad-hf-cache-XXXXXX", NULL);
  g_autoptr(GPtrArray) all = NULL;

  write_file (cache, "models--gpt2/snapshots/r1/config.json", "{\"model_type\": \"gpt2\"}");
  g_setenv ("HF_HUB_CACHE", cache, TRUE);
  all = triad_model_catalog ();
  g_assert_cmpuint (all->len, ==, 4);
  g_assert_cmpstr (((TriadModelEntry *) all->pdata[0])->id, ==, "encoder");
  g_assert_cmpstr (((TriadModelEntry *) all->pdata[2])->id, ==, "encdec");
  g_assert_true (((TriadModelEntry *) all->pdata[2])->shipped);
  g_assert_cmpstr (((TriadModelEntry *) all->pdata[3])->name, ==, "gpt2");
  g_unsetenv ("HF_HUB_CACHE");
}

static void
test_peek_errors (void)
{
  g_autofree char *dir = g_dir_make_tmp ("triad-peek-XXXXXX", NULL);
  g_autoptr(GError) error = NULL;
  TriadArch arch;

  g_assert_false (triad_model_peek (dir, &arch, NULL, &error));
  g_assert_error (error, TRIAD_ERROR, TRIAD_ERROR_NOT_FOUND);
  g_clear_error (&error);
  write_file (dir, "config.json", "{\"model_type\": \"llava\"}");
  g_assert_false (triad_model_peek (dir, &arch, NULL, &error));
  g_assert_nonnull (strstr (error->message, "llava"));
  g_assert_nonnull (strstr (error->message, "gpt2, bert, distilbert, t5"));
}

int
main (int    argc,
      char **argv)
{
  g_test_init (&argc, &argv, NULL);
  g_test_add_func ("/engine/catalog/scan", test_scan);
  g_test_add_func ("/engine/catalog/cache-dir", test_cache_dir);
  g_test_add_func ("/engine/catalog/shipped-first", test_catalog_shipped_first);
  g_test_add_func ("/engine/catalog/peek-errors", test_peek_errors);
  return g_test_run ();
}
