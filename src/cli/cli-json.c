/* cli-json.c — the JSON the command line prints. */
#include "config.h"

#include <math.h>

#include "cli/cli-json.h"

void
triad_json_init (TriadJson *j,
                 GString   *out)
{
  j->out = out;
  j->depth = 0;
  j->need_comma[0] = FALSE;
}

/* Every value: a comma when it is not the first in its container. Keys place their own. */
static void
value_start (TriadJson *j)
{
  if (j->need_comma[j->depth])
    g_string_append_c (j->out, ',');
  j->need_comma[j->depth] = TRUE;
}

static void
json_open (TriadJson *j,
      char       c)
{
  value_start (j);
  g_string_append_c (j->out, c);
  g_assert (j->depth + 1 < G_N_ELEMENTS (j->need_comma));
  j->need_comma[++j->depth] = FALSE;
}

static void
json_close (TriadJson *j,
       char       c)
{
  g_assert (j->depth > 0);
  j->depth--;
  g_string_append_c (j->out, c);
}

void triad_json_begin_object (TriadJson *j) { json_open (j, '{'); }
void triad_json_end_object (TriadJson *j) { json_close (j, '}'); }
void triad_json_begin_array (TriadJson *j) { json_open (j, '['); }
void triad_json_end_array (TriadJson *j) { json_close (j, ']'); }

static void
append_escaped (GString    *out,
                const char *s)
{
  g_string_append_c (out, '"');
  for (const unsigned char *p = (const unsigned char *) s; *p; p++)
    {
      switch (*p)
        {
        case '"': g_string_append (out, "\\\""); break;
        case '\\': g_string_append (out, "\\\\"); break;
        case '\n': g_string_append (out, "\\n"); break;
        case '\r': g_string_append (out, "\\r"); break;
        case '\t': g_string_append (out, "\\t"); break;
        default:
          if (*p < 0x20)
            g_string_append_printf (out, "\\u%04x", *p);
          else
            g_string_append_c (out, *p);
        }
    }
  g_string_append_c (out, '"');
}

void
triad_json_key (TriadJson  *j,
                const char *key)
{
  value_start (j);
  append_escaped (j->out, key);
  g_string_append_c (j->out, ':');
  /* the value that follows belongs to this key: no comma before it */
  j->need_comma[j->depth] = FALSE;
}

void
triad_json_string (TriadJson  *j,
                   const char *value)
{
  value_start (j);
  if (value == NULL)
    g_string_append (j->out, "null");
  else
    append_escaped (j->out, value);
}

void
triad_json_int (TriadJson *j,
                gint64     value)
{
  value_start (j);
  g_string_append_printf (j->out, "%" G_GINT64_FORMAT, value);
}

static void
append_number (TriadJson  *j,
               double      value,
               const char *format)
{
  char buf[G_ASCII_DTOSTR_BUF_SIZE];

  value_start (j);
  if (!isfinite (value))
    {
      g_string_append (j->out, "null");
      return;
    }
  g_ascii_formatd (buf, sizeof buf, format, value);
  g_string_append (j->out, buf);
}

void triad_json_double (TriadJson *j, double value) { append_number (j, value, "%.17g"); }
void triad_json_float (TriadJson *j, float value) { append_number (j, value, "%.7g"); }

void
triad_json_bool (TriadJson *j,
                 gboolean   value)
{
  value_start (j);
  g_string_append (j->out, value ? "true" : "false");
}

void
triad_json_null (TriadJson *j)
{
  value_start (j);
  g_string_append (j->out, "null");
}

void
triad_json_matrix (TriadJson   *j,
                   const float *m,
                   int          rows,
                   int          cols)
{
  triad_json_begin_array (j);
  for (int r = 0; r < rows; r++)
    {
      triad_json_begin_array (j);
      for (int c = 0; c < cols; c++)
        triad_json_float (j, m[(size_t) r * cols + c]);
      triad_json_end_array (j);
    }
  triad_json_end_array (j);
}
