/* bench-decode.c — a decoding step of the shipped decoder with the KV cache, against a full
 * recompute of the whole sequence, at n = 1024 (its max_seq_len): a step at position 1023
 * after a prefill of 1023 tokens, against one forward pass over all 1024 tokens, in one run.
 * With --chart FILE.png it also measures a step at every 16th position, with and without the
 * cache, and draws the time per token against the position with Triad's own figure of the
 * cache (triad_kv_growth_draw). Last line:
 * RESULT name=decode-step-n1024 triad=<ms cached> ref=<ms full recompute> ratio=… unit=ms */
#include "config.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "engine/model.h"
#include "figures/figures.h"
#include "figures/memory-chart.h"

#define REPS 15

static int
cmp_double (const void *a, const void *b)
{
  double x = *(const double *) a, y = *(const double *) b;
  return x < y ? -1 : x > y;
}

static double
median (double *t, int n)
{
  qsort (t, n, sizeof (double), cmp_double);
  return t[n / 2];
}

/* ms of one step at position pos (the cache holding pos positions) */
static double
cached_step (TriadState *s,
             const int  *ids,
             int         pos,
             int         reps)
{
  g_autofree double *t = g_new (double, reps);
  g_autoptr(GError) error = NULL;

  triad_state_reset (s);
  if (pos > 0 && !triad_decoder_forward (s, ids, pos, NULL, 0, &error))
    g_error ("%s", error->message);
  for (int r = 0; r < reps; r++)
    {
      gint64 t0;

      /* the step writes position pos again each time: the same work */
      s->pos = pos;
      t0 = g_get_monotonic_time ();
      if (!triad_decoder_forward (s, ids + pos, 1, NULL, 0, &error))
        g_error ("%s", error->message);
      t[r] = (g_get_monotonic_time () - t0) / 1000.0;
    }
  return median (t, reps);
}

/* ms of the next token's logits without a cache: the whole pos + 1 tokens again */
static double
full_recompute (TriadState *s,
                const int  *ids,
                int         pos,
                int         reps)
{
  g_autofree double *t = g_new (double, reps);
  g_autoptr(GError) error = NULL;

  for (int r = 0; r < reps; r++)
    {
      gint64 t0;

      triad_state_reset (s);
      t0 = g_get_monotonic_time ();
      if (!triad_decoder_forward (s, ids, pos + 1, NULL, 0, &error))
        g_error ("%s", error->message);
      t[r] = (g_get_monotonic_time () - t0) / 1000.0;
    }
  return median (t, reps);
}

typedef struct {
  TriadKvGrowth    growth;
  TriadFigureStyle style;
} Chart;

static void
draw_chart (cairo_t *cr, double width, double height, gpointer data)
{
  Chart *c = data;

  cairo_set_source_rgb (cr, 1, 1, 1);
  cairo_paint (cr);
  triad_kv_growth_draw (cr, &c->growth, &c->style, width, height);
}

int
main (int argc, char *argv[])
{
  g_autoptr(GError) error = NULL;
  g_autofree char *dir = NULL;
  g_autoptr(TriadModel) model = NULL;
  g_autoptr(TriadState) state = NULL;
  g_autofree int *ids = NULL;
  const char *chart_path = argc == 3 && strcmp (argv[1], "--chart") == 0 ? argv[2] : NULL;
  double cached, full;
  int n;

  if ((dir = triad_model_resolve ("decoder", &error)) == NULL
      || (model = triad_model_load (dir, &error)) == NULL)
    {
      fprintf (stderr, "%s\n", error->message);
      return 1;
    }
  n = model->config.max_seq_len;
  /* <bos>, then tokens of the vocabulary past the specials, in a fixed pseudo-random order */
  ids = g_new (int, n);
  ids[0] = TRIAD_TOKEN_BOS;
  for (int i = 1; i < n; i++)
    ids[i] = TRIAD_N_SPECIAL_TOKENS
             + (int) ((i * 2654435761u) % (guint) (model->config.vocab_size - TRIAD_N_SPECIAL_TOKENS));
  state = triad_state_new (model);

  if (chart_path != NULL)
    {
      int step = 16, n_samples = n / step, L = model->config.n_dec_layers;
      g_autofree double *tokens = g_new (double, n_samples);
      g_autofree double *bytes = g_new (double, (size_t) n_samples * L);
      g_autofree double *with = g_new (double, n_samples);
      g_autofree double *without = g_new (double, n_samples);
      Chart chart = { 0 };

      for (int k = 0; k < n_samples; k++)
        {
          int pos = (k + 1) * step - 1;  /* 15, 31, …, n - 1 */

          tokens[k] = pos + 1;
          with[k] = cached_step (state, ids, pos, 5) / 1000.0;
          for (int l = 0; l < L; l++)
            bytes[(size_t) k * L + l] = (double) triad_state_kv_bytes (state) / L;
          without[k] = full_recompute (state, ids, pos, 3) / 1000.0;
          printf ("position %4d: %.3f ms with the cache, %.2f ms without\n", pos,
                  with[k] * 1000, without[k] * 1000);
        }
      triad_figure_style_init (&chart.style, FALSE);
      chart.growth = (TriadKvGrowth) {
        .tokens = tokens, .layer_bytes = bytes, .n_samples = n_samples, .n_layers = L,
        .step_seconds_cached = with, .step_seconds_uncached = without,
        .cmap = TRIAD_COLORMAP_VIRIDIS,
        .title = "The shipped decoder: the KV cache, and the time of a token at each position",
        .hover = -1,
      };
      if (!triad_figure_export_png (chart_path, 1200, 800, 1.0, draw_chart, &chart, &error))
        {
          fprintf (stderr, "%s\n", error->message);
          return 1;
        }
      printf ("chart: %s\n", chart_path);
    }

  cached = cached_step (state, ids, n - 1, REPS);
  full = full_recompute (state, ids, n - 1, REPS);
  printf ("a step at position %d with the cache: %.3f ms; all %d tokens again: %.2f ms\n",
          n - 1, cached, n, full);
  printf ("RESULT name=decode-step-n%d triad=%.3f ref=%.2f ratio=%.4f unit=ms\n",
          n, cached, full, cached / full);
  return 0;
}
