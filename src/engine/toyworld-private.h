/* toyworld-private.h — what the toy world's files share: the lexicon's types and tables,
 * the world's fields, and the lookups that sampling and rendering make in the lexicon. Not
 * for use outside src/engine/toyworld*.c. */
#pragma once

#include <glib.h>

#include "engine/toyworld.h"

G_BEGIN_DECLS

/* The tables' lengths, for the world's fields; toyworld.c checks them against its tables. */
#define N_NOUNS 52
#define N_ADJS  25
#define N_VERBS 30
#define N_PREPS 4

typedef enum {
  CASE_NOM,
  CASE_ACC,
  CASE_GEN,
  CASE_PREP,
  CASE_INSTR,
} Case;

/* Singular forms written out in full. None has a fleeting vowel or a second locative
 * (в лесу, на мосту), and none that can follow в begins with в or ф and a consonant, which
 * would turn the preposition into во. English words start with a consonant, so the article is
 * always "a", never "an". */
typedef struct {
  const char     *en;
  const char     *nom, *acc, *gen, *prep, *instr;
  TriadToyGender  gender;
  gboolean        animate;
} Noun;

/* Adjective declension classes, named by the masculine nominative: красный, молодой
 * (stressed ending), маленький (stem in г, к, х: и for ы), большой (stressed, stem in к, х or
 * ш), синий (soft). */
typedef enum {
  ADJ_HARD,
  ADJ_HARD_STRESSED,
  ADJ_VELAR,
  ADJ_VELAR_STRESSED,
  ADJ_SOFT,
  N_ADJ_CLASSES
} AdjClass;

/* The distinct endings of an adjective in the singular. The masculine animate accusative is
 * the genitive, the inanimate one the nominative; the neuter accusative is the nominative;
 * neuter oblique cases are the masculine ones; the feminine genitive, prepositional and
 * instrumental share one ending. */
typedef enum {
  SLOT_M_NOM,
  SLOT_F_NOM,
  SLOT_N_NOM,
  SLOT_MN_GEN,
  SLOT_MN_PREP,
  SLOT_MN_INSTR,
  SLOT_F_ACC,
  SLOT_F_OBLIQUE,
  N_ADJ_SLOTS
} AdjSlot;

/* Where an adjective goes among several, in English and Russian alike. */
typedef enum {
  KIND_OPINION,
  KIND_SIZE,
  KIND_QUALITY,
  KIND_AGE,
  KIND_COLOUR,
  KIND_MATERIAL,
} AdjKind;

typedef struct {
  const char *en;
  const char *stem;
  AdjClass    klass;
  AdjKind     kind;
} Adjective;

/* Past tense: the feminine adds а and the neuter о to the masculine for every verb here. Every
 * transitive verb takes its object in the accusative. */
typedef struct {
  const char *en;
  const char *masc;
  gboolean    transitive;
} Verb;

typedef struct {
  const char *en;
  const char *ru;
  Case        governs;
} Preposition;

#define ADJ_PROBABILITY                 0.4
#define RELATIVE_TRANSITIVE_PROBABILITY 0.5

#define MAX_LEMMAS 64

struct _TriadToyWorld {
  GHashTable *index[4];      /* per TriadToyPos up to PREP: English lemma → index + 1 */
  const char *lemmas[4][MAX_LEMMAS + 1];  /* per TriadToyPos up to PREP, NULL-terminated */
  char       *adj_forms[N_ADJS][N_ADJ_SLOTS];
  char       *verb_forms[N_VERBS][3];
  GHashTable *verb_by_form;  /* Russian form → index * 3 + gender + 1 */
  GPtrArray  *forms[2];      /* per TriadToyLanguage, unowned, each form once */
  GHashTable *known;         /* every form, prompt marker and special token the models saw */
  guint8      adj_noun[N_ADJS * N_NOUNS];    /* reserved (adjective, noun) */
  guint8      subj_verb[N_NOUNS * N_VERBS];  /* reserved (subject noun, verb) */
};

extern const Noun        nouns[];
extern const Adjective   adjectives[];
extern const Verb        verbs[];
extern const Preposition prepositions[];
extern const char * const relative_pronoun[3];

/* toyworld.c */
int
lookup (TriadToyWorld *world,
        TriadToyPos    pos,
        const char    *en);

const char *
noun_form (const Noun *noun,
           Case        c);

AdjSlot
adj_slot (const Noun *noun,
          Case        c);

/* toyworld-sample.c */
gboolean
subject_verb_reserved (TriadToyWorld *world,
                       const char    *en_noun,
                       const char    *en_verb);

G_END_DECLS
