/* tokenizer.h — byte-pair encoding over Unicode characters (not bytes).
 *
 * tokenizer.json:
 *   {
 *     "format": "triad-bpe", "version": 1,
 *     "vocab":  ["<pad>", "<unk>", "<bos>", "<eos>", "<mask>", "<sep>", "a", "▁", "▁the", …],
 *     "merges": [["▁", "t"], ["▁t", "he"], …]
 *   }
 * A token's id is its index in "vocab". The six special tokens come first, in that order
 * (ids 0–5). "merges" is in priority order: the earlier a pair, the sooner it merges; the
 * concatenation of every merge must be in the vocabulary.
 *
 * Text is split into words: a word is a run of letters, digits and marks; every other
 * character stands alone. A space (U+0020) before a word becomes "▁" (U+2581) at the word's
 * start; the text is read as if it began with one space, so the first word carries "▁" too.
 * A space with no word after it is a "▁" of its own. Inside a word, characters merge by the
 * merges, lowest rank first. A character that is not in the vocabulary becomes <unk>.
 * With parse_special, the literal text "<mask>" (and the other specials) is that token, and
 * one space before it is dropped; not before "<unk>", which stands in place for a character.
 * A special's offsets cover its own text; a dropped space belongs to no token.
 * Decoding joins the token strings, turns "▁" back into spaces and drops the first space, so
 * decode (encode (text)) == text for any text whose characters are in the vocabulary. A special
 * other than <unk> decodes with a space before it unless it comes first; <unk>, and any id out
 * of range, decodes as "<unk>".
 *
 * The same type holds a Hugging Face tokenizer.json (a "model" object with a "type": BPE,
 * byte-level or not, WordPiece, Unigram), read with its normalizer, pre-tokenizer, added tokens,
 * post-processor and decoder, as the tokenizers library (and tokenizers.js, which the tests
 * check against) defines them. There, parse_special decides whether special added tokens are
 * split out of the text (others always are); offsets still count characters of the original
 * text, mapped back through the normalizer; a marker a pre-tokenizer adds ("▁", a space) covers
 * nothing; decoding follows the file's decoder, and display reads a byte-level piece as the
 * text its bytes make (see triad_tokenizer_display).
 */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

enum {
  TRIAD_TOKEN_PAD,
  TRIAD_TOKEN_UNK,
  TRIAD_TOKEN_BOS,
  TRIAD_TOKEN_EOS,
  TRIAD_TOKEN_MASK,
  TRIAD_TOKEN_SEP,
  TRIAD_N_SPECIAL_TOKENS
};

typedef enum {
  TRIAD_TOKENIZER_TRIAD_BPE,       /* Triad's own "triad-bpe" */
  TRIAD_TOKENIZER_BYTE_LEVEL_BPE,  /* Hugging Face BPE over bytes (GPT-2) */
  TRIAD_TOKENIZER_BPE,             /* Hugging Face BPE over characters (Llama, Mistral) */
  TRIAD_TOKENIZER_WORDPIECE,       /* Hugging Face WordPiece (BERT) */
  TRIAD_TOKENIZER_UNIGRAM,         /* Hugging Face Unigram (T5) */
} TriadTokenizerKind;

typedef struct _TriadTokenizer TriadTokenizer;

typedef struct {
  int   *ids;     /* (n) */
  char **pieces;  /* (n + 1) token strings as in the vocabulary, NULL-terminated */
  int   *start;   /* (n) offset of the token's first character in the text, in characters */
  int   *end;     /* (n) one past its last character (a leading "▁" covers the space; the
                   * implicit one before the text covers nothing) */
  int    n;
} TriadEncoding;

TriadTokenizer *triad_tokenizer_load          (const char      *path,
                                               GError         **error);
TriadTokenizer *triad_tokenizer_load_from_data (const char     *data,
                                               gssize           length,
                                               GError         **error);
/* Builds a tokenizer from a vocabulary (specials first) and merges (pairs, flat: a0 b0 a1 b1 …). */
TriadTokenizer *triad_tokenizer_new           (const char * const *vocab,
                                               int              n_vocab,
                                               const char * const *merges,
                                               int              n_merges,
                                               GError         **error);
gboolean        triad_tokenizer_save          (const TriadTokenizer *tok,
                                               const char      *path,
                                               GError         **error);
void            triad_tokenizer_free          (TriadTokenizer *tok);

int             triad_tokenizer_vocab_size    (const TriadTokenizer *tok);
/* NULL when id is out of range. */
const char     *triad_tokenizer_piece         (const TriadTokenizer *tok,
                                               int              id);
/* -1 when the piece is not in the vocabulary. */
int             triad_tokenizer_lookup        (const TriadTokenizer *tok,
                                               const char      *piece);

/* Invalid UTF-8 gives TRIAD_ERROR_INVALID_TEXT naming the byte offset, as does a NUL byte within
 * length. length -1: NUL-terminated. Empty text gives n = 0. */
TriadEncoding  *triad_tokenizer_encode        (const TriadTokenizer *tok,
                                               const char      *text,
                                               gssize           length,
                                               gboolean         parse_special,
                                               GError         **error);
char           *triad_tokenizer_decode        (const TriadTokenizer *tok,
                                               const int       *ids,
                                               int              n);
/* The piece as a person reads it: a leading "▁" is dropped (a lone "▁" stays), specials kept;
 * "<unk>" for an id out of range. A byte-level piece shows the text its bytes make, less a
 * leading space; bytes that are part of a character, not a whole one, show as "<0xNN>"; a piece
 * of white space alone keeps its "Ġ" and shows a new line as "\n" and a tab as "\t".
 * WordPiece's "##" stays. */
char           *triad_tokenizer_display       (const TriadTokenizer *tok,
                                               int              id);
/* The n tokens of ids as a person reads them (triad_tokenizer_display each), NULL-terminated:
 * the labels a figure puts along its axes. */
char          **triad_tokenizer_display_ids   (const TriadTokenizer *tok,
                                               const int       *ids,
                                               int              n);

/* The encoding with the special tokens the tokenizer's post-processor adds around a text
 * ("[CLS] … [SEP]", "… </s>"); a special's offsets are the empty range where it stands. For
 * Triad's own tokenizer, and a file without a post-processor, a copy. */
TriadEncoding  *triad_tokenizer_post_process  (const TriadTokenizer *tok,
                                               const TriadEncoding  *enc);
/* The id of a role, TRIAD_TOKEN_PAD … TRIAD_TOKEN_SEP: Triad's own tokenizer has them at 0–5;
 * a Hugging Face one takes them from tokenizer_config.json or special_tokens_map.json, else
 * from the usual names ("[PAD]", "<pad>", …). -1 when it has none. */
int             triad_tokenizer_special_id    (const TriadTokenizer *tok,
                                               int              role);
gboolean        triad_tokenizer_is_special    (const TriadTokenizer *tok,
                                               int              id);
TriadTokenizerKind triad_tokenizer_kind       (const TriadTokenizer *tok);
/* "Triad BPE", "byte-level BPE", "BPE", "WordPiece", "Unigram", untranslated: names of
 * algorithms, the same in every language. */
const char     *triad_tokenizer_kind_to_string (TriadTokenizerKind kind);

void            triad_encoding_free           (TriadEncoding *enc);

/* Learns a tokenizer from texts: counts their words as the encoder splits them, starts from the
 * specials and every character seen (in code point order), then adds the most frequent adjacent
 * pair (ties: the pair whose strings sort first) until there are vocab_size tokens. Then each
 * required word, given without its "▁", becomes the single token "▁word" through merges that
 * join it from the left; these may take the vocabulary past vocab_size, as may a large alphabet.
 * A required word the encoder would split (a word and punctuation, say) is an error. The same
 * input always gives the same tokenizer. */
TriadTokenizer *triad_tokenizer_train         (const char * const *texts,
                                               int              n_texts,
                                               int              vocab_size,
                                               const char * const *required_words,
                                               int              n_required,
                                               GError         **error);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (TriadTokenizer, triad_tokenizer_free)
G_DEFINE_AUTOPTR_CLEANUP_FUNC (TriadEncoding, triad_encoding_free)

G_END_DECLS
