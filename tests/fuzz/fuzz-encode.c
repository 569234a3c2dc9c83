/* fuzz-encode.c — libFuzzer target for encoding arbitrary bytes with the shipped tokenizer.
 * The first byte chooses whether specials are parsed; the rest is the text, NULs and invalid
 * UTF-8 included. Invalid text must fail with a message naming the byte; valid text must
 * give an encoding that keeps tokenizer.h's promises, the same twice (the second from the
 * word cache), and — when every character is in the vocabulary and no special is parsed —
 * decode back to the text. */
#include "config.h"

#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "engine/error.h"
#include "engine/tokenizer.h"
#include "fuzz-common.h"

int LLVMFuzzerTestOneInput (const uint8_t *data, size_t size);

static TriadTokenizer *tok;

int
LLVMFuzzerTestOneInput (const uint8_t *data,
                        size_t         size)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(TriadEncoding) enc = NULL;
  g_autoptr(TriadEncoding) again = NULL;
  g_autofree char *decoded = NULL;
  const char *text;
  gboolean special, has_unk = FALSE;
  size_t len;

  if (tok == NULL)
    {
      g_autofree char *path = g_build_filename (TRIAD_SOURCE_MODELS_DIR, "decoder",
                                                "tokenizer.json", NULL);
      tok = triad_tokenizer_load (path, NULL);
      if (tok == NULL)
        abort ();
    }
  if (size == 0)
    return 0;
  special = data[0] & 1;
  text = (const char *) data + 1;
  len = size - 1;

  enc = triad_tokenizer_encode (tok, text, len, special, &error);
  if (enc == NULL)
    {
      if (!g_error_matches (error, TRIAD_ERROR, TRIAD_ERROR_INVALID_TEXT)
          || strstr (error->message, "byte") == NULL)
        abort ();
      if (g_utf8_validate_len (text, len, NULL) && memchr (text, '\0', len) == NULL)
        abort ();               /* valid text was refused */
      return 0;
    }
  if (!g_utf8_validate_len (text, len, NULL))
    abort ();                   /* invalid text was accepted */
  fuzz_check_encoding (tok, enc, text, len);

  again = triad_tokenizer_encode (tok, text, len, special, &error);
  if (again == NULL || again->n != enc->n
      || (enc->n > 0 && (memcmp (again->ids, enc->ids, sizeof (int) * enc->n) != 0
                         || memcmp (again->start, enc->start, sizeof (int) * enc->n) != 0)))
    abort ();

  decoded = triad_tokenizer_decode (tok, enc->ids, enc->n);
  for (int i = 0; i < enc->n; i++)
    has_unk |= enc->ids[i] == TRIAD_TOKEN_UNK;
  /* U+2581 in the text decodes as a space, so it cannot come back */
  if (!special && !has_unk && g_strstr_len (text, len, "\xe2\x96\x81") == NULL
      && (strlen (decoded) != len || memcmp (decoded, text, len) != 0))
    abort ();
  return 0;
}
