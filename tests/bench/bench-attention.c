/* bench-attention.c — times the attention kernel on q, k, v read from a file, so that the
 * PyTorch side of the benchmark runs on the very same numbers; and, as the physical floor,
 * OpenBLAS's two GEMMs of the same shapes alone (Q Kᵀ into n × n, then W V), which any kernel
 * that keeps the weights must do.
 * File: int32 n, int32 d, then q, k, v, each (n, d) float32. Prints the medians in ms. */
#include "config.h"

#include <stdio.h>
#include <stdlib.h>
#include <cblas.h>

#include "engine/attention.h"

static int
cmp_double (const void *a, const void *b)
{
  double x = *(const double *) a, y = *(const double *) b;
  return x < y ? -1 : x > y;
}

int
main (int argc, char *argv[])
{
  g_autofree char *contents = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree float *w = NULL, *out = NULL;
  g_autofree double *times = NULL, *gemm = NULL;
  TriadMask mask = { .kind = TRIAD_MASK_BIDIRECTIONAL };
  gsize len;
  int n, d, reps;
  const float *q, *k, *v;

  if (argc != 3)
    {
      fprintf (stderr, "usage: %s INPUT REPS\n", argv[0]);
      return 2;
    }
  if (!g_file_get_contents (argv[1], &contents, &len, &error))
    {
      fprintf (stderr, "%s\n", error->message);
      return 1;
    }
  n = ((const gint32 *) contents)[0];
  d = ((const gint32 *) contents)[1];
  reps = atoi (argv[2]);
  if (n <= 0 || d <= 0 || reps <= 0 || len != 8 + 3 * (gsize) n * d * 4)
    {
      fprintf (stderr, "bad input\n");
      return 1;
    }
  q = (const float *) (contents + 8);
  k = q + (size_t) n * d;
  v = k + (size_t) n * d;
  w = g_new (float, (size_t) n * n);
  out = g_new (float, (size_t) n * d);
  times = g_new (double, reps);
  gemm = g_new (double, reps);

  /* one warm-up, then the timed runs */
  triad_attention_forward (out, w, q, k, v, n, n, d, d, d, d, d, d, &mask);
  for (int r = 0; r < reps; r++)
    {
      gint64 t0 = g_get_monotonic_time ();
      triad_attention_forward (out, w, q, k, v, n, n, d, d, d, d, d, d, &mask);
      times[r] = (g_get_monotonic_time () - t0) / 1000.0;
    }
  /* the two products alone, interleaved in time with nothing else */
  for (int r = 0; r < reps; r++)
    {
      gint64 t0 = g_get_monotonic_time ();
      cblas_sgemm (CblasRowMajor, CblasNoTrans, CblasTrans, n, n, d, 0.125f, q, d, k, d,
                   0.0f, w, n);
      cblas_sgemm (CblasRowMajor, CblasNoTrans, CblasNoTrans, n, d, n, 1.0f, w, n, v, d,
                   0.0f, out, d);
      gemm[r] = (g_get_monotonic_time () - t0) / 1000.0;
    }
  triad_attention_forward (out, w, q, k, v, n, n, d, d, d, d, d, d, &mask);
  qsort (times, reps, sizeof (double), cmp_double);
  qsort (gemm, reps, sizeof (double), cmp_double);
  /* a checksum, so the work cannot be skipped and both sides can be compared */
  {
    double sum = 0;
    for (size_t i = 0; i < (size_t) n * d; i++)
      sum += out[i];
    printf ("{\"median_ms\": %.4f, \"gemm_ms\": %.4f, \"checksum\": %.6f}\n",
            times[reps / 2], gemm[reps / 2], sum);
  }
  return 0;
}
