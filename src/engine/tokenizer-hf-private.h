/* tokenizer-hf-private.h — what the files of the Hugging Face tokenizer.json reader share: the
 * parts of a TokHf and the characters-with-spans the text travels as. Not for use outside
 * src/engine/tokenizer*.c. */
#pragma once

#include <glib.h>
#include <json-glib/json-glib.h>

#include "engine/tokenizer.h"
#include "engine/tokenizer-private.h"

G_BEGIN_DECLS

/* A symbol of a BPE word that has no token: no unknown token and no byte fallback. */
#define TOK_DROPPED  (-3)

/* A character of the text being encoded and the original characters [start, end) it came from. */
typedef struct {
  gunichar c;
  int      start;
  int      end;
} NChar;

typedef struct _HfNorm HfNorm;
typedef struct _HfPre HfPre;
typedef struct _HfPost HfPost;
typedef struct _HfDec HfDec;

typedef struct {
  char    *content;
  gsize    len;        /* bytes */
  int      id;
  gboolean special;
  gboolean lstrip;
  gboolean rstrip;
  gboolean single_word;
  gboolean normalized;
  gunichar *normal;    /* a "normalized" token's content after the normalizer, found in the
                        * normalized text; NULL: found in the original text */
  glong    n_normal;
} HfAdded;

struct _TokHf {
  HfNorm    *normalizer;       /* each may be NULL */
  HfPre     *pre;
  HfPost    *post;
  HfDec     *decoder;
  GPtrArray *added;            /* HfAdded * */

  /* BPE and WordPiece */
  char      *prefix;           /* continuing_subword_prefix, or NULL */
  char      *suffix;           /* end_of_word_suffix, or NULL */
  gboolean   byte_fallback;
  gboolean   ignore_merges;
  gboolean   fuse_unk;
  int        max_chars;        /* WordPiece's max_input_chars_per_word */
  int        byte_ids[256];    /* the id of "<0xNN>", or -1 */

  /* Unigram */
  double    *scores;           /* (n_scores), NAN for an id that is no piece */
  guint      n_scores;
  double     unk_score;
  int        max_piece_chars;

  int        roles[TRIAD_N_SPECIAL_TOKENS];
  gboolean   clean_up;         /* tokenizer_config.json's clean_up_tokenization_spaces */
};


const char *tok_json_string (JsonObject *obj,
                             const char *name);
gboolean    tok_json_bool   (JsonObject *obj,
                             const char *name,
                             gboolean    fallback);
JsonObject *tok_json_object (JsonObject *obj,
                             const char *name);
gint64      tok_json_int    (JsonObject *obj,
                             const char *name,
                             gint64      fallback);
JsonObject *tok_json_array_object (JsonArray *array,
                                   guint      i);
gint64      tok_json_array_int    (JsonArray *array,
                                   guint      i,
                                   gint64     fallback);
JsonArray  *tok_json_array  (JsonObject *obj,
                             const char *name);

/* The index in names (NULL-terminated) of obj's "type", or -1. */
int         tok_json_type   (JsonObject         *obj,
                             const char * const *names);
/* Sets the error for a part whose type Triad does not read, naming those it does; FALSE. */
gboolean    tok_hf_unsupported (const char  *source,
                                const char  *what,
                                const char  *type,
                                const char  *supported,
                                GError     **error);

int         tok_byte_of_char (gunichar c);
gunichar    tok_char_of_byte (guint8 b);

HfNorm     *tok_hf_parse_normalizer    (const char  *source,
                                        JsonObject  *obj,
                                        GError     **error);
HfPre      *tok_hf_parse_pre_tokenizer (const char  *source,
                                        JsonObject  *obj,
                                        GError     **error);
void        tok_hf_norm_free           (HfNorm *n);
/* Gives each added token marked "normalized" its normalized content. */
void        tok_hf_normalize_added     (TokHf *hf);
void        tok_hf_pre_free            (HfPre *p);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (HfNorm, tok_hf_norm_free)
G_DEFINE_AUTOPTR_CLEANUP_FUNC (HfPre, tok_hf_pre_free)

G_END_DECLS
