/* masks-scene.c — the Masks view's figures from the engine's traces. */
#include "config.h"

#include <math.h>
#include <string.h>
#include "engine/i18n.h"

#include "scenes/masks-scene.h"

/* of the figure's height, the grid's: half, so that on a screen 1,000 pixels high the formula's
 * cells are still large enough to print their numbers */
#define GRID_SHARE 0.5
#define SURFACE_GRID_SHARE 0.64

typedef struct {
  const TriadFormulaTrace *trace;
  TriadMask                mask;
  guint8                  *allowed;   /* (n, n) */
  float                   *remasked;  /* (n, n) weights under mask, when not the model's own */
  float                   *out;       /* (n, d_k) with them */
  char                    *title;
  char                    *note;
} GridRow;

struct _TriadMasksScene
{
  TriadFormulaTrace *enc;
  TriadFormulaTrace *dec;
  TriadFormulaTrace *padded;
  GridRow            rows[TRIAD_MASK_GRID_MAX_ROWS];
  guint8            *formula_allowed;   /* (n, n) of the formula's model */
  char              *grid_title;
  char              *formula_title;
  TriadMaskGrid      grid;
  TriadFormula       formula;
};

TriadMasksScene *
triad_masks_scene_new (TriadFormulaTrace *encoder,
                       TriadFormulaTrace *decoder,
                       TriadFormulaTrace *padded)
{
  TriadMasksScene *s = g_new0 (TriadMasksScene, 1);

  g_return_val_if_fail (encoder != NULL && decoder != NULL, NULL);

  s->enc = encoder;
  s->dec = decoder;
  s->padded = padded;
  return s;
}

static void
grid_row_clear (GridRow *row)
{
  g_clear_pointer (&row->allowed, g_free);
  g_clear_pointer (&row->remasked, g_free);
  g_clear_pointer (&row->out, g_free);
  g_clear_pointer (&row->title, g_free);
  g_clear_pointer (&row->note, g_free);
  row->trace = NULL;
}

void
triad_masks_scene_free (TriadMasksScene *s)
{
  if (s == NULL)
    return;
  for (int i = 0; i < TRIAD_MASK_GRID_MAX_ROWS; i++)
    grid_row_clear (&s->rows[i]);
  g_free (s->formula_allowed);
  g_free (s->grid_title);
  g_free (s->formula_title);
  triad_formula_trace_free (s->enc);
  triad_formula_trace_free (s->dec);
  triad_formula_trace_free (s->padded);
  g_free (s);
}

static guint8 *
allowed_of (const TriadMask *mask,
            int              n)
{
  guint8 *allowed = g_new (guint8, (size_t) n * n);

  for (int i = 0; i < n; i++)
    for (int j = 0; j < n; j++)
      allowed[(size_t) i * n + j] = triad_mask_allows (mask, i, j);
  return allowed;
}

/* One row of the grid: trace under mask (its own when own is TRUE). */
static void
grid_row_set (GridRow                 *row,
              const TriadFormulaTrace *trace,
              const TriadMask         *mask,
              gboolean                 own,
              char                    *title,
              char                    *note)
{
  grid_row_clear (row);
  row->trace = trace;
  row->mask = *mask;
  row->allowed = allowed_of (mask, trace->n);
  if (!own)
    {
      row->remasked = g_new (float, (size_t) trace->n * trace->n);
      row->out = g_new (float, (size_t) trace->n * trace->d_k);
      triad_formula_remask (trace, mask, row->remasked, row->out);
    }
  row->title = title;
  row->note = note;
}

/* Whether t's model adds a position bias to its scores and does not divide them by √d_k (T5):
 * its formula is softmax (Q Kᵀ + B + mask) V. */
static gboolean
has_bias (const TriadFormulaTrace *t)
{
  return t->unscaled && t->bias != NULL;
}

const char *
triad_masks_step_caption (int      step,
                          gboolean decoder,
                          gboolean bias,
                          gboolean rotary)
{
  if (step == 0 && rotary)
    return _("RoPE (Q): each token’s query (above) is rotated (below): each pair of its numbers turns by an angle that grows with the token’s position, a different speed for each pair.");
  if (step == 1 && rotary)
    return _("RoPE (K): each key turns the same way by its own position, so that a query’s dot product with a key depends on how far apart they are, not on where they stand.");
  if (step == 3 && bias)
    return _("+ B: each head adds a learned bias for how far apart the query and the key are "
             "(the position bias); the scores are not divided by √d_k.");
  switch (step)
    {
    case 0:
      return _("Q: each token’s query, what it looks for — its vector times this head’s W_Q.");
    case 1:
      return _("K: each token’s key, what it can be found by — its vector times W_K.");
    case 2:
      return _("Q Kᵀ: every query meets every key; the dot product scores how well they match.");
    case 3:
      return _("÷ √d_k: the scores shrink by the square root of the head size, so that softmax does not saturate as d_k grows.");
    case 4:
      return decoder
             ? _("+ mask: −∞ wherever a query would see a later token; the decoder may not look ahead.")
             : _("+ mask: the encoder’s mask is all zeros — every token may see every other, both ways.");
    case 5:
      return _("softmax: each row becomes weights that sum to 1; a score of −∞ becomes exactly 0.");
    case 6:
      return _("× V: each token’s output is the weighted sum of the values of the tokens it may see.");
    default:
      /* no step chosen: the figure says nothing there, the screen shows the hint */
      return NULL;
    }
}

const char *
triad_masks_scene_hint (TriadMasksScene *s)
{
  return s->formula.current < 0
         ? _("Press Space or → to go through the formula step by step.")
         : NULL;
}

/* Whether the two traces read the text as the same tokens (one tokenizer): the shipped
 * encoder's end with an <eos> the decoder's lack, so one need only begin the other. */
static gboolean
same_tokens (const TriadFormulaTrace *a,
             const TriadFormulaTrace *b)
{
  for (int i = 0; i < MIN (a->n, b->n); i++)
    if (g_strcmp0 (a->tokens[i], b->tokens[i]) != 0)
      return FALSE;
  return TRUE;
}

static TriadMatrix
matrix (const float             *values,
        int                      rows,
        int                      cols,
        const guint8            *allowed,
        const TriadFormulaTrace *t,
        gboolean                 labels,
        const char              *title,
        TriadCellsKind           kind,
        const TriadMasksOptions *opt,
        int                      visible)
{
  TriadMatrix m = {
    .values = values, .rows = rows, .cols = cols, .allowed = allowed,
    .row_labels = labels ? (const char * const *) t->tokens : NULL,
    .col_labels = labels && cols == t->n ? (const char * const *) t->tokens : NULL,
    .title = title, .kind = kind, .cmap = opt->cmap, .visible_rows = visible,
    .hover_row = -1, .hover_col = -1,
  };
  return m;
}

void
triad_masks_scene_update (TriadMasksScene         *s,
                          const TriadMasksOptions *opt)
{
  /* TRANSLATORS: the titles of the three columns of the Masks view; B is the position bias
   * a model such as T5 adds to the scores instead of dividing them by √d_k */
  const char *col_titles[TRIAD_MASK_GRID_COLS] = {
    _("Mask"), _("Scores Q Kᵀ / √d_k + mask"), _("Weights after softmax"),
  };
  const char *bias_scores = _("Scores Q Kᵀ + B + mask");
  TriadMask own_enc = s->enc->mask, own_dec = s->dec->mask;
  int n_rows = 2, dec_visible = opt->position < 0 ? -1 : MIN (opt->position + 1, s->dec->n);
  const TriadFormulaTrace *ft = opt->formula_decoder ? s->dec : s->enc;

  g_free (s->grid_title);
  if (same_tokens (s->enc, s->dec) && s->enc->layer == s->dec->layer && s->enc->head == s->dec->head)
    /* TRANSLATORS: the Masks view's title */
    s->grid_title = g_strdup_printf (_("The same tokens, two masks · layer %d · head %d"),
                                     s->dec->layer, s->dec->head);
  else
    /* two models with tokenizers, layers or heads of their own: each reads the text its way
     * and shows a head it has */
    /* TRANSLATORS: the Masks view's title when the encoder and the decoder are two models of
     * their own: their layers and heads */
    s->grid_title = g_strdup_printf (_("The same text, two masks · encoder: layer %d, head %d · "
                                       "decoder: layer %d, head %d"),
                                     s->enc->layer, s->enc->head, s->dec->layer, s->dec->head);
  grid_row_set (&s->rows[0], s->enc, &own_enc, TRUE,
                g_strdup (_("Encoder (BERT-style) · bidirectional")),
                g_strdup (_("Every token sees every other, before and after it.")));
  if (own_dec.kind == TRIAD_MASK_SLIDING)
    /* a model that runs with a sliding window (Mistral): the band is its own mask */
    grid_row_set (&s->rows[1], s->dec, &own_dec, TRUE,
                  g_strdup_printf (_("Decoder · sliding window, W = %d"), own_dec.window),
                  g_strdup (_("This model’s own mask: a token sees only the last W tokens, itself included; later and older ones are −∞.")));
  else
    grid_row_set (&s->rows[1], s->dec, &own_dec, TRUE,
                  g_strdup (_("Decoder (GPT-style) · causal")),
                  g_strdup (_("A token sees itself and what came before; later tokens are −∞.")));
  grid_row_clear (&s->rows[2]);
  switch (opt->compare)
    {
    case TRIAD_COMPARE_SLIDING:
      {
        TriadMask m = { .kind = TRIAD_MASK_SLIDING, .window = MAX (opt->window, 1) };
        /* TRANSLATORS: a row title; %d is the window's width in tokens */
        grid_row_set (&s->rows[2], s->dec, &m, FALSE,
                      g_strdup_printf (_("Decoder · sliding window, W = %d"), m.window),
                      g_strdup (_("As Mistral does: a token sees only the last W tokens, itself included. This head’s own Q and K, masked again.")));
        n_rows = 3;
      }
      break;
    case TRIAD_COMPARE_PREFIX_LM:
      {
        TriadMask m = { .kind = TRIAD_MASK_PREFIX_LM, .prefix_len = CLAMP (opt->prefix, 0, s->dec->n) };
        /* TRANSLATORS: a row title; %d is the prefix's length in tokens */
        grid_row_set (&s->rows[2], s->dec, &m, FALSE,
                      g_strdup_printf (_("Decoder · prefix-LM, prefix of %d"), m.prefix_len),
                      g_strdup (_("As some T5 variants do: the prefix is read both ways, what follows is causal. This head’s own Q and K, masked again.")));
        n_rows = 3;
      }
      break;
    case TRIAD_COMPARE_PADDING:
      if (s->padded != NULL)
        {
          TriadMask m = s->padded->mask;
          /* TRANSLATORS: a row title; %d is the number of <pad> tokens */
          grid_row_set (&s->rows[2], s->padded, &m, TRUE,
                        g_strdup_printf (g_dngettext (GETTEXT_PACKAGE, "Encoder · key padding, %d <pad>",
                                                      "Encoder · key padding, %d <pad>", s->padded->n_pad),
                                         s->padded->n_pad),
                        g_strdup (_("A batch pads short inputs; no query may look at a <pad>, so the sentence’s own weights stay as they were.")));
          n_rows = 3;
        }
      break;
    default:
      break;
    }

  memset (&s->grid, 0, sizeof s->grid);
  s->grid.title = s->grid_title;
  s->grid.n_rows = n_rows;
  for (int r = 0; r < n_rows; r++)
    {
      GridRow *row = &s->rows[r];
      const TriadFormulaTrace *t = row->trace;
      int visible = t == s->dec ? dec_visible : -1;
      const float *weights = row->remasked != NULL ? row->remasked : t->weights;

      s->grid.row_titles[r] = row->title;
      s->grid.row_notes[r] = row->note;
      s->grid.cells[r][0] = matrix (NULL, t->n, t->n, row->allowed, t, TRUE, col_titles[0],
                                    TRIAD_CELLS_MASK, opt, visible);
      s->grid.cells[r][1] = matrix (t->scaled, t->n, t->n, row->allowed, t, TRUE,
                                    has_bias (t) ? bias_scores : col_titles[1],
                                    TRIAD_CELLS_SIGNED, opt, visible);
      s->grid.cells[r][2] = matrix (weights, t->n, t->n, row->allowed, t, TRUE, col_titles[2],
                                    TRIAD_CELLS_WEIGHTS, opt, visible);
      if (r == opt->hover_model)
        for (int c = 0; c < TRIAD_MASK_GRID_COLS; c++)
          {
            s->grid.cells[r][c].hover_row = opt->hover_row;
            s->grid.cells[r][c].hover_col = opt->hover_col;
          }
    }

  /* the formula of one model's head */
  g_free (s->formula_allowed);
  s->formula_allowed = allowed_of (&ft->mask, ft->n);
  g_free (s->formula_title);
  s->formula_title = g_strdup_printf (opt->formula_decoder
                                      /* TRANSLATORS: the formula pipeline's title */
                                      ? _("Decoder · layer %d · head %d · d_k = %d, step by step")
                                      : _("Encoder · layer %d · head %d · d_k = %d, step by step"),
                                      ft->layer, ft->head, ft->d_k);
  {
    int v = opt->formula_decoder ? dec_visible : -1;
    TriadFormula *f = &s->formula;

    memset (f, 0, sizeof *f);
    f->title = s->formula_title;
    f->d_k = ft->d_k;
    f->bias = has_bias (ft);
    f->current = CLAMP (opt->formula_step, -1, TRIAD_FORMULA_STEPS - 1);
    f->rotary = ft->rotary;
    if (f->current == 4 && ft->mask.kind == TRIAD_MASK_SLIDING)
      /* TRANSLATORS: the "+ mask" step of a model that runs with a sliding window (Mistral) */
      f->caption = _("+ mask: −∞ wherever a query would see a later token or one more than W "
                     "tokens back; the band of the last W tokens is all it sees.");
    else
      f->caption = triad_masks_step_caption (f->current, opt->formula_decoder, f->bias,
                                             f->rotary);
    /* on a rotary model the scores are the rotated Q and K's: steps 0 and 1 are those, the
     * vectors before the rotation drawn above them */
    f->steps[0] = matrix (ft->q, ft->n, ft->d_k, NULL, ft, TRUE, f->rotary ? "RoPE(Q)" : "Q",
                          TRIAD_CELLS_SIGNED, opt, v);
    f->steps[1] = matrix (ft->k, ft->n, ft->d_k, NULL, ft, FALSE, f->rotary ? "RoPE(K)" : "K",
                          TRIAD_CELLS_SIGNED, opt, -1);
    if (f->rotary)
      {
        f->unrotated[0] = matrix (ft->q_unrotated, ft->n, ft->d_k, NULL, ft, TRUE, "Q",
                                  TRIAD_CELLS_SIGNED, opt, v);
        f->unrotated[1] = matrix (ft->k_unrotated, ft->n, ft->d_k, NULL, ft, FALSE, "K",
                                  TRIAD_CELLS_SIGNED, opt, -1);
      }
    f->steps[2] = matrix (ft->scores, ft->n, ft->n, NULL, ft, FALSE, "Q Kᵀ", TRIAD_CELLS_SIGNED, opt, v);
    f->steps[3] = matrix (ft->scaled, ft->n, ft->n, NULL, ft, FALSE, f->bias ? "+ B" : "÷ √d_k",
                          TRIAD_CELLS_SIGNED, opt, v);
    f->steps[4] = matrix (ft->scaled, ft->n, ft->n, s->formula_allowed, ft, FALSE, "+ mask",
                          TRIAD_CELLS_SIGNED, opt, v);
    f->steps[5] = matrix (ft->weights, ft->n, ft->n, s->formula_allowed, ft, FALSE, "softmax",
                          TRIAD_CELLS_WEIGHTS, opt, v);
    f->steps[6] = matrix (ft->out, ft->n, ft->d_k, NULL, ft, FALSE, "× V", TRIAD_CELLS_SIGNED, opt, v);
  }
}

const TriadMaskGrid *
triad_masks_scene_grid (TriadMasksScene *s)
{
  return &s->grid;
}

const TriadFormula *
triad_masks_scene_formula (TriadMasksScene *s)
{
  return &s->formula;
}

const TriadFormulaTrace *
triad_masks_scene_trace (TriadMasksScene  *s,
                         int               r,
                         const float     **weights,
                         const float     **scaled)
{
  GridRow *row;

  g_return_val_if_fail (r >= 0 && r < s->grid.n_rows, NULL);

  row = &s->rows[r];
  if (weights != NULL)
    *weights = row->remasked != NULL ? row->remasked : row->trace->weights;
  if (scaled != NULL)
    *scaled = row->trace->scaled;
  return row->trace;
}

int
triad_masks_scene_n_decoder (TriadMasksScene *s)
{
  return s->dec->n;
}

double
triad_masks_scene_split (const TriadFigureStyle *style,
                         double                  height)
{
  /* on a slide or a presentation's screen the grid's six panels need their token labels at
   * the surface's type size, and the formula's strip reads at less */
  return round (height * (triad_figure_style_min_text (style) > 0.0 ? SURFACE_GRID_SHARE
                                                                     : GRID_SHARE));
}

void
triad_masks_scene_draw (TriadMasksScene        *s,
                        cairo_t                *cr,
                        const TriadFigureStyle *style,
                        double                  width,
                        double                  height)
{
  double split = triad_masks_scene_split (style, height);

  triad_mask_grid_draw (cr, &s->grid, style, width, split);
  cairo_save (cr);
  cairo_translate (cr, 0, split);
  triad_formula_draw (cr, &s->formula, style, width, height - split);
  cairo_restore (cr);
}
