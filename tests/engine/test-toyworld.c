/* test-toyworld.c — the toy world's Russian against hand translations, its alignment and
 * metadata, the held-out split, the lexicon and the pattern frequencies. */
#include "config.h"

#include <string.h>

#include "engine/toyworld.h"

#define THE TRUE
#define A   FALSE

#define NP0(noun, def)          { (noun), { NULL, NULL }, (def) }
#define NP1(adj, noun, def)     { (noun), { (adj), NULL }, (def) }
#define NP2(a, b, noun, def)    { (noun), { (a), (b) }, (def) }

static void
assert_render (TriadToyWorld      *world,
               const TriadToySpec *spec,
               const char         *en,
               const char         *ru)
{
  g_auto(TriadToyPair) pair = { 0 };

  g_assert_true (triad_toy_render (world, spec, &pair));
  g_assert_cmpstr (pair.en, ==, en);
  g_assert_cmpstr (pair.ru, ==, ru);
}

/* S V O */
static void
check_simple (TriadToyWorld      *world,
              TriadToyNounPhrase  subject,
              const char         *verb,
              TriadToyNounPhrase  object,
              const char         *en,
              const char         *ru)
{
  TriadToySpec spec = { .pattern = TRIAD_TOY_PATTERN_SIMPLE };

  spec.main.subject = subject;
  spec.main.verb = verb;
  spec.main.object = object;
  if (subject.adj[1] != NULL || object.adj[1] != NULL)
    spec.pattern = TRIAD_TOY_PATTERN_TWO_ADJ;
  assert_render (world, &spec, en, ru);
}

/* S Vi P N */
static void
check_pp (TriadToyWorld      *world,
          TriadToyNounPhrase  subject,
          const char         *verb,
          const char         *prep,
          TriadToyNounPhrase  prep_object,
          const char         *en,
          const char         *ru)
{
  TriadToySpec spec = { .pattern = TRIAD_TOY_PATTERN_INTRANS_PP };

  spec.main.subject = subject;
  spec.main.verb = verb;
  spec.prep = prep;
  spec.prep_object = prep_object;
  assert_render (world, &spec, en, ru);
}

/* S V O P N */
static void
check_trans_pp (TriadToyWorld      *world,
                TriadToyNounPhrase  subject,
                const char         *verb,
                TriadToyNounPhrase  object,
                const char         *prep,
                TriadToyNounPhrase  prep_object,
                const char         *en,
                const char         *ru)
{
  TriadToySpec spec = { .pattern = TRIAD_TOY_PATTERN_TRANS_PP };

  spec.main.subject = subject;
  spec.main.verb = verb;
  spec.main.object = object;
  spec.prep = prep;
  spec.prep_object = prep_object;
  assert_render (world, &spec, en, ru);
}

static void
test_agreement (void)
{
  g_autoptr(TriadToyWorld) w = triad_toy_world_new ();

  check_simple (w, (TriadToyNounPhrase) NP1 ("big", "cat", THE), "saw",
                (TriadToyNounPhrase) NP1 ("small", "dog", A),
                "the big cat saw a small dog", "большая кошка видела маленькую собаку");
  check_simple (w, (TriadToyNounPhrase) NP1 ("big", "tom", THE), "saw",
                (TriadToyNounPhrase) NP1 ("small", "dog", A),
                "the big tom saw a small dog", "большой кот видел маленькую собаку");
  check_simple (w, (TriadToyNounPhrase) NP1 ("small", "window", THE), "saw",
                (TriadToyNounPhrase) NP1 ("big", "tom", A),
                "the small window saw a big tom", "маленькое окно видело большого кота");
  check_simple (w, (TriadToyNounPhrase) NP1 ("blue", "bird", A), "caught",
                (TriadToyNounPhrase) NP1 ("blue", "parrot", THE),
                "a blue bird caught the blue parrot", "синяя птица поймала синего попугая");
  check_simple (w, (TriadToyNounPhrase) NP1 ("blue", "ring", THE), "broke",
                (TriadToyNounPhrase) NP1 ("blue", "cup", A),
                "the blue ring broke a blue cup", "синее кольцо сломало синюю чашку");
  check_simple (w, (TriadToyNounPhrase) NP1 ("young", "bear", THE), "fed",
                (TriadToyNounPhrase) NP1 ("young", "goat", A),
                "the young bear fed a young goat", "молодой медведь кормил молодую козу");
  check_simple (w, (TriadToyNounPhrase) NP1 ("kind", "sister", THE), "drew",
                (TriadToyNounPhrase) NP1 ("funny", "tiger", A),
                "the kind sister drew a funny tiger", "добрая сестра нарисовала смешного тигра");
  check_simple (w, (TriadToyNounPhrase) NP1 ("dry", "towel", THE), "hid",
                (TriadToyNounPhrase) NP1 ("dry", "key", A),
                "the dry towel hid a dry key", "сухое полотенце спрятало сухой ключ");
  check_simple (w, (TriadToyNounPhrase) NP1 ("heavy", "seat", A), "pushed",
                (TriadToyNounPhrase) NP1 ("quiet", "rabbit", A),
                "a heavy seat pushed a quiet rabbit", "тяжёлое кресло толкнуло тихого кролика");
}

static void
test_accusative (void)
{
  g_autoptr(TriadToyWorld) w = triad_toy_world_new ();

  /* masculine: animate takes the genitive form, inanimate the nominative */
  check_simple (w, (TriadToyNounPhrase) NP0 ("cat", THE), "saw",
                (TriadToyNounPhrase) NP0 ("tom", A), "the cat saw a tom", "кошка видела кота");
  check_simple (w, (TriadToyNounPhrase) NP0 ("cat", THE), "saw",
                (TriadToyNounPhrase) NP0 ("table", A), "the cat saw a table", "кошка видела стол");
  check_simple (w, (TriadToyNounPhrase) NP0 ("dog", THE), "saw",
                (TriadToyNounPhrase) NP1 ("big", "wolf", THE),
                "the dog saw the big wolf", "собака видела большого волка");
  check_simple (w, (TriadToyNounPhrase) NP0 ("dog", THE), "saw",
                (TriadToyNounPhrase) NP1 ("big", "ball", THE),
                "the dog saw the big ball", "собака видела большой мяч");
  check_simple (w, (TriadToyNounPhrase) NP0 ("boy", THE), "fed",
                (TriadToyNounPhrase) NP1 ("blue", "parrot", THE),
                "the boy fed the blue parrot", "мальчик кормил синего попугая");
  check_simple (w, (TriadToyNounPhrase) NP0 ("girl", THE), "lifted",
                (TriadToyNounPhrase) NP1 ("soft", "bear", A),
                "the girl lifted a soft bear", "девочка подняла мягкого медведя");
  check_simple (w, (TriadToyNounPhrase) NP0 ("girl", THE), "lifted",
                (TriadToyNounPhrase) NP1 ("soft", "briefcase", A),
                "the girl lifted a soft briefcase", "девочка подняла мягкий портфель");
  /* feminine: у / ю whether animate or not */
  check_simple (w, (TriadToyNounPhrase) NP0 ("tom", THE), "saw",
                (TriadToyNounPhrase) NP0 ("cat", A), "the tom saw a cat", "кот видел кошку");
  check_simple (w, (TriadToyNounPhrase) NP0 ("tom", THE), "saw",
                (TriadToyNounPhrase) NP0 ("lamp", A), "the tom saw a lamp", "кот видел лампу");
  check_simple (w, (TriadToyNounPhrase) NP0 ("goose", A), "bought",
                (TriadToyNounPhrase) NP1 ("green", "pear", A),
                "a goose bought a green pear", "гусь купил зелёную грушу");
  /* neuter: as the nominative */
  check_simple (w, (TriadToyNounPhrase) NP0 ("cat", THE), "saw",
                (TriadToyNounPhrase) NP0 ("window", A),
                "the cat saw a window", "кошка видела окно");
  check_simple (w, (TriadToyNounPhrase) NP0 ("girl", THE), "lifted",
                (TriadToyNounPhrase) NP1 ("soft", "towel", A),
                "the girl lifted a soft towel", "девочка подняла мягкое полотенце");
}

static void
test_prepositions (void)
{
  g_autoptr(TriadToyWorld) w = triad_toy_world_new ();

  /* на + prepositional */
  check_pp (w, (TriadToyNounPhrase) NP0 ("cat", THE), "slept", "on",
            (TriadToyNounPhrase) NP0 ("table", THE),
            "the cat slept on the table", "кошка спала на столе");
  check_pp (w, (TriadToyNounPhrase) NP0 ("goat", A), "stood", "on",
            (TriadToyNounPhrase) NP1 ("small", "box", THE),
            "a goat stood on the small box", "коза стояла на маленькой коробке");
  check_pp (w, (TriadToyNounPhrase) NP0 ("turtle", THE), "lay", "on",
            (TriadToyNounPhrase) NP1 ("wet", "towel", THE),
            "the turtle lay on the wet towel", "черепаха лежала на мокром полотенце");
  check_pp (w, (TriadToyNounPhrase) NP0 ("parrot", THE), "sat", "on",
            (TriadToyNounPhrase) NP0 ("pear", A),
            "the parrot sat on a pear", "попугай сидел на груше");
  /* под + instrumental */
  check_pp (w, (TriadToyNounPhrase) NP0 ("dog", THE), "sat", "under",
            (TriadToyNounPhrase) NP1 ("big", "table", THE),
            "the dog sat under the big table", "собака сидела под большим столом");
  check_pp (w, (TriadToyNounPhrase) NP0 ("bird", THE), "sang", "under",
            (TriadToyNounPhrase) NP1 ("green", "lamp", A),
            "the bird sang under a green lamp", "птица пела под зелёной лампой");
  check_pp (w, (TriadToyNounPhrase) NP0 ("spider", THE), "slept", "under",
            (TriadToyNounPhrase) NP1 ("golden", "ring", A),
            "the spider slept under a golden ring", "паук спал под золотым кольцом");
  check_pp (w, (TriadToyNounPhrase) NP0 ("rabbit", THE), "jumped", "under",
            (TriadToyNounPhrase) NP0 ("goose", A),
            "the rabbit jumped under a goose", "кролик прыгал под гусем");
  check_pp (w, (TriadToyNounPhrase) NP0 ("frog", THE), "jumped", "under",
            (TriadToyNounPhrase) NP0 ("bird", THE),
            "the frog jumped under the bird", "лягушка прыгала под птицей");
  check_pp (w, (TriadToyNounPhrase) NP0 ("tom", THE), "sat", "under",
            (TriadToyNounPhrase) NP0 ("pencil", THE),
            "the tom sat under the pencil", "кот сидел под карандашом");
  /* возле + genitive */
  check_pp (w, (TriadToyNounPhrase) NP0 ("tom", THE), "waited", "near",
            (TriadToyNounPhrase) NP0 ("house", THE),
            "the tom waited near the house", "кот ждал возле дома");
  check_pp (w, (TriadToyNounPhrase) NP0 ("wolf", THE), "lay", "near",
            (TriadToyNounPhrase) NP1 ("white", "wall", A),
            "the wolf lay near a white wall", "волк лежал возле белой стены");
  check_pp (w, (TriadToyNounPhrase) NP0 ("boy", A), "waited", "near",
            (TriadToyNounPhrase) NP0 ("bear", THE),
            "a boy waited near the bear", "мальчик ждал возле медведя");
  check_pp (w, (TriadToyNounPhrase) NP0 ("fox", A), "played", "near",
            (TriadToyNounPhrase) NP1 ("blue", "bird", THE),
            "a fox played near the blue bird", "лиса играла возле синей птицы");
  check_pp (w, (TriadToyNounPhrase) NP0 ("goat", THE), "stood", "near",
            (TriadToyNounPhrase) NP1 ("new", "bucket", A),
            "the goat stood near a new bucket", "коза стояла возле нового ведра");
  /* в + prepositional */
  check_pp (w, (TriadToyNounPhrase) NP0 ("frog", THE), "sat", "in",
            (TriadToyNounPhrase) NP0 ("bucket", A),
            "the frog sat in a bucket", "лягушка сидела в ведре");
  check_pp (w, (TriadToyNounPhrase) NP0 ("window", THE), "stood", "in",
            (TriadToyNounPhrase) NP1 ("blue", "lake", THE),
            "the window stood in the blue lake", "окно стояло в синем озере");
  check_pp (w, (TriadToyNounPhrase) NP0 ("cow", THE), "slept", "in",
            (TriadToyNounPhrase) NP1 ("soft", "seat", THE),
            "the cow slept in the soft seat", "корова спала в мягком кресле");
  check_pp (w, (TriadToyNounPhrase) NP0 ("goose", THE), "sang", "in",
            (TriadToyNounPhrase) NP1 ("yellow", "car", A),
            "the goose sang in a yellow car", "гусь пел в жёлтой машине");

  check_trans_pp (w, (TriadToyNounPhrase) NP0 ("dog", THE), "saw",
                  (TriadToyNounPhrase) NP0 ("cat", A), "near",
                  (TriadToyNounPhrase) NP0 ("house", THE),
                  "the dog saw a cat near the house", "собака видела кошку возле дома");
  check_trans_pp (w, (TriadToyNounPhrase) NP0 ("girl", THE), "hid",
                  (TriadToyNounPhrase) NP0 ("key", A), "under",
                  (TriadToyNounPhrase) NP1 ("blue", "towel", THE),
                  "the girl hid a key under the blue towel",
                  "девочка спрятала ключ под синим полотенцем");
  check_trans_pp (w, (TriadToyNounPhrase) NP0 ("tom", A), "caught",
                  (TriadToyNounPhrase) NP0 ("parrot", A), "on",
                  (TriadToyNounPhrase) NP0 ("tree", THE),
                  "a tom caught a parrot on the tree", "кот поймал попугая на дереве");
}

static void
test_two_adjectives (void)
{
  g_autoptr(TriadToyWorld) w = triad_toy_world_new ();

  check_simple (w, (TriadToyNounPhrase) NP0 ("boy", THE), "took",
                (TriadToyNounPhrase) NP2 ("big", "red", "ball", THE),
                "the boy took the big red ball", "мальчик взял большой красный мяч");
  check_simple (w, (TriadToyNounPhrase) NP2 ("pretty", "small", "cat", THE), "lost",
                (TriadToyNounPhrase) NP2 ("new", "black", "hat", A),
                "the pretty small cat lost a new black hat",
                "красивая маленькая кошка потеряла новую чёрную шапку");
  check_simple (w, (TriadToyNounPhrase) NP0 ("girl", THE), "saw",
                (TriadToyNounPhrase) NP2 ("big", "black", "wolf", A),
                "the girl saw a big black wolf", "девочка видела большого чёрного волка");
  check_simple (w, (TriadToyNounPhrase) NP2 ("dirty", "white", "seat", A), "hid",
                (TriadToyNounPhrase) NP2 ("sad", "young", "rooster", THE),
                "a dirty white seat hid the sad young rooster",
                "грязное белое кресло спрятало грустного молодого петуха");
}

static void
test_conjunction (void)
{
  g_autoptr(TriadToyWorld) w = triad_toy_world_new ();
  TriadToySpec spec = {
    .pattern = TRIAD_TOY_PATTERN_CONJ,
    .main = { NP0 ("cat", THE), "saw", NP0 ("dog", A) },
    .second = { NP0 ("dog", THE), "saw", NP0 ("bird", A) },
  };
  TriadToySpec spec2 = {
    .pattern = TRIAD_TOY_PATTERN_CONJ,
    .main = { NP0 ("tom", THE), "bit", NP0 ("goose", A) },
    .second = { NP0 ("window", A), "broke", NP1 ("blue", "cup", THE) },
  };

  assert_render (w, &spec, "the cat saw a dog and the dog saw a bird",
                 "кошка видела собаку и собака видела птицу");
  assert_render (w, &spec2, "the tom bit a goose and a window broke the blue cup",
                 "кот укусил гуся и окно сломало синюю чашку");
}

static void
test_relative (void)
{
  g_autoptr(TriadToyWorld) w = triad_toy_world_new ();
  TriadToySpec fem = {
    .pattern = TRIAD_TOY_PATTERN_RELATIVE,
    .main = { NP0 ("cat", THE), "slept", NP0 (NULL, A) },
    .second = { NP0 (NULL, A), "saw", NP0 ("dog", A) },
  };
  TriadToySpec masc = {
    .pattern = TRIAD_TOY_PATTERN_RELATIVE,
    .main = { NP0 ("tom", THE), "caught", NP0 ("bird", THE) },
    .second = { NP0 (NULL, A), "bit", NP0 ("rooster", A) },
  };
  TriadToySpec neut = {
    .pattern = TRIAD_TOY_PATTERN_RELATIVE,
    .main = { NP0 ("tree", THE), "stood", NP0 (NULL, A) },
    .second = { NP0 (NULL, A), "hid", NP0 ("frog", A) },
  };
  TriadToySpec adj = {
    .pattern = TRIAD_TOY_PATTERN_RELATIVE,
    .main = { NP1 ("big", "bear", A), "sang", NP0 (NULL, A) },
    .second = { NP0 (NULL, A), "loved", NP1 ("white", "goat", THE) },
  };

  assert_render (w, &fem, "the cat that saw a dog slept", "кошка которая видела собаку спала");
  assert_render (w, &masc, "the tom that bit a rooster caught the bird",
                 "кот который укусил петуха поймал птицу");
  assert_render (w, &neut, "the tree that hid a frog stood",
                 "дерево которое спрятало лягушку стояло");
  assert_render (w, &adj, "a big bear that loved the white goat sang",
                 "большой медведь который любил белую козу пел");
}

static void
assert_invalid (TriadToyWorld      *w,
                const TriadToySpec *spec)
{
  TriadToyPair pair;

  memset (&pair, 0x5a, sizeof pair);
  g_assert_false (triad_toy_render (w, spec, &pair));
  g_assert_null (pair.en);
  g_assert_null (pair.ru);
  g_assert_null (pair.ru_align);
  g_assert_cmpint (pair.n_ru, ==, 0);
}

static void
test_render_invalid (void)
{
  g_autoptr(TriadToyWorld) w = triad_toy_world_new ();
  TriadToySpec good = {
    .pattern = TRIAD_TOY_PATTERN_SIMPLE,
    .main = { NP0 ("cat", THE), "saw", NP0 ("dog", A) },
  };
  TriadToySpec spec;
  g_auto(TriadToyPair) pair = { 0 };

  g_assert_true (triad_toy_render (w, &good, &pair));

  spec = good;
  spec.main.subject.noun = "unicorn";
  assert_invalid (w, &spec);
  spec = good;
  spec.main.verb = "flew";
  assert_invalid (w, &spec);
  spec = good;                                   /* a transitive verb without its object */
  spec.main.object.noun = NULL;
  assert_invalid (w, &spec);
  spec = good;                                   /* an intransitive verb with one */
  spec.main.verb = "slept";
  assert_invalid (w, &spec);
  spec = good;                                   /* no preposition in this pattern */
  spec.prep = "on";
  spec.prep_object.noun = "table";
  assert_invalid (w, &spec);
  spec = good;
  spec.main.object.adj[1] = "red";               /* a second adjective without a first */
  assert_invalid (w, &spec);
  spec = good;
  spec.main.object.adj[0] = spec.main.object.adj[1] = "red";
  assert_invalid (w, &spec);
  spec = good;
  spec.main.object.adj[0] = "purple";
  assert_invalid (w, &spec);
  spec = good;
  spec.pattern = TRIAD_TOY_N_PATTERNS;
  assert_invalid (w, &spec);

  spec = good;
  spec.pattern = TRIAD_TOY_PATTERN_INTRANS_PP;   /* a transitive verb */
  spec.main.object.noun = NULL;
  spec.prep = "on";
  spec.prep_object.noun = "table";
  assert_invalid (w, &spec);
  spec.main.verb = "slept";
  triad_toy_pair_clear (&pair);
  g_assert_true (triad_toy_render (w, &spec, &pair));
  g_assert_cmpstr (pair.ru, ==, "кошка спала на столе");
  spec.prep = "over";
  assert_invalid (w, &spec);
  spec.prep = NULL;
  assert_invalid (w, &spec);

  spec = good;
  spec.pattern = TRIAD_TOY_PATTERN_RELATIVE;     /* the relative clause has no subject of its own */
  spec.second.verb = "saw";
  spec.second.object.noun = "bird";
  triad_toy_pair_clear (&pair);
  g_assert_true (triad_toy_render (w, &spec, &pair));
  g_assert_cmpstr (pair.ru, ==, "кошка которая видела птицу видела собаку");
  spec.second.subject.noun = "tom";
  assert_invalid (w, &spec);

  spec = good;
  spec.pattern = TRIAD_TOY_PATTERN_CONJ;         /* no second clause */
  assert_invalid (w, &spec);
}

static void
test_alignment (void)
{
  g_autoptr(TriadToyWorld) w = triad_toy_world_new ();
  const TriadToyGender m = TRIAD_TOY_MASC, f = TRIAD_TOY_FEM, n = TRIAD_TOY_NEUT;
  const TriadToyGender none = TRIAD_TOY_NO_GENDER;
  g_auto(TriadToyPair) pair = { 0 };
  TriadToySpec simple = {
    .pattern = TRIAD_TOY_PATTERN_SIMPLE,
    .main = { NP1 ("big", "cat", THE), "saw", NP1 ("small", "tom", A) },
  };
  TriadToySpec relative = {
    .pattern = TRIAD_TOY_PATTERN_RELATIVE,
    .main = { NP0 ("cat", THE), "slept", NP0 (NULL, A) },
    .second = { NP0 (NULL, A), "saw", NP0 ("tom", A) },
  };
  TriadToySpec conj = {
    .pattern = TRIAD_TOY_PATTERN_CONJ,
    .main = { NP0 ("window", A), "broke", NP0 ("cup", THE) },
    .second = { NP0 ("tom", THE), "saw", NP0 ("bird", A) },
  };
  TriadToySpec pp = {
    .pattern = TRIAD_TOY_PATTERN_TRANS_PP,
    .main = { NP0 ("dog", THE), "saw", NP0 ("cat", A) },
    .prep = "near",
    .prep_object = NP0 ("house", THE),
  };

  {
    /* the0 big1 cat2 saw3 a4 small5 tom6 — большая кошка видела маленького кота */
    const int align[] = { 1, 2, 3, 5, 6 };
    const TriadToyPos pos[] = { TRIAD_POS_ADJ, TRIAD_POS_NOUN, TRIAD_POS_VERB,
                                TRIAD_POS_ADJ, TRIAD_POS_NOUN };
    const TriadToyPos en_pos[] = { TRIAD_POS_ART, TRIAD_POS_ADJ, TRIAD_POS_NOUN, TRIAD_POS_VERB,
                                   TRIAD_POS_ART, TRIAD_POS_ADJ, TRIAD_POS_NOUN };
    const TriadToyGender gender[] = { f, f, f, m, m };

    g_assert_true (triad_toy_render (w, &simple, &pair));
    g_assert_cmpstr (pair.ru, ==, "большая кошка видела маленького кота");
    g_assert_cmpint (pair.n_en, ==, 7);
    g_assert_cmpint (pair.n_ru, ==, 5);
    g_assert_cmpmem (pair.ru_align, 5 * sizeof (int), align, sizeof align);
    g_assert_cmpmem (pair.ru_pos, 5 * sizeof (TriadToyPos), pos, sizeof pos);
    g_assert_cmpmem (pair.en_pos, 7 * sizeof (TriadToyPos), en_pos, sizeof en_pos);
    g_assert_cmpmem (pair.ru_gender, 5 * sizeof (TriadToyGender), gender, sizeof gender);
    for (int i = 0; i < 5; i++)
      g_assert_true (pair.ru_content[i]);
    g_assert_cmpint (pair.ru_verb, ==, 2);
    g_assert_cmpint (pair.ru_subject, ==, 1);
    g_assert_cmpint (pair.subject_gender, ==, f);
    g_assert_cmpint (pair.pattern, ==, TRIAD_TOY_PATTERN_SIMPLE);
    g_assert_cmpstr (pair.en_words[2], ==, "cat");
    g_assert_cmpstr (pair.ru_words[4], ==, "кота");
    g_assert_null (pair.ru_words[5]);
    g_assert_null (pair.en_words[7]);
  }
  triad_toy_pair_clear (&pair);
  {
    /* the0 cat1 that2 saw3 a4 tom5 slept6 — кошка которая видела кота спала */
    const int align[] = { 1, 2, 3, 5, 6 };
    const TriadToyPos pos[] = { TRIAD_POS_NOUN, TRIAD_POS_PRON, TRIAD_POS_VERB,
                                TRIAD_POS_NOUN, TRIAD_POS_VERB };
    const TriadToyGender gender[] = { f, f, f, m, f };
    const gboolean content[] = { TRUE, FALSE, TRUE, TRUE, TRUE };

    g_assert_true (triad_toy_render (w, &relative, &pair));
    g_assert_cmpstr (pair.ru, ==, "кошка которая видела кота спала");
    g_assert_cmpmem (pair.ru_align, 5 * sizeof (int), align, sizeof align);
    g_assert_cmpmem (pair.ru_pos, 5 * sizeof (TriadToyPos), pos, sizeof pos);
    g_assert_cmpmem (pair.ru_gender, 5 * sizeof (TriadToyGender), gender, sizeof gender);
    g_assert_cmpmem (pair.ru_content, 5 * sizeof (gboolean), content, sizeof content);
    g_assert_cmpint (pair.ru_verb, ==, 4);
    g_assert_cmpint (pair.ru_subject, ==, 0);
    g_assert_cmpint (pair.subject_gender, ==, f);
  }
  triad_toy_pair_clear (&pair);
  {
    /* a0 window1 broke2 the3 cup4 and5 the6 tom7 saw8 a9 bird10
     * — окно сломало чашку и кот видел птицу */
    const int align[] = { 1, 2, 4, 5, 7, 8, 10 };
    const TriadToyGender gender[] = { n, n, f, none, m, m, f };
    const gboolean content[] = { TRUE, TRUE, TRUE, FALSE, TRUE, TRUE, TRUE };

    g_assert_true (triad_toy_render (w, &conj, &pair));
    g_assert_cmpstr (pair.ru, ==, "окно сломало чашку и кот видел птицу");
    g_assert_cmpmem (pair.ru_align, 7 * sizeof (int), align, sizeof align);
    g_assert_cmpmem (pair.ru_gender, 7 * sizeof (TriadToyGender), gender, sizeof gender);
    g_assert_cmpmem (pair.ru_content, 7 * sizeof (gboolean), content, sizeof content);
    g_assert_cmpint (pair.ru_pos[3], ==, TRIAD_POS_CONJ);
    g_assert_cmpint (pair.ru_verb, ==, 1);
    g_assert_cmpint (pair.ru_subject, ==, 0);
    g_assert_cmpint (pair.subject_gender, ==, n);
  }
  triad_toy_pair_clear (&pair);
  {
    /* the0 dog1 saw2 a3 cat4 near5 the6 house7 — собака видела кошку возле дома */
    const int align[] = { 1, 2, 4, 5, 7 };
    const TriadToyPos pos[] = { TRIAD_POS_NOUN, TRIAD_POS_VERB, TRIAD_POS_NOUN,
                                TRIAD_POS_PREP, TRIAD_POS_NOUN };
    const TriadToyGender gender[] = { f, f, f, none, m };

    g_assert_true (triad_toy_render (w, &pp, &pair));
    g_assert_cmpmem (pair.ru_align, 5 * sizeof (int), align, sizeof align);
    g_assert_cmpmem (pair.ru_pos, 5 * sizeof (TriadToyPos), pos, sizeof pos);
    g_assert_cmpmem (pair.ru_gender, 5 * sizeof (TriadToyGender), gender, sizeof gender);
    g_assert_false (pair.ru_content[3]);
  }
}

/* Hand-written forms of a few words: every sampled Russian word that is one of them must be
 * aligned to this English word. */
static const struct {
  const char *en;
  const char *ru[9];
} known_forms[] = {
  { "tom",    { "кот", "кота", "коте", "котом" } },
  { "cat",    { "кошка", "кошку", "кошки", "кошке", "кошкой" } },
  { "table",  { "стол", "стола", "столе", "столом" } },
  { "window", { "окно", "окна", "окне", "окном" } },
  { "bear",   { "медведь", "медведя", "медведе", "медведем" } },
  { "towel",  { "полотенце", "полотенца", "полотенцем" } },
  { "bird",   { "птица", "птицу", "птицы", "птице", "птицей" } },
  { "pear",   { "груша", "грушу", "груши", "груше", "грушей" } },
  { "saw",    { "видел", "видела", "видело" } },
  { "slept",  { "спал", "спала", "спало" } },
  { "big",    { "большой", "большая", "большое", "большого", "большом", "большим", "большую" } },
  { "blue",   { "синий", "синяя", "синее", "синего", "синем", "синим", "синюю", "синей" } },
  { "under",  { "под" } },
  { "and",    { "и" } },
  { "that",   { "который", "которая", "которое" } },
};

static void
test_alignment_sampled (void)
{
  g_autoptr(TriadToyWorld) w = triad_toy_world_new ();
  g_autoptr(GRand) rng = g_rand_new_with_seed (11);
  g_autoptr(GHashTable) known = g_hash_table_new (g_str_hash, g_str_equal);
  int n_known_seen = 0;

  for (guint k = 0; k < G_N_ELEMENTS (known_forms); k++)
    for (int j = 0; known_forms[k].ru[j] != NULL; j++)
      g_hash_table_insert (known, (gpointer) known_forms[k].ru[j], (gpointer) known_forms[k].en);

  for (int s = 0; s < 4000; s++)
    {
      g_auto(TriadToyPair) p = { 0 };
      g_autofree int *hits = NULL;
      g_auto(GStrv) ru_split = NULL;
      g_auto(GStrv) en_split = NULL;
      int n_articles = 0;

      triad_toy_sample (w, rng, s % 2 ? TRIAD_TOY_HELDOUT : TRIAD_TOY_TRAIN, &p);
      ru_split = g_strsplit (p.ru, " ", -1);
      en_split = g_strsplit (p.en, " ", -1);
      g_assert_true (g_strv_equal ((const char * const *) ru_split,
                                   (const char * const *) p.ru_words));
      g_assert_true (g_strv_equal ((const char * const *) en_split,
                                   (const char * const *) p.en_words));
      g_assert_cmpint (g_strv_length (p.ru_words), ==, p.n_ru);
      g_assert_cmpint (g_strv_length (p.en_words), ==, p.n_en);

      hits = g_new0 (int, p.n_en);
      for (int i = 0; i < p.n_ru; i++)
        {
          const char *en_word;

          /* every Russian word here translates one English word, of its part of speech */
          g_assert_cmpint (p.ru_align[i], >=, 0);
          g_assert_cmpint (p.ru_align[i], <, p.n_en);
          hits[p.ru_align[i]]++;
          g_assert_cmpint (p.en_pos[p.ru_align[i]], ==, p.ru_pos[i]);
          en_word = g_hash_table_lookup (known, p.ru_words[i]);
          if (en_word != NULL)
            {
              g_assert_cmpstr (p.en_words[p.ru_align[i]], ==, en_word);
              n_known_seen++;
            }
        }
      for (int j = 0; j < p.n_en; j++)
        {
          gboolean article = strcmp (p.en_words[j], "the") == 0 || strcmp (p.en_words[j], "a") == 0;

          g_assert_cmpint (article, ==, p.en_pos[j] == TRIAD_POS_ART);
          g_assert_cmpint (hits[j], ==, article ? 0 : 1);
          n_articles += article;
        }
      g_assert_cmpint (p.n_en, ==, p.n_ru + n_articles);
    }
  g_assert_cmpint (n_known_seen, >, 1000);
}

static void
test_metadata (void)
{
  g_autoptr(TriadToyWorld) w = triad_toy_world_new ();
  g_autoptr(GRand) rng = g_rand_new_with_seed (12);
  const char * const which[3] = { "который", "которая", "которое" };
  const char * const verb_end[3] = { "л", "ла", "ло" };
  int n_gender[3] = { 0 };

  for (int s = 0; s < 5000; s++)
    {
      g_auto(TriadToyPair) p = { 0 };
      int first_verb = -1, last_verb = -1, first_noun = -1;

      triad_toy_sample (w, rng, s % 3 ? TRIAD_TOY_TRAIN : TRIAD_TOY_HELDOUT, &p);
      g_assert_cmpint (p.subject_gender, <, TRIAD_TOY_NO_GENDER);
      n_gender[p.subject_gender]++;
      g_assert_cmpint (p.ru_pos[p.ru_verb], ==, TRIAD_POS_VERB);
      g_assert_cmpint (p.ru_pos[p.ru_subject], ==, TRIAD_POS_NOUN);
      g_assert_cmpint (p.ru_subject, <, p.ru_verb);
      g_assert_cmpint (p.ru_gender[p.ru_verb], ==, p.subject_gender);
      g_assert_cmpint (p.ru_gender[p.ru_subject], ==, p.subject_gender);
      g_assert_cmpint (triad_toy_verb_gender (w, p.ru_words[p.ru_verb]), ==, p.subject_gender);
      g_assert_true (g_str_has_suffix (p.ru_words[p.ru_verb], verb_end[p.subject_gender]));

      for (int i = 0; i < p.n_ru; i++)
        {
          TriadToyPos pos = p.ru_pos[i];

          g_assert_cmpint (p.ru_content[i], ==,
                           pos == TRIAD_POS_NOUN || pos == TRIAD_POS_ADJ || pos == TRIAD_POS_VERB);
          g_assert_cmpint (pos, !=, TRIAD_POS_ART);
          if (pos == TRIAD_POS_NOUN && first_noun < 0)
            first_noun = i;
          if (pos == TRIAD_POS_VERB)
            {
              if (first_verb < 0)
                first_verb = i;
              last_verb = i;
              g_assert_true (g_str_has_suffix (p.ru_words[i], verb_end[p.ru_gender[i]]));
            }
          else
            {
              g_assert_cmpint (triad_toy_verb_gender (w, p.ru_words[i]), ==, TRIAD_TOY_NO_GENDER);
            }
          if (pos == TRIAD_POS_PRON)
            {
              g_assert_cmpstr (p.ru_words[i], ==, which[p.subject_gender]);
              g_assert_cmpint (p.ru_gender[i], ==, p.subject_gender);
            }
          if (pos == TRIAD_POS_PREP || pos == TRIAD_POS_CONJ)
            g_assert_cmpint (p.ru_gender[i], ==, TRIAD_TOY_NO_GENDER);
          if (pos == TRIAD_POS_ADJ)
            {
              int j = i + 1;

              /* Russian adjectives precede their noun, as in English */
              while (j < p.n_ru && p.ru_pos[j] == TRIAD_POS_ADJ)
                j++;
              g_assert_cmpint (j, <, p.n_ru);
              g_assert_cmpint (p.ru_pos[j], ==, TRIAD_POS_NOUN);
              g_assert_cmpint (p.ru_gender[i], ==, p.ru_gender[j]);
            }
        }
      /* the main verb follows the relative clause; elsewhere it is the first */
      g_assert_cmpint (p.ru_verb, ==,
                       p.pattern == TRIAD_TOY_PATTERN_RELATIVE ? last_verb : first_verb);
      g_assert_cmpint (p.ru_subject, ==, first_noun);
      if (p.pattern == TRIAD_TOY_PATTERN_RELATIVE)
        g_assert_cmpint (p.ru_pos[p.ru_subject + 1], ==, TRIAD_POS_PRON);
      if (p.pattern != TRIAD_TOY_PATTERN_RELATIVE && p.pattern != TRIAD_TOY_PATTERN_CONJ)
        g_assert_cmpint (first_verb, ==, last_verb);
    }
  for (int g = 0; g < 3; g++)
    g_assert_cmpint (n_gender[g], >, 400);
}

static void
assert_pairs_equal (const TriadToyPair *a,
                    const TriadToyPair *b)
{
  g_assert_cmpint (a->pattern, ==, b->pattern);
  g_assert_cmpstr (a->en, ==, b->en);
  g_assert_cmpstr (a->ru, ==, b->ru);
  g_assert_cmpint (a->n_ru, ==, b->n_ru);
  g_assert_cmpmem (a->ru_align, a->n_ru * sizeof (int), b->ru_align, b->n_ru * sizeof (int));
  g_assert_cmpmem (a->ru_gender, a->n_ru * sizeof (TriadToyGender),
                   b->ru_gender, b->n_ru * sizeof (TriadToyGender));
  g_assert_cmpint (a->ru_verb, ==, b->ru_verb);
}

static void
test_determinism (void)
{
  g_autoptr(TriadToyWorld) w1 = triad_toy_world_new ();
  g_autoptr(TriadToyWorld) w2 = triad_toy_world_new ();
  g_autoptr(GRand) r1 = g_rand_new_with_seed (42);
  g_autoptr(GRand) r2 = g_rand_new_with_seed (42);
  g_autoptr(GRand) r3 = g_rand_new_with_seed (43);
  g_auto(GStrv) words1 = NULL;
  g_auto(GStrv) words2 = NULL;
  int n_differ = 0;

  for (int s = 0; s < 100; s++)
    {
      TriadToySplit split = s % 4 == 3 ? TRIAD_TOY_HELDOUT : TRIAD_TOY_TRAIN;
      g_auto(TriadToyPair) a = { 0 };
      g_auto(TriadToyPair) b = { 0 };
      g_auto(TriadToyPair) c = { 0 };

      triad_toy_sample (w1, r1, split, &a);
      triad_toy_sample (w2, r2, split, &b);
      triad_toy_sample (w1, r3, split, &c);
      assert_pairs_equal (&a, &b);
      n_differ += strcmp (a.en, c.en) != 0;
    }
  g_assert_cmpint (n_differ, >, 90);

  words1 = triad_toy_random_words (w1, r1, 30, TRIAD_TOY_RU);
  words2 = triad_toy_random_words (w2, r2, 30, TRIAD_TOY_RU);
  g_assert_true (g_strv_equal ((const char * const *) words1, (const char * const *) words2));
}

typedef struct {
  GHashTable *nouns;
  GHashTable *adjs;
  GHashTable *verbs;
} LemmaSets;

static GHashTable *
lemma_set (TriadToyWorld *w,
           TriadToyPos    pos)
{
  GHashTable *set = g_hash_table_new (g_str_hash, g_str_equal);
  int n;
  const char * const *words = triad_toy_words (w, pos, &n);

  for (int i = 0; i < n; i++)
    g_hash_table_add (set, (gpointer) words[i]);
  g_assert_null (words[n]);
  return set;
}

/* Reads the combinations off the English words: an adjective modifies the next noun, and the
 * subject of every verb in a conjunct is that conjunct's first noun ("the cat that saw a dog
 * slept": cat saw, cat slept). */
static void
count_reserved (TriadToyWorld      *w,
                const LemmaSets    *sets,
                const TriadToyPair *p,
                int                *n_adj_noun,
                int                *n_subject_verb)
{
  const char *subject = NULL;

  *n_adj_noun = *n_subject_verb = 0;
  for (int i = 0; i < p->n_en; i++)
    {
      const char *word = p->en_words[i];

      if (strcmp (word, "and") == 0)
        subject = NULL;
      else if (g_hash_table_contains (sets->nouns, word) && subject == NULL)
        subject = word;
      else if (g_hash_table_contains (sets->adjs, word))
        {
          int j = i + 1;

          while (!g_hash_table_contains (sets->nouns, p->en_words[j]))
            j++;
          *n_adj_noun += triad_toy_is_reserved (w, TRIAD_TOY_ADJ_NOUN, word, p->en_words[j]);
        }
      else if (g_hash_table_contains (sets->verbs, word))
        {
          g_assert_nonnull (subject);
          *n_subject_verb += triad_toy_is_reserved (w, TRIAD_TOY_SUBJECT_VERB, subject, word);
        }
    }
}

static void
test_heldout (void)
{
  g_autoptr(TriadToyWorld) w = triad_toy_world_new ();
  g_autoptr(TriadToyWorld) w2 = triad_toy_world_new ();
  g_autoptr(GRand) rng = g_rand_new_with_seed (7);
  LemmaSets sets = {
    lemma_set (w, TRIAD_POS_NOUN), lemma_set (w, TRIAD_POS_ADJ), lemma_set (w, TRIAD_POS_VERB),
  };
  int n_nouns, n_adjs, n_verbs, n_reserved_an = 0, n_reserved_sv = 0;
  const char * const *noun = triad_toy_words (w, TRIAD_POS_NOUN, &n_nouns);
  const char * const *adj = triad_toy_words (w, TRIAD_POS_ADJ, &n_adjs);
  const char * const *verb = triad_toy_words (w, TRIAD_POS_VERB, &n_verbs);
  g_autofree int *noun_free_adjs = g_new0 (int, n_nouns);
  g_autofree int *noun_free_verbs = g_new0 (int, n_nouns);
  int heldout_an = 0, heldout_sv = 0;

  for (int a = 0; a < n_adjs; a++)
    {
      int free_nouns = 0;

      for (int n = 0; n < n_nouns; n++)
        {
          gboolean r = triad_toy_is_reserved (w, TRIAD_TOY_ADJ_NOUN, adj[a], noun[n]);

          /* chosen by the fixed seed: the same in every world */
          g_assert_cmpint (r, ==, triad_toy_is_reserved (w2, TRIAD_TOY_ADJ_NOUN, adj[a], noun[n]));
          /* the kinds are not interchangeable */
          g_assert_false (triad_toy_is_reserved (w, TRIAD_TOY_SUBJECT_VERB, adj[a], noun[n]));
          n_reserved_an += r;
          free_nouns += !r;
          noun_free_adjs[n] += !r;
        }
      g_assert_cmpint (free_nouns, >=, n_nouns / 2);
    }
  for (int v = 0; v < n_verbs; v++)
    {
      int free_subjects = 0;

      for (int n = 0; n < n_nouns; n++)
        {
          gboolean r = triad_toy_is_reserved (w, TRIAD_TOY_SUBJECT_VERB, noun[n], verb[v]);

          g_assert_cmpint (r, ==,
                           triad_toy_is_reserved (w2, TRIAD_TOY_SUBJECT_VERB, noun[n], verb[v]));
          n_reserved_sv += r;
          free_subjects += !r;
          noun_free_verbs[n] += !r;
        }
      g_assert_cmpint (free_subjects, >=, n_nouns / 2);
    }
  for (int n = 0; n < n_nouns; n++)
    {
      g_assert_cmpint (noun_free_adjs[n], >=, n_adjs / 2);
      g_assert_cmpint (noun_free_verbs[n], >=, n_verbs / 2);
    }
  g_assert_cmpfloat ((double) n_reserved_an / (n_adjs * n_nouns), >, 0.13);
  g_assert_cmpfloat ((double) n_reserved_an / (n_adjs * n_nouns), <, 0.17);
  g_assert_cmpfloat ((double) n_reserved_sv / (n_verbs * n_nouns), >, 0.13);
  g_assert_cmpfloat ((double) n_reserved_sv / (n_verbs * n_nouns), <, 0.17);
  g_assert_false (triad_toy_is_reserved (w, TRIAD_TOY_ADJ_NOUN, "purple", "cat"));

  for (int s = 0; s < 20000; s++)
    {
      g_auto(TriadToyPair) p = { 0 };
      int an, sv;

      triad_toy_sample (w, rng, TRIAD_TOY_TRAIN, &p);
      count_reserved (w, &sets, &p, &an, &sv);
      g_assert_cmpint (an, ==, 0);
      g_assert_cmpint (sv, ==, 0);
    }
  for (int s = 0; s < 2000; s++)
    {
      g_auto(TriadToyPair) p = { 0 };
      int an, sv;

      triad_toy_sample (w, rng, TRIAD_TOY_HELDOUT, &p);
      count_reserved (w, &sets, &p, &an, &sv);
      g_assert_cmpint (an + sv, >, 0);
      heldout_an += an > 0;
      heldout_sv += sv > 0;
    }
  /* both kinds of combination are held out, not just one */
  g_assert_cmpint (heldout_an, >, 300);
  g_assert_cmpint (heldout_sv, >, 300);

  g_hash_table_unref (sets.nouns);
  g_hash_table_unref (sets.adjs);
  g_hash_table_unref (sets.verbs);
}

static void
test_coverage (void)
{
  g_autoptr(TriadToyWorld) w = triad_toy_world_new ();
  g_autoptr(GRand) rng = g_rand_new_with_seed (5);
  g_autoptr(GPtrArray) lexicon = triad_toy_lexicon (w);
  g_autoptr(GHashTable) in_lexicon = g_hash_table_new (g_str_hash, g_str_equal);
  g_autoptr(GHashTable) seen = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);

  for (guint i = 0; i < lexicon->len; i++)
    g_hash_table_add (in_lexicon, lexicon->pdata[i]);
  for (int s = 0; s < 40000; s++)
    {
      g_auto(TriadToyPair) p = { 0 };

      triad_toy_sample (w, rng, TRIAD_TOY_TRAIN, &p);
      for (int i = 0; i < p.n_en; i++)
        {
          g_assert_true (g_hash_table_contains (in_lexicon, p.en_words[i]));
          if (!g_hash_table_contains (seen, p.en_words[i]))
            g_hash_table_add (seen, g_strdup (p.en_words[i]));
        }
      for (int i = 0; i < p.n_ru; i++)
        {
          g_assert_true (g_hash_table_contains (in_lexicon, p.ru_words[i]));
          if (!g_hash_table_contains (seen, p.ru_words[i]))
            g_hash_table_add (seen, g_strdup (p.ru_words[i]));
        }
    }
  /* every form of every word occurs in training */
  for (guint i = 0; i < lexicon->len; i++)
    if (!g_hash_table_contains (seen, lexicon->pdata[i]))
      g_error ("“%s” never occurs in training", (const char *) lexicon->pdata[i]);
  g_assert_cmpuint (g_hash_table_size (seen), ==, lexicon->len);
}

static gboolean
is_cyrillic_word (const char *word)
{
  if (*word == '\0')
    return FALSE;
  for (const char *c = word; *c != '\0'; c = g_utf8_next_char (c))
    {
      gunichar u = g_utf8_get_char (c);

      if (u < 0x0430 || u > 0x045F)  /* lowercase а–я and ѐ–џ, which holds ё */
        return FALSE;
    }
  return TRUE;
}

static gboolean
is_english_word (const char *word)
{
  if (*word == '\0')
    return FALSE;
  for (const char *c = word; *c != '\0'; c++)
    if (*c < 'a' || *c > 'z')
      return FALSE;
  return TRUE;
}

static void
test_lexicon (void)
{
  g_autoptr(TriadToyWorld) w = triad_toy_world_new ();
  g_autoptr(GPtrArray) lexicon = triad_toy_lexicon (w);
  g_autoptr(GHashTable) set = g_hash_table_new (g_str_hash, g_str_equal);
  const char * const expected[] = {
    "the", "a", "and", "that", "tom", "cat", "saw", "on", "under", "near", "in",
    "кот", "кота", "коте", "котом", "кошка", "кошку", "маленькую", "маленького", "синюю",
    "видело", "видела", "которое", "которая", "который", "возле", "под", "на", "в", "и",
  };
  const TriadToyPos lemma_pos[] = { TRIAD_POS_NOUN, TRIAD_POS_ADJ, TRIAD_POS_VERB, TRIAD_POS_PREP };
  g_autoptr(GHashTable) lemmas = g_hash_table_new (g_str_hash, g_str_equal);
  int n_en = 0, n_ru = 0, n_lemmas = 0, n, n_transitive = 0;
  const char * const *words;

  for (guint i = 0; i < lexicon->len; i++)
    {
      const char *word = lexicon->pdata[i];

      g_assert_true (g_hash_table_add (set, (gpointer) word));  /* each once */
      if (is_english_word (word))
        {
          g_assert_cmpint (n_ru, ==, 0);                        /* English first */
          n_en++;
        }
      else
        {
          g_assert_true (is_cyrillic_word (word));
          n_ru++;
        }
    }
  for (guint i = 0; i < G_N_ELEMENTS (expected); i++)
    g_assert_true (g_hash_table_contains (set, expected[i]));
  g_assert_false (g_hash_table_contains (set, "an"));
  g_assert_false (g_hash_table_contains (set, "котов"));  /* singular only */

  words = triad_toy_words (w, TRIAD_POS_NOUN, &n);
  g_assert_cmpint (n, >=, 40);
  for (int i = 0; i < n; i++)  /* so the article is always "a" */
    g_assert_null (strchr ("aeiou", words[i][0]));
  words = triad_toy_words (w, TRIAD_POS_ADJ, &n);
  g_assert_cmpint (n, >=, 20);
  for (int i = 0; i < n; i++)
    g_assert_null (strchr ("aeiou", words[i][0]));
  words = triad_toy_words (w, TRIAD_POS_VERB, &n);
  for (int i = 0; i < n; i++)
    n_transitive += triad_toy_verb_is_transitive (w, words[i]);
  g_assert_cmpint (n_transitive, >=, 20);
  g_assert_true (triad_toy_verb_is_transitive (w, "saw"));
  g_assert_false (triad_toy_verb_is_transitive (w, "slept"));
  g_assert_false (triad_toy_verb_is_transitive (w, "flew"));
  words = triad_toy_words (w, TRIAD_POS_PREP, &n);
  g_assert_cmpint (n, ==, 4);

  /* English lemmas are distinct across parts of speech, and in the lexicon */
  for (guint k = 0; k < G_N_ELEMENTS (lemma_pos); k++)
    {
      words = triad_toy_words (w, lemma_pos[k], &n);
      for (int i = 0; i < n; i++)
        {
          g_assert_true (g_hash_table_add (lemmas, (gpointer) words[i]));
          g_assert_true (g_hash_table_contains (set, words[i]));
        }
      n_lemmas += n;
    }
  /* English forms are the lemmas and the, a, and, that */
  g_assert_cmpint (n_en, ==, n_lemmas + 4);
  g_assert_cmpint (n_ru, >, 400);
}

/* в becomes во before в or ф and a consonant; no form that can follow it starts so. */
static void
test_preposition_v (void)
{
  g_autoptr(TriadToyWorld) w = triad_toy_world_new ();
  int n_nouns, n_adjs;
  const char * const *nouns = triad_toy_words (w, TRIAD_POS_NOUN, &n_nouns);
  const char * const *adjs = triad_toy_words (w, TRIAD_POS_ADJ, &n_adjs);
  const char *vowels = "аеёиоуыэюя";

  for (int i = 0; i < n_nouns; i++)
    for (int a = -1; a < n_adjs; a++)
      {
        TriadToySpec spec = {
          .pattern = TRIAD_TOY_PATTERN_INTRANS_PP,
          .main = { NP0 (strcmp (nouns[i], "cat") ? "cat" : "dog", THE), "slept", NP0 (NULL, A) },
          .prep = "in",
          .prep_object = NP1 (a < 0 ? NULL : adjs[a], nouns[i], THE),
        };
        g_auto(TriadToyPair) p = { 0 };
        const char *after;

        g_assert_true (triad_toy_render (w, &spec, &p));
        g_assert_cmpstr (p.ru_words[2], ==, "в");
        after = p.ru_words[3];
        if (g_str_has_prefix (after, "в") || g_str_has_prefix (after, "ф"))
          g_assert_nonnull (g_utf8_strchr (vowels, -1,
                                           g_utf8_get_char (g_utf8_next_char (after))));
      }
}

static void
test_verb_forms (void)
{
  g_autoptr(TriadToyWorld) w = triad_toy_world_new ();
  g_autoptr(GPtrArray) lexicon = triad_toy_lexicon (w);
  g_autoptr(GHashTable) set = g_hash_table_new (g_str_hash, g_str_equal);
  const char *m = NULL, *f = NULL, *n = NULL;
  int n_verb_forms = 0, n_verbs;

  g_assert_true (triad_toy_verb_forms (w, "видела", &m, &f, &n));
  g_assert_cmpstr (m, ==, "видел");
  g_assert_cmpstr (f, ==, "видела");
  g_assert_cmpstr (n, ==, "видело");
  g_assert_true (triad_toy_verb_forms (w, "спало", &m, &f, &n));
  g_assert_cmpstr (m, ==, "спал");
  g_assert_cmpstr (f, ==, "спала");
  g_assert_cmpstr (n, ==, "спало");
  g_assert_true (triad_toy_verb_forms (w, "мыло", &m, NULL, NULL));
  g_assert_cmpstr (m, ==, "мыл");
  g_assert_true (triad_toy_verb_forms (w, "поцеловал", NULL, &f, NULL));
  g_assert_cmpstr (f, ==, "поцеловала");
  g_assert_false (triad_toy_verb_forms (w, "кошка", &m, &f, &n));
  g_assert_false (triad_toy_verb_forms (w, "saw", NULL, NULL, NULL));

  g_assert_cmpint (triad_toy_verb_gender (w, "видел"), ==, TRIAD_TOY_MASC);
  g_assert_cmpint (triad_toy_verb_gender (w, "нарисовала"), ==, TRIAD_TOY_FEM);
  g_assert_cmpint (triad_toy_verb_gender (w, "спало"), ==, TRIAD_TOY_NEUT);
  g_assert_cmpint (triad_toy_verb_gender (w, "поймали"), ==, TRIAD_TOY_NO_GENDER);
  g_assert_cmpint (triad_toy_verb_gender (w, "кота"), ==, TRIAD_TOY_NO_GENDER);
  g_assert_cmpint (triad_toy_verb_gender (w, "большая"), ==, TRIAD_TOY_NO_GENDER);

  for (guint i = 0; i < lexicon->len; i++)
    g_hash_table_add (set, lexicon->pdata[i]);
  for (guint i = 0; i < lexicon->len; i++)
    {
      const char *word = lexicon->pdata[i];
      TriadToyGender g = triad_toy_verb_gender (w, word);
      const char *forms[3];

      g_assert_cmpint (g != TRIAD_TOY_NO_GENDER, ==,
                       triad_toy_verb_forms (w, word, &forms[0], &forms[1], &forms[2]));
      if (g == TRIAD_TOY_NO_GENDER)
        continue;
      n_verb_forms++;
      g_assert_cmpstr (forms[g], ==, word);
      g_assert_true (g_str_has_suffix (forms[0], "л"));
      g_assert_true (g_str_has_suffix (forms[1], "ла"));
      g_assert_true (g_str_has_suffix (forms[2], "ло"));
      for (int k = 0; k < 3; k++)
        g_assert_true (g_hash_table_contains (set, forms[k]));
    }
  /* no verb form is also another word's form */
  triad_toy_words (w, TRIAD_POS_VERB, &n_verbs);
  g_assert_cmpint (n_verb_forms, ==, 3 * n_verbs);
}

static void
test_random_words (void)
{
  g_autoptr(TriadToyWorld) w = triad_toy_world_new ();
  g_autoptr(GRand) rng = g_rand_new_with_seed (3);
  g_autoptr(GPtrArray) lexicon = triad_toy_lexicon (w);
  g_autoptr(GHashTable) drawn = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
  g_auto(GStrv) none = triad_toy_random_words (w, rng, 0, TRIAD_TOY_EN);
  g_auto(GStrv) en = triad_toy_random_words (w, rng, 50, TRIAD_TOY_EN);
  g_auto(GStrv) ru = triad_toy_random_words (w, rng, 30000, TRIAD_TOY_RU);
  int n_ru_forms = 0;

  g_assert_nonnull (none);
  g_assert_null (none[0]);
  g_assert_cmpint (g_strv_length (en), ==, 50);
  for (int i = 0; i < 50; i++)
    {
      g_assert_true (is_english_word (en[i]));
      g_assert_true (g_ptr_array_find_with_equal_func (lexicon, en[i], g_str_equal, NULL));
    }
  g_assert_cmpint (g_strv_length (ru), ==, 30000);
  for (int i = 0; i < 30000; i++)
    {
      g_assert_true (is_cyrillic_word (ru[i]));
      if (!g_hash_table_contains (drawn, ru[i]))
        g_hash_table_add (drawn, g_strdup (ru[i]));
    }
  /* uniform over the Russian forms: 30000 draws reach every one */
  for (guint i = 0; i < lexicon->len; i++)
    n_ru_forms += is_cyrillic_word (lexicon->pdata[i]);
  g_assert_cmpint (g_hash_table_size (drawn), ==, n_ru_forms);
}

static void
check_pattern_shape (TriadToyWorld      *w,
                     const TriadToyPair *p,
                     int                *n_noun_phrases,
                     int                *n_with_adj)
{
  int n_verbs = 0, n_preps = 0, n_and = 0, n_that = 0, max_adj_run = 0, run = 0;

  for (int i = 0; i < p->n_en; i++)
    {
      TriadToyPos pos = p->en_pos[i];

      n_verbs += pos == TRIAD_POS_VERB;
      n_preps += pos == TRIAD_POS_PREP;
      n_and += strcmp (p->en_words[i], "and") == 0;
      n_that += strcmp (p->en_words[i], "that") == 0;
      run = pos == TRIAD_POS_ADJ ? run + 1 : 0;
      max_adj_run = MAX (max_adj_run, run);
      if (pos == TRIAD_POS_ART)
        {
          (*n_noun_phrases)++;
          *n_with_adj += p->en_pos[i + 1] == TRIAD_POS_ADJ;
        }
    }

  switch (p->pattern)
    {
    case TRIAD_TOY_PATTERN_SIMPLE:
    case TRIAD_TOY_PATTERN_TWO_ADJ:
      g_assert_cmpint (n_verbs, ==, 1);
      g_assert_cmpint (n_preps + n_and + n_that, ==, 0);
      if (p->pattern == TRIAD_TOY_PATTERN_TWO_ADJ)
        g_assert_cmpint (max_adj_run, ==, 2);
      break;
    case TRIAD_TOY_PATTERN_INTRANS_PP:
    case TRIAD_TOY_PATTERN_TRANS_PP:
      g_assert_cmpint (n_verbs, ==, 1);
      g_assert_cmpint (n_preps, ==, 1);
      g_assert_cmpint (n_and + n_that, ==, 0);
      for (int i = 0; i < p->n_en; i++)
        if (p->en_pos[i] == TRIAD_POS_VERB)
          g_assert_cmpint (triad_toy_verb_is_transitive (w, p->en_words[i]), ==,
                           p->pattern == TRIAD_TOY_PATTERN_TRANS_PP);
      break;
    case TRIAD_TOY_PATTERN_CONJ:
      g_assert_cmpint (n_verbs, ==, 2);
      g_assert_cmpint (n_and, ==, 1);
      g_assert_cmpint (n_preps + n_that, ==, 0);
      break;
    case TRIAD_TOY_PATTERN_RELATIVE:
      g_assert_cmpint (n_verbs, ==, 2);
      g_assert_cmpint (n_that, ==, 1);
      g_assert_cmpint (n_preps + n_and, ==, 0);
      g_assert_cmpint (p->en_pos[p->n_en - 1] == TRIAD_POS_VERB ? 1 : 0, ==,
                       !triad_toy_verb_is_transitive (w, p->en_words[p->ru_align[p->ru_verb]]));
      break;
    default:
      g_assert_not_reached ();
    }
  if (p->pattern != TRIAD_TOY_PATTERN_TWO_ADJ)
    g_assert_cmpint (max_adj_run, <=, 1);
}

static void
check_patterns (TriadToySplit split,
                int           n_samples,
                double        tolerance)
{
  g_autoptr(TriadToyWorld) w = triad_toy_world_new ();
  g_autoptr(GRand) rng = g_rand_new_with_seed (99);
  const double expected[TRIAD_TOY_N_PATTERNS] = { 0.30, 0.10, 0.15, 0.15, 0.15, 0.15 };
  const char * const names[TRIAD_TOY_N_PATTERNS] = {
    "simple", "two-adj", "intrans-pp", "trans-pp", "conj", "relative",
  };
  int counts[TRIAD_TOY_N_PATTERNS] = { 0 };
  int n_noun_phrases = 0, n_with_adj = 0;

  for (int s = 0; s < n_samples; s++)
    {
      g_auto(TriadToyPair) p = { 0 };

      int n_np = 0, n_adj = 0;

      triad_toy_sample (w, rng, split, &p);
      g_assert_cmpint (p.pattern, <, TRIAD_TOY_N_PATTERNS);
      counts[p.pattern]++;
      check_pattern_shape (w, &p, &n_np, &n_adj);
      if (p.pattern != TRIAD_TOY_PATTERN_TWO_ADJ)
        {
          n_noun_phrases += n_np;
          n_with_adj += n_adj;
        }
    }
  for (int k = 0; k < TRIAD_TOY_N_PATTERNS; k++)
    {
      g_assert_cmpstr (triad_toy_pattern_name (k), ==, names[k]);
      g_assert_cmpfloat_with_epsilon ((double) counts[k] / n_samples, expected[k], tolerance);
    }
  /* one adjective in 0.4 of noun phrases as drawn; TRAIN's redraws of reserved (adjective,
   * noun) pairs thin them a little, HELDOUT's make them commoner */
  if (split == TRIAD_TOY_TRAIN)
    g_assert_cmpfloat_with_epsilon ((double) n_with_adj / n_noun_phrases, 0.36, 0.03);
  else
    g_assert_cmpfloat ((double) n_with_adj / n_noun_phrases, >, 0.4);
}

static void
test_patterns_train (void)
{
  check_patterns (TRIAD_TOY_TRAIN, 30000, 0.015);
}

static void
test_patterns_heldout (void)
{
  check_patterns (TRIAD_TOY_HELDOUT, 10000, 0.025);
}

static void
test_no_repeats (void)
{
  g_autoptr(TriadToyWorld) w = triad_toy_world_new ();
  g_autoptr(GRand) rng = g_rand_new_with_seed (21);

  for (int s = 0; s < 3000; s++)
    {
      g_auto(TriadToyPair) p = { 0 };
      g_autoptr(GHashTable) seen = g_hash_table_new (g_str_hash, g_str_equal);

      triad_toy_sample (w, rng, s % 2 ? TRIAD_TOY_HELDOUT : TRIAD_TOY_TRAIN, &p);
      for (int i = 0; i < p.n_en; i++)
        if (p.en_pos[i] == TRIAD_POS_NOUN || p.en_pos[i] == TRIAD_POS_ADJ ||
            p.en_pos[i] == TRIAD_POS_VERB)
          g_assert_true (g_hash_table_add (seen, p.en_words[i]));
    }
}

/* The edges of the world: words are runs between spaces, checked as the lexicon writes them. */
static void
test_unknown_words (void)
{
  g_autoptr(TriadToyWorld) w = triad_toy_world_new ();
  /* "the teacher gave the boy a book": boy and book are nouns of the tables, the and a
   * articles; teacher and gave are in no table. Byte offsets counted by hand. */
  const char *en = "the teacher gave the boy a book";
  /* Russian: "кошка" (10 bytes) and "видела" are forms, "учителя" is not; it starts after
   * "кошка" and two spaces, at byte 12, and ends at 12 + 7 letters × 2 bytes = 26. */
  const char *ru = "кошка  учителя видела";
  g_autoptr(GArray) spans = triad_toy_unknown_spans (w, en);
  g_autoptr(GArray) ru_spans = NULL;
  g_auto(GStrv) words = NULL;

  g_assert_cmpuint (spans->len, ==, 2);
  g_assert_cmpint (g_array_index (spans, TriadToySpan, 0).start, ==, 4);
  g_assert_cmpint (g_array_index (spans, TriadToySpan, 0).end, ==, 11);
  g_assert_cmpint (g_array_index (spans, TriadToySpan, 1).start, ==, 12);
  g_assert_cmpint (g_array_index (spans, TriadToySpan, 1).end, ==, 16);

  ru_spans = triad_toy_unknown_spans (w, ru);
  g_assert_cmpuint (ru_spans->len, ==, 1);
  g_assert_cmpint (g_array_index (ru_spans, TriadToySpan, 0).start, ==, 12);
  g_assert_cmpint (g_array_index (ru_spans, TriadToySpan, 0).end, ==, 26);

  /* each once, in order; capitals and punctuation are not as the lexicon writes words; the
   * decoder's prompt markers and the special tokens are known */
  words = triad_toy_unknown_words (w, "The cat. the cat saw The dog <mask> <sep> EN: cat RU:");
  g_assert_cmpuint (g_strv_length (words), ==, 2);
  g_assert_cmpstr (words[0], ==, "The");
  g_assert_cmpstr (words[1], ==, "cat.");
  g_clear_pointer (&words, g_strfreev);

  words = triad_toy_unknown_words (w, "  \t\n");
  g_assert_cmpuint (g_strv_length (words), ==, 0);
  g_clear_pointer (&words, g_strfreev);

  g_assert_true (triad_toy_is_known (w, "собаку", -1));
  g_assert_true (triad_toy_is_known (w, "catx", 3));
  g_assert_false (triad_toy_is_known (w, "ca", -1));
}

int
main (int argc, char *argv[])
{
  g_test_init (&argc, &argv, NULL);
  g_test_add_func ("/engine/toyworld/agreement", test_agreement);
  g_test_add_func ("/engine/toyworld/accusative", test_accusative);
  g_test_add_func ("/engine/toyworld/prepositions", test_prepositions);
  g_test_add_func ("/engine/toyworld/two-adjectives", test_two_adjectives);
  g_test_add_func ("/engine/toyworld/conjunction", test_conjunction);
  g_test_add_func ("/engine/toyworld/relative", test_relative);
  g_test_add_func ("/engine/toyworld/render-invalid", test_render_invalid);
  g_test_add_func ("/engine/toyworld/alignment", test_alignment);
  g_test_add_func ("/engine/toyworld/alignment-sampled", test_alignment_sampled);
  g_test_add_func ("/engine/toyworld/metadata", test_metadata);
  g_test_add_func ("/engine/toyworld/determinism", test_determinism);
  g_test_add_func ("/engine/toyworld/heldout", test_heldout);
  g_test_add_func ("/engine/toyworld/coverage", test_coverage);
  g_test_add_func ("/engine/toyworld/lexicon", test_lexicon);
  g_test_add_func ("/engine/toyworld/preposition-v", test_preposition_v);
  g_test_add_func ("/engine/toyworld/verb-forms", test_verb_forms);
  g_test_add_func ("/engine/toyworld/random-words", test_random_words);
  g_test_add_func ("/engine/toyworld/patterns-train", test_patterns_train);
  g_test_add_func ("/engine/toyworld/patterns-heldout", test_patterns_heldout);
  g_test_add_func ("/engine/toyworld/no-repeats", test_no_repeats);
  g_test_add_func ("/engine/toyworld/unknown-words", test_unknown_words);
  return g_test_run ();
}
