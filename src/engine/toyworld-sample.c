/* toyworld-sample.c — sampling sentence specs from the toy world, checking them, and
 * rendering them into aligned English–Russian pairs. */
#include "config.h"

#include <string.h>

#include "engine/toyworld.h"
#include "engine/toyworld-private.h"

static const double pattern_probability[TRIAD_TOY_N_PATTERNS] = {
  [TRIAD_TOY_PATTERN_SIMPLE]     = 0.30,
  [TRIAD_TOY_PATTERN_TWO_ADJ]    = 0.10,
  [TRIAD_TOY_PATTERN_INTRANS_PP] = 0.15,
  [TRIAD_TOY_PATTERN_TRANS_PP]   = 0.15,
  [TRIAD_TOY_PATTERN_CONJ]       = 0.15,
  [TRIAD_TOY_PATTERN_RELATIVE]   = 0.15,
};

/* ------------------------------------------------------------------------------------------ */
/* Sampling */

static void
sample_adjectives (GRand              *rng,
                   int                 n_adj,
                   TriadToyNounPhrase *np)
{
  int a, b;

  np->adj[0] = np->adj[1] = NULL;
  if (n_adj == 0)
    return;
  a = g_rand_int_range (rng, 0, N_ADJS);
  if (n_adj == 1)
    {
      np->adj[0] = adjectives[a].en;
      return;
    }
  do
    b = g_rand_int_range (rng, 0, N_ADJS);
  while (adjectives[b].kind == adjectives[a].kind);
  if (adjectives[b].kind < adjectives[a].kind)
    {
      int t = a;

      a = b;
      b = t;
    }
  np->adj[0] = adjectives[a].en;
  np->adj[1] = adjectives[b].en;
}

/* n_adj < 0: one adjective with ADJ_PROBABILITY, else none. */
static void
sample_np (GRand              *rng,
           int                 n_adj,
           TriadToyNounPhrase *np)
{
  np->noun = nouns[g_rand_int_range (rng, 0, N_NOUNS)].en;
  np->definite = g_rand_boolean (rng);
  if (n_adj < 0)
    n_adj = g_rand_double (rng) < ADJ_PROBABILITY ? 1 : 0;
  sample_adjectives (rng, n_adj, np);
}

static const char *
sample_verb (GRand    *rng,
             gboolean  transitive)
{
  int n_transitive = 0;

  while (n_transitive < N_VERBS && verbs[n_transitive].transitive)
    n_transitive++;
  if (transitive)
    return verbs[g_rand_int_range (rng, 0, n_transitive)].en;
  return verbs[g_rand_int_range (rng, n_transitive, N_VERBS)].en;
}

static void
sample_words (GRand           *rng,
              TriadToyPattern  pattern,
              TriadToySpec    *spec)
{
  memset (spec, 0, sizeof *spec);
  spec->pattern = pattern;
  switch (pattern)
    {
    case TRIAD_TOY_PATTERN_SIMPLE:
      sample_np (rng, -1, &spec->main.subject);
      spec->main.verb = sample_verb (rng, TRUE);
      sample_np (rng, -1, &spec->main.object);
      break;

    case TRIAD_TOY_PATTERN_TWO_ADJ:
      {
        gboolean on_subject = g_rand_boolean (rng);

        sample_np (rng, on_subject ? 2 : -1, &spec->main.subject);
        spec->main.verb = sample_verb (rng, TRUE);
        sample_np (rng, on_subject ? -1 : 2, &spec->main.object);
      }
      break;

    case TRIAD_TOY_PATTERN_INTRANS_PP:
    case TRIAD_TOY_PATTERN_TRANS_PP:
      {
        gboolean transitive = pattern == TRIAD_TOY_PATTERN_TRANS_PP;

        sample_np (rng, -1, &spec->main.subject);
        spec->main.verb = sample_verb (rng, transitive);
        if (transitive)
          sample_np (rng, -1, &spec->main.object);
        spec->prep = prepositions[g_rand_int_range (rng, 0, N_PREPS)].en;
        sample_np (rng, -1, &spec->prep_object);
      }
      break;

    case TRIAD_TOY_PATTERN_CONJ:
      sample_np (rng, -1, &spec->main.subject);
      spec->main.verb = sample_verb (rng, TRUE);
      sample_np (rng, -1, &spec->main.object);
      sample_np (rng, -1, &spec->second.subject);
      spec->second.verb = sample_verb (rng, TRUE);
      sample_np (rng, -1, &spec->second.object);
      break;

    case TRIAD_TOY_PATTERN_RELATIVE:
      {
        gboolean transitive;

        sample_np (rng, -1, &spec->main.subject);
        spec->second.verb = sample_verb (rng, TRUE);
        sample_np (rng, -1, &spec->second.object);
        transitive = g_rand_double (rng) < RELATIVE_TRANSITIVE_PROBABILITY;
        spec->main.verb = sample_verb (rng, transitive);
        if (transitive)
          sample_np (rng, -1, &spec->main.object);
      }
      break;

    default:
      g_assert_not_reached ();
    }
}

static gboolean
np_has_reserved (TriadToyWorld            *world,
                 const TriadToyNounPhrase *np)
{
  int noun = lookup (world, TRIAD_POS_NOUN, np->noun);

  if (noun < 0)
    return FALSE;
  for (int k = 0; k < 2; k++)
    {
      int adj = lookup (world, TRIAD_POS_ADJ, np->adj[k]);

      if (adj >= 0 && world->adj_noun[adj * N_NOUNS + noun])
        return TRUE;
    }
  return FALSE;
}

gboolean
subject_verb_reserved (TriadToyWorld *world,
                       const char    *en_noun,
                       const char    *en_verb)
{
  int noun = lookup (world, TRIAD_POS_NOUN, en_noun);
  int verb = lookup (world, TRIAD_POS_VERB, en_verb);

  return noun >= 0 && verb >= 0 && world->subj_verb[noun * N_VERBS + verb];
}

static gboolean
spec_has_reserved (TriadToyWorld      *world,
                   const TriadToySpec *spec)
{
  const char *second_subject = spec->pattern == TRIAD_TOY_PATTERN_RELATIVE
                               ? spec->main.subject.noun : spec->second.subject.noun;

  return np_has_reserved (world, &spec->main.subject) ||
         np_has_reserved (world, &spec->main.object) ||
         np_has_reserved (world, &spec->prep_object) ||
         np_has_reserved (world, &spec->second.subject) ||
         np_has_reserved (world, &spec->second.object) ||
         subject_verb_reserved (world, spec->main.subject.noun, spec->main.verb) ||
         subject_verb_reserved (world, second_subject, spec->second.verb);
}

/* Whether a noun, adjective or verb occurs twice: evaluations find a Russian word's English
 * source by its word, which must then be unique. */
static gboolean
spec_repeats_word (const TriadToySpec *spec)
{
  const TriadToyNounPhrase *nps[] = {
    &spec->main.subject, &spec->main.object, &spec->prep_object,
    &spec->second.subject, &spec->second.object,
  };
  const char *words[G_N_ELEMENTS (nps) * 3 + 2];
  int n = 0;

  for (guint i = 0; i < G_N_ELEMENTS (nps); i++)
    {
      words[n++] = nps[i]->noun;
      words[n++] = nps[i]->adj[0];
      words[n++] = nps[i]->adj[1];
    }
  words[n++] = spec->main.verb;
  words[n++] = spec->second.verb;

  for (int i = 0; i < n; i++)
    for (int j = i + 1; j < n; j++)
      if (words[i] != NULL && g_strcmp0 (words[i], words[j]) == 0)
        return TRUE;
  return FALSE;
}

void
triad_toy_sample_spec (TriadToyWorld *world,
                       GRand         *rng,
                       TriadToySplit  split,
                       TriadToySpec  *out)
{
  TriadToyPattern pattern = TRIAD_TOY_N_PATTERNS - 1;
  double u;

  g_return_if_fail (world != NULL && rng != NULL && out != NULL);

  u = g_rand_double (rng);
  for (int p = 0; p < TRIAD_TOY_N_PATTERNS; p++)
    {
      if (u < pattern_probability[p])
        {
          pattern = p;
          break;
        }
      u -= pattern_probability[p];
    }

  /* Redraw the words, not the pattern, so that rejection leaves pattern frequencies alone. */
  do
    sample_words (rng, pattern, out);
  while (spec_repeats_word (out) ||
         spec_has_reserved (world, out) != (split == TRIAD_TOY_HELDOUT));
}

void
triad_toy_sample (TriadToyWorld *world,
                  GRand         *rng,
                  TriadToySplit  split,
                  TriadToyPair  *out)
{
  TriadToySpec spec;

  triad_toy_sample_spec (world, rng, split, &spec);
  if (!triad_toy_render (world, &spec, out))
    g_assert_not_reached ();
}

/* ------------------------------------------------------------------------------------------ */
/* Rendering */

typedef struct {
  GPtrArray *en;         /* const char * */
  GArray    *en_pos;     /* TriadToyPos */
  GPtrArray *ru;         /* const char * */
  GArray    *ru_pos;     /* TriadToyPos */
  GArray    *ru_align;   /* int */
  GArray    *ru_gender;  /* TriadToyGender */
} Builder;

static int
en_push (Builder     *b,
         const char  *word,
         TriadToyPos  pos)
{
  g_ptr_array_add (b->en, (gpointer) word);
  g_array_append_val (b->en_pos, pos);
  return b->en->len - 1;
}

static int
ru_push (Builder        *b,
         const char     *word,
         TriadToyPos     pos,
         int             align,
         TriadToyGender  gender)
{
  g_ptr_array_add (b->ru, (gpointer) word);
  g_array_append_val (b->ru_pos, pos);
  g_array_append_val (b->ru_align, align);
  g_array_append_val (b->ru_gender, gender);
  return b->ru->len - 1;
}

static gboolean
np_valid (TriadToyWorld            *world,
          const TriadToyNounPhrase *np)
{
  int a0 = lookup (world, TRIAD_POS_ADJ, np->adj[0]);
  int a1 = lookup (world, TRIAD_POS_ADJ, np->adj[1]);

  if (lookup (world, TRIAD_POS_NOUN, np->noun) < 0)
    return FALSE;
  if ((np->adj[0] != NULL && a0 < 0) || (np->adj[1] != NULL && a1 < 0))
    return FALSE;
  if (a1 >= 0 && (a0 < 0 || a0 == a1))
    return FALSE;
  return TRUE;
}

static gboolean
np_empty (const TriadToyNounPhrase *np)
{
  return np->noun == NULL && np->adj[0] == NULL && np->adj[1] == NULL;
}

/* A clause's verb and object; with_subject: the subject is checked too. */
static gboolean
clause_valid (TriadToyWorld        *world,
              const TriadToyClause *clause,
              gboolean              with_subject,
              int                   transitive)  /* -1: either */
{
  int verb = lookup (world, TRIAD_POS_VERB, clause->verb);

  if (verb < 0)
    return FALSE;
  if (transitive >= 0 && verbs[verb].transitive != transitive)
    return FALSE;
  if (with_subject ? !np_valid (world, &clause->subject) : !np_empty (&clause->subject))
    return FALSE;
  return verbs[verb].transitive ? np_valid (world, &clause->object) : np_empty (&clause->object);
}

static gboolean
spec_valid (TriadToyWorld      *world,
            const TriadToySpec *spec)
{
  gboolean has_pp = spec->pattern == TRIAD_TOY_PATTERN_INTRANS_PP ||
                    spec->pattern == TRIAD_TOY_PATTERN_TRANS_PP;
  gboolean has_second = spec->pattern == TRIAD_TOY_PATTERN_CONJ ||
                        spec->pattern == TRIAD_TOY_PATTERN_RELATIVE;

  if ((int) spec->pattern < 0 || spec->pattern >= TRIAD_TOY_N_PATTERNS)
    return FALSE;
  if (has_pp)
    {
      if (lookup (world, TRIAD_POS_PREP, spec->prep) < 0 || !np_valid (world, &spec->prep_object))
        return FALSE;
    }
  else if (spec->prep != NULL || !np_empty (&spec->prep_object))
    {
      return FALSE;
    }
  if (!has_second && (spec->second.verb != NULL || !np_empty (&spec->second.subject) ||
                      !np_empty (&spec->second.object)))
    return FALSE;

  switch (spec->pattern)
    {
    case TRIAD_TOY_PATTERN_SIMPLE:
    case TRIAD_TOY_PATTERN_TWO_ADJ:
    case TRIAD_TOY_PATTERN_TRANS_PP:
      return clause_valid (world, &spec->main, TRUE, TRUE);
    case TRIAD_TOY_PATTERN_INTRANS_PP:
      return clause_valid (world, &spec->main, TRUE, FALSE);
    case TRIAD_TOY_PATTERN_CONJ:
      return clause_valid (world, &spec->main, TRUE, TRUE) &&
             clause_valid (world, &spec->second, TRUE, TRUE);
    case TRIAD_TOY_PATTERN_RELATIVE:
      return clause_valid (world, &spec->main, TRUE, -1) &&
             clause_valid (world, &spec->second, FALSE, TRUE);
    default:
      return FALSE;
    }
}

/* Returns the Russian index of the noun. */
static int
render_np (TriadToyWorld            *world,
           Builder                  *b,
           const TriadToyNounPhrase *np,
           Case                      c)
{
  const Noun *noun = &nouns[lookup (world, TRIAD_POS_NOUN, np->noun)];
  int en_adj[2] = { -1, -1 };
  int en_noun;

  en_push (b, np->definite ? "the" : "a", TRIAD_POS_ART);
  for (int k = 0; k < 2 && np->adj[k] != NULL; k++)
    en_adj[k] = en_push (b, np->adj[k], TRIAD_POS_ADJ);
  en_noun = en_push (b, noun->en, TRIAD_POS_NOUN);

  for (int k = 0; k < 2 && np->adj[k] != NULL; k++)
    {
      int adj = lookup (world, TRIAD_POS_ADJ, np->adj[k]);

      ru_push (b, world->adj_forms[adj][adj_slot (noun, c)], TRIAD_POS_ADJ, en_adj[k],
               noun->gender);
    }
  return ru_push (b, noun_form (noun, c), TRIAD_POS_NOUN, en_noun, noun->gender);
}

static TriadToyGender
np_gender (TriadToyWorld            *world,
           const TriadToyNounPhrase *np)
{
  return nouns[lookup (world, TRIAD_POS_NOUN, np->noun)].gender;
}

/* Returns the Russian index of the verb. */
static int
render_verb (TriadToyWorld  *world,
             Builder        *b,
             const char     *en_verb,
             TriadToyGender  gender)
{
  int verb = lookup (world, TRIAD_POS_VERB, en_verb);
  int en = en_push (b, verbs[verb].en, TRIAD_POS_VERB);

  return ru_push (b, world->verb_forms[verb][gender], TRIAD_POS_VERB, en, gender);
}

static void
render_clause (TriadToyWorld        *world,
               Builder              *b,
               const TriadToyClause *clause,
               int                  *ru_subject,
               int                  *ru_verb)
{
  *ru_subject = render_np (world, b, &clause->subject, CASE_NOM);
  *ru_verb = render_verb (world, b, clause->verb, np_gender (world, &clause->subject));
  if (clause->object.noun != NULL)
    render_np (world, b, &clause->object, CASE_ACC);
}

static char **
words_dup (GPtrArray *words)
{
  char **out = g_new0 (char *, words->len + 1);

  for (guint i = 0; i < words->len; i++)
    out[i] = g_strdup (words->pdata[i]);
  return out;
}

gboolean
triad_toy_render (TriadToyWorld      *world,
                  const TriadToySpec *spec,
                  TriadToyPair       *out)
{
  Builder b;
  int ru_subject = -1, ru_verb = -1, unused_subject, unused_verb;
  TriadToyGender gender;

  g_return_val_if_fail (world != NULL && spec != NULL && out != NULL, FALSE);

  memset (out, 0, sizeof *out);
  if (!spec_valid (world, spec))
    return FALSE;

  b.en = g_ptr_array_new ();
  b.en_pos = g_array_new (FALSE, FALSE, sizeof (TriadToyPos));
  b.ru = g_ptr_array_new ();
  b.ru_pos = g_array_new (FALSE, FALSE, sizeof (TriadToyPos));
  b.ru_align = g_array_new (FALSE, FALSE, sizeof (int));
  b.ru_gender = g_array_new (FALSE, FALSE, sizeof (TriadToyGender));

  gender = np_gender (world, &spec->main.subject);
  switch (spec->pattern)
    {
    case TRIAD_TOY_PATTERN_SIMPLE:
    case TRIAD_TOY_PATTERN_TWO_ADJ:
      render_clause (world, &b, &spec->main, &ru_subject, &ru_verb);
      break;

    case TRIAD_TOY_PATTERN_INTRANS_PP:
    case TRIAD_TOY_PATTERN_TRANS_PP:
      {
        const Preposition *prep = &prepositions[lookup (world, TRIAD_POS_PREP, spec->prep)];
        int en;

        render_clause (world, &b, &spec->main, &ru_subject, &ru_verb);
        en = en_push (&b, prep->en, TRIAD_POS_PREP);
        ru_push (&b, prep->ru, TRIAD_POS_PREP, en, TRIAD_TOY_NO_GENDER);
        render_np (world, &b, &spec->prep_object, prep->governs);
      }
      break;

    case TRIAD_TOY_PATTERN_CONJ:
      {
        int en;

        render_clause (world, &b, &spec->main, &ru_subject, &ru_verb);
        en = en_push (&b, "and", TRIAD_POS_CONJ);
        ru_push (&b, "и", TRIAD_POS_CONJ, en, TRIAD_TOY_NO_GENDER);
        render_clause (world, &b, &spec->second, &unused_subject, &unused_verb);
      }
      break;

    case TRIAD_TOY_PATTERN_RELATIVE:
      {
        int en;

        ru_subject = render_np (world, &b, &spec->main.subject, CASE_NOM);
        en = en_push (&b, "that", TRIAD_POS_PRON);
        ru_push (&b, relative_pronoun[gender], TRIAD_POS_PRON, en, gender);
        render_verb (world, &b, spec->second.verb, gender);
        render_np (world, &b, &spec->second.object, CASE_ACC);
        ru_verb = render_verb (world, &b, spec->main.verb, gender);
        if (spec->main.object.noun != NULL)
          render_np (world, &b, &spec->main.object, CASE_ACC);
      }
      break;

    default:
      g_assert_not_reached ();
    }

  out->pattern = spec->pattern;
  out->n_en = b.en->len;
  out->n_ru = b.ru->len;
  out->en_words = words_dup (b.en);
  out->ru_words = words_dup (b.ru);
  out->en = g_strjoinv (" ", out->en_words);
  out->ru = g_strjoinv (" ", out->ru_words);
  out->en_pos = (TriadToyPos *) g_array_free (b.en_pos, FALSE);
  out->ru_pos = (TriadToyPos *) g_array_free (b.ru_pos, FALSE);
  out->ru_align = (int *) g_array_free (b.ru_align, FALSE);
  out->ru_gender = (TriadToyGender *) g_array_free (b.ru_gender, FALSE);
  out->ru_content = g_new (gboolean, out->n_ru);
  for (int i = 0; i < out->n_ru; i++)
    out->ru_content[i] = out->ru_pos[i] == TRIAD_POS_NOUN || out->ru_pos[i] == TRIAD_POS_ADJ ||
                         out->ru_pos[i] == TRIAD_POS_VERB;
  out->ru_verb = ru_verb;
  out->ru_subject = ru_subject;
  out->subject_gender = gender;

  g_ptr_array_unref (b.en);
  g_ptr_array_unref (b.ru);
  return TRUE;
}

void
triad_toy_pair_clear (TriadToyPair *pair)
{
  if (pair == NULL)
    return;
  g_free (pair->en);
  g_free (pair->ru);
  g_strfreev (pair->en_words);
  g_strfreev (pair->ru_words);
  g_free (pair->en_pos);
  g_free (pair->ru_pos);
  g_free (pair->ru_align);
  g_free (pair->ru_gender);
  g_free (pair->ru_content);
  memset (pair, 0, sizeof *pair);
}
