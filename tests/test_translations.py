"""The interface speaks Arabic and French: complete catalogues, compiled as committed, and in use.

English is the source language: its catalogues stay empty but exist, so that English is a
declared language like the others.
"""

from __future__ import annotations

import gettext
import re
from pathlib import Path

import polib
import pytest
from django.urls import reverse
from django.utils import translation

from lms.certificates.issuing import issue_certificate
from lms.courses import services
from tests.builders import complete, lessons_of, make_arabic_copy, make_course, make_learner

ROOT = Path(__file__).resolve().parent.parent
APPS = [
    "maalem/core",
    "lms/accounts",
    "lms/certificates",
    "lms/courses",
    "lms/crafts",
    "onboarding",
    "onboarding/marketplace",
    "demo",
]
TRANSLATED = ["ar", "fr"]
PLURAL_FORMS = {
    "ar": (
        "nplurals=6; plural=n==0 ? 0 : n==1 ? 1 : n==2 ? 2 : "
        "n%100>=3 && n%100<=10 ? 3 : n%100>=11 ? 4 : 5;"
    ),
    "fr": "nplurals=2; plural=(n > 1);",
}
# %(name)s-style placeholders and the escaped percent sign; python-format only.
PLACEHOLDER = re.compile(r"%\([a-z_]+\)[sd]|%%")

CATALOGUES = [(app, language) for app in APPS for language in TRANSLATED]


def catalogue(app: str, language: str, extension: str = "po") -> Path:
    return ROOT / app / "locale" / language / "LC_MESSAGES" / f"django.{extension}"


def entry_name(entry: polib.POEntry) -> str:
    return f"{entry.linenum}: {entry.msgid!r}"


def translations_of(entry: polib.POEntry) -> list[str]:
    if entry.msgid_plural:
        return [entry.msgstr_plural[form] for form in sorted(entry.msgstr_plural)]
    return [entry.msgstr]


@pytest.mark.parametrize(("app", "language"), CATALOGUES)
def test_every_interface_string_is_translated_and_checked(app: str, language: str) -> None:
    po = polib.pofile(str(catalogue(app, language)))
    nplurals = int(PLURAL_FORMS[language].split(";")[0].split("=")[1])
    problems = [
        f"{entry_name(entry)} is untranslated"
        for entry in po
        if not entry.obsolete and not all(translations_of(entry))
    ]
    problems += [f"{entry_name(entry)} is fuzzy" for entry in po if entry.fuzzy]
    problems += [
        f"{entry_name(entry)} has {len(entry.msgstr_plural)} plural forms, not {nplurals}"
        for entry in po
        if entry.msgid_plural and len(entry.msgstr_plural) != nplurals
    ]
    assert not po.metadata_is_fuzzy, "the header is still marked fuzzy"
    assert po.metadata["Language"] == language
    assert po.metadata["Plural-Forms"] == PLURAL_FORMS[language]
    assert len(po) > 0
    assert not problems, "\n".join(problems)


# The placeholders that carry the count of a plural message.
COUNT = re.compile(r"%\((?:n|count|counter|minutes)\)[sd]")
# Arabic plural forms that stand for a single number (0, 1 and 2): their words say the number
# ("محاولة واحدة", "محاولتان"), so they may leave the numeral out.
ARABIC_WORDED_FORMS = {0, 1, 2}


def placeholders(text: str) -> list[str]:
    return sorted(PLACEHOLDER.findall(text))


@pytest.mark.parametrize(("app", "language"), CATALOGUES)
def test_translations_keep_every_placeholder_of_the_english(app: str, language: str) -> None:
    problems = []
    for entry in polib.pofile(str(catalogue(app, language))):
        wanted = placeholders(entry.msgid)
        # A form may follow the English singular or the English plural: "Another case…" and
        # "%(counter)s other cases…" are both right for a form that covers one number.
        allowed = [wanted, placeholders(entry.msgid_plural)] if entry.msgid_plural else [wanted]
        forms = dict(enumerate(translations_of(entry)))
        for form, text in forms.items():
            found = placeholders(text)
            if entry.msgid_plural and language == "ar" and form in ARABIC_WORDED_FORMS:
                found = sorted({*found, *COUNT.findall(entry.msgid)})
                allowed = [*allowed, sorted({*found, *COUNT.findall(entry.msgid_plural)})]
            if found not in allowed:
                problems.append(f"{entry_name(entry)} -> {text!r}")
    assert not problems, "\n".join(problems)


@pytest.mark.parametrize(("app", "language"), CATALOGUES)
def test_the_committed_mo_file_is_compiled_from_the_po_file(app: str, language: str) -> None:
    with catalogue(app, language, "mo").open("rb") as mo_file:
        compiled = gettext.GNUTranslations(mo_file)
    stale = []
    for entry in polib.pofile(str(catalogue(app, language))):
        if entry.msgid_plural:
            for form, expected in entry.msgstr_plural.items():
                # The smallest count that takes this plural form in this language.
                n = next(n for n in range(200) if compiled.plural(n) == form)
                if compiled.ngettext(entry.msgid, entry.msgid_plural, n) != expected:
                    stale.append(f"{entry_name(entry)} (form {form})")
        elif entry.msgctxt and compiled.pgettext(entry.msgctxt, entry.msgid) != entry.msgstr:
            stale.append(entry_name(entry))
        elif not entry.msgctxt and compiled.gettext(entry.msgid) != entry.msgstr:
            stale.append(entry_name(entry))
    assert not stale, "run compilemessages; out of date:\n" + "\n".join(stale)


@pytest.mark.parametrize("app", APPS)
def test_english_is_declared_with_the_same_strings_as_the_translations(app: str) -> None:
    english = polib.pofile(str(catalogue(app, "en")))
    french = polib.pofile(str(catalogue(app, "fr")))
    assert catalogue(app, "en", "mo").exists()
    assert english.metadata["Language"] == "en"
    assert {entry.msgid for entry in english} == {entry.msgid for entry in french}
    # English is the source: a translated English entry would silently reword the interface.
    assert [entry.msgid for entry in english if any(translations_of(entry))] == []


# The interface phrases a learner sees on the pages below, and what each language must show.
PHRASES = {
    "ar": {
        "My learning": "تعلّمي",
        "Sign out": "تسجيل الخروج",
        "Lessons": "الدروس",
        "Your progress": "تقدّمك",
        "Done, next lesson": "تمّ، الدرس التالي",
        "Check my answers": "تحقّق من أجوبتي",
    },
    "fr": {
        "My learning": "Mon apprentissage",
        "Sign out": "Se déconnecter",
        "Lessons": "Leçons",
        "Your progress": "Votre progression",
        "Done, next lesson": "Terminé, leçon suivante",
        "Check my answers": "Vérifier mes réponses",
    },
}
# Which of the phrases each page shows to an enrolled learner.
PAGE_PHRASES = {
    "course": ["My learning", "Sign out", "Lessons", "Your progress"],
    "lesson": ["My learning", "Sign out", "Lessons", "Done, next lesson"],
    "quiz": ["My learning", "Sign out", "Check my answers"],
    "my learning": ["My learning", "Sign out"],
}


@pytest.mark.django_db
@pytest.mark.parametrize("language", TRANSLATED)
def test_learner_pages_show_the_interface_in_the_learners_language(client, language: str) -> None:
    course = make_course(lessons=2, quiz=True)
    lessons = lessons_of(course)
    if language == "ar":
        course = make_arabic_copy(course, "الدفع بالهاتف")
        lessons = [make_arabic_copy(lesson, f"الدرس {n}") for n, lesson in enumerate(lessons, 1)]
    learner = make_learner()
    services.enrol(learner, course)
    client.force_login(learner)
    with translation.override(language):
        my_learning_url = reverse("lms:my_learning")
    urls = {
        "course": course.url,
        "lesson": lessons[0].url,
        "quiz": lessons[-1].url,
        "my learning": my_learning_url,
    }

    problems = []
    for page, url in urls.items():
        assert url.startswith(f"/{language}/")
        response = client.get(url)
        assert response.status_code == 200, url
        html = response.content.decode()
        assert f'<html lang="{language}"' in html
        for english in PAGE_PHRASES[page]:
            if english in html:
                problems.append(f"{page}: {english!r} is still in English")
            if PHRASES[language][english] not in html:
                problems.append(f"{page}: {PHRASES[language][english]!r} is missing")
    assert not problems, "\n".join(problems)


# What anyone holding a printed certificate reads on its public verification page.
VERIFY_PHRASES = {
    "ar": {
        "Certificate check": "التحقق من الشهادة",
        "Valid certificate": "شهادة صالحة",
        "Issued by": "صادرة عن",
        "Check another certificate": "تحقّق من شهادة أخرى",
    },
    "fr": {
        "Certificate check": "Vérification du certificat",
        "Valid certificate": "Certificat valide",
        "Issued by": "Délivré par",
        "Check another certificate": "Vérifier un autre certificat",
    },
}


@pytest.mark.django_db
@pytest.mark.parametrize("language", TRANSLATED)
def test_the_certificate_verification_page_speaks_the_visitors_language(
    client, language: str
) -> None:
    course = make_course(title="Photographier ses produits", lessons=1, quiz=False)
    make_arabic_copy(course, "تصوير المنتجات")
    completion = complete(make_learner(first_name="Youssef", last_name="Amrani"), course)
    # Issued here rather than by the after-commit receiver, which never runs in a test
    # transaction; the PDF, rendered after commit too, is not needed by the page.
    certificate = issue_certificate(completion)
    assert certificate is not None

    response = client.get(f"/{language}/certificates/verify/{certificate.display_code}/")

    assert response.status_code == 200
    html = response.content.decode()
    assert f'<html lang="{language}"' in html
    problems = []
    for english, translated in VERIFY_PHRASES[language].items():
        if english in html:
            problems.append(f"{english!r} is still in English")
        if translated not in html:
            problems.append(f"{translated!r} is missing")
    assert not problems, "\n".join(problems)
