/* cli-json.h — a small streaming JSON writer: floats printed short and exact enough
 * (%.7g round-trips a float), strings escaped, commas placed. */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

typedef struct {
  GString *out;
  guint    depth;
  gboolean need_comma[64];
} TriadJson;

void triad_json_init         (TriadJson   *j,
                              GString     *out);
void triad_json_begin_object (TriadJson   *j);
void triad_json_end_object   (TriadJson   *j);
void triad_json_begin_array  (TriadJson   *j);
void triad_json_end_array    (TriadJson   *j);
void triad_json_key          (TriadJson   *j,
                              const char  *key);
void triad_json_string       (TriadJson   *j,
                              const char  *value);
void triad_json_int          (TriadJson   *j,
                              gint64       value);
void triad_json_double       (TriadJson   *j,
                              double       value);
void triad_json_float        (TriadJson   *j,
                              float        value);
void triad_json_bool         (TriadJson   *j,
                              gboolean     value);
void triad_json_null         (TriadJson   *j);
/* A (rows, cols) matrix as an array of arrays. */
void triad_json_matrix       (TriadJson   *j,
                              const float *m,
                              int          rows,
                              int          cols);

G_END_DECLS
