/* triad-lesson-kv.c — the Lesson's KV cache section: its numbers, its table of models and
 * its quantization example, computed when the page is built from the shipped presets by the
 * engine's memory model, so that the text says what `triad kv` says. */
#include "config.h"

#include <glib/gi18n.h>

#include "engine/memory.h"
#include "engine/numbers.h"
#include "figures/memory-chart.h"

#include "app/triad-lesson-page-private.h"

/* The lesson's two contexts and the GPU its quantization example fits into. */
#define EXAMPLE_GPU   24

static gboolean
estimate (const TriadLlmPreset *p,
          gint64                tokens,
          TriadDtype            kv_dtype,
          TriadDtype            weight_dtype,
          TriadKvEstimate      *e)
{
  TriadKvOptions o;

  triad_kv_options_init (&o);
  o.tokens = tokens;
  o.kv_dtype = kv_dtype;
  o.weight_dtype = weight_dtype;
  return triad_kv_estimate (p, &o, e, NULL);
}

static char *
format_ratio (double r)
{
  /* "12.2", "4": three significant digits at most, in the interface language's form */
  return triad_format_g (r, 3);
}

static GtkWidget *
grid_cell (const char *text,
           gboolean    heading,
           float       xalign)
{
  GtkWidget *label = gtk_label_new (text);

  gtk_label_set_xalign (GTK_LABEL (label), xalign);
  gtk_widget_add_css_class (label, heading ? "heading" : "numeric");
  return label;
}

static void
fill_kv_table (TriadLessonPage *self,
               GPtrArray       *presets)
{
  static const char * const ids[] = { "llama-2-7b", "llama-3.1-8b", "qwen2.5-7b",
                                      "mistral-7b-v0.1" };
  static const struct {
    gint64     tokens;
    TriadDtype dtype;
  } cols[] = {
    { TRIAD_CONTEXT_SHORT, TRIAD_DTYPE_F16 },
    { TRIAD_CONTEXT_LONG, TRIAD_DTYPE_F16 },
    { TRIAD_CONTEXT_LONG, TRIAD_DTYPE_INT8 },
    { TRIAD_CONTEXT_LONG, TRIAD_DTYPE_INT4 },
  };
  g_autoptr(GString) notes = g_string_new (NULL);
  gboolean any_beyond = FALSE;
  int row = 1;

  /* TRANSLATORS: the heading of the KV cache table's first column */
  gtk_grid_attach (self->kv_grid, grid_cell (_("Model"), TRUE, 0.0), 0, 0, 1, 1);
  for (guint c = 0; c < G_N_ELEMENTS (cols); c++)
    {
      g_autofree char *tokens = triad_figure_format_tokens (cols[c].tokens == TRIAD_CONTEXT_SHORT
                                                            ? 8000.0 : 100000.0);
      /* TRANSLATORS: a column of the KV cache table: a context length and the bits of a
       * stored number, e.g. "100 k · 8-bit" */
      g_autofree char *head = g_strdup_printf (_("%s · %d-bit"), tokens,
                                               triad_dtype_bits (cols[c].dtype));

      gtk_grid_attach (self->kv_grid, grid_cell (head, TRUE, 1.0), c + 1, 0, 1, 1);
    }
  for (guint i = 0; i < G_N_ELEMENTS (ids); i++)
    {
      const TriadLlmPreset *p = triad_llm_presets_find (presets, ids[i]);

      if (p == NULL)
        continue;
      gtk_grid_attach (self->kv_grid, grid_cell (p->name, FALSE, 0.0), 0, row, 1, 1);
      for (guint c = 0; c < G_N_ELEMENTS (cols); c++)
        {
          TriadKvEstimate e;
          g_autofree char *bytes = NULL, *cell = NULL;

          if (!estimate (p, cols[c].tokens, cols[c].dtype, TRIAD_DTYPE_F16, &e))
            continue;
          bytes = triad_format_bytes (e.kv_bytes_f, TRIAD_MEM_UNIT_GB);
          cell = g_strconcat (bytes, e.beyond_context ? " *" : "", NULL);
          any_beyond |= e.beyond_context;
          gtk_grid_attach (self->kv_grid, grid_cell (cell, FALSE, 1.0), c + 1, row, 1, 1);
        }
      if (p->sliding_window > 0 && triad_llm_preset_n_local (p) == p->n_layers)
        {
          g_autofree char *window = g_strdup_printf ("%" G_GINT64_FORMAT, p->sliding_window);

          if (notes->len > 0)
            g_string_append_c (notes, ' ');
          /* TRANSLATORS: under the KV cache table: a model and its window in tokens */
          g_string_append_printf (notes, _("%s keeps only the last %s tokens in every layer "
                                           "(a sliding window), so its cache stops growing "
                                           "there."), p->name, window);
        }
      row++;
    }
  if (any_beyond)
    {
      if (notes->len > 0)
        g_string_prepend_c (notes, ' ');
      /* TRANSLATORS: the note on the cells marked with * in the KV cache table */
      g_string_prepend (notes, _("* More tokens than the model was released to read: the cache "
                                 "it would need if it were stretched that far."));
    }
  if (notes->len > 0)
    g_string_append_c (notes, ' ');
  /* TRANSLATORS: under the KV cache table: where the numbers come from */
  g_string_append (notes, _("Computed by Triad’s memory model from the published "
                            "configurations in its presets file; GB is 10⁹ bytes."));
  gtk_label_set_text (self->kv_note, notes->str);
}

void
triad_lesson_kv_fill (TriadLessonPage *self)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) presets = triad_llm_presets_shared (&error);
  const TriadLlmPreset *l3, *l2;
  TriadKvEstimate l3_short, l3_long, l2_short, l2_long, q8, q4;
  g_autoptr(GString) text = g_string_new (NULL);
  g_autoptr(GString) quant = g_string_new (NULL);

  if (presets == NULL)
    {
      /* TRANSLATORS: shown instead of the KV cache's numbers; the error follows */
      g_string_printf (text, _("The numbers of this section come from Triad’s presets file, "
                               "which could not be read: %s"), error->message);
      gtk_label_set_text (self->kv_label, text->str);
      self->kv_text = g_string_free (g_steal_pointer (&text), FALSE);
      return;
    }
  /* Llama 3.1 8B, not Llama 3 8B: the same shape and cache per token, but a context of 128 k
   * where Llama 3 8B's stops at 8192, so that 100 k tokens are a context it can read */
  l3 = triad_llm_presets_find (presets, "llama-3.1-8b");
  l2 = triad_llm_presets_find (presets, "llama-2-7b");
  if (l3 != NULL
      && estimate (l3, TRIAD_CONTEXT_SHORT, TRIAD_DTYPE_F16, TRIAD_DTYPE_F16, &l3_short)
      && estimate (l3, TRIAD_CONTEXT_LONG, TRIAD_DTYPE_F16, TRIAD_DTYPE_F16, &l3_long))
    {
      g_autofree char *per = triad_format_uint (l3_long.kv_bytes_per_token);
      g_autofree char *per_iec = triad_format_size ((double) l3_long.kv_bytes_per_token, TRUE);
      g_autofree char *kv_short = triad_format_bytes (l3_short.kv_bytes_f, TRIAD_MEM_UNIT_GB);
      g_autofree char *kv_long = triad_format_bytes (l3_long.kv_bytes_f, TRIAD_MEM_UNIT_GB);
      g_autofree char *ratio = format_ratio (l3_long.kv_bytes_f / l3_short.kv_bytes_f);
      g_autofree char *weights = triad_format_bytes (l3_long.weights_bytes_f, TRIAD_MEM_UNIT_GB);

      /* TRANSLATORS: the KV cache of Llama 3.1 8B. In order: the model's name, its layers,
       * key/value heads and head size, the same three again in a product whose last factor
       * is the bytes of a 16-bit number, the bytes per token exactly and in KiB, the cache at
       * 8 k and at 100 k tokens, how many times more that is, and the weights */
      g_string_append_printf (text, _("%s has %d layers and %d key/value heads of %d numbers "
                                      "each, so one token takes 2 × %d × %d × %d × %d bytes "
                                      "= %s bytes (%s) in 16 bits. At 8 k tokens (8192) its "
                                      "cache holds %s; at 100 k tokens it holds %s, %s times "
                                      "as much, on top of %s of weights."),
                              l3->name, l3->n_layers, l3_long.kv_heads, l3->head_dim,
                              l3->n_layers, l3_long.kv_heads, l3->head_dim, 2,
                              per, per_iec, kv_short, kv_long, ratio, weights);

      if (l2 != NULL
          && estimate (l2, TRIAD_CONTEXT_SHORT, TRIAD_DTYPE_F16, TRIAD_DTYPE_F16, &l2_short)
          && estimate (l2, TRIAD_CONTEXT_LONG, TRIAD_DTYPE_F16, TRIAD_DTYPE_F16, &l2_long))
        {
          g_autofree char *per2 = triad_format_uint (l2_long.kv_bytes_per_token);
          g_autofree char *short2 = triad_format_bytes (l2_short.kv_bytes_f, TRIAD_MEM_UNIT_GB);
          g_autofree char *long2 = triad_format_bytes (l2_long.kv_bytes_f, TRIAD_MEM_UNIT_GB);
          g_autofree char *times = format_ratio (l2_long.kv_bytes_f / l3_long.kv_bytes_f);

          g_string_append_c (text, ' ');
          /* TRANSLATORS: the KV cache of Llama 2 7B. In order: its name, its query heads,
           * the bytes per token, the cache at 8 k and at 100 k tokens (both past the 4 k
           * Llama 2 was released with), how many times Llama 3.1 8B's cache that is, and
           * Llama 3.1 8B's name */
          g_string_append_printf (text, _("%s gives each of its %d query heads a key/value "
                                          "head of its own: %s bytes per token, %s at 8 k "
                                          "tokens and %s at 100 k, were its context "
                                          "stretched that far — %s times the cache of %s."),
                                  l2->name, l2->n_heads, per2, short2, long2, times, l3->name);
        }

      /* the same long context in less memory, against a common GPU */
      if (estimate (l3, TRIAD_CONTEXT_LONG, TRIAD_DTYPE_INT8, TRIAD_DTYPE_F16, &q8)
          && estimate (l3, TRIAD_CONTEXT_LONG, TRIAD_DTYPE_INT4, TRIAD_DTYPE_INT4, &q4))
        {
          double gpu = triad_gpu_bytes (EXAMPLE_GPU, TRIAD_MEM_UNIT_GB);
          g_autofree char *gpu_str = triad_format_size_short (gpu, FALSE, -1);
          const TriadKvEstimate *cases[] = { &l3_long, &q8, &q4 };
          const char *labels[] = {
            /* TRANSLATORS: one line of the quantization example */
            N_("16-bit weights, 16-bit cache"),
            /* TRANSLATORS: one line of the quantization example */
            N_("16-bit weights, 8-bit cache"),
            /* TRANSLATORS: one line of the quantization example */
            N_("4-bit weights, 4-bit cache"),
          };

          /* TRANSLATORS: introduces the quantization example: a model, a GPU's memory */
          g_string_append_printf (quant, _("%s reading 100 k tokens on a GPU with %s:"),
                                  l3->name, gpu_str);
          for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
            {
              g_autofree char *total = triad_format_bytes (cases[i]->total_bytes_f,
                                                           TRIAD_MEM_UNIT_GB);
              g_autofree char *kv = triad_format_bytes (cases[i]->kv_bytes_f, TRIAD_MEM_UNIT_GB);
              gboolean fits = triad_kv_estimate_fits (cases[i], gpu);

              g_string_append (quant, "\n• ");
              /* TRANSLATORS: a line of the quantization example: what is quantized, the
               * weights and cache together, the cache alone, and whether they fit */
              g_string_append_printf (quant, _("%s: %s in all, %s of it the cache — %s"),
                                      _(labels[i]), total, kv,
                                      fits ? _("fits") : _("does not fit"));
            }
          g_string_append (quant, "\n");
          g_string_append (quant, _("Weights and cache only: activations and the framework "
                                    "need some memory besides."));
        }
    }
  else
    g_string_append (text, _("The presets file has no Llama 3.1 8B to compute this section’s "
                             "numbers from."));
  gtk_label_set_text (self->kv_label, text->str);
  gtk_label_set_text (self->quant_label, quant->str);
  gtk_widget_set_visible (GTK_WIDGET (self->quant_label), quant->len > 0);
  self->kv_text = g_string_free (g_steal_pointer (&text), FALSE);
  fill_kv_table (self, presets);
}

const char *
triad_lesson_page_get_kv_text (TriadLessonPage *self)
{
  g_return_val_if_fail (TRIAD_IS_LESSON_PAGE (self), NULL);

  return self->kv_text;
}
