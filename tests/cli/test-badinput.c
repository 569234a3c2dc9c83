/* test-badinput.c — the matrix of bad inputs, through the real `triad` program and through
 * the loaders: each must end with exit status 1 (bad input) or 2 (bad usage) and one line on
 * standard error that names the problem — no crash, no hang, nothing on standard output, and
 * no output file, whole or partial, where a write failed.
 *
 * The program runs as a child process with a deadline, so that a crash is a signal and a hang
 * a timeout rather than the end of this test. Messages are read in English (LC_ALL=C.UTF-8). */
#include "config.h"

#include <grp.h>
#include <signal.h>
#include <unistd.h>
#include <sys/resource.h>
#include <sys/stat.h>
#include <sys/sysmacros.h>
#include <gio/gio.h>

#include "engine/checkpoint.h"
#include "engine/error.h"
#include "../engine/test-common.h"

/* Long enough for an instrumented build (ASan, valgrind) on a busy machine; a hang is far
 * longer than any of these commands takes, which is well under a second. */
#define DEADLINE_SECONDS 90

/* A uid and gid that own nothing here: "nobody" on Debian. */
#define NOBODY 65534

/* What the child does between fork and exec. */
typedef enum {
  AS_IS,
  AS_NOBODY,        /* drop root, so that a folder without write permission is read-only */
  SMALL_FILES,      /* RLIMIT_FSIZE of 1 KiB: a disk that fills up in the middle of a write */
} ChildSetup;

typedef struct {
  int      status;  /* the exit status; -1 for a signal or a hang */
  gboolean hung;
  int      signal;
  char    *out;
  char    *err;
} Result;

static char *triad_exe;
static char *nobody_exe;

static void
result_clear (Result *r)
{
  g_free (r->out);
  g_free (r->err);
}

static void
child_setup (gpointer data)
{
  ChildSetup setup = GPOINTER_TO_INT (data);

  if (setup == AS_NOBODY && geteuid () == 0)
    {
      /* only async-signal-safe calls here; 125 tells the parent it could not */
      if (setgroups (0, NULL) != 0 || setgid (NOBODY) != 0 || setuid (NOBODY) != 0)
        _exit (125);
    }
  else if (setup == SMALL_FILES)
    {
      struct rlimit lim = { 1024, 1024 };

      /* a write past the limit then fails with EFBIG instead of killing the process */
      signal (SIGXFSZ, SIG_IGN);
      setrlimit (RLIMIT_FSIZE, &lim);
    }
}

static char *
bytes_to_string (GBytes *bytes)
{
  if (bytes == NULL || g_bytes_get_size (bytes) == 0)
    return g_strdup ("");
  return g_strndup (g_bytes_get_data (bytes, NULL), g_bytes_get_size (bytes));
}

static void
communicated (GObject      *source,
              GAsyncResult *res,
              gpointer      data)
{
  GAsyncResult **out = data;

  *out = g_object_ref (res);
}

/* Runs triad with args (NULL-terminated), stdin_data on its standard input (NULL: none). */
static Result
run_full (ChildSetup   setup,
          GBytes      *stdin_data,
          const char  *first,
          va_list      ap)
{
  g_autoptr(GPtrArray) argv = g_ptr_array_new ();
  g_autoptr(GSubprocessLauncher) launcher = NULL;
  g_autoptr(GSubprocess) proc = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(GBytes) out = NULL;
  g_autoptr(GBytes) err = NULL;
  g_autoptr(GAsyncResult) res = NULL;
  g_autoptr(GMainContext) ctx = g_main_context_new ();
  g_autoptr(GCancellable) cancel = g_cancellable_new ();
  g_autoptr(GBytes) no_input = g_bytes_new_static ("", 0);
  gint64 deadline = g_get_monotonic_time () + DEADLINE_SECONDS * G_USEC_PER_SEC;
  Result r = { 0 };

  /* "nobody" may not reach the build tree (under /root, say): a copy of the program beside
   * the test's files, which it can */
  g_ptr_array_add (argv, setup == AS_NOBODY && geteuid () == 0 ? nobody_exe : triad_exe);
  for (const char *a = first; a != NULL; a = va_arg (ap, const char *))
    g_ptr_array_add (argv, (char *) a);
  g_ptr_array_add (argv, NULL);

  launcher = g_subprocess_launcher_new (G_SUBPROCESS_FLAGS_STDIN_PIPE
                                        | G_SUBPROCESS_FLAGS_STDOUT_PIPE
                                        | G_SUBPROCESS_FLAGS_STDERR_PIPE);
  g_subprocess_launcher_setenv (launcher, "LC_ALL", "C.UTF-8", TRUE);
  g_subprocess_launcher_unsetenv (launcher, "LANGUAGE");
  if (setup == AS_NOBODY)
    {
      /* nor may it read LeakSanitizer's suppressions there: its leaks go unchecked (the same
       * export's are checked as root) */
      g_subprocess_launcher_unsetenv (launcher, "LSAN_OPTIONS");
      g_subprocess_launcher_setenv (launcher, "ASAN_OPTIONS", "detect_leaks=0", TRUE);
    }
  g_subprocess_launcher_set_child_setup (launcher, child_setup, GINT_TO_POINTER (setup), NULL);
  proc = g_subprocess_launcher_spawnv (launcher, (const char * const *) argv->pdata, &error);
  if (proc == NULL && setup == AS_NOBODY)
    {
      /* as if the child could not drop root */
      g_test_message ("could not start the program as nobody: %s", error->message);
      r.status = 125;
      r.out = g_strdup ("");
      r.err = g_strdup ("");
      return r;
    }
  g_assert_no_error (error);

  g_main_context_push_thread_default (ctx);
  g_subprocess_communicate_async (proc, stdin_data != NULL ? stdin_data : no_input, cancel,
                                  communicated, &res);
  while (res == NULL && g_get_monotonic_time () < deadline)
    if (!g_main_context_iteration (ctx, FALSE))
      g_usleep (2000);
  if (res == NULL)
    {
      /* a hang: kill it and say so; the communication then ends with the pipes */
      r.hung = TRUE;
      g_subprocess_force_exit (proc);
      g_cancellable_cancel (cancel);
      while (res == NULL)
        g_main_context_iteration (ctx, TRUE);
    }
  g_subprocess_communicate_finish (proc, res, &out, &err, r.hung ? NULL : &error);
  g_main_context_pop_thread_default (ctx);
  g_assert_no_error (error);
  g_subprocess_wait (proc, NULL, NULL);

  if (g_subprocess_get_if_exited (proc))
    r.status = g_subprocess_get_exit_status (proc);
  else
    {
      r.status = -1;
      r.signal = g_subprocess_get_term_sig (proc);
    }
  r.out = bytes_to_string (out);
  r.err = bytes_to_string (err);
  return r;
}

static Result
run (ChildSetup  setup,
     GBytes     *stdin_data,
     const char *first,
     ...)
{
  va_list ap;
  Result r;

  va_start (ap, first);
  r = run_full (setup, stdin_data, first, ap);
  va_end (ap);
  return r;
}

/* The names in a folder, sorted and joined: what a failed write must leave unchanged. */
static char *
listing (const char *dir)
{
  g_autoptr(GPtrArray) names = g_ptr_array_new_with_free_func (g_free);
  GDir *d = g_dir_open (dir, 0, NULL);
  const char *name;

  if (d == NULL)
    return g_strdup ("(none)");
  while ((name = g_dir_read_name (d)) != NULL)
    g_ptr_array_add (names, g_strdup (name));
  g_dir_close (d);
  g_ptr_array_sort (names, (GCompareFunc) g_strcmp0);
  g_ptr_array_add (names, NULL);
  return g_strjoinv (" ", (char **) names->pdata);
}

/* The promises of a failure: the status, the one line naming the problem, nothing else.
 * A command that reports progress on standard error (train) may have lines before it. */
static void
expect_full (Result      r,
             gboolean    progress,
             int         status,
             const char *needle,
             const char *what)
{
  const char *last;

  g_test_message ("%s: status %d, %s", what, r.status, r.err);
  if (r.hung)
    g_error ("%s: no answer after %d s", what, DEADLINE_SECONDS);
  if (r.status < 0)
    g_error ("%s: killed by signal %d (%s)\n%s", what, r.signal, g_strsignal (r.signal), r.err);
  if (r.status != status)
    g_error ("%s: exit status %d, expected %d\n%s", what, r.status, status, r.err);
  if (*r.out != '\0')
    g_error ("%s: printed on standard output: %.200s", what, r.out);
  /* the message is the last line; before it, only progress */
  last = r.err + strlen (r.err);
  if (last > r.err && last[-1] == '\n')
    last--;
  while (last > r.err && last[-1] != '\n')
    last--;
  if (strstr (last, needle) == NULL)
    g_error ("%s: expected “%s” in the last line of “%s”", what, needle, r.err);
  if (!g_str_has_prefix (last, "triad "))
    g_error ("%s: the message does not start with the command: %s", what, last);
  /* one line, whatever a sanitizer or GLib would have added */
  if ((!progress && last != r.err) || strchr (last, '\n') != last + strlen (last) - 1)
    g_error ("%s: more than one line on standard error:\n%s", what, r.err);
  if (strstr (r.err, "Sanitizer") != NULL || strstr (r.err, "CRITICAL") != NULL
      || strstr (r.err, "WARNING") != NULL)
    g_error ("%s: a warning on standard error:\n%s", what, r.err);
  result_clear (&r);
}

static void
expect (Result      r,
        int         status,
        const char *needle,
        const char *what)
{
  expect_full (r, FALSE, status, needle, what);
}

/* ---- the models the matrix breaks ---------------------------------------------------- */

typedef struct {
  char *dir;        /* everything below, removed at the end */
  char *good;       /* a small decoder that loads */
  char *text_1mb;   /* 1 MiB of words */
  char *word_1mb;   /* 1 MiB without a space */
  char *bad_utf8;
  char *nul;
} Fixture;

static char *
copy_model (Fixture    *f,
            const char *name)
{
  char *dir = g_build_filename (f->dir, name, NULL);
  const char *files[] = { "config.json", "model.safetensors", "tokenizer.json" };

  g_assert_cmpint (g_mkdir (dir, 0755), ==, 0);
  for (guint i = 0; i < G_N_ELEMENTS (files); i++)
    {
      g_autofree char *from = g_build_filename (f->good, files[i], NULL);
      g_autofree char *to = g_build_filename (dir, files[i], NULL);
      g_autofree char *contents = NULL;
      gsize len;

      g_assert_true (g_file_get_contents (from, &contents, &len, NULL));
      g_assert_true (g_file_set_contents (to, contents, len, NULL));
    }
  return dir;
}

static void
write_in (const char *dir,
          const char *name,
          const void *data,
          gssize      len)
{
  g_autofree char *p = g_build_filename (dir, name, NULL);

  g_assert_true (g_file_set_contents (p, data, len, NULL));
}

static char *
read_in (const char *dir,
         const char *name,
         gsize      *len)
{
  g_autofree char *p = g_build_filename (dir, name, NULL);
  char *contents;

  g_assert_true (g_file_get_contents (p, &contents, len, NULL));
  return contents;
}

/* Rewrites a safetensors file's JSON header through a regex replacement, keeping its data:
 * a header that lies about the data it describes. */
static void
rewrite_header (const char *dir,
                const char *pattern,
                const char *replacement)
{
  gsize len;
  g_autofree char *file = read_in (dir, "model.safetensors", &len);
  g_autoptr(GRegex) re = g_regex_new (pattern, 0, 0, NULL);
  g_autoptr(GByteArray) out = g_byte_array_new ();
  g_autofree char *header = NULL, *lied = NULL;
  guint64 header_len = 0;
  guint8 len_bytes[8];

  for (int i = 7; i >= 0; i--)
    header_len = (header_len << 8) | (guint8) file[i];
  header = g_strndup (file + 8, header_len);
  lied = g_regex_replace (re, header, -1, 0, replacement, G_REGEX_MATCH_DEFAULT, NULL);
  g_assert_cmpstr (lied, !=, header);
  for (int i = 0; i < 8; i++)
    len_bytes[i] = (strlen (lied) >> (8 * i)) & 0xff;
  g_byte_array_append (out, len_bytes, 8);
  g_byte_array_append (out, (const guint8 *) lied, strlen (lied));
  g_byte_array_append (out, (const guint8 *) file + 8 + header_len, len - 8 - header_len);
  write_in (dir, "model.safetensors", out->data, out->len);
}

static void
fixture_set_up (Fixture       *f,
                gconstpointer  data)
{
  g_autoptr(TriadModel) m = test_model (TRIAD_ARCH_DECODER, 5);
  g_autoptr(GError) error = NULL;
  GString *s;

  f->dir = test_tmpdir ();
  /* readable by "nobody", for the read-only folder */
  g_assert_cmpint (g_chmod (f->dir, 0755), ==, 0);
  f->good = g_build_filename (f->dir, "good", NULL);
  m->tokenizer = test_tokenizer (m->config.vocab_size);
  g_assert_true (triad_model_save (m, f->good, &error));
  g_assert_no_error (error);

  s = g_string_new (NULL);
  while (s->len < 1024 * 1024)
    g_string_append (s, "the big cat saw a small dog ");
  f->text_1mb = g_build_filename (f->dir, "1mb.txt", NULL);
  g_assert_true (g_file_set_contents (f->text_1mb, s->str, s->len, NULL));
  g_string_set_size (s, 0);
  while (s->len < 1024 * 1024)
    g_string_append (s, "abcdefgh");
  f->word_1mb = g_build_filename (f->dir, "1mb-word.txt", NULL);
  g_assert_true (g_file_set_contents (f->word_1mb, s->str, s->len, NULL));
  g_string_free (s, TRUE);

  f->bad_utf8 = g_build_filename (f->dir, "bad-utf8.txt", NULL);
  g_assert_true (g_file_set_contents (f->bad_utf8, "the cat \xc3\x28 dog", -1, NULL));
  f->nul = g_build_filename (f->dir, "nul.txt", NULL);
  g_assert_true (g_file_set_contents (f->nul, "the cat\0dog", 11, NULL));
}

static void
fixture_tear_down (Fixture       *f,
                   gconstpointer  data)
{
  test_rmdir (f->dir);
  g_free (f->dir);
  g_free (f->good);
  g_free (f->text_1mb);
  g_free (f->word_1mb);
  g_free (f->bad_utf8);
  g_free (f->nul);
}

/* ---- text ------------------------------------------------------------------------------ */

static void
test_text (Fixture       *f,
           gconstpointer  data)
{
  g_autoptr(GBytes) nul_stdin = g_bytes_new_static ("the\0cat", 7);
  g_autoptr(GBytes) bad_stdin = g_bytes_new_static ("the \xff\xfe cat", 10);

  /* the shipped decoder reads at most 1,024 positions */
  expect (run (AS_IS, NULL, "attention", "--model", "decoder", "--text", "", NULL),
          1, "empty", "empty text");
  expect (run (AS_IS, NULL, "attention", "--model", "encoder", "--text", " \t\n ", NULL),
          1, "empty", "blank text");
  expect (run (AS_IS, NULL, "generate", "--model", "decoder", "--prompt", "", NULL),
          1, "empty", "empty prompt");
  expect (run (AS_IS, NULL, "translate", "--text", "", NULL), 1, "empty", "empty source");
  expect (run (AS_IS, NULL, "attention", "--model", "decoder", "--text-file", f->text_1mb, NULL),
          1, "at most 1023", "1 MiB of text");
  expect (run (AS_IS, NULL, "attention", "--model", "encdec", "--text-file", f->word_1mb, NULL),
          1, "at most", "1 MiB without a space");
  expect (run (AS_IS, NULL, "generate", "--model", "decoder", "--prompt-file", f->text_1mb,
               NULL), 1, "at most", "1 MiB prompt");
  expect (run (AS_IS, NULL, "tokenize", "--model", "decoder", "--text", "the cat \xc3\x28",
               NULL), 1, "not valid UTF-8 at byte 8", "invalid UTF-8 in an argument");
  expect (run (AS_IS, NULL, "attention", "--model", "decoder", "--text-file", f->bad_utf8,
               NULL), 1, "not valid UTF-8 at byte 8", "invalid UTF-8 in a file");
  expect (run (AS_IS, bad_stdin, "tokenize", "--model", "decoder", "--text-file", "-", NULL),
          1, "not valid UTF-8 at byte 4", "invalid UTF-8 on standard input");
  expect (run (AS_IS, NULL, "attention", "--model", "decoder", "--text-file", f->nul, NULL),
          1, "NUL byte at byte 7", "a NUL byte in a file");
  expect (run (AS_IS, nul_stdin, "tokenize", "--model", "decoder", "--text-file", "-", NULL),
          1, "NUL byte at byte 3", "a NUL byte on standard input");
  expect (run (AS_IS, NULL, "tokenize", "--model", "decoder", "--text-file", "/nonexistent.txt",
               NULL), 1, "nonexistent.txt", "a text file that does not exist");
  expect (run (AS_IS, NULL, "predict", "--model", "encoder", "--text", "the cat", NULL),
          2, "<mask>", "predict without a mask");
}

/* ---- model folders ------------------------------------------------------------------- */

/* Loads dir through the engine and through `triad tokenize`: the same problem both ways. */
static void
expect_broken (const char *dir,
               int         code,
               const char *needle,
               const char *what)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(TriadModel) m = triad_model_load (dir, &error);

  g_test_message ("%s: %s", what, error ? error->message : "(loaded)");
  g_assert_null (m);
  g_assert_error (error, TRIAD_ERROR, code);
  if (strstr (error->message, needle) == NULL)
    g_error ("%s: expected “%s” in “%s”", what, needle, error->message);
  expect (run (AS_IS, NULL, "tokenize", "--model", dir, "--text", "abc", NULL), 1, needle, what);
  expect (run (AS_IS, NULL, "export", "--model", dir, "--text", "abc", "--out",
               "/nonexistent/never.png", NULL), 1, needle, what);
}

static void
test_models (Fixture       *f,
             gconstpointer  data)
{
  g_autofree char *missing = g_build_filename (f->dir, "no-such-folder", NULL);
  g_autofree char *file = g_build_filename (f->dir, "1mb.txt", NULL);
  gsize len;

  expect (run (AS_IS, NULL, "tokenize", "--model", missing, "--text", "abc", NULL),
          1, "There is no model folder", "a missing model folder");
  expect (run (AS_IS, NULL, "tokenize", "--model", file, "--text", "abc", NULL),
          1, "There is no model folder", "a file for a model folder");
  expect (run (AS_IS, NULL, "tokenize", "--model", "gpt5", "--text", "abc", NULL),
          1, "There is no model “gpt5”", "an unknown model name");

  {
    g_autofree char *dir = copy_model (f, "no-weights");
    g_autofree char *p = g_build_filename (dir, "model.safetensors", NULL);
    g_unlink (p);
    expect_broken (dir, TRIAD_ERROR_NOT_FOUND, "no model.safetensors", "no weights file");
  }
  {
    g_autofree char *dir = copy_model (f, "no-config");
    g_autofree char *p = g_build_filename (dir, "config.json", NULL);
    g_unlink (p);
    expect_broken (dir, TRIAD_ERROR_NOT_FOUND, "no config.json", "no config.json");
  }
  {
    g_autofree char *dir = copy_model (f, "empty-weights");
    write_in (dir, "model.safetensors", "", 0);
    expect_broken (dir, TRIAD_ERROR_CHECKPOINT, "truncated", "an empty weights file");
  }
  {
    g_autofree char *dir = copy_model (f, "truncated");
    g_autofree char *w = read_in (dir, "model.safetensors", &len);
    write_in (dir, "model.safetensors", w, len / 2);
    expect_broken (dir, TRIAD_ERROR_CHECKPOINT, "lies outside", "a truncated weights file");
  }
  {
    g_autofree char *dir = copy_model (f, "header-past-end");
    g_autofree char *w = read_in (dir, "model.safetensors", &len);
    /* the header's length, in the first 8 bytes, says 1 GiB */
    w[0] = 0, w[1] = 0, w[2] = 0, w[3] = 0x40;
    write_in (dir, "model.safetensors", w, len);
    expect_broken (dir, TRIAD_ERROR_CHECKPOINT, "runs past the end", "header length past the end");
  }
  {
    g_autofree char *dir = copy_model (f, "header-not-json");
    g_autofree char *w = read_in (dir, "model.safetensors", &len);
    w[8] = '[';
    write_in (dir, "model.safetensors", w, len);
    expect_broken (dir, TRIAD_ERROR_CHECKPOINT, "not valid JSON", "a header that is not JSON");
  }
  {
    /* tok_emb is (24, 16), 1,536 bytes: a shape that needs more bytes than its offsets give */
    g_autofree char *dir = copy_model (f, "shape-lies");
    rewrite_header (dir, "\"tok_emb\":\\{\"dtype\":\"F32\",\"shape\":\\[24,16\\]",
                    "\"tok_emb\":{\"dtype\":\"F32\",\"shape\":[24,32]");
    expect_broken (dir, TRIAD_ERROR_CHECKPOINT, "needs 3072 bytes but its offsets give 1536",
                   "a header that lies about a shape");
  }
  {
    /* the same number of elements the other way round: the file is consistent, the model not */
    g_autofree char *dir = copy_model (f, "shape-transposed");
    rewrite_header (dir, "\"tok_emb\":\\{\"dtype\":\"F32\",\"shape\":\\[24,16\\]",
                    "\"tok_emb\":{\"dtype\":\"F32\",\"shape\":[16,24]");
    expect_broken (dir, TRIAD_ERROR_CONFIG, "does not have the shape config.json gives (24 × 16)",
                   "a tensor of another shape");
  }
  {
    g_autofree char *dir = copy_model (f, "offsets-lie");
    rewrite_header (dir, "\"data_offsets\":\\[0,", "\"data_offsets\":[100000000,");
    expect_broken (dir, TRIAD_ERROR_CHECKPOINT, "lies outside", "a header that lies about offsets");
  }
  {
    g_autofree char *dir = copy_model (f, "offsets-negative");
    rewrite_header (dir, "\"data_offsets\":\\[0,", "\"data_offsets\":[-8,");
    expect_broken (dir, TRIAD_ERROR_CHECKPOINT, "not a non-negative integer",
                   "a negative offset");
  }
  {
    g_autofree char *dir = copy_model (f, "dtype");
    rewrite_header (dir, "\"F32\"", "\"F8_E4M3\"");
    expect_broken (dir, TRIAD_ERROR_CHECKPOINT, "F8_E4M3", "a dtype Triad does not read");
  }
  {
    /* a NaN among the weights: the first float of tok_emb */
    g_autofree char *dir = copy_model (f, "nan");
    g_autofree char *w = read_in (dir, "model.safetensors", &len);
    guint64 header_len = 0;
    const guint32 nan_bits = 0x7fc00000;
    for (int i = 7; i >= 0; i--)
      header_len = (header_len << 8) | (guint8) w[i];
    memcpy (w + 8 + header_len, &nan_bits, 4);
    write_in (dir, "model.safetensors", w, len);
    expect_broken (dir, TRIAD_ERROR_CHECKPOINT, "not a finite number", "a NaN weight");
  }
  {
    g_autofree char *dir = copy_model (f, "tokenizer-truncated");
    g_autofree char *t = read_in (dir, "tokenizer.json", &len);
    write_in (dir, "tokenizer.json", t, len / 2);
    expect_broken (dir, TRIAD_ERROR_TOKENIZER, "tokenizer.json is not valid JSON",
                   "a truncated tokenizer.json");
  }
  {
    g_autofree char *dir = copy_model (f, "tokenizer-specials");
    write_in (dir, "tokenizer.json", "{\"format\":\"triad-bpe\",\"version\":1,"
              "\"vocab\":[\"a\",\"b\"],\"merges\":[]}", -1);
    expect_broken (dir, TRIAD_ERROR_TOKENIZER, "special tokens", "a tokenizer without specials");
  }
  {
    g_autofree char *dir = copy_model (f, "tokenizer-merge");
    write_in (dir, "tokenizer.json", "{\"format\":\"triad-bpe\",\"version\":1,\"vocab\":"
              "[\"<pad>\",\"<unk>\",\"<bos>\",\"<eos>\",\"<mask>\",\"<sep>\",\"a\"],"
              "\"merges\":[[\"a\",\"z\"]]}", -1);
    expect_broken (dir, TRIAD_ERROR_TOKENIZER, "not in the vocabulary",
                   "a merge of pieces the vocabulary lacks");
  }
  {
    g_autofree char *dir = copy_model (f, "tokenizer-missing");
    g_autofree char *p = g_build_filename (dir, "tokenizer.json", NULL);
    g_unlink (p);
    expect_broken (dir, TRIAD_ERROR_NOT_FOUND, "no tokenizer", "no tokenizer.json");
  }
  {
    g_autofree char *dir = copy_model (f, "config-dim");
    write_in (dir, "config.json",
              "{\"arch\":\"decoder\",\"vocab_size\":24,\"dim\":32,\"n_heads\":4,\"ffn_dim\":32,"
              "\"max_seq_len\":40,\"n_enc_layers\":0,\"n_dec_layers\":2}", -1);
    expect_broken (dir, TRIAD_ERROR_CONFIG, "tok_emb", "a config wider than its tensors");
  }
  {
    g_autofree char *dir = copy_model (f, "config-layers");
    write_in (dir, "config.json",
              "{\"arch\":\"decoder\",\"vocab_size\":24,\"dim\":16,\"n_heads\":4,\"ffn_dim\":32,"
              "\"max_seq_len\":40,\"n_enc_layers\":0,\"n_dec_layers\":3}", -1);
    expect_broken (dir, TRIAD_ERROR_CONFIG, "dec.layers.2", "a config with a layer too many");
  }
  {
    g_autofree char *dir = copy_model (f, "config-arch");
    write_in (dir, "config.json",
              "{\"arch\":\"encoder\",\"vocab_size\":24,\"dim\":16,\"n_heads\":4,\"ffn_dim\":32,"
              "\"max_seq_len\":40,\"n_enc_layers\":2,\"n_dec_layers\":0}", -1);
    expect_broken (dir, TRIAD_ERROR_CONFIG, "enc.", "a config of another architecture");
  }
  {
    g_autofree char *dir = copy_model (f, "config-huge");
    write_in (dir, "config.json",
              "{\"arch\":\"decoder\",\"vocab_size\":24,\"dim\":16,\"n_heads\":4,\"ffn_dim\":32,"
              "\"max_seq_len\":99999999999,\"n_enc_layers\":0,\"n_dec_layers\":2}", -1);
    expect_broken (dir, TRIAD_ERROR_CONFIG, "max_seq_len", "a number out of range in config.json");
  }
  {
    g_autofree char *dir = copy_model (f, "config-vocab");
    write_in (dir, "config.json",
              "{\"arch\":\"decoder\",\"vocab_size\":30,\"dim\":16,\"n_heads\":4,\"ffn_dim\":32,"
              "\"max_seq_len\":40,\"n_enc_layers\":0,\"n_dec_layers\":2}", -1);
    expect_broken (dir, TRIAD_ERROR_CONFIG, "tok_emb", "a config whose vocabulary is not the tensors'");
  }
}

/* ---- writing files --------------------------------------------------------------------- */

static void
test_writes (Fixture       *f,
             gconstpointer  data)
{
  g_autofree char *missing = g_build_filename (f->dir, "no-such-folder", "figure.png", NULL);
  g_autofree char *ro = g_build_filename (f->dir, "read-only", NULL);
  g_autofree char *ro_png = g_build_filename (ro, "figure.png", NULL);
  g_autofree char *small = g_build_filename (f->dir, "small-disk", NULL);
  g_autofree char *small_png = g_build_filename (small, "figure.png", NULL);
  g_autofree char *small_model = g_build_filename (small, "model", NULL);
  g_autofree char *full = NULL;
  g_autofree char *before = NULL, *after = NULL;
  gsize len;

  expect (run (AS_IS, NULL, "export", "--model", f->good, "--text", "abc", "--out", missing, NULL),
          1, "does not exist", "export into a folder that does not exist");
  g_assert_false (g_file_test (missing, G_FILE_TEST_EXISTS));

  /* read-only: a folder its user cannot write, as "nobody" when the test runs as root */
  g_assert_cmpint (g_mkdir (ro, 0555), ==, 0);
  if (geteuid () == 0)
    {
      g_autofree char *contents = NULL;
      gsize size;

      nobody_exe = g_build_filename (f->dir, "triad", NULL);
      g_assert_true (g_file_get_contents (triad_exe, &contents, &size, NULL));
      g_assert_true (g_file_set_contents (nobody_exe, contents, size, NULL));
      g_assert_cmpint (g_chmod (nobody_exe, 0755), ==, 0);
    }
  {
    Result r = run (AS_NOBODY, NULL, "export", "--model", f->good, "--text", "abc",
                    "--out", ro_png, NULL);
    if (r.status == 125)
      {
        result_clear (&r);
        g_test_skip ("cannot drop root to test a read-only folder");
      }
    else
      expect (r, 1, "is not writable", "export into a read-only folder");
  }
  if (nobody_exe != NULL)
    g_unlink (nobody_exe);
  g_clear_pointer (&nobody_exe, g_free);
  after = listing (ro);
  g_assert_cmpstr (after, ==, "");
  g_clear_pointer (&after, g_free);

  /* a full disk: a device node like /dev/full (1, 7), made here when the test may (as root),
   * so that a regression cannot replace the machine's own /dev/full with a file */
  full = g_build_filename (f->dir, "full", NULL);
  if (mknod (full, S_IFCHR | 0666, makedev (1, 7)) != 0)
    {
      g_free (full);
      full = g_strdup ("/dev/full");
    }
  expect (run (AS_IS, NULL, "export", "--model", f->good, "--text", "abc", "--out", full, NULL),
          1, "No space left on device", "export onto a full disk");
  {
    struct stat st;
    g_assert_cmpint (g_stat (full, &st), ==, 0);
    g_assert_true (S_ISCHR (st.st_mode));
  }

  /* a disk that fills up in the middle of the file: nothing is left, and a figure that was
   * there before is still whole */
  g_assert_cmpint (g_mkdir (small, 0755), ==, 0);
  expect (run (SMALL_FILES, NULL, "export", "--model", f->good, "--text", "abc", "--out",
               small_png, NULL), 1, "File too large", "export onto a disk that fills up");
  after = listing (small);
  g_assert_cmpstr (after, ==, "");
  g_clear_pointer (&after, g_free);
  g_assert_true (g_file_set_contents (small_png, "the figure before", -1, NULL));
  expect (run (SMALL_FILES, NULL, "export", "--model", f->good, "--text", "abc", "--out",
               small_png, NULL), 1, "File too large", "export over a figure, disk full");
  {
    g_autofree char *kept = read_in (small, "figure.png", &len);
    g_assert_cmpstr (kept, ==, "the figure before");
  }
  before = listing (small);
  expect_full (run (SMALL_FILES, NULL, "train", "--arch", "decoder", "--out", small_model,
                    "--steps", "1", "--dim", "16", "--layers", "1", "--heads", "2",
                    "--eval-examples", "0", NULL),
               TRUE, 1, "File too large", "a model saved onto a disk that fills up");
  after = listing (small_model);
  /* the folder is made first; no weights file, whole or partial, is left in it */
  g_assert_null (strstr (after, "model.safetensors"));
  g_clear_pointer (&after, g_free);

  /* an export whose path is a folder */
  expect (run (AS_IS, NULL, "export", "--model", f->good, "--text", "abc", "--out", small, NULL),
          1, "small-disk", "export onto a folder");
  after = listing (f->dir);
  g_assert_null (strstr (after, "small-disk."));
}

/* ---- numbers out of range ------------------------------------------------------------- */

typedef struct {
  const char *args[12];
  const char *needle;
} Usage;

static void
test_numbers (Fixture       *f,
              gconstpointer  data)
{
  g_autofree char *out = g_build_filename (f->dir, "n.png", NULL);
  g_autofree char *train_out = g_build_filename (f->dir, "trained", NULL);
  const Usage cases[] = {
    { { "attention", "--model", f->good, "--text", "ab", "--layer", "2", "--head", "0" }, "Layer 2" },
    { { "attention", "--model", f->good, "--text", "ab", "--layer", "0", "--head", "4" }, "Head 4" },
    { { "attention", "--model", f->good, "--text", "ab", "--layer", "-2" }, "count from 0" },
    { { "attention", "--model", f->good, "--text", "ab", "--layer", "99999999999" }, "out of range" },
    { { "attention", "--model", f->good, "--text", "ab", "--head", "1e3" }, "1e3" },
    { { "generate", "--model", f->good, "--prompt", "ab", "--max-tokens", "0" }, "--max-tokens" },
    { { "generate", "--model", f->good, "--prompt", "ab", "--max-tokens", "-5" }, "--max-tokens" },
    { { "generate", "--model", f->good, "--prompt", "ab", "--temperature", "nan" }, "--temperature" },
    { { "generate", "--model", f->good, "--prompt", "ab", "--temperature", "inf" }, "--temperature" },
    { { "generate", "--model", f->good, "--prompt", "ab", "--temperature", "-1" }, "--temperature" },
    { { "generate", "--model", f->good, "--prompt", "ab", "--top-k", "-3" }, "--top-k" },
    { { "generate", "--model", f->good, "--prompt", "ab", "--seed", "1e999" }, "1e999" },
    { { "export", "--model", f->good, "--text", "ab", "--out", out, "--width", "1e308" }, "--width" },
    { { "export", "--model", f->good, "--text", "ab", "--out", out, "--height", "-5" }, "--height" },
    { { "export", "--model", f->good, "--text", "ab", "--out", out, "--scale", "0" }, "--scale" },
    { { "export", "--model", f->good, "--text", "ab", "--out", out, "--scale", "nan" }, "--scale" },
    { { "export", "--model", f->good, "--text", "ab", "--out", out, "--layer", "7" }, "Layer 7" },
    { { "export", "--model", f->good, "--text", "ab", "--out", out, "--font-scale", "0" }, "--font-scale" },
    { { "evaluate", "--model", f->good, "--examples", "0" }, "--examples" },
    { { "evaluate", "--model", f->good, "--examples", "2000000" }, "--examples" },
    { { "predict", "--model", "encoder", "--text", "a <mask>", "--top", "0" }, "--top" },
    { { "train", "--arch", "decoder", "--out", train_out, "--steps", "-1" }, "out of range" },
    { { "train", "--arch", "decoder", "--out", train_out, "--dim", "100000" }, "out of range" },
    { { "train", "--arch", "decoder", "--out", train_out, "--eval-examples", "2000000000" },
      "out of range" },
    { { "train", "--arch", "decoder", "--out", train_out, "--dim", "4096", "--layers", "64" },
      "parameters" },
    { { "train", "--arch", "decoder", "--out", train_out, "--dim", "64", "--heads", "7" },
      "n_heads" },
    { { "kv", "--preset", "gpt2", "--tokens", "0" }, "--tokens" },
    { { "kv", "--preset", "gpt2", "--tokens", "99999999999999" }, "--tokens" },
  };

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      const char * const *a = cases[i].args;
      g_autofree char *what = g_strjoinv (" ", (char **) a);

      expect (run (AS_IS, NULL, a[0], a[1], a[2], a[3], a[4], a[5], a[6], a[7], a[8], a[9],
                   a[10], a[11], NULL),
              2, cases[i].needle, what);
    }
  g_assert_false (g_file_test (out, G_FILE_TEST_EXISTS));
  g_assert_false (g_file_test (train_out, G_FILE_TEST_EXISTS));
}

int
main (int argc, char *argv[])
{
  g_test_init (&argc, &argv, NULL);
  triad_exe = g_build_filename (TRIAD_BUILD_DIR, "src", "triad", NULL);
  if (!g_file_test (triad_exe, G_FILE_TEST_IS_EXECUTABLE))
    g_error ("%s is not built", triad_exe);

#define ADD(path, fn) \
  g_test_add ("/badinput/" path, Fixture, NULL, fixture_set_up, fn, fixture_tear_down)
  ADD ("text", test_text);
  ADD ("models", test_models);
  ADD ("writes", test_writes);
  ADD ("numbers", test_numbers);
#undef ADD
  return g_test_run ();
}
