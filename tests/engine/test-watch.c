/* test-watch.c — a training run to watch: stepping in pieces is the same run, seeds repeat,
 * snapshots hold the evaluation's scores of the weights they were taken from. */
#include "config.h"

#include <math.h>

#include "engine/tasks.h"
#include "engine/watch.h"
#include "test-common.h"

/* A small run, quick enough to take several times: 100 steps of 4 sequences. */
static void
small_options (TriadWatchOptions *opt)
{
  triad_watch_options_init (opt, TRIAD_WATCH_INDUCTION);
  opt->steps = 100;
  opt->every = 25;
  opt->batch = 4;
  opt->dim = 32;
  opt->n_heads = 2;
  opt->ffn_dim = 64;
  opt->eval_examples = 4;
  opt->seed = 3;
}

static TriadWatch *
new_watch (const TriadWatchOptions *opt)
{
  g_autoptr(GError) error = NULL;
  TriadWatch *w = triad_watch_new (opt, &error);

  g_assert_no_error (error);
  g_assert_nonnull (w);
  return w;
}

static void
step (TriadWatch *w,
      int         n)
{
  g_autoptr(GError) error = NULL;

  g_assert_true (triad_watch_step (w, n, &error));
  g_assert_no_error (error);
}

static void
assert_same_snapshot (const TriadWatchSnapshot *a,
                      const TriadWatchSnapshot *b)
{
  int n_heads = a->n_layers * a->n_heads;

  g_assert_cmpint (a->step, ==, b->step);
  g_assert_true (memcmp (&a->loss, &b->loss, sizeof a->loss) == 0);
  g_assert_cmpint (a->n_q, ==, b->n_q);
  g_assert_cmpint (a->n_k, ==, b->n_k);
  g_assert_true (memcmp (a->scores, b->scores, sizeof (double) * n_heads) == 0);
  g_assert_true ((a->prev_scores == NULL) == (b->prev_scores == NULL));
  if (a->prev_scores != NULL)
    g_assert_true (memcmp (a->prev_scores, b->prev_scores, sizeof (double) * n_heads) == 0);
  g_assert_true (memcmp (a->probe, b->probe, sizeof (float) * n_heads * a->n_q * a->n_k) == 0);
  g_assert_cmpfloat (a->accuracy, ==, b->accuracy);
}

static void
assert_same_run (TriadWatch *a,
                 TriadWatch *b)
{
  g_autoptr(GArray) la = triad_watch_dup_losses (a);
  g_autoptr(GArray) lb = triad_watch_dup_losses (b);
  g_autoptr(GPtrArray) sa = triad_watch_dup_snapshots (a);
  g_autoptr(GPtrArray) sb = triad_watch_dup_snapshots (b);
  TriadModel *ma = triad_watch_get_model (a), *mb = triad_watch_get_model (b);

  g_assert_cmpuint (la->len, ==, lb->len);
  g_assert_true (memcmp (la->data, lb->data, sizeof (float) * la->len) == 0);
  g_assert_cmpuint (ma->n_params, ==, mb->n_params);
  g_assert_true (memcmp (ma->owned, mb->owned, sizeof (float) * ma->n_params) == 0);
  g_assert_cmpuint (sa->len, ==, sb->len);
  for (guint i = 0; i < sa->len; i++)
    assert_same_snapshot (g_ptr_array_index (sa, i), g_ptr_array_index (sb, i));
}

/* Pausing is not stepping for a while: 50 steps and 50 more are the 100 steps of an
 * uninterrupted run — the same losses, weights and snapshots, bit for bit. */
static void
test_resume (void)
{
  TriadWatchOptions opt;
  g_autoptr(TriadWatch) once = NULL, twice = NULL;
  g_autoptr(GPtrArray) snaps = NULL;

  small_options (&opt);
  once = new_watch (&opt);
  twice = new_watch (&opt);
  step (once, 100);
  step (twice, 50);
  g_assert_cmpint (triad_watch_get_step (twice), ==, 50);
  step (twice, 50);
  assert_same_run (once, twice);

  /* at steps 0, 25, 50, 75 and 100; the run ends at 100 however often it is stepped */
  snaps = triad_watch_dup_snapshots (once);
  g_assert_cmpuint (snaps->len, ==, 5);
  g_assert_cmpint (((TriadWatchSnapshot *) g_ptr_array_index (snaps, 4))->step, ==, 100);
  g_assert_true (triad_watch_is_done (once));
  step (once, 10);
  g_assert_cmpint (triad_watch_get_step (once), ==, 100);
}

/* The same seed, the same run; another seed, other weights and so another first loss. */
static void
test_seeded (void)
{
  TriadWatchOptions opt;
  g_autoptr(TriadWatch) a = NULL, b = NULL, c = NULL;
  g_autoptr(GArray) la = NULL, lc = NULL;

  small_options (&opt);
  a = new_watch (&opt);
  b = new_watch (&opt);
  step (a, 30);
  step (b, 30);
  assert_same_run (a, b);

  opt.seed = 4;
  c = new_watch (&opt);
  step (c, 30);
  la = triad_watch_dup_losses (a);
  lc = triad_watch_dup_losses (c);
  g_assert_cmpfloat (g_array_index (la, float, 0), !=, g_array_index (lc, float, 0));
}

/* A snapshot's scores are the evaluation's (triad_task_induction_scores with the evaluation's
 * seed) of the weights at its step: a second run stopped at step 50 scores exactly the
 * snapshot the first took at 50 while it went on to 75; and its best head is the highest. */
static void
test_scores_are_the_evaluation (void)
{
  TriadWatchOptions opt;
  g_autoptr(TriadWatch) run = NULL, stopped = NULL;
  g_autoptr(GPtrArray) snaps = NULL;
  g_autoptr(GRand) rng = g_rand_new_with_seed (TRIAD_TASK_EVAL_SEED);
  g_autoptr(TriadToyWorld) world = triad_toy_world_new ();
  g_autoptr(GError) error = NULL;
  const TriadWatchSnapshot *at50;
  double prev[4], induct[4], accuracy;

  small_options (&opt);
  run = new_watch (&opt);
  stopped = new_watch (&opt);
  step (run, 75);
  step (stopped, 50);
  snaps = triad_watch_dup_snapshots (run);
  at50 = g_ptr_array_index (snaps, 2);
  g_assert_cmpint (at50->step, ==, 50);
  g_assert_cmpint (at50->n_layers * at50->n_heads, ==, 4);

  g_assert_true (triad_task_induction_scores (triad_watch_get_model (stopped), world, rng,
                                              opt.eval_examples, prev, induct, &accuracy,
                                              &error));
  g_assert_no_error (error);
  for (int i = 0; i < 4; i++)
    {
      g_assert_cmpfloat (at50->scores[i], ==, induct[i]);
      g_assert_cmpfloat (at50->prev_scores[i], ==, prev[i]);
      if (i >= 2)
        g_assert_cmpfloat (at50->scores[i], <=, triad_watch_snapshot_best (at50));
    }
  g_assert_cmpint (at50->best_layer, ==, 1);
  g_assert_cmpfloat (at50->accuracy, ==, accuracy);
}

/* Before any step the weights are N(0, 0.02): the scores q·k are about 0, so each causal row
 * of the probe's maps is uniform, query p giving 1/(p + 1) to each of its keys (within 0.01),
 * and nothing to the keys after it. The probe is <bos> and 8 words said twice: 17 tokens. */
static void
test_first_snapshot_uniform (void)
{
  TriadWatchOptions opt;
  g_autoptr(TriadWatch) w = NULL;
  g_autoptr(GPtrArray) snaps = NULL;
  const TriadWatchSnapshot *s0;
  const char * const *tokens;

  small_options (&opt);
  w = new_watch (&opt);
  snaps = triad_watch_dup_snapshots (w);
  g_assert_cmpuint (snaps->len, ==, 1);
  s0 = g_ptr_array_index (snaps, 0);
  g_assert_cmpint (s0->step, ==, 0);
  g_assert_true (isnan (s0->loss));
  g_assert_cmpint (s0->n_q, ==, 17);
  g_assert_cmpint (s0->n_k, ==, 17);
  tokens = triad_watch_get_probe_tokens (w, FALSE);
  for (int i = 1; i <= 8; i++)
    g_assert_cmpstr (tokens[i], ==, tokens[i + 8]);
  for (int l = 0; l < s0->n_layers; l++)
    for (int h = 0; h < s0->n_heads; h++)
      {
        const float *a = triad_watch_snapshot_map (s0, l, h);

        for (int p = 0; p < s0->n_q; p++)
          for (int k = 0; k < s0->n_k; k++)
            g_assert_cmpfloat_with_epsilon (a[p * s0->n_k + k], k <= p ? 1.0 / (p + 1) : 0.0,
                                            0.01);
      }
}

/* The other two tasks watch other attention, scored as their own functions score it on the same
 * weights, and their probes have the shapes their architectures give: translation, the
 * encoder-decoder's cross-attention, <bos> and the Russian tokens asking, the English tokens
 * and <eos> answering; agreement, the encoder's self-attention over a Russian sentence with its
 * verb hidden — exactly one <mask>. At step 0 (weights N(0, 0.02)) every row is uniform over its
 * keys: 1/n_k, nothing causal in either. */
static void
test_other_tasks (gconstpointer data)
{
  TriadWatchTask task = GPOINTER_TO_INT (data);
  TriadWatchOptions opt;
  g_autoptr(TriadWatch) w = NULL;
  g_autoptr(GPtrArray) snaps = NULL;
  g_autoptr(GRand) rng = g_rand_new_with_seed (TRIAD_TASK_EVAL_SEED);
  g_autoptr(TriadToyWorld) world = triad_toy_world_new ();
  g_autoptr(GError) error = NULL;
  const TriadWatchSnapshot *s0, *last;
  const char * const *q, * const *k;
  double scores[4], accuracy;
  int n_q = 0, n_k = 0, masks = 0;

  small_options (&opt);
  opt.task = task;
  opt.steps = 25;
  w = new_watch (&opt);
  step (w, 25);
  snaps = triad_watch_dup_snapshots (w);
  g_assert_cmpuint (snaps->len, ==, 2);
  s0 = g_ptr_array_index (snaps, 0);
  last = g_ptr_array_index (snaps, 1);
  g_assert_cmpint (last->task, ==, task);
  g_assert_cmpint (last->n_layers, ==, 2);
  g_assert_null (last->prev_scores);

  q = triad_watch_get_probe_tokens (w, FALSE);
  k = triad_watch_get_probe_tokens (w, TRUE);
  n_q = g_strv_length ((char **) q);
  n_k = g_strv_length ((char **) k);
  g_assert_cmpint (s0->n_q, ==, n_q);
  g_assert_cmpint (s0->n_k, ==, n_k);
  g_assert_cmpstr (q[0], ==, "<bos>");
  if (task == TRIAD_WATCH_TRANSLATION)
    {
      g_assert_cmpstr (k[n_k - 1], ==, "<eos>");
      g_assert_cmpint (n_q, !=, n_k);
    }
  else
    {
      g_assert_cmpint (n_q, ==, n_k);
      for (int i = 0; i < n_q; i++)
        masks += g_strcmp0 (q[i], "<mask>") == 0;
      g_assert_cmpint (masks, ==, 1);
    }
  for (int l = 0; l < s0->n_layers; l++)
    for (int h = 0; h < s0->n_heads; h++)
      {
        const float *a = triad_watch_snapshot_map (s0, l, h);
        for (int i = 0; i < n_q * n_k; i++)
          g_assert_cmpfloat_with_epsilon (a[i], 1.0 / n_k, 0.01);
      }

  if (task == TRIAD_WATCH_TRANSLATION)
    g_assert_true (triad_task_alignment_scores (triad_watch_get_model (w), world, rng,
                                                opt.eval_examples, scores, &accuracy, &error));
  else
    g_assert_true (triad_task_agreement_scores (triad_watch_get_model (w), world, rng,
                                                opt.eval_examples, scores, &accuracy, &error));
  g_assert_no_error (error);
  for (int i = 0; i < 4; i++)
    {
      g_assert_cmpfloat (last->scores[i], ==, scores[i]);
      g_assert_cmpfloat (last->scores[i], <=, triad_watch_snapshot_best (last));
    }
  g_assert_cmpfloat (last->accuracy, ==, accuracy);
}

/* The phase change's rule: a head past layer 0 at 0.4 or more and the second saying right half
 * the time; any of them alone is not it. */
static void
test_formed_rule (void)
{
  double scores[4] = { 0.9, 0.1, 0.1, 0.45 };
  TriadWatchSnapshot s = { .n_layers = 2, .n_heads = 2, .scores = scores, .best_layer = 1,
                           .best_head = 1, .accuracy = 0.6 };

  g_assert_true (triad_watch_snapshot_formed (&s));
  /* layer 0's 0.9 is no induction head */
  s.best_layer = 0, s.best_head = 0;
  g_assert_false (triad_watch_snapshot_formed (&s));
  s.best_layer = 1, s.best_head = 1;
  s.accuracy = 0.3;
  g_assert_false (triad_watch_snapshot_formed (&s));
  s.accuracy = 0.6;
  scores[3] = 0.35;
  g_assert_false (triad_watch_snapshot_formed (&s));
}

int
main (int    argc,
      char **argv)
{
  g_test_init (&argc, &argv, NULL);
  g_test_add_func ("/engine/watch/resume", test_resume);
  g_test_add_func ("/engine/watch/seeded", test_seeded);
  g_test_add_func ("/engine/watch/scores-are-the-evaluation", test_scores_are_the_evaluation);
  g_test_add_func ("/engine/watch/first-snapshot-uniform", test_first_snapshot_uniform);
  g_test_add_func ("/engine/watch/formed-rule", test_formed_rule);
  g_test_add_data_func ("/engine/watch/translation", GINT_TO_POINTER (TRIAD_WATCH_TRANSLATION),
                        test_other_tasks);
  g_test_add_data_func ("/engine/watch/agreement", GINT_TO_POINTER (TRIAD_WATCH_AGREEMENT),
                        test_other_tasks);
  return g_test_run ();
}
