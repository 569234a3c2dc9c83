/* bench-model.c — a model folder (GPT-2-, Llama-, … shaped) through Triad: the time and peak
 * memory of opening it, a forward pass over N tokens with one layer's attention captured,
 * and a decoding step with the KV cache after N - 1 tokens. Prints one JSON object.
 *
 * Usage: bench-model MODEL_DIR N REPS */
#include "config.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "engine/model.h"

static int
cmp_double (const void *a,
            const void *b)
{
  double x = *(const double *) a, y = *(const double *) b;
  return x < y ? -1 : x > y;
}

/* VmRSS or VmHWM of this process, in bytes */
static size_t
status_bytes (const char *field)
{
  g_autofree char *text = NULL;
  const char *line;

  if (!g_file_get_contents ("/proc/self/status", &text, NULL, NULL)
      || (line = strstr (text, field)) == NULL)
    return 0;
  return (size_t) g_ascii_strtoull (line + strlen (field) + 1, NULL, 10) * 1024;
}

static double
median (double *t,
        int     n)
{
  qsort (t, n, sizeof (double), cmp_double);
  return t[n / 2];
}

int
main (int    argc,
      char **argv)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(TriadModel) model = NULL;
  g_autoptr(TriadState) state = NULL;
  g_autofree int *ids = NULL;
  g_autofree double *fwd = NULL, *step = NULL;
  size_t rss_before, hwm_open, hwm_run;
  double open_ms, checksum = 0;
  gint64 t0;
  int n, reps, layer;

  if (argc != 4)
    {
      fprintf (stderr, "usage: bench-model MODEL_DIR N REPS\n");
      return 2;
    }
  n = atoi (argv[2]);
  reps = MAX (atoi (argv[3]), 1);
  rss_before = status_bytes ("VmRSS:");

  t0 = g_get_monotonic_time ();
  model = triad_model_load (argv[1], &error);
  if (model == NULL)
    {
      fprintf (stderr, "%s\n", error->message);
      return 1;
    }
  open_ms = (g_get_monotonic_time () - t0) / 1000.0;
  hwm_open = status_bytes ("VmHWM:");

  ids = g_new (int, n);
  for (int i = 0; i < n; i++)
    ids[i] = (int) ((i * 7919u + 13u) % (unsigned) model->config.vocab_size);
  layer = model->config.n_dec_layers / 2;
  state = triad_state_new (model);
  fwd = g_new (double, reps);
  step = g_new (double, reps);
  for (int r = 0; r < reps; r++)
    {
      TriadCapture cap = { .kind = TRIAD_ATTN_DECODER_SELF, .layer = layer, .head = -1 };

      triad_state_reset (state);
      t0 = g_get_monotonic_time ();
      if (!triad_decoder_forward (state, ids, n, &cap, 1, &error))
        {
          fprintf (stderr, "%s\n", error->message);
          return 1;
        }
      fwd[r] = (g_get_monotonic_time () - t0) / 1000.0;
      if (r == 0)
        for (int v = 0; v < model->config.vocab_size; v++)
          checksum += state->logits[(size_t) (n - 1) * model->config.vocab_size + v];
      triad_capture_clear (&cap);

      /* a step after n - 1 tokens in the cache */
      triad_state_reset (state);
      if (!triad_decoder_forward (state, ids, n - 1, NULL, 0, &error))
        return 1;
      t0 = g_get_monotonic_time ();
      if (!triad_decoder_forward (state, ids + n - 1, 1, NULL, 0, &error))
        return 1;
      step[r] = (g_get_monotonic_time () - t0) / 1000.0;
    }
  hwm_run = status_bytes ("VmHWM:");

  printf ("{\"open_ms\": %.2f, \"forward_ms\": %.3f, \"step_ms\": %.3f, \"checksum\": %.6f, "
          "\"file_bytes\": %zu, \"rss_before\": %zu, \"peak_after_open\": %zu, "
          "\"peak_after_run\": %zu, \"params\": %zu, \"dtype\": \"%s\"}\n",
          open_ms, median (fwd, reps), median (step, reps), checksum, model->file_bytes,
          rss_before, hwm_open, hwm_run, model->n_params, model->dtype);
  return 0;
}
