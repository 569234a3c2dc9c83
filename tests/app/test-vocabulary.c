/* test-vocabulary.c — the toy world's edges in the window: words the shipped models never saw
 * are underlined and named, the Vocabulary inserts the words they know. */
#include "config.h"

#include "app-test.h"

#include <string.h>
#include <gtk/gtk.h>

#include "app/triad-application.h"
#include "app/triad-vocabulary.h"
#include "app/triad-window.h"

static TriadApplication *app;
static TriadWindow *window;

static void
activate (const char *action,
          GVariant   *param)
{
  app_test_activate (GTK_WIDGET (window), action, param);
}

static GtkEntry *
text_entry (void)
{
  return GTK_ENTRY (gtk_widget_get_template_child (GTK_WIDGET (window), TRIAD_TYPE_WINDOW,
                                                   "text_entry"));
}

/* The [start, end) byte ranges that the entry's text underlines as errors, as "4-11 12-16". */
static char *
error_underlines (GtkEntry *entry)
{
  PangoAttrList *attrs = gtk_entry_get_attributes (entry);
  GString *out = g_string_new (NULL);
  GSList *list;

  if (attrs == NULL)
    return g_string_free (out, FALSE);
  list = pango_attr_list_get_attributes (attrs);
  for (GSList *l = list; l != NULL; l = l->next)
    {
      PangoAttribute *a = l->data;

      if (a->klass->type == PANGO_ATTR_UNDERLINE
          && ((PangoAttrInt *) a)->value == PANGO_UNDERLINE_ERROR)
        g_string_append_printf (out, "%s%u-%u", out->len ? " " : "", a->start_index, a->end_index);
    }
  g_slist_free_full (list, (GDestroyNotify) pango_attribute_destroy);
  return g_string_free (out, FALSE);
}

static void
test_marks (void)
{
  GtkEntry *entry = text_entry ();
  GtkRevealer *bar = GTK_REVEALER (gtk_widget_get_template_child (GTK_WIDGET (window),
                                                                  TRIAD_TYPE_WINDOW, "edge_bar"));
  GtkLabel *label = GTK_LABEL (gtk_widget_get_template_child (GTK_WIDGET (window),
                                                              TRIAD_TYPE_WINDOW, "edge_label"));
  g_autofree char *plain = NULL, *lines = NULL;

  activate ("win.example", g_variant_new_string ("the big cat saw a small dog"));
  app_test_iterate (50);
  plain = g_strdup (gtk_widget_get_tooltip_text (GTK_WIDGET (entry)));
  g_assert_cmpstr (plain, ==, "The text the model reads (Ctrl+L)");
  lines = error_underlines (entry);
  g_assert_cmpstr (lines, ==, "");
  g_assert_false (gtk_revealer_get_reveal_child (bar));
  g_clear_pointer (&lines, g_free);

  /* "the teacher gave the boy a book": teacher (bytes 4–11) and gave (12–16) are in none of
   * the toy world's tables; boy, book and the articles are */
  activate ("win.example", g_variant_new_string ("the teacher gave the boy a book"));
  app_test_iterate (50);
  lines = error_underlines (entry);
  g_assert_cmpstr (lines, ==, "4-11 12-16");
  g_assert_nonnull (strstr (gtk_widget_get_tooltip_text (GTK_WIDGET (entry)),
                            "never saw “teacher”, “gave”"));
  g_assert_true (gtk_revealer_get_reveal_child (bar));
  g_assert_nonnull (strstr (gtk_label_get_text (label), "“teacher”, “gave”"));
  g_clear_pointer (&lines, g_free);

  /* Russian words are marked where they stand: "учителя" after "кошка " (11 bytes), 14 bytes */
  activate ("win.example", g_variant_new_string ("кошка учителя видела"));
  app_test_iterate (50);
  lines = error_underlines (entry);
  g_assert_cmpstr (lines, ==, "11-25");
  g_clear_pointer (&lines, g_free);

  /* back inside the world: no mark, the entry's own tooltip, the bar hidden */
  activate ("win.example", g_variant_new_string ("EN: the big cat saw a small dog RU:"));
  app_test_iterate (50);
  lines = error_underlines (entry);
  g_assert_cmpstr (lines, ==, "");
  g_assert_cmpstr (gtk_widget_get_tooltip_text (GTK_WIDGET (entry)), ==, plain);
  g_assert_false (gtk_revealer_get_reveal_child (bar));
}

static void
test_editing (void)
{
  g_autofree char *a = NULL, *b = NULL, *c = NULL, *d = NULL, *e = NULL;
  int at = -1;

  /* inserted between two words, a space on each side; the cursor after the word */
  a = triad_vocabulary_insert_word ("the cat", 3, "big", &at);
  g_assert_cmpstr (a, ==, "the big cat");
  g_assert_cmpint (at, ==, 7);
  /* at the end, after a space: no second space, none after */
  b = triad_vocabulary_insert_word ("the ", 4, "cat", &at);
  g_assert_cmpstr (b, ==, "the cat");
  g_assert_cmpint (at, ==, 7);
  /* offsets count characters: after "кошка" (5) */
  c = triad_vocabulary_insert_word ("кошка", 5, "спала", &at);
  g_assert_cmpstr (c, ==, "кошка спала");
  g_assert_cmpint (at, ==, 11);
  /* completion replaces the word being typed, and only it */
  d = triad_vocabulary_complete_word ("the big ca", "cat");
  g_assert_cmpstr (d, ==, "the big cat");
  e = triad_vocabulary_complete_word ("кош", "кошку");
  g_assert_cmpstr (e, ==, "кошку");
}

static GtkFlowBoxChild *
find_word (GtkWidget  *root,
           const char *word)
{
  for (GtkWidget *c = gtk_widget_get_first_child (root); c != NULL; c = gtk_widget_get_next_sibling (c))
    {
      GtkFlowBoxChild *found;

      if (GTK_IS_FLOW_BOX_CHILD (c) && g_strcmp0 (g_object_get_data (G_OBJECT (c), "word"), word) == 0)
        return GTK_FLOW_BOX_CHILD (c);
      if ((found = find_word (c, word)) != NULL)
        return found;
    }
  return NULL;
}

static void
test_popover (void)
{
  GtkMenuButton *button = GTK_MENU_BUTTON (gtk_widget_get_template_child (GTK_WIDGET (window),
                                             TRIAD_TYPE_WINDOW, "vocabulary_button"));
  GtkEditable *entry = GTK_EDITABLE (text_entry ());
  GtkPopover *popover;
  GtkFlowBoxChild *cat, *koshku, *dog;

  activate ("win.example", g_variant_new_string ("the big"));
  gtk_editable_set_position (entry, -1);
  /* F7 opens it, built the first time */
  g_assert_null (gtk_menu_button_get_popover (button));
  activate ("win.vocabulary", NULL);
  app_test_iterate (100);
  popover = gtk_menu_button_get_popover (button);
  g_assert_nonnull (popover);
  g_assert_true (gtk_widget_get_visible (GTK_WIDGET (popover)));

  /* both languages' words, as a sentence needs them: cat, and кошку (the accusative) */
  cat = find_word (GTK_WIDGET (popover), "cat");
  koshku = find_word (GTK_WIDGET (popover), "кошку");
  g_assert_nonnull (cat);
  g_assert_nonnull (koshku);
  g_assert_null (find_word (GTK_WIDGET (popover), "teacher"));

  /* a click inserts the word at the cursor */
  g_signal_emit_by_name (gtk_widget_get_parent (GTK_WIDGET (cat)), "child-activated", cat);
  app_test_iterate (20);
  g_assert_cmpstr (gtk_editable_get_text (entry), ==, "the big cat");
  g_signal_emit_by_name (gtk_widget_get_parent (GTK_WIDGET (koshku)), "child-activated", koshku);
  g_assert_cmpstr (gtk_editable_get_text (entry), ==, "the big cat кошку");

  /* the filter keeps the words that contain what is typed */
  dog = find_word (GTK_WIDGET (popover), "dog");
  for (GtkWidget *w = GTK_WIDGET (popover); w != NULL; w = gtk_widget_get_first_child (w))
    if (GTK_IS_BOX (w))
      {
        for (GtkWidget *c = gtk_widget_get_first_child (w); c != NULL; c = gtk_widget_get_next_sibling (c))
          if (GTK_IS_SEARCH_ENTRY (c))
            gtk_editable_set_text (GTK_EDITABLE (c), "ca");
        break;
      }
  app_test_iterate (300);
  g_assert_true (gtk_widget_get_child_visible (GTK_WIDGET (cat)));
  g_assert_false (gtk_widget_get_child_visible (GTK_WIDGET (dog)));
  gtk_popover_popdown (popover);
  app_test_iterate (50);
}

static void
test_completion (void)
{
  GtkEntry *entry = text_entry ();
  GtkEntryCompletion *completion;

  G_GNUC_BEGIN_IGNORE_DEPRECATIONS
  completion = gtk_entry_get_completion (entry);
  g_assert_nonnull (completion);
  /* "match-selected" puts the word in place of the one being typed */
  activate ("win.example", g_variant_new_string ("the big ca"));
  {
    GtkTreeModel *model = gtk_entry_completion_get_model (completion);
    GtkTreeIter iter;
    gboolean handled = FALSE;
    gboolean ok = gtk_tree_model_get_iter_first (model, &iter);

    while (ok)
      {
        g_autofree char *word = NULL;

        gtk_tree_model_get (model, &iter, 0, &word, -1);
        if (g_strcmp0 (word, "cat") == 0)
          break;
        ok = gtk_tree_model_iter_next (model, &iter);
      }
    g_assert_true (ok);
    g_signal_emit_by_name (completion, "match-selected", model, &iter, &handled);
    g_assert_true (handled);
  }
  G_GNUC_END_IGNORE_DEPRECATIONS
  g_assert_cmpstr (gtk_editable_get_text (GTK_EDITABLE (entry)), ==, "the big cat");
}

int
main (int argc, char *argv[])
{
  int status;

  gtk_test_init (&argc, &argv, NULL);
  app = triad_application_new ();
  window = app_test_open_window (app, 1200, 800);

  g_test_add_func ("/app/vocabulary/marks", test_marks);
  g_test_add_func ("/app/vocabulary/editing", test_editing);
  g_test_add_func ("/app/vocabulary/popover", test_popover);
  g_test_add_func ("/app/vocabulary/completion", test_completion);
  status = g_test_run ();
  gtk_window_destroy (GTK_WINDOW (window));
  g_object_unref (app);
  return status;
}
