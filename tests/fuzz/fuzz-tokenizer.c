/* fuzz-tokenizer.c — libFuzzer target for the tokenizer loader: the input is a tokenizer.json,
 * Triad's own or a Hugging Face one (the seeds have both).
 * A tokenizer that loads encodes a few fixed texts, English, Russian and with specials, and
 * every encoding must keep the promises of tokenizer.h: ids in the vocabulary, offsets inside
 * the text and in order, pieces that are the ids' pieces; decoding and saving must work. */
#include "config.h"

#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "engine/tokenizer.h"
#include "fuzz-common.h"

int LLVMFuzzerTestOneInput (const uint8_t *data, size_t size);

static const char * const texts[] = {
  "the big cat saw a small dog",
  "большая кошка видит маленькую собаку",
  "EN: the cat RU: кошка <mask> <sep> a<unk>b",
  "  two  spaces, tabs\tand\nnew lines ",
  "Déjà vu 日本 🙂 [CLS] <|endoftext|> </s> x",
  "",
};

int
LLVMFuzzerTestOneInput (const uint8_t *data,
                        size_t         size)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(TriadTokenizer) tok = NULL;

  tok = triad_tokenizer_load_from_data ((const char *) data, size, &error);
  if (tok == NULL)
    {
      if (error == NULL || *error->message == '\0')
        abort ();               /* every failure names its problem */
      return 0;
    }
  if (triad_tokenizer_kind (tok) == TRIAD_TOKENIZER_TRIAD_BPE
      && triad_tokenizer_vocab_size (tok) < TRIAD_N_SPECIAL_TOKENS)
    abort ();
  for (guint t = 0; t < G_N_ELEMENTS (texts); t++)
    for (int special = 0; special < 2; special++)
      {
        g_autoptr(TriadEncoding) enc = triad_tokenizer_encode (tok, texts[t], -1, special, &error);
        g_autofree char *decoded = NULL;

        if (enc == NULL)
          abort ();             /* valid UTF-8 always encodes */
        fuzz_check_encoding (tok, enc, texts[t], strlen (texts[t]));
        decoded = triad_tokenizer_decode (tok, enc->ids, enc->n);
        if (decoded == NULL || !g_utf8_validate (decoded, -1, NULL))
          abort ();
        for (int i = 0; i < enc->n; i++)
          {
            g_autofree char *label = triad_tokenizer_display (tok, enc->ids[i]);

            if (label == NULL || !g_utf8_validate (label, -1, NULL))
              abort ();
          }
        {
          g_autoptr(TriadEncoding) post = triad_tokenizer_post_process (tok, enc);

          if (post->n < enc->n)
            abort ();
        }
      }
  return 0;
}
