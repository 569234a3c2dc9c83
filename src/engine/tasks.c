/* tasks.c — training examples and evaluations of the three shipped models on the toy world. */
#include "config.h"

#include <math.h>
#include <string.h>
#include "engine/i18n.h"

#include "engine/error.h"
#include "engine/generate.h"
#include "engine/tasks.h"

/* The corpus the tokenizer learns from: a seed nothing else uses. */
#define TOKENIZER_SEED       0x70CE2u
#define TOKENIZER_SENTENCES  3000
#define TOKENIZER_VOCAB      600

/* Characters beyond the toy world, so that other text still tokenizes into letters rather
 * than <unk>. */
static const char *alphabet_line =
  "ABCDEFGHIJKLMNOPQRSTUVWXYZ abcdefghijklmnopqrstuvwxyz "
  "АБВГДЕЁЖЗИЙКЛМНОПРСТУФХЦЧШЩЪЫЬЭЮЯ абвгдеёжзийклмнопрстуфхцчшщъыьэюя "
  "0123456789 . , ! ? ; : - ' \" ( ) « » — …";

char *
triad_task_translation_prompt (const char *english)
{
  return g_strdup_printf ("EN: %s RU:", english);
}

TriadTokenizer *
triad_task_tokenizer (TriadToyWorld *world,
                      GError       **error)
{
  g_autoptr(GPtrArray) texts = g_ptr_array_new_with_free_func (g_free);
  g_autoptr(GPtrArray) lexicon = triad_toy_lexicon (world);
  g_autoptr(GPtrArray) required = g_ptr_array_new ();
  g_autoptr(GRand) rng = g_rand_new_with_seed (TOKENIZER_SEED);

  for (int i = 0; i < TOKENIZER_SENTENCES; i++)
    {
      g_auto(TriadToyPair) pair = { 0 };

      triad_toy_sample (world, rng, TRIAD_TOY_TRAIN, &pair);
      g_ptr_array_add (texts, g_strdup (pair.en));
      g_ptr_array_add (texts, g_strdup (pair.ru));
      if (i % 10 == 0)
        {
          g_autofree char *prompt = triad_task_translation_prompt (pair.en);
          g_ptr_array_add (texts, g_strdup_printf ("%s %s", prompt, pair.ru));
        }
    }
  g_ptr_array_add (texts, g_strdup (alphabet_line));

  for (guint i = 0; i < lexicon->len; i++)
    g_ptr_array_add (required, g_ptr_array_index (lexicon, i));
  g_ptr_array_add (required, (char *) "EN");
  g_ptr_array_add (required, (char *) "RU");

  return triad_tokenizer_train ((const char * const *) texts->pdata, texts->len, TOKENIZER_VOCAB,
                                (const char * const *) required->pdata, required->len, error);
}

/* The ids of words said one after another, and for each token the word it belongs to. */
static gboolean
encode_words (const TriadTokenizer *tok,
              char * const         *words,
              int                   n_words,
              GArray               *ids,
              GArray               *word_of)
{
  for (int w = 0; w < n_words; w++)
    {
      g_autoptr(TriadEncoding) enc = triad_tokenizer_encode (tok, words[w], -1, FALSE, NULL);

      if (enc == NULL)
        return FALSE;
      for (int i = 0; i < enc->n; i++)
        {
          g_array_append_val (ids, enc->ids[i]);
          if (word_of != NULL)
            g_array_append_val (word_of, w);
        }
    }
  return TRUE;
}

static GArray *
int_array (void)
{
  return g_array_new (FALSE, FALSE, sizeof (int));
}

static void
append_int (GArray *a,
            int     v)
{
  g_array_append_val (a, v);
}

/* A decoder document: input <bos> body, labels body <eos>. */
static void
add_document (TriadBatch   *batch,
              const GArray *body,
              int           max_len)
{
  g_autoptr(GArray) in = int_array ();
  g_autoptr(GArray) labels = int_array ();
  int n = MIN ((int) body->len, max_len - 1);

  append_int (in, TRIAD_TOKEN_BOS);
  g_array_append_vals (in, body->data, n);
  g_array_append_vals (labels, body->data, n);
  append_int (labels, n < (int) body->len ? g_array_index (body, int, n) : TRIAD_TOKEN_EOS);
  triad_batch_add (batch, NULL, 0, (int *) in->data, in->len, (int *) labels->data);
}

typedef enum {
  SIDE_EN,          /* an English sentence alone */
  SIDE_RU,          /* a Russian sentence alone */
  SIDE_PAIR_EN,     /* the pair, English words masked */
  SIDE_PAIR_RU,     /* the pair, Russian words masked */
} Side;

/* The encoder's input for a pair or a sentence — <bos> en <sep> ru <eos>, or <bos> words <eos>
 * — with the words of the masked side that pick chooses hidden and labelled. With an rng the
 * hidden words are replaced as BERT does (80 % <mask>, 10 % a random token, 10 % kept); without
 * one, always by <mask>. word_of (may be NULL): for each position, the word of its side that it
 * belongs to, -1 for the special tokens. */
static gboolean
masked_input (const TriadTokenizer *tok,
              const TriadToyPair   *pair,
              Side                  side,
              const gboolean       *pick,
              GRand                *rng,
              GArray               *in,
              GArray               *labels,
              GArray               *word_of)
{
  gboolean pair_input = side == SIDE_PAIR_EN || side == SIDE_PAIR_RU;
  gboolean mask_ru = side == SIDE_RU || side == SIDE_PAIR_RU;

  append_int (in, TRIAD_TOKEN_BOS);
  append_int (labels, -1);
  if (word_of != NULL)
    append_int (word_of, -1);
  for (int part = 0; part < 2; part++)
    {
      gboolean ru = part == 1;
      g_autoptr(GArray) ids = int_array ();
      g_autoptr(GArray) words = int_array ();

      if (!pair_input && ru != mask_ru)
        continue;
      if (!encode_words (tok, ru ? pair->ru_words : pair->en_words, ru ? pair->n_ru : pair->n_en,
                         ids, words))
        return FALSE;
      if (pair_input && ru)
        {
          append_int (in, TRIAD_TOKEN_SEP);
          append_int (labels, -1);
          if (word_of != NULL)
            append_int (word_of, -1);
        }
      if (word_of != NULL)
        g_array_append_vals (word_of, words->data, words->len);
      for (guint i = 0; i < ids->len; i++)
        {
          int id = g_array_index (ids, int, i);

          if (ru == mask_ru && pick[g_array_index (words, int, i)])
            {
              double r = rng != NULL ? g_rand_double (rng) : 0.0;
              append_int (labels, id);
              if (r < 0.8)
                id = TRIAD_TOKEN_MASK;
              else if (r < 0.9)
                id = g_rand_int_range (rng, TRIAD_N_SPECIAL_TOKENS, triad_tokenizer_vocab_size (tok));
            }
          else
            append_int (labels, -1);
          append_int (in, id);
        }
    }
  append_int (in, TRIAD_TOKEN_EOS);
  append_int (labels, -1);
  if (word_of != NULL)
    append_int (word_of, -1);
  return TRUE;
}

/* 15 % of n words (at least one). */
static gboolean *
pick_words (GRand *rng,
            int    n)
{
  gboolean *pick = g_new0 (gboolean, n);
  int chosen = 0;

  for (int w = 0; w < n; w++)
    if (g_rand_double (rng) < 0.15)
      pick[w] = TRUE, chosen++;
  if (chosen == 0)
    pick[g_rand_int_range (rng, 0, n)] = TRUE;
  return pick;
}

static gboolean
encoder_example (TriadToyWorld        *world,
                 const TriadTokenizer *tok,
                 GRand                *rng,
                 TriadToySplit         split,
                 TriadBatch           *batch)
{
  g_auto(TriadToyPair) pair = { 0 };
  g_autoptr(GArray) in = int_array ();
  g_autoptr(GArray) labels = int_array ();
  g_autofree gboolean *pick = NULL;
  Side side;

  triad_toy_sample (world, rng, split, &pair);
  /* mostly the pair, so that a hidden word can be found in the other language; sometimes a
   * sentence alone, so that single sentences are read well too */
  if (g_rand_double (rng) < 0.7)
    side = g_rand_boolean (rng) ? SIDE_PAIR_RU : SIDE_PAIR_EN;
  else
    side = g_rand_boolean (rng) ? SIDE_RU : SIDE_EN;
  pick = pick_words (rng, side == SIDE_RU || side == SIDE_PAIR_RU ? pair.n_ru : pair.n_en);
  if ((side == SIDE_RU || side == SIDE_PAIR_RU) && g_rand_double (rng) < 0.25)
    pick[pair.ru_verb] = TRUE;
  if (!masked_input (tok, &pair, side, pick, rng, in, labels, NULL))
    return FALSE;
  triad_batch_add (batch, (int *) in->data, in->len, NULL, 0, (int *) labels->data);
  return TRUE;
}

/* The decoder's documents: 20 % sentences, 35 % translations by prompt, 45 % repeated random
 * sequences, three in four of those after a lead-in. With the repeats this common and rarely
 * at a fixed position, copying them is learnt by an induction head (layer 3, head 1 of the
 * shipped model) rather than by positions. */
#define MIX_SENTENCE    0.20
#define MIX_TRANSLATION 0.55    /* cumulative: sentences and translations */
#define REPEAT_LEAD_IN  0.75
/* The Training view's induction task: up to this many random words between the two sayings */
#define INDUCTION_GAP   24

/* A random sequence of words, said two or three times, most often after the first words of a
 * sentence, so that where the repeat begins cannot be told from positions alone and only
 * looking back at the earlier occurrence predicts it. */
static gboolean
repeat_body (TriadToyWorld        *world,
             const TriadTokenizer *tok,
             GRand                *rng,
             TriadToySplit         split,
             GArray               *body)
{
  gboolean russian = g_rand_boolean (rng);
  int k = g_rand_int_range (rng, 4, 11), times = g_rand_int_range (rng, 2, 4);
  g_auto(GStrv) words = triad_toy_random_words (world, rng, k,
                                                russian ? TRIAD_TOY_RU : TRIAD_TOY_EN);

  if (g_rand_double (rng) < REPEAT_LEAD_IN)
    {
      g_auto(TriadToyPair) pair = { 0 };
      int n;

      triad_toy_sample (world, rng, split, &pair);
      n = russian ? pair.n_ru : pair.n_en;
      if (!encode_words (tok, russian ? pair.ru_words : pair.en_words,
                         g_rand_int_range (rng, 1, n + 1), body, NULL))
        return FALSE;
    }
  for (int t = 0; t < times; t++)
    if (!encode_words (tok, words, k, body, NULL))
      return FALSE;
  return TRUE;
}

static gboolean
decoder_example (TriadToyWorld        *world,
                 const TriadTokenizer *tok,
                 GRand                *rng,
                 TriadToySplit         split,
                 TriadBatch           *batch)
{
  g_autoptr(GArray) body = int_array ();
  double kind = g_rand_double (rng);

  if (kind < MIX_SENTENCE)
    {
      /* a sentence, in either language */
      g_auto(TriadToyPair) pair = { 0 };
      gboolean russian = g_rand_boolean (rng);

      triad_toy_sample (world, rng, split, &pair);
      if (!encode_words (tok, russian ? pair.ru_words : pair.en_words,
                         russian ? pair.n_ru : pair.n_en, body, NULL))
        return FALSE;
    }
  else if (kind < MIX_TRANSLATION)
    {
      /* a translation by prompt */
      g_auto(TriadToyPair) pair = { 0 };
      g_autofree char *prompt = NULL, *text = NULL;
      g_auto(GStrv) words = NULL;

      triad_toy_sample (world, rng, split, &pair);
      prompt = triad_task_translation_prompt (pair.en);
      text = g_strdup_printf ("%s %s", prompt, pair.ru);
      {
        g_autoptr(TriadEncoding) enc = triad_tokenizer_encode (tok, text, -1, FALSE, NULL);
        if (enc == NULL)
          return FALSE;
        g_array_append_vals (body, enc->ids, enc->n);
      }
    }
  else if (!repeat_body (world, tok, rng, split, body))
    return FALSE;
  add_document (batch, body, 128);
  return TRUE;
}

static gboolean
encdec_example (TriadToyWorld        *world,
                const TriadTokenizer *tok,
                GRand                *rng,
                TriadToySplit         split,
                TriadBatch           *batch)
{
  g_auto(TriadToyPair) pair = { 0 };
  g_autoptr(GArray) src = int_array ();
  g_autoptr(GArray) ru = int_array ();
  g_autoptr(GArray) tgt = int_array ();
  g_autoptr(GArray) labels = int_array ();

  triad_toy_sample (world, rng, split, &pair);
  if (!encode_words (tok, pair.en_words, pair.n_en, src, NULL)
      || !encode_words (tok, pair.ru_words, pair.n_ru, ru, NULL))
    return FALSE;
  append_int (src, TRIAD_TOKEN_EOS);
  append_int (tgt, TRIAD_TOKEN_BOS);
  g_array_append_vals (tgt, ru->data, ru->len);
  g_array_append_vals (labels, ru->data, ru->len);
  append_int (labels, TRIAD_TOKEN_EOS);
  triad_batch_add (batch, (int *) src->data, src->len, (int *) tgt->data, tgt->len,
                   (int *) labels->data);
  return TRUE;
}

gboolean
triad_task_fill_batch (TriadArch             arch,
                       TriadToyWorld        *world,
                       const TriadTokenizer *tok,
                       GRand                *rng,
                       TriadToySplit         split,
                       int                   n_seq,
                       TriadBatch           *batch,
                       GError              **error)
{
  for (int s = 0; s < n_seq; s++)
    {
      gboolean ok = arch == TRIAD_ARCH_ENCODER ? encoder_example (world, tok, rng, split, batch)
                    : arch == TRIAD_ARCH_DECODER ? decoder_example (world, tok, rng, split, batch)
                    : encdec_example (world, tok, rng, split, batch);
      if (!ok)
        {
          g_set_error (error, TRIAD_ERROR, TRIAD_ERROR_TOKENIZER,
                       _("The tokenizer cannot encode the toy world’s words"));
          return FALSE;
        }
    }
  return TRUE;
}

gboolean
triad_task_fill_induction (TriadToyWorld        *world,
                           const TriadTokenizer *tok,
                           GRand                *rng,
                           int                   n_seq,
                           TriadBatch           *batch,
                           GError              **error)
{
  for (int s = 0; s < n_seq; s++)
    {
      gboolean russian = g_rand_boolean (rng);
      TriadToyLanguage lang = russian ? TRIAD_TOY_RU : TRIAD_TOY_EN;
      int k = g_rand_int_range (rng, 4, 11), gap = g_rand_int_range (rng, 0, INDUCTION_GAP + 1);
      g_auto(GStrv) words = triad_toy_random_words (world, rng, k, lang);
      g_auto(GStrv) between = triad_toy_random_words (world, rng, gap, lang);
      g_autoptr(GArray) in = int_array ();
      g_autoptr(GArray) labels = int_array ();
      int second;

      append_int (in, TRIAD_TOKEN_BOS);
      if (!encode_words (tok, words, k, in, NULL) || !encode_words (tok, between, gap, in, NULL))
        goto bad_tokens;
      second = in->len;
      if (!encode_words (tok, words, k, in, NULL))
        goto bad_tokens;
      /* long Russian words could pass the 128 positions */
      g_array_set_size (in, MIN (in->len, 128));
      /* the next token of every position, labelled from the second saying's second token on:
       * its first token cannot be foreseen, and nothing before it can be copied */
      for (guint i = 0; i < in->len; i++)
        append_int (labels, (int) i >= second && i + 1 < in->len
                            ? g_array_index (in, int, i + 1) : -1);
      triad_batch_add (batch, NULL, 0, (int *) in->data, in->len, (int *) labels->data);
    }
  return TRUE;

bad_tokens:
  g_set_error (error, TRIAD_ERROR, TRIAD_ERROR_TOKENIZER,
               _("The tokenizer cannot encode the toy world’s words"));
  return FALSE;
}

/* ---- translation --------------------------------------------------------------------- */

static char *
clean_text (char *text)
{
  return g_strstrip (text);
}

char *
triad_task_translate (TriadModel  *model,
                      const char  *english,
                      GError     **error)
{
  g_autoptr(TriadEncoding) input = NULL;
  g_autoptr(TriadState) state = NULL;
  g_autoptr(GArray) out = NULL;
  g_autofree char *prompt = NULL;

  if (model->config.arch == TRIAD_ARCH_ENCODER)
    {
      g_set_error (error, TRIAD_ERROR, TRIAD_ERROR_INVALID_ARGUMENT,
                   _("An encoder-only model does not translate: it has no decoder"));
      return NULL;
    }
  if (model->config.arch == TRIAD_ARCH_DECODER)
    {
      prompt = triad_task_translation_prompt (english);
      input = triad_model_encode (model, prompt, TRIAD_ATTN_DECODER_SELF, error);
    }
  else
    input = triad_model_encode (model, english, TRIAD_ATTN_ENCODER_SELF, error);
  if (input == NULL)
    return NULL;

  state = triad_state_new (model);
  out = triad_generate_greedy (state, input->ids, input->n, 48, NULL, error);
  if (out == NULL)
    return NULL;
  return clean_text (triad_tokenizer_decode (model->tokenizer, (int *) out->data, out->len));
}

/* ---- evaluation ---------------------------------------------------------------------- */

static int
argmax (const float *row,
        int          n)
{
  int best = 0;
  for (int i = 1; i < n; i++)
    if (row[i] > row[best])
      best = i;
  return best;
}

/* The argmax at every labelled position against its label: adds to *right and *total. */
static gboolean
score_masked (TriadState   *state,
              const GArray *in,
              const GArray *labels,
              int          *right,
              int          *total,
              int          *first_guess,
              GError      **error)
{
  int V = state->model->config.vocab_size;

  if (!triad_encoder_forward (state, (const int *) in->data, in->len, NULL, 0, error))
    return FALSE;
  triad_encoder_logits (state);
  *first_guess = -1;
  for (guint i = 0; i < in->len; i++)
    if (g_array_index (labels, int, i) >= 0)
      {
        int best = argmax (state->logits + (size_t) i * V, V);
        if (*first_guess < 0)
          *first_guess = best;
        (*total)++;
        *right += best == g_array_index (labels, int, i);
      }
  return TRUE;
}

static gboolean
evaluate_encoder (TriadModel       *model,
                  TriadToyWorld    *world,
                  GRand            *rng,
                  int               n,
                  TriadTaskMetrics *m,
                  GError          **error)
{
  g_autoptr(TriadState) state = triad_state_new (model);
  int masked = 0, right = 0, verbs = 0, agree = 0;

  for (int e = 0; e < n; e++)
    {
      g_auto(TriadToyPair) pair = { 0 };
      g_autoptr(GArray) in = int_array ();
      g_autoptr(GArray) labels = int_array ();
      g_autofree gboolean *pick = NULL;
      g_autofree gboolean *verb_only = NULL;
      Side side = e % 2 == 0 ? SIDE_PAIR_EN : SIDE_PAIR_RU;
      int guess, unused = 0;

      triad_toy_sample (world, rng, TRIAD_TOY_HELDOUT, &pair);

      /* 1. masked-token accuracy: 15 % of one side's words, all <mask>, the other side whole */
      pick = pick_words (rng, side == SIDE_PAIR_RU ? pair.n_ru : pair.n_en);
      if (!masked_input (model->tokenizer, &pair, side, pick, NULL, in, labels, NULL))
        goto bad_tokens;
      if (!score_masked (state, in, labels, &right, &masked, &guess, error))
        return FALSE;

      /* 2. verb agreement: the Russian main verb alone hidden; its gender can only come from
       * its subject, English having none */
      verb_only = g_new0 (gboolean, pair.n_ru);
      verb_only[pair.ru_verb] = TRUE;
      g_array_set_size (in, 0);
      g_array_set_size (labels, 0);
      if (!masked_input (model->tokenizer, &pair, SIDE_PAIR_RU, verb_only, NULL, in, labels,
                         NULL))
        goto bad_tokens;
      if (!score_masked (state, in, labels, &unused, &verbs, &guess, error))
        return FALSE;
      {
        g_autofree char *word = triad_tokenizer_display (model->tokenizer, guess);
        agree += triad_toy_verb_gender (world, word) == pair.subject_gender;
      }
    }
  m->masked_accuracy = masked > 0 ? (double) right / masked : 0;
  m->verb_agreement = verbs > 0 ? (double) agree / verbs : 0;
  return TRUE;

bad_tokens:
  g_set_error (error, TRIAD_ERROR, TRIAD_ERROR_TOKENIZER,
               _("The model’s tokenizer cannot encode the toy world’s words"));
  return FALSE;
}

static gboolean
evaluate_translation (TriadModel       *model,
                      TriadToyWorld    *world,
                      GRand            *rng,
                      int               n,
                      TriadTaskMetrics *m,
                      GError          **error)
{
  int exact = 0;

  for (int e = 0; e < n; e++)
    {
      g_auto(TriadToyPair) pair = { 0 };
      g_autofree char *out = NULL;

      triad_toy_sample (world, rng, TRIAD_TOY_HELDOUT, &pair);
      out = triad_task_translate (model, pair.en, error);
      if (out == NULL)
        return FALSE;
      exact += strcmp (out, pair.ru) == 0;
    }
  m->translation_exact = n > 0 ? (double) exact / n : 0;
  return TRUE;
}

gboolean
triad_task_induction_scores (TriadModel     *model,
                             TriadToyWorld  *world,
                             GRand          *rng,
                             int             n,
                             double         *prev,
                             double         *induct,
                             double         *repeat_accuracy,
                             GError        **error)
{
  const TriadConfig *c = &model->config;
  g_autoptr(TriadState) state = triad_state_new (model);
  int V = c->vocab_size, predicted = 0, right = 0, n_prev = 0, n_induct = 0;

  memset (prev, 0, sizeof (double) * c->n_dec_layers * c->n_heads);
  memset (induct, 0, sizeof (double) * c->n_dec_layers * c->n_heads);
  for (int e = 0; e < n; e++)
    {
      int k = g_rand_int_range (rng, 4, 11);
      g_auto(GStrv) words = triad_toy_random_words (world, rng, k,
                                                    e % 2 ? TRIAD_TOY_RU : TRIAD_TOY_EN);
      g_autoptr(GArray) ids = int_array ();
      TriadCapture cap = { .kind = TRIAD_ATTN_DECODER_SELF, .layer = -1, .head = -1 };
      int once, len;

      append_int (ids, TRIAD_TOKEN_BOS);
      if (!encode_words (model->tokenizer, words, k, ids, NULL))
        return FALSE;
      once = ids->len - 1;               /* tokens in one saying */
      if (!encode_words (model->tokenizer, words, k, ids, NULL))
        return FALSE;
      len = ids->len;

      triad_state_reset (state);
      if (!triad_decoder_forward (state, (int *) ids->data, len, &cap, 1, error))
        return FALSE;

      /* the second saying occupies positions once + 1 … 2 once; its first token cannot be
       * foreseen, the rest can be copied */
      for (int p = once + 2; p < len; p++)
        {
          predicted++;
          right += argmax (state->logits + (size_t) (p - 1) * V, V) == g_array_index (ids, int, p);
        }
      for (int l = 0; l < c->n_dec_layers; l++)
        for (int h = 0; h < c->n_heads; h++)
          {
            const float *a = triad_capture_matrix (&cap, l, h);
            double *pv = &prev[l * c->n_heads + h], *iv = &induct[l * c->n_heads + h];

            for (int p = 1; p < len; p++)
              *pv += a[(size_t) p * len + p - 1];
            /* query p in the second saying; its token's earlier occurrence is p - once; the
             * induction head looks at the token after that one */
            for (int p = once + 1; p < len; p++)
              *iv += a[(size_t) p * len + (p - once + 1)];
          }
      n_prev += len - 1;
      n_induct += len - (once + 1);
      triad_capture_clear (&cap);
    }

  for (int i = 0; i < c->n_dec_layers * c->n_heads; i++)
    {
      prev[i] /= MAX (n_prev, 1);
      induct[i] /= MAX (n_induct, 1);
    }
  if (repeat_accuracy != NULL)
    *repeat_accuracy = predicted > 0 ? (double) right / predicted : 0;
  return TRUE;
}

static gboolean
evaluate_induction (TriadModel       *model,
                    TriadToyWorld    *world,
                    GRand            *rng,
                    int               n,
                    TriadTaskMetrics *m,
                    GError          **error)
{
  const TriadConfig *c = &model->config;
  g_autofree double *prev = g_new0 (double, c->n_dec_layers * c->n_heads);
  g_autofree double *induct = g_new0 (double, c->n_dec_layers * c->n_heads);

  if (!triad_task_induction_scores (model, world, rng, n, prev, induct, &m->repeat_accuracy,
                                    error))
    return FALSE;
  m->prev_score = m->induction_score = -1;
  for (int i = 0; i < c->n_dec_layers * c->n_heads; i++)
    {
      if (prev[i] > m->prev_score)
        m->prev_score = prev[i], m->prev_layer = i / c->n_heads, m->prev_head = i % c->n_heads;
      if (induct[i] > m->induction_score)
        m->induction_score = induct[i], m->induction_layer = i / c->n_heads,
        m->induction_head = i % c->n_heads;
    }
  return TRUE;
}

gboolean
triad_task_alignment_scores (TriadModel    *model,
                             TriadToyWorld *world,
                             GRand         *rng,
                             int            n,
                             double        *align,
                             double        *token_accuracy,
                             GError       **error)
{
  const TriadConfig *c = &model->config;
  g_autoptr(TriadState) state = triad_state_new (model);
  g_autofree int *hits = g_new0 (int, c->n_dec_layers * c->n_heads);
  int words = 0, tokens = 0, right = 0, V = c->vocab_size;

  for (int e = 0; e < n; e++)
    {
      g_auto(TriadToyPair) pair = { 0 };
      g_autoptr(GArray) src = int_array ();
      g_autoptr(GArray) src_word = int_array ();
      g_autoptr(GArray) ru = int_array ();
      g_autoptr(GArray) ru_word = int_array ();
      g_autoptr(GArray) tgt = int_array ();
      TriadCapture cap = { .kind = TRIAD_ATTN_CROSS, .layer = -1, .head = -1 };

      triad_toy_sample (world, rng, TRIAD_TOY_HELDOUT, &pair);
      if (!encode_words (model->tokenizer, pair.en_words, pair.n_en, src, src_word)
          || !encode_words (model->tokenizer, pair.ru_words, pair.n_ru, ru, ru_word))
        return FALSE;
      append_int (src, TRIAD_TOKEN_EOS);
      append_int (src_word, -1);
      append_int (tgt, TRIAD_TOKEN_BOS);
      g_array_append_vals (tgt, ru->data, ru->len);

      triad_state_reset (state);
      if (!triad_encoder_forward (state, (int *) src->data, src->len, NULL, 0, error)
          || !triad_decoder_forward (state, (int *) tgt->data, tgt->len, &cap, 1, error))
        return FALSE;

      /* the query that produces Russian token t is decoder position t (its input is the
       * token before); a word counts once, by its first token */
      for (guint t = 0; t < ru->len; t++)
        {
          int w = g_array_index (ru_word, int, t);

          tokens++;
          right += argmax (state->logits + (size_t) t * V, V) == g_array_index (ru, int, t);
          if ((t > 0 && g_array_index (ru_word, int, t - 1) == w) || !pair.ru_content[w])
            continue;
          words++;
          for (int l = 0; l < c->n_dec_layers; l++)
            for (int h = 0; h < c->n_heads; h++)
              {
                const float *row = triad_capture_matrix (&cap, l, h) + (size_t) t * src->len;
                int best = argmax (row, src->len);
                hits[l * c->n_heads + h] += g_array_index (src_word, int, best) == pair.ru_align[w];
              }
        }
      triad_capture_clear (&cap);
    }

  for (int i = 0; i < c->n_dec_layers * c->n_heads; i++)
    align[i] = (double) hits[i] / MAX (words, 1);
  if (token_accuracy != NULL)
    *token_accuracy = tokens > 0 ? (double) right / tokens : 0;
  return TRUE;
}

static gboolean
evaluate_alignment (TriadModel       *model,
                    TriadToyWorld    *world,
                    GRand            *rng,
                    int               n,
                    TriadTaskMetrics *m,
                    GError          **error)
{
  const TriadConfig *c = &model->config;
  g_autofree double *align = g_new0 (double, c->n_dec_layers * c->n_heads);

  if (!triad_task_alignment_scores (model, world, rng, n, align, NULL, error))
    return FALSE;
  m->align_accuracy = -1;
  for (int i = 0; i < c->n_dec_layers * c->n_heads; i++)
    if (align[i] > m->align_accuracy)
      m->align_accuracy = align[i], m->align_layer = i / c->n_heads, m->align_head = i % c->n_heads;
  return TRUE;
}

/* ---- agreement ----------------------------------------------------------------------- */

/* A Russian sentence alone, <bos> words <eos>, its main verb hidden, and where the verb's and
 * its subject's tokens are: the verb's gender can only come from the subject. */
static gboolean
agreement_input (const TriadTokenizer *tok,
                 const TriadToyPair   *pair,
                 GRand                *rng,
                 GArray               *in,
                 GArray               *labels,
                 GArray               *word_of)
{
  g_autofree gboolean *pick = g_new0 (gboolean, pair->n_ru);

  pick[pair->ru_verb] = TRUE;
  return masked_input (tok, pair, SIDE_RU, pick, rng, in, labels, word_of);
}

void
triad_toy_sample_distant (TriadToyWorld *world,
                          GRand         *rng,
                          TriadToySplit  split,
                          TriadToyPair  *pair)
{
  triad_toy_sample (world, rng, split, pair);
  while (ABS (pair->ru_verb - pair->ru_subject) < 2)
    {
      triad_toy_pair_clear (pair);
      triad_toy_sample (world, rng, split, pair);
    }
}

gboolean
triad_task_fill_agreement (TriadToyWorld        *world,
                           const TriadTokenizer *tok,
                           GRand                *rng,
                           int                   n_seq,
                           TriadBatch           *batch,
                           GError              **error)
{
  for (int s = 0; s < n_seq; s++)
    {
      g_auto(TriadToyPair) pair = { 0 };
      g_autoptr(GArray) in = int_array ();
      g_autoptr(GArray) labels = int_array ();
      g_autoptr(GArray) word_of = int_array ();

      triad_toy_sample (world, rng, TRIAD_TOY_TRAIN, &pair);
      if (!agreement_input (tok, &pair, rng, in, labels, word_of))
        {
          g_set_error (error, TRIAD_ERROR, TRIAD_ERROR_TOKENIZER,
                       _("The tokenizer cannot encode the toy world’s words"));
          return FALSE;
        }
      triad_batch_add (batch, (int *) in->data, in->len, NULL, 0, (int *) labels->data);
    }
  return TRUE;
}

gboolean
triad_task_agreement_scores (TriadModel    *model,
                             TriadToyWorld *world,
                             GRand         *rng,
                             int            n,
                             double        *to_subject,
                             double        *agreement,
                             GError       **error)
{
  const TriadConfig *c = &model->config;
  g_autoptr(TriadState) state = triad_state_new (model);
  int verbs = 0, agree = 0;

  memset (to_subject, 0, sizeof (double) * c->n_enc_layers * c->n_heads);
  for (int e = 0; e < n; e++)
    {
      g_auto(TriadToyPair) pair = { 0 };
      g_autoptr(GArray) in = int_array ();
      g_autoptr(GArray) labels = int_array ();
      g_autoptr(GArray) word_of = int_array ();
      TriadCapture cap = { .kind = TRIAD_ATTN_ENCODER_SELF, .layer = -1, .head = -1 };
      int V = c->vocab_size, len, verb = -1;

      triad_toy_sample_distant (world, rng, TRIAD_TOY_HELDOUT, &pair);
      if (!agreement_input (model->tokenizer, &pair, NULL, in, labels, word_of))
        {
          g_set_error (error, TRIAD_ERROR, TRIAD_ERROR_TOKENIZER,
                       _("The model’s tokenizer cannot encode the toy world’s words"));
          return FALSE;
        }
      len = in->len;
      triad_state_reset (state);
      if (!triad_encoder_forward (state, (const int *) in->data, len, &cap, 1, error))
        return FALSE;
      triad_encoder_logits (state);
      /* the verb's first hidden token asks; its answer is right when the word it begins has
       * the subject's gender */
      for (int i = 0; i < len && verb < 0; i++)
        if (g_array_index (word_of, int, i) == pair.ru_verb)
          verb = i;
      {
        int guess = argmax (state->logits + (size_t) verb * V, V);
        g_autofree char *word = triad_tokenizer_display (model->tokenizer, guess);
        agree += triad_toy_verb_gender (world, word) == pair.subject_gender;
        verbs++;
      }
      for (int l = 0; l < c->n_enc_layers; l++)
        for (int h = 0; h < c->n_heads; h++)
          {
            const float *row = triad_capture_matrix (&cap, l, h) + (size_t) verb * len;
            for (int k = 0; k < len; k++)
              if (g_array_index (word_of, int, k) == pair.ru_subject)
                to_subject[l * c->n_heads + h] += row[k];
          }
      triad_capture_clear (&cap);
    }
  for (int i = 0; i < c->n_enc_layers * c->n_heads; i++)
    to_subject[i] /= MAX (verbs, 1);
  if (agreement != NULL)
    *agreement = verbs > 0 ? (double) agree / verbs : 0;
  return TRUE;
}

gboolean
triad_task_evaluate (TriadModel       *model,
                     TriadToyWorld    *world,
                     int               n,
                     TriadTaskMetrics *m,
                     GError          **error)
{
  g_autoptr(GRand) rng = g_rand_new_with_seed (TRIAD_TASK_EVAL_SEED);

  memset (m, 0, sizeof *m);
  m->arch = model->config.arch;
  m->n_examples = n;
  switch (model->config.arch)
    {
    case TRIAD_ARCH_ENCODER:
      return evaluate_encoder (model, world, rng, n, m, error);
    case TRIAD_ARCH_DECODER:
      return evaluate_translation (model, world, rng, n, m, error)
             && evaluate_induction (model, world, rng, n, m, error);
    case TRIAD_ARCH_ENCDEC:
      return evaluate_translation (model, world, rng, n, m, error)
             && evaluate_alignment (model, world, rng, n, m, error);
    default:
      return FALSE;
    }
}
