/* kv-scene-live.c — the KV Cache view's live run computed: a decoder over a prompt, stepped
 * in a worker thread, its steps handed to the scene on the main thread. The window's page
 * steps it one at a time as asked; `triad export --view kv` takes --steps of it at once. */
#include "config.h"

#include <string.h>

#include "engine/error.h"
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
  if (live != NULL && n_prompt != NULL)
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
  triad_kv_scene_add_trace (scene, trace);
  return TRUE;
}
