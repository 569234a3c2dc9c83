/* toyworld.c — the toy world's lexicon and declension tables, the held-out reservation, and
 * the lexicon's queries. Sampling and rendering of aligned English–Russian pairs are in
 * toyworld-sample.c. */
#include "config.h"

#include <string.h>

#include "engine/toyworld.h"
#include "engine/toyworld-private.h"

#define M TRIAD_TOY_MASC
#define F TRIAD_TOY_FEM
#define N TRIAD_TOY_NEUT

const Noun nouns[] = {
  { "tom",       "кот",       "кота",      "кота",      "коте",      "котом",      M, TRUE },
  { "wolf",      "волк",      "волка",     "волка",     "волке",     "волком",     M, TRUE },
  { "bear",      "медведь",   "медведя",   "медведя",   "медведе",   "медведем",   M, TRUE },
  { "goose",     "гусь",      "гуся",      "гуся",      "гусе",      "гусем",      M, TRUE },
  { "rooster",   "петух",     "петуха",    "петуха",    "петухе",    "петухом",    M, TRUE },
  { "bull",      "бык",       "быка",      "быка",      "быке",      "быком",      M, TRUE },
  { "rabbit",    "кролик",    "кролика",   "кролика",   "кролике",   "кроликом",   M, TRUE },
  { "tiger",     "тигр",      "тигра",     "тигра",     "тигре",     "тигром",     M, TRUE },
  { "boy",       "мальчик",   "мальчика",  "мальчика",  "мальчике",  "мальчиком",  M, TRUE },
  { "brother",   "брат",      "брата",     "брата",     "брате",     "братом",     M, TRUE },
  { "spider",    "паук",      "паука",     "паука",     "пауке",     "пауком",     M, TRUE },
  { "parrot",    "попугай",   "попугая",   "попугая",   "попугае",   "попугаем",   M, TRUE },

  { "table",     "стол",      "стол",      "стола",     "столе",     "столом",     M, FALSE },
  { "house",     "дом",       "дом",       "дома",      "доме",      "домом",      M, FALSE },
  { "ball",      "мяч",       "мяч",       "мяча",      "мяче",      "мячом",      M, FALSE },
  { "chair",     "стул",      "стул",      "стула",     "стуле",     "стулом",     M, FALSE },
  { "sofa",      "диван",     "диван",     "дивана",    "диване",    "диваном",    M, FALSE },
  { "drawer",    "ящик",      "ящик",      "ящика",     "ящике",     "ящиком",     M, FALSE },
  { "fence",     "забор",     "забор",     "забора",    "заборе",    "забором",    M, FALSE },
  { "phone",     "телефон",   "телефон",   "телефона",  "телефоне",  "телефоном",  M, FALSE },
  { "key",       "ключ",      "ключ",      "ключа",     "ключе",     "ключом",     M, FALSE },
  { "briefcase", "портфель",  "портфель",  "портфеля",  "портфеле",  "портфелем",  M, FALSE },
  { "kettle",    "чайник",    "чайник",    "чайника",   "чайнике",   "чайником",   M, FALSE },
  { "pencil",    "карандаш",  "карандаш",  "карандаша", "карандаше", "карандашом", M, FALSE },

  { "cat",       "кошка",     "кошку",     "кошки",     "кошке",     "кошкой",     F, TRUE },
  { "dog",       "собака",    "собаку",    "собаки",    "собаке",    "собакой",    F, TRUE },
  { "bird",      "птица",     "птицу",     "птицы",     "птице",     "птицей",     F, TRUE },
  { "fox",       "лиса",      "лису",      "лисы",      "лисе",      "лисой",      F, TRUE },
  { "cow",       "корова",    "корову",    "коровы",    "корове",    "коровой",    F, TRUE },
  { "goat",      "коза",      "козу",      "козы",      "козе",      "козой",      F, TRUE },
  { "girl",      "девочка",   "девочку",   "девочки",   "девочке",   "девочкой",   F, TRUE },
  { "sister",    "сестра",    "сестру",    "сестры",    "сестре",    "сестрой",    F, TRUE },
  { "turtle",    "черепаха",  "черепаху",  "черепахи",  "черепахе",  "черепахой",  F, TRUE },
  { "frog",      "лягушка",   "лягушку",   "лягушки",   "лягушке",   "лягушкой",   F, TRUE },

  { "book",      "книга",     "книгу",     "книги",     "книге",     "книгой",     F, FALSE },
  { "lamp",      "лампа",     "лампу",     "лампы",     "лампе",     "лампой",     F, FALSE },
  { "box",       "коробка",   "коробку",   "коробки",   "коробке",   "коробкой",   F, FALSE },
  { "car",       "машина",    "машину",    "машины",    "машине",    "машиной",    F, FALSE },
  { "cup",       "чашка",     "чашку",     "чашки",     "чашке",     "чашкой",     F, FALSE },
  { "bag",       "сумка",     "сумку",     "сумки",     "сумке",     "сумкой",     F, FALSE },
  { "hat",       "шапка",     "шапку",     "шапки",     "шапке",     "шапкой",     F, FALSE },
  { "boat",      "лодка",     "лодку",     "лодки",     "лодке",     "лодкой",     F, FALSE },
  { "wall",      "стена",     "стену",     "стены",     "стене",     "стеной",     F, FALSE },
  { "pear",      "груша",     "грушу",     "груши",     "груше",     "грушей",     F, FALSE },

  { "window",    "окно",      "окно",      "окна",      "окне",      "окном",      N, FALSE },
  { "seat",      "кресло",    "кресло",    "кресла",    "кресле",    "креслом",    N, FALSE },
  { "bucket",    "ведро",     "ведро",     "ведра",     "ведре",     "ведром",     N, FALSE },
  { "mirror",    "зеркало",   "зеркало",   "зеркала",   "зеркале",   "зеркалом",   N, FALSE },
  { "lake",      "озеро",     "озеро",     "озера",     "озере",     "озером",     N, FALSE },
  { "tree",      "дерево",    "дерево",    "дерева",    "дереве",    "деревом",    N, FALSE },
  { "ring",      "кольцо",    "кольцо",    "кольца",    "кольце",    "кольцом",    N, FALSE },
  { "towel",     "полотенце", "полотенце", "полотенца", "полотенце", "полотенцем", N, FALSE },
};

#undef M
#undef F
#undef N

static const char * const adj_endings[N_ADJ_CLASSES][N_ADJ_SLOTS] = {
  [ADJ_HARD]           = { "ый", "ая", "ое", "ого", "ом", "ым", "ую", "ой" },
  [ADJ_HARD_STRESSED]  = { "ой", "ая", "ое", "ого", "ом", "ым", "ую", "ой" },
  [ADJ_VELAR]          = { "ий", "ая", "ое", "ого", "ом", "им", "ую", "ой" },
  [ADJ_VELAR_STRESSED] = { "ой", "ая", "ое", "ого", "ом", "им", "ую", "ой" },
  [ADJ_SOFT]           = { "ий", "яя", "ее", "его", "ем", "им", "юю", "ей" },
};

const Adjective adjectives[] = {
  { "pretty", "красив",  ADJ_HARD,           KIND_OPINION },
  { "funny",  "смешн",   ADJ_HARD_STRESSED,  KIND_OPINION },
  { "bad",    "плох",    ADJ_VELAR_STRESSED, KIND_OPINION },
  { "kind",   "добр",    ADJ_HARD,           KIND_OPINION },
  { "sad",    "грустн",  ADJ_HARD,           KIND_OPINION },
  { "hungry", "голодн",  ADJ_HARD,           KIND_OPINION },
  { "big",    "больш",   ADJ_VELAR_STRESSED, KIND_SIZE },
  { "small",  "маленьк", ADJ_VELAR,          KIND_SIZE },
  { "tall",   "высок",   ADJ_VELAR,          KIND_SIZE },
  { "heavy",  "тяжёл",   ADJ_HARD,           KIND_QUALITY },
  { "quiet",  "тих",     ADJ_VELAR,          KIND_QUALITY },
  { "soft",   "мягк",    ADJ_VELAR,          KIND_QUALITY },
  { "dirty",  "грязн",   ADJ_HARD,           KIND_QUALITY },
  { "wet",    "мокр",    ADJ_HARD,           KIND_QUALITY },
  { "dry",    "сух",     ADJ_VELAR_STRESSED, KIND_QUALITY },
  { "cold",   "холодн",  ADJ_HARD,           KIND_QUALITY },
  { "new",    "нов",     ADJ_HARD,           KIND_AGE },
  { "young",  "молод",   ADJ_HARD_STRESSED,  KIND_AGE },
  { "red",    "красн",   ADJ_HARD,           KIND_COLOUR },
  { "blue",   "син",     ADJ_SOFT,           KIND_COLOUR },
  { "green",  "зелён",   ADJ_HARD,           KIND_COLOUR },
  { "black",  "чёрн",    ADJ_HARD,           KIND_COLOUR },
  { "white",  "бел",     ADJ_HARD,           KIND_COLOUR },
  { "yellow", "жёлт",    ADJ_HARD,           KIND_COLOUR },
  { "golden", "золот",   ADJ_HARD_STRESSED,  KIND_MATERIAL },
};

const Verb verbs[] = {
  { "saw",     "видел",     TRUE },
  { "heard",   "слышал",    TRUE },
  { "loved",   "любил",     TRUE },
  { "bit",     "укусил",    TRUE },
  { "pushed",  "толкнул",   TRUE },
  { "took",    "взял",      TRUE },
  { "caught",  "поймал",    TRUE },
  { "washed",  "мыл",       TRUE },
  { "dropped", "уронил",    TRUE },
  { "threw",   "бросил",    TRUE },
  { "held",    "держал",    TRUE },
  { "kissed",  "поцеловал", TRUE },
  { "fed",     "кормил",    TRUE },
  { "met",     "встретил",  TRUE },
  { "hid",     "спрятал",   TRUE },
  { "lifted",  "поднял",    TRUE },
  { "pulled",  "тянул",     TRUE },
  { "broke",   "сломал",    TRUE },
  { "woke",    "разбудил",  TRUE },
  { "lost",    "потерял",   TRUE },
  { "bought",  "купил",     TRUE },
  { "drew",    "нарисовал", TRUE },

  { "slept",   "спал",      FALSE },
  { "sat",     "сидел",     FALSE },
  { "stood",   "стоял",     FALSE },
  { "lay",     "лежал",     FALSE },
  { "waited",  "ждал",      FALSE },
  { "played",  "играл",     FALSE },
  { "jumped",  "прыгал",    FALSE },
  { "sang",    "пел",       FALSE },
};

const Preposition prepositions[] = {
  { "on",    "на",    CASE_PREP },
  { "under", "под",   CASE_INSTR },
  { "near",  "возле", CASE_GEN },
  { "in",    "в",     CASE_PREP },
};

const char * const relative_pronoun[3] = { "который", "которая", "которое" };
static const char * const en_function_words[] = { "the", "a", "and", "that" };

/* Words the shipped models read that are no word form: the decoder's translation prompt
 * ("EN: … RU:") and the tokenizer's special tokens. */
static const char * const model_words[] = {
  "EN:", "RU:", "EN", "RU", "<pad>", "<unk>", "<bos>", "<eos>", "<mask>", "<sep>",
};

static const char * const pattern_names[TRIAD_TOY_N_PATTERNS] = {
  [TRIAD_TOY_PATTERN_SIMPLE]     = "simple",
  [TRIAD_TOY_PATTERN_TWO_ADJ]    = "two-adj",
  [TRIAD_TOY_PATTERN_INTRANS_PP] = "intrans-pp",
  [TRIAD_TOY_PATTERN_TRANS_PP]   = "trans-pp",
  [TRIAD_TOY_PATTERN_CONJ]       = "conj",
  [TRIAD_TOY_PATTERN_RELATIVE]   = "relative",
};

#define RESERVED_FRACTION               0.15
/* Free partners each word keeps per group (gender of the noun, or transitivity of the verb),
 * so that every form of it still occurs in training. */
#define MIN_FREE                        2

G_STATIC_ASSERT (G_N_ELEMENTS (nouns) == N_NOUNS && G_N_ELEMENTS (adjectives) == N_ADJS
                 && G_N_ELEMENTS (verbs) == N_VERBS && G_N_ELEMENTS (prepositions) == N_PREPS);
G_STATIC_ASSERT (N_NOUNS <= MAX_LEMMAS && N_ADJS <= MAX_LEMMAS && N_VERBS <= MAX_LEMMAS);

static void
add_form (GPtrArray  *forms,
          GHashTable *seen,
          const char *form)
{
  if (g_hash_table_add (seen, (gpointer) form))
    g_ptr_array_add (forms, (gpointer) form);
}

const char *
noun_form (const Noun *noun,
           Case        c)
{
  switch (c)
    {
    case CASE_NOM:   return noun->nom;
    case CASE_ACC:   return noun->acc;
    case CASE_GEN:   return noun->gen;
    case CASE_PREP:  return noun->prep;
    case CASE_INSTR: return noun->instr;
    default:         break;
    }
  g_assert_not_reached ();
  return noun->nom;
}

AdjSlot
adj_slot (const Noun *noun,
          Case        c)
{
  if (noun->gender == TRIAD_TOY_FEM)
    {
      switch (c)
        {
        case CASE_NOM: return SLOT_F_NOM;
        case CASE_ACC: return SLOT_F_ACC;
        default:       return SLOT_F_OBLIQUE;
        }
    }

  if (c == CASE_ACC)
    c = noun->animate ? CASE_GEN : CASE_NOM;
  switch (c)
    {
    case CASE_NOM:   return noun->gender == TRIAD_TOY_MASC ? SLOT_M_NOM : SLOT_N_NOM;
    case CASE_GEN:   return SLOT_MN_GEN;
    case CASE_PREP:  return SLOT_MN_PREP;
    case CASE_INSTR: return SLOT_MN_INSTR;
    default:         break;
    }
  g_assert_not_reached ();
  return SLOT_M_NOM;
}

/* Shuffles every (first, second) pair with rng and reserves them in that order until the
 * fraction is reached, skipping a pair that would leave either word with fewer than MIN_FREE
 * free partners in the other's group. */
static void
reserve_pairs (guint8       *reserved,
               int           n_first,
               int           n_second,
               const int    *first_group,
               int           n_first_groups,
               const int    *second_group,
               int           n_second_groups,
               GRand        *rng)
{
  int n = n_first * n_second;
  int target = (int) (RESERVED_FRACTION * n + 0.5);
  g_autofree int *order = g_new (int, n);
  /* free partners of each first word in each second group, and the other way round */
  g_autofree int *free_first = g_new0 (int, n_first * n_second_groups);
  g_autofree int *free_second = g_new0 (int, n_second * n_first_groups);
  int done = 0;

  for (int i = 0; i < n_first; i++)
    for (int j = 0; j < n_second; j++)
      {
        free_first[i * n_second_groups + second_group[j]]++;
        free_second[j * n_first_groups + first_group[i]]++;
      }

  for (int k = 0; k < n; k++)
    order[k] = k;
  for (int k = n - 1; k > 0; k--)
    {
      int r = g_rand_int_range (rng, 0, k + 1);
      int t = order[k];

      order[k] = order[r];
      order[r] = t;
    }

  memset (reserved, 0, n);
  for (int k = 0; k < n && done < target; k++)
    {
      int i = order[k] / n_second;
      int j = order[k] % n_second;
      int *fi = &free_first[i * n_second_groups + second_group[j]];
      int *fj = &free_second[j * n_first_groups + first_group[i]];

      if (*fi <= MIN_FREE || *fj <= MIN_FREE)
        continue;
      reserved[order[k]] = 1;
      (*fi)--;
      (*fj)--;
      done++;
    }
}

static void
reserve (TriadToyWorld *world)
{
  g_autoptr(GRand) rng = g_rand_new_with_seed (TRIAD_TOY_HELDOUT_SEED);
  int noun_gender[N_NOUNS], adj_group[N_ADJS], verb_transitive[N_VERBS];

  for (int i = 0; i < N_NOUNS; i++)
    noun_gender[i] = nouns[i].gender;
  for (int i = 0; i < N_ADJS; i++)
    adj_group[i] = 0;
  for (int i = 0; i < N_VERBS; i++)
    verb_transitive[i] = verbs[i].transitive;

  reserve_pairs (world->adj_noun, N_ADJS, N_NOUNS, adj_group, 1, noun_gender, 3, rng);
  reserve_pairs (world->subj_verb, N_NOUNS, N_VERBS, noun_gender, 3, verb_transitive, 2, rng);
}

TriadToyWorld *
triad_toy_world_new (void)
{
  TriadToyWorld *world = g_new0 (TriadToyWorld, 1);
  g_autoptr(GHashTable) seen = g_hash_table_new (g_str_hash, g_str_equal);

  for (int p = 0; p <= TRIAD_POS_PREP; p++)
    world->index[p] = g_hash_table_new (g_str_hash, g_str_equal);
  for (int i = 0; i < N_NOUNS; i++)
    {
      world->lemmas[TRIAD_POS_NOUN][i] = nouns[i].en;
      g_hash_table_insert (world->index[TRIAD_POS_NOUN], (gpointer) nouns[i].en,
                           GINT_TO_POINTER (i + 1));
    }
  for (int i = 0; i < N_ADJS; i++)
    {
      world->lemmas[TRIAD_POS_ADJ][i] = adjectives[i].en;
      g_hash_table_insert (world->index[TRIAD_POS_ADJ], (gpointer) adjectives[i].en,
                           GINT_TO_POINTER (i + 1));
      for (int s = 0; s < N_ADJ_SLOTS; s++)
        world->adj_forms[i][s] = g_strconcat (adjectives[i].stem,
                                              adj_endings[adjectives[i].klass][s], NULL);
    }
  world->verb_by_form = g_hash_table_new (g_str_hash, g_str_equal);
  for (int i = 0; i < N_VERBS; i++)
    {
      world->lemmas[TRIAD_POS_VERB][i] = verbs[i].en;
      g_hash_table_insert (world->index[TRIAD_POS_VERB], (gpointer) verbs[i].en,
                           GINT_TO_POINTER (i + 1));
      world->verb_forms[i][TRIAD_TOY_MASC] = g_strdup (verbs[i].masc);
      world->verb_forms[i][TRIAD_TOY_FEM] = g_strconcat (verbs[i].masc, "а", NULL);
      world->verb_forms[i][TRIAD_TOY_NEUT] = g_strconcat (verbs[i].masc, "о", NULL);
      for (int g = 0; g < 3; g++)
        g_hash_table_insert (world->verb_by_form, world->verb_forms[i][g],
                             GINT_TO_POINTER (i * 3 + g + 1));
    }
  for (int i = 0; i < N_PREPS; i++)
    {
      world->lemmas[TRIAD_POS_PREP][i] = prepositions[i].en;
      g_hash_table_insert (world->index[TRIAD_POS_PREP], (gpointer) prepositions[i].en,
                           GINT_TO_POINTER (i + 1));
    }

  world->forms[TRIAD_TOY_EN] = g_ptr_array_new ();
  for (guint i = 0; i < G_N_ELEMENTS (en_function_words); i++)
    add_form (world->forms[TRIAD_TOY_EN], seen, en_function_words[i]);
  for (int i = 0; i < N_NOUNS; i++)
    add_form (world->forms[TRIAD_TOY_EN], seen, nouns[i].en);
  for (int i = 0; i < N_ADJS; i++)
    add_form (world->forms[TRIAD_TOY_EN], seen, adjectives[i].en);
  for (int i = 0; i < N_VERBS; i++)
    add_form (world->forms[TRIAD_TOY_EN], seen, verbs[i].en);
  for (int i = 0; i < N_PREPS; i++)
    add_form (world->forms[TRIAD_TOY_EN], seen, prepositions[i].en);

  world->forms[TRIAD_TOY_RU] = g_ptr_array_new ();
  for (int i = 0; i < N_NOUNS; i++)
    for (Case c = CASE_NOM; c <= CASE_INSTR; c++)
      add_form (world->forms[TRIAD_TOY_RU], seen, noun_form (&nouns[i], c));
  for (int i = 0; i < N_ADJS; i++)
    for (int s = 0; s < N_ADJ_SLOTS; s++)
      add_form (world->forms[TRIAD_TOY_RU], seen, world->adj_forms[i][s]);
  for (int i = 0; i < N_VERBS; i++)
    for (int g = 0; g < 3; g++)
      add_form (world->forms[TRIAD_TOY_RU], seen, world->verb_forms[i][g]);
  for (int i = 0; i < N_PREPS; i++)
    add_form (world->forms[TRIAD_TOY_RU], seen, prepositions[i].ru);
  add_form (world->forms[TRIAD_TOY_RU], seen, "и");
  for (int g = 0; g < 3; g++)
    add_form (world->forms[TRIAD_TOY_RU], seen, relative_pronoun[g]);

  world->known = g_hash_table_ref (seen);
  for (guint i = 0; i < G_N_ELEMENTS (model_words); i++)
    g_hash_table_add (world->known, (gpointer) model_words[i]);

  reserve (world);
  return world;
}

void
triad_toy_world_free (TriadToyWorld *world)
{
  if (world == NULL)
    return;
  for (int p = 0; p <= TRIAD_POS_PREP; p++)
    g_hash_table_unref (world->index[p]);
  for (int i = 0; i < N_ADJS; i++)
    for (int s = 0; s < N_ADJ_SLOTS; s++)
      g_free (world->adj_forms[i][s]);
  for (int i = 0; i < N_VERBS; i++)
    for (int g = 0; g < 3; g++)
      g_free (world->verb_forms[i][g]);
  g_hash_table_unref (world->verb_by_form);
  g_hash_table_unref (world->known);
  g_ptr_array_unref (world->forms[TRIAD_TOY_EN]);
  g_ptr_array_unref (world->forms[TRIAD_TOY_RU]);
  g_free (world);
}

int
lookup (TriadToyWorld *world,
        TriadToyPos    pos,
        const char    *en)
{
  if (en == NULL)
    return -1;
  return GPOINTER_TO_INT (g_hash_table_lookup (world->index[pos], en)) - 1;
}

/* ------------------------------------------------------------------------------------------ */
/* Lexicon */

GPtrArray *
triad_toy_lexicon (TriadToyWorld *world)
{
  GPtrArray *out;

  g_return_val_if_fail (world != NULL, NULL);

  out = g_ptr_array_new_full (world->forms[TRIAD_TOY_EN]->len + world->forms[TRIAD_TOY_RU]->len,
                              g_free);
  for (int l = TRIAD_TOY_EN; l <= TRIAD_TOY_RU; l++)
    for (guint i = 0; i < world->forms[l]->len; i++)
      g_ptr_array_add (out, g_strdup (world->forms[l]->pdata[i]));
  return out;
}

gboolean
triad_toy_is_known (TriadToyWorld *world,
                    const char    *word,
                    gssize         length)
{
  g_autofree char *copy = NULL;

  g_return_val_if_fail (world != NULL && word != NULL, FALSE);

  if (length >= 0)
    word = copy = g_strndup (word, length);
  return g_hash_table_contains (world->known, word);
}

static gboolean
is_space (char c)
{
  return c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\v' || c == '\f';
}

GArray *
triad_toy_unknown_spans (TriadToyWorld *world,
                         const char    *text)
{
  GArray *spans = g_array_new (FALSE, FALSE, sizeof (TriadToySpan));
  int i = 0;

  g_return_val_if_fail (world != NULL && text != NULL, spans);

  while (text[i] != '\0')
    {
      TriadToySpan span;

      while (is_space (text[i]))
        i++;
      if (text[i] == '\0')
        break;
      span.start = i;
      while (text[i] != '\0' && !is_space (text[i]))
        i++;
      span.end = i;
      if (!triad_toy_is_known (world, text + span.start, span.end - span.start))
        g_array_append_val (spans, span);
    }
  return spans;
}

char **
triad_toy_unknown_words (TriadToyWorld *world,
                         const char    *text)
{
  g_autoptr(GArray) spans = triad_toy_unknown_spans (world, text);
  g_autoptr(GPtrArray) words = g_ptr_array_new_with_free_func (g_free);

  for (guint i = 0; i < spans->len; i++)
    {
      const TriadToySpan *span = &g_array_index (spans, TriadToySpan, i);
      char *word = g_strndup (text + span->start, span->end - span->start);

      if (g_ptr_array_find_with_equal_func (words, word, g_str_equal, NULL))
        g_free (word);
      else
        g_ptr_array_add (words, word);
    }
  g_ptr_array_add (words, NULL);
  return (char **) g_ptr_array_free (g_steal_pointer (&words), FALSE);
}

char **
triad_toy_random_words (TriadToyWorld    *world,
                        GRand            *rng,
                        int               n,
                        TriadToyLanguage  language)
{
  GPtrArray *forms;
  char **out;

  g_return_val_if_fail (world != NULL && rng != NULL && n >= 0, NULL);
  g_return_val_if_fail (language == TRIAD_TOY_EN || language == TRIAD_TOY_RU, NULL);

  forms = world->forms[language];
  out = g_new0 (char *, n + 1);
  for (int i = 0; i < n; i++)
    out[i] = g_strdup (forms->pdata[g_rand_int_range (rng, 0, forms->len)]);
  return out;
}

const char * const *
triad_toy_words (TriadToyWorld *world,
                 TriadToyPos    pos,
                 int           *n_words)
{
  g_return_val_if_fail (world != NULL, NULL);
  g_return_val_if_fail (pos <= TRIAD_POS_PREP, NULL);

  if (n_words != NULL)
    *n_words = g_hash_table_size (world->index[pos]);
  return world->lemmas[pos];
}

gboolean
triad_toy_verb_is_transitive (TriadToyWorld *world,
                              const char    *en_verb)
{
  int verb;

  g_return_val_if_fail (world != NULL, FALSE);

  verb = lookup (world, TRIAD_POS_VERB, en_verb);
  return verb >= 0 && verbs[verb].transitive;
}

gboolean
triad_toy_verb_forms (TriadToyWorld  *world,
                      const char     *ru_form,
                      const char    **masc,
                      const char    **fem,
                      const char    **neut)
{
  int key, verb;

  g_return_val_if_fail (world != NULL && ru_form != NULL, FALSE);

  key = GPOINTER_TO_INT (g_hash_table_lookup (world->verb_by_form, ru_form)) - 1;
  if (key < 0)
    return FALSE;
  verb = key / 3;
  if (masc != NULL)
    *masc = world->verb_forms[verb][TRIAD_TOY_MASC];
  if (fem != NULL)
    *fem = world->verb_forms[verb][TRIAD_TOY_FEM];
  if (neut != NULL)
    *neut = world->verb_forms[verb][TRIAD_TOY_NEUT];
  return TRUE;
}

TriadToyGender
triad_toy_verb_gender (TriadToyWorld *world,
                       const char    *ru_form)
{
  int key;

  g_return_val_if_fail (world != NULL && ru_form != NULL, TRIAD_TOY_NO_GENDER);

  key = GPOINTER_TO_INT (g_hash_table_lookup (world->verb_by_form, ru_form)) - 1;
  return key < 0 ? TRIAD_TOY_NO_GENDER : (TriadToyGender) (key % 3);
}

gboolean
triad_toy_is_reserved (TriadToyWorld       *world,
                       TriadToyCombination  kind,
                       const char          *first,
                       const char          *second)
{
  g_return_val_if_fail (world != NULL, FALSE);

  if (kind == TRIAD_TOY_ADJ_NOUN)
    {
      int adj = lookup (world, TRIAD_POS_ADJ, first);
      int noun = lookup (world, TRIAD_POS_NOUN, second);

      return adj >= 0 && noun >= 0 && world->adj_noun[adj * N_NOUNS + noun];
    }
  return subject_verb_reserved (world, first, second);
}

const char *
triad_toy_pattern_name (TriadToyPattern pattern)
{
  g_return_val_if_fail (pattern < TRIAD_TOY_N_PATTERNS, NULL);

  return pattern_names[pattern];
}
