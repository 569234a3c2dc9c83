/* hf-model.h — opening a model folder as the Hugging Face Hub serves it (see hf-model.c). */
#pragma once

#include <glib.h>
#include <json-glib/json-glib.h>

#include "engine/model.h"

G_BEGIN_DECLS

/* Whether a parsed config.json is a Hub model's (it has model_type) rather than Triad's own. */
gboolean    triad_hf_is_model_dir    (JsonObject *config);
/* The architecture of a model_type Triad opens; FALSE for another. */
gboolean    triad_hf_arch_of         (const char *model_type,
                                      TriadArch  *arch);
/* The model types Triad opens, as a person reads them: "gpt2, bert, distilbert, t5". */
const char *triad_hf_supported_types (void);
/* Loads the folder whose config.json is `config`: the weights (one file or shards), mapped,
 * and tokenizer.json, which it must have. */
TriadModel *triad_hf_model_load      (const char *dir,
                                      JsonObject *config,
                                      GError    **error);

G_END_DECLS
