/* vecmath.h — e^x and tanh written so that loops over them vectorise (glibc's expf and tanhf
 * are a call per element): the softmax and the GELU of GPT-2 spend their time here. Inline
 * only; not for use outside src/engine. */
#pragma once

#include <glib.h>

/* e^x for x <= 0, to within 2 ulp, written so the compiler can vectorise the softmax loop
 * (glibc's expf is a call per element): x = n ln 2 + r with |r| <= ln 2 / 2, e^r by its
 * Taylor polynomial to degree 7, 2^n put straight into the exponent bits. x is clamped at
 * -87, where e^x is 1.6e-38: a cell that far below the row's maximum weighs nothing. */
static inline __attribute__ ((always_inline)) float
triad_exp_approx (float x)
{
  float t, n, r, p;
  union { float f; guint32 u; } scale, bits;

  /* x = max (x, -87) without a branch, which would keep the loop scalar */
  x += (-87.0f - x) * (float) __builtin_isless (x, -87.0f);
  /* round to nearest by the 1.5 × 2^23 trick: no call, vectorisable. n is read from t's
   * bits rather than converted to int, a conversion that is undefined for the NaN a model
   * whose activations overflowed can bring here (the result is then NaN, as it should be). */
  t = x * 1.44269504f + 12582912.0f;
  n = t - 12582912.0f;
  bits.f = t;
  r = x - n * 0.693145752f;       /* ln 2, split in two for an exact product */
  r = r - n * 1.42860677e-6f;
  p = 1.0f + r * (1.0f + r * (0.5f + r * (1.66666672e-1f + r * (4.16666679e-2f
        + r * (8.33333377e-3f + r * (1.38888892e-3f + r * 1.98412701e-4f))))));
  /* t's bits are 0x4b400000 + n; 2^n is (n + 127) << 23 */
  scale.u = (bits.u - 0x4b400000u + 127u) << 23;
  return p * scale.f;
}

/* tanh x from e^(-2|x|) = t: tanh |x| = (1 - t) / (1 + t), the sign put back; within a few
 * units in the last place of 1, which is what 0.5 x (1 + tanh …) needs. */
static inline __attribute__ ((always_inline)) float
triad_tanh_approx (float x)
{
  float a = x < 0.0f ? -x : x;
  float t = triad_exp_approx (-2.0f * a);
  float r = (1.0f - t) / (1.0f + t);

  return x < 0.0f ? -r : r;
}
