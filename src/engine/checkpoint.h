/* checkpoint.h — the safetensors format: an 8-byte little-endian header length, a JSON
 * header {name: {"dtype", "shape", "data_offsets": [begin, end]}, "__metadata__": {…}},
 * then the raw little-endian tensor data, offsets counted from the end of the header. */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

/* The element types the Hub's files hold. Floats are read (F32 in place, F16 and BF16 widened);
 * the others occur as buffers a model keeps beside its weights (GPT-2's attention masks, BERT's
 * position ids) and are parsed so that their file opens, never read. */
typedef enum {
  TRIAD_ST_F32,
  TRIAD_ST_F16,
  TRIAD_ST_BF16,
  TRIAD_ST_F64,
  TRIAD_ST_I64,
  TRIAD_ST_I32,
  TRIAD_ST_I16,
  TRIAD_ST_I8,
  TRIAD_ST_U8,
  TRIAD_ST_BOOL,
} TriadStDtype;

typedef struct {
  char   *name;
  TriadStDtype dtype;
  size_t  elem_size;    /* bytes per element */
  int     ndim;
  size_t  shape[4];
  size_t  numel;
  size_t  begin;        /* byte offset in the data section */
  size_t  end;
} TriadTensorInfo;

typedef struct _TriadSafetensors TriadSafetensors;

/* Parses and checks a whole file held in memory (data must outlive the result): the header
 * length against the size, the JSON, every tensor's dtype (one of TriadStDtype), shape and
 * offsets. */
TriadSafetensors      *triad_safetensors_parse   (const guint8 *data,
                                                  size_t        size,
                                                  GError      **error);
void                   triad_safetensors_free    (TriadSafetensors *st);
const TriadTensorInfo *triad_safetensors_lookup  (const TriadSafetensors *st,
                                                  const char            *name);
int                    triad_safetensors_n_tensors (const TriadSafetensors *st);
/* The i-th tensor in the header's order. */
const TriadTensorInfo *triad_safetensors_nth     (const TriadSafetensors *st,
                                                  int                     i);
/* Pointer to the tensor's data inside the parsed buffer (aligned when the file's data is). */
const guint8          *triad_safetensors_data    (const TriadSafetensors *st,
                                                  const TriadTensorInfo  *info);

/* Writes tensors (names[i], shape ndims[i] × shapes[i], data[i]) to path through a temporary
 * file renamed at the end, so a failed write leaves nothing half-written. */
gboolean triad_safetensors_write (const char          *path,
                                  int                  n,
                                  const char * const  *names,
                                  const int           *ndims,
                                  const size_t (*shapes)[4],
                                  const float * const *data,
                                  GError             **error);

/* The dtype's name as the header writes it ("BF16"). */
const char *triad_st_dtype_name (TriadStDtype    dtype);
/* Widens n elements of a float tensor (F32, F16, BF16, F64) into out; FALSE for other dtypes. */
gboolean    triad_st_to_f32     (TriadStDtype    dtype,
                                    const guint8 *data,
                                    size_t        n,
                                    float        *out);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (TriadSafetensors, triad_safetensors_free)

G_END_DECLS
