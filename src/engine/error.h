/* error.h — the engine's GError domain and codes. */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

#define TRIAD_ERROR (triad_error_quark ())

typedef enum {
  TRIAD_ERROR_INVALID_TEXT,      /* not UTF-8, or empty where text is needed */
  TRIAD_ERROR_TOKENIZER,         /* a tokenizer.json that cannot be used */
  TRIAD_ERROR_CHECKPOINT,        /* a model.safetensors that cannot be used */
  TRIAD_ERROR_CONFIG,            /* a config.json that cannot be used, or does not match */
  TRIAD_ERROR_NOT_FOUND,         /* a model folder or file that is not there */
  TRIAD_ERROR_TOO_LONG,          /* more positions than the model has */
  TRIAD_ERROR_INVALID_ARGUMENT,  /* a request the model cannot serve */
  TRIAD_ERROR_CANCELLED,
} TriadError;

GQuark triad_error_quark (void);

G_END_DECLS
