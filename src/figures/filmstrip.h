/* filmstrip.h — one head learning: its attention on the probe at a few steps of training side
 * by side, the loss curve under them with the phase change marked. */
#pragma once

#include <cairo.h>
#include <glib.h>

#include "figures/figures.h"

G_BEGIN_DECLS

typedef struct {
  int                  n_panels;
  const float * const *maps;        /* (n_panels) × (n, n) attention, 0 … 1 */
  int                  n_q, n_k;    /* the probe's queries and keys */
  const int           *steps;       /* (n_panels) the step of each map */
  const double        *scores;      /* (n_panels) the head's score there */
  const char          *score_name;  /* the score's caption, "induction %s"-like with the
                                     * number for %s; NULL: the number alone */
  const char          *title;
  const char          *subtitle;    /* the probe, or NULL */
  const float         *losses;      /* (n_losses) the loss of step 1 … n_losses */
  int                  n_losses;
  int                  phase_step;  /* -1: no phase change */
  const char          *phase_label; /* the mark's words (triad_watch_task_phase_label) */
  TriadColormap        cmap;
} TriadFilmstrip;

/* The panels' titles read "step N", so a reader (and a test) finds each step in the figure. */
void triad_filmstrip_draw (cairo_t                *cr,
                           const TriadFilmstrip   *strip,
                           const TriadFigureStyle *style,
                           double                  width,
                           double                  height);

G_END_DECLS
