/* cli-inspect.c — `triad inspect`: what a model folder holds, and what opening it will take. */
#include "config.h"

#include "engine/i18n.h"

#include "cli/cli-private.h"

static const char *
norm_name (const TriadConfig *c)
{
  return c->norm == TRIAD_NORM_RMS ? "rmsnorm" : "layernorm";
}

static const char *
activation_name (const TriadConfig *c)
{
  const char *names[] = { [TRIAD_ACT_GELU] = "gelu", [TRIAD_ACT_GELU_TANH] = "gelu_tanh",
                          [TRIAD_ACT_RELU] = "relu", [TRIAD_ACT_SILU] = "silu" };
  return names[c->act];
}

int
triad_cli_inspect (int    argc,
                   char **argv,
                   FILE  *out,
                   FILE  *err)
{
  g_autoptr(GOptionContext) ctx = g_option_context_new (_("— describe a model"));
  g_auto(TriadCliInput) in = { 0 };
  g_autoptr(GString) json = g_string_new (NULL);
  const TriadModel *model;
  const TriadConfig *c;
  size_t kv_per_token;
  int status;
  TriadJson j;

  triad_cli_input_init (&in, "inspect");
  triad_cli_input_add_model (&in, ctx, "model", 'm',
                             N_("A model folder, or encoder, decoder, encdec"), NULL);
  if (!triad_cli_parse (ctx, &argc, &argv, err))
    return TRIAD_EXIT_USAGE;
  if ((status = triad_cli_input_check (&in, err)) != TRIAD_EXIT_OK
      || (status = triad_cli_input_load (&in, err)) != TRIAD_EXIT_OK)
    return status;
  model = in.models[0].model;
  c = &model->config;
  /* a K and a V row of every head, in every decoder layer, as 32-bit floats */
  kv_per_token = 2 * (size_t) c->n_dec_layers * triad_config_kv_dim (c) * sizeof (float);

  triad_json_init (&j, json);
  triad_json_begin_object (&j);
  triad_json_key (&j, "path");
  triad_json_string (&j, model->path != NULL ? model->path : "");
  triad_json_key (&j, "model_type");
  triad_json_string (&j, triad_config_is_triad (c) ? "triad" : c->model_type);
  triad_json_key (&j, "architecture");
  triad_json_string (&j, triad_arch_to_string (c->arch));
  triad_json_key (&j, "parameters");
  triad_json_int (&j, (gint64) model->n_params);
  triad_json_key (&j, "dtype");
  triad_json_string (&j, model->dtype != NULL ? model->dtype : "F32");
  triad_json_key (&j, "encoder_layers");
  triad_json_int (&j, c->n_enc_layers);
  triad_json_key (&j, "decoder_layers");
  triad_json_int (&j, c->n_dec_layers);
  triad_json_key (&j, "heads");
  triad_json_int (&j, c->n_heads);
  triad_json_key (&j, "kv_heads");
  triad_json_int (&j, triad_config_kv_heads (c));
  triad_json_key (&j, "head_dim");
  triad_json_int (&j, triad_config_head_dim (c));
  triad_json_key (&j, "dim");
  triad_json_int (&j, c->dim);
  triad_json_key (&j, "ffn_dim");
  triad_json_int (&j, c->ffn_dim);
  triad_json_key (&j, "vocab_size");
  triad_json_int (&j, c->vocab_size);
  triad_json_key (&j, "context");
  triad_json_int (&j, c->max_seq_len);
  triad_json_key (&j, "block");
  triad_json_begin_object (&j);
  triad_json_key (&j, "norm");
  triad_json_string (&j, norm_name (c));
  triad_json_key (&j, "norm_position");
  triad_json_string (&j, c->post_norm ? "post" : "pre");
  triad_json_key (&j, "positions");
  triad_json_string (&j, c->positions == TRIAD_POS_RELATIVE ? "relative"
                         : c->positions == TRIAD_POS_ROTARY ? "rotary" : "learned");
  triad_json_key (&j, "sliding_window");
  triad_json_int (&j, c->sliding_window);
  triad_json_key (&j, "activation");
  triad_json_string (&j, activation_name (c));
  triad_json_key (&j, "gated");
  triad_json_bool (&j, c->gated);
  triad_json_key (&j, "scaled_scores");
  triad_json_bool (&j, !c->unscaled);
  triad_json_end_object (&j);
  triad_json_key (&j, "tokenizer");
  if (model->tokenizer != NULL)
    {
      triad_json_begin_object (&j);
      triad_json_key (&j, "kind");
      triad_json_string (&j, triad_tokenizer_kind_to_string (triad_tokenizer_kind (model->tokenizer)));
      triad_json_key (&j, "vocab_size");
      triad_json_int (&j, triad_tokenizer_vocab_size (model->tokenizer));
      triad_json_end_object (&j);
    }
  else
    triad_json_null (&j);
  triad_json_key (&j, "memory");
  triad_json_begin_object (&j);
  triad_json_key (&j, "file_bytes");
  triad_json_int (&j, (gint64) model->file_bytes);
  triad_json_key (&j, "weights_bytes");
  triad_json_int (&j, (gint64) (model->n_params * sizeof (float)));
  triad_json_key (&j, "kv_cache_bytes_per_token");
  triad_json_int (&j, (gint64) kv_per_token);
  triad_json_key (&j, "kv_cache_bytes_at_context");
  triad_json_int (&j, (gint64) (kv_per_token * c->max_seq_len));
  triad_json_end_object (&j);
  triad_json_end_object (&j);
  triad_cli_emit (out, json);
  return TRIAD_EXIT_OK;
}
