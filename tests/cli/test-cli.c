/* test-cli.c — the command line, run in-process on models the test writes. */
#include "config.h"

#include <stdio.h>
#include <json-glib/json-glib.h>

#include "cli/cli.h"
#include "engine/error.h"
#include "../engine/test-common.h"
#include "../test-pixels.h"

typedef struct {
  char *dir;
  char *models[3];   /* encoder, decoder, encdec folders */
} Fixture;

static void
fixture_set_up (Fixture       *f,
                gconstpointer  data)
{
  f->dir = test_tmpdir ();
  for (TriadArch arch = TRIAD_ARCH_ENCODER; arch <= TRIAD_ARCH_ENCDEC; arch++)
    {
      g_autoptr(TriadModel) m = test_model (arch, 21 + arch);
      g_autoptr(GError) error = NULL;

      m->tokenizer = test_tokenizer (m->config.vocab_size);
      f->models[arch] = g_build_filename (f->dir, triad_arch_to_string (arch), NULL);
      g_assert_true (triad_model_save (m, f->models[arch], &error));
      g_assert_no_error (error);
    }
}

static void
fixture_tear_down (Fixture       *f,
                   gconstpointer  data)
{
  test_rmdir (f->dir);
  g_free (f->dir);
  for (int i = 0; i < 3; i++)
    g_free (f->models[i]);
}

static JsonObject *
parse_object (const char *text,
              JsonParser *parser)
{
  g_autoptr(GError) error = NULL;

  json_parser_load_from_data (parser, text, -1, &error);
  g_assert_no_error (error);
  g_assert_true (JSON_NODE_HOLDS_OBJECT (json_parser_get_root (parser)));
  return json_node_get_object (json_parser_get_root (parser));
}

static void
assert_stochastic (JsonArray *matrix,
                   int        n_q,
                   int        n_k,
                   gboolean   causal)
{
  g_assert_cmpuint (json_array_get_length (matrix), ==, n_q);
  for (int i = 0; i < n_q; i++)
    {
      JsonArray *row = json_array_get_array_element (matrix, i);
      double sum = 0;

      g_assert_cmpuint (json_array_get_length (row), ==, n_k);
      for (int j = 0; j < n_k; j++)
        {
          double w = json_array_get_double_element (row, j);
          if (causal && j > i)
            g_assert_cmpfloat (w, ==, 0.0);
          sum += w;
        }
      g_assert_cmpfloat_with_epsilon (sum, 1.0, 1e-5);
    }
}

static void
test_tokenize (Fixture *f, gconstpointer data)
{
  g_autoptr(JsonParser) p = json_parser_new ();
  TestRun r = test_run_cli ("tokenize", "--model", f->models[TRIAD_ARCH_DECODER], "--text", "ab ca", NULL);
  JsonObject *o;
  JsonArray *toks;

  g_assert_cmpint (r.status, ==, 0);
  o = parse_object (r.out, p);
  /* the test tokenizer has no merges: ▁ a b ▁ c a */
  g_assert_cmpint (json_object_get_int_member (o, "n"), ==, 6);
  toks = json_object_get_array_member (o, "tokens");
  g_assert_cmpstr (json_object_get_string_member (json_array_get_object_element (toks, 1), "piece"),
                   ==, "a");
  /* "c" is the fifth character (offset 3) of the text */
  g_assert_cmpint (json_object_get_int_member (json_array_get_object_element (toks, 4), "start"),
                   ==, 3);
  /* id of "a": six specials, then "▁" (6), then a (7) */
  g_assert_cmpint (json_object_get_int_member (json_array_get_object_element (toks, 5), "id"),
                   ==, 7);
  test_run_clear (&r);
}

static void
test_attention_one_head (Fixture *f, gconstpointer data)
{
  g_autoptr(JsonParser) p = json_parser_new ();
  TestRun r = test_run_cli ("attention", "--model", f->models[TRIAD_ARCH_DECODER], "--text", "abc",
                  "--layer", "1", "--head", "2", NULL);
  JsonObject *o;

  g_assert_cmpint (r.status, ==, 0);
  o = parse_object (r.out, p);
  /* <bos> ▁ a b c: five tokens */
  g_assert_cmpuint (json_array_get_length (json_object_get_array_member (o, "tokens")), ==, 5);
  g_assert_cmpint (json_object_get_int_member (o, "layer"), ==, 1);
  g_assert_cmpint (json_object_get_int_member (o, "head"), ==, 2);
  g_assert_cmpstr (json_object_get_string_member (o, "kind"), ==, "decoder-self");
  assert_stochastic (json_object_get_array_member (o, "weights"), 5, 5, TRUE);
  test_run_clear (&r);
}

static void
test_attention_all (Fixture *f, gconstpointer data)
{
  g_autoptr(JsonParser) p = json_parser_new ();
  TestRun r = test_run_cli ("attention", "--model", f->models[TRIAD_ARCH_ENCODER], "--text", "ab", NULL);
  JsonObject *o;
  JsonArray *w;

  g_assert_cmpint (r.status, ==, 0);
  o = parse_object (r.out, p);
  g_assert_true (json_node_is_null (json_object_get_member (o, "layer")));
  w = json_object_get_array_member (o, "weights");
  /* [layer][head][query][key]: 2 layers, 4 heads, <bos> ▁ a b <eos> */
  g_assert_cmpuint (json_array_get_length (w), ==, 2);
  g_assert_cmpuint (json_array_get_length (json_array_get_array_element (w, 0)), ==, 4);
  for (int l = 0; l < 2; l++)
    for (int h = 0; h < 4; h++)
      assert_stochastic (json_array_get_array_element (json_array_get_array_element (w, l), h),
                         5, 5, FALSE);
  test_run_clear (&r);
}

static void
test_attention_cross (Fixture *f, gconstpointer data)
{
  g_autoptr(JsonParser) p = json_parser_new ();
  g_autoptr(JsonParser) p2 = json_parser_new ();
  TestRun r = test_run_cli ("attention", "--model", f->models[TRIAD_ARCH_ENCDEC], "--text", "abc",
                  "--target", "de", "--kind", "cross", "--layer", "0", "--head", "0", NULL);
  TestRun g;
  JsonObject *o;

  g_assert_cmpint (r.status, ==, 0);
  o = parse_object (r.out, p);
  /* target rows (<bos> ▁ d e: 4) × source columns (▁ a b c <eos>: 5) */
  g_assert_cmpuint (json_array_get_length (json_object_get_array_member (o, "target_tokens")), ==, 4);
  assert_stochastic (json_object_get_array_member (o, "weights"), 4, 5, FALSE);
  test_run_clear (&r);

  /* no target: the model's own greedy translation is the target */
  g = test_run_cli ("attention", "--model", f->models[TRIAD_ARCH_ENCDEC], "--text", "abc",
           "--kind", "decoder-self", "--layer", "1", "--head", "3", NULL);
  g_assert_cmpint (g.status, ==, 0);
  o = parse_object (g.out, p2);
  {
    int n = json_array_get_length (json_object_get_array_member (o, "target_tokens"));
    g_assert_cmpint (n, >=, 1);
    assert_stochastic (json_object_get_array_member (o, "weights"), n, n, TRUE);
  }
  test_run_clear (&g);
}

static void
expect_failure (int         status,
                const char *needle,
                TestRun      r)
{
  g_assert_cmpint (r.status, ==, status);
  g_assert_cmpstr (r.out, ==, "");
  if (strstr (r.err, needle) == NULL)
    g_error ("expected “%s” in “%s”", needle, r.err);
  /* one clear line */
  g_assert_cmpint (strchr (r.err, '\n') - r.err + 1, ==, (int) strlen (r.err));
  test_run_clear (&r);
}

static void
test_errors (Fixture *f, gconstpointer data)
{
  g_autofree char *bad_utf8 = g_build_filename (f->dir, "bad.txt", NULL);
  g_autofree char *nul = g_build_filename (f->dir, "nul.txt", NULL);
  g_autofree char *missing = g_build_filename (f->dir, "missing", NULL);
  const char *enc = f->models[TRIAD_ARCH_ENCODER], *dec = f->models[TRIAD_ARCH_DECODER];

  g_assert_true (g_file_set_contents (bad_utf8, "ab\xff" "c", 4, NULL));
  g_assert_true (g_file_set_contents (nul, "ab\0c", 4, NULL));

  expect_failure (2, "--model", test_run_cli ("attention", "--text", "ab", NULL));
  expect_failure (2, "Layer 5", test_run_cli ("attention", "--model", dec, "--text", "ab",
                                     "--layer", "5", "--head", "0", NULL));
  expect_failure (2, "Head 4", test_run_cli ("attention", "--model", dec, "--text", "ab",
                                    "--layer", "0", "--head", "4", NULL));
  expect_failure (2, "cross", test_run_cli ("attention", "--model", enc, "--text", "ab",
                                   "--kind", "cross", NULL));
  expect_failure (2, "diagonal", test_run_cli ("attention", "--model", enc, "--text", "ab",
                                      "--kind", "diagonal", NULL));
  expect_failure (2, "layer", test_run_cli ("attention", "--model", dec, "--text", "ab",
                                   "--layer", "many", NULL));
  expect_failure (1, "missing", test_run_cli ("tokenize", "--model", missing, "--text", "ab", NULL));
  expect_failure (1, "no-such-model", test_run_cli ("tokenize", "--model", "no-such-model",
                                           "--text", "ab", NULL));
  expect_failure (1, "byte 2", test_run_cli ("tokenize", "--model", dec, "--text-file", bad_utf8, NULL));
  expect_failure (1, "NUL", test_run_cli ("attention", "--model", dec, "--text-file", nul, NULL));
  expect_failure (1, "empty", test_run_cli ("attention", "--model", dec, "--text", "", NULL));
  expect_failure (1, "empty", test_run_cli ("generate", "--model", dec, "--prompt", "   ", NULL));
  expect_failure (1, "at most", test_run_cli ("attention", "--model", dec, "--text",
                                     "abcabcabcabcabcabcabcabcabcabcabcabcabcabc", NULL));
  expect_failure (2, "encoder-only", test_run_cli ("generate", "--model", enc, "--prompt", "ab", NULL));
  expect_failure (2, "max-tokens", test_run_cli ("generate", "--model", dec, "--prompt", "ab",
                                        "--max-tokens", "0", NULL));
  expect_failure (2, "unknown command", test_run_cli ("frobnicate", NULL));
  expect_failure (2, "unexpected", test_run_cli ("tokenize", "--model", dec, "--text", "a", "extra", NULL));
}

/* ---- the input every command reads: --text or --text-file, --model -------------------- */

/* The commands that read a text, each with the arguments it needs besides; the export's file
 * is OUT, replaced by a path of the test's. */
typedef struct {
  const char *name;
  const char *text_option;   /* --text or --prompt */
  const char *args[12];
} TextCommand;

static int
text_commands (Fixture     *f,
               TextCommand *c)
{
  const char *enc = f->models[TRIAD_ARCH_ENCODER], *dec = f->models[TRIAD_ARCH_DECODER];
  const char *encdec = f->models[TRIAD_ARCH_ENCDEC];
  TextCommand all[] = {
    { "tokenize", "--text", { "tokenize", "--model", dec } },
    { "attention", "--text", { "attention", "--model", dec } },
    { "generate", "--prompt", { "generate", "--model", dec, "--max-tokens", "3" } },
    { "translate", "--text", { "translate", "--model", encdec } },
    { "predict", "--text", { "predict", "--model", enc } },
    { "export attention", "--text", { "export", "--view", "attention", "--model", dec, "--out",
                                      "OUT", "--width", "320", "--height", "240" } },
    { "export masks", "--text", { "export", "--view", "masks", "--encoder", enc, "--decoder",
                                  dec, "--out", "OUT", "--width", "320" } },
    { "export cross", "--text", { "export", "--view", "cross", "--model", encdec, "--out",
                                  "OUT", "--width", "320", "--height", "240" } },
  };

  memcpy (c, all, sizeof all);
  return G_N_ELEMENTS (all);
}

/* Runs c with its text given as extra (two arguments, or four), the export written to out. */
static TestRun
run_text_command (const TextCommand *c,
                  const char        *out,
                  const char        *extra[])
{
  const char *argv[24] = { NULL };
  int n = 0;
  TestRun r = { 0 };
  size_t out_len, err_len;
  FILE *o, *e;

  for (int i = 0; c->args[i] != NULL; i++)
    argv[n++] = g_str_equal (c->args[i], "OUT") ? out : c->args[i];
  for (int i = 0; extra[i] != NULL; i++)
    argv[n++] = extra[i];
  o = open_memstream (&r.out, &out_len);
  e = open_memstream (&r.err, &err_len);
  r.status = triad_cli_run (n, (char **) argv, o, e);
  fclose (o);
  fclose (e);
  return r;
}

/* --text-file (--prompt-file for generate) reads what --text gives on the command line: every
 * command prints the same, and every export draws the same pixels. */
static void
test_input_text_file (Fixture *f, gconstpointer data)
{
  g_autofree char *file = g_build_filename (f->dir, "text.txt", NULL);
  TextCommand commands[16];
  int n = text_commands (f, commands);

  /* "<mask>": predict needs a mask to fill in, the others read it as any text */
  g_assert_true (g_file_set_contents (file, "ab <mask> ca", -1, NULL));
  for (int i = 0; i < n; i++)
    {
      const TextCommand *c = &commands[i];
      g_autofree char *file_option = g_strconcat (c->text_option, "-file", NULL);
      g_autofree char *png_a = g_build_filename (f->dir, "a.png", NULL);
      g_autofree char *png_b = g_build_filename (f->dir, "b.png", NULL);
      const char *given[] = { c->text_option, "ab <mask> ca", NULL };
      const char *read[] = { file_option, file, NULL };
      TestRun a = run_text_command (c, png_a, given);
      TestRun b = run_text_command (c, png_b, read);

      g_test_message ("%s", c->name);
      if (a.status != 0)
        g_error ("%s: %s", c->name, a.err);
      g_assert_cmpint (b.status, ==, 0);
      if (g_str_equal (c->args[0], "export"))
        {
          g_autoptr(JsonParser) pa = json_parser_new ();
          g_autoptr(JsonParser) pb = json_parser_new ();

          /* the same figure: its title, and not one pixel apart */
          g_assert_cmpstr (json_object_get_string_member (parse_object (a.out, pa), "title"), ==,
                           json_object_get_string_member (parse_object (b.out, pb), "title"));
          g_assert_cmpint (test_png_ink (png_a), >, 0);
          g_assert_cmpint (test_png_diff (png_a, png_b), ==, 0);
          g_unlink (png_a);
          g_unlink (png_b);
        }
      else
        {
          /* the same lines, but for generate's step times */
          g_autoptr(GRegex) usec = g_regex_new ("\"usec\":[0-9]+", 0, 0, NULL);
          g_autofree char *out_a = g_regex_replace_literal (usec, a.out, -1, 0, "", 0, NULL);
          g_autofree char *out_b = g_regex_replace_literal (usec, b.out, -1, 0, "", 0, NULL);

          g_assert_cmpstr (out_a, ==, out_b);
          g_assert_cmpuint (strlen (out_a), >, 10);
        }
      test_run_clear (&a);
      test_run_clear (&b);
    }
}

/* The text's and the model's mistakes say the same for every command: both forms of the text
 * (a usage error, 2), neither (2), a file that is not there (bad input, 1, naming the file),
 * no --model where one is required (2). */
static void
test_input_errors (Fixture *f, gconstpointer data)
{
  g_autofree char *file = g_build_filename (f->dir, "text.txt", NULL);
  g_autofree char *missing = g_build_filename (f->dir, "no-such-text.txt", NULL);
  g_autofree char *out = g_build_filename (f->dir, "out.png", NULL);
  TextCommand commands[16];
  int n = text_commands (f, commands);
  const char *no_model[][6] = {
    { "tokenize", "--text", "ab" },
    { "attention", "--text", "ab" },
    { "generate", "--prompt", "ab" },
    { "evaluate" },
    { "export", "--view", "attention", "--text", "ab" },
  };

  g_assert_true (g_file_set_contents (file, "ab", -1, NULL));
  for (int i = 0; i < n; i++)
    {
      const TextCommand *c = &commands[i];
      g_autofree char *file_option = g_strconcat (c->text_option, "-file", NULL);
      g_autofree char *both_msg = g_strdup_printf ("Give %s or %s, not both", c->text_option,
                                                   file_option);
      g_autofree char *neither_msg = g_strdup_printf ("%s or %s is required", c->text_option,
                                                      file_option);
      const char *both[] = { c->text_option, "ab", file_option, file, NULL };
      const char *neither[] = { NULL };
      const char *absent[] = { file_option, missing, NULL };

      g_test_message ("%s", c->name);
      expect_failure (2, both_msg, run_text_command (c, out, both));
      expect_failure (2, neither_msg, run_text_command (c, out, neither));
      expect_failure (1, "no-such-text.txt", run_text_command (c, out, absent));
    }
  /* the KV Cache's text is optional (no text: no live run), its mistakes the same */
  {
    TextCommand kv = { "export kv", "--text", { "export", "--view", "kv", "--preset",
                                                "llama-3-8b", "--out", "OUT" } };
    const char *both[] = { "--text", "ab", "--text-file", file, NULL };
    const char *absent[] = { "--text-file", missing, NULL };

    expect_failure (2, "Give --text or --text-file, not both", run_text_command (&kv, out, both));
    expect_failure (1, "no-such-text.txt", run_text_command (&kv, out, absent));
  }
  /* every view that colours weights reads --colormap alike */
  for (int i = 0; i < n; i++)
    if (g_str_equal (commands[i].args[0], "export"))
      {
        const char *jet[] = { "--text", "ab", "--colormap", "jet", NULL };

        expect_failure (2, "--colormap must be viridis, magma, cividis or grey, not “jet”",
                        run_text_command (&commands[i], out, jet));
      }
  {
    TextCommand kv = { "export kv", "--text", { "export", "--view", "kv", "--preset",
                                                "llama-3-8b", "--out", "OUT" } };
    const char *jet[] = { "--colormap", "jet", NULL };

    expect_failure (2, "--colormap must be viridis, magma, cividis or grey, not “jet”",
                    run_text_command (&kv, out, jet));
  }
  for (guint i = 0; i < G_N_ELEMENTS (no_model); i++)
    {
      const char *argv[8] = { NULL };
      int k = 0;

      for (; no_model[i][k] != NULL; k++)
        argv[k] = no_model[i][k];
      if (g_str_equal (argv[0], "export"))
        argv[k++] = "--out", argv[k++] = out;
      {
        TestRun r = { 0 };
        size_t ol, el;
        FILE *o = open_memstream (&r.out, &ol), *e = open_memstream (&r.err, &el);

        r.status = triad_cli_run (k, (char **) argv, o, e);
        fclose (o);
        fclose (e);
        g_test_message ("%s", argv[0]);
        expect_failure (2, "--model is required", r);
      }
    }
}

static void
test_generate (Fixture *f, gconstpointer data)
{
  TestRun r = test_run_cli ("generate", "--model", f->models[TRIAD_ARCH_DECODER], "--prompt", "ab",
                  "--max-tokens", "5", NULL);
  g_auto(GStrv) lines = NULL;
  int n = 0;

  g_assert_cmpint (r.status, ==, 0);
  lines = g_strsplit (r.out, "\n", -1);
  /* the first line: the prompt, <bos> ▁ a b, and its words outside the toy world ("ab" is
   * none of its words) */
  {
    g_autoptr(JsonParser) p = json_parser_new ();
    JsonObject *o = parse_object (lines[0], p);
    JsonArray *unknown = json_object_get_array_member (o, "unknown_words");

    g_assert_cmpstr (json_object_get_string_member (o, "prompt"), ==, "ab");
    g_assert_cmpint (json_object_get_int_member (o, "prompt_tokens"), ==, 4);
    g_assert_cmpuint (json_array_get_length (unknown), ==, 1);
    g_assert_cmpstr (json_array_get_string_element (unknown, 0), ==, "ab");
  }
  for (int i = 0; lines[i + 1] != NULL && *lines[i + 1] != '\0'; i++, n++)
    {
      g_autoptr(JsonParser) p = json_parser_new ();
      JsonObject *o = parse_object (lines[i + 1], p);

      g_assert_cmpint (json_object_get_int_member (o, "step"), ==, i);
      g_assert_true (json_object_has_member (o, "token"));
      g_assert_true (json_object_has_member (o, "text"));
      /* prompt <bos> ▁ a b, then one more position a step: the cache holds at most 8
       * positions, inside one block of 16: 2 layers × 2 × 16 × 16 dims × 4 bytes = 4,096 */
      g_assert_cmpint (json_object_get_int_member (o, "kv_bytes"), ==, 4096);
      g_assert_cmpint (json_object_get_int_member (o, "cross_kv_bytes"), ==, 0);
    }
  g_assert_cmpint (n, >=, 1);
  g_assert_cmpint (n, <=, 5);
  test_run_clear (&r);
}

int
main (int argc, char *argv[])
{
  g_test_init (&argc, &argv, NULL);
#define ADD(path, fn) \
  g_test_add ("/cli/" path, Fixture, NULL, fixture_set_up, fn, fixture_tear_down)
  ADD ("tokenize", test_tokenize);
  ADD ("attention/one-head", test_attention_one_head);
  ADD ("attention/all-heads", test_attention_all);
  ADD ("attention/cross", test_attention_cross);
  ADD ("errors", test_errors);
  ADD ("generate", test_generate);
  ADD ("input/text-file", test_input_text_file);
  ADD ("input/errors", test_input_errors);
#undef ADD
  return g_test_run ();
}
