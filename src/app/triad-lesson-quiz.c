/* triad-lesson-quiz.c — the Lesson's quiz: its questions, options and the feedback on each,
 * as a table; the widgets built from it, and what a choice shows (the feedback, the right
 * answer marked and a wrong choice too). */
#include "config.h"

#include <glib/gi18n.h>

#include "app/triad-lesson-page-private.h"

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

void
triad_lesson_quiz_build (TriadLessonPage *self)
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
