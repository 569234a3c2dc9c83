/* triad-vocabulary.c — the toy world's edges in the window. The shipped models read any text,
 * but a word they never saw they read letter by letter, and what they make of it means little:
 * such words are underlined as a spell checker marks them, and the words they know are one
 * click or a few keys away. */
#include "config.h"

#include <string.h>
#include <glib/gi18n.h>

#include "app/triad-vocabulary.h"

TriadToyWorld *
triad_vocabulary_world (void)
{
  static TriadToyWorld *world;

  if (world == NULL)
    world = triad_toy_world_new ();
  return world;
}

static gboolean
is_space (char c)
{
  return c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\v' || c == '\f';
}

char *
triad_vocabulary_quote_words (char **words)
{
  GString *out = g_string_new (NULL);

  for (int i = 0; words[i] != NULL; i++)
    {
      if (i > 0)
        /* TRANSLATORS: between two quoted words of a list */
        g_string_append (out, C_("word list", ", "));
      /* TRANSLATORS: a word of the text, quoted */
      g_string_append_printf (out, C_("quoted word", "“%s”"), words[i]);
    }
  return g_string_free (out, FALSE);
}

/* The entry's tooltip from before the first mark, kept on the entry. */
static const char *
plain_tooltip (GtkEntry *entry)
{
  const char *tip = g_object_get_data (G_OBJECT (entry), "triad-plain-tooltip");

  if (tip == NULL)
    {
      tip = gtk_widget_get_tooltip_text (GTK_WIDGET (entry));
      g_object_set_data_full (G_OBJECT (entry), "triad-plain-tooltip",
                              g_strdup (tip != NULL ? tip : ""), g_free);
      tip = g_object_get_data (G_OBJECT (entry), "triad-plain-tooltip");
    }
  return *tip != '\0' ? tip : NULL;
}

char **
triad_vocabulary_mark (GtkEntry *entry)
{
  const char *plain = plain_tooltip (entry);
  const char *text = gtk_editable_get_text (GTK_EDITABLE (entry));
  g_autoptr(GArray) spans = triad_toy_unknown_spans (triad_vocabulary_world (), text);
  g_autoptr(PangoAttrList) attrs = pango_attr_list_new ();
  char **words = triad_toy_unknown_words (triad_vocabulary_world (), text);

  for (guint i = 0; i < spans->len; i++)
    {
      const TriadToySpan *span = &g_array_index (spans, TriadToySpan, i);
      PangoAttribute *line = pango_attr_underline_new (PANGO_UNDERLINE_ERROR);
      /* GNOME's red, readable on light and dark entries alike */
      PangoAttribute *colour = pango_attr_underline_color_new (0xe0e0, 0x1b1b, 0x2424);

      line->start_index = colour->start_index = (guint) span->start;
      line->end_index = colour->end_index = (guint) span->end;
      pango_attr_list_insert (attrs, line);
      pango_attr_list_insert (attrs, colour);
    }
  gtk_entry_set_attributes (entry, attrs);

  if (words[0] != NULL)
    {
      g_autofree char *list = triad_vocabulary_quote_words (words);
      g_autofree char *tip = g_strdup_printf (
          /* TRANSLATORS: the tooltip of the text entry when words in it are outside the toy
           * world; %s is a list of quoted words; F7 opens the Vocabulary */
          _("The shipped models never saw %s: they read such a word letter by letter, so what "
            "they make of it means little. The Vocabulary (F7) lists the words they learned: "
            "lower case, without punctuation."), list);

      gtk_widget_set_tooltip_text (GTK_WIDGET (entry), tip);
    }
  else
    gtk_widget_set_tooltip_text (GTK_WIDGET (entry), plain);
  return words;
}

void
triad_vocabulary_unmark (GtkEntry *entry)
{
  gtk_entry_set_attributes (entry, NULL);
  gtk_widget_set_tooltip_text (GTK_WIDGET (entry), plain_tooltip (entry));
}

/* ---- the popover ----------------------------------------------------------------------- */

static gboolean
word_matches (GtkFlowBoxChild *child,
              gpointer         user_data)
{
  GtkEditable *search = user_data;
  const char *filter = gtk_editable_get_text (search);
  const char *word = g_object_get_data (G_OBJECT (child), "word");
  g_autofree char *folded_filter = NULL, *folded_word = NULL;

  if (filter == NULL || *filter == '\0')
    return TRUE;
  folded_filter = g_utf8_casefold (filter, -1);
  folded_word = g_utf8_casefold (word, -1);
  return strstr (folded_word, folded_filter) != NULL;
}

static void
search_changed (GtkSearchEntry *search,
                GtkWidget      *popover)
{
  gtk_flow_box_invalidate_filter (g_object_get_data (G_OBJECT (popover), "en"));
  gtk_flow_box_invalidate_filter (g_object_get_data (G_OBJECT (popover), "ru"));
}

static void
word_activated (GtkFlowBox      *box,
                GtkFlowBoxChild *child,
                GtkWidget       *popover)
{
  const char *action = g_object_get_data (G_OBJECT (popover), "action");
  const char *word = g_object_get_data (G_OBJECT (child), "word");

  gtk_widget_activate_action (popover, action, "s", word);
}

static int
compare_words (gconstpointer a,
               gconstpointer b)
{
  return g_utf8_collate (*(const char * const *) a, *(const char * const *) b);
}

/* A scrolled flow box of words; its name (en, ru) finds the box on the popover. */
static GtkWidget *
word_box (GtkWidget      *popover,
          GtkSearchEntry *search,
          GPtrArray      *words,
          const char     *name)
{
  GtkWidget *box = gtk_flow_box_new ();
  GtkWidget *scrolled = gtk_scrolled_window_new ();

  gtk_flow_box_set_selection_mode (GTK_FLOW_BOX (box), GTK_SELECTION_NONE);
  gtk_flow_box_set_activate_on_single_click (GTK_FLOW_BOX (box), TRUE);
  gtk_flow_box_set_max_children_per_line (GTK_FLOW_BOX (box), 8);
  gtk_flow_box_set_row_spacing (GTK_FLOW_BOX (box), 2);
  gtk_flow_box_set_column_spacing (GTK_FLOW_BOX (box), 2);
  gtk_flow_box_set_filter_func (GTK_FLOW_BOX (box), word_matches, search, NULL);
  g_signal_connect (box, "child-activated", G_CALLBACK (word_activated), popover);
  g_object_set_data (G_OBJECT (popover), name, box);
  g_ptr_array_sort (words, compare_words);
  for (guint i = 0; i < words->len; i++)
    {
      GtkWidget *label = gtk_label_new (words->pdata[i]);
      GtkWidget *child = gtk_flow_box_child_new ();

      gtk_flow_box_child_set_child (GTK_FLOW_BOX_CHILD (child), label);
      gtk_widget_add_css_class (child, "vocabulary-word");
      g_object_set_data_full (G_OBJECT (child), "word", g_strdup (words->pdata[i]), g_free);
      gtk_flow_box_append (GTK_FLOW_BOX (box), child);
    }
  gtk_scrolled_window_set_policy (GTK_SCROLLED_WINDOW (scrolled), GTK_POLICY_NEVER,
                                  GTK_POLICY_AUTOMATIC);
  gtk_scrolled_window_set_min_content_height (GTK_SCROLLED_WINDOW (scrolled), 300);
  gtk_scrolled_window_set_min_content_width (GTK_SCROLLED_WINDOW (scrolled), 520);
  gtk_scrolled_window_set_child (GTK_SCROLLED_WINDOW (scrolled), box);
  return scrolled;
}

/* The world's forms of one language: the lexicon lists English first, then Russian. */
static GPtrArray *
language_words (GPtrArray *lexicon,
                gboolean   russian)
{
  GPtrArray *out = g_ptr_array_new ();

  for (guint i = 0; i < lexicon->len; i++)
    {
      const char *w = lexicon->pdata[i];
      /* Russian forms start with a Cyrillic letter; English ones with a Latin letter */
      gboolean cyrillic = g_unichar_get_script (g_utf8_get_char (w)) == G_UNICODE_SCRIPT_CYRILLIC;

      if (cyrillic == russian)
        g_ptr_array_add (out, (gpointer) w);
    }
  return out;
}

GtkWidget *
triad_vocabulary_popover_new (const char *action_name)
{
  GtkWidget *popover = gtk_popover_new ();
  GtkWidget *box = gtk_box_new (GTK_ORIENTATION_VERTICAL, 6);
  GtkWidget *heading = gtk_label_new (NULL);
  GtkWidget *search = gtk_search_entry_new ();
  GtkWidget *stack = gtk_stack_new ();
  GtkWidget *switcher = gtk_stack_switcher_new ();
  g_autoptr(GPtrArray) lexicon = triad_toy_lexicon (triad_vocabulary_world ());
  g_autoptr(GPtrArray) en = language_words (lexicon, FALSE);
  g_autoptr(GPtrArray) ru = language_words (lexicon, TRUE);
  GtkWidget *en_box = word_box (popover, GTK_SEARCH_ENTRY (search), en, "en");
  GtkWidget *ru_box = word_box (popover, GTK_SEARCH_ENTRY (search), ru, "ru");

  g_object_set_data_full (G_OBJECT (popover), "action", g_strdup (action_name), g_free);

  gtk_label_set_markup (GTK_LABEL (heading),
                        /* TRANSLATORS: the heading of the Vocabulary popover; keep the tags */
                        _("<b>The toy world’s words</b>"));
  gtk_label_set_xalign (GTK_LABEL (heading), 0);
  gtk_box_append (GTK_BOX (box), heading);
  {
    GtkWidget *note = gtk_label_new (
        _("The shipped models learned these words and no others. Click a word to insert it; "
          "while typing, the arrow keys and Enter pick one of the words offered."));

    gtk_label_set_wrap (GTK_LABEL (note), TRUE);
    gtk_label_set_max_width_chars (GTK_LABEL (note), 60);
    gtk_label_set_xalign (GTK_LABEL (note), 0);
    gtk_widget_add_css_class (note, "dim-label");
    gtk_box_append (GTK_BOX (box), note);
  }
  gtk_search_entry_set_key_capture_widget (GTK_SEARCH_ENTRY (search), box);
  gtk_editable_set_width_chars (GTK_EDITABLE (search), 24);
  gtk_accessible_update_property (GTK_ACCESSIBLE (search), GTK_ACCESSIBLE_PROPERTY_LABEL,
                                  _("Filter the words"), -1);
  g_object_set (search, "placeholder-text", _("Filter the words"), NULL);
  g_signal_connect (search, "search-changed", G_CALLBACK (search_changed), popover);
  gtk_box_append (GTK_BOX (box), search);

  /* TRANSLATORS: the Vocabulary's tab of English words */
  gtk_stack_add_titled (GTK_STACK (stack), en_box, "en", C_("vocabulary", "English"));
  /* TRANSLATORS: the Vocabulary's tab of Russian words */
  gtk_stack_add_titled (GTK_STACK (stack), ru_box, "ru", C_("vocabulary", "Russian"));
  gtk_stack_switcher_set_stack (GTK_STACK_SWITCHER (switcher), GTK_STACK (stack));
  gtk_widget_set_halign (switcher, GTK_ALIGN_CENTER);
  gtk_box_append (GTK_BOX (box), switcher);
  gtk_box_append (GTK_BOX (box), stack);

  gtk_popover_set_child (GTK_POPOVER (popover), box);
  return popover;
}

/* ---- completion ------------------------------------------------------------------------ */

G_GNUC_BEGIN_IGNORE_DEPRECATIONS  /* GtkEntryCompletion: GTK 4.8 has no successor */

/* Offers a word whose start is the last word typed, at least two letters of it. */
static gboolean
completion_matches (GtkEntryCompletion *completion,
                    const char         *key,
                    GtkTreeIter        *iter,
                    gpointer            user_data)
{
  GtkTreeModel *model = gtk_entry_completion_get_model (completion);
  const char *last = key + strlen (key);
  g_autofree char *word = NULL;

  while (last > key && !is_space (last[-1]))
    last--;
  if (g_utf8_strlen (last, -1) < 2)
    return FALSE;
  gtk_tree_model_get (model, iter, 0, &word, -1);
  return g_str_has_prefix (word, last) && strcmp (word, last) != 0;
}

static gboolean
completion_chosen (GtkEntryCompletion *completion,
                   GtkTreeModel       *model,
                   GtkTreeIter        *iter,
                   gpointer            user_data)
{
  GtkEditable *entry = GTK_EDITABLE (gtk_entry_completion_get_entry (completion));
  g_autofree char *word = NULL;
  g_autofree char *text = NULL;

  gtk_tree_model_get (model, iter, 0, &word, -1);
  text = triad_vocabulary_complete_word (gtk_editable_get_text (entry), word);
  gtk_editable_set_text (entry, text);
  gtk_editable_set_position (entry, -1);
  return TRUE;
}

void
triad_vocabulary_add_completion (GtkEntry *entry)
{
  g_autoptr(GtkEntryCompletion) completion = gtk_entry_completion_new ();
  g_autoptr(GtkListStore) store = gtk_list_store_new (1, G_TYPE_STRING);
  g_autoptr(GPtrArray) lexicon = triad_toy_lexicon (triad_vocabulary_world ());

  for (guint i = 0; i < lexicon->len; i++)
    gtk_list_store_insert_with_values (store, NULL, -1, 0, lexicon->pdata[i], -1);
  gtk_entry_completion_set_model (completion, GTK_TREE_MODEL (store));
  gtk_entry_completion_set_text_column (completion, 0);
  gtk_entry_completion_set_minimum_key_length (completion, 2);
  gtk_entry_completion_set_match_func (completion, completion_matches, NULL, NULL);
  gtk_entry_completion_set_inline_completion (completion, FALSE);
  gtk_entry_completion_set_popup_single_match (completion, TRUE);
  g_signal_connect (completion, "match-selected", G_CALLBACK (completion_chosen), NULL);
  gtk_entry_set_completion (entry, completion);
}

G_GNUC_END_IGNORE_DEPRECATIONS

/* ---- editing --------------------------------------------------------------------------- */

char *
triad_vocabulary_insert_word (const char *text,
                              int         at,
                              const char *word,
                              int        *new_at)
{
  glong n = g_utf8_strlen (text, -1);
  const char *p = g_utf8_offset_to_pointer (text, CLAMP (at, 0, n));
  GString *out = g_string_new_len (text, p - text);

  if (p > text && !is_space (g_utf8_prev_char (p)[0]))
    g_string_append_c (out, ' ');
  g_string_append (out, word);
  if (new_at != NULL)
    *new_at = (int) g_utf8_strlen (out->str, -1);
  if (*p != '\0' && !is_space (*p))
    g_string_append_c (out, ' ');
  g_string_append (out, p);
  return g_string_free (out, FALSE);
}

char *
triad_vocabulary_complete_word (const char *text,
                                const char *word)
{
  const char *last = text + strlen (text);
  GString *out;

  while (last > text && !is_space (last[-1]))
    last--;
  out = g_string_new_len (text, last - text);
  g_string_append (out, word);
  return g_string_free (out, FALSE);
}
