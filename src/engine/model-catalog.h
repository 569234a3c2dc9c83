/* model-catalog.h — the models a person has: shipped, and in the Hugging Face cache. */
#pragma once

#include <glib.h>

#include "engine/model.h"

G_BEGIN_DECLS

typedef struct {
  char     *id;          /* what triad_model_resolve takes: a shipped name or a folder */
  char     *name;        /* as a person reads it: "encoder", "openai-community/gpt2" */
  TriadArch arch;
  char     *model_type;  /* "triad", "gpt2", "bert", "distilbert", "t5" */
  gboolean  shipped;
} TriadModelEntry;

void       triad_model_entry_free         (TriadModelEntry *entry);

/* A model folder's architecture and model type from its config.json, without its weights. */
gboolean   triad_model_peek               (const char  *dir,
                                           TriadArch   *arch,
                                           char       **model_type,
                                           GError     **error);
/* $HF_HUB_CACHE, else $HF_HOME/hub, else ~/.cache/huggingface/hub. */
char      *triad_hf_cache_dir             (void);
/* The models of a Hub cache folder that Triad opens, sorted by name (TriadModelEntry). */
GPtrArray *triad_model_catalog_scan_cache (const char *cache_dir);
/* The shipped three (encoder, decoder, encdec), then the cache's models. */
GPtrArray *triad_model_catalog            (void);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (TriadModelEntry, triad_model_entry_free)

G_END_DECLS
