/* error.c — the engine's error domain. */
#include "engine/error.h"

G_DEFINE_QUARK (triad-error-quark, triad_error)
