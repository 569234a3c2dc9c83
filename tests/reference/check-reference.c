/* check-reference.c — compares Triad's forward pass and the trainer's gradients with the
 * expected values written by reference.py (PyTorch, float64).
 *
 *   check-reference FOLDER
 *
 * FOLDER is a Triad model folder holding expected.json:
 *   { "arch": …, "src_ids": […], "tgt_ids": […], "logits": [[…]],
 *     "attention": { "encoder_self" | "decoder_self" | "cross": [layer][head][q][k] },
 *     "train": { "src": [[…], …], "tgt": [[…], …], "labels": [[…], …], "loss": x,
 *                "grads": { tensor name: […] row-major } } }
 * The model runs once over the whole input, capturing every layer and head of every kind of
 * attention, and the logits and attention matrices are compared with the expected ones. A
 * decoder then runs again from a fresh state one token at a time, through the KV cache, and
 * each step's logits and attention row are compared with the same expected values.
 * Then the trainer takes the "train" batch (one triad_batch_add per sequence) on an owned copy
 * of the weights: its loss, and every tensor of its gradients, are compared with the expected
 * ones; a second forward-backward must give the same gradients (they are zeroed first), and
 * the loss alone (triad_trainer_loss) the same loss.
 * Prints the largest absolute difference per quantity and per group of gradient tensors;
 * exits 1 when one exceeds 1e-4.
 */
#include <math.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <json-glib/json-glib.h>

#include "engine/model.h"
#include "engine/train.h"

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

/* --- training ------------------------------------------------------------------------ */

/* The gradient tensors of one kind, over the layers: "tok_emb", "enc.pos_emb", "dec.attn"
 * (q, k, v and o, weights and biases), "dec.ln_cross", "enc.ffn", "enc.norm" … */
typedef struct {
  char        name[32];
  gboolean    shape_error;
  double      max_diff;
  double      max_grad;         /* largest expected |gradient| */
  double      layer_max[16];
  int         n_layers;
  const char *worst;            /* the tensor and index of the largest difference */
  size_t      worst_index;
  double      got, want;
} GradGroup;

/* The group of a tensor name, and its layer (-1 for none). */
static void
grad_group_key (const char *name,
                char       *key,
                size_t      key_size,
                int        *layer)
{
  g_auto (GStrv) parts = g_strsplit (name, ".", -1);
  guint n = g_strv_length (parts);

  *layer = -1;
  if (n >= 4 && strcmp (parts[1], "layers") == 0)
    {
      *layer = atoi (parts[2]);
      /* attn.q.weight → attn, ffn.up.bias → ffn, ln_attn.weight → ln_attn */
      g_snprintf (key, key_size, "%s.%s", parts[0], parts[3]);
    }
  else if (n == 3)
    /* enc.norm.weight → enc.norm */
    g_snprintf (key, key_size, "%s.%s", parts[0], parts[1]);
  else
    g_strlcpy (key, name, key_size);
}

static GradGroup *
grad_group_get (GPtrArray  *groups,
                const char *key)
{
  GradGroup *g;

  for (guint i = 0; i < groups->len; i++)
    {
      g = g_ptr_array_index (groups, i);
      if (strcmp (g->name, key) == 0)
        return g;
    }
  g = g_new0 (GradGroup, 1);
  g_strlcpy (g->name, key, sizeof g->name);
  g_ptr_array_add (groups, g);
  return g;
}

static void
grad_group_add (GradGroup  *g,
                const char *tensor,
                size_t      index,
                int         layer,
                double      got,
                double      want)
{
  double d = fabs (got - want);

  if (isnan (d))
    d = INFINITY;
  g->max_grad = MAX (g->max_grad, fabs (want));
  if (layer >= 0 && layer < (int) G_N_ELEMENTS (g->layer_max))
    {
      g->n_layers = MAX (g->n_layers, layer + 1);
      g->layer_max[layer] = MAX (g->layer_max[layer], d);
    }
  if (d > g->max_diff || g->worst == NULL)
    {
      g->max_diff = d;
      g->worst = tensor;
      g->worst_index = index;
      g->got = got;
      g->want = want;
    }
}

static gboolean
grad_group_ok (const GradGroup *g)
{
  return !g->shape_error && g->max_diff <= TOLERANCE;
}

static void
grad_group_report (const GradGroup *g)
{
  printf ("  grad %-21s max |diff| %.3e  max |grad| %.3e", g->name, g->max_diff, g->max_grad);
  if (g->n_layers > 0)
    {
      printf ("  (");
      for (int l = 0; l < g->n_layers; l++)
        printf ("%slayer %d: %.3e", l ? ", " : "", l, g->layer_max[l]);
      printf (")");
    }
  if (g->shape_error)
    printf ("  FAIL (shape)\n");
  else if (g->max_diff > TOLERANCE)
    printf ("  FAIL at %s[%zu]: got %.8g, expected %.8g\n",
            g->worst, g->worst_index, g->got, g->want);
  else
    printf ("  ok\n");
}

/* An owned copy of a (memory-mapped) model: the trainer writes to the weights it is given. */
static TriadModel *
owned_copy (TriadModel  *model,
            GError     **error)
{
  g_autoptr (TriadModel) copy = triad_model_new_random (&model->config, 0, error);
  g_autofree TriadTensorSpec *from = NULL, *to = NULL;
  int n_from, n_to;

  if (copy == NULL)
    return NULL;
  from = triad_tensor_table (&model->config, &model->weights, &n_from);
  to = triad_tensor_table (&copy->config, &copy->weights, &n_to);
  g_assert (n_from == n_to);
  for (int i = 0; i < n_from; i++)
    {
      g_assert (strcmp (from[i].name, to[i].name) == 0 && from[i].numel == to[i].numel);
      memcpy (*to[i].slot, *from[i].slot, sizeof (float) * from[i].numel);
    }
  copy->tokenizer = NULL;
  return g_steal_pointer (&copy);
}

/* Row s of an array of arrays of ids. */
static int *
read_row (JsonArray *rows,
          int        s,
          int       *n)
{
  JsonArray *row = sub (rows, s);
  int *ids;

  *n = (int) json_array_get_length (row);
  ids = g_new0 (int, MAX (*n, 1));
  for (int i = 0; i < *n; i++)
    ids[i] = (int) json_array_get_int_element (row, i);
  return ids;
}

/* The trainer on expected.json's "train" batch; FALSE on a mismatch. */
static gboolean
check_training (TriadModel *model,
                JsonObject *train)
{
  g_autoptr (GError) error = NULL;
  g_autoptr (TriadModel) copy = NULL;
  g_autoptr (TriadBatch) batch = triad_batch_new ();
  g_autoptr (TriadTrainer) trainer = NULL;
  g_autoptr (GPtrArray) groups = g_ptr_array_new_with_free_func (g_free);
  g_autofree TriadTensorSpec *gspecs = NULL;
  g_autofree float *first = NULL;
  JsonArray *src_rows, *tgt_rows, *label_rows;
  JsonObject *exp_grads;
  TriadTrainOptions opt;
  GradGroup *overall;
  double want_loss, loss, loss_only;
  int n_seq, n_specs, n_labelled = 0, n_src_total = 0, n_tgt_total = 0;
  size_t n_params = 0, off;
  gboolean ok = TRUE, repeat_same = TRUE;

  src_rows = json_object_get_array_member (train, "src");
  tgt_rows = json_object_get_array_member (train, "tgt");
  label_rows = json_object_get_array_member (train, "labels");
  exp_grads = json_object_get_object_member (train, "grads");
  want_loss = json_object_get_double_member (train, "loss");
  n_seq = (int) json_array_get_length (label_rows);
  if (n_seq == 0 || (int) json_array_get_length (src_rows) != n_seq ||
      (int) json_array_get_length (tgt_rows) != n_seq || exp_grads == NULL)
    {
      printf ("train: expected.json's batch is malformed\n");
      return FALSE;
    }

  for (int s = 0; s < n_seq; s++)
    {
      g_autofree int *src = NULL, *tgt = NULL, *labels = NULL;
      int ns, nt, nl;

      src = read_row (src_rows, s, &ns);
      tgt = read_row (tgt_rows, s, &nt);
      labels = read_row (label_rows, s, &nl);
      if (nl != (model->config.arch == TRIAD_ARCH_ENCODER ? ns : nt))
        {
          printf ("train: sequence %d has %d labels for %d source and %d target ids\n",
                  s, nl, ns, nt);
          return FALSE;
        }
      for (int i = 0; i < nl; i++)
        n_labelled += labels[i] >= 0;
      n_src_total += ns;
      n_tgt_total += nt;
      triad_batch_add (batch, ns ? src : NULL, ns, nt ? tgt : NULL, nt, labels);
    }
  printf ("train: %d sequences, %d source and %d target ids, %d labelled\n",
          n_seq, n_src_total, n_tgt_total, n_labelled);

  copy = owned_copy (model, &error);
  if (copy == NULL)
    {
      printf ("train: cannot copy the model: %s\n", error->message);
      return FALSE;
    }
  triad_train_options_init (&opt);
  trainer = triad_trainer_new (copy, &opt);
  loss = triad_trainer_forward_backward (trainer, batch, &error);
  if (error != NULL)
    {
      printf ("train: triad_trainer_forward_backward failed: %s\n", error->message);
      return FALSE;
    }

  gspecs = triad_tensor_table (&copy->config, triad_trainer_grads (trainer), &n_specs);
  if ((int) json_object_get_size (exp_grads) != n_specs)
    {
      printf ("train: expected.json has %u gradient tensors, the model %d\n",
              json_object_get_size (exp_grads), n_specs);
      ok = FALSE;
    }
  for (int i = 0; i < n_specs; i++)
    n_params += gspecs[i].numel;
  first = g_new (float, MAX (n_params, 1));
  off = 0;
  for (int i = 0; i < n_specs; i++)
    {
      const TriadTensorSpec *sp = &gspecs[i];
      const float *got = *sp->slot;
      char key[32];
      int layer;
      GradGroup *g;
      JsonArray *want;

      memcpy (first + off, got, sizeof (float) * sp->numel);
      off += sp->numel;
      grad_group_key (sp->name, key, sizeof key, &layer);
      g = grad_group_get (groups, key);
      if (!json_object_has_member (exp_grads, sp->name))
        {
          printf ("train: expected.json has no gradient for %s\n", sp->name);
          g->shape_error = TRUE;
          continue;
        }
      want = json_object_get_array_member (exp_grads, sp->name);
      if (want == NULL || json_array_get_length (want) != sp->numel)
        {
          printf ("train: the expected gradient of %s has %u entries, the tensor %zu\n",
                  sp->name, want ? json_array_get_length (want) : 0, sp->numel);
          g->shape_error = TRUE;
          continue;
        }
      for (size_t j = 0; j < sp->numel; j++)
        grad_group_add (g, sp->name, j, layer, got[j],
                        json_array_get_double_element (want, j));
    }

  /* Again: the gradients are zeroed first, so they come out the same. */
  if (!isfinite (triad_trainer_forward_backward (trainer, batch, &error)) || error != NULL)
    {
      printf ("train: the second triad_trainer_forward_backward failed: %s\n",
              error ? error->message : "the loss is not finite");
      return FALSE;
    }
  off = 0;
  for (int i = 0; i < n_specs; i++)
    {
      if (memcmp (first + off, *gspecs[i].slot, sizeof (float) * gspecs[i].numel) != 0)
        {
          printf ("train: a second forward-backward changed the gradient of %s\n",
                  gspecs[i].name);
          repeat_same = FALSE;
        }
      off += gspecs[i].numel;
    }
  loss_only = triad_trainer_loss (trainer, batch, &error);
  if (error != NULL)
    {
      printf ("train: triad_trainer_loss failed: %s\n", error->message);
      return FALSE;
    }

  printf ("  loss                       got %.8f, expected %.8f: |diff| %.3e (relative %.3e)%s\n",
          loss, want_loss, fabs (loss - want_loss), fabs (loss - want_loss) / fabs (want_loss),
          fabs (loss - want_loss) <= TOLERANCE ? "  ok" : "  FAIL");
  printf ("  loss (triad_trainer_loss)  |diff| from forward-backward %.3e%s\n",
          fabs (loss_only - loss), fabs (loss_only - loss) <= 1e-6 ? "  ok" : "  FAIL");
  if (!(fabs (loss - want_loss) <= TOLERANCE) || !(fabs (loss_only - loss) <= 1e-6))
    ok = FALSE;

  overall = g_new0 (GradGroup, 1);
  g_strlcpy (overall->name, "(all tensors)", sizeof overall->name);
  for (guint i = 0; i < groups->len; i++)
    {
      const GradGroup *g = g_ptr_array_index (groups, i);

      grad_group_report (g);
      if (!grad_group_ok (g))
        ok = FALSE;
      overall->shape_error |= g->shape_error;
      overall->max_grad = MAX (overall->max_grad, g->max_grad);
      if (g->worst != NULL && (g->max_diff > overall->max_diff || overall->worst == NULL))
        {
          overall->max_diff = g->max_diff;
          overall->worst = g->worst;
          overall->worst_index = g->worst_index;
          overall->got = g->got;
          overall->want = g->want;
        }
    }
  grad_group_report (overall);
  if (overall->worst != NULL)
    printf ("  largest gradient difference in %s[%zu]: got %.8g, expected %.8g\n",
            overall->worst, overall->worst_index, overall->got, overall->want);
  printf ("  gradients again (zeroed first)  %s\n", repeat_same ? "identical  ok" : "FAIL");
  ok = ok && repeat_same && grad_group_ok (overall);
  g_free (overall);
  return ok;
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
  JsonObject *root, *attention, *train = NULL;
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
  if (json_object_has_member (root, "train"))
    train = json_object_get_object_member (root, "train");

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

  /* The trainer: loss and gradients. */
  if (train == NULL)
    {
      printf ("expected.json has no \"train\" batch\n");
      ok = FALSE;
    }
  else if (!check_training (model, train))
    ok = FALSE;
  printf ("%s: %s (tolerance %g)\n", arch, ok ? "match" : "MISMATCH", TOLERANCE);
  return ok ? 0 : 1;
}
