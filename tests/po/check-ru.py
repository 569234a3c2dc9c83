#!/usr/bin/python3
# check-ru.py — the Russian catalogue's terms, typography and agreement with numbers.
#
# msgfmt checks that po/ru.po compiles and that its printf directives match the English; it
# cannot see that a dash may start a line, that one concept has two names, or that
# "%s байт" reads wrong after 131 072. This reads every msgstr of po/ru.po and fails, listing
# the offending messages, when:
#   - msgfmt --check fails, or a message is fuzzy or untranslated;
#   - a dash (« — », « – ») follows an ordinary space, so that it can start a line;
#   - a number (digits or a printf directive) and its unit (байт, ГБ, токенов, мс, %, тыс. …)
#     are joined by an ordinary space, or a "%" follows a number with no space at all;
#   - digits are grouped by anything but a no-break space (U+00A0, as src/engine/numbers.c
#     writes them in Russian), or a number of five digits or more is not grouped (unless it is
#     an option's value written as it is typed, e.g. "--params 7000000000");
#   - quotes are not «ёлочки» (with „лапки“ only inside them);
#   - a term strays from the glossary: «кэш KV», «кэш ключей и значений» other than as the
#     gloss of «KV-кэш», «квантизация», decoder-only / encoder-only named otherwise than
#     модель «только декодировщик» / «только кодировщик», «пересказ» for a summary,
#     «запрос» for a prompt (it is the query, Q), an objective not «целевая функция»;
#   - a view is named («вид «…»») by a title the window does not have (the titles are read
#     from the views table of src/app/triad-window.c and looked up in the catalogue);
#   - a message that is not plural (no msgid_plural) puts a counted noun right after a
#     number, as in «%d голов» or «(%s байт)»: in Russian the noun's form depends on the
#     number, so such a message needs ngettext or a phrasing with the noun first
#     («голов K/V: %d», «байт: %s»); and a plural message's form for 5, 6 … makes its verb
#     plural («%u рисунков сохранены» for «сохранено»).
#
# Usage: check-ru.py PO_FILE WINDOW_C MSGFMT

import re
import subprocess
import sys

NBSP = "\u00a0"

# A printf conversion as the catalogue's c-format messages write them, %<PRId64> included.
DIRECTIVE = r"%(?:\d+\$)?[-+ #0']*(?:\d+|\*)?(?:\.(?:\d+|\*))?(?:hh|h|ll|l|z|j|t)?[diouxXfFeEgGs]" \
            r"|%'?<PRI[diux]64>"
NUMBER = r"(?:\d|" + DIRECTIVE + r")"

# Units written after a number: byte sizes, tokens, time, bits, pixels, points, FLOPs and
# the abbreviations of thousand, million, billion.
UNITS = r"(?:байт[а-яё]*|[кКМГТПЭ]и?Б|Б|токен[а-яё]*|мс|бит[а-яё]*|пикс\.|пиксел[а-яё]*|пт|" \
        r"дюйм[а-яё]*|dpi|FLOP|тыс\.|млн|млрд)(?![а-яёА-ЯЁ])"

# Nouns whose form follows the number before them: «1 токен», «2 токена», «5 токенов».
COUNTED = r"(?:токен|байт|бит|сло(?:й|я|ёв|ев)|голов|позици|рисун|шаг|значени|чис(?:ло|ла|ел)|" \
          r"моделей|последовательност|параметр|измерени|тензор|элемент|блок|раз|пиксел|строк|" \
          r"столб|пример|поток|секунд|символ)[а-яё]*(?![а-яёА-ЯЁ])"


def unquote(s):
    s = s.strip()
    assert s.startswith('"') and s.endswith('"'), s
    return re.sub(r'\\(.)', lambda m: {"n": "\n", "t": "\t"}.get(m.group(1), m.group(1)),
                  s[1:-1])


def parse(path):
    """The catalogue's entries: dicts of fields (msgid, msgstr[0] …), flags and line."""
    entries, cur, field = [], None, None
    with open(path, encoding="utf-8") as f:
        for number, line in enumerate(f, 1):
            line = line.rstrip("\n")
            if not line.strip():
                if cur:
                    entries.append(cur)
                cur = None
                continue
            if cur is None:
                cur = {"line": number, "flags": set(), "fields": {}}
            if line.startswith("#~"):
                cur["obsolete"] = True
            elif line.startswith("#,"):
                cur["flags"].update(x.strip() for x in line[2:].split(","))
            elif line.startswith("#"):
                pass
            else:
                m = re.match(r'(msgctxt|msgid_plural|msgid|msgstr(?:\[\d\])?)\s+(".*")$', line)
                if m:
                    field = m.group(1)
                    cur["fields"][field] = unquote(m.group(2))
                else:
                    cur["fields"][field] += unquote(line)
    if cur:
        entries.append(cur)
    return [e for e in entries if not e.get("obsolete") and e["fields"].get("msgid")]


def msgstrs(entry):
    return [v for k, v in sorted(entry["fields"].items()) if k.startswith("msgstr")]


def strip_markup(s):
    return re.sub(r"<[^>]*>", "", s)


def view_titles(window_c, entries):
    """The Russian titles of the window's views: the views table's N_() strings, translated."""
    with open(window_c, encoding="utf-8") as f:
        source = f.read()
    english = re.findall(r'\{\s*"[a-z]+",\s*N_\("([^"]+)"\),\s*triad_\w+_get_type\s*\}', source)
    titles = set()
    for e in entries:
        if e["fields"]["msgid"] in english and "msgctxt" not in e["fields"]:
            titles.add(e["fields"]["msgstr"])
    return english, titles


def check_msgfmt(msgfmt, path):
    run = subprocess.run([msgfmt, "--check", "--statistics", "-o", "/dev/null", path],
                         capture_output=True, text=True)
    problems = []
    if run.returncode != 0:
        problems.append(("msgfmt --check", run.stderr.strip()))
    elif re.search(r"fuzzy|untranslated", run.stderr):
        problems.append(("msgfmt --statistics", run.stderr.strip()))
    return problems


def check_entry(entry, titles):
    """The problems of one message, as short descriptions."""
    msgid = entry["fields"]["msgid"]
    c_format = "c-format" in entry["flags"]
    plural = "msgid_plural" in entry["fields"]
    found = []

    if "fuzzy" in entry["flags"]:
        found.append("fuzzy")
    for s in msgstrs(entry):
        if not s:
            found.append("untranslated")
            continue
        text = strip_markup(s)

        # Typography
        if re.search(r" [—–]", text):
            found.append("an ordinary space before a dash: it can start a line (use U+00A0)")
        if re.search(NUMBER + r" " + UNITS, text):
            found.append("an ordinary space between a number and its unit (use U+00A0)")
        percent = "%%" if c_format else "%"
        if re.search(NUMBER + r"[ ]?" + re.escape(percent), text):
            found.append("no no-break space before «%»")
        if re.search(r"\d[ \u202f\u2009]\d{3}(?!\d)", text):
            found.append("digits grouped by something else than a no-break space (U+00A0)")
        if entry["fields"].get("msgctxt") in ("bytes", "gpu", "tokens") and " " in text:
            found.append("an ordinary space between a number and its unit (use U+00A0)")
        for m in re.finditer(r"(?<![\d.,])\d{5,}", text):
            # an option's value as it is typed on the command line stays as the English has it
            if not ("--" in msgid and re.search(r"(?<!\d)" + m.group(0) + r"(?!\d)", msgid)):
                found.append("a number of five digits or more without thousands separators")
        if re.search(r"[“”\"]", text):
            found.append("quotes other than «ёлочки»")
        depth = 0
        for ch in text:
            if ch == "«":
                depth += 1
                if depth > 1:
                    found.append("«ёлочки» inside «ёлочки»: use „лапки“ inside")
            elif ch == "»":
                depth -= 1
            elif ch == "„" and depth == 0:
                found.append("„лапки“ outside «ёлочки»")

        # Terms
        if re.search(r"кэш[а-яё]*\s+KV", text, re.I):
            found.append("«кэш KV»: the term is «KV-кэш»")
        for m in re.finditer(r"(?<![а-яё])кэш(?:а|е|ем|у)?\s+ключей\s+и\s+значений", text,
                             re.I):
            before = text[:m.start()]
            if not re.search(r"(?:KV-кэш[а-яё]*\s*(?:\(|—)\s*|;)$", before):
                found.append("«кэш ключей и значений» where the term is «KV-кэш» (it may only "
                             "gloss it: «KV-кэш (кэш ключей и значений)»)")
        if re.search(r"квантиз", text, re.I):
            found.append("«квантизация»: the term is «квантование»")
        if re.search(r"только\s+с\s+(?:де)?кодировщик|модел[а-яё]*-(?:де)?кодировщик"
                     r"|из\s+одного\s+декодировщик", text, re.I):
            found.append("decoder-only / encoder-only: the term is модель «только декодировщик» "
                         "/ «только кодировщик»")
        if re.search(r"пересказ", text, re.I):
            found.append("«пересказ»: a summary is «краткое содержание»")
        if re.search(r"\bprompt", msgid, re.I) and re.search(r"запрос", text, re.I):
            found.append("«запрос» in a message about a prompt: a prompt is «промпт», «запрос» "
                         "is the query")
        if re.search(r"\bobjective", msgid, re.I) and not re.search(r"целев[а-яё]+\s+функци",
                                                                   text, re.I):
            found.append("an objective is «целевая функция»")
        for m in re.finditer(r"\b[Вв]ид[а-яё]*\s+«([^»]*)»", text):
            if "%" not in m.group(1) and m.group(1) not in titles:
                found.append("the view «%s» does not exist (the views: %s)"
                             % (m.group(1), ", ".join("«%s»" % t for t in sorted(titles))))

        # Agreement with a number
        if c_format and not plural:
            for m in re.finditer(r"(?:" + DIRECTIVE + r")[ " + NBSP + r"]+(" + COUNTED + r")",
                                 text):
                found.append("«%s» after a number in a message without plural forms: use "
                             "ngettext, or put the noun first («%s: %%d»)"
                             % (m.group(0), m.group(1)))
    # The form for 5, 6 … (msgstr[2]) takes a genitive plural subject, and its verb is
    # neuter singular: «5 рисунков сохранено», not «сохранены».
    many = entry["fields"].get("msgstr[2]", "")
    m = re.search(r"(?:" + DIRECTIVE + r")[ " + NBSP + r"]+[а-яё]+[ " + NBSP + r"]+"
                  r"([а-яё]+(?:ены|аны|яны|ыты|иты))(?![а-яё])", many)
    if m:
        found.append("«%s» in the form for 5, 6 …: the verb is neuter singular there "
                     "(«5 рисунков сохранено»)" % m.group(0))
    return found


def main():
    if len(sys.argv) != 4:
        print("usage: check-ru.py PO_FILE WINDOW_C MSGFMT", file=sys.stderr)
        return 2
    path, window_c, msgfmt = sys.argv[1:]
    entries = parse(path)
    english, titles = view_titles(window_c, entries)
    failures = check_msgfmt(msgfmt, path)

    # Sanity: the parse and the views table must both have been read, or every check passes.
    if len(entries) < 500:
        failures.append(("parse", "only %d messages read from %s" % (len(entries), path)))
    if len(english) < 5 or len(titles) != len(english):
        failures.append(("views", "view titles %r, translated %r" % (english, sorted(titles))))

    n_messages = 0
    for e in entries:
        problems = check_entry(e, titles)
        if problems:
            n_messages += 1
            for p in dict.fromkeys(problems):
                failures.append(("%s:%d" % (path, e["line"]), "%s\n    msgid: %s\n    msgstr: %s"
                                 % (p, e["fields"]["msgid"][:160],
                                    " | ".join(msgstrs(e))[:240])))
    for where, what in failures:
        print("%s: %s" % (where, what))
    print("%d messages read; %d with problems; %d problems" % (len(entries), n_messages,
                                                               len(failures)))
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main())
