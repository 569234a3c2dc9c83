/* kv-scene-live.c — the KV Cache view's live run computed: a decoder over a prompt, stepped
 * in a worker thread, its steps handed to the scene on the main thread. The window's page
 * steps it one at a time as asked; `triad export --view kv` takes --steps of it at once. */
#include "config.h"

#include <string.h>

#include "engine/error.h"
#include "engine/i18n.h"
#include "scenes/kv-scene.h"
#include "scenes/kv-scene-private.h"

/* Sampling, when asked for: this temperature over the whole vocabulary, from a fixed seed so
 * that starting again replays the same text. */
#define SAMPLING_TEMPERATURE 0.8f
#define SAMPLING_SEED        1

/* A real model's name as people know it: "openai-community/gpt2" for a folder of the Hugging
 * Face cache (…/models--openai-community--gpt2/snapshots/REV), else the folder's own name. */
static char *
model_name (const TriadModel *model)
{
  g_autofree char *dir = NULL, *parent = NULL, *repo = NULL;

  if (model->path == NULL)
    return g_strdup (model->config.model_type);
  dir = g_path_get_dirname (model->path);
  parent = g_path_get_basename (dir);
  if (g_str_equal (parent, "snapshots"))
    {
      g_autofree char *up = g_path_get_dirname (dir);

      repo = g_path_get_basename (up);
      if (g_str_has_prefix (repo, "models--"))
        {
          g_auto(GStrv) parts = g_strsplit (repo + strlen ("models--"), "--", -1);

          return g_strjoinv ("/", parts);
        }
    }
  return g_path_get_basename (model->path);
}

void
triad_kv_scene_set_live_decoder (TriadKvScene     *s,
                                 const TriadModel *decoder)
{
  g_return_if_fail (s != NULL && decoder != NULL);

  g_free (s->live_name);
  s->live_name = triad_config_is_triad (&decoder->config) ? NULL : model_name (decoder);
  /* Triad's own decoders begin with <bos> (triad_model_encode); GPT-2 adds none */
  s->live_bos = triad_config_is_triad (&decoder->config);
  s->live_kv_heads = triad_config_kv_heads (&decoder->config);
  s->live_head_dim = triad_config_head_dim (&decoder->config);
  s->live_max_seq = decoder->config.max_seq_len;
  s->live_dtype = TRIAD_DTYPE_F32;
  g_clear_pointer (&s->quant, triad_kv_quant_view_free);
  g_clear_pointer (&s->live_preset, triad_llm_preset_free);
  s->live_preset = triad_kv_scene_preset_of (decoder, s->live_name);
}

TriadLlmPreset *
triad_kv_scene_preset_of (const TriadModel *decoder,
                          const char       *name)
{
  const TriadConfig *c = &decoder->config;
  TriadLlmPreset *p = triad_llm_preset_new_custom ();

  g_free (p->id);
  p->id = g_strdup ("model");
  g_free (p->name);
  /* TRANSLATORS: the projection of the decoder the live run runs, from its own config */
  p->name = name != NULL ? g_strdup (name) : g_strdup (_("Shipped decoder"));
  p->params = (double) decoder->n_params;
  p->arch = TRIAD_ARCH_DECODER;
  p->n_layers = c->n_dec_layers;
  p->n_enc_layers = 0;
  p->n_heads = c->n_heads;
  p->n_kv_heads = triad_config_kv_heads (c);
  p->head_dim = triad_config_head_dim (c);
  p->d_model = c->dim;
  p->max_context = c->max_seq_len;
  p->sliding_window = c->sliding_window;
  p->pattern_len = 0;
  return p;
}

TriadLlmPreset *
triad_kv_scene_model_preset (const TriadModel *decoder)
{
  g_autofree char *name = NULL;

  g_return_val_if_fail (decoder != NULL, NULL);

  name = triad_config_is_triad (&decoder->config) ? NULL : model_name (decoder);
  return triad_kv_scene_preset_of (decoder, name);
}

TriadKvLive *
triad_kv_scene_live_new (const TriadModel          *decoder,
                         const char                *text,
                         const TriadKvLiveRequest  *request,
                         int                       *n_prompt,
                         GError                   **error)
{
  g_autoptr(TriadEncoding) enc = NULL;
  TriadKvLive *live;

  g_return_val_if_fail (decoder != NULL && request != NULL, NULL);

  enc = triad_model_encode (decoder, text != NULL ? text : "",
                            TRIAD_ATTN_DECODER_SELF, error);
  if (enc == NULL)
    return NULL;
  live = triad_kv_live_new (decoder, enc->ids, enc->n, MAX (request->kv_block, 1),
                            request->sampling ? SAMPLING_TEMPERATURE : 0.0f, 0, SAMPLING_SEED,
                            error);
  if (live == NULL)
    return NULL;
  /* kvlive.h takes no format: its state is empty until the first step, so storing it in
   * another format now loses nothing (the recomputed steps it times stay f32) */
  if (request->kv_dtype != TRIAD_DTYPE_F32
      && !triad_state_set_kv_dtype ((TriadState *) triad_kv_live_get_state (live),
                                    request->kv_dtype))
    {
      g_set_error (error, TRIAD_ERROR, TRIAD_ERROR_INVALID_ARGUMENT,
                   /* TRANSLATORS: %s is a number format, "int4" */
                   _("This model’s cache cannot be stored as %s"),
                   triad_dtype_to_string (request->kv_dtype));
      triad_kv_live_unref (live);
      return NULL;
    }
  if (n_prompt != NULL)
    *n_prompt = enc->n;
  return live;
}

TriadKvTrace *
triad_kv_scene_compute_live (TriadKvLive   *live,
                             int            n_steps,
                             GCancellable  *cancellable,
                             GError       **error)
{
  g_autoptr(TriadKvTrace) trace = g_new0 (TriadKvTrace, 1);

  g_return_val_if_fail (live != NULL, NULL);

  trace->steps = g_array_new (FALSE, FALSE, sizeof (TriadKvLiveStep));
  for (int i = 0; i < n_steps && !trace->exhausted; i++)
    {
      TriadKvLiveStep step;
      g_autoptr(GError) step_error = NULL;

      if (!triad_kv_live_step (live, TRUE, &step, cancellable, &step_error))
        {
          /* the end of the decoder's positions ends the run, as its status says */
          if (!g_error_matches (step_error, TRIAD_ERROR, TRIAD_ERROR_TOO_LONG))
            {
              g_propagate_error (error, g_steal_pointer (&step_error));
              return NULL;
            }
          trace->exhausted = TRUE;
          break;
        }
      g_array_append_val (trace->steps, step);
      trace->exhausted = !triad_kv_live_can_step (live);
    }
  return g_steal_pointer (&trace);
}

/* The attention weights (n, n) of layer, head over ids with the cache stored as dtype. */
static float *
weights_with (const TriadModel *model,
              const int        *ids,
              int               n,
              TriadDtype        dtype,
              int               layer,
              int               head,
              GError          **error)
{
  g_autoptr(TriadState) state = triad_state_new (model);
  TriadCapture cap = { .kind = TRIAD_ATTN_DECODER_SELF, .layer = layer, .head = head };
  float *w;

  if (!triad_state_set_kv_dtype (state, dtype)
      || !triad_decoder_forward (state, ids, n, &cap, 1, error))
    {
      triad_capture_clear (&cap);
      if (error != NULL && *error == NULL)
        g_set_error (error, TRIAD_ERROR, TRIAD_ERROR_INVALID_ARGUMENT,
                     _("This model’s cache cannot be stored as %s"), triad_dtype_to_string (dtype));
      return NULL;
    }
  w = g_steal_pointer (&cap.weights);
  triad_capture_clear (&cap);
  return w;
}

TriadKvQuantView *
triad_kv_scene_compare_ids (const TriadModel  *decoder,
                            const int         *ids,
                            int                n,
                            int                n_prompt,
                            TriadDtype         dtype,
                            GCancellable      *cancellable,
                            GError           **error)
{
  g_autoptr(TriadKvQuantView) view = g_new0 (TriadKvQuantView, 1);
  g_autofree float *wq = NULL, *wf = NULL;

  g_return_val_if_fail (decoder != NULL && ids != NULL && n_prompt > 0 && n >= n_prompt, NULL);

  view->dtype = dtype;
  /* the same numbers `triad generate --kv-dtype` reports for this prompt and as many tokens */
  if (!triad_kv_quant_compare (decoder, ids, n_prompt, n - n_prompt, dtype, &view->report,
                               cancellable, error))
    return NULL;
  /* one pass over the run's tokens in each format: row i of the weights is what the step
   * reading position i computes, as decoding step by step equals the full pass */
  if ((wq = weights_with (decoder, ids, n, dtype, view->report.worst_layer,
                          view->report.worst_head, error)) == NULL
      || (wf = weights_with (decoder, ids, n, TRIAD_DTYPE_F32, view->report.worst_layer,
                             view->report.worst_head, error)) == NULL)
    return NULL;
  view->n = n;
  view->diff = g_new (float, (size_t) n * n);
  for (size_t i = 0; i < (size_t) n * n; i++)
    view->diff[i] = wq[i] - wf[i];
  return g_steal_pointer (&view);
}

TriadKvQuantView *
triad_kv_scene_compare_live (TriadKvLive       *live,
                             const TriadModel  *decoder,
                             int                n_prompt,
                             TriadDtype         dtype,
                             GCancellable      *cancellable,
                             GError           **error)
{
  const int *ids;
  int n;

  g_return_val_if_fail (live != NULL && decoder != NULL && n_prompt > 0, NULL);

  ids = triad_kv_live_get_ids (live, &n);
  return triad_kv_scene_compare_ids (decoder, ids, n, n_prompt, dtype, cancellable, error);
}

void
triad_kv_quant_view_free (TriadKvQuantView *view)
{
  if (view == NULL)
    return;
  g_free (view->diff);
  g_free (view);
}

void
triad_kv_trace_free (TriadKvTrace *trace)
{
  if (trace == NULL)
    return;
  g_clear_pointer (&trace->steps, g_array_unref);
  g_free (trace);
}

void
triad_kv_scene_add_trace (TriadKvScene       *scene,
                          const TriadKvTrace *trace)
{
  g_return_if_fail (scene != NULL && trace != NULL);

  for (guint i = 0; i < trace->steps->len; i++)
    triad_kv_scene_add_step (scene, &g_array_index (trace->steps, TriadKvLiveStep, i));
  if (trace->exhausted)
    triad_kv_scene_set_exhausted (scene, TRUE);
}

gboolean
triad_kv_scene_run_live (TriadKvScene              *scene,
                         const TriadModel          *decoder,
                         const char                *text,
                         const TriadKvLiveRequest  *request,
                         int                        n_steps,
                         GError                   **error)
{
  g_autoptr(TriadKvLive) live = NULL;
  g_autoptr(TriadKvTrace) trace = NULL;
  int n_prompt = 0;

  g_return_val_if_fail (scene != NULL && decoder != NULL, FALSE);

  if ((live = triad_kv_scene_live_new (decoder, text, request, &n_prompt, error)) == NULL
      || (trace = triad_kv_scene_compute_live (live, n_steps, NULL, error)) == NULL)
    return FALSE;
  triad_kv_scene_set_live (scene, n_prompt, decoder->config.n_dec_layers, NULL);
  triad_kv_scene_set_live_decoder (scene, decoder);
  triad_kv_scene_set_live_format (scene, request->kv_dtype);
  triad_kv_scene_add_trace (scene, trace);
  if (request->kv_dtype != TRIAD_DTYPE_F32 && trace->steps->len > 0)
    {
      TriadKvQuantView *view = triad_kv_scene_compare_live (live, decoder, n_prompt,
                                                            request->kv_dtype, NULL, error);

      if (view == NULL)
        return FALSE;
      triad_kv_scene_set_quant (scene, view);
    }
  return TRUE;
}
