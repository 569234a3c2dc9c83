/* oracle.c — oracle DIR JSONL: encodes each text of JSONL (lines that oracle.mjs wrote with
 * tokenizers.js, or make-tokenizers.mjs with SentencePiece) with Triad's reader of
 * DIR/tokenizer.json, and checks that the ids without and with the post-processor's specials,
 * and the decode where the line has one, are the ones the reference gave. Prints
 * every difference; exits 1 if there was one. */
#include "config.h"

#include <stdio.h>
#include <string.h>
#include <json-glib/json-glib.h>

#include "engine/tokenizer.h"

static GString *
ids_string (const int *ids,
            int        n)
{
  GString *s = g_string_new ("[");

  for (int i = 0; i < n; i++)
    g_string_append_printf (s, i > 0 ? ",%d" : "%d", ids[i]);
  g_string_append_c (s, ']');
  return s;
}

static gboolean
same_ids (JsonArray  *expected,
          const int  *ids,
          int         n,
          const char *what,
          const char *dir,
          const char *text)
{
  guint len = json_array_get_length (expected);
  g_autofree int *want = g_new0 (int, len + 1);
  g_autoptr(GString) got = NULL;
  g_autoptr(GString) wanted = NULL;

  for (guint i = 0; i < len; i++)
    want[i] = json_array_get_int_element (expected, i);
  if ((guint) n == len && (n == 0 || memcmp (want, ids, sizeof (int) * n) == 0))
    return TRUE;
  got = ids_string (ids, n);
  wanted = ids_string (want, len);
  g_printerr ("%s: %s of “%s”:\n  reference %s\n  Triad     %s\n",
              dir, what, text, wanted->str, got->str);
  return FALSE;
}

int
main (int    argc,
      char **argv)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(TriadTokenizer) tok = NULL;
  g_autofree char *path = NULL;
  g_autofree char *lines = NULL;
  g_auto(GStrv) split = NULL;
  int passed = 0, failed = 0;

  if (argc != 3)
    {
      g_printerr ("usage: %s DIR JSONL\n", argv[0]);
      return 2;
    }
  path = g_build_filename (argv[1], "tokenizer.json", NULL);
  tok = triad_tokenizer_load (path, &error);
  if (tok == NULL || !g_file_get_contents (argv[2], &lines, NULL, &error))
    {
      g_printerr ("%s\n", error->message);
      return 1;
    }
  split = g_strsplit (lines, "\n", -1);
  for (guint i = 0; split[i] != NULL; i++)
    {
      g_autoptr(JsonParser) parser = json_parser_new ();
      g_autoptr(TriadEncoding) enc = NULL;
      g_autoptr(TriadEncoding) post = NULL;
      g_autofree char *decoded = NULL;
      JsonObject *line;
      const char *text, *want;
      gboolean ok;

      if (*split[i] == '\0')
        continue;
      if (!json_parser_load_from_data (parser, split[i], -1, &error))
        {
          g_printerr ("%s line %u: %s\n", argv[2], i + 1, error->message);
          return 1;
        }
      line = json_node_get_object (json_parser_get_root (parser));
      text = json_object_get_string_member (line, "text");
      want = json_object_get_string_member_with_default (line, "decoded", NULL);
      enc = triad_tokenizer_encode (tok, text, -1, TRUE, &error);
      if (enc == NULL)
        {
          g_printerr ("%s: “%s”: %s\n", argv[1], text, error->message);
          g_clear_error (&error);
          failed++;
          continue;
        }
      post = triad_tokenizer_post_process (tok, enc);
      decoded = triad_tokenizer_decode (tok, enc->ids, enc->n);
      ok = same_ids (json_object_get_array_member (line, "ids"), enc->ids, enc->n, "ids",
                     argv[1], text);
      ok = same_ids (json_object_get_array_member (line, "post"), post->ids, post->n,
                     "ids with the post-processor", argv[1], text) && ok;
      /* Lines from SentencePiece have no decode to compare. */
      if (want != NULL && strcmp (decoded, want) != 0)
        {
          g_printerr ("%s: decode of “%s”:\n  reference “%s”\n  Triad     “%s”\n",
                      argv[1], text, want, decoded);
          ok = FALSE;
        }
      if (ok)
        passed++;
      else
        failed++;
    }
  printf ("%s: %d passed, %d failed\n", argv[1], passed, failed);
  return failed > 0 || passed == 0;
}
