/* cli-train.c — train, evaluate, translate, predict: the shipped models and the toy world. */
#include "config.h"

#include <errno.h>
#include <math.h>
#include <stdio.h>
#include <string.h>
#include <cblas.h>
#include "engine/i18n.h"
#include <glib/gstdio.h>

#include "cli/cli-private.h"
#include "engine/tasks.h"
#include "engine/train.h"

/* 100 million parameters: 1.6 GB while training */
#define MAX_TRAIN_PARAMS 100000000

/* openblas_set_num_threads is OpenBLAS's own; declared here so the build needs no
 * OpenBLAS-specific header. */
extern void openblas_set_num_threads (int num_threads);

typedef struct {
  int dim, heads, enc_layers, dec_layers, ffn, max_seq_len, steps, batch, warmup;
  double lr;
} ArchDefaults;

/* Each shipped model: under 2 M parameters. The encoder's and decoder's positions reach far
 * beyond the toy sentences so the app can show attention over long inputs. */
static const ArchDefaults arch_defaults[] = {
  [TRIAD_ARCH_ENCODER] = { 128, 4, 4, 0, 512, 4096, 12000, 32, 400, 1e-3 },
  [TRIAD_ARCH_DECODER] = { 128, 4, 0, 4, 512, 1024, 12000, 32, 400, 1e-3 },
  [TRIAD_ARCH_ENCDEC] = { 128, 4, 3, 3, 512, 128, 12000, 32, 400, 1e-3 },
};

static void
metrics_json (TriadJson              *j,
              const TriadTaskMetrics *m)
{
  triad_json_begin_object (j);
  triad_json_key (j, "arch");
  triad_json_string (j, triad_arch_to_string (m->arch));
  triad_json_key (j, "examples");
  triad_json_int (j, m->n_examples);
  switch (m->arch)
    {
    case TRIAD_ARCH_ENCODER:
      triad_json_key (j, "masked_accuracy");
      triad_json_double (j, m->masked_accuracy);
      triad_json_key (j, "verb_agreement");
      triad_json_double (j, m->verb_agreement);
      break;
    case TRIAD_ARCH_DECODER:
      triad_json_key (j, "translation_exact");
      triad_json_double (j, m->translation_exact);
      triad_json_key (j, "repeat_accuracy");
      triad_json_double (j, m->repeat_accuracy);
      triad_json_key (j, "previous_token_head");
      triad_json_begin_object (j);
      triad_json_key (j, "layer");
      triad_json_int (j, m->prev_layer);
      triad_json_key (j, "head");
      triad_json_int (j, m->prev_head);
      triad_json_key (j, "score");
      triad_json_double (j, m->prev_score);
      triad_json_end_object (j);
      triad_json_key (j, "induction_head");
      triad_json_begin_object (j);
      triad_json_key (j, "layer");
      triad_json_int (j, m->induction_layer);
      triad_json_key (j, "head");
      triad_json_int (j, m->induction_head);
      triad_json_key (j, "score");
      triad_json_double (j, m->induction_score);
      triad_json_end_object (j);
      break;
    case TRIAD_ARCH_ENCDEC:
      triad_json_key (j, "translation_exact");
      triad_json_double (j, m->translation_exact);
      triad_json_key (j, "alignment_head");
      triad_json_begin_object (j);
      triad_json_key (j, "layer");
      triad_json_int (j, m->align_layer);
      triad_json_key (j, "head");
      triad_json_int (j, m->align_head);
      triad_json_key (j, "accuracy");
      triad_json_double (j, m->align_accuracy);
      triad_json_end_object (j);
      break;
    }
  triad_json_end_object (j);
}

static char *
metrics_markdown (const TriadTaskMetrics *m)
{
  switch (m->arch)
    {
    case TRIAD_ARCH_ENCODER:
      return g_strdup_printf ("| masked-token accuracy | %.1f %% | ≥ 90 %% |\n"
                              "| Russian verb agrees with its subject (verb masked) | %.1f %% | ≥ 95 %% |\n",
                              100 * m->masked_accuracy, 100 * m->verb_agreement);
    case TRIAD_ARCH_DECODER:
      return g_strdup_printf ("| translation by prompt, exact match | %.1f %% | ≥ 80 %% |\n"
                              "| next token on the second repeat of an unseen sequence | %.1f %% | ≥ 90 %% |\n"
                              "| previous-token head: layer %d, head %d, mean attention to the previous token | %.2f | |\n"
                              "| induction head: layer %d, head %d, mean attention to the token after the earlier occurrence | %.2f | ≥ 0.4 |\n",
                              100 * m->translation_exact, 100 * m->repeat_accuracy,
                              m->prev_layer, m->prev_head, m->prev_score,
                              m->induction_layer, m->induction_head, m->induction_score);
    case TRIAD_ARCH_ENCDEC:
      return g_strdup_printf ("| translation, exact match | %.1f %% | ≥ 90 %% |\n"
                              "| cross-attention head layer %d, head %d: most-attended source word is the aligned one | %.1f %% | ≥ 80 %% |\n",
                              100 * m->translation_exact, m->align_layer, m->align_head,
                              100 * m->align_accuracy);
    default:
      return g_strdup ("");
    }
}

static gboolean
write_training_md (const char             *dir,
                   const char             *command,
                   const TriadModel       *model,
                   guint64                 seed,
                   int                     steps,
                   int                     threads,
                   double                  seconds,
                   const GArray           *curve,
                   const TriadTaskMetrics *m,
                   GError                **error)
{
  g_autoptr(GString) md = g_string_new (NULL);
  g_autofree char *path = g_build_filename (dir, "TRAINING.md", NULL);
  g_autofree char *table = metrics_markdown (m);
  const TriadConfig *c = &model->config;
  int every = MAX (1, (int) curve->len / 20);

  g_string_append_printf (md, "# How this model was trained\n\n"
                          "Triad’s %s model, trained by Triad’s own trainer on the bilingual toy world.\n\n"
                          "```sh\n%s\n```\n\n", triad_arch_to_string (c->arch), command);
  g_string_append_printf (md, "| | |\n| --- | --- |\n"
                          "| seed | %" G_GUINT64_FORMAT " |\n| steps | %d |\n| threads | %d |\n"
                          "| wall time | %.1f min on %s |\n"
                          "| parameters | %zu |\n| dim, heads, ffn | %d, %d, %d |\n"
                          "| encoder layers, decoder layers | %d, %d |\n| positions | %d |\n"
                          "| vocabulary | %d |\n\n",
                          seed, steps, threads, seconds / 60, "a 2-core x86-64 machine",
                          model->n_params, c->dim, c->n_heads, c->ffn_dim,
                          c->n_enc_layers, c->n_dec_layers, c->max_seq_len, c->vocab_size);
  g_string_append (md, "## Loss\n\nThe whole curve is in `loss.csv` (step, loss, learning rate, "
                       "gradient norm, seconds).\n\n| step | loss |\n| ---: | ---: |\n");
  for (guint i = 0; i < curve->len; i += every)
    g_string_append_printf (md, "| %u | %.4f |\n", i, g_array_index (curve, float, i));
  if (curve->len > 0)
    g_string_append_printf (md, "| %u | %.4f |\n", curve->len - 1,
                            g_array_index (curve, float, curve->len - 1));
  g_string_append_printf (md, "\n## Held-out metrics\n\n"
                          "Measured on %d examples of the held-out split (word combinations never "
                          "seen in training), by `triad evaluate --model %s`.\n\n"
                          "| metric | measured | bar |\n| --- | ---: | ---: |\n%s",
                          m->n_examples, dir, table);
  return g_file_set_contents (path, md->str, md->len, error);
}

int
triad_cli_train (int    argc,
                 char **argv,
                 FILE  *out,
                 FILE  *err)
{
  g_autoptr(GOptionContext) ctx = g_option_context_new (_("— train a model on the toy world"));
  g_autoptr(GError) error = NULL;
  g_autoptr(TriadToyWorld) world = NULL;
  g_autoptr(TriadModel) model = NULL;
  g_autoptr(TriadTrainer) trainer = NULL;
  g_autoptr(TriadBatch) batch = NULL;
  g_autoptr(GRand) rng = NULL;
  g_autoptr(GArray) curve = g_array_new (FALSE, FALSE, sizeof (float));
  g_autoptr(GString) csv = g_string_new ("step,loss,lr,grad_norm,seconds\n");
  g_autoptr(GString) command = g_string_new ("triad");
  g_autoptr(GString) json = g_string_new (NULL);
  g_autofree char *arch_name = NULL, *out_dir = NULL, *csv_path = NULL;
  g_autofree char *task_name = NULL, *snapshots = NULL;
  int every = 0;
  gint64 seed = 1;
  int steps = 0, layers = 0, heads = 0, dim = 0, ffn = 0, batch_size = 0, threads = 1;
  int eval_examples = 300, max_seq_len = 0, warmup = -1, log_every = 100;
  double lr = 0;
  TriadArch arch;
  TriadConfig config = { 0 };
  TriadTrainOptions opt;
  TriadTaskMetrics metrics;
  TriadJson j;
  gint64 t0;
  GOptionEntry entries[] = {
    { "arch", 'a', 0, G_OPTION_ARG_STRING, &arch_name, N_("encoder, decoder or encdec"), N_("ARCH") },
    { "out", 'o', 0, G_OPTION_ARG_FILENAME, &out_dir, N_("The model folder to write"), N_("DIR") },
    { "steps", 'n', 0, G_OPTION_ARG_INT, &steps, N_("Optimiser steps"), N_("N") },
    { "seed", 's', 0, G_OPTION_ARG_INT64, &seed, N_("Random seed (default 1)"), N_("S") },
    { "layers", 0, 0, G_OPTION_ARG_INT, &layers, N_("Layers (in each stack)"), N_("L") },
    { "heads", 0, 0, G_OPTION_ARG_INT, &heads, N_("Attention heads"), N_("H") },
    { "dim", 0, 0, G_OPTION_ARG_INT, &dim, N_("Model width"), N_("D") },
    { "ffn", 0, 0, G_OPTION_ARG_INT, &ffn, N_("Width of the MLP (default 4 × dim)"), N_("F") },
    { "max-seq-len", 0, 0, G_OPTION_ARG_INT, &max_seq_len, N_("Positions"), N_("T") },
    { "batch", 'b', 0, G_OPTION_ARG_INT, &batch_size, N_("Sequences per step"), N_("B") },
    { "lr", 0, 0, G_OPTION_ARG_DOUBLE, &lr, N_("Peak learning rate"), N_("LR") },
    { "warmup", 0, 0, G_OPTION_ARG_INT, &warmup, N_("Warm-up steps"), N_("N") },
    { "threads", 't', 0, G_OPTION_ARG_INT, &threads, N_("Threads for matrix products (default 1)"), N_("N") },
    { "eval-examples", 0, 0, G_OPTION_ARG_INT, &eval_examples,
      N_("Held-out examples to evaluate at the end (default 300; 0: none)"), N_("N") },
    { "log-every", 0, 0, G_OPTION_ARG_INT, &log_every, N_("Print the loss every N steps"), N_("N") },
    { "task", 0, 0, G_OPTION_ARG_STRING, &task_name,
      N_("Watch a small model learn a task, with snapshots: induction, translation or agreement"), N_("TASK") },
    { "snapshots", 0, 0, G_OPTION_ARG_FILENAME, &snapshots,
      N_("With --task: the folder to write the snapshots to"), N_("DIR") },
    { "every", 0, 0, G_OPTION_ARG_INT, &every,
      N_("With --task: a snapshot every N steps (default 25)"), N_("N") },
    { NULL }
  };

  for (int i = 0; i < argc; i++)
    {
      g_autofree char *quoted = g_shell_quote (argv[i]);
      g_string_append_printf (command, " %s", strchr (argv[i], ' ') ? quoted : argv[i]);
    }

  g_option_context_add_main_entries (ctx, entries, GETTEXT_PACKAGE);
  if (!triad_cli_parse (ctx, &argc, &argv, err))
    return TRIAD_EXIT_USAGE;
  if (task_name != NULL || snapshots != NULL || every != 0)
    {
      TriadWatchTask task;
      TriadWatchOptions wopt;

      if (task_name == NULL || !triad_watch_task_from_string (task_name, &task))
        return triad_cli_usage_error (err, "train",
                                      _("--task must be induction, translation or agreement"));
      if (snapshots == NULL)
        return triad_cli_usage_error (err, "train", _("--snapshots is required with --task"));
      if (arch_name != NULL || out_dir != NULL)
        return triad_cli_usage_error (err, "train",
                                      _("--task trains its own model: leave out --arch and --out"));
      triad_watch_options_init (&wopt, task);
      if (every < 0 || every > 1000000 || steps < 0 || steps > 1000000 || threads < 1
          || threads > 256 || batch_size < 0 || batch_size > 4096 || layers < 0 || layers > 16
          || heads < 0 || heads > 64 || dim < 0 || dim > 1024 || !(lr >= 0 && lr < 1))
        return triad_cli_usage_error (err, "train", _("A number is out of range"));
      wopt.seed = (guint64) seed;
      wopt.every = every > 0 ? every : wopt.every;
      wopt.steps = steps > 0 ? steps : wopt.steps;
      wopt.batch = batch_size > 0 ? batch_size : wopt.batch;
      wopt.n_layers = layers > 0 ? layers : wopt.n_layers;
      wopt.n_heads = heads > 0 ? heads : wopt.n_heads;
      wopt.dim = dim > 0 ? dim : wopt.dim;
      wopt.ffn_dim = ffn > 0 ? ffn : wopt.ffn_dim;
      wopt.lr = lr > 0 ? lr : wopt.lr;
      wopt.warmup = warmup >= 0 ? warmup : wopt.warmup;
      if (wopt.dim % wopt.n_heads != 0)
        return triad_cli_usage_error (err, "train", _("--dim must be a multiple of --heads"));
      openblas_set_num_threads (threads);
      return triad_cli_train_watch (&wopt, snapshots, log_every, out, err);
    }
  if (arch_name == NULL || !triad_arch_from_string (arch_name, &arch))
    return triad_cli_usage_error (err, "train", _("--arch must be encoder, decoder or encdec"));
  if (out_dir == NULL)
    return triad_cli_usage_error (err, "train", _("--out is required"));
  if (steps < 0 || steps > 10000000 || layers < 0 || layers > 64 || heads < 0 || dim < 0
      || dim > 4096 || ffn < 0 || batch_size < 0 || batch_size > 4096 || threads < 1
      || threads > 256 || eval_examples < 0 || eval_examples > 1000000 || max_seq_len < 0
      || log_every < 1 || !(lr >= 0 && lr < 1))
    return triad_cli_usage_error (err, "train", _("A number is out of range"));

  {
    const ArchDefaults *d = &arch_defaults[arch];

    config.arch = arch;
    config.dim = dim > 0 ? dim : d->dim;
    config.n_heads = heads > 0 ? heads : d->heads;
    config.ffn_dim = ffn > 0 ? ffn : (dim > 0 ? 4 * dim : d->ffn);
    config.max_seq_len = max_seq_len > 0 ? max_seq_len : d->max_seq_len;
    config.n_enc_layers = d->enc_layers > 0 ? (layers > 0 ? layers : d->enc_layers) : 0;
    config.n_dec_layers = d->dec_layers > 0 ? (layers > 0 ? layers : d->dec_layers) : 0;
    config.norm_eps = 1e-5f;
    /* the encoder reads sentence pairs: their aligned words share positions */
    config.segment_positions = arch == TRIAD_ARCH_ENCODER;
    triad_train_options_init (&opt);
    opt.steps = steps > 0 ? steps : d->steps;
    opt.lr = lr > 0 ? lr : d->lr;
    opt.min_lr = opt.lr / 10;
    opt.warmup = warmup >= 0 ? MIN (warmup, opt.steps) : MIN (d->warmup, opt.steps / 10);
    batch_size = batch_size > 0 ? batch_size : d->batch;
  }

  openblas_set_num_threads (threads);
  world = triad_toy_world_new ();
  model = g_new0 (TriadModel, 1);
  {
    g_autoptr(TriadTokenizer) tok = triad_task_tokenizer (world, &error);
    if (tok == NULL)
      return triad_cli_fail (err, "train", error);
    config.vocab_size = triad_tokenizer_vocab_size (tok);
    /* each parameter takes 16 bytes while training (weight, gradient, two moments): a bound
     * that keeps a large --dim and --layers an error, not an allocation that fails */
    if (triad_config_validate (&config, NULL)
        && triad_config_n_params (&config) > MAX_TRAIN_PARAMS)
      return triad_cli_usage_error (err, "train",
                                    _("The model would have %zu parameters; train takes at "
                                      "most %d million"),
                                    triad_config_n_params (&config), MAX_TRAIN_PARAMS / 1000000);
    g_clear_pointer (&model, triad_model_free);
    model = triad_model_new_random (&config, (guint64) seed, &error);
    if (model == NULL)
      return triad_cli_usage_error (err, "train", "%s", error->message);
    model->tokenizer = g_steal_pointer (&tok);
  }
  if (g_mkdir_with_parents (out_dir, 0755) != 0)
    {
      int saved = errno;
      g_set_error (&error, TRIAD_ERROR, TRIAD_ERROR_CHECKPOINT,
                   _("Could not create the folder “%s”: %s"), out_dir, g_strerror (saved));
      return triad_cli_fail (err, "train", error);
    }

  fprintf (err, _("Training the %s model: %zu parameters, %d steps of %d sequences"),
           triad_arch_to_string (arch), model->n_params, opt.steps, batch_size);
  fputc ('\n', err);

  trainer = triad_trainer_new (model, &opt);
  batch = triad_batch_new ();
  /* the data's seed follows the model's; the held-out split and the evaluation have their own */
  rng = g_rand_new_with_seed ((guint32) (seed * 2654435761u + 1));
  t0 = g_get_monotonic_time ();
  for (int step = 0; step < opt.steps; step++)
    {
      float loss, norm;
      double seconds;

      triad_batch_clear (batch);
      if (!triad_task_fill_batch (arch, world, model->tokenizer, rng, TRIAD_TOY_TRAIN, batch_size,
                                  batch, &error))
        return triad_cli_fail (err, "train", error);
      loss = triad_trainer_forward_backward (trainer, batch, &error);
      if (isnan (loss))
        return triad_cli_fail (err, "train", error);
      norm = triad_trainer_update (trainer, step);
      seconds = (g_get_monotonic_time () - t0) / 1e6;
      g_array_append_val (curve, loss);
      g_string_append_printf (csv, "%d,%.5f,%.3g,%.4f,%.1f\n", step, loss,
                              triad_train_lr_at (&opt, step), norm, seconds);
      if (step % log_every == 0 || step == opt.steps - 1)
        {
          fprintf (err, "step %6d/%d  loss %.4f  lr %.2e  |g| %.3f  %.0f s\n", step, opt.steps,
                   loss, triad_train_lr_at (&opt, step), norm, seconds);
          fflush (err);
        }
    }

  csv_path = g_build_filename (out_dir, "loss.csv", NULL);
  if (!g_file_set_contents (csv_path, csv->str, csv->len, &error)
      || !triad_model_save (model, out_dir, &error))
    return triad_cli_fail (err, "train", error);

  memset (&metrics, 0, sizeof metrics);
  metrics.arch = arch;
  if (eval_examples > 0 && !triad_task_evaluate (model, world, eval_examples, &metrics, &error))
    return triad_cli_fail (err, "train", error);
  if (!write_training_md (out_dir, command->str, model, (guint64) seed, opt.steps, threads,
                          (g_get_monotonic_time () - t0) / 1e6, curve, &metrics, &error))
    return triad_cli_fail (err, "train", error);

  triad_json_init (&j, json);
  triad_json_begin_object (&j);
  triad_json_key (&j, "out");
  triad_json_string (&j, out_dir);
  triad_json_key (&j, "parameters");
  triad_json_int (&j, model->n_params);
  triad_json_key (&j, "first_loss");
  triad_json_float (&j, g_array_index (curve, float, 0));
  triad_json_key (&j, "last_loss");
  triad_json_float (&j, g_array_index (curve, float, curve->len - 1));
  triad_json_key (&j, "seconds");
  triad_json_double (&j, (g_get_monotonic_time () - t0) / 1e6);
  triad_json_key (&j, "metrics");
  metrics_json (&j, &metrics);
  triad_json_end_object (&j);
  triad_cli_emit (out, json);
  return TRIAD_EXIT_OK;
}

int
triad_cli_evaluate (int    argc,
                    char **argv,
                    FILE  *out,
                    FILE  *err)
{
  g_autoptr(GOptionContext) ctx = g_option_context_new (_("— measure a model on the held-out split"));
  g_auto(TriadCliInput) in = { 0 };
  g_autoptr(GError) error = NULL;
  g_autoptr(TriadToyWorld) world = NULL;
  g_autoptr(GString) json = g_string_new (NULL);
  int examples = 300, status;
  TriadTaskMetrics m;
  TriadJson j;
  GOptionEntry entries[] = {
    { "examples", 'n', 0, G_OPTION_ARG_INT, &examples, N_("Held-out examples (default 300)"), N_("N") },
    { NULL }
  };

  triad_cli_input_init (&in, "evaluate");
  triad_cli_input_add_model (&in, ctx, "model", 'm',
                             N_("A model folder, or encoder, decoder, encdec"), NULL);
  g_option_context_add_main_entries (ctx, entries, GETTEXT_PACKAGE);
  if (!triad_cli_parse (ctx, &argc, &argv, err))
    return TRIAD_EXIT_USAGE;
  if ((status = triad_cli_input_check (&in, err)) != TRIAD_EXIT_OK)
    return status;
  if (examples < 1 || examples > 1000000)
    return triad_cli_usage_error (err, "evaluate", _("--examples must be between 1 and 1000000"));
  if ((status = triad_cli_input_load (&in, err)) != TRIAD_EXIT_OK)
    return status;
  world = triad_toy_world_new ();
  if (!triad_task_evaluate (in.models[0].model, world, examples, &m, &error))
    return triad_cli_fail (err, "evaluate", error);
  triad_json_init (&j, json);
  metrics_json (&j, &m);
  triad_cli_emit (out, json);
  return TRIAD_EXIT_OK;
}

int
triad_cli_translate (int    argc,
                     char **argv,
                     FILE  *out,
                     FILE  *err)
{
  g_autoptr(GOptionContext) ctx = g_option_context_new (_("— translate English into Russian"));
  g_auto(TriadCliInput) in = { 0 };
  g_autoptr(GError) error = NULL;
  g_autofree char *result = NULL;
  g_autoptr(GString) json = g_string_new (NULL);
  TriadModel *model;
  const char *text;
  int status;
  TriadJson j;

  triad_cli_input_init (&in, "translate");
  triad_cli_input_add_model (&in, ctx, "model", 'm',
                             N_("encdec (default) or decoder, or a model folder"), "encdec");
  triad_cli_input_add_text (&in, ctx, "text", 't', N_("The English text"),
                            N_("Read the text from a file (- for standard input)"));
  if (!triad_cli_parse (ctx, &argc, &argv, err))
    return TRIAD_EXIT_USAGE;
  if ((status = triad_cli_input_load (&in, err)) != TRIAD_EXIT_OK)
    return status;
  model = in.models[0].model;
  text = in.text;
  if (model->config.arch == TRIAD_ARCH_ENCODER)
    return triad_cli_usage_error (err, "translate",
                                  _("An encoder-only model does not translate: use encdec or decoder"));
  if ((result = triad_task_translate (model, text, &error)) == NULL)
    return triad_cli_fail (err, "translate", error);
  triad_json_init (&j, json);
  triad_json_begin_object (&j);
  triad_json_key (&j, "source");
  triad_json_string (&j, text);
  triad_json_key (&j, "translation");
  triad_json_string (&j, result);
  triad_cli_json_unknown_words (&j, text);
  triad_json_end_object (&j);
  triad_cli_emit (out, json);
  return TRIAD_EXIT_OK;
}

int
triad_cli_predict (int    argc,
                   char **argv,
                   FILE  *out,
                   FILE  *err)
{
  g_autoptr(GOptionContext) ctx = g_option_context_new (_("— fill in each <mask>"));
  g_auto(TriadCliInput) in = { 0 };
  g_autoptr(GError) error = NULL;
  g_autoptr(TriadState) state = NULL;
  g_autoptr(TriadEncoding) enc = NULL;
  g_autoptr(GString) json = g_string_new (NULL);
  TriadModel *model;
  const char *text;
  int top = 5, n_masks = 0, status;
  TriadJson j;
  GOptionEntry entries[] = {
    { "top", 'k', 0, G_OPTION_ARG_INT, &top, N_("Candidates per mask (default 5)"), N_("K") },
    { NULL }
  };

  triad_cli_input_init (&in, "predict");
  triad_cli_input_add_model (&in, ctx, "model", 'm', N_("encoder (default), or a model folder"),
                             "encoder");
  triad_cli_input_add_text (&in, ctx, "text", 't', N_("Text with <mask> in it"),
                            N_("Read the text from a file (- for standard input)"));
  g_option_context_add_main_entries (ctx, entries, GETTEXT_PACKAGE);
  if (!triad_cli_parse (ctx, &argc, &argv, err))
    return TRIAD_EXIT_USAGE;
  if (top < 1 || top > 100)
    return triad_cli_usage_error (err, "predict", _("--top must be between 1 and 100"));
  if ((status = triad_cli_input_load (&in, err)) != TRIAD_EXIT_OK)
    return status;
  model = in.models[0].model;
  text = in.text;
  if (model->config.arch != TRIAD_ARCH_ENCODER)
    return triad_cli_usage_error (err, "predict",
                                  _("Filling in <mask> is the encoder-only model’s task"));
  if ((enc = triad_model_encode (model, text, TRIAD_ATTN_ENCODER_SELF, &error)) == NULL)
    return triad_cli_fail (err, "predict", error);
  for (int i = 0; i < enc->n; i++)
    n_masks += enc->ids[i] == TRIAD_TOKEN_MASK;
  if (n_masks == 0)
    return triad_cli_usage_error (err, "predict", _("The text has no <mask> to fill in"));

  state = triad_state_new (model);
  if (!triad_encoder_forward (state, enc->ids, enc->n, NULL, 0, &error))
    return triad_cli_fail (err, "predict", error);
  triad_encoder_logits (state);

  triad_json_init (&j, json);
  triad_json_begin_object (&j);
  triad_json_key (&j, "masks");
  triad_json_begin_array (&j);
  for (int i = 0; i < enc->n; i++)
    {
      const float *row = state->logits + (size_t) i * model->config.vocab_size;
      int V = model->config.vocab_size;
      g_autofree int *order = NULL;
      double max = -INFINITY, sum = 0;

      if (enc->ids[i] != TRIAD_TOKEN_MASK)
        continue;
      /* the top candidates by a partial selection: K passes over the row */
      order = g_new (int, top);
      for (int v = 0; v < V; v++)
        max = MAX (max, row[v]);
      for (int v = 0; v < V; v++)
        sum += exp (row[v] - max);
      for (int k = 0; k < top; k++)
        {
          int best = -1;
          for (int v = 0; v < V; v++)
            {
              gboolean taken = FALSE;
              for (int q = 0; q < k; q++)
                taken |= order[q] == v;
              if (!taken && (best < 0 || row[v] > row[best]))
                best = v;
            }
          order[k] = best;
        }
      triad_json_begin_object (&j);
      triad_json_key (&j, "position");
      triad_json_int (&j, i);
      triad_json_key (&j, "candidates");
      triad_json_begin_array (&j);
      for (int k = 0; k < top && order[k] >= 0; k++)
        {
          g_autofree char *shown = triad_tokenizer_display (model->tokenizer, order[k]);
          triad_json_begin_object (&j);
          triad_json_key (&j, "token");
          triad_json_int (&j, order[k]);
          triad_json_key (&j, "text");
          triad_json_string (&j, shown);
          triad_json_key (&j, "prob");
          triad_json_float (&j, (float) (exp (row[order[k]] - max) / sum));
          triad_json_end_object (&j);
        }
      triad_json_end_array (&j);
      triad_json_end_object (&j);
    }
  triad_json_end_array (&j);
  triad_cli_json_unknown_words (&j, text);
  triad_json_end_object (&j);
  triad_cli_emit (out, json);
  return TRIAD_EXIT_OK;
}
