/* tasks.h — what the three shipped models learn from the toy world, and how they are judged.
 *
 *   encoder  masked-token prediction on English and Russian sentences. 70 % of the examples are
 *            a sentence pair, <bos> english <sep> russian <eos>, with words of one language
 *            hidden and the other whole, as cross-lingual masked language models do: the toy
 *            world draws its words at random, so a hidden noun of a lone sentence could be any
 *            noun, while its translation beside it decides it. The rest are single sentences,
 *            <bos> words <eos>. 15 % of the masked side's words are chosen; of those 80 % become
 *            <mask>, 10 % a random token, 10 % stay; a Russian side also has its main verb
 *            chosen a quarter of the time, so that verb agreement is practised often.
 *   decoder  next-token prediction on three kinds of document, in proportion 3 : 4 : 3:
 *            a sentence in either language; a translation "EN: … RU: …"; and a random
 *            sequence of 4–10 lexicon words said twice (the induction task).
 *   encdec   English → Russian translation: the source is the English words and <eos>, the
 *            decoder reads <bos> and the Russian words and predicts them and <eos>.
 * Evaluations use the held-out split (word combinations never seen in training) and a seed of
 * their own. */
#pragma once

#include <glib.h>

#include "engine/model.h"
#include "engine/toyworld.h"
#include "engine/train.h"

G_BEGIN_DECLS

#define TRIAD_TASK_EVAL_SEED 0xE7A1u

/* The one tokenizer of all three models: BPE over a toy corpus of both languages, with every
 * lexicon word and the prompt markers "EN" and "RU" a single token. Deterministic. */
TriadTokenizer *triad_task_tokenizer (TriadToyWorld  *world,
                                      GError        **error);

/* n_seq training examples of the architecture's task, appended to batch. */
gboolean triad_task_fill_batch (TriadArch             arch,
                                TriadToyWorld        *world,
                                const TriadTokenizer *tok,
                                GRand                *rng,
                                TriadToySplit         split,
                                int                   n_seq,
                                TriadBatch           *batch,
                                GError              **error);

/* n_seq sequences of the Training view's induction task, appended to batch: 4–10 random
 * lexicon words of one language, up to 24 other random words, and the first words again, the
 * loss only on the second saying (from its second token: the first cannot be foreseen). The
 * words between make the distance from a token to its earlier occurrence vary from 4 to 34, so
 * that no head looking a fixed distance back can copy them (with none between, layer-0 heads
 * each learn one distance, and no induction head forms). */
gboolean triad_task_fill_induction (TriadToyWorld        *world,
                                    const TriadTokenizer *tok,
                                    GRand                *rng,
                                    int                   n_seq,
                                    TriadBatch           *batch,
                                    GError              **error);

/* The decoder's translation prompt: "EN: <english> RU:". */
char    *triad_task_translation_prompt (const char *english);

/* Greedy translation of English text; by the encoder-decoder, or by the decoder-only model
 * prompted with triad_task_translation_prompt (). */
char    *triad_task_translate  (TriadModel  *model,
                                const char  *english,
                                GError     **error);

typedef struct {
  TriadArch arch;
  int       n_examples;
  /* encoder */
  double    masked_accuracy;        /* argmax = original at masked positions: pairs, English
                                     * and Russian side hidden in turn */
  double    verb_agreement;         /* the masked Russian main verb predicted in its subject's
                                     * gender */
  /* decoder */
  double    translation_exact;      /* whole translation right (decoder by prompt, or encdec) */
  double    repeat_accuracy;        /* next token right over the second repeat, tokens 2 … k */
  int       prev_layer, prev_head;
  double    prev_score;             /* mean attention to the previous token */
  int       induction_layer, induction_head;
  double    induction_score;        /* mean attention to the token after the earlier occurrence */
  /* encdec */
  int       align_layer, align_head;
  double    align_accuracy;         /* Russian content words whose most-attended source word is
                                     * their gold English word */
} TriadTaskMetrics;

gboolean triad_task_evaluate (TriadModel       *model,
                              TriadToyWorld    *world,
                              int               n_examples,
                              TriadTaskMetrics *metrics,
                              GError          **error);

/* Every decoder head's scores on n sequences of random lexicon words said twice, drawn from
 * rng, as the evaluation measures them: prev[l * n_heads + h] the mean attention to the
 * previous token, induct[…] the mean attention, from the second saying, to the token after
 * the earlier occurrence. repeat_accuracy (may be NULL): the next token right over the second
 * saying, its first token left out. triad_task_evaluate's induction head is the best of
 * these. */
gboolean triad_task_induction_scores (TriadModel     *model,
                                      TriadToyWorld  *world,
                                      GRand          *rng,
                                      int             n,
                                      double         *prev,
                                      double         *induct,
                                      double         *repeat_accuracy,
                                      GError        **error);

/* Every cross-attention head's alignment on n held-out pairs drawn from rng, as the evaluation
 * measures it: align[l * n_heads + h] the share of Russian content words whose most-attended
 * source token belongs to their English word. token_accuracy (may be NULL): the Russian tokens
 * predicted right, the translation so far given. triad_task_evaluate's alignment head is the
 * best of these. */
gboolean triad_task_alignment_scores (TriadModel     *model,
                                      TriadToyWorld  *world,
                                      GRand          *rng,
                                      int             n,
                                      double         *align,
                                      double         *token_accuracy,
                                      GError        **error);

/* n_seq examples of verb agreement, appended to batch: a Russian sentence alone with its main
 * verb hidden (as BERT hides a word: 80 % <mask>, 10 % a random token, 10 % kept), whose gender
 * only the subject tells. */
gboolean triad_task_fill_agreement   (TriadToyWorld        *world,
                                      const TriadTokenizer *tok,
                                      GRand                *rng,
                                      int                   n_seq,
                                      TriadBatch           *batch,
                                      GError              **error);

/* A pair whose Russian main verb is not next to its subject ("кошка, которая видела собаку,
 * спала"; "большая кошка быстро спала" is not in the toy world): looking at the word before
 * the verb does not find the subject there. */
void     triad_toy_sample_distant    (TriadToyWorld  *world,
                                      GRand          *rng,
                                      TriadToySplit   split,
                                      TriadToyPair   *pair);

/* Every encoder head's attention from the hidden main verb to its subject, on n held-out
 * Russian sentences drawn from rng (triad_toy_sample_distant's: the subject not next to the
 * verb, so that a head looking at its neighbour does not score): to_subject[l * n_heads + h] the mean weight the verb's first
 * token gives the subject's tokens. agreement (may be NULL): the share of verbs guessed in the
 * subject's gender. */
gboolean triad_task_agreement_scores (TriadModel     *model,
                                      TriadToyWorld  *world,
                                      GRand          *rng,
                                      int             n,
                                      double         *to_subject,
                                      double         *agreement,
                                      GError        **error);

G_END_DECLS
