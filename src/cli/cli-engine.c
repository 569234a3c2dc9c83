/* cli-engine.c — tokenize, attention, generate: the engine's results as JSON. */
#include "config.h"

#include <string.h>
#include "engine/i18n.h"

#include "cli/cli-private.h"
#include "engine/kvquant.h"
#include "engine/analysis.h"

static void
emit_token_list (TriadJson            *j,
                 const TriadTokenizer *tok,
                 const TriadEncoding  *enc)
{
  triad_json_begin_array (j);
  for (int i = 0; i < enc->n; i++)
    {
      g_autofree char *shown = triad_tokenizer_display (tok, enc->ids[i]);
      triad_json_string (j, shown);
    }
  triad_json_end_array (j);
}

int
triad_cli_tokenize (int    argc,
                    char **argv,
                    FILE  *out,
                    FILE  *err)
{
  g_autoptr(GOptionContext) ctx = g_option_context_new (_("— split text into tokens"));
  g_auto(TriadCliInput) in = { 0 };
  g_autoptr(GError) error = NULL;
  g_autoptr(TriadEncoding) enc = NULL;
  g_autoptr(GString) json = g_string_new (NULL);
  TriadModel *model;
  int status;
  TriadJson j;

  triad_cli_input_init (&in, "tokenize");
  triad_cli_input_add_model (&in, ctx, "model", 'm',
                             N_("A model folder, or encoder, decoder, encdec"), NULL);
  triad_cli_input_add_text (&in, ctx, "text", 't', N_("The text"),
                            N_("Read the text from a file (- for standard input)"));
  if (!triad_cli_parse (ctx, &argc, &argv, err))
    return TRIAD_EXIT_USAGE;
  if ((status = triad_cli_input_check (&in, err)) != TRIAD_EXIT_OK
      || (status = triad_cli_input_load (&in, err)) != TRIAD_EXIT_OK)
    return status;
  model = in.models[0].model;
  if ((enc = triad_tokenizer_encode (model->tokenizer, in.text, -1, TRUE, &error)) == NULL)
    return triad_cli_fail (err, "tokenize", error);

  triad_json_init (&j, json);
  triad_json_begin_object (&j);
  triad_json_key (&j, "n");
  triad_json_int (&j, enc->n);
  triad_json_key (&j, "tokens");
  triad_json_begin_array (&j);
  for (int i = 0; i < enc->n; i++)
    {
      g_autofree char *shown = triad_tokenizer_display (model->tokenizer, enc->ids[i]);

      triad_json_begin_object (&j);
      triad_json_key (&j, "id");
      triad_json_int (&j, enc->ids[i]);
      triad_json_key (&j, "piece");
      triad_json_string (&j, enc->pieces[i]);
      triad_json_key (&j, "text");
      triad_json_string (&j, shown);
      triad_json_key (&j, "start");
      triad_json_int (&j, enc->start[i]);
      triad_json_key (&j, "end");
      triad_json_int (&j, enc->end[i]);
      triad_json_end_object (&j);
    }
  triad_json_end_array (&j);
  triad_json_end_object (&j);
  triad_cli_emit (out, json);
  return TRIAD_EXIT_OK;
}

gboolean
triad_cli_kind_from_string (const char    *name,
                            TriadAttnKind *kind)
{
  TriadAttnKind k;

  if (g_strcmp0 (name, "self") == 0)
    k = TRIAD_ATTN_ENCODER_SELF;
  else if (g_strcmp0 (name, "decoder-self") == 0)
    k = TRIAD_ATTN_DECODER_SELF;
  else if (g_strcmp0 (name, "cross") == 0)
    k = TRIAD_ATTN_CROSS;
  else
    return FALSE;
  if (kind != NULL)
    *kind = k;
  return TRUE;
}

static const char *
kind_name (TriadAttnKind kind)
{
  switch (kind)
    {
    case TRIAD_ATTN_ENCODER_SELF: return "self";
    case TRIAD_ATTN_DECODER_SELF: return "decoder-self";
    case TRIAD_ATTN_CROSS: return "cross";
    default: return "unknown";
    }
}

/* The token ids of an encoding, [] for none. */
static void
emit_ids (TriadJson           *j,
          const TriadEncoding *enc)
{
  triad_json_begin_array (j);
  for (int i = 0; enc != NULL && i < enc->n; i++)
    triad_json_int (j, enc->ids[i]);
  triad_json_end_array (j);
}

int
triad_cli_attention (int    argc,
                     char **argv,
                     FILE  *out,
                     FILE  *err)
{
  g_autoptr(GOptionContext) ctx = g_option_context_new (_("— print attention weights"));
  g_auto(TriadCliInput) in = { 0 };
  g_autoptr(GError) error = NULL;
  g_autoptr(TriadAttentionMap) map = NULL;
  g_autoptr(GString) json = g_string_new (NULL);
  g_autofree char *target = NULL, *kind_arg = NULL;
  int layer = -1, head = -1, status;
  TriadModel *model;
  TriadAttnKind kind;
  TriadJson j;
  GOptionEntry entries[] = {
    { "target", 0, 0, G_OPTION_ARG_FILENAME, &target,
      N_("The decoder’s text for an encoder-decoder (default: the model’s own translation)"),
      N_("TEXT") },
    { "layer", 'l', 0, G_OPTION_ARG_INT, &layer, N_("The layer (default: all)"), N_("L") },
    { "head", 'h', 0, G_OPTION_ARG_INT, &head, N_("The head (default: all)"), N_("H") },
    { "kind", 'k', 0, G_OPTION_ARG_STRING, &kind_arg,
      N_("self, decoder-self or cross (default: self)"), N_("KIND") },
    { NULL }
  };

  triad_cli_input_init (&in, "attention");
  triad_cli_input_add_model (&in, ctx, "model", 'm',
                             N_("A model folder, or encoder, decoder, encdec"), NULL);
  triad_cli_input_add_text (&in, ctx, "text", 't', N_("The input text"),
                            N_("Read the input text from a file (- for standard input)"));
  g_option_context_add_main_entries (ctx, entries, GETTEXT_PACKAGE);
  if (!triad_cli_parse (ctx, &argc, &argv, err))
    return TRIAD_EXIT_USAGE;
  if ((status = triad_cli_input_check (&in, err)) != TRIAD_EXIT_OK)
    return status;
  if (layer < -1 || head < -1)
    return triad_cli_usage_error (err, "attention", _("--layer and --head count from 0"));
  if (kind_arg != NULL && !triad_cli_kind_from_string (kind_arg, NULL))
    return triad_cli_usage_error (err, "attention",
                                  _("--kind must be self, decoder-self or cross, not “%s”"),
                                  kind_arg);
  if ((status = triad_cli_input_load (&in, err)) != TRIAD_EXIT_OK)
    return status;
  model = in.models[0].model;

  kind = triad_attention_default_kind (model);
  if (kind_arg != NULL && strcmp (kind_arg, "self") != 0)
    triad_cli_kind_from_string (kind_arg, &kind);
  if (layer >= triad_attention_n_layers (model, kind))
    return triad_cli_usage_error (err, "attention", _("Layer %d does not exist: this attention has layers 0 to %d"),
                                  layer, triad_attention_n_layers (model, kind) - 1);
  if (head >= model->config.n_heads)
    return triad_cli_usage_error (err, "attention", _("Head %d does not exist: this model has heads 0 to %d"),
                                  head, model->config.n_heads - 1);
  /* one matrix when both are named; otherwise all of them */
  if (layer < 0 || head < 0)
    layer = head = -1;

  map = triad_attention_map_compute (model, in.text, target, kind, layer, head, NULL, &error);
  if (map == NULL)
    return triad_cli_fail (err, "attention", error);

  triad_json_init (&j, json);
  triad_json_begin_object (&j);
  triad_json_key (&j, "model");
  triad_json_string (&j, triad_arch_to_string (map->arch));
  triad_json_key (&j, "tokens");
  emit_token_list (&j, model->tokenizer, map->src);
  triad_json_key (&j, "target_tokens");
  if (map->tgt != NULL)
    emit_token_list (&j, model->tokenizer, map->tgt);
  else
    triad_json_begin_array (&j), triad_json_end_array (&j);
  triad_json_key (&j, "ids");
  emit_ids (&j, map->src);
  triad_json_key (&j, "target_ids");
  emit_ids (&j, map->tgt);
  triad_json_key (&j, "query_tokens");
  emit_token_list (&j, model->tokenizer, map->queries);
  triad_json_key (&j, "key_tokens");
  emit_token_list (&j, model->tokenizer, map->keys);
  triad_json_key (&j, "kind");
  triad_json_string (&j, kind_name (kind));
  triad_json_key (&j, "layer");
  layer >= 0 ? triad_json_int (&j, layer) : triad_json_null (&j);
  triad_json_key (&j, "head");
  head >= 0 ? triad_json_int (&j, head) : triad_json_null (&j);
  triad_json_key (&j, "weights");
  if (layer >= 0)
    triad_json_matrix (&j, map->cap.weights, map->cap.n_q, map->cap.n_k);
  else
    {
      triad_json_begin_array (&j);
      for (int l = 0; l < map->cap.n_layers; l++)
        {
          triad_json_begin_array (&j);
          for (int h = 0; h < map->cap.n_heads; h++)
            triad_json_matrix (&j, triad_capture_matrix (&map->cap, l, h),
                               map->cap.n_q, map->cap.n_k);
          triad_json_end_array (&j);
        }
      triad_json_end_array (&j);
    }
  triad_json_end_object (&j);
  triad_cli_emit (out, json);
  return TRIAD_EXIT_OK;
}

typedef struct {
  FILE                 *out;
  const TriadTokenizer *tok;
} GenerateOutput;

static gboolean
print_step (const TriadStepEvent *ev,
            gpointer              user_data)
{
  GenerateOutput *go = user_data;
  g_autoptr(GString) json = g_string_new (NULL);
  g_autofree char *shown = triad_tokenizer_display (go->tok, ev->token);
  TriadJson j;

  triad_json_init (&j, json);
  triad_json_begin_object (&j);
  triad_json_key (&j, "step");
  triad_json_int (&j, ev->step);
  triad_json_key (&j, "position");
  triad_json_int (&j, ev->position);
  triad_json_key (&j, "token");
  triad_json_int (&j, ev->token);
  triad_json_key (&j, "piece");
  triad_json_string (&j, ev->piece);
  triad_json_key (&j, "text");
  triad_json_string (&j, shown);
  triad_json_key (&j, "prob");
  triad_json_float (&j, ev->prob);
  triad_json_key (&j, "kv_bytes");
  triad_json_int (&j, ev->kv_bytes);
  triad_json_key (&j, "cross_kv_bytes");
  triad_json_int (&j, ev->cross_bytes);
  triad_json_key (&j, "usec");
  triad_json_int (&j, ev->usec);
  triad_json_end_object (&j);
  triad_cli_emit (go->out, json);
  return TRUE;
}

int
triad_cli_generate (int    argc,
                    char **argv,
                    FILE  *out,
                    FILE  *err)
{
  g_autoptr(GOptionContext) ctx = g_option_context_new (_("— generate text"));
  g_auto(TriadCliInput) in = { 0 };
  g_autoptr(GError) error = NULL;
  g_autoptr(TriadState) state = NULL;
  g_autoptr(TriadEncoding) prompt = NULL;
  TriadModel *model;
  int max_tokens = 20, top_k = 0, status;
  double temperature = 0.0;
  gint64 seed = 0;
  g_autofree char *kv_dtype_arg = NULL;
  TriadDtype kv_dtype = TRIAD_DTYPE_F32;
  TriadGenerateOptions opt = { 0 };
  GenerateOutput go;
  GOptionEntry entries[] = {
    { "max-tokens", 'n', 0, G_OPTION_ARG_INT, &max_tokens,
      N_("Tokens to generate at most (default 20)"), N_("N") },
    { "temperature", 'T', 0, G_OPTION_ARG_DOUBLE, &temperature,
      N_("Sampling temperature; 0 picks the most likely token (default 0)"), N_("T") },
    { "top-k", 'k', 0, G_OPTION_ARG_INT, &top_k,
      N_("Sample from the K most likely tokens only (default: all)"), N_("K") },
    { "seed", 's', 0, G_OPTION_ARG_INT64, &seed, N_("Random seed for sampling"), N_("S") },
    { "kv-dtype", 0, 0, G_OPTION_ARG_STRING, &kv_dtype_arg,
      N_("Store the KV cache as f32 (default), f16, bf16, int8 or int4, and report what that "
         "changes against f32"), N_("TYPE") },
    { NULL }
  };

  triad_cli_input_init (&in, "generate");
  triad_cli_input_add_model (&in, ctx, "model", 'm', N_("A model folder, or decoder, encdec"),
                             NULL);
  triad_cli_input_add_text (&in, ctx, "prompt", 'p',
                            N_("The prompt (the source text for an encoder-decoder)"),
                            N_("Read the prompt from a file (- for standard input)"));
  g_option_context_add_main_entries (ctx, entries, GETTEXT_PACKAGE);
  if (!triad_cli_parse (ctx, &argc, &argv, err))
    return TRIAD_EXIT_USAGE;
  if ((status = triad_cli_input_check (&in, err)) != TRIAD_EXIT_OK)
    return status;
  if (max_tokens < 1 || max_tokens > 1000000)
    return triad_cli_usage_error (err, "generate",
                                  _("--max-tokens must be between 1 and 1000000"));
  if (!(temperature >= 0.0 && temperature <= 100.0))
    return triad_cli_usage_error (err, "generate", _("--temperature must be between 0 and 100"));
  if (top_k < 0)
    return triad_cli_usage_error (err, "generate", _("--top-k cannot be negative"));
  if (kv_dtype_arg != NULL
      && (!triad_dtype_from_string (kv_dtype_arg, &kv_dtype) || !triad_kv_dtype_supported (kv_dtype)))
    return triad_cli_usage_error (err, "generate",
                                  _("--kv-dtype must be f32, f16, bf16, int8 or int4, not “%s”"),
                                  kv_dtype_arg);
  if ((status = triad_cli_input_load (&in, err)) != TRIAD_EXIT_OK)
    return status;
  model = in.models[0].model;
  if (model->config.arch == TRIAD_ARCH_ENCODER)
    return triad_cli_usage_error (err, "generate",
                                  _("An encoder-only model does not generate: use a decoder or an encoder-decoder"));

  prompt = triad_model_encode (model, in.text,
                               model->config.arch == TRIAD_ARCH_ENCDEC
                               ? TRIAD_ATTN_ENCODER_SELF : TRIAD_ATTN_DECODER_SELF, &error);
  if (prompt == NULL)
    return triad_cli_fail (err, "generate", error);

  /* the first line describes the prompt; then a line a step */
  {
    g_autoptr(GString) json = g_string_new (NULL);
    TriadJson j;

    triad_json_init (&j, json);
    triad_json_begin_object (&j);
    triad_json_key (&j, "prompt");
    triad_json_string (&j, in.text);
    triad_json_key (&j, "prompt_tokens");
    triad_json_int (&j, prompt->n);
    triad_cli_json_unknown_words (&j, in.text);
    triad_json_end_object (&j);
    triad_cli_emit (out, json);
  }

  opt.max_tokens = max_tokens;
  opt.temperature = (float) temperature;
  opt.top_k = top_k;
  opt.seed = (guint64) seed;
  go.out = out;
  go.tok = model->tokenizer;
  state = triad_state_new (model);
  if (!triad_state_set_kv_dtype (state, kv_dtype))
    return triad_cli_usage_error (err, "generate", _("This model’s heads cannot be stored as %s"),
                                  kv_dtype_arg);
  if (!triad_generate (state, prompt->ids, prompt->n, &opt, print_step, &go, NULL, NULL, &error))
    return triad_cli_fail (err, "generate", error);
  if (kv_dtype_arg != NULL)
    {
      /* the last line: what the format changed, against an f32 cache on the same text */
      g_autoptr(GString) json = g_string_new (NULL);
      TriadKvQuantReport r;
      TriadJson j;

      if (!triad_kv_quant_compare (model, prompt->ids, prompt->n, max_tokens, kv_dtype, &r,
                                   NULL, &error))
        return triad_cli_fail (err, "generate", error);
      triad_json_init (&j, json);
      triad_json_begin_object (&j);
      triad_json_key (&j, "kv_dtype");
      triad_json_string (&j, triad_dtype_to_string (kv_dtype));
      triad_json_key (&j, "kv_bytes");
      triad_json_int (&j, (gint64) r.bytes);
      triad_json_key (&j, "kv_bytes_f32");
      triad_json_int (&j, (gint64) r.bytes_f32);
      triad_json_key (&j, "max_attention_difference");
      triad_json_double (&j, r.max_weight_diff);
      triad_json_key (&j, "at_layer");
      triad_json_int (&j, r.worst_layer);
      triad_json_key (&j, "at_head");
      triad_json_int (&j, r.worst_head);
      triad_json_key (&j, "predictions");
      triad_json_int (&j, r.steps);
      triad_json_key (&j, "greedy_changes");
      triad_json_int (&j, r.changed);
      triad_json_end_object (&j);
      triad_cli_emit (out, json);
    }
  return TRIAD_EXIT_OK;
}
