/* test-formula.c — a head taken apart along softmax (Q Kᵀ / √d_k + mask) V: every step
 * checked against the formula worked here in double precision, the masks cell by cell, key
 * padding against the unpadded sentence. */
#include <math.h>

#include "engine/error.h"
#include "engine/formula.h"
#include "engine/tokenizer.h"
#include "test-common.h"

static TriadModel *
model_with_tokenizer (TriadArch arch,
                      guint64   seed)
{
  TriadModel *m = test_model (arch, seed);

  m->tokenizer = test_tokenizer (m->config.vocab_size);
  return m;
}

/* softmax (scaled + mask) of row i, worked out here in double precision */
static void
hand_softmax_row (const TriadFormulaTrace *t,
                  const TriadMask         *mask,
                  int                      i,
                  double                  *row)
{
  double max = -INFINITY, sum = 0;

  for (int j = 0; j < t->n; j++)
    {
      double s = 0;
      gboolean allowed;

      for (int d = 0; d < t->d_k; d++)
        s += (double) t->q[i * t->d_k + d] * t->k[j * t->d_k + d];
      s /= sqrt ((double) t->d_k);
      /* the mask, written out from its definition rather than asked of the engine */
      switch (mask->kind)
        {
        case TRIAD_MASK_CAUSAL: allowed = j <= i; break;
        case TRIAD_MASK_SLIDING: allowed = j <= i && j > i - mask->window; break;
        case TRIAD_MASK_PREFIX_LM: allowed = j < mask->prefix_len || j <= i; break;
        default: allowed = TRUE; break;
        }
      if (mask->key_valid != NULL && !mask->key_valid[j])
        allowed = FALSE;
      row[j] = allowed ? s : -INFINITY;
      max = MAX (max, row[j]);
    }
  for (int j = 0; j < t->n; j++)
    sum += row[j] = isinf (row[j]) ? 0 : exp (row[j] - max);
  for (int j = 0; j < t->n; j++)
    row[j] /= sum;
}

static void
check_weights (const TriadFormulaTrace *t,
               const TriadMask         *mask,
               const float             *weights)
{
  g_autofree double *row = g_new (double, t->n);

  for (int i = 0; i < t->n; i++)
    {
      double sum = 0;

      hand_softmax_row (t, mask, i, row);
      for (int j = 0; j < t->n; j++)
        {
          float w = weights[i * t->n + j];

          if (row[j] == 0)
            g_assert_true (w == 0.0f);       /* blocked: exactly zero */
          else
            g_assert_cmpfloat_with_epsilon (w, row[j], 1e-5);
          sum += w;
        }
      g_assert_cmpfloat_with_epsilon (sum, 1.0, 1e-5);
    }
}

static void
test_trace_steps (gconstpointer data)
{
  TriadArch arch = GPOINTER_TO_INT (data);
  g_autoptr(TriadModel) m = model_with_tokenizer (arch, 11);
  g_autoptr(GError) error = NULL;
  g_autoptr(TriadFormulaTrace) t = triad_formula_trace (m, "abc de", 1, 2, 0, NULL, &error);
  double sq = sqrt (16.0 / 4);

  g_assert_no_error (error);
  g_assert_cmpint (t->d_k, ==, 4);
  g_assert_cmpint (t->n, >=, 6);
  g_assert_cmpint (t->mask.kind, ==, arch == TRIAD_ARCH_DECODER ? TRIAD_MASK_CAUSAL
                                                                 : TRIAD_MASK_BIDIRECTIONAL);
  /* scores and scaled scores, Q Kᵀ by hand */
  for (int i = 0; i < t->n; i++)
    for (int j = 0; j < t->n; j++)
      {
        double s = 0;
        for (int d = 0; d < t->d_k; d++)
          s += (double) t->q[i * 4 + d] * t->k[j * 4 + d];
        g_assert_cmpfloat_with_epsilon (t->scores[i * t->n + j], s, 1e-4 * MAX (1, fabs (s)));
        g_assert_cmpfloat_with_epsilon (t->scaled[i * t->n + j], s / sq, 1e-4 * MAX (1, fabs (s)));
      }
  /* the engine's weights are the softmax of those under the model's mask: the captured Q and
   * K are the ones the model used */
  check_weights (t, &t->mask, t->weights);
  /* the output, weights times V by hand */
  for (int i = 0; i < t->n; i++)
    for (int d = 0; d < t->d_k; d++)
      {
        double o = 0;
        for (int j = 0; j < t->n; j++)
          o += (double) t->weights[i * t->n + j] * t->v[j * 4 + d];
        g_assert_cmpfloat_with_epsilon (t->out[i * 4 + d], o, 1e-5);
      }
}

static void
test_remask (void)
{
  g_autoptr(TriadModel) m = model_with_tokenizer (TRIAD_ARCH_DECODER, 12);
  g_autoptr(GError) error = NULL;
  g_autoptr(TriadFormulaTrace) t = triad_formula_trace (m, "abcdefgh", 0, 1, 0, NULL, &error);
  g_autofree float *w = NULL;
  TriadMask masks[] = {
    { .kind = TRIAD_MASK_CAUSAL },
    { .kind = TRIAD_MASK_SLIDING, .window = 3 },
    { .kind = TRIAD_MASK_SLIDING, .window = 1 },
    { .kind = TRIAD_MASK_PREFIX_LM, .prefix_len = 4 },
    { .kind = TRIAD_MASK_BIDIRECTIONAL },
  };

  g_assert_no_error (error);
  w = g_new (float, t->n * t->n);
  for (guint i = 0; i < G_N_ELEMENTS (masks); i++)
    {
      triad_formula_remask (t, &masks[i], w, NULL);
      check_weights (t, &masks[i], w);
    }
  /* the model's own mask again: the kernel gives back the weights the model computed */
  triad_formula_remask (t, &t->mask, w, NULL);
  for (int i = 0; i < t->n * t->n; i++)
    g_assert_cmpfloat_with_epsilon (w[i], t->weights[i], 1e-6);
  /* a window of one: each query sees itself alone */
  triad_formula_remask (t, &masks[2], w, NULL);
  for (int i = 0; i < t->n; i++)
    g_assert_cmpfloat (w[i * t->n + i], ==, 1.0f);
}

static void
test_key_padding (void)
{
  g_autoptr(TriadModel) m = model_with_tokenizer (TRIAD_ARCH_ENCODER, 13);
  g_autoptr(GError) error = NULL;
  g_autoptr(TriadFormulaTrace) plain = triad_formula_trace (m, "abc de", 1, 0, 0, NULL, &error);
  g_autoptr(TriadFormulaTrace) padded = triad_formula_trace (m, "abc de", 1, 0, 3, NULL, &error);
  int n = plain->n;

  g_assert_no_error (error);
  g_assert_cmpint (padded->n, ==, n + 3);
  g_assert_cmpstr (padded->tokens[n], ==, "<pad>");
  check_weights (padded, &padded->mask, padded->weights);
  for (int i = 0; i < padded->n; i++)
    for (int j = n; j < padded->n; j++)
      g_assert_true (padded->weights[i * padded->n + j] == 0.0f);
  /* masked in every layer, the pads change nothing for the sentence's own tokens */
  for (int i = 0; i < n; i++)
    for (int j = 0; j < n; j++)
      g_assert_cmpfloat_with_epsilon (padded->weights[i * padded->n + j], plain->weights[i * n + j], 1e-5);
}

static void
test_errors (void)
{
  g_autoptr(TriadModel) m = model_with_tokenizer (TRIAD_ARCH_DECODER, 14);
  g_autoptr(GError) error = NULL;
  TriadFormulaTrace *t;

  t = triad_formula_trace (m, "   ", 0, 0, 0, NULL, &error);
  g_assert_null (t);
  g_assert_error (error, TRIAD_ERROR, TRIAD_ERROR_INVALID_TEXT);
  g_clear_error (&error);
  t = triad_formula_trace (m, "abc", 5, 0, 0, NULL, &error);
  g_assert_null (t);
  g_assert_error (error, TRIAD_ERROR, TRIAD_ERROR_INVALID_ARGUMENT);
  g_clear_error (&error);
  t = triad_formula_trace (m, "abc", 0, 0, 2, NULL, &error);
  g_assert_null (t);
  g_assert_error (error, TRIAD_ERROR, TRIAD_ERROR_INVALID_ARGUMENT);
  g_clear_error (&error);
  t = triad_formula_trace (m, "abcdefghijklmnopqrstuvwxyzabcdefghijklmnopqrstuvwxyz", 0, 0, 0, NULL, &error);
  g_assert_null (t);
  g_assert_error (error, TRIAD_ERROR, TRIAD_ERROR_TOO_LONG);
}

int
main (int argc, char **argv)
{
  g_test_init (&argc, &argv, NULL);
  g_test_add_data_func ("/formula/steps/encoder", GINT_TO_POINTER (TRIAD_ARCH_ENCODER), test_trace_steps);
  g_test_add_data_func ("/formula/steps/decoder", GINT_TO_POINTER (TRIAD_ARCH_DECODER), test_trace_steps);
  g_test_add_func ("/formula/remask", test_remask);
  g_test_add_func ("/formula/key-padding", test_key_padding);
  g_test_add_func ("/formula/errors", test_errors);
  return g_test_run ();
}
