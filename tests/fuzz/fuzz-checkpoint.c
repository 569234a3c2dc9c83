/* fuzz-checkpoint.c — libFuzzer target for the checkpoint loader.
 *
 * The input is a model.safetensors, or a config.json, a NUL byte and a model.safetensors.
 * The weights are parsed from memory (the header length, the JSON header, every dtype, shape
 * and offset) and every tensor the parser accepts is read end to end from an exact-size copy,
 * so that AddressSanitizer sees an offset that points outside the file. With a config, both
 * files are written into a folder beside a fixed tokenizer and loaded as a model (the config
 * against the tensors); a model that loads runs a short forward pass. */
#include "config.h"

#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <json-glib/json-glib.h>

#include "engine/checkpoint.h"
#include "engine/model.h"

int LLVMFuzzerTestOneInput (const uint8_t *data, size_t size);

static char *dir;

static void
write_file (const char *name,
            const void *data,
            size_t      size)
{
  g_autofree char *path = g_build_filename (dir, name, NULL);

  if (!g_file_set_contents (path, data, size, NULL))
    abort ();
}

static void
set_up (void)
{
  /* the seeds' models have vocab_size 24: the specials, "▁" and 17 letters */
  static const char tokenizer[] =
    "{\"format\":\"triad-bpe\",\"version\":1,\"vocab\":[\"<pad>\",\"<unk>\",\"<bos>\",\"<eos>\","
    "\"<mask>\",\"<sep>\",\"\xe2\x96\x81\",\"a\",\"b\",\"c\",\"d\",\"e\",\"f\",\"g\",\"h\",\"i\","
    "\"j\",\"k\",\"l\",\"m\",\"n\",\"o\",\"p\",\"q\"],\"merges\":[]}";
  const char *base = g_file_test ("/dev/shm", G_FILE_TEST_IS_DIR) ? "/dev/shm" : g_get_tmp_dir ();
  char *tmpl = g_build_filename (base, "triad-fuzz-XXXXXX", NULL);

  dir = g_mkdtemp (tmpl);
  if (dir == NULL)
    abort ();
  write_file ("tokenizer.json", tokenizer, strlen (tokenizer));
}

/* Reads every byte of every tensor the parser accepted. */
static void
read_tensors (const TriadSafetensors *st,
              const guint8           *file)
{
  g_autoptr(JsonParser) parser = json_parser_new ();
  guint64 header_len = 0;
  JsonObject *header;
  GList *members;
  guint sum = 0;

  for (int i = 7; i >= 0; i--)
    header_len = (header_len << 8) | file[i];
  if (!json_parser_load_from_data (parser, (const char *) file + 8, header_len, NULL))
    abort ();                   /* the parser accepted it */
  header = json_node_get_object (json_parser_get_root (parser));
  members = json_object_get_members (header);
  for (GList *l = members; l != NULL; l = l->next)
    {
      const TriadTensorInfo *info = triad_safetensors_lookup (st, l->data);
      const guint8 *p;

      if (info == NULL)
        continue;
      if (info->end - info->begin != info->numel * sizeof (float))
        abort ();
      p = triad_safetensors_data (st, info);
      for (size_t b = 0; b < info->end - info->begin; b++)
        sum += p[b];
    }
  g_list_free (members);
  /* keep the reads */
  __asm__ volatile ("" : : "r" (sum));
}

int
LLVMFuzzerTestOneInput (const uint8_t *data,
                        size_t         size)
{
  const guint8 *nul = memchr (data, '\0', size);
  const guint8 *weights = nul != NULL ? nul + 1 : data;
  size_t weights_size = nul != NULL ? size - (size_t) (weights - data) : size;
  g_autoptr(GError) error = NULL;

  if (dir == NULL)
    set_up ();

  {
    /* an exact-size copy: a read one byte past the file is an ASan report */
    guint8 *copy = g_malloc (MAX (weights_size, 1));
    TriadSafetensors *st;

    memcpy (copy, weights, weights_size);
    st = triad_safetensors_parse (copy, weights_size, &error);
    if (st != NULL)
      {
        read_tensors (st, copy);
        triad_safetensors_free (st);
      }
    else if (error == NULL || *error->message == '\0')
      abort ();                 /* every failure names its problem */
    g_clear_error (&error);
    g_free (copy);
  }

  if (nul != NULL)
    {
      g_autoptr(TriadModel) model = NULL;

      write_file ("config.json", data, (size_t) (nul - data));
      write_file ("model.safetensors", weights, weights_size);
      model = triad_model_load (dir, &error);
      if (model == NULL && (error == NULL || *error->message == '\0'))
        abort ();
      if (model != NULL)
        {
          g_autoptr(TriadState) state = triad_state_new (model);
          const int ids[] = { TRIAD_TOKEN_BOS, 7, 8 };
          int n = MIN ((int) G_N_ELEMENTS (ids), model->config.max_seq_len);

          if (model->config.arch == TRIAD_ARCH_DECODER)
            triad_decoder_forward (state, ids, n, NULL, 0, &error);
          else
            triad_encoder_forward (state, ids, n, NULL, 0, &error);
          g_clear_error (&error);
        }
    }
  return 0;
}
