/* axis.h — the charts' axes: where a value falls, log or linear, which ticks mark it and what
 * they read; figures-private.h draws them. */
#pragma once

#include <cairo.h>
#include <glib.h>

#include "figures/figures.h"

G_BEGIN_DECLS

typedef enum {
  TRIAD_AXIS_TOKENS,          /* "8 k", "100 k", "1 M" */
  TRIAD_AXIS_BYTES,           /* "10 kB", "1 GB" */
  TRIAD_AXIS_BINARY_BYTES,    /* "1 KiB", "10 GiB"; log ticks at 1, 10 and 100 of each unit */
  TRIAD_AXIS_MILLISECONDS,    /* "0.5 ms" */
  TRIAD_AXIS_POWERS_OF_TEN,   /* "10¹²", the same in every language */
  TRIAD_AXIS_PLAIN,           /* "2.5", "1000": a number alone (a loss, a step) */
} TriadAxisUnit;

typedef enum {
  TRIAD_AXIS_TICKS_DEFAULT      = 0,
  /* log: only the powers of ten are labelled, never 2 and 5 over a short range */
  TRIAD_AXIS_TICKS_DECADES_ONLY = 1 << 0,
  /* log: the end of the axis is labelled too, wherever it falls */
  TRIAD_AXIS_TICKS_LABEL_END    = 1 << 1,
  /* drawing: the unlabelled minor ticks are grid lines alone, with no mark on the axis */
  TRIAD_AXIS_TICKS_BARE_MINOR   = 1 << 2,
  /* drawing: a vertical axis' labels may stand 1.1 lines apart rather than 1.2 */
  TRIAD_AXIS_TICKS_DENSE_LABELS = 1 << 3,
} TriadAxisTickFlags;

typedef struct {
  double   lo, hi;            /* the range of values shown; for log, 0 < lo < hi */
  gboolean log;
  double   p0, p1;            /* where lo and hi fall on the figure */
  double   floor;             /* log: values below lo·floor are drawn there (0: 10⁻⁶) */
} TriadAxis;

typedef struct {
  double   v;
  gboolean major;             /* a stronger grid line and a full tick mark */
  gboolean labelled;
} TriadAxisTick;

double  triad_axis_map   (const TriadAxis *axis,
                          double           v);
double  triad_axis_unmap (const TriadAxis *axis,
                          double           p);

/* The ticks of the axis, from lo to hi (an array of TriadAxisTick). Linear: about five
 * steps of 1, 2, 2.5 or 5 times a power of ten — of the unit for bytes, so a range of
 * gigabytes steps in whole GB. Log: the powers of ten labelled (for binary bytes 1, 10 and
 * 100 of each binary unit), 2 and 5 too over fewer than two and a half decades, the other
 * multiples unlabelled. */
GArray *triad_axis_ticks (const TriadAxis    *axis,
                          TriadAxisUnit       unit,
                          TriadAxisTickFlags  flags);

/* The least of 1, 2, 2.5, 5 and 10 times a power of ten not under raw (a range over the
 * number of steps wanted): 6 → 10, 0.22 → 0.25; 0 when raw is not positive. */
double  triad_axis_nice_step (double raw);

/* What the tick at v reads, through engine/numbers.h: "0" at zero. */
char   *triad_axis_label (double        v,
                          TriadAxisUnit unit);

/* "8 k", "100 k", "1 M": a context length, short; 8192 is "8 k" and 131072 "128 k", as
 * context lengths are told, 100000 "100 k". */
char   *triad_figure_format_tokens (double tokens);

G_END_DECLS
