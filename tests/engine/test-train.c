/* test-train.c — the backward pass against finite differences, and AdamW at work. */
#include "config.h"

#include <math.h>

#include "engine/error.h"
#include "engine/train.h"
#include "test-common.h"

/* rotary: q and k turned by their positions (RoPE, base 100 so that ten positions turn the
 * slowest pair of each 4-wide head by more than a tenth of a turn) instead of learned rows */
static TriadModel *
tiny_model_positions (TriadArch arch,
                      guint64   seed,
                      gboolean  segments,
                      gboolean  rotary)
{
  TriadConfig c = {
    .arch = arch, .vocab_size = 13, .dim = 8, .n_heads = 2, .ffn_dim = 12,
    .max_seq_len = 10, .norm_eps = 1e-5f, .segment_positions = segments,
    .n_enc_layers = arch == TRIAD_ARCH_DECODER ? 0 : 2,
    .n_dec_layers = arch == TRIAD_ARCH_ENCODER ? 0 : 2,
    .positions = rotary ? TRIAD_POS_ROTARY : TRIAD_POS_LEARNED,
    .rope_theta = rotary ? 100.0f : 0.0f,
  };
  g_autoptr(GError) error = NULL;
  TriadModel *m = triad_model_new_random (&c, seed, &error);
  g_autoptr(GRand) rng = g_rand_new_with_seed ((guint32) seed);
  g_autofree TriadTensorSpec *specs = NULL;
  int n;

  g_assert_no_error (error);
  /* weights of order 0.3, and biases and LayerNorm away from their defaults, so that every
   * path carries gradient */
  specs = triad_tensor_table (&m->config, &m->weights, &n);
  for (int i = 0; i < n; i++)
    for (size_t j = 0; j < specs[i].numel; j++)
      (*specs[i].slot)[j] = (float) g_rand_double_range (rng, -0.5, 0.5)
                            + (strstr (specs[i].name, "ln_") || strstr (specs[i].name, ".norm.w")
                               ? 1.0f : 0.0f);
  return m;
}

static TriadModel *
tiny_model_full (TriadArch arch,
                 guint64   seed,
                 gboolean  segments)
{
  return tiny_model_positions (arch, seed, segments, FALSE);
}

static TriadModel *
tiny_model (TriadArch arch,
            guint64   seed)
{
  return tiny_model_full (arch, seed, FALSE);
}

/* Three sequences of different lengths, so packing and per-sequence attention are tested. */
static TriadBatch *
tiny_batch (TriadArch arch)
{
  TriadBatch *b = triad_batch_new ();
  const int s0[] = { 2, 7, 8, 9, 3 }, s1[] = { 2, 10, 11, 3 }, s2[] = { 2, 6, 7, 12, 12, 9, 3 };
  const int t0[] = { 2, 6, 9 }, t1[] = { 2, 12, 7, 8, 11 }, t2[] = { 2, 10 };
  const int *src[] = { s0, s1, s2 }, *tgt[] = { t0, t1, t2 };
  const int ns[] = { 5, 4, 7 }, nt[] = { 3, 5, 2 };

  for (int s = 0; s < 3; s++)
    {
      int labels[16];

      if (arch == TRIAD_ARCH_ENCODER)
        {
          /* masked-token style: some positions predict, others do not */
          for (int i = 0; i < ns[s]; i++)
            labels[i] = i % 2 == 1 ? src[s][i] : -1;
          triad_batch_add (b, src[s], ns[s], NULL, 0, labels);
        }
      else
        {
          /* next token: label i is token i + 1; the last predicts <eos> */
          for (int i = 0; i < nt[s]; i++)
            labels[i] = i + 1 < nt[s] ? tgt[s][i + 1] : TRIAD_TOKEN_EOS;
          if (arch == TRIAD_ARCH_DECODER)
            triad_batch_add (b, NULL, 0, tgt[s], nt[s], labels);
          else
            triad_batch_add (b, src[s], ns[s], tgt[s], nt[s], labels);
        }
    }
  return b;
}

/* Central differences in double from float losses: (L(w + h) - L(w - h)) / 2h with h = 1e-2;
 * the truncation error is O(h²) ≈ 1e-4 of the curvature, float rounding ≈ 1e-7 / h = 1e-5. */
static void
check_model_gradients (TriadModel *m,
                       TriadBatch *b)
{
  TriadArch arch = m->config.arch;
  g_autoptr(GError) error = NULL;
  g_autoptr(TriadTrainer) t = NULL;
  g_autofree TriadTensorSpec *specs = NULL, *gspecs = NULL;
  TriadTrainOptions opt;
  float loss;
  int n, checked = 0;
  double worst = 0;

  triad_train_options_init (&opt);
  t = triad_trainer_new (m, &opt);
  loss = triad_trainer_forward_backward (t, b, &error);
  g_assert_no_error (error);
  g_assert_true (isfinite (loss));
  /* the loss of a random model is near log (vocab) = log 13 = 2.56 */
  g_assert_cmpfloat (loss, >, 0.5);
  g_assert_cmpfloat (loss, <, 8.0);

  specs = triad_tensor_table (&m->config, &m->weights, &n);
  gspecs = triad_tensor_table (&m->config, triad_trainer_grads (t), &n);
  for (int i = 0; i < n; i++)
    {
      /* three entries of every tensor: first, middle, last */
      size_t picks[3] = { 0, specs[i].numel / 2, specs[i].numel - 1 };

      for (int k = 0; k < 3; k++)
        {
          float *w = *specs[i].slot + picks[k];
          float analytic = (*gspecs[i].slot)[picks[k]];
          float saved = *w, up, down;
          const float h = 1e-2f;
          double numeric, err;

          *w = saved + h;
          up = triad_trainer_loss (t, b, NULL);
          *w = saved - h;
          down = triad_trainer_loss (t, b, NULL);
          *w = saved;
          numeric = ((double) up - down) / (2 * h);
          err = fabs (numeric - analytic) / MAX (1e-2, fabs (numeric) + fabs (analytic));
          worst = MAX (worst, err);
          if (err > 2e-2)
            g_error ("%s[%zu]: analytic %g, numeric %g", specs[i].name, picks[k], analytic, numeric);
          checked++;
        }
    }
  g_test_message ("%s: %d gradients checked, worst relative error %.2g",
                  triad_arch_to_string (arch), checked, worst);
}

static void
check_gradients (TriadArch arch)
{
  g_autoptr(TriadModel) m = tiny_model (arch, 5 + arch);
  g_autoptr(TriadBatch) b = tiny_batch (arch);

  check_model_gradients (m, b);
}

/* Sentence pairs <bos> a b <sep> c d <eos> with positions restarting at <sep>: the gradients
 * of the position rows shared by both halves must still be right. */
static void
test_grad_segments (void)
{
  g_autoptr(TriadModel) m = tiny_model_full (TRIAD_ARCH_ENCODER, 12, TRUE);
  g_autoptr(TriadBatch) b = triad_batch_new ();
  const int s0[] = { 2, 7, 8, 5, 9, 10, 3 }, l0[] = { -1, 7, -1, -1, -1, 10, -1 };
  const int s1[] = { 2, 11, 5, 6, 12, 12, 3 }, l1[] = { -1, -1, -1, 6, 12, -1, -1 };

  triad_batch_add (b, s0, 7, NULL, 0, l0);
  triad_batch_add (b, s1, 7, NULL, 0, l1);
  check_model_gradients (m, b);
}

/* The trainer and the inference forward pass restart positions at <sep> alike: same loss. With
 * segments off, the same input gives another loss, so the rule is not a no-op. */
static void
test_segments_match_inference (void)
{
  const int ids[] = { 2, 7, 8, 5, 9, 10, 3 }, labels[] = { -1, 7, 8, -1, 9, 10, -1 };
  double losses[2];

  for (int segments = 0; segments < 2; segments++)
    {
      g_autoptr(TriadModel) m = tiny_model_full (TRIAD_ARCH_ENCODER, 4, segments);
      g_autoptr(TriadBatch) b = triad_batch_new ();
      g_autoptr(TriadState) s = triad_state_new (m);
      g_autoptr(TriadTrainer) t = NULL;
      TriadTrainOptions opt;
      int V = m->config.vocab_size, n = 0;
      double want = 0;

      triad_train_options_init (&opt);
      t = triad_trainer_new (m, &opt);
      triad_batch_add (b, ids, 7, NULL, 0, labels);
      g_assert_true (triad_encoder_forward (s, ids, 7, NULL, 0, NULL));
      triad_encoder_logits (s);
      for (int i = 0; i < 7; i++)
        if (labels[i] >= 0)
          {
            const float *row = s->logits + i * V;
            double sum = 0;
            for (int j = 0; j < V; j++)
              sum += exp (row[j]);
            want += log (sum) - row[labels[i]];
            n++;
          }
      want /= n;
      losses[segments] = triad_trainer_loss (t, b, NULL);
      g_assert_cmpfloat_with_epsilon (losses[segments], want, 1e-5);
    }
  g_assert_cmpfloat (fabs (losses[0] - losses[1]), >, 1e-4);
}

/* A decoder with rotary positions (the Training view's): the gradient goes back through the
 * rotation of q and k. */
static void
test_grad_rotary (void)
{
  g_autoptr(TriadModel) m = tiny_model_positions (TRIAD_ARCH_DECODER, 8, FALSE, TRUE);
  g_autoptr(TriadBatch) b = tiny_batch (TRIAD_ARCH_DECODER);

  check_model_gradients (m, b);
}

static void test_grad_encoder (void) { check_gradients (TRIAD_ARCH_ENCODER); }
static void test_grad_decoder (void) { check_gradients (TRIAD_ARCH_DECODER); }
static void test_grad_encdec (void) { check_gradients (TRIAD_ARCH_ENCDEC); }

/* The trainer's forward pass is the inference forward pass: same logits. */
static void
test_loss_matches_inference (gconstpointer rotary)
{
  g_autoptr(TriadModel) m = tiny_model_positions (TRIAD_ARCH_DECODER, 3, FALSE,
                                                  GPOINTER_TO_INT (rotary));
  g_autoptr(TriadBatch) b = triad_batch_new ();
  g_autoptr(TriadState) s = triad_state_new (m);
  g_autoptr(TriadTrainer) t = NULL;
  TriadTrainOptions opt;
  const int ids[] = { 2, 7, 8, 9, 10 };
  const int labels[] = { 7, 8, 9, 10, 3 };
  double want = 0;
  int V = m->config.vocab_size;

  triad_train_options_init (&opt);
  t = triad_trainer_new (m, &opt);
  triad_batch_add (b, NULL, 0, ids, 5, labels);
  g_assert_true (triad_decoder_forward (s, ids, 5, NULL, 0, NULL));
  /* cross-entropy by hand from the inference logits */
  for (int i = 0; i < 5; i++)
    {
      const float *row = s->logits + i * V;
      double sum = 0;
      for (int j = 0; j < V; j++)
        sum += exp (row[j]);
      want += log (sum) - row[labels[i]];
    }
  want /= 5;
  g_assert_cmpfloat_with_epsilon (triad_trainer_loss (t, b, NULL), want, 1e-5);
}

/* Memorising one batch: AdamW brings the loss down by far more than 30 % in 100 steps, and
 * two runs from the same seed end bit for bit the same. */
static void
test_adamw_learns (void)
{
  g_autoptr(TriadModel) a = tiny_model (TRIAD_ARCH_ENCDEC, 9);
  g_autoptr(TriadModel) b = tiny_model (TRIAD_ARCH_ENCDEC, 9);
  g_autoptr(TriadBatch) batch = tiny_batch (TRIAD_ARCH_ENCDEC);
  g_autoptr(TriadTrainer) ta = NULL, tb = NULL;
  TriadTrainOptions opt;
  float first = 0, last = 0;

  triad_train_options_init (&opt);
  opt.steps = 100;
  opt.warmup = 10;
  opt.lr = 1e-2f;
  ta = triad_trainer_new (a, &opt);
  tb = triad_trainer_new (b, &opt);
  for (int step = 0; step < 100; step++)
    {
      float la = triad_trainer_forward_backward (ta, batch, NULL);
      float lb = triad_trainer_forward_backward (tb, batch, NULL);
      g_assert_cmpfloat (la, ==, lb);
      if (step == 0)
        first = la;
      last = la;
      triad_trainer_update (ta, step);
      triad_trainer_update (tb, step);
    }
  g_test_message ("loss %.3f → %.3f", first, last);
  g_assert_cmpfloat (last, <, 0.3f * first);
  g_assert_cmpmem (a->owned, a->n_params * 4, b->owned, b->n_params * 4);
}

static void
test_schedule (void)
{
  TriadTrainOptions o;

  triad_train_options_init (&o);
  o.steps = 1100;
  o.warmup = 100;
  o.lr = 1e-3f;
  o.min_lr = 1e-4f;
  /* warm-up: step 0 → lr / 100; step 99 → lr */
  g_assert_cmpfloat_with_epsilon (triad_train_lr_at (&o, 0), 1e-5, 1e-9);
  g_assert_cmpfloat_with_epsilon (triad_train_lr_at (&o, 99), 1e-3, 1e-9);
  /* half way through the cosine: (lr + min_lr) / 2 = 5.5e-4; the end: min_lr */
  g_assert_cmpfloat_with_epsilon (triad_train_lr_at (&o, 600), 5.5e-4, 1e-8);
  g_assert_cmpfloat_with_epsilon (triad_train_lr_at (&o, 1100), 1e-4, 1e-9);
}

static void
test_bad_batch (void)
{
  g_autoptr(TriadModel) m = tiny_model (TRIAD_ARCH_DECODER, 3);
  g_autoptr(TriadBatch) b = triad_batch_new ();
  g_autoptr(TriadTrainer) t = NULL;
  g_autoptr(GError) error = NULL;
  TriadTrainOptions opt;
  const int ids[] = { 2, 7, 99 }, labels[] = { 7, 8, 3 }, none[] = { -1, -1, -1 };

  triad_train_options_init (&opt);
  t = triad_trainer_new (m, &opt);
  g_assert_true (isnan (triad_trainer_loss (t, b, &error)));
  g_assert_error (error, TRIAD_ERROR, TRIAD_ERROR_INVALID_ARGUMENT);
  g_clear_error (&error);
  triad_batch_add (b, NULL, 0, ids, 3, labels);
  g_assert_true (isnan (triad_trainer_loss (t, b, &error)));
  g_assert_error (error, TRIAD_ERROR, TRIAD_ERROR_INVALID_ARGUMENT);
  g_clear_error (&error);
  triad_batch_clear (b);
  triad_batch_add (b, NULL, 0, labels, 3, none);
  g_assert_true (isnan (triad_trainer_loss (t, b, &error)));
  g_assert_error (error, TRIAD_ERROR, TRIAD_ERROR_INVALID_ARGUMENT);
}

int
main (int argc, char *argv[])
{
  g_test_init (&argc, &argv, NULL);
  g_test_add_func ("/engine/train/gradients-encoder", test_grad_encoder);
  g_test_add_func ("/engine/train/gradients-decoder", test_grad_decoder);
  g_test_add_func ("/engine/train/gradients-encdec", test_grad_encdec);
  g_test_add_func ("/engine/train/gradients-segments", test_grad_segments);
  g_test_add_data_func ("/engine/train/loss-matches-inference", GINT_TO_POINTER (FALSE),
                        test_loss_matches_inference);
  g_test_add_data_func ("/engine/train/loss-matches-inference-rotary", GINT_TO_POINTER (TRUE),
                        test_loss_matches_inference);
  g_test_add_func ("/engine/train/gradients-rotary", test_grad_rotary);
  g_test_add_func ("/engine/train/segments-match-inference", test_segments_match_inference);
  g_test_add_func ("/engine/train/adamw-learns", test_adamw_learns);
  g_test_add_func ("/engine/train/schedule", test_schedule);
  g_test_add_func ("/engine/train/bad-batch", test_bad_batch);
  return g_test_run ();
}
