/* fuzz-common.h — what every encoding must satisfy, whatever the tokenizer and the text. */
#pragma once

#include <stdlib.h>
#include <string.h>
#include <glib.h>

#include "engine/tokenizer.h"

/* Aborts (a finding for the fuzzer) when enc breaks a promise of tokenizer.h for text. */
static inline void
fuzz_check_encoding (const TriadTokenizer *tok,
                     const TriadEncoding  *enc,
                     const char           *text,
                     size_t                len)
{
  long n_chars = g_utf8_strlen (text, len);

  if (enc->n < 0 || (len == 0 && enc->n != 0) || enc->pieces[enc->n] != NULL)
    abort ();
  for (int i = 0; i < enc->n; i++)
    {
      const char *piece = triad_tokenizer_piece (tok, enc->ids[i]);

      if (piece == NULL || enc->pieces[i] == NULL || strcmp (piece, enc->pieces[i]) != 0)
        abort ();
      if (enc->start[i] < 0 || enc->start[i] > enc->end[i] || enc->end[i] > n_chars)
        abort ();
      if (i > 0 && (enc->start[i] < enc->start[i - 1] || enc->end[i] < enc->end[i - 1]))
        abort ();
    }
}
