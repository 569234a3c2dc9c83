/* triad-model-list.h — the models the window offers: their names and kinds as a person reads
 * them, and the recent model folders kept in the settings. */
#pragma once

#include <gio/gio.h>

#include "engine/model.h"

G_BEGIN_DECLS

#define TRIAD_RECENT_MODELS_MAX 10

/* A model id's name: a shipped model's name in the header's words, "ORG/NAME" for a folder
 * of the Hugging Face cache, else the folder's base name. */
char       *triad_model_display_name  (const char *id);
/* "encoder-only", "decoder-only" or "encoder-decoder", translated. */
const char *triad_model_kind_label    (TriadArch   arch);
/* The "recent-models" key's folders that still hold a config.json, most recent first. */
GStrv       triad_recent_models_list  (GSettings  *settings);
/* Puts folder first in "recent-models", keeping at most TRIAD_RECENT_MODELS_MAX. */
void        triad_recent_models_add   (GSettings  *settings,
                                       const char *folder);

G_END_DECLS
