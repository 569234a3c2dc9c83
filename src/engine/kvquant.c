/* kvquant.c — storing the KV cache in fewer bits, and reading it back (see kvquant.h). */
#include "config.h"

#include <math.h>
#include <string.h>

#include "engine/i18n.h"

#include "engine/checkpoint.h"
#include "engine/error.h"
#include "engine/generate.h"
#include "engine/kvquant.h"

gboolean
triad_kv_dtype_supported (TriadDtype dtype)
{
  return dtype == TRIAD_DTYPE_F32 || dtype == TRIAD_DTYPE_F16 || dtype == TRIAD_DTYPE_BF16
         || dtype == TRIAD_DTYPE_INT8 || dtype == TRIAD_DTYPE_INT4;
}

size_t
triad_kv_row_bytes (TriadDtype dtype,
                    int        kv_heads,
                    int        head_dim)
{
  size_t n = (size_t) kv_heads * head_dim;

  switch (dtype)
    {
    case TRIAD_DTYPE_F16:
    case TRIAD_DTYPE_BF16:
      return 2 * n;
    case TRIAD_DTYPE_INT8:
      return n + (size_t) kv_heads * sizeof (float);
    case TRIAD_DTYPE_INT4:
      return (n + 1) / 2 + (size_t) kv_heads * sizeof (float);
    case TRIAD_DTYPE_F32:
    default:
      return 4 * n;
    }
}

static guint32
float_bits (float f)
{
  guint32 u;

  memcpy (&u, &f, sizeof u);
  return u;
}

/* IEEE half precision, rounded to nearest, ties to even; overflow to infinity, NaN kept. */
static guint16
float_to_half (float f)
{
  guint32 u = float_bits (f), sign = (u >> 16) & 0x8000, mant;
  int exp = (int) ((u >> 23) & 0xff) - 127 + 15;

  mant = u & 0x7fffff;
  if (((u >> 23) & 0xff) == 0xff)
    return (guint16) (sign | 0x7c00 | (mant != 0 ? 0x200 : 0));
  if (exp >= 31)
    return (guint16) (sign | 0x7c00);
  if (exp <= 0)
    {
      /* subnormal: shift the mantissa with its implicit one, rounding */
      guint32 m, shift, half_bits, rest;

      if (exp < -10)
        return (guint16) sign;
      m = mant | 0x800000;
      shift = (guint32) (14 - exp);
      half_bits = m >> shift;
      rest = m & ((1u << shift) - 1);
      if (rest > (1u << (shift - 1)) || (rest == (1u << (shift - 1)) && (half_bits & 1)))
        half_bits++;
      return (guint16) (sign | half_bits);
    }
  {
    guint32 h = sign | ((guint32) exp << 10) | (mant >> 13), rest = mant & 0x1fff;

    /* a carry out of the mantissa steps the exponent, as it should */
    if (rest > 0x1000 || (rest == 0x1000 && (h & 1)))
      h++;
    return (guint16) h;
  }
}

static guint16
float_to_bf16 (float f)
{
  guint32 u = float_bits (f);

  if ((u & 0x7fffffff) > 0x7f800000)
    return (guint16) ((u >> 16) | 0x40);      /* a quiet NaN stays a NaN */
  return (guint16) ((u + 0x7fff + ((u >> 16) & 1)) >> 16);
}

void
triad_kv_quantize_row (TriadDtype   dtype,
                       const float *x,
                       guint8      *out,
                       int          kv_heads,
                       int          head_dim)
{
  size_t n = (size_t) kv_heads * head_dim;

  switch (dtype)
    {
    case TRIAD_DTYPE_F16:
      for (size_t i = 0; i < n; i++)
        {
          guint16 h = float_to_half (x[i]);
          out[2 * i] = (guint8) h;
          out[2 * i + 1] = (guint8) (h >> 8);
        }
      return;
    case TRIAD_DTYPE_BF16:
      for (size_t i = 0; i < n; i++)
        {
          guint16 h = float_to_bf16 (x[i]);
          out[2 * i] = (guint8) h;
          out[2 * i + 1] = (guint8) (h >> 8);
        }
      return;
    case TRIAD_DTYPE_INT8:
    case TRIAD_DTYPE_INT4:
      {
        float top = dtype == TRIAD_DTYPE_INT8 ? 127.0f : 7.0f;

        for (int h = 0; h < kv_heads; h++)
          {
            const float *v = x + (size_t) h * head_dim;
            float max = 0.0f, scale, inv;

            for (int j = 0; j < head_dim; j++)
              max = fmaxf (max, fabsf (v[j]));
            scale = max / top;
            inv = scale > 0.0f ? 1.0f / scale : 0.0f;
            memcpy (out, &scale, sizeof scale);
            out += sizeof scale;
            if (dtype == TRIAD_DTYPE_INT8)
              {
                for (int j = 0; j < head_dim; j++)
                  out[j] = (guint8) (gint8) CLAMP (lrintf (v[j] * inv), -127, 127);
                out += head_dim;
              }
            else
              {
                for (int j = 0; j < head_dim; j += 2)
                  {
                    int a = (int) CLAMP (lrintf (v[j] * inv), -7, 7);
                    int b = j + 1 < head_dim ? (int) CLAMP (lrintf (v[j + 1] * inv), -7, 7) : 0;
                    out[j / 2] = (guint8) ((a & 0xf) | (b & 0xf) << 4);
                  }
                out += (head_dim + 1) / 2;
              }
          }
        return;
      }
    case TRIAD_DTYPE_F32:
    default:
      memcpy (out, x, n * sizeof (float));
      return;
    }
}

/* a nibble as a signed value −8 … 7 */
static inline int
nibble (guint8 byte,
        int    high)
{
  int v = high ? byte >> 4 : byte & 0xf;
  return v >= 8 ? v - 16 : v;
}

void
triad_kv_dequantize_row (TriadDtype    dtype,
                         const guint8 *in,
                         float        *x,
                         int           kv_heads,
                         int           head_dim)
{
  size_t n = (size_t) kv_heads * head_dim;

  switch (dtype)
    {
    case TRIAD_DTYPE_F16:
      /* stored little-endian as safetensors stores them: read back as the loader widens */
      triad_st_to_f32 (TRIAD_ST_F16, in, n, x);
      return;
    case TRIAD_DTYPE_BF16:
      triad_st_to_f32 (TRIAD_ST_BF16, in, n, x);
      return;
    case TRIAD_DTYPE_INT8:
    case TRIAD_DTYPE_INT4:
      for (int h = 0; h < kv_heads; h++)
        {
          float *v = x + (size_t) h * head_dim, scale;

          memcpy (&scale, in, sizeof scale);
          in += sizeof scale;
          if (dtype == TRIAD_DTYPE_INT8)
            {
              for (int j = 0; j < head_dim; j++)
                v[j] = (float) (gint8) in[j] * scale;
              in += head_dim;
            }
          else
            {
              for (int j = 0; j < head_dim; j++)
                v[j] = (float) nibble (in[j / 2], j & 1) * scale;
              in += (head_dim + 1) / 2;
            }
        }
      return;
    case TRIAD_DTYPE_F32:
    default:
      memcpy (x, in, n * sizeof (float));
      return;
    }
}

static void
compare_captures (const TriadCapture *a,
                  const TriadCapture *b,
                  TriadKvQuantReport *r)
{
  for (int l = 0; l < a->n_layers; l++)
    for (int h = 0; h < a->n_heads; h++)
      {
        const float *x = triad_capture_matrix (a, l, h), *y = triad_capture_matrix (b, l, h);

        for (size_t i = 0; i < (size_t) a->n_q * a->n_k; i++)
          if (fabs (x[i] - y[i]) > r->max_weight_diff)
            {
              r->max_weight_diff = fabs (x[i] - y[i]);
              r->worst_layer = l;
              r->worst_head = h;
            }
      }
}

gboolean
triad_kv_quant_compare (const TriadModel   *model,
                        const int          *prompt,
                        int                 n_prompt,
                        int                 n_steps,
                        TriadDtype          dtype,
                        TriadKvQuantReport *report,
                        GCancellable       *cancellable,
                        GError            **error)
{
  g_autoptr(TriadState) f = triad_state_new (model);
  g_autoptr(TriadState) q = triad_state_new (model);
  const TriadConfig *c = &model->config;
  TriadCapture cf = { .kind = TRIAD_ATTN_DECODER_SELF, .layer = -1, .head = -1 };
  TriadCapture cq = { .kind = TRIAD_ATTN_DECODER_SELF, .layer = -1, .head = -1 };
  int V = c->vocab_size, start = triad_model_special (model, TRIAD_TOKEN_BOS);
  const int *dec = prompt;
  int n_dec = n_prompt, token;
  gboolean ok = TRUE;

  memset (report, 0, sizeof *report);
  if (!triad_state_set_kv_dtype (q, dtype))
    {
      g_set_error (error, TRIAD_ERROR, TRIAD_ERROR_INVALID_ARGUMENT,
                   _("The cache cannot be stored as %s (it can as f32, f16, bf16, int8 and int4)"),
                   triad_dtype_to_string (dtype));
      return FALSE;
    }
  if (c->arch == TRIAD_ARCH_ENCODER)
    {
      g_set_error (error, TRIAD_ERROR, TRIAD_ERROR_INVALID_ARGUMENT,
                   _("An encoder-only model has no decoder"));
      return FALSE;
    }
  if (c->arch == TRIAD_ARCH_ENCDEC)
    {
      if (!triad_encoder_forward (f, prompt, n_prompt, NULL, 0, error)
          || !triad_encoder_forward (q, prompt, n_prompt, NULL, 0, error))
        return FALSE;
      dec = &start;
      n_dec = 1;
    }

  /* the prompt, then a token at a time, both caches fed the f32 cache's choice; each pass's
   * next-token prediction compared */
  for (int i = 0; ok && i < n_steps; i++)
    {
      const int *ids = i == 0 ? dec : &token;
      int n = i == 0 ? n_dec : 1;

      if (g_cancellable_set_error_if_cancelled (cancellable, error))
        {
          ok = FALSE;
          break;
        }
      if (f->pos + n > c->max_seq_len)
        break;
      ok = triad_decoder_forward (f, ids, n, &cf, 1, error)
           && triad_decoder_forward (q, ids, n, &cq, 1, error);
      if (!ok)
        break;
      compare_captures (&cf, &cq, report);
      token = triad_sample (f->logits + (size_t) (n - 1) * V, V, 0.0f, 0, NULL);
      report->steps++;
      report->changed += triad_sample (q->logits + (size_t) (n - 1) * V, V, 0.0f, 0, NULL)
                         != token;
    }
  triad_capture_clear (&cf);
  triad_capture_clear (&cq);
  report->bytes = triad_state_kv_bytes (q);
  report->bytes_f32 = triad_state_kv_bytes (f);
  return ok;
}
