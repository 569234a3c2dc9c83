/* triad-lesson-page.c — the Lesson view. The text is the template's; the KV cache numbers
 * are computed from the shipped presets by the engine's memory model when the page is built,
 * the quiz is built from a table, and the cost figure is the lesson-cost scene, shown by the
 * scene view and exported as the window draws it. */
#include "config.h"

#include <string.h>
#include <glib/gi18n.h>

#include "engine/memory.h"
#include "engine/numbers.h"
#include "figures/memory-chart.h"
#include "scenes/lesson-cost-scene.h"

#include "app/triad-lesson-page.h"
#include "app/triad-scene-view.h"
#include "app/triad-view.h"

/* The size the cost figure is exported at before the page has been laid out. */
#define DEFAULT_FIGURE_W 1100.0
#define DEFAULT_FIGURE_H  640.0

/* The lesson's two contexts and the GPU its quantization example fits into. */
#define EXAMPLE_GPU   24

/* ---- what the buttons open --------------------------------------------------------- */

typedef struct {
  const char *id;
  const char *model;     /* win.model, or NULL to leave it */
  const char *example;   /* win.example, or NULL to leave the text */
  const char *view;      /* win.view */
  gboolean    one_head;  /* show one head, the one at layer, head */
  int         layer, head;
} Demo;

static const Demo demos[] = {
  /* the Russian verb's ending agrees with the feminine subject: the encoder must look at it */
  { "masked-word", "encoder",
    "the big cat saw a small dog <sep> большая кошка <mask> маленькую собаку", "attention" },
  { "left-to-right", "decoder", "the cat that saw a dog slept", "attention" },
  /* a sequence said twice: the decoder's induction head looks, from each word of the second
   * saying, at the word that followed it the first time */
  { "induction", "decoder", "bear ball wolf green house bear ball wolf green house", "attention",
    TRUE, 3, 1 },
  { "cross-align", "encdec", "the big cat saw a small dog", "cross" },
  { "masks", NULL, "the big cat saw a small dog", "masks" },
  { "prompt-translate", "decoder", "EN: the big cat saw a small dog RU:", "attention" },
  { "kv-grow", "decoder", NULL, "kv" },
  { "cross-source", "encdec", "the dog saw a cat near the house", "cross" },
};

/* ---- the quiz ---------------------------------------------------------------------- */

typedef struct {
  const char *text;
  const char *feedback;
} QuizOption;

typedef struct {
  const char *question;
  int         right;
  QuizOption  options[TRIAD_LESSON_N_OPTIONS];
} QuizQuestion;

static const QuizQuestion questions[TRIAD_LESSON_N_QUESTIONS] = {
  {
    N_("Why did the field move from BERT-style encoders to GPT-style decoders for its large "
       "language models?"),
    2,
    {
      { N_("Decoders read every sentence in both directions, so they understand it better."),
        N_("That describes the encoder. A decoder reads left to right under a causal mask: "
           "seeing both directions is exactly what it gives up.") },
      { N_("Decoders need less memory, because they keep no cache."),
        N_("It is the other way round: a decoder keeps a KV cache while it generates — the "
           "decoder of an encoder-decoder keeps one too, and only an encoder-only model keeps "
           "none — and at long contexts that cache takes a large share of the memory.") },
      { N_("Decoder-only models improve predictably as they grow, and when large enough they "
           "take on new tasks from the prompt alone."),
        N_("Scaling laws made bigger decoders a safe bet, and at scale they perform tasks "
           "zero-shot or from a few examples, so one general model can replace many "
           "fine-tuned ones.") },
      { N_("Encoders cannot learn from unlabelled text."),
        N_("BERT learns from unlabelled text too, by hiding tokens and recovering them. What it "
           "lacks is a way to write text of its own, and it learns only from the hidden "
           "tokens.") },
    },
  },
  {
    N_("Which architecture treats every language task as turning an input text into an output "
       "text?"),
    0,
    {
      { N_("Encoder-decoder, like T5"),
        N_("T5, the Text-to-Text Transfer Transformer, casts even classification as text: the "
           "input starts with a task prefix such as “summarize:” and the answer is generated "
           "as words.") },
      { N_("Encoder-only, like BERT"),
        N_("An encoder gives back one vector per input token. To classify or tag, a small "
           "task-specific layer is trained on top of it, and it writes no text.") },
      { N_("Decoder-only, like GPT"),
        N_("A decoder can be prompted to do tasks as text too — Triad’s decoder translates "
           "that way — but the architecture designed around the text-to-text framing is T5’s "
           "encoder-decoder.") },
      { N_("None: each task needs an architecture of its own"),
        N_("The text-to-text framing exists precisely so that one model, one objective and one "
           "decoding procedure serve every task.") },
    },
  },
};

typedef struct {
  GtkWidget   *options[TRIAD_LESSON_N_OPTIONS];   /* GtkCheckButton, grouped */
  GtkWidget   *marks[TRIAD_LESSON_N_OPTIONS];     /* ✓ on the right one, ✗ on a wrong choice */
  GtkRevealer *revealer;
  GtkWidget   *feedback_box;
  GtkImage    *feedback_icon;
  GtkLabel    *feedback_label;
  int          answer;
  char        *feedback;
} Quiz;

struct _TriadLessonPage
{
  GtkWidget          parent_instance;

  GtkScrolledWindow *scroller;
  GtkWidget         *clamp;
  GtkWidget         *content;
  GtkWidget         *section0;
  GtkWidget         *section1;
  GtkWidget         *section2;
  GtkWidget         *section3;
  GtkWidget         *section4;
  GtkWidget         *section5;
  GtkLabel          *formula_label;
  GtkLabel          *kv_label;
  GtkGrid           *kv_grid;
  GtkLabel          *kv_note;
  GtkLabel          *quant_label;
  GtkBox            *quiz_box;
  GtkToggleButton   *solution1_button;
  GtkToggleButton   *solution2_button;
  GtkRevealer       *solution1_revealer;
  GtkRevealer       *solution2_revealer;
  TriadSceneView    *cost_area;     /* draws cost_scene */
  GtkSpinButton     *output_spin;
  GtkSpinButton     *width_spin;

  GtkWidget         *sections[TRIAD_LESSON_N_SECTIONS];
  int                section;
  gboolean           scrolling;   /* a step is moving the view: the scroll does not say where */
  double             font_scale;
  TriadLessonCostScene *cost_scene;
  char              *kv_text;
  Quiz               quiz[TRIAD_LESSON_N_QUESTIONS];
};

static void triad_lesson_page_view_init (TriadViewInterface *iface);

G_DEFINE_FINAL_TYPE_WITH_CODE (TriadLessonPage, triad_lesson_page, GTK_TYPE_WIDGET,
                               G_IMPLEMENT_INTERFACE (TRIAD_TYPE_VIEW, triad_lesson_page_view_init))

enum {
  PROP_0,
  PROP_FONT_SCALE,
  PROP_SECTION,
  N_PROPS,
  PROP_BUSY = N_PROPS,
};

static GParamSpec *properties[N_PROPS];

/* ---- the demos --------------------------------------------------------------------- */

static void
open_action (GtkWidget  *widget,
             const char *action_name,
             GVariant   *param)
{
  const char *id = g_variant_get_string (param, NULL);

  for (guint i = 0; i < G_N_ELEMENTS (demos); i++)
    if (g_str_equal (id, demos[i].id))
      {
        /* the model and the text first, so the view computes once, on what the lesson meant */
        if (demos[i].model != NULL)
          gtk_widget_activate_action (widget, "win.model", "s", demos[i].model);
        if (demos[i].example != NULL)
          gtk_widget_activate_action (widget, "win.example", "s", demos[i].example);
        gtk_widget_activate_action (widget, "win.view", "s", demos[i].view);
        /* after the view, which resets layer and head to the new model's */
        if (demos[i].one_head)
          {
            gtk_widget_activate_action (widget, "win.mode", "s", "single");
            gtk_widget_activate_action (widget, "win.layer", "i", demos[i].layer);
            gtk_widget_activate_action (widget, "win.head", "i", demos[i].head);
          }
        return;
      }
  g_warning ("No lesson demo “%s”", id);
}

/* ---- the sections ------------------------------------------------------------------ */

int
triad_lesson_page_get_section (TriadLessonPage *self)
{
  g_return_val_if_fail (TRIAD_IS_LESSON_PAGE (self), 0);

  return self->section;
}

static void
set_section (TriadLessonPage *self,
             int              section)
{
  if (self->section == section)
    return;
  self->section = section;
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_SECTION]);
}

/* The top of a section in what scrolls, or -1 before the page is laid out. */
static double
section_top (TriadLessonPage *self,
             int              i)
{
  graphene_point_t in = GRAPHENE_POINT_INIT (0, 0), out;

  if (!gtk_widget_compute_point (self->sections[i], self->clamp, &in, &out))
    return -1;
  return out.y;
}

void
triad_lesson_page_show_section (TriadLessonPage *self,
                                int              section)
{
  GtkAdjustment *adj;
  double top;

  g_return_if_fail (TRIAD_IS_LESSON_PAGE (self));

  section = CLAMP (section, 0, TRIAD_LESSON_N_SECTIONS - 1);
  set_section (self, section);
  adj = gtk_scrolled_window_get_vadjustment (self->scroller);
  /* the first section goes back to the very top, with the lesson's title */
  top = section == 0 ? 0.0 : section_top (self, section);
  if (top < 0)
    return;
  self->scrolling = TRUE;
  gtk_adjustment_set_value (adj, MAX (0.0, top - 12.0));
  self->scrolling = FALSE;
}

/* The section a reader scrolling by hand is in: the last one whose heading has passed the
 * upper third of the view. */
static void
scrolled (GtkAdjustment   *adj,
          TriadLessonPage *self)
{
  double line = gtk_adjustment_get_value (adj) + gtk_adjustment_get_page_size (adj) / 3;
  int section = 0;

  if (self->scrolling)
    return;
  for (int i = 0; i < TRIAD_LESSON_N_SECTIONS; i++)
    {
      double top = section_top (self, i);

      if (top >= 0 && top <= line)
        section = i;
    }
  set_section (self, section);
}

/* ---- the challenge ----------------------------------------------------------------- */

static void
solution_toggled (GtkToggleButton *button,
                  TriadLessonPage *self)
{
  gtk_button_set_label (GTK_BUTTON (button), gtk_toggle_button_get_active (button)
                                             ? _("Hide Solution") : _("Show Solution"));
}

/* ---- the quiz ---------------------------------------------------------------------- */

GtkWidget *
triad_lesson_page_get_quiz_option (TriadLessonPage *self,
                                   int              question,
                                   int              option)
{
  g_return_val_if_fail (TRIAD_IS_LESSON_PAGE (self), NULL);
  g_return_val_if_fail (question >= 0 && question < TRIAD_LESSON_N_QUESTIONS, NULL);
  g_return_val_if_fail (option >= 0 && option < TRIAD_LESSON_N_OPTIONS, NULL);

  return self->quiz[question].options[option];
}

int
triad_lesson_page_get_answer (TriadLessonPage *self,
                              int              question)
{
  g_return_val_if_fail (TRIAD_IS_LESSON_PAGE (self), -1);
  g_return_val_if_fail (question >= 0 && question < TRIAD_LESSON_N_QUESTIONS, -1);

  return self->quiz[question].answer;
}

gboolean
triad_lesson_page_answer_is_right (TriadLessonPage *self,
                                   int              question)
{
  g_return_val_if_fail (TRIAD_IS_LESSON_PAGE (self), FALSE);
  g_return_val_if_fail (question >= 0 && question < TRIAD_LESSON_N_QUESTIONS, FALSE);

  return self->quiz[question].answer == questions[question].right;
}

const char *
triad_lesson_page_get_feedback (TriadLessonPage *self,
                                int              question)
{
  g_return_val_if_fail (TRIAD_IS_LESSON_PAGE (self), NULL);
  g_return_val_if_fail (question >= 0 && question < TRIAD_LESSON_N_QUESTIONS, NULL);

  return self->quiz[question].feedback;
}

static void
option_toggled (GtkCheckButton  *button,
                TriadLessonPage *self)
{
  int q = GPOINTER_TO_INT (g_object_get_data (G_OBJECT (button), "triad-question"));
  int o = GPOINTER_TO_INT (g_object_get_data (G_OBJECT (button), "triad-option"));
  Quiz *quiz = &self->quiz[q];
  const QuizQuestion *qq = &questions[q];
  gboolean right = o == qq->right;
  g_autofree char *markup = NULL;

  if (!gtk_check_button_get_active (button))
    return;
  quiz->answer = o;
  g_free (quiz->feedback);
  quiz->feedback = g_strdup (_(qq->options[o].feedback));
  markup = g_markup_printf_escaped ("<b>%s</b> %s",
                                    right ? _("Right.") : _("Not quite."), quiz->feedback);
  gtk_label_set_markup (quiz->feedback_label, markup);
  gtk_image_set_from_icon_name (quiz->feedback_icon,
                                right ? "object-select-symbolic" : "dialog-warning-symbolic");
  if (right)
    {
      gtk_widget_remove_css_class (quiz->feedback_box, "wrong");
      gtk_widget_add_css_class (quiz->feedback_box, "right");
      gtk_widget_remove_css_class (GTK_WIDGET (quiz->feedback_icon), "error");
    }
  else
    {
      gtk_widget_remove_css_class (quiz->feedback_box, "right");
      gtk_widget_add_css_class (quiz->feedback_box, "wrong");
      gtk_widget_add_css_class (GTK_WIDGET (quiz->feedback_icon), "error");
    }
  gtk_accessible_update_property (GTK_ACCESSIBLE (quiz->feedback_box),
                                  GTK_ACCESSIBLE_PROPERTY_LABEL,
                                  gtk_label_get_text (quiz->feedback_label), -1);

  /* the right option is marked once any answer is given; a wrong choice is marked too */
  for (int i = 0; i < TRIAD_LESSON_N_OPTIONS; i++)
    {
      GtkWidget *mark = quiz->marks[i];

      gtk_widget_set_visible (mark, i == qq->right || i == o);
      gtk_image_set_from_icon_name (GTK_IMAGE (mark), i == qq->right ? "object-select-symbolic"
                                                                     : "window-close-symbolic");
      gtk_widget_set_tooltip_text (mark, i == qq->right ? _("The right answer")
                                                        : _("Not this one"));
      if (i == qq->right)
        gtk_widget_remove_css_class (mark, "error");
      else
        gtk_widget_add_css_class (mark, "error");
    }
  gtk_revealer_set_reveal_child (quiz->revealer, TRUE);
}

static GtkWidget *
wrapping_label (const char *text,
                gboolean    bold)
{
  GtkWidget *label = gtk_label_new (text);

  gtk_label_set_wrap (GTK_LABEL (label), TRUE);
  gtk_label_set_xalign (GTK_LABEL (label), 0.0);
  gtk_label_set_max_width_chars (GTK_LABEL (label), 66);
  gtk_widget_set_hexpand (label, TRUE);
  if (bold)
    gtk_widget_add_css_class (label, "heading");
  return label;
}

static void
build_quiz (TriadLessonPage *self)
{
  for (int q = 0; q < TRIAD_LESSON_N_QUESTIONS; q++)
    {
      Quiz *quiz = &self->quiz[q];
      GtkWidget *box = gtk_box_new (GTK_ORIENTATION_VERTICAL, 6);
      GtkWidget *feedback = gtk_box_new (GTK_ORIENTATION_HORIZONTAL, 8);
      g_autofree char *heading = g_strdup_printf (_("Question %d"), q + 1);
      GtkWidget *title = gtk_label_new (heading);

      quiz->answer = -1;
      gtk_label_set_xalign (GTK_LABEL (title), 0.0);
      gtk_widget_add_css_class (title, "title-4");
      gtk_box_append (GTK_BOX (box), title);
      gtk_box_append (GTK_BOX (box), wrapping_label (_(questions[q].question), TRUE));
      for (int o = 0; o < TRIAD_LESSON_N_OPTIONS; o++)
        {
          GtkWidget *row = gtk_box_new (GTK_ORIENTATION_HORIZONTAL, 6);
          GtkWidget *check = gtk_check_button_new ();
          GtkWidget *label = wrapping_label (_(questions[q].options[o].text), FALSE);
          GtkWidget *mark = gtk_image_new ();

          gtk_check_button_set_child (GTK_CHECK_BUTTON (check), label);
          gtk_widget_set_hexpand (check, TRUE);
          if (o > 0)
            gtk_check_button_set_group (GTK_CHECK_BUTTON (check),
                                        GTK_CHECK_BUTTON (quiz->options[0]));
          g_object_set_data (G_OBJECT (check), "triad-question", GINT_TO_POINTER (q));
          g_object_set_data (G_OBJECT (check), "triad-option", GINT_TO_POINTER (o));
          g_signal_connect (check, "toggled", G_CALLBACK (option_toggled), self);
          gtk_widget_set_visible (mark, FALSE);
          gtk_widget_set_valign (mark, GTK_ALIGN_CENTER);
          gtk_box_append (GTK_BOX (row), check);
          gtk_box_append (GTK_BOX (row), mark);
          gtk_box_append (GTK_BOX (box), row);
          quiz->options[o] = check;
          quiz->marks[o] = mark;
        }
      quiz->feedback_icon = GTK_IMAGE (gtk_image_new ());
      gtk_widget_set_valign (GTK_WIDGET (quiz->feedback_icon), GTK_ALIGN_START);
      quiz->feedback_label = GTK_LABEL (wrapping_label (NULL, FALSE));
      gtk_label_set_selectable (quiz->feedback_label, TRUE);
      gtk_widget_set_focusable (GTK_WIDGET (quiz->feedback_label), FALSE);
      gtk_box_append (GTK_BOX (feedback), GTK_WIDGET (quiz->feedback_icon));
      gtk_box_append (GTK_BOX (feedback), GTK_WIDGET (quiz->feedback_label));
      gtk_widget_set_margin_start (feedback, 28);
      gtk_widget_set_margin_top (feedback, 4);
      quiz->feedback_box = feedback;
      quiz->revealer = GTK_REVEALER (gtk_revealer_new ());
      gtk_revealer_set_child (quiz->revealer, feedback);
      gtk_box_append (GTK_BOX (box), GTK_WIDGET (quiz->revealer));
      gtk_box_append (self->quiz_box, box);
    }
}

/* ---- the KV cache's numbers -------------------------------------------------------- */

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

static void
fill_kv (TriadLessonPage *self)
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

/* ---- the cost figure --------------------------------------------------------------- */

/* The figure's options: the spin buttons' m and d, inputs up to the default's. */
static void
get_cost_options (TriadLessonPage        *self,
                  TriadLessonCostOptions *opt)
{
  triad_lesson_cost_options_init (opt);
  opt->output_tokens = gtk_spin_button_get_value (self->output_spin);
  opt->width = gtk_spin_button_get_value (self->width_spin);
}

static void
cost_changed (GtkSpinButton   *spin,
              TriadLessonPage *self)
{
  TriadScene *scene = triad_scene_view_get_scene (self->cost_area);
  TriadLessonCostOptions opt;

  /* the template's spin buttons say their values before the scene exists */
  if (scene == NULL)
    return;
  get_cost_options (self, &opt);
  triad_scene_set_options (scene, &opt);
  gtk_widget_queue_draw (GTK_WIDGET (self->cost_area));
}

/* ---- the column ------------------------------------------------------------------ */

/* The text's column: as wide as it asks to be when nothing limits it (its labels' 72
 * characters), centred, narrower only when the window is. Aligning it with halign would not
 * do: a wrapping label asked for its width at a given height answers with a line as long as
 * that height allows. */
static GtkSizeRequestMode
clamp_request_mode (GtkWidget *widget)
{
  return GTK_SIZE_REQUEST_HEIGHT_FOR_WIDTH;
}

static void
clamp_measure (GtkWidget      *widget,
               GtkOrientation  orientation,
               int             for_size,
               int            *minimum,
               int            *natural,
               int            *minimum_baseline,
               int            *natural_baseline)
{
  GtkWidget *child = gtk_widget_get_first_child (widget);
  int min_w = 0, nat_w = 0;

  *minimum = *natural = 0;
  if (child == NULL || !gtk_widget_should_layout (child))
    return;
  gtk_widget_measure (child, GTK_ORIENTATION_HORIZONTAL, -1, &min_w, &nat_w, NULL, NULL);
  if (orientation == GTK_ORIENTATION_HORIZONTAL)
    {
      *minimum = min_w;
      *natural = nat_w;
    }
  else
    gtk_widget_measure (child, GTK_ORIENTATION_VERTICAL,
                        for_size < 0 ? nat_w : CLAMP (for_size, min_w, nat_w),
                        minimum, natural, NULL, NULL);
}

static void
clamp_allocate (GtkWidget *widget,
                int        width,
                int        height,
                int        baseline)
{
  GtkWidget *child = gtk_widget_get_first_child (widget);
  int min_w, nat_w, w;

  if (child == NULL || !gtk_widget_should_layout (child))
    return;
  gtk_widget_measure (child, GTK_ORIENTATION_HORIZONTAL, -1, &min_w, &nat_w, NULL, NULL);
  w = MAX (MIN (width, nat_w), min_w);
  gtk_widget_size_allocate (child, &(GtkAllocation) { MAX (0, (width - w) / 2), 0, w, height }, -1);
}

/* ---- TriadView --------------------------------------------------------------------- */

static void
view_set_input (TriadView        *view,
                TriadApplication *app,
                TriadArch         arch,
                const char       *text)
{
  /* the lesson reads the same whatever the header bar holds */
}

static gboolean
view_get_figure_size (TriadView *view,
                      double    *width,
                      double    *height)
{
  TriadLessonPage *self = TRIAD_LESSON_PAGE (view);
  int w = gtk_widget_get_width (GTK_WIDGET (self->cost_area));
  int h = gtk_widget_get_height (GTK_WIDGET (self->cost_area));

  *width = w > 0 ? w : DEFAULT_FIGURE_W;
  *height = h > 0 ? h : DEFAULT_FIGURE_H;
  return TRUE;
}

static void
view_draw_figure_with_style (TriadView              *view,
                             cairo_t                *cr,
                             const TriadFigureStyle *style,
                             double                  width,
                             double                  height)
{
  TriadLessonPage *self = TRIAD_LESSON_PAGE (view);

  triad_scene_draw (triad_scene_view_get_scene (self->cost_area), cr, style, width, height);
}

static void
view_draw_figure (TriadView *view,
                  cairo_t   *cr,
                  double     width,
                  double     height)
{
  TriadLessonPage *self = TRIAD_LESSON_PAGE (view);
  TriadFigureStyle style;

  triad_scene_view_get_style (self->cost_area, &style);
  view_draw_figure_with_style (view, cr, &style, width, height);
}

static void
view_step (TriadView *view,
           int        delta)
{
  TriadLessonPage *self = TRIAD_LESSON_PAGE (view);

  triad_lesson_page_show_section (self, self->section + delta);
}

static void
view_relabel (TriadView *view)
{
  TriadSceneView *area = TRIAD_LESSON_PAGE (view)->cost_area;

  triad_scene_relabel (triad_scene_view_get_scene (area));
  gtk_widget_queue_resize (GTK_WIDGET (area));
}

static void
triad_lesson_page_view_init (TriadViewInterface *iface)
{
  iface->set_input = view_set_input;
  iface->get_figure_size = view_get_figure_size;
  iface->draw_figure = view_draw_figure;
  iface->step = view_step;
  iface->draw_figure_with_style = view_draw_figure_with_style;
  iface->relabel = view_relabel;
}

/* ---- GObject ----------------------------------------------------------------------- */

static void
triad_lesson_page_set_property (GObject      *object,
                                guint         prop_id,
                                const GValue *value,
                                GParamSpec   *pspec)
{
  TriadLessonPage *self = TRIAD_LESSON_PAGE (object);

  switch (prop_id)
    {
    case PROP_FONT_SCALE:
      if (self->font_scale != g_value_get_double (value))
        {
          self->font_scale = g_value_get_double (value);
          g_object_notify_by_pspec (object, pspec);
          triad_scene_view_set_font_scale (self->cost_area, self->font_scale);
        }
      break;
    case PROP_SECTION:
      triad_lesson_page_show_section (self, g_value_get_int (value));
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
triad_lesson_page_get_property (GObject    *object,
                                guint       prop_id,
                                GValue     *value,
                                GParamSpec *pspec)
{
  TriadLessonPage *self = TRIAD_LESSON_PAGE (object);

  switch (prop_id)
    {
    case PROP_BUSY: g_value_set_boolean (value, FALSE); break;
    case PROP_FONT_SCALE: g_value_set_double (value, self->font_scale); break;
    case PROP_SECTION: g_value_set_int (value, self->section); break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
triad_lesson_page_dispose (GObject *object)
{
  TriadLessonPage *self = TRIAD_LESSON_PAGE (object);

  /* the view's scene borrows cost_scene: it goes first */
  if (self->cost_area != NULL)
    triad_scene_view_set_scene (self->cost_area, NULL);
  g_clear_pointer (&self->cost_scene, triad_lesson_cost_scene_free);
  gtk_widget_dispose_template (GTK_WIDGET (object), TRIAD_TYPE_LESSON_PAGE);
  G_OBJECT_CLASS (triad_lesson_page_parent_class)->dispose (object);
}

static void
triad_lesson_page_finalize (GObject *object)
{
  TriadLessonPage *self = TRIAD_LESSON_PAGE (object);

  g_free (self->kv_text);
  for (int q = 0; q < TRIAD_LESSON_N_QUESTIONS; q++)
    g_free (self->quiz[q].feedback);
  G_OBJECT_CLASS (triad_lesson_page_parent_class)->finalize (object);
}

static void
triad_lesson_page_class_init (TriadLessonPageClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->set_property = triad_lesson_page_set_property;
  object_class->get_property = triad_lesson_page_get_property;
  object_class->dispose = triad_lesson_page_dispose;
  object_class->finalize = triad_lesson_page_finalize;

  properties[PROP_FONT_SCALE] =
    g_param_spec_double ("font-scale", NULL, NULL, 0.5, 4.0, 1.0,
                         G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  properties[PROP_SECTION] =
    g_param_spec_int ("section", NULL, NULL, 0, TRIAD_LESSON_N_SECTIONS - 1, 0,
                      G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  g_object_class_install_properties (object_class, N_PROPS, properties);
  g_object_class_override_property (object_class, PROP_BUSY, "busy");

  g_type_ensure (TRIAD_TYPE_SCENE_VIEW);
  gtk_widget_class_set_template_from_resource (widget_class,
                                               "/org/triad/Triad/triad-lesson-page.ui");
  gtk_widget_class_bind_template_child (widget_class, TriadLessonPage, scroller);
  gtk_widget_class_bind_template_child (widget_class, TriadLessonPage, clamp);
  gtk_widget_class_bind_template_child (widget_class, TriadLessonPage, content);
  gtk_widget_class_bind_template_child (widget_class, TriadLessonPage, section0);
  gtk_widget_class_bind_template_child (widget_class, TriadLessonPage, section1);
  gtk_widget_class_bind_template_child (widget_class, TriadLessonPage, section2);
  gtk_widget_class_bind_template_child (widget_class, TriadLessonPage, section3);
  gtk_widget_class_bind_template_child (widget_class, TriadLessonPage, section4);
  gtk_widget_class_bind_template_child (widget_class, TriadLessonPage, section5);
  gtk_widget_class_bind_template_child (widget_class, TriadLessonPage, formula_label);
  gtk_widget_class_bind_template_child (widget_class, TriadLessonPage, kv_label);
  gtk_widget_class_bind_template_child (widget_class, TriadLessonPage, kv_grid);
  gtk_widget_class_bind_template_child (widget_class, TriadLessonPage, kv_note);
  gtk_widget_class_bind_template_child (widget_class, TriadLessonPage, quant_label);
  gtk_widget_class_bind_template_child (widget_class, TriadLessonPage, quiz_box);
  gtk_widget_class_bind_template_child (widget_class, TriadLessonPage, solution1_button);
  gtk_widget_class_bind_template_child (widget_class, TriadLessonPage, solution2_button);
  gtk_widget_class_bind_template_child (widget_class, TriadLessonPage, solution1_revealer);
  gtk_widget_class_bind_template_child (widget_class, TriadLessonPage, solution2_revealer);
  gtk_widget_class_bind_template_child (widget_class, TriadLessonPage, cost_area);
  gtk_widget_class_bind_template_child (widget_class, TriadLessonPage, output_spin);
  gtk_widget_class_bind_template_child (widget_class, TriadLessonPage, width_spin);
  gtk_widget_class_bind_template_callback (widget_class, solution_toggled);
  gtk_widget_class_bind_template_callback (widget_class, cost_changed);

  /* the buttons of every section: a demo's id opens its view, set up */
  gtk_widget_class_install_action (widget_class, "lesson.open", "s", open_action);

  gtk_widget_class_set_layout_manager_type (widget_class, GTK_TYPE_BIN_LAYOUT);
  gtk_widget_class_set_css_name (widget_class, "lessonpage");
}

static void
triad_lesson_page_init (TriadLessonPage *self)
{
  self->font_scale = 1.0;
  gtk_widget_init_template (GTK_WIDGET (self));

  self->sections[0] = self->section0;
  self->sections[1] = self->section1;
  self->sections[2] = self->section2;
  self->sections[3] = self->section3;
  self->sections[4] = self->section4;
  self->sections[5] = self->section5;

  /* mathematics reads the same in every language */
  gtk_label_set_markup (self->formula_label,
                        "<span size=\"x-large\">Attention(<i>Q</i>, <i>K</i>, <i>V</i>) = "
                        "softmax(<i>QK</i><sup>T</sup> / √<i>d</i><sub>k</sub> + <i>M</i>) "
                        "<i>V</i></span>");
  gtk_widget_set_layout_manager (self->clamp,
                                 gtk_custom_layout_new (clamp_request_mode, clamp_measure,
                                                        clamp_allocate));
  build_quiz (self);
  fill_kv (self);
  {
    TriadLessonCostOptions opt;

    get_cost_options (self, &opt);
    self->cost_scene = triad_lesson_cost_scene_new ();
    triad_scene_view_set_scene (self->cost_area,
                                triad_lesson_cost_scene_as_scene (self->cost_scene, &opt));
  }
  g_signal_connect_object (gtk_scrolled_window_get_vadjustment (self->scroller), "value-changed",
                           G_CALLBACK (scrolled), self, 0);
}
