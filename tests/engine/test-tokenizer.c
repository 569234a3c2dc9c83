/* test-tokenizer.c — the BPE tokenizer: encodings worked out by hand, offsets, round trips,
 * specials, bad text, tokenizer.json loading and saving, and the trainer. */
#include "config.h"

#include <string.h>
#include <glib.h>
#include <glib/gstdio.h>

#include "engine/error.h"
#include "engine/tokenizer.h"

/* A hand-written tokenizer. Its ids, for working out the expectations below:
 *    0–5 the specials   6 ▁    7 .    8 a    9 c    10 e   11 h   12 s   13 t   14 w
 *   15 ▁t   16 ▁th   17 ▁the   18 ▁c   19 ▁ca   20 ▁cat   21 ▁s   22 ▁sa   23 ▁saw
 *   24 ▁a   25 at
 * Merges by rank: 0 ▁+t  1 ▁t+h  2 ▁th+e  3 ▁+c  4 ▁c+a  5 ▁ca+t  6 ▁+s  7 ▁s+a
 *                 8 ▁sa+w  9 ▁+a  10 a+t
 * "a t" merges last of all, so inside "▁cat" the ▁-merges win and "at" never forms, while a
 * bare "at" (no space before it) becomes the single token 25. */
static const char * const hand_vocab[] = {
  "<pad>", "<unk>", "<bos>", "<eos>", "<mask>", "<sep>",
  "▁", ".", "a", "c", "e", "h", "s", "t", "w",
  "▁t", "▁th", "▁the", "▁c", "▁ca", "▁cat", "▁s", "▁sa", "▁saw", "▁a", "at",
};

static const char * const hand_merges[] = {
  "▁", "t",  "▁t", "h",  "▁th", "e",
  "▁", "c",  "▁c", "a",  "▁ca", "t",
  "▁", "s",  "▁s", "a",  "▁sa", "w",
  "▁", "a",
  "a", "t",
};

static const char * const specials_json =
  "\"<pad>\", \"<unk>\", \"<bos>\", \"<eos>\", \"<mask>\", \"<sep>\"";

static const char * const english[] = {
  "the big cat saw a small dog",
  "a small dog saw the big cat",
  "the cat and the dog sat on the mat.",
  "did the dog see the cat? yes, it did!",
};

static const char * const russian[] = {
  "большая кошка видела маленькую собаку",
  "маленькая собака видела большую кошку",
  "кошка и собака сидели на ковре.",
  "Ёжик, где ты?\nТам!",
  "е\xcc\x81ж и 🐈 и 🐕",
};

static TriadTokenizer *
hand_tokenizer (void)
{
  g_autoptr(GError) error = NULL;
  TriadTokenizer *tok = triad_tokenizer_new (hand_vocab, G_N_ELEMENTS (hand_vocab),
                                             hand_merges, G_N_ELEMENTS (hand_merges) / 2,
                                             &error);

  g_assert_no_error (error);
  g_assert_nonnull (tok);
  return tok;
}

static TriadTokenizer *
trained_tokenizer (int                 vocab_size,
                   const char * const *required,
                   int                 n_required)
{
  g_autoptr(GPtrArray) texts = g_ptr_array_new ();
  g_autoptr(GError) error = NULL;
  TriadTokenizer *tok;

  for (guint i = 0; i < G_N_ELEMENTS (english); i++)
    g_ptr_array_add (texts, (gpointer) english[i]);
  for (guint i = 0; i < G_N_ELEMENTS (russian); i++)
    g_ptr_array_add (texts, (gpointer) russian[i]);
  tok = triad_tokenizer_train ((const char * const *) texts->pdata, texts->len, vocab_size,
                               required, n_required, &error);
  g_assert_no_error (error);
  g_assert_nonnull (tok);
  return tok;
}

static void
assert_encoding (const TriadTokenizer *tok,
                 const char           *text,
                 gboolean              parse_special,
                 int                   n,
                 const int            *ids,
                 const int            *start,
                 const int            *end)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(TriadEncoding) enc = triad_tokenizer_encode (tok, text, -1, parse_special, &error);

  g_assert_no_error (error);
  g_assert_nonnull (enc);
  g_assert_cmpint (enc->n, ==, n);
  for (int i = 0; i < n; i++)
    {
      g_assert_cmpint (enc->ids[i], ==, ids[i]);
      g_assert_cmpstr (enc->pieces[i], ==, triad_tokenizer_piece (tok, ids[i]));
      g_assert_cmpint (enc->start[i], ==, start[i]);
      g_assert_cmpint (enc->end[i], ==, end[i]);
    }
  g_assert_null (enc->pieces[n]);
}

static void
assert_round_trip (const TriadTokenizer *tok,
                   const char           *text)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(TriadEncoding) enc = triad_tokenizer_encode (tok, text, -1, FALSE, &error);
  g_autofree char *decoded = NULL;
  int n_chars = g_utf8_strlen (text, -1);

  g_assert_no_error (error);
  decoded = triad_tokenizer_decode (tok, enc->ids, enc->n);
  g_assert_cmpstr (decoded, ==, text);

  /* Without specials the tokens tile the text: each starts where the previous one ended. */
  if (n_chars > 0)
    {
      g_assert_cmpint (enc->n, >, 0);
      g_assert_cmpint (enc->start[0], ==, 0);
      g_assert_cmpint (enc->end[enc->n - 1], ==, n_chars);
    }
  for (int i = 0; i < enc->n; i++)
    {
      g_assert_cmpint (enc->ids[i], !=, TRIAD_TOKEN_UNK);
      g_assert_cmpint (enc->start[i], <=, enc->end[i]);
      if (i > 0)
        g_assert_cmpint (enc->start[i], ==, enc->end[i - 1]);
    }
}

static void
assert_decodes (const TriadTokenizer *tok,
                const char           *text,
                gboolean              parse_special,
                const char           *expected)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(TriadEncoding) enc = triad_tokenizer_encode (tok, text, -1, parse_special, &error);
  g_autofree char *decoded = NULL;

  g_assert_no_error (error);
  decoded = triad_tokenizer_decode (tok, enc->ids, enc->n);
  g_assert_cmpstr (decoded, ==, expected);
}

static void
assert_load_fails (const char *json,
                   const char *message_part)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(TriadTokenizer) tok = triad_tokenizer_load_from_data (json, -1, &error);

  g_assert_null (tok);
  g_assert_error (error, TRIAD_ERROR, TRIAD_ERROR_TOKENIZER);
  if (message_part != NULL && strstr (error->message, message_part) == NULL)
    g_error ("“%s” does not mention “%s”", error->message, message_part);
}

static char *
tokenizer_json (const char *vocab_rest,
                const char *merges)
{
  return g_strdup_printf ("{\"format\": \"triad-bpe\", \"version\": 1, "
                          "\"vocab\": [%s%s], \"merges\": [%s]}",
                          specials_json, vocab_rest, merges);
}

static void
test_hand_encodings (void)
{
  g_autoptr(TriadTokenizer) tok = hand_tokenizer ();

  /* "the" carries the implicit ▁, which covers nothing; " cat" takes its space. */
  {
    const int ids[] = { 17, 20 }, start[] = { 0, 3 }, end[] = { 3, 7 };
    assert_encoding (tok, "the cat", FALSE, 2, ids, start, end);
  }
  /* "cat." splits into the word and the full stop, which has no space before it. */
  {
    const int ids[] = { 17, 20, 23, 24, 20, 7 };
    const int start[] = { 0, 3, 7, 11, 13, 17 }, end[] = { 3, 7, 11, 13, 17, 18 };
    assert_encoding (tok, "the cat saw a cat.", FALSE, 6, ids, start, end);
  }
  g_assert_cmpint (triad_tokenizer_vocab_size (tok), ==, 26);
  g_assert_cmpstr (triad_tokenizer_piece (tok, 17), ==, "▁the");
  g_assert_null (triad_tokenizer_piece (tok, 26));
  g_assert_null (triad_tokenizer_piece (tok, -1));
  g_assert_cmpint (triad_tokenizer_lookup (tok, "▁cat"), ==, 20);
  g_assert_cmpint (triad_tokenizer_lookup (tok, "dog"), ==, -1);
}

static void
test_merge_ranks (void)
{
  g_autoptr(TriadTokenizer) tok = hand_tokenizer ();

  /* "▁at": ▁+a (rank 9) beats a+t (rank 10), leaving "▁a" and "t". */
  {
    const int ids[] = { 20, 24, 13 }, start[] = { 0, 3, 5 }, end[] = { 3, 5, 6 };
    assert_encoding (tok, "cat at", FALSE, 3, ids, start, end);
  }
  /* "at" after the full stop has no ▁, so only a+t applies. */
  {
    const int ids[] = { 18, 7, 25 }, start[] = { 0, 1, 2 }, end[] = { 1, 2, 4 };
    assert_encoding (tok, "c.at", FALSE, 3, ids, start, end);
  }
  /* "the" after the full stop has no ▁, and no merge joins t, h, e without one. */
  {
    const int ids[] = { 20, 7, 13, 11, 10 }, start[] = { 0, 3, 4, 5, 6 }, end[] = { 3, 4, 5, 6, 7 };
    assert_encoding (tok, "cat.the", FALSE, 5, ids, start, end);
  }
}

static void
test_leftmost_first (void)
{
  /* Ids: ▁ 6, a 7, aa 8; the one merge a+a. In "▁aaa" the pair occurs twice, overlapping;
   * the leftmost goes first, so "aa" then "a", never "a" then "aa". */
  const char *vocab[] = { "<pad>", "<unk>", "<bos>", "<eos>", "<mask>", "<sep>", "▁", "a", "aa" };
  const char *merges[] = { "a", "a" };
  g_autoptr(GError) error = NULL;
  g_autoptr(TriadTokenizer) tok = triad_tokenizer_new (vocab, 9, merges, 1, &error);

  g_assert_no_error (error);
  {
    const int ids[] = { 6, 8, 7 }, start[] = { 0, 0, 2 }, end[] = { 0, 2, 3 };
    assert_encoding (tok, "aaa", FALSE, 3, ids, start, end);
  }
  {
    const int ids[] = { 6, 8, 8, 7 }, start[] = { 0, 0, 2, 4 }, end[] = { 0, 2, 4, 5 };
    assert_encoding (tok, "aaaaa", FALSE, 4, ids, start, end);
  }
}

static void
test_spaces (void)
{
  g_autoptr(TriadTokenizer) tok = hand_tokenizer ();

  /* The implicit space has no word after it (a space follows), so it is a lone ▁ covering
   * nothing; the first real space is a lone ▁ too; the second joins "the". */
  {
    const int ids[] = { 6, 6, 17 }, start[] = { 0, 0, 1 }, end[] = { 0, 1, 5 };
    assert_encoding (tok, "  the", FALSE, 3, ids, start, end);
  }
  {
    const int ids[] = { 17, 6 }, start[] = { 0, 3 }, end[] = { 3, 4 };
    assert_encoding (tok, "the ", FALSE, 2, ids, start, end);
  }
  {
    const int ids[] = { 17, 6, 20 }, start[] = { 0, 3, 4 }, end[] = { 3, 4, 8 };
    assert_encoding (tok, "the  cat", FALSE, 3, ids, start, end);
  }
  assert_round_trip (tok, "  the");
  assert_round_trip (tok, "the ");
  assert_round_trip (tok, " the  cat . ");
  assert_round_trip (tok, " ");
}

static void
test_empty (void)
{
  g_autoptr(TriadTokenizer) tok = hand_tokenizer ();
  g_autoptr(GError) error = NULL;
  g_autoptr(TriadEncoding) enc = triad_tokenizer_encode (tok, "", -1, TRUE, &error);
  g_autoptr(TriadEncoding) counted = NULL;
  g_autofree char *decoded = NULL;

  g_assert_no_error (error);
  g_assert_cmpint (enc->n, ==, 0);
  g_assert_null (enc->pieces[0]);

  counted = triad_tokenizer_encode (tok, "the cat", 0, FALSE, &error);
  g_assert_no_error (error);
  g_assert_cmpint (counted->n, ==, 0);

  decoded = triad_tokenizer_decode (tok, NULL, 0);
  g_assert_cmpstr (decoded, ==, "");
}

static void
test_unknown (void)
{
  g_autoptr(TriadTokenizer) tok = hand_tokenizer ();

  /* "€" is not a word character, so it stands alone; "cat" after it has no ▁, so a+t. */
  {
    const int ids[] = { 17, 1, 9, 25 }, start[] = { 0, 3, 4, 5 }, end[] = { 3, 4, 5, 7 };
    assert_encoding (tok, "the€cat", FALSE, 4, ids, start, end);
  }
  /* " €": the ▁ finds no merge with <unk>, so it stays a token of its own. */
  {
    const int ids[] = { 17, 6, 1, 20 }, start[] = { 0, 3, 4, 5 }, end[] = { 3, 4, 5, 9 };
    assert_encoding (tok, "the € cat", FALSE, 4, ids, start, end);
  }
  /* "x" is a letter, so "xat" is one word: ▁, <unk>, then a+t. */
  {
    const int ids[] = { 17, 6, 1, 25 }, start[] = { 0, 3, 4, 5 }, end[] = { 3, 4, 5, 7 };
    assert_encoding (tok, "the xat", FALSE, 4, ids, start, end);
  }
  /* A newline is a character of its own, and not in this vocabulary. */
  {
    const int ids[] = { 17, 1, 9, 25 }, start[] = { 0, 3, 4, 5 }, end[] = { 3, 4, 5, 7 };
    assert_encoding (tok, "the\ncat", FALSE, 4, ids, start, end);
  }
  /* Cyrillic letters make one word, each letter unknown here. */
  {
    const int ids[] = { 6, 1, 1, 1 }, start[] = { 0, 0, 1, 2 }, end[] = { 0, 1, 2, 3 };
    assert_encoding (tok, "кот", FALSE, 4, ids, start, end);
  }
  g_assert_cmpint (TRIAD_TOKEN_UNK, ==, 1);
}

static void
test_unknown_neighbours_round_trip (void)
{
  g_autoptr(TriadTokenizer) tok = hand_tokenizer ();

  /* Each unknown character becomes "<unk>" in place; everything around it survives. */
  assert_decodes (tok, "the€cat", FALSE, "the<unk>cat");
  assert_decodes (tok, "the € cat", FALSE, "the <unk> cat");
  assert_decodes (tok, "€a", FALSE, "<unk>a");
  assert_decodes (tok, "the cat saw a dog.", FALSE, "the cat saw a <unk><unk><unk>.");
  assert_decodes (tok, "  кот  ", FALSE, "  <unk><unk><unk>  ");
}

static void
test_decode (void)
{
  g_autoptr(TriadTokenizer) tok = hand_tokenizer ();
  const int out_of_range[] = { 17, 999, -3, 20 };
  const int mask_first[] = { 4, 23 };
  const int mask_after[] = { 17, 4 };
  const int inner[] = { 6, 6, 25 };
  g_autofree char *a = triad_tokenizer_decode (tok, out_of_range, 4);
  g_autofree char *b = triad_tokenizer_decode (tok, mask_first, 2);
  g_autofree char *c = triad_tokenizer_decode (tok, mask_after, 2);
  g_autofree char *d = triad_tokenizer_decode (tok, inner, 3);

  g_assert_cmpstr (a, ==, "the<unk><unk> cat");
  g_assert_cmpstr (b, ==, "<mask> saw");
  g_assert_cmpstr (c, ==, "the <mask>");
  /* Only the first space is the implicit one. */
  g_assert_cmpstr (d, ==, " at");
}

static void
test_display (void)
{
  g_autoptr(TriadTokenizer) tok = hand_tokenizer ();
  const struct { int id; const char *shown; } cases[] = {
    { 17, "the" }, { 6, "▁" }, { 25, "at" }, { 7, "." },
    { TRIAD_TOKEN_MASK, "<mask>" }, { TRIAD_TOKEN_UNK, "<unk>" },
    { 26, "<unk>" }, { -1, "<unk>" },
  };

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autofree char *shown = triad_tokenizer_display (tok, cases[i].id);

      g_assert_cmpstr (shown, ==, cases[i].shown);
    }
}

/* A run of ids as labels: each as test_display shows it, in order, and a NULL after the last. */
static void
test_display_ids (void)
{
  g_autoptr(TriadTokenizer) tok = hand_tokenizer ();
  const int ids[] = { TRIAD_TOKEN_BOS, 17, 6, 25, 26 };
  g_auto(GStrv) labels = triad_tokenizer_display_ids (tok, ids, G_N_ELEMENTS (ids));
  g_auto(GStrv) none = triad_tokenizer_display_ids (tok, NULL, 0);

  g_assert_cmpuint (g_strv_length (labels), ==, 5);
  g_assert_cmpstr (labels[0], ==, "<bos>");
  g_assert_cmpstr (labels[1], ==, "the");
  g_assert_cmpstr (labels[2], ==, "▁");
  g_assert_cmpstr (labels[3], ==, "at");
  g_assert_cmpstr (labels[4], ==, "<unk>");
  g_assert_nonnull (none);
  g_assert_null (none[0]);
}

static void
test_parse_special (void)
{
  g_autoptr(TriadTokenizer) tok = hand_tokenizer ();

  /* The space before "<mask>" is dropped and covered by nothing. */
  {
    const int ids[] = { 17, 4, 23 }, start[] = { 0, 4, 10 }, end[] = { 3, 10, 14 };
    assert_encoding (tok, "the <mask> saw", TRUE, 3, ids, start, end);
  }
  /* Without parse_special: ▁ then "<" alone, "mask" as m a s k (no merge applies),
   * ">" alone, all but a and s unknown. */
  {
    const int ids[] = { 17, 6, 1, 1, 8, 12, 1, 1, 23 };
    const int start[] = { 0, 3, 4, 5, 6, 7, 8, 9, 10 };
    const int end[] = { 3, 4, 5, 6, 7, 8, 9, 10, 14 };
    assert_encoding (tok, "the <mask> saw", FALSE, 9, ids, start, end);
  }
  /* At the start the implicit space is dropped as well. */
  {
    const int ids[] = { 4, 23 }, start[] = { 0, 6 }, end[] = { 6, 10 };
    assert_encoding (tok, "<mask> saw", TRUE, 2, ids, start, end);
  }
  /* <unk> stands for a character, so the space before it stays a ▁. */
  {
    const int ids[] = { 24, 6, 1, 20 }, start[] = { 0, 1, 2, 7 }, end[] = { 1, 2, 7, 11 };
    assert_encoding (tok, "a <unk> cat", TRUE, 4, ids, start, end);
  }
  /* "the" right after <bos> has no ▁, so it stays t h e. */
  {
    const int ids[] = { 2, 13, 11, 10, 20, 3 };
    const int start[] = { 0, 5, 6, 7, 8, 12 }, end[] = { 5, 6, 7, 8, 12, 17 };
    assert_encoding (tok, "<bos>the cat<eos>", TRUE, 6, ids, start, end);
  }
  /* Not quite a special: "<" alone with the implicit ▁, then m a s k. */
  {
    const int ids[] = { 6, 1, 1, 8, 12, 1 };
    const int start[] = { 0, 0, 1, 2, 3, 4 }, end[] = { 0, 1, 2, 3, 4, 5 };
    assert_encoding (tok, "<mask", TRUE, 6, ids, start, end);
  }

  assert_decodes (tok, "the <mask> saw", TRUE, "the <mask> saw");
  assert_decodes (tok, "<mask> saw", TRUE, "<mask> saw");
  assert_decodes (tok, "a <unk> cat", TRUE, "a <unk> cat");
  assert_decodes (tok, "the  <mask>", TRUE, "the  <mask>");
  assert_decodes (tok, " <mask>", TRUE, " <mask>");
  /* A special glued to a word comes back with a space: the one lossy case. */
  assert_decodes (tok, "<bos>the cat<eos>", TRUE, "<bos>the cat <eos>");
}

static void
test_invalid_utf8 (void)
{
  g_autoptr(TriadTokenizer) tok = hand_tokenizer ();
  const struct { const char *text; gssize length; const char *where; } cases[] = {
    { "ab\xff", -1, "byte 2" },
    { "a\xd0", -1, "byte 1" },
    { "the cat\xc3\x28", -1, "byte 7" },
    { "\x80", -1, "byte 0" },
  };

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autoptr(GError) error = NULL;
      g_autoptr(TriadEncoding) enc = triad_tokenizer_encode (tok, cases[i].text, cases[i].length,
                                                             FALSE, &error);

      g_assert_null (enc);
      g_assert_error (error, TRIAD_ERROR, TRIAD_ERROR_INVALID_TEXT);
      g_assert_nonnull (strstr (error->message, "UTF-8"));
      g_assert_nonnull (strstr (error->message, cases[i].where));
    }

  /* A count that stops before the bad byte: "▁ab" is ▁+a, then b, not in the vocabulary. */
  {
    g_autoptr(GError) error = NULL;
    g_autoptr(TriadEncoding) enc = triad_tokenizer_encode (tok, "ab\xff" "cd", 2, FALSE, &error);

    g_assert_no_error (error);
    g_assert_cmpint (enc->n, ==, 2);
    g_assert_cmpint (enc->ids[0], ==, 24);
    g_assert_cmpint (enc->ids[1], ==, TRIAD_TOKEN_UNK);
  }
}

static void
test_nul_in_counted_text (void)
{
  g_autoptr(TriadTokenizer) tok = hand_tokenizer ();
  g_autoptr(GError) error = NULL;
  g_autoptr(TriadEncoding) enc = triad_tokenizer_encode (tok, "ab\0cd", 5, FALSE, &error);
  g_autoptr(TriadEncoding) terminated = NULL;

  g_assert_null (enc);
  g_assert_error (error, TRIAD_ERROR, TRIAD_ERROR_INVALID_TEXT);
  g_assert_nonnull (strstr (error->message, "NUL"));
  g_assert_nonnull (strstr (error->message, "byte 2"));

  /* With length -1 the NUL simply ends the text: ▁a, b (unknown). */
  g_clear_error (&error);
  terminated = triad_tokenizer_encode (tok, "ab\0cd", -1, FALSE, &error);
  g_assert_no_error (error);
  g_assert_cmpint (terminated->n, ==, 2);
  g_assert_cmpint (terminated->end[1], ==, 2);
}

static void
test_round_trip_english (void)
{
  g_autoptr(TriadTokenizer) hand = hand_tokenizer ();
  g_autoptr(TriadTokenizer) tok = trained_tokenizer (120, NULL, 0);

  assert_round_trip (hand, "the cat saw a cat.");
  assert_round_trip (hand, "cat.the at  c");
  for (guint i = 0; i < G_N_ELEMENTS (english); i++)
    assert_round_trip (tok, english[i]);
  assert_round_trip (tok, "  the  dog, the cat!  ");
  assert_round_trip (tok, "mat sat on a big dog? no.");
}

static void
test_round_trip_russian (void)
{
  g_autoptr(TriadTokenizer) tok = trained_tokenizer (120, NULL, 0);

  for (guint i = 0; i < G_N_ELEMENTS (russian); i++)
    assert_round_trip (tok, russian[i]);
  assert_round_trip (tok, "собака видела кошку и Ёжика");
  assert_round_trip (tok, " Там где ты,  кошка?\n");
}

static void
test_round_trip_mixed (void)
{
  g_autoptr(TriadTokenizer) tok = trained_tokenizer (200, NULL, 0);
  const char *text = "the cat — нет, кошка!";
  g_autoptr(TriadEncoding) enc = NULL;
  g_autoptr(GError) error = NULL;

  assert_round_trip (tok, "the big кошка saw маленькую dog 🐈");
  assert_round_trip (tok, "🐕🐈 е\xcc\x81ж,cat.");
  /* "—" never occurred in training, so it alone is lost. */
  assert_decodes (tok, text, FALSE, "the cat <unk> нет, кошка!");

  /* Offsets count characters, not bytes: "кошка" is characters [15, 20) of the text, and
   * [14, 20) with its space, whatever pieces it is cut into. */
  enc = triad_tokenizer_encode (tok, text, -1, FALSE, &error);
  g_assert_no_error (error);
  for (int i = 0; i < enc->n; i++)
    if (g_str_has_prefix (enc->pieces[i], "▁к"))
      {
        g_assert_cmpint (enc->start[i], ==, 14);
        for (; i + 1 < enc->n && enc->end[i] < 20; i++)
          ;
        g_assert_cmpint (enc->end[i], ==, 20);
        g_assert_cmpstr (enc->pieces[i + 1], ==, "!");
        return;
      }
  g_assert_not_reached ();
}

static void
test_save_load (void)
{
  g_autoptr(TriadTokenizer) hand = hand_tokenizer ();
  g_autoptr(TriadTokenizer) trained = trained_tokenizer (150, NULL, 0);
  g_autoptr(GError) error = NULL;
  g_autofree char *dir = g_dir_make_tmp ("triad-tokenizer-XXXXXX", &error);
  const char *texts[] = {
    "the cat saw a cat.", "c.at cat at", "the <mask> saw", "the € cat",
    "большая кошка видела маленькую собаку", "the big cat, and a small dog!",
  };
  TriadTokenizer *tokenizers[2] = { hand, trained };

  g_assert_no_error (error);
  for (int t = 0; t < 2; t++)
    {
      g_autofree char *path = g_build_filename (dir, "tokenizer.json", NULL);
      g_autoptr(TriadTokenizer) loaded = NULL;
      g_autoptr(TriadTokenizer) from_data = NULL;
      g_autofree char *data = NULL;

      g_assert_true (triad_tokenizer_save (tokenizers[t], path, &error));
      g_assert_no_error (error);
      loaded = triad_tokenizer_load (path, &error);
      g_assert_no_error (error);
      g_assert_true (g_file_get_contents (path, &data, NULL, &error));
      from_data = triad_tokenizer_load_from_data (data, -1, &error);
      g_assert_no_error (error);

      g_assert_cmpint (triad_tokenizer_vocab_size (loaded), ==, triad_tokenizer_vocab_size (tokenizers[t]));
      g_assert_cmpint (triad_tokenizer_vocab_size (from_data), ==, triad_tokenizer_vocab_size (tokenizers[t]));
      for (int id = 0; id < triad_tokenizer_vocab_size (tokenizers[t]); id++)
        g_assert_cmpstr (triad_tokenizer_piece (loaded, id), ==, triad_tokenizer_piece (tokenizers[t], id));

      for (guint i = 0; i < G_N_ELEMENTS (texts); i++)
        {
          g_autoptr(TriadEncoding) a = triad_tokenizer_encode (tokenizers[t], texts[i], -1, TRUE, &error);
          g_autoptr(TriadEncoding) b = triad_tokenizer_encode (loaded, texts[i], -1, TRUE, &error);

          g_assert_no_error (error);
          g_assert_cmpint (a->n, ==, b->n);
          for (int k = 0; k < a->n; k++)
            {
              g_assert_cmpint (a->ids[k], ==, b->ids[k]);
              g_assert_cmpint (a->start[k], ==, b->start[k]);
              g_assert_cmpint (a->end[k], ==, b->end[k]);
            }
        }
      /* The loaded hand tokenizer still gives the encoding worked out in hand-encodings. */
      if (t == 0)
        {
          const int ids[] = { 17, 20, 23, 24, 20, 7 };
          const int start[] = { 0, 3, 7, 11, 13, 17 }, end[] = { 3, 7, 11, 13, 17, 18 };

          assert_encoding (loaded, "the cat saw a cat.", FALSE, 6, ids, start, end);
          assert_encoding (from_data, "the cat saw a cat.", FALSE, 6, ids, start, end);
        }
      g_assert_cmpint (g_unlink (path), ==, 0);
    }
  g_assert_cmpint (g_rmdir (dir), ==, 0);

  /* A file that is not there. */
  {
    g_autofree char *path = g_build_filename (g_get_tmp_dir (), "triad-no-such-dir-xyz", "t.json", NULL);
    g_autoptr(TriadTokenizer) missing = triad_tokenizer_load (path, &error);

    g_assert_null (missing);
    g_assert_error (error, TRIAD_ERROR, TRIAD_ERROR_NOT_FOUND);
  }
}

static void
test_load_errors (void)
{
  g_autofree char *no_vocab = g_strdup ("{\"format\": \"triad-bpe\", \"version\": 1, \"merges\": []}");
  g_autofree char *no_merges = g_strdup_printf ("{\"format\": \"triad-bpe\", \"version\": 1, "
                                                "\"vocab\": [%s]}", specials_json);
  g_autofree char *no_format = g_strdup_printf ("{\"version\": 1, \"vocab\": [%s], \"merges\": []}",
                                                specials_json);
  g_autofree char *bad_result = tokenizer_json (", \"▁\", \"c\", \"a\"", "[\"▁\", \"a\"], [\"▁\", \"c\"]");
  g_autofree char *bad_part = tokenizer_json (", \"▁\", \"c\", \"▁c\"", "[\"▁\", \"x\"]");
  g_autofree char *with_special = tokenizer_json (", \"a\", \"<unk>a\"", "[\"<unk>\", \"a\"]");
  g_autofree char *makes_special = tokenizer_json (", \"<ma\", \"sk>\"", "[\"<ma\", \"sk>\"]");
  g_autofree char *not_pair = tokenizer_json (", \"a\"", "[\"a\"]");
  g_autofree char *repeated = tokenizer_json (", \"a\", \"b\", \"a\"", "");
  g_autofree char *number = tokenizer_json (", \"a\", 5", "");
  g_autofree char *empty_piece = tokenizer_json (", \"\"", "");
  g_autofree char *minimal = tokenizer_json ("", "");
  g_autofree char *with_merge = tokenizer_json (", \"▁\", \"a\", \"▁a\"", "[\"▁\", \"a\"]");

  assert_load_fails ("{", "not valid JSON");
  assert_load_fails ("[]", "not an object");
  assert_load_fails (no_vocab, "vocab");
  assert_load_fails (no_merges, "merges");
  assert_load_fails (no_format, "format");
  assert_load_fails ("{\"format\": \"hf\", \"version\": 1, \"vocab\": [], \"merges\": []}", "format");
  /* "▁a" is not in the vocabulary; the merge is number 0, the first. */
  assert_load_fails (bad_result, "merge 0 makes “▁a”, which is not in the vocabulary");
  assert_load_fails (bad_part, "merge 0 uses “x”");
  assert_load_fails (with_special, "merge 0 uses the special token “<unk>”");
  assert_load_fails (makes_special, "merge 0 makes the special token “<mask>”");
  assert_load_fails (not_pair, "merge 0 is not a pair");
  assert_load_fails (repeated, "repeats entry 6");
  assert_load_fails (number, "entry 7 is not a string");
  assert_load_fails (empty_piece, "empty");
  /* Specials missing, out of order, or too few. */
  assert_load_fails ("{\"format\": \"triad-bpe\", \"version\": 1, \"vocab\": [\"▁\", \"<pad>\", "
                     "\"<unk>\", \"<bos>\", \"<eos>\", \"<mask>\", \"<sep>\"], \"merges\": []}",
                     "entry 0 is “▁”");
  assert_load_fails ("{\"format\": \"triad-bpe\", \"version\": 1, \"vocab\": [\"<pad>\", \"<bos>\", "
                     "\"<unk>\", \"<eos>\", \"<mask>\", \"<sep>\"], \"merges\": []}",
                     "entry 1 is “<bos>”");
  assert_load_fails ("{\"format\": \"triad-bpe\", \"version\": 1, "
                     "\"vocab\": [\"<pad>\", \"<unk>\", \"<bos>\"], \"merges\": []}",
                     "3 entries");
  assert_load_fails ("{\"format\": \"triad-bpe\", \"version\": 2, \"vocab\": [], \"merges\": []}",
                     "version");

  /* The smallest valid file: the specials alone. Without "▁" or "a", "a" is two <unk>. */
  {
    g_autoptr(GError) error = NULL;
    g_autoptr(TriadTokenizer) tok = triad_tokenizer_load_from_data (minimal, -1, &error);
    const int ids[] = { 1, 1 }, start[] = { 0, 0 }, end[] = { 0, 1 };

    g_assert_no_error (error);
    g_assert_cmpint (triad_tokenizer_vocab_size (tok), ==, 6);
    assert_encoding (tok, "a", FALSE, 2, ids, start, end);
  }
  {
    g_autoptr(GError) error = NULL;
    g_autoptr(TriadTokenizer) tok = triad_tokenizer_load_from_data (with_merge, -1, &error);
    const int ids[] = { 8, 8 }, start[] = { 0, 1 }, end[] = { 1, 3 };

    g_assert_no_error (error);
    assert_encoding (tok, "a a", FALSE, 2, ids, start, end);
  }

  /* triad_tokenizer_new checks the same way. */
  {
    const char *vocab[] = { "<pad>", "<unk>", "<bos>", "<eos>", "<mask>", "<sep>", "a", "b" };
    const char *merges[] = { "a", "b" };
    g_autoptr(GError) error = NULL;
    g_autoptr(TriadTokenizer) tok = triad_tokenizer_new (vocab, 8, merges, 1, &error);

    g_assert_null (tok);
    g_assert_error (error, TRIAD_ERROR, TRIAD_ERROR_TOKENIZER);
    g_assert_nonnull (strstr (error->message, "“ab”"));
  }
}

static void
test_train_by_hand (void)
{
  /* Words: "▁ab" three times, "▁ac" once. Alphabet in code point order after the specials:
   * a 6, b 7, c 8, ▁ 9. Pairs: ▁+a 4, a+b 3, a+c 1, so "▁a" is 10; then ▁a+b 3 against ▁a+c 1,
   * so "▁ab" is 11, and the vocabulary has its 12. */
  const char *texts[] = { "ab ab ab", "ac" };
  const char *expected[] = {
    "<pad>", "<unk>", "<bos>", "<eos>", "<mask>", "<sep>", "a", "b", "c", "▁", "▁a", "▁ab",
  };
  g_autoptr(GError) error = NULL;
  g_autoptr(TriadTokenizer) tok = triad_tokenizer_train (texts, 2, 12, NULL, 0, &error);

  g_assert_no_error (error);
  g_assert_cmpint (triad_tokenizer_vocab_size (tok), ==, 12);
  for (int i = 0; i < 12; i++)
    g_assert_cmpstr (triad_tokenizer_piece (tok, i), ==, expected[i]);
  /* "▁ac" has only ▁+a to apply. */
  {
    const int ids[] = { 11, 10, 8 }, start[] = { 0, 2, 4 }, end[] = { 2, 4, 5 };
    assert_encoding (tok, "ab ac", FALSE, 3, ids, start, end);
  }

  /* Every pair once in "ab cd": ties go to the pair whose strings sort first, a+b before c+d
   * before ▁+a and ▁+c ("▁" sorts after ASCII). Alphabet: a b c d ▁ are 6–10. */
  {
    const char *tie[] = { "ab cd" };
    g_autoptr(TriadTokenizer) one = triad_tokenizer_train (tie, 1, 12, NULL, 0, &error);
    g_autoptr(TriadTokenizer) two = NULL;

    g_assert_no_error (error);
    g_assert_cmpint (triad_tokenizer_vocab_size (one), ==, 12);
    g_assert_cmpstr (triad_tokenizer_piece (one, 10), ==, "▁");
    g_assert_cmpstr (triad_tokenizer_piece (one, 11), ==, "ab");
    two = triad_tokenizer_train (tie, 1, 13, NULL, 0, &error);
    g_assert_no_error (error);
    g_assert_cmpstr (triad_tokenizer_piece (two, 12), ==, "cd");
  }

  /* "ab ac": ▁+a twice goes first; then ▁a+b and ▁a+c tie on count and on the left string,
   * and "b" sorts before "c". */
  {
    const char *same_left[] = { "ab ac" };
    g_autoptr(TriadTokenizer) one = triad_tokenizer_train (same_left, 1, 12, NULL, 0, &error);

    g_assert_no_error (error);
    g_assert_cmpstr (triad_tokenizer_piece (one, 10), ==, "▁a");
    g_assert_cmpstr (triad_tokenizer_piece (one, 11), ==, "▁ab");
  }

  /* A vocabulary size below the alphabet's still gets every character. */
  {
    g_autoptr(TriadTokenizer) small = triad_tokenizer_train (texts, 2, 3, NULL, 0, &error);

    g_assert_no_error (error);
    g_assert_cmpint (triad_tokenizer_vocab_size (small), ==, 10);
  }
}

static void
test_train_required_words (void)
{
  const char *required[] = { "cat", "кошка", "собаку", "dog", "the", "маленькую", "ёжик", "зебра" };
  g_autoptr(TriadTokenizer) tok = trained_tokenizer (60, required, G_N_ELEMENTS (required));
  g_autoptr(GError) error = NULL;

  for (guint i = 0; i < G_N_ELEMENTS (required); i++)
    {
      g_autofree char *piece = g_strconcat ("▁", required[i], NULL);
      g_autoptr(TriadEncoding) enc = triad_tokenizer_encode (tok, required[i], -1, FALSE, &error);
      int id = triad_tokenizer_lookup (tok, piece);

      g_assert_no_error (error);
      g_assert_cmpint (id, >=, TRIAD_N_SPECIAL_TOKENS);
      g_assert_cmpint (enc->n, ==, 1);
      g_assert_cmpint (enc->ids[0], ==, id);
    }
  /* In a sentence each required word is one token: 8 words, 8 tokens, and "," alone. */
  {
    g_autoptr(TriadEncoding) enc =
      triad_tokenizer_encode (tok, "the cat, the dog кошка собаку маленькую зебра", -1, FALSE, &error);

    g_assert_no_error (error);
    g_assert_cmpint (enc->n, ==, 9);
    g_assert_cmpstr (enc->pieces[2], ==, ",");
    g_assert_cmpstr (enc->pieces[8], ==, "▁зебра");
    g_assert_cmpint (enc->start[8], ==, 39);
    g_assert_cmpint (enc->end[8], ==, 45);
  }

  /* Words the encoder would split cannot be single tokens. */
  {
    const char *texts[] = { "the cat" };
    const char *bad[][1] = { { "ice-cream" }, { "" }, { "two words" } };

    for (guint i = 0; i < G_N_ELEMENTS (bad); i++)
      {
        g_autoptr(TriadTokenizer) none = triad_tokenizer_train (texts, 1, 20, bad[i], 1, &error);

        g_assert_null (none);
        g_assert_error (error, TRIAD_ERROR, TRIAD_ERROR_INVALID_ARGUMENT);
        g_clear_error (&error);
      }
  }
  /* Invalid UTF-8 in a training text. */
  {
    const char *texts[] = { "the cat", "ab\xff" };
    g_autoptr(TriadTokenizer) none = triad_tokenizer_train (texts, 2, 20, NULL, 0, &error);

    g_assert_null (none);
    g_assert_error (error, TRIAD_ERROR, TRIAD_ERROR_INVALID_TEXT);
    g_assert_nonnull (strstr (error->message, "byte 2"));
  }
}

static void
test_train_deterministic (void)
{
  const char *required[] = { "зебра", "cat" };
  g_autoptr(TriadTokenizer) a = trained_tokenizer (140, required, 2);
  g_autoptr(TriadTokenizer) b = trained_tokenizer (140, required, 2);
  g_autoptr(GError) error = NULL;
  g_autofree char *dir = g_dir_make_tmp ("triad-tokenizer-XXXXXX", &error);
  g_autofree char *path_a = g_build_filename (dir, "a.json", NULL);
  g_autofree char *path_b = g_build_filename (dir, "b.json", NULL);
  g_autofree char *data_a = NULL, *data_b = NULL;

  g_assert_no_error (error);
  g_assert_cmpint (triad_tokenizer_vocab_size (a), >=, 140);
  g_assert_cmpint (triad_tokenizer_vocab_size (a), ==, triad_tokenizer_vocab_size (b));
  for (int id = 0; id < triad_tokenizer_vocab_size (a); id++)
    g_assert_cmpstr (triad_tokenizer_piece (a, id), ==, triad_tokenizer_piece (b, id));

  /* The files, merges included, are byte for byte the same. */
  g_assert_true (triad_tokenizer_save (a, path_a, &error));
  g_assert_true (triad_tokenizer_save (b, path_b, &error));
  g_assert_true (g_file_get_contents (path_a, &data_a, NULL, &error));
  g_assert_true (g_file_get_contents (path_b, &data_b, NULL, &error));
  g_assert_no_error (error);
  g_assert_cmpstr (data_a, ==, data_b);
  g_assert_nonnull (strstr (data_a, "\"merges\""));
  g_unlink (path_a);
  g_unlink (path_b);
  g_rmdir (dir);
}

static void
test_megabyte (void)
{
  g_autoptr(TriadTokenizer) tok = hand_tokenizer ();
  g_autoptr(GString) text = g_string_new (NULL);
  g_autoptr(TriadEncoding) enc = NULL;
  g_autoptr(GError) error = NULL;
  const char *unit = "the cat saw a cat. ";  /* 19 characters, 6 tokens */
  const int unit_ids[] = { 17, 20, 23, 24, 20, 7 };
  int reps = 0;

  while (text->len < 1024 * 1024)
    {
      g_string_append (text, unit);
      reps++;
    }
  enc = triad_tokenizer_encode (tok, text->str, text->len, FALSE, &error);
  g_assert_no_error (error);
  /* Each space before "the" joins it; the text's last space is a lone ▁. */
  g_assert_cmpint (enc->n, ==, 6 * reps + 1);
  for (int i = 0; i < enc->n - 1; i++)
    g_assert_cmpint (enc->ids[i], ==, unit_ids[i % 6]);
  g_assert_cmpint (enc->ids[enc->n - 1], ==, 6);
  g_assert_cmpint (enc->start[enc->n - 1], ==, (int) text->len - 1);
  g_assert_cmpint (enc->end[enc->n - 1], ==, (int) text->len);
  /* "the" of the last unit starts one character after the previous full stop. */
  g_assert_cmpint (enc->start[enc->n - 7], ==, 19 * (reps - 1) - 1);
}

static void
test_long_word (void)
{
  g_autoptr(TriadTokenizer) tok = hand_tokenizer ();
  g_autoptr(GString) text = g_string_new (NULL);
  g_autoptr(TriadEncoding) enc = NULL;
  g_autoptr(GError) error = NULL;
  const int n = 200000;

  /* One word of 400 000 letters, "atat…": ▁+a (rank 9) goes first, leaving "▁a", "t",
   * then every remaining a+t pair: "at" n - 1 times. */
  for (int i = 0; i < n; i++)
    g_string_append (text, "at");
  enc = triad_tokenizer_encode (tok, text->str, -1, FALSE, &error);
  g_assert_no_error (error);
  g_assert_cmpint (enc->n, ==, n + 1);
  g_assert_cmpint (enc->ids[0], ==, 24);
  g_assert_cmpint (enc->ids[1], ==, 13);
  for (int i = 2; i < enc->n; i++)
    g_assert_cmpint (enc->ids[i], ==, 25);
  g_assert_cmpint (enc->start[2], ==, 2);
  g_assert_cmpint (enc->end[enc->n - 1], ==, 2 * n);
}

static gpointer
encode_in_thread (gpointer data)
{
  const TriadTokenizer *tok = data;

  for (int i = 0; i < 200; i++)
    {
      g_autofree char *text = g_strdup_printf ("the cat saw %d cats. at c.at", i);
      g_autoptr(TriadEncoding) enc = triad_tokenizer_encode (tok, text, -1, FALSE, NULL);

      /* ▁the ▁cat ▁saw, the number (▁ and one <unk> per digit), ▁cat s . ▁a t ▁c . at */
      if (enc == NULL || enc->n != 13 + (i >= 10) + (i >= 100) || enc->ids[0] != 17)
        return GINT_TO_POINTER (FALSE);
    }
  return GINT_TO_POINTER (TRUE);
}

static void
test_threads (void)
{
  g_autoptr(TriadTokenizer) tok = hand_tokenizer ();
  GThread *threads[4];

  for (int i = 0; i < 4; i++)
    threads[i] = g_thread_new ("encode", encode_in_thread, tok);
  for (int i = 0; i < 4; i++)
    g_assert_true (GPOINTER_TO_INT (g_thread_join (threads[i])));
}

int
main (int    argc,
      char **argv)
{
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/engine/tokenizer/hand-encodings", test_hand_encodings);
  g_test_add_func ("/engine/tokenizer/merge-ranks", test_merge_ranks);
  g_test_add_func ("/engine/tokenizer/leftmost-first", test_leftmost_first);
  g_test_add_func ("/engine/tokenizer/spaces", test_spaces);
  g_test_add_func ("/engine/tokenizer/empty", test_empty);
  g_test_add_func ("/engine/tokenizer/unknown", test_unknown);
  g_test_add_func ("/engine/tokenizer/unknown-neighbours-round-trip", test_unknown_neighbours_round_trip);
  g_test_add_func ("/engine/tokenizer/decode", test_decode);
  g_test_add_func ("/engine/tokenizer/display", test_display);
  g_test_add_func ("/engine/tokenizer/display-ids", test_display_ids);
  g_test_add_func ("/engine/tokenizer/parse-special", test_parse_special);
  g_test_add_func ("/engine/tokenizer/invalid-utf8", test_invalid_utf8);
  g_test_add_func ("/engine/tokenizer/nul-in-counted-text", test_nul_in_counted_text);
  g_test_add_func ("/engine/tokenizer/round-trip-english", test_round_trip_english);
  g_test_add_func ("/engine/tokenizer/round-trip-russian", test_round_trip_russian);
  g_test_add_func ("/engine/tokenizer/round-trip-mixed", test_round_trip_mixed);
  g_test_add_func ("/engine/tokenizer/save-load", test_save_load);
  g_test_add_func ("/engine/tokenizer/load-errors", test_load_errors);
  g_test_add_func ("/engine/tokenizer/train-by-hand", test_train_by_hand);
  g_test_add_func ("/engine/tokenizer/train-required-words", test_train_required_words);
  g_test_add_func ("/engine/tokenizer/train-deterministic", test_train_deterministic);
  g_test_add_func ("/engine/tokenizer/megabyte", test_megabyte);
  g_test_add_func ("/engine/tokenizer/long-word", test_long_word);
  g_test_add_func ("/engine/tokenizer/threads", test_threads);

  return g_test_run ();
}
