/* toyworld.h — the bilingual toy world: a small English and Russian grammar that generates
 * aligned sentence pairs, with the metadata the evaluations need.
 *
 * Every noun, adjective and verb is singular; Russian past-tense verbs and adjectives agree in
 * gender with their noun, nouns take the case their role or preposition asks for (masculine
 * animate accusative = genitive). Words are lowercase and separated by single spaces, with no
 * punctuation. Patterns (TriadToyPattern) and their probabilities:
 *
 *   SIMPLE      0.30  the big cat saw a small dog        большая кошка видела маленькую собаку
 *   TWO_ADJ     0.10  the boy took the big red ball      мальчик взял большой красный мяч
 *   INTRANS_PP  0.15  the cat slept on the table         кошка спала на столе
 *   TRANS_PP    0.15  the dog saw a cat near the house   собака видела кошку возле дома
 *   CONJ        0.15  the cat saw a dog and the dog saw a bird
 *                                                        кошка видела собаку и собака видела птицу
 *   RELATIVE    0.15  the cat that saw a dog slept       кошка которая видела собаку спала
 *                     (half the time the main verb is transitive and takes an object)
 *
 * The lexicon: 52 nouns (masculine animate and inanimate, feminine, neuter), 25 adjectives,
 * 22 transitive and 8 intransitive verbs, 4 prepositions. Any noun fills any slot, so a sentence
 * need not make sense ("the table saw a cat"); every neuter noun is inanimate.
 *
 * In every noun phrase the article is "the" or "a" with even odds and there is one adjective
 * with probability 0.4; in TWO_ADJ the subject or the object (even odds) has two adjectives of
 * different kinds, in the English order (opinion, size, quality, age, colour, material), which
 * Russian shares. These word-level odds are as drawn: the split's redraws (below) shift them a
 * little (TRAIN has an adjective in about 0.36 of noun phrases, HELDOUT in about 0.48).
 * Prepositions: on → на + prepositional, under → под + instrumental,
 * near → возле + genitive, in → в + prepositional.
 *
 * A sampled sentence never uses the same noun, adjective or verb twice (a rendered one may).
 *
 * Held-out split: about 15% of (adjective, noun) pairs and 15% of (subject noun, verb) pairs are
 * reserved, chosen by a GRand seeded with TRIAD_TOY_HELDOUT_SEED, a constant that nothing else
 * uses as a seed. Reservation is of pairs only: every adjective keeps at least two free nouns of
 * each gender, every verb two free subjects of each gender, every noun two free adjectives and
 * two free verbs of each transitivity, so every word form still occurs in training. Sampling
 * picks the pattern first and then redraws the words until the sentence suits the split, so
 * pattern frequencies are those above in either split.
 */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

#define TRIAD_TOY_HELDOUT_SEED  0x5EED0FFu

typedef enum {
  TRIAD_TOY_TRAIN,    /* no reserved combination */
  TRIAD_TOY_HELDOUT,  /* at least one reserved combination */
} TriadToySplit;

typedef enum {
  TRIAD_TOY_EN,
  TRIAD_TOY_RU,
} TriadToyLanguage;

typedef enum {
  TRIAD_TOY_MASC,
  TRIAD_TOY_FEM,
  TRIAD_TOY_NEUT,
  TRIAD_TOY_NO_GENDER,
} TriadToyGender;

typedef enum {
  TRIAD_POS_NOUN,
  TRIAD_POS_ADJ,
  TRIAD_POS_VERB,
  TRIAD_POS_PREP,
  TRIAD_POS_ART,   /* English only */
  TRIAD_POS_CONJ,  /* and ↔ и */
  TRIAD_POS_PRON,  /* the relative pronoun: that ↔ который, которая, которое */
} TriadToyPos;

typedef enum {
  TRIAD_TOY_PATTERN_SIMPLE,
  TRIAD_TOY_PATTERN_TWO_ADJ,
  TRIAD_TOY_PATTERN_INTRANS_PP,
  TRIAD_TOY_PATTERN_TRANS_PP,
  TRIAD_TOY_PATTERN_CONJ,
  TRIAD_TOY_PATTERN_RELATIVE,
  TRIAD_TOY_N_PATTERNS
} TriadToyPattern;

typedef enum {
  TRIAD_TOY_ADJ_NOUN,      /* (adjective, the noun it modifies) */
  TRIAD_TOY_SUBJECT_VERB,  /* (noun, a verb it is the subject of) */
} TriadToyCombination;

/* Words in a spec are English lemmas, e.g. "cat", "big", "saw", "near". */
typedef struct {
  const char *noun;      /* NULL: no noun phrase */
  const char *adj[2];    /* in English order; NULL when absent (adj[1] only with adj[0]) */
  gboolean    definite;  /* "the" rather than "a" */
} TriadToyNounPhrase;

typedef struct {
  TriadToyNounPhrase subject;
  const char        *verb;
  TriadToyNounPhrase object;  /* set exactly when the verb is transitive */
} TriadToyClause;

/* A sentence as explicit choices. The pattern decides which parts are used:
 *   SIMPLE, TWO_ADJ  main (transitive)
 *   INTRANS_PP       main (intransitive), prep, prep_object
 *   TRANS_PP         main (transitive), prep, prep_object
 *   CONJ             main (transitive) "and" second (transitive)
 *   RELATIVE         main.subject "that" second.verb second.object, then main.verb
 *                    [main.object]; second.subject is unused and second.verb transitive */
typedef struct {
  TriadToyPattern    pattern;
  TriadToyClause     main;
  const char        *prep;
  TriadToyNounPhrase prep_object;
  TriadToyClause     second;
} TriadToySpec;

typedef struct {
  TriadToyPattern  pattern;
  char            *en;              /* "the big cat saw a small dog" */
  char            *ru;              /* "большая кошка видела маленькую собаку" */
  char           **en_words;        /* (n_en + 1) NULL-terminated */
  char           **ru_words;        /* (n_ru + 1) NULL-terminated */
  int              n_en;
  int              n_ru;
  TriadToyPos     *en_pos;          /* (n_en) */
  TriadToyPos     *ru_pos;          /* (n_ru) */
  int             *ru_align;        /* (n_ru) index of the English word it translates, or -1 */
  TriadToyGender  *ru_gender;       /* (n_ru) a noun's own gender; for an adjective, verb or
                                     * который the gender of the noun it agrees with */
  gboolean        *ru_content;      /* (n_ru) noun, adjective or verb */
  int              ru_verb;         /* the main verb (CONJ: the first clause's) */
  int              ru_subject;      /* its subject noun */
  TriadToyGender   subject_gender;
} TriadToyPair;

typedef struct _TriadToyWorld TriadToyWorld;

TriadToyWorld  *triad_toy_world_new          (void);
void            triad_toy_world_free         (TriadToyWorld      *world);

/* A random pair from the split; uses only rng, so the same seed gives the same pairs.
 * The out structs of these functions are overwritten without being read: clear a pair before
 * filling it again. */
void            triad_toy_sample             (TriadToyWorld      *world,
                                              GRand              *rng,
                                              TriadToySplit       split,
                                              TriadToyPair       *out);
/* The choices behind triad_toy_sample: its words point to static strings. */
void            triad_toy_sample_spec        (TriadToyWorld      *world,
                                              GRand              *rng,
                                              TriadToySplit       split,
                                              TriadToySpec       *out);
/* FALSE, leaving out zeroed, when a word is unknown or does not fit the pattern (a verb's
 * transitivity, a missing or extra part, a repeated adjective). */
gboolean        triad_toy_render             (TriadToyWorld      *world,
                                              const TriadToySpec *spec,
                                              TriadToyPair       *out);
void            triad_toy_pair_clear         (TriadToyPair       *pair);

/* Every word form either language can produce, each once: English first, then Russian.
 * (transfer full) */
GPtrArray      *triad_toy_lexicon            (TriadToyWorld      *world);
/* The edges of the toy world. A word of a text is a run of characters between spaces (ASCII
 * white space); the shipped models saw it when it is a word form of either language (as the
 * lexicon writes it: lower case, no punctuation), a prompt marker of the decoder (EN: RU:) or a
 * special token (<mask>, <sep>, …). Any other word they read letter by letter, never having seen
 * it, so what they make of it means little. */
typedef struct {
  int start;  /* byte offsets into the text: [start, end) */
  int end;
} TriadToySpan;

/* Whether the models saw word (length bytes, or up to its NUL when length < 0). */
gboolean        triad_toy_is_known           (TriadToyWorld      *world,
                                              const char         *word,
                                              gssize              length);
/* The words of text the models never saw, in order, each where it stands. (transfer full) */
GArray         *triad_toy_unknown_spans      (TriadToyWorld      *world,
                                              const char         *text);
/* The same words, each once, in order of first use; NULL-terminated, free with g_strfreev. */
char          **triad_toy_unknown_words      (TriadToyWorld      *world,
                                              const char         *text);

/* n words drawn uniformly from one language's forms; NULL-terminated, free with g_strfreev. */
char          **triad_toy_random_words       (TriadToyWorld      *world,
                                              GRand              *rng,
                                              int                 n,
                                              TriadToyLanguage    language);

/* The English lemmas of one part of speech (noun, adjective, verb, preposition), in a fixed
 * order; owned by the world. */
const char * const *triad_toy_words          (TriadToyWorld      *world,
                                              TriadToyPos         pos,
                                              int                *n_words);
gboolean        triad_toy_verb_is_transitive (TriadToyWorld      *world,
                                              const char         *en_verb);

/* The three past-tense forms of the verb that ru_form is a form of; FALSE when it is none.
 * The forms are owned by the world; any out pointer may be NULL. */
gboolean        triad_toy_verb_forms         (TriadToyWorld      *world,
                                              const char         *ru_form,
                                              const char        **masc,
                                              const char        **fem,
                                              const char        **neut);
/* TRIAD_TOY_NO_GENDER when ru_form is not a verb form. */
TriadToyGender  triad_toy_verb_gender        (TriadToyWorld      *world,
                                              const char         *ru_form);

/* Whether (first, second), English lemmas, is reserved for the held-out split. */
gboolean        triad_toy_is_reserved        (TriadToyWorld      *world,
                                              TriadToyCombination kind,
                                              const char         *first,
                                              const char         *second);

const char     *triad_toy_pattern_name       (TriadToyPattern     pattern);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (TriadToyWorld, triad_toy_world_free)
G_DEFINE_AUTO_CLEANUP_CLEAR_FUNC (TriadToyPair, triad_toy_pair_clear)

G_END_DECLS
