/* test-hf.h — the tiny Hugging Face folders that the scene and command-line tests open
 * (tests/reference/hf-tiny: GPT-2, BERT and T5 with random weights and small tokenizers), and a
 * T5 folder whose tokenizer knows the words of a translation prompt. */
#pragma once

#include <glib.h>
#include <glib/gstdio.h>
#include <json-glib/json-glib.h>

/* tests/reference/hf-tiny/NAME, from the source tree. */
static inline char *
test_hf_dir (const char *name)
{
  return g_test_build_filename (G_TEST_DIST, "reference", "hf-tiny", name, NULL);
}

/* The words of "translate English to German: The house is wonderful." as whole pieces, so that
 * the prompt reads as T5's own vocabulary reads it: "▁translate", …, ":", "." */
static const char * const test_hf_t5_words[] = {
  "▁translate", "▁English", "▁to", "▁German", ":", "▁The", "▁house", "▁is", "▁wonderful", ".",
};

/* A copy of hf-tiny/t5 in dir/t5-words whose Unigram vocabulary has test_hf_t5_words at the end
 * (ids 123 … 132, inside the model's 160 embeddings) with scores above any split into letters
 * (-3 against at least -4.5 a letter). Returns the folder. */
static inline char *
test_hf_t5_with_words (const char *dir)
{
  g_autofree char *src = test_hf_dir ("t5");
  char *dst = g_build_filename (dir, "t5-words", NULL);
  const char *copied[] = { "config.json", "model.safetensors" };
  g_autoptr(JsonParser) parser = json_parser_new ();
  g_autoptr(JsonGenerator) gen = json_generator_new ();
  g_autoptr(GError) error = NULL;
  g_autofree char *tok_in = g_build_filename (src, "tokenizer.json", NULL);
  g_autofree char *tok_out = g_build_filename (dst, "tokenizer.json", NULL);
  JsonArray *vocab;

  g_assert_cmpint (g_mkdir_with_parents (dst, 0755), ==, 0);
  for (guint i = 0; i < G_N_ELEMENTS (copied); i++)
    {
      g_autofree char *from = g_build_filename (src, copied[i], NULL);
      g_autofree char *to = g_build_filename (dst, copied[i], NULL);
      g_autofree char *bytes = NULL;
      gsize len;

      g_assert_true (g_file_get_contents (from, &bytes, &len, &error));
      g_assert_true (g_file_set_contents (to, bytes, (gssize) len, &error));
    }
  g_assert_true (json_parser_load_from_file (parser, tok_in, &error));
  g_assert_no_error (error);
  vocab = json_object_get_array_member (json_object_get_object_member (
                                          json_node_get_object (json_parser_get_root (parser)),
                                          "model"), "vocab");
  /* the fixture's vocabulary ends at id 122 */
  g_assert_cmpuint (json_array_get_length (vocab), ==, 123);
  for (guint i = 0; i < G_N_ELEMENTS (test_hf_t5_words); i++)
    {
      JsonArray *entry = json_array_new ();

      json_array_add_string_element (entry, test_hf_t5_words[i]);
      json_array_add_double_element (entry, -3.0);
      json_array_add_array_element (vocab, entry);
    }
  json_generator_set_root (gen, json_parser_get_root (parser));
  g_assert_true (json_generator_to_file (gen, tok_out, &error));
  g_assert_no_error (error);
  return dst;
}
