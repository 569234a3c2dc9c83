/* triad-lesson-page-private.h — what the Lesson page's three files share: the page's state,
 * the quiz built from its table (triad-lesson-quiz.c) and the KV cache's numbers computed from
 * the presets (triad-lesson-kv.c), which the page (triad-lesson-page.c) builds when it is. */
#pragma once

#include <gtk/gtk.h>

#include "scenes/lesson-cost-scene.h"

#include "app/triad-lesson-page.h"
#include "app/triad-scene-view.h"

G_BEGIN_DECLS

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
  GtkWidget         *section6;
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

/* The quiz's questions into quiz_box, none answered. */
void triad_lesson_quiz_build (TriadLessonPage *self);
/* The KV cache section's text, its table and the quantization example, from the presets. */
void triad_lesson_kv_fill    (TriadLessonPage *self);

G_END_DECLS
