"""Punctuation and plural forms, checked as a class over every catalogue and learner template.

Arabic writes "،" and "؟", and says one and two in words ("محاولة واحدة", "محاولتان"); French puts
a narrow no-break space (U+202F) before ":", "?", "!" and ";". A colon or comma glued to a value
in a template is the same in every language, so it belongs inside the translated string.
"""

from __future__ import annotations

import gettext
import re
from pathlib import Path

import polib
import pytest

from tests.test_translations import APPS, COUNT, ROOT, catalogue, entry_name


@pytest.mark.parametrize("app", APPS)
def test_arabic_plurals_are_wrong_when_they_write_the_number_of_one_or_two(app: str) -> None:
    """'بقيت لك 2 محاولتان': the dual and the singular say the number in their words; from three
    on, the number is written."""
    problems = []
    for entry in polib.pofile(str(catalogue(app, "ar"))):
        count = COUNT.findall(entry.msgid)
        if not entry.msgid_plural or not count:
            continue
        for form, text in entry.msgstr_plural.items():
            written = any(placeholder in text for placeholder in count)
            if form in (1, 2) and written:
                problems.append(f"{entry_name(entry)} form {form} writes the number: {text!r}")
            if form in (3, 4, 5) and not written:
                problems.append(f"{entry_name(entry)} form {form} lacks the number: {text!r}")
    assert not problems, "\n".join(problems)


def compiled_messages(app: str, language: str) -> list[str]:
    """Every translated text of the compiled catalogue, as the pages get it."""
    with catalogue(app, language, "mo").open("rb") as mo_file:
        compiled = gettext.GNUTranslations(mo_file)
    texts = vars(compiled)["_catalog"].values()
    return [text for text in texts if text and not text.startswith("Project-Id-Version")]


ARABIC_LETTER = "\u0600-\u06ff"
LATIN_PUNCTUATION_IN_ARABIC = re.compile(
    rf"[{ARABIC_LETTER}][\)»]?\s*[,?]|[,?]\s*[«\(]?[{ARABIC_LETTER}]"
)


@pytest.mark.parametrize("app", APPS)
def test_arabic_uses_the_arabic_comma_and_question_mark(app: str) -> None:
    wrong = [
        text for text in compiled_messages(app, "ar") if LATIN_PUNCTUATION_IN_ARABIC.search(text)
    ]
    assert not wrong, "\n".join(wrong)


def without_markup(text: str) -> str:
    return re.sub(r"%\([a-z_]+\)[sd]|<[^>]*>|[a-z]+://\S+", "", text)


@pytest.mark.parametrize("app", APPS)
def test_french_puts_a_narrow_no_break_space_before_colons_and_question_marks(app: str) -> None:
    """ "Niveau : Débutant", "Pas de SMS ?": U+202F before ":", "?", "!" and ";"."""
    wrong = [
        text
        for text in compiled_messages(app, "fr")
        if re.search(r"[^\u202f][:?!;]|^[:?!;]", without_markup(text))
    ]
    assert not wrong, "\n".join(repr(text) for text in wrong)


DOUBLED = re.compile(r"[.?!:;،؟]\s*:")
GLUED_COLON = re.compile(r"(%\}|\}\})[ \u00a0]?:")
# "البيع في سوق إلكتروني, 2 دجنبر": a comma written in code is Latin in every language.
GLUED_COMMA = re.compile(r"(%\}|\}\}|</span>|</bdi>), ")
TEMPLATE_ROOTS = ["lms", "onboarding", "maalem", "demo"]
# Inside a translated block the colon is the translator's.
TRANSLATED_BLOCK = re.compile(r"\{% blocktranslate.*?\{% endblocktranslate %\}", re.DOTALL)


def learner_templates() -> list[Path]:
    return [
        path
        for root in TEMPLATE_ROOTS
        for path in (ROOT / root).rglob("templates/**/*.html")
        if "/admin/" not in str(path) and "/pdf/" not in str(path)
    ]


@pytest.mark.parametrize("app", APPS)
@pytest.mark.parametrize("language", ["ar", "fr"])
def test_some_punctuation_is_doubled_in_no_catalogue(app: str, language: str) -> None:
    wrong = [
        text for text in compiled_messages(app, language) if DOUBLED.search(without_markup(text))
    ]
    assert not wrong, "\n".join(wrong)


def test_no_learner_template_glues_a_colon_to_a_translated_label() -> None:
    """'{% translate "Level" %}: …' gives '.:' after a label that ends with a full stop, and no
    narrow space in French: the colon belongs inside the translated string."""
    glued = [
        f"{path.relative_to(ROOT)}: {match.group(0)!r}"
        for path in learner_templates()
        for match in GLUED_COLON.finditer(TRANSLATED_BLOCK.sub("", path.read_text()))
    ]
    assert glued == []


def test_no_learner_template_writes_a_latin_comma_between_values() -> None:
    """The comma between two values belongs to the language: "،" in Arabic."""
    glued = [
        f"{path.relative_to(ROOT)}: {match.group(0)!r}"
        for path in learner_templates()
        for match in GLUED_COMMA.finditer(TRANSLATED_BLOCK.sub("", path.read_text()))
    ]
    assert glued == []
