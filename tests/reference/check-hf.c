/* check-hf.c — reads a Hub-layout model folder with Triad's loader and compares its forward
 * pass with expected.json from reference-hf.py: every attention weight within 1e-4, and the
 * logits within 1e-4 of their row's scale (the largest magnitude in the row, at least 1: single
 * precision against the reference's double, through layers whose random weights make
 * activations large), then decodes the target one token at a time through
 * the KV cache and requires each step's logits and attention row to equal the full pass's.
 *
 * Usage: check-hf MODEL_DIR EXPECTED_JSON; exit status 0 when everything matches.
 *        check-hf --error TEXT MODEL_DIR: 0 when loading fails with a message holding TEXT. */
#include "config.h"

#include <math.h>
#include <stdio.h>
#include <string.h>
#include <json-glib/json-glib.h>

#include "engine/model.h"

#define TOL 1e-4

static int failures;

static void
compare (const char *what,
         double      got,
         double      want,
         double      scale)
{
  if (!(fabs (got - want) <= TOL * MAX (1.0, scale)))
    {
      if (failures < 20)
        fprintf (stderr, "%s: %.7g, expected %.7g\n", what, got, want);
      failures++;
    }
}

static int *
ids_of (JsonObject *obj,
        const char *name,
        int        *n)
{
  JsonArray *a = json_object_get_array_member (obj, name);
  int *ids = g_new (int, json_array_get_length (a));

  *n = json_array_get_length (a);
  for (int i = 0; i < *n; i++)
    ids[i] = (int) json_array_get_int_element (a, i);
  return ids;
}

/* rows (n, V) of logits against the expected rows first..first + n */
static void
compare_logits (const char *what,
                const float *logits,
                int          n,
                int          V,
                JsonArray   *want,
                int          first)
{
  for (int i = 0; i < n; i++)
    {
      JsonArray *row = json_array_get_array_element (want, first + i);

      if ((int) json_array_get_length (row) != V)
        {
          fprintf (stderr, "%s: %u logits expected, the model has %d\n", what,
                   json_array_get_length (row), V);
          failures++;
          return;
        }
      double scale = 0.0;

      for (int j = 0; j < V; j++)
        scale = MAX (scale, fabs (json_array_get_double_element (row, j)));
      for (int j = 0; j < V; j++)
        {
          g_autofree char *at = g_strdup_printf ("%s logits[%d][%d]", what, first + i, j);
          compare (at, logits[(size_t) i * V + j], json_array_get_double_element (row, j), scale);
        }
    }
}

/* every layer and head of a capture against expected [layer][head][q][k]; q rows first.. */
static void
compare_attention (const char         *what,
                   const TriadCapture *cap,
                   JsonArray          *want,
                   int                 first)
{
  if ((int) json_array_get_length (want) != cap->n_layers)
    {
      fprintf (stderr, "%s: %u layers expected, %d captured\n", what,
               json_array_get_length (want), cap->n_layers);
      failures++;
      return;
    }
  for (int l = 0; l < cap->n_layers; l++)
    {
      JsonArray *layer = json_array_get_array_element (want, l);

      if ((int) json_array_get_length (layer) != cap->n_heads)
        {
          fprintf (stderr, "%s: %u heads expected, %d captured\n", what,
                   json_array_get_length (layer), cap->n_heads);
          failures++;
          return;
        }
      for (int h = 0; h < cap->n_heads; h++)
        {
          const float *m = triad_capture_matrix (cap, l, h);
          JsonArray *rows = json_array_get_array_element (layer, h);

          for (int i = 0; i < cap->n_q; i++)
            {
              JsonArray *row = json_array_get_array_element (rows, first + i);

              for (int j = 0; j < cap->n_k; j++)
                {
                  g_autofree char *at = g_strdup_printf ("%s layer %d head %d [%d][%d]", what,
                                                         l, h, first + i, j);
                  compare (at, m[(size_t) i * cap->n_k + j], json_array_get_double_element (row, j),
                           1.0);
                }
            }
        }
    }
}

int
main (int    argc,
      char **argv)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(TriadModel) model = NULL;
  g_autoptr(TriadState) state = NULL;
  g_autoptr(JsonParser) parser = json_parser_new ();
  g_autofree int *src = NULL, *tgt = NULL;
  JsonObject *want;
  const char *arch;
  int n_src = 0, n_tgt = 0, V, n_dec_caps;
  TriadCapture caps[3] = {
    { .kind = TRIAD_ATTN_ENCODER_SELF, .layer = -1, .head = -1 },
    { .kind = TRIAD_ATTN_DECODER_SELF, .layer = -1, .head = -1 },
    { .kind = TRIAD_ATTN_CROSS, .layer = -1, .head = -1 },
  };

  if (argc == 4 && g_strcmp0 (argv[1], "--error") == 0)
    {
      model = triad_model_load (argv[3], &error);
      if (model != NULL || strstr (error->message, argv[2]) == NULL)
        {
          fprintf (stderr, "%s: expected an error with “%s”, got %s\n", argv[3], argv[2],
                   model != NULL ? "a model" : error->message);
          return 1;
        }
      printf ("%s: %s\n", argv[3], error->message);
      return 0;
    }
  if (argc != 3)
    {
      fprintf (stderr, "usage: check-hf MODEL_DIR EXPECTED_JSON\n");
      return 2;
    }
  model = triad_model_load (argv[1], &error);
  if (model == NULL)
    {
      fprintf (stderr, "%s: %s\n", argv[1], error->message);
      return 1;
    }
  if (!json_parser_load_from_file (parser, argv[2], &error))
    {
      fprintf (stderr, "%s: %s\n", argv[2], error->message);
      return 1;
    }
  want = json_node_get_object (json_parser_get_root (parser));
  arch = json_object_get_string_member (want, "arch");
  if (g_strcmp0 (arch, triad_arch_to_string (model->config.arch)) != 0)
    {
      fprintf (stderr, "the model reads as %s, expected %s\n",
               triad_arch_to_string (model->config.arch), arch);
      return 1;
    }
  V = model->config.vocab_size;
  /* a decoder-only model has no cross-attention to capture */
  n_dec_caps = model->config.arch == TRIAD_ARCH_ENCDEC ? 2 : 1;
  if (json_object_has_member (want, "src"))
    src = ids_of (want, "src", &n_src);
  if (json_object_has_member (want, "tgt"))
    tgt = ids_of (want, "tgt", &n_tgt);

  /* the full pass */
  state = triad_state_new (model);
  if (n_src > 0)
    {
      if (!triad_encoder_forward (state, src, n_src, caps, 1, &error))
        {
          fprintf (stderr, "encoder: %s\n", error->message);
          return 1;
        }
      compare_attention ("encoder", &caps[0], json_object_get_array_member (want, "encoder"), 0);
      if (model->config.arch == TRIAD_ARCH_ENCODER)
        {
          triad_encoder_logits (state);
          compare_logits ("encoder", state->logits, n_src, V,
                          json_object_get_array_member (want, "logits"), 0);
        }
    }
  if (n_tgt > 0)
    {
      if (!triad_decoder_forward (state, tgt, n_tgt, caps + 1, n_dec_caps, &error))
        {
          fprintf (stderr, "decoder: %s\n", error->message);
          return 1;
        }
      compare_logits ("decoder", state->logits, n_tgt, V,
                      json_object_get_array_member (want, "logits"), 0);
      compare_attention ("decoder", &caps[1], json_object_get_array_member (want, "decoder"), 0);
      if (model->config.arch == TRIAD_ARCH_ENCDEC)
        compare_attention ("cross", &caps[2], json_object_get_array_member (want, "cross"), 0);

      /* one token at a time through the cache: each step's row of the full pass */
      triad_state_reset (state);
      if (n_src > 0 && !triad_encoder_forward (state, src, n_src, NULL, 0, &error))
        {
          fprintf (stderr, "encoder: %s\n", error->message);
          return 1;
        }
      for (int i = 0; i < n_tgt; i++)
        {
          if (!triad_decoder_forward (state, tgt + i, 1, caps + 1, n_dec_caps, &error))
            {
              fprintf (stderr, "decoding step %d: %s\n", i, error->message);
              return 1;
            }
          compare_logits ("cached step", state->logits, 1, V,
                          json_object_get_array_member (want, "logits"), i);
          /* the step's row holds keys 0 … i, the full pass's row the same before its mask */
          compare_attention ("cached decoder", &caps[1],
                             json_object_get_array_member (want, "decoder"), i);
          if (model->config.arch == TRIAD_ARCH_ENCDEC)
            compare_attention ("cached cross", &caps[2],
                               json_object_get_array_member (want, "cross"), i);
        }
    }
  for (int i = 0; i < 3; i++)
    triad_capture_clear (&caps[i]);
  if (failures > 0)
    fprintf (stderr, "%s: %d values differ\n", argv[1], failures);
  else
    printf ("%s: %s, %d layers × %d heads, %zu parameters (%s), every value within %g\n",
            argv[1], model->config.model_type, MAX (model->config.n_enc_layers,
                                                     model->config.n_dec_layers),
            model->config.n_heads, model->n_params, model->dtype, TOL);
  return failures > 0;
}
