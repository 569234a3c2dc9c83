/* tokenizer-private.h — what the tokenizer's files share: the tokenizer's fields, the
 * merge table's keys, the heap, the word splitter and the word merger (used by encoding
 * and by training alike). Not for use outside src/engine/tokenizer*.c. */
#pragma once

#include <glib.h>
#include <json-glib/json-glib.h>

#include "engine/tokenizer.h"

G_BEGIN_DECLS

#define SPACE_MARK      "\xe2\x96\x81"  /* U+2581 */
#define SPACE_MARK_LEN  3

/* Long words are rare (a URL, a text without spaces) and would only bloat the cache. */
#define CACHE_MAX_WORD_BYTES  64
#define CACHE_MAX_ENTRIES     65536

typedef struct {
  gint64 key;     /* left id in the high half, right id in the low half */
  int    left;
  int    right;
  int    result;
  int    rank;
} TriadMerge;

/* One token of a merged word: its id and how many of the word's characters it took. */
typedef struct {
  int id;
  int n_chars;
} TokenSpan;

typedef struct {
  int       n;
  TokenSpan spans[];
} CachedWord;

typedef struct _TokHf TokHf;

struct _TriadTokenizer {
  GPtrArray  *vocab;        /* char *, indexed by id */
  GHashTable *ids;          /* piece (owned by vocab) → id */
  GPtrArray  *merges;       /* TriadMerge *, in rank order */
  GHashTable *merge_index;  /* &merge->key → the first merge of that pair */

  TriadTokenizerKind kind;
  int         unk_id;       /* the token for a character not in the vocabulary, or -1 */
  TokHf      *hf;           /* what a Hugging Face tokenizer.json adds; NULL for Triad's own */

  /* Encoding goes through a const tokenizer, possibly from several threads at once. */
  GMutex      cache_lock;
  GHashTable *cache;        /* word with its "▁" → CachedWord */
};

static inline gint64
tok_merge_key (int left,
               int right)
{
  return (gint64) (((guint64) (guint32) left << 32) | (guint32) right);
}

/* g_int64_hash folds the halves together with XOR, and so makes pairs (a, b) and (b, a), and
 * many others, collide; a multiplicative hash keeps the pair tables fast. */
static inline guint
tok_merge_key_hash (gconstpointer key)
{
  guint64 h = (guint64) *(const gint64 *) key * G_GUINT64_CONSTANT (0x9e3779b97f4a7c15);

  return (guint) (h >> 32);
}

static inline int
tok_lookup_id (const TriadTokenizer *tok,
               const char           *piece)
{
  gpointer value;

  if (!g_hash_table_lookup_extended (tok->ids, piece, NULL, &value))
    return -1;
  return GPOINTER_TO_INT (value);
}

/* A binary heap in a GArray; `compare` puts the element to pop first lowest. */
typedef int (*TokHeapCompare) (gconstpointer a,
                            gconstpointer b,
                            gpointer      data);

/* ─── Splitting text into words ─── */

enum {
  NO_SPACE = -2,
  IMPLICIT_SPACE = -1,
};

typedef struct {
  const char *p;
  const char *end;
  int         pos;            /* character offset of p */
  int         pending;        /* the space waiting for a word: NO_SPACE, IMPLICIT_SPACE or its offset */
  gboolean    parse_special;
} Splitter;

typedef struct {
  int         special;        /* a special token's id, or -1 */
  const char *word;           /* the word's characters, without "▁" (or the special's text) */
  gsize       word_len;       /* bytes; 0 for a space with no word after it */
  gboolean    space;          /* the word starts with "▁" */
  gboolean    implicit;       /* that "▁" is the one read before the text, and covers nothing */
  int         start;          /* character offset of word[0] */
  int         n_chars;
} Unit;

/* ─── Merging a word ─── */

typedef struct {
  int id;       /* -1 once merged into the symbol on its left */
  int n_chars;
  int prev;
  int next;
} Symbol;

typedef struct {
  int rank;
  int left;
  int right;
  int left_id;
  int right_id;
  int result;
} Candidate;

typedef struct {
  GArray *symbols;
  GArray *heap;
  GArray *spans;
} Scratch;

extern const char * const tok_special_tokens[TRIAD_N_SPECIAL_TOKENS];

/* tokenizer.c */
void
tok_heap_push (GArray        *heap,
               gconstpointer  item,
               TokHeapCompare    compare,
               gpointer       data);

gboolean
tok_heap_pop (GArray      *heap,
              gpointer     out,
              TokHeapCompare  compare,
              gpointer     data);

TriadTokenizer *
tokenizer_alloc (void);

gboolean
tokenizer_add_piece (TriadTokenizer  *tok,
                     const char      *source,
                     const char      *piece,
                     GError         **error);

/* Appends the merge left + right → result at the next rank. */
void
tok_push_merge (TriadTokenizer *tok,
                int             left,
                int             right,
                int             result);

gboolean
tokenizer_add_merge (TriadTokenizer  *tok,
                     const char      *source,
                     int              index,
                     const char      *left,
                     const char      *right,
                     GError         **error);

/* tokenizer-encode.c */
void
tok_splitter_init (Splitter   *s,
                   const char *text,
                   gsize       size,
                   gboolean    parse_special);

gboolean
tok_splitter_next (Splitter *s,
                   Unit     *u);

void
tok_scratch_init (Scratch *scratch);

void
tok_scratch_clear (Scratch *scratch);

void
tok_bpe_word (const TriadTokenizer *tok,
              const char           *word,
              gsize                 len,
              Scratch              *scratch);

void
tok_unit_key (const Unit *u,
              GString    *key);

gboolean
tok_check_text (const char  *text,
                gssize       length,
                gsize       *size,
                GError     **error);

void
tok_word_spans (const TriadTokenizer *tok,
                const GString        *word,
                Scratch              *scratch);

/* tokenizer-hf.c: a Hugging Face tokenizer.json. Symbols of a BPE word as its model starts
 * them (prefixes, suffix, byte fallback), appended to symbols. */
gboolean
tok_hf_is_hf (JsonObject *root);

TriadTokenizer *
tok_hf_parse (const char  *source,
              JsonObject  *root,
              JsonObject  *config,
              JsonObject  *special_map,
              GError     **error);

void
tok_hf_free (TokHf *hf);

void
tok_hf_bpe_symbols (const TriadTokenizer *tok,
                    const char           *word,
                    gsize                 len,
                    GArray               *symbols);

TriadEncoding *
tok_hf_encode (const TriadTokenizer *tok,
               const char           *text,
               gsize                 size,
               gboolean              parse_special);

TriadEncoding *
tok_hf_post_process (const TriadTokenizer *tok,
                     const TriadEncoding  *enc);

char *
tok_hf_decode (const TriadTokenizer *tok,
               const int            *ids,
               int                   n);

char *
tok_hf_display (const TriadTokenizer *tok,
                int                   id);

int
tok_hf_special_id (const TriadTokenizer *tok,
                   int                   role);

gboolean
tok_hf_is_special (const TriadTokenizer *tok,
                   int                   id);

G_END_DECLS
