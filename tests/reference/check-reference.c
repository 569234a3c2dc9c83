/* check-reference.c — compares Triad's forward pass with the expected values written by
 * reference.py (PyTorch, float64).
 *
 *   check-reference FOLDER
 *
 * FOLDER is a Triad model folder holding expected.json:
 *   { "arch": …, "src_ids": […], "tgt_ids": […], "logits": [[…]],
 *     "attention": { "encoder_self" | "decoder_self" | "cross": [layer][head][q][k] } }
 * The model runs once over the whole input, capturing every layer and head of every kind of
 * attention, and the logits and attention matrices are compared with the expected ones. A
 * decoder then runs again from a fresh state one token at a time, through the KV cache, and
 * each step's logits and attention row are compared with the same expected values.
 * Prints the largest absolute difference per quantity; exits 1 when one exceeds 1e-4.
 */
#include <math.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <json-glib/json-glib.h>

#include "engine/model.h"

#define TOLERANCE 1e-4

/* A compared quantity: the largest difference and where it was. */
typedef struct {
  const char *name;
  gboolean    used;
  gboolean    shape_error;
  double      max_diff;
  double      layer_max[16];
  int         n_layers;
  int         at[4];            /* layer, head, q, k (or -1, -1, row, column for logits) */
  double      got, want;
} Quantity;

static void
quantity_add (Quantity *qt,
              double    got,
              double    want,
              int       layer,
              int       head,
              int       row,
              int       col)
{
  double d = fabs (got - want);

  if (isnan (d))
    d = INFINITY;
  qt->used = TRUE;
  if (layer >= 0 && layer < (int) G_N_ELEMENTS (qt->layer_max))
    {
      if (layer >= qt->n_layers)
        qt->n_layers = layer + 1;
      if (d > qt->layer_max[layer])
        qt->layer_max[layer] = d;
    }
  if (d > qt->max_diff || (d == qt->max_diff && qt->at[2] < 0))
    {
      qt->max_diff = d;
      qt->at[0] = layer;
      qt->at[1] = head;
      qt->at[2] = row;
      qt->at[3] = col;
      qt->got = got;
      qt->want = want;
    }
}

static void
quantity_shape_error (Quantity   *qt,
                      const char *format,
                      ...) G_GNUC_PRINTF (2, 3);

static void
quantity_shape_error (Quantity   *qt,
                      const char *format,
                      ...)
{
  va_list ap;

  qt->used = TRUE;
  if (!qt->shape_error)
    {
      g_autofree char *msg = NULL;

      va_start (ap, format);
      msg = g_strdup_vprintf (format, ap);
      va_end (ap);
      printf ("%s: %s\n", qt->name, msg);
    }
  qt->shape_error = TRUE;
}

static gboolean
quantity_ok (const Quantity *qt)
{
  return !qt->shape_error && qt->max_diff <= TOLERANCE;
}

static void
quantity_report (const Quantity *qt)
{
  if (!qt->used)
    return;
  printf ("  %-26s max |diff| %.3e", qt->name, qt->max_diff);
  if (qt->n_layers > 0)
    {
      printf ("  (");
      for (int l = 0; l < qt->n_layers; l++)
        printf ("%slayer %d: %.3e", l ? ", " : "", l, qt->layer_max[l]);
      printf (")");
    }
  if (qt->shape_error)
    printf ("  FAIL (shape)\n");
  else if (qt->max_diff > TOLERANCE)
    {
      if (qt->at[0] >= 0)
        printf ("  FAIL at layer %d head %d q %d k %d: got %.8g, expected %.8g\n",
                qt->at[0], qt->at[1], qt->at[2], qt->at[3], qt->got, qt->want);
      else
        printf ("  FAIL at position %d token %d: got %.8g, expected %.8g\n",
                qt->at[2], qt->at[3], qt->got, qt->want);
    }
  else
    printf ("  ok\n");
}

static void
quantity_init (Quantity   *qt,
               const char *name)
{
  memset (qt, 0, sizeof *qt);
  qt->name = name;
  qt->at[0] = qt->at[1] = qt->at[2] = qt->at[3] = -1;
}

/* --- expected.json ------------------------------------------------------------------- */

static int *
read_ids (JsonObject *root,
          const char *member,
          int        *n)
{
  JsonArray *arr;
  int *ids;

  *n = 0;
  if (!json_object_has_member (root, member))
    return NULL;
  arr = json_object_get_array_member (root, member);
  if (arr == NULL)
    return NULL;
  *n = (int) json_array_get_length (arr);
  ids = g_new0 (int, MAX (*n, 1));
  for (int i = 0; i < *n; i++)
    ids[i] = (int) json_array_get_int_element (arr, i);
  return ids;
}

static JsonArray *
sub (JsonArray *a,
     int        i)
{
  return json_array_get_array_element (a, i);
}

/* Dimensions of a [layer][head][q][k] array. */
static void
attention_dims (JsonArray *a,
                int        dims[4])
{
  dims[0] = (int) json_array_get_length (a);
  dims[1] = dims[0] ? (int) json_array_get_length (sub (a, 0)) : 0;
  dims[2] = dims[1] ? (int) json_array_get_length (sub (sub (a, 0), 0)) : 0;
  dims[3] = dims[2] ? (int) json_array_get_length (sub (sub (sub (a, 0), 0), 0)) : 0;
}

/* --- comparisons --------------------------------------------------------------------- */

/* Logits rows 0 … n_rows - 1 of the state against expected rows row0 … row0 + n_rows - 1. */
static void
compare_logits (Quantity         *qt,
                const TriadState *state,
                JsonArray        *expected,
                int               row0,
                int               n_rows)
{
  int vocab = state->model->config.vocab_size;

  if (state->n_logits != n_rows || state->logits == NULL)
    {
      quantity_shape_error (qt, "%d logit rows, expected %d", state->n_logits, n_rows);
      return;
    }
  for (int i = 0; i < n_rows; i++)
    {
      JsonArray *row = sub (expected, row0 + i);

      if ((int) json_array_get_length (row) != vocab)
        {
          quantity_shape_error (qt, "expected row of %u logits, model has vocab %d",
                                json_array_get_length (row), vocab);
          return;
        }
      for (int j = 0; j < vocab; j++)
        quantity_add (qt, state->logits[(size_t) i * vocab + j],
                      json_array_get_double_element (row, j), -1, -1, row0 + i, j);
    }
}

/* A capture against expected [layer][head][q][k]: the capture's query rows are expected rows
 * row0 …, and it must hold n_k keys; the expected weights past n_k (blocked) must be 0. */
static void
compare_capture (Quantity           *qt,
                 const TriadCapture *cap,
                 JsonArray          *expected,
                 int                 row0,
                 int                 n_q,
                 int                 n_k)
{
  int dims[4];

  attention_dims (expected, dims);
  if (cap->weights == NULL || cap->n_layers != dims[0] || cap->n_heads != dims[1] ||
      cap->n_q != n_q || cap->n_k != n_k || row0 + n_q > dims[2] || n_k > dims[3])
    {
      quantity_shape_error (qt, "captured %d layers × %d heads × %d × %d%s, expected "
                            "%d × %d × %d × %d",
                            cap->n_layers, cap->n_heads, cap->n_q, cap->n_k,
                            cap->weights ? "" : " (no weights)",
                            dims[0], dims[1], n_q, n_k);
      return;
    }
  for (int l = 0; l < dims[0]; l++)
    for (int h = 0; h < dims[1]; h++)
      {
        const float *m = triad_capture_matrix (cap, l, h);
        JsonArray *eh = sub (sub (expected, l), h);

        for (int i = 0; i < n_q; i++)
          {
            JsonArray *row = sub (eh, row0 + i);

            for (int j = 0; j < dims[3]; j++)
              {
                double want = json_array_get_double_element (row, j);
                double got = j < n_k ? m[(size_t) i * n_k + j] : 0.0;

                quantity_add (qt, got, want, l, h, row0 + i, j);
              }
          }
      }
}

static void
capture_reset (TriadCapture  *cap,
               TriadAttnKind  kind)
{
  triad_capture_clear (cap);
  memset (cap, 0, sizeof *cap);
  cap->kind = kind;
  cap->layer = -1;
  cap->head = -1;
}

/* --- main ---------------------------------------------------------------------------- */

int
main (int    argc,
      char **argv)
{
  g_autoptr (GError) error = NULL;
  g_autoptr (TriadModel) model = NULL;
  g_autoptr (JsonParser) parser = NULL;
  g_autofree char *expected_path = NULL;
  g_autofree int *src = NULL;
  g_autofree int *tgt = NULL;
  JsonObject *root, *attention;
  JsonArray *logits, *exp_enc = NULL, *exp_dec = NULL, *exp_cross = NULL;
  const char *arch;
  int n_src, n_tgt, n_dec_caps = 0;
  gboolean is_encoder, is_decoder, is_encdec, ok = TRUE;
  TriadCapture enc_cap = { 0 };
  TriadCapture dec_caps[2] = { { 0 } };
  Quantity q_logits, q_enc, q_dec, q_cross, q_step_logits, q_step_dec, q_step_cross;

  if (argc != 2)
    {
      fprintf (stderr, "usage: %s MODEL_FOLDER\n", argv[0]);
      return 2;
    }

  model = triad_model_load (argv[1], &error);
  if (model == NULL)
    {
      printf ("cannot load the model in %s: %s\n", argv[1], error->message);
      return 1;
    }

  expected_path = g_build_filename (argv[1], "expected.json", NULL);
  parser = json_parser_new ();
  if (!json_parser_load_from_file (parser, expected_path, &error))
    {
      printf ("cannot read %s: %s\n", expected_path, error->message);
      return 1;
    }
  root = json_node_get_object (json_parser_get_root (parser));
  arch = json_object_get_string_member (root, "arch");
  src = read_ids (root, "src_ids", &n_src);
  tgt = read_ids (root, "tgt_ids", &n_tgt);
  logits = json_object_get_array_member (root, "logits");
  attention = json_object_get_object_member (root, "attention");
  if (json_object_has_member (attention, "encoder_self"))
    exp_enc = json_object_get_array_member (attention, "encoder_self");
  if (json_object_has_member (attention, "decoder_self"))
    exp_dec = json_object_get_array_member (attention, "decoder_self");
  if (json_object_has_member (attention, "cross"))
    exp_cross = json_object_get_array_member (attention, "cross");

  if (g_strcmp0 (arch, triad_arch_to_string (model->config.arch)) != 0)
    {
      printf ("expected.json is for \"%s\", the model is \"%s\"\n",
              arch, triad_arch_to_string (model->config.arch));
      return 1;
    }
  is_encoder = model->config.arch == TRIAD_ARCH_ENCODER;
  is_decoder = model->config.arch == TRIAD_ARCH_DECODER;
  is_encdec = model->config.arch == TRIAD_ARCH_ENCDEC;
  if (((is_encoder || is_encdec) && (n_src == 0 || exp_enc == NULL)) ||
      ((is_decoder || is_encdec) && (n_tgt == 0 || exp_dec == NULL)) ||
      (is_encdec && exp_cross == NULL))
    {
      printf ("expected.json lacks the inputs or attention a %s model needs\n", arch);
      return 1;
    }

  printf ("%s: %d source ids, %d target ids, %d × %d layers, %d heads, dim %d\n",
          arch, n_src, n_tgt, model->config.n_enc_layers, model->config.n_dec_layers,
          model->config.n_heads, model->config.dim);

  quantity_init (&q_logits, "logits");
  quantity_init (&q_enc, "encoder_self");
  quantity_init (&q_dec, "decoder_self");
  quantity_init (&q_cross, "cross");
  quantity_init (&q_step_logits, "logits (KV cache)");
  quantity_init (&q_step_dec, "decoder_self (KV cache)");
  quantity_init (&q_step_cross, "cross (KV cache)");

  if (is_decoder || is_encdec)
    {
      capture_reset (&dec_caps[n_dec_caps++], TRIAD_ATTN_DECODER_SELF);
      if (is_encdec)
        capture_reset (&dec_caps[n_dec_caps++], TRIAD_ATTN_CROSS);
    }

  /* The whole input in one pass. */
  {
    g_autoptr (TriadState) state = triad_state_new (model);

    if (is_encoder || is_encdec)
      {
        capture_reset (&enc_cap, TRIAD_ATTN_ENCODER_SELF);
        if (!triad_encoder_forward (state, src, n_src, &enc_cap, 1, &error))
          {
            printf ("triad_encoder_forward failed: %s\n", error->message);
            return 1;
          }
        compare_capture (&q_enc, &enc_cap, exp_enc, 0, n_src, n_src);
      }
    if (is_encoder)
      {
        triad_encoder_logits (state);
        compare_logits (&q_logits, state, logits, 0, n_src);
      }
    else
      {
        if (!triad_decoder_forward (state, tgt, n_tgt, dec_caps, n_dec_caps, &error))
          {
            printf ("triad_decoder_forward failed: %s\n", error->message);
            return 1;
          }
        compare_logits (&q_logits, state, logits, 0, n_tgt);
        compare_capture (&q_dec, &dec_caps[0], exp_dec, 0, n_tgt, n_tgt);
        if (is_encdec)
          compare_capture (&q_cross, &dec_caps[1], exp_cross, 0, n_tgt, n_src);
      }
  }

  /* The decoder again from a fresh state, one token per call, through the KV cache. */
  if (is_decoder || is_encdec)
    {
      g_autoptr (TriadState) state = triad_state_new (model);

      if (is_encdec && !triad_encoder_forward (state, src, n_src, NULL, 0, &error))
        {
          printf ("triad_encoder_forward failed: %s\n", error->message);
          return 1;
        }
      for (int t = 0; t < n_tgt; t++)
        {
          capture_reset (&dec_caps[0], TRIAD_ATTN_DECODER_SELF);
          if (is_encdec)
            capture_reset (&dec_caps[1], TRIAD_ATTN_CROSS);
          if (!triad_decoder_forward (state, &tgt[t], 1, dec_caps, n_dec_caps, &error))
            {
              printf ("triad_decoder_forward failed at step %d: %s\n", t, error->message);
              return 1;
            }
          if (state->pos != t + 1)
            quantity_shape_error (&q_step_dec, "after step %d the cache holds %d positions",
                                  t, state->pos);
          compare_logits (&q_step_logits, state, logits, t, 1);
          compare_capture (&q_step_dec, &dec_caps[0], exp_dec, t, 1, t + 1);
          if (is_encdec)
            compare_capture (&q_step_cross, &dec_caps[1], exp_cross, t, 1, n_src);
        }
    }

  triad_capture_clear (&enc_cap);
  for (int i = 0; i < n_dec_caps; i++)
    triad_capture_clear (&dec_caps[i]);

  {
    const Quantity *all[] = { &q_logits, &q_enc, &q_dec, &q_cross,
                              &q_step_logits, &q_step_dec, &q_step_cross };

    for (size_t i = 0; i < G_N_ELEMENTS (all); i++)
      {
        quantity_report (all[i]);
        if (all[i]->used && !quantity_ok (all[i]))
          ok = FALSE;
      }
  }
  printf ("%s: %s (tolerance %g)\n", arch, ok ? "match" : "MISMATCH", TOLERANCE);
  return ok ? 0 : 1;
}
