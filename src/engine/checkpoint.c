/* checkpoint.c — reading and writing safetensors, checking everything a file could get wrong. */
#include "config.h"

#include <errno.h>
#include <math.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>
#include <sys/stat.h>
#include "engine/i18n.h"
#include <glib/gstdio.h>
#include <json-glib/json-glib.h>

#include "engine/checkpoint.h"
#include "engine/error.h"

/* A header larger than this is not a Triad checkpoint, whatever the file claims. */
#define MAX_HEADER_BYTES (100u * 1024u * 1024u)

struct _TriadSafetensors {
  const guint8    *data;        /* start of the data section */
  size_t           data_size;
  GPtrArray       *tensors;     /* TriadTensorInfo* */
  GHashTable      *by_name;     /* name → TriadTensorInfo* */
};

static void
tensor_info_free (gpointer p)
{
  TriadTensorInfo *info = p;

  g_free (info->name);
  g_free (info);
}

void
triad_safetensors_free (TriadSafetensors *st)
{
  if (st == NULL)
    return;
  g_clear_pointer (&st->by_name, g_hash_table_unref);
  g_clear_pointer (&st->tensors, g_ptr_array_unref);
  g_free (st);
}

/* A non-negative integer of the header: a dimension of the shape, or an offset. */
static gboolean
read_size (JsonNode   *node,
           const char *name,
           gboolean    is_offset,
           size_t     *out,
           GError    **error)
{
  gint64 value;

  if (node == NULL || JSON_NODE_TYPE (node) != JSON_NODE_VALUE
      || json_node_get_value_type (node) != G_TYPE_INT64
      || (value = json_node_get_int (node)) < 0)
    {
      if (is_offset)
        g_set_error (error, TRIAD_ERROR, TRIAD_ERROR_CHECKPOINT,
                     _("Tensor “%s”: an offset is not a non-negative integer"), name);
      else
        g_set_error (error, TRIAD_ERROR, TRIAD_ERROR_CHECKPOINT,
                     _("Tensor “%s”: a dimension is not a non-negative integer"), name);
      return FALSE;
    }
  *out = (size_t) value;
  return TRUE;
}

static const struct {
  const char *name;
  TriadStDtype  dtype;
  size_t      size;
} dtypes[] = {
  { "F32", TRIAD_ST_F32, 4 },
  { "F16", TRIAD_ST_F16, 2 },
  { "BF16", TRIAD_ST_BF16, 2 },
  { "F64", TRIAD_ST_F64, 8 },
  { "I64", TRIAD_ST_I64, 8 },
  { "I32", TRIAD_ST_I32, 4 },
  { "I16", TRIAD_ST_I16, 2 },
  { "I8", TRIAD_ST_I8, 1 },
  { "U8", TRIAD_ST_U8, 1 },
  { "BOOL", TRIAD_ST_BOOL, 1 },
};

const char *
triad_st_dtype_name (TriadStDtype dtype)
{
  for (guint i = 0; i < G_N_ELEMENTS (dtypes); i++)
    if (dtypes[i].dtype == dtype)
      return dtypes[i].name;
  return "?";
}

/* IEEE half precision, subnormals and infinities included. */
static float
half_to_float (guint16 h)
{
  guint32 sign = (guint32) (h & 0x8000) << 16, exp = (h >> 10) & 0x1f, man = h & 0x3ff, bits;
  float f;

  if (exp == 0)
    {
      /* zero or subnormal: man × 2⁻²⁴ */
      f = ldexpf ((float) man, -24);
      return sign ? -f : f;
    }
  if (exp == 31)
    bits = sign | 0x7f800000u | (man << 13);
  else
    bits = sign | ((exp + 112) << 23) | (man << 13);
  memcpy (&f, &bits, sizeof f);
  return f;
}

gboolean
triad_st_to_f32 (TriadStDtype    dtype,
                    const guint8 *data,
                    size_t        n,
                    float        *out)
{
  switch (dtype)
    {
    case TRIAD_ST_F32:
      memcpy (out, data, n * sizeof (float));
      return TRUE;
    case TRIAD_ST_F16:
      for (size_t i = 0; i < n; i++)
        out[i] = half_to_float ((guint16) (data[2 * i] | data[2 * i + 1] << 8));
      return TRUE;
    case TRIAD_ST_BF16:
      /* bfloat16 is the high half of a float32 */
      for (size_t i = 0; i < n; i++)
        {
          guint32 bits = (guint32) (data[2 * i] | data[2 * i + 1] << 8) << 16;
          memcpy (&out[i], &bits, sizeof (float));
        }
      return TRUE;
    case TRIAD_ST_F64:
      for (size_t i = 0; i < n; i++)
        {
          double d;
          memcpy (&d, data + 8 * i, sizeof d);
          out[i] = (float) d;
        }
      return TRUE;
    default:
      return FALSE;
    }
}

static TriadTensorInfo *
parse_tensor (const char *name,
              JsonNode   *node,
              size_t      data_size,
              GError    **error)
{
  g_autoptr(GError) local = NULL;
  g_autofree TriadTensorInfo *info = g_new0 (TriadTensorInfo, 1);
  JsonObject *obj;
  JsonArray *shape, *offsets;
  const char *dtype;
  size_t bytes;

  if (!JSON_NODE_HOLDS_OBJECT (node))
    {
      g_set_error (error, TRIAD_ERROR, TRIAD_ERROR_CHECKPOINT,
                   _("Tensor “%s”: its header entry is not an object"), name);
      return NULL;
    }
  obj = json_node_get_object (node);

  dtype = json_object_has_member (obj, "dtype")
          && JSON_NODE_HOLDS_VALUE (json_object_get_member (obj, "dtype"))
          ? json_object_get_string_member (obj, "dtype") : NULL;
  if (dtype == NULL)
    {
      g_set_error (error, TRIAD_ERROR, TRIAD_ERROR_CHECKPOINT,
                   _("Tensor “%s”: no dtype"), name);
      return NULL;
    }
  for (guint i = 0; i < G_N_ELEMENTS (dtypes); i++)
    if (strcmp (dtype, dtypes[i].name) == 0)
      {
        info->dtype = dtypes[i].dtype;
        info->elem_size = dtypes[i].size;
      }
  if (info->elem_size == 0)
    {
      g_set_error (error, TRIAD_ERROR, TRIAD_ERROR_CHECKPOINT,
                   _("Tensor “%s” has dtype %s, which Triad cannot read (it reads F32, F16, "
                     "BF16 and F64)"), name, dtype);
      return NULL;
    }

  if (!json_object_has_member (obj, "shape")
      || !JSON_NODE_HOLDS_ARRAY (json_object_get_member (obj, "shape")))
    {
      g_set_error (error, TRIAD_ERROR, TRIAD_ERROR_CHECKPOINT,
                   _("Tensor “%s”: no shape"), name);
      return NULL;
    }
  shape = json_object_get_array_member (obj, "shape");
  if (json_array_get_length (shape) > G_N_ELEMENTS (info->shape))
    {
      g_set_error (error, TRIAD_ERROR, TRIAD_ERROR_CHECKPOINT,
                   _("Tensor “%s” has %u dimensions; at most %u are supported"), name,
                   json_array_get_length (shape), (guint) G_N_ELEMENTS (info->shape));
      return NULL;
    }
  info->ndim = json_array_get_length (shape);
  info->numel = 1;
  for (int i = 0; i < info->ndim; i++)
    {
      if (!read_size (json_array_get_element (shape, i), name, FALSE,
                      &info->shape[i], error))
        return NULL;
      if (info->shape[i] != 0 && info->numel > G_MAXSIZE / 8 / info->shape[i])
        {
          g_set_error (error, TRIAD_ERROR, TRIAD_ERROR_CHECKPOINT,
                       _("Tensor “%s”: its shape is too large"), name);
          return NULL;
        }
      info->numel *= info->shape[i];
    }

  if (!json_object_has_member (obj, "data_offsets")
      || !JSON_NODE_HOLDS_ARRAY (json_object_get_member (obj, "data_offsets"))
      || json_array_get_length (json_object_get_array_member (obj, "data_offsets")) != 2)
    {
      g_set_error (error, TRIAD_ERROR, TRIAD_ERROR_CHECKPOINT,
                   _("Tensor “%s”: data_offsets is not a pair"), name);
      return NULL;
    }
  offsets = json_object_get_array_member (obj, "data_offsets");
  if (!read_size (json_array_get_element (offsets, 0), name, TRUE, &info->begin, error)
      || !read_size (json_array_get_element (offsets, 1), name, TRUE, &info->end, error))
    return NULL;
  if (info->begin > info->end || info->end > data_size)
    {
      g_set_error (error, TRIAD_ERROR, TRIAD_ERROR_CHECKPOINT,
                   _("Tensor “%s”: its data [%zu, %zu) lies outside the %zu bytes of data"),
                   name, info->begin, info->end, data_size);
      return NULL;
    }
  bytes = info->numel * info->elem_size;
  if (info->end - info->begin != bytes)
    {
      g_set_error (error, TRIAD_ERROR, TRIAD_ERROR_CHECKPOINT,
                   _("Tensor “%s”: its shape needs %zu bytes but its offsets give %zu"),
                   name, bytes, info->end - info->begin);
      return NULL;
    }

  info->name = g_strdup (name);
  return g_steal_pointer (&info);
}

TriadSafetensors *
triad_safetensors_parse (const guint8 *data,
                         size_t        size,
                         GError      **error)
{
  g_autoptr(TriadSafetensors) st = NULL;
  g_autoptr(JsonParser) parser = NULL;
  g_autoptr(GError) local = NULL;
  g_autoptr(GList) members = NULL;
  JsonNode *root;
  JsonObject *header;
  guint64 header_len = 0;

  if (size < 8)
    {
      g_set_error (error, TRIAD_ERROR, TRIAD_ERROR_CHECKPOINT,
                   _("The weights file is truncated: %zu bytes, less than its 8-byte header length"),
                   size);
      return NULL;
    }
  for (int i = 7; i >= 0; i--)
    header_len = (header_len << 8) | data[i];
  if (header_len > size - 8 || header_len > MAX_HEADER_BYTES)
    {
      g_set_error (error, TRIAD_ERROR, TRIAD_ERROR_CHECKPOINT,
                   _("The weights file’s header length (%llu bytes) runs past the end of "
                     "the file (%zu bytes)"),
                   (unsigned long long) header_len, size);
      return NULL;
    }

  parser = json_parser_new ();
  if (!json_parser_load_from_data (parser, (const char *) data + 8, header_len, &local))
    {
      g_set_error (error, TRIAD_ERROR, TRIAD_ERROR_CHECKPOINT,
                   _("The weights file’s header is not valid JSON: %s"), local->message);
      return NULL;
    }
  root = json_parser_get_root (parser);
  if (root == NULL || !JSON_NODE_HOLDS_OBJECT (root))
    {
      g_set_error (error, TRIAD_ERROR, TRIAD_ERROR_CHECKPOINT,
                   _("The weights file’s header is not a JSON object"));
      return NULL;
    }
  header = json_node_get_object (root);

  st = g_new0 (TriadSafetensors, 1);
  st->data = data + 8 + header_len;
  st->data_size = size - 8 - header_len;
  st->tensors = g_ptr_array_new_with_free_func (tensor_info_free);
  st->by_name = g_hash_table_new (g_str_hash, g_str_equal);

  members = json_object_get_members (header);
  for (GList *l = members; l != NULL; l = l->next)
    {
      const char *name = l->data;
      TriadTensorInfo *info;

      if (strcmp (name, "__metadata__") == 0)
        continue;
      info = parse_tensor (name, json_object_get_member (header, name), st->data_size, error);
      if (info == NULL)
        return NULL;
      g_ptr_array_add (st->tensors, info);
      g_hash_table_insert (st->by_name, info->name, info);
    }

  return g_steal_pointer (&st);
}

const TriadTensorInfo *
triad_safetensors_lookup (const TriadSafetensors *st,
                          const char             *name)
{
  return g_hash_table_lookup (st->by_name, name);
}

int
triad_safetensors_n_tensors (const TriadSafetensors *st)
{
  return st->tensors->len;
}

const TriadTensorInfo *
triad_safetensors_nth (const TriadSafetensors *st,
                       int                     i)
{
  g_return_val_if_fail (i >= 0 && (guint) i < st->tensors->len, NULL);
  return g_ptr_array_index (st->tensors, i);
}

const guint8 *
triad_safetensors_data (const TriadSafetensors *st,
                        const TriadTensorInfo  *info)
{
  return st->data + info->begin;
}

static gboolean
write_all (FILE        *fp,
           const void  *buf,
           size_t       len,
           const char  *path,
           GError     **error)
{
  if (len > 0 && fwrite (buf, 1, len, fp) != len)
    {
      int saved = errno;
      g_set_error (error, TRIAD_ERROR, TRIAD_ERROR_CHECKPOINT,
                   _("Could not write “%s”: %s"), path, g_strerror (saved));
      return FALSE;
    }
  return TRUE;
}

gboolean
triad_safetensors_write (const char          *path,
                         int                  n,
                         const char * const  *names,
                         const int           *ndims,
                         const size_t       (*shapes)[4],
                         const float * const *data,
                         GError             **error)
{
  g_autoptr(GString) header = g_string_new ("{\"__metadata__\":{\"format\":\"pt\"}");
  g_autofree char *tmp_path = g_strdup_printf ("%s.XXXXXX", path);
  guint8 len_bytes[8];
  size_t offset = 0;
  guint64 header_len;
  FILE *fp;
  int fd;

  for (int i = 0; i < n; i++)
    {
      size_t numel = 1;

      for (int d = 0; d < ndims[i]; d++)
        numel *= shapes[i][d];
      g_string_append_printf (header, ",\"%s\":{\"dtype\":\"F32\",\"shape\":[", names[i]);
      for (int d = 0; d < ndims[i]; d++)
        g_string_append_printf (header, "%s%zu", d ? "," : "", shapes[i][d]);
      g_string_append_printf (header, "],\"data_offsets\":[%zu,%zu]}",
                              offset, offset + numel * sizeof (float));
      offset += numel * sizeof (float);
    }
  g_string_append_c (header, '}');
  /* pad with spaces so the data starts 8-byte aligned and maps as floats */
  while ((header->len + 8) % 8 != 0)
    g_string_append_c (header, ' ');

  header_len = header->len;
  for (int i = 0; i < 8; i++)
    len_bytes[i] = (header_len >> (8 * i)) & 0xff;

  fd = g_mkstemp (tmp_path);
  if (fd < 0)
    {
      int saved = errno;
      g_set_error (error, TRIAD_ERROR, TRIAD_ERROR_CHECKPOINT,
                   _("Could not create a file beside “%s”: %s"), path, g_strerror (saved));
      return FALSE;
    }
  /* mkstemp makes the file private; a model is for everyone to read */
  fchmod (fd, 0644);
  fp = fdopen (fd, "wb");
  if (fp == NULL)
    {
      close (fd);
      g_unlink (tmp_path);
      g_set_error (error, TRIAD_ERROR, TRIAD_ERROR_CHECKPOINT,
                   _("Could not write “%s”"), path);
      return FALSE;
    }

  if (!write_all (fp, len_bytes, 8, path, error)
      || !write_all (fp, header->str, header->len, path, error))
    goto fail;
  for (int i = 0; i < n; i++)
    {
      size_t numel = 1;

      for (int d = 0; d < ndims[i]; d++)
        numel *= shapes[i][d];
      /* floats are written as they lie in memory: little-endian on every machine Triad targets */
      G_STATIC_ASSERT (G_BYTE_ORDER == G_LITTLE_ENDIAN);
      if (!write_all (fp, data[i], numel * sizeof (float), path, error))
        goto fail;
    }
  if (fflush (fp) != 0 || fsync (fileno (fp)) != 0)
    {
      int saved = errno;
      g_set_error (error, TRIAD_ERROR, TRIAD_ERROR_CHECKPOINT,
                   _("Could not write “%s”: %s"), path, g_strerror (saved));
      goto fail;
    }
  if (fclose (fp) != 0)
    {
      int saved = errno;
      fp = NULL;
      g_set_error (error, TRIAD_ERROR, TRIAD_ERROR_CHECKPOINT,
                   _("Could not write “%s”: %s"), path, g_strerror (saved));
      goto fail;
    }
  fp = NULL;
  if (g_rename (tmp_path, path) != 0)
    {
      int saved = errno;
      g_set_error (error, TRIAD_ERROR, TRIAD_ERROR_CHECKPOINT,
                   _("Could not write “%s”: %s"), path, g_strerror (saved));
      goto fail;
    }
  return TRUE;

fail:
  if (fp != NULL)
    fclose (fp);
  g_unlink (tmp_path);
  return FALSE;
}
