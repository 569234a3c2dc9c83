/* test-common.h — small models that the engine tests build for themselves. */
#pragma once

#include <glib.h>
#include <glib/gstdio.h>
#include <string.h>

#include "cli/cli.h"
#include "../test-tools.h"
#include "engine/model.h"

/* A tiny configuration of each architecture. */
static inline TriadConfig
test_config (TriadArch arch)
{
  TriadConfig c = {
    .arch = arch, .vocab_size = 24, .dim = 16, .n_heads = 4, .ffn_dim = 32,
    .max_seq_len = 40, .norm_eps = 1e-5f,
    .n_enc_layers = arch == TRIAD_ARCH_DECODER ? 0 : 2,
    .n_dec_layers = arch == TRIAD_ARCH_ENCODER ? 0 : 2,
  };
  return c;
}

/* A random model whose weights are large enough (std 0.5) and biases and LayerNorm
 * parameters far enough from their defaults that attention is far from uniform and every
 * parameter changes the result. */
static inline TriadModel *
test_model (TriadArch arch,
            guint64   seed)
{
  TriadConfig c = test_config (arch);
  g_autoptr(GError) error = NULL;
  TriadModel *m = triad_model_new_random (&c, seed, &error);
  g_autoptr(GRand) rng = g_rand_new_with_seed ((guint32) seed + 7);
  g_autofree TriadTensorSpec *specs = NULL;
  int n;

  g_assert_no_error (error);
  specs = triad_tensor_table (&m->config, &m->weights, &n);
  for (int i = 0; i < n; i++)
    {
      float *t = *specs[i].slot;
      for (size_t j = 0; j < specs[i].numel; j++)
        t[j] = g_str_has_suffix (specs[i].name, ".bias")
               ? (float) g_rand_double_range (rng, -0.2, 0.2)
               : (strstr (specs[i].name, "ln_") || strstr (specs[i].name, ".norm."))
                 ? (float) g_rand_double_range (rng, 0.5, 1.5)
                 : t[j] * 25.0f;
    }
  return m;
}

/* A tokenizer of exactly vocab_size pieces: the six specials and single letters. */
static inline TriadTokenizer *
test_tokenizer (int vocab_size)
{
  g_autoptr(GPtrArray) vocab = g_ptr_array_new_with_free_func (g_free);
  const char *specials[] = { "<pad>", "<unk>", "<bos>", "<eos>", "<mask>", "<sep>" };
  g_autoptr(GError) error = NULL;
  TriadTokenizer *tok;

  for (int i = 0; i < 6; i++)
    g_ptr_array_add (vocab, g_strdup (specials[i]));
  g_ptr_array_add (vocab, g_strdup ("▁"));
  for (int i = 0; vocab->len < (guint) vocab_size; i++)
    g_ptr_array_add (vocab, g_strdup_printf ("%c", 'a' + i));
  tok = triad_tokenizer_new ((const char * const *) vocab->pdata, vocab->len, NULL, 0, &error);
  g_assert_no_error (error);
  return tok;
}

/* A fresh temporary folder, removed (shallowly) by test_rmdir. */
static inline char *
test_tmpdir (void)
{
  g_autoptr(GError) error = NULL;
  char *dir = g_dir_make_tmp ("triad-test-XXXXXX", &error);
  g_assert_no_error (error);
  return dir;
}

static inline void
test_rmdir (const char *dir)
{
  GDir *d = g_dir_open (dir, 0, NULL);
  const char *name;

  if (d == NULL)
    return;
  while ((name = g_dir_read_name (d)) != NULL)
    {
      g_autofree char *p = g_build_filename (dir, name, NULL);
      if (g_file_test (p, G_FILE_TEST_IS_DIR))
        test_rmdir (p);
      else
        g_unlink (p);
    }
  g_dir_close (d);
  g_rmdir (dir);
}

typedef struct {
  int   status;
  char *out;
  char *err;
} TestRun;

static inline void
test_run_clear (TestRun *r)
{
  g_free (r->out);
  g_free (r->err);
}

/* Runs `triad ARGS…` (NULL-terminated) in this process, standard output and error captured. */
static inline TestRun
test_run_cli (const char *first,
              ...)
{
  g_autoptr(GPtrArray) args = g_ptr_array_new ();
  TestRun r = { 0 };
  size_t out_len, err_len;
  FILE *out = open_memstream (&r.out, &out_len);
  FILE *err = open_memstream (&r.err, &err_len);
  va_list ap;

  g_ptr_array_add (args, (char *) first);
  va_start (ap, first);
  for (const char *a = va_arg (ap, const char *); a != NULL; a = va_arg (ap, const char *))
    g_ptr_array_add (args, (char *) a);
  va_end (ap);
  g_ptr_array_add (args, NULL);

  r.status = triad_cli_run (args->len - 1, (char **) args->pdata, out, err);
  fclose (out);
  fclose (err);
  return r;
}
