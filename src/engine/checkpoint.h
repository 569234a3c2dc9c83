/* checkpoint.h — the safetensors format: an 8-byte little-endian header length, a JSON
 * header {name: {"dtype", "shape", "data_offsets": [begin, end]}, "__metadata__": {…}},
 * then the raw little-endian tensor data, offsets counted from the end of the header. */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

typedef struct {
  char   *name;
  int     ndim;
  size_t  shape[4];
  size_t  numel;
  size_t  begin;        /* byte offset in the data section */
  size_t  end;
} TriadTensorInfo;

typedef struct _TriadSafetensors TriadSafetensors;

/* Parses and checks a whole file held in memory (data must outlive the result): the header
 * length against the size, the JSON, every tensor's dtype (F32 only), shape and offsets. */
TriadSafetensors      *triad_safetensors_parse   (const guint8 *data,
                                                  size_t        size,
                                                  GError      **error);
void                   triad_safetensors_free    (TriadSafetensors *st);
const TriadTensorInfo *triad_safetensors_lookup  (const TriadSafetensors *st,
                                                  const char            *name);
int                    triad_safetensors_n_tensors (const TriadSafetensors *st);
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

G_DEFINE_AUTOPTR_CLEANUP_FUNC (TriadSafetensors, triad_safetensors_free)

G_END_DECLS
