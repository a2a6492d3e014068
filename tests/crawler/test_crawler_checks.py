"""The crawler's own checks find what they are meant to find (and nothing else)."""

from __future__ import annotations

from .crawling import pattern, prefix_language
from .latin import latin_words
from .reading import read_page

PAGE = """<!doctype html><html lang="ar" dir="rtl"><head><title>الدروس</title>
<script>var hidden = "Latin in a script";</script></head><body>
<a href="/ar/courses/">الدروس</a><a href="/fr/" lang="fr">Français</a>
<div hidden><a href="/ar/secret/">Hidden link text</a></div>
<a href="/admin/bulk/x/delete/" data-bulk-action-button>حذف</a>
<img src="/static/logo.svg" alt="Logo">
<p>مرحبا Fatima، رمزك ABCD-EFGH-JKMN-PQRS و fatima@example.com و 12 MB. Bienvenue</p>
<form method="get" action="/ar/certificates/verify/"><input name="code" value="X">
<input type="checkbox" name="off"><select name="s"><option value="a">أ</option>
<option value="b" selected>ب</option></select></form>
</body></html>"""


def test_the_reader_finds_the_links_forms_and_shown_words_of_a_page() -> None:
    page = read_page(PAGE)

    assert page.html == {"lang": "ar", "dir": "rtl"}
    # Hidden links are followed: menus that a script opens hold them. Bulk actions are not.
    assert page.links == ["/ar/courses/", "/fr/", "/ar/secret/"]
    assert page.assets == ["/static/logo.svg"]
    [form] = page.forms
    assert (form.method, form.action, form.fields) == (
        "get",
        "/ar/certificates/verify/",
        [("code", "X"), ("s", "b")],
    )
    shown = " ".join(text for _language, text in page.words)
    assert "Logo" in shown
    assert "script" not in shown and "Hidden" not in shown


def test_latin_words_are_found_unless_they_are_names_codes_or_marked_in_another_language() -> None:
    page = read_page(PAGE)

    assert latin_words(page.words, names={"fatima"}) == ["Logo", "Bienvenue"]


def test_addresses_are_read_by_their_language_and_their_kind() -> None:
    assert prefix_language("/ar/courses/") == "ar"
    assert prefix_language("/admin/pages/") == ""
    assert pattern("/admin/pages/12/edit/") == "/admin/pages/<id>/edit/"
    assert pattern("/ar/certificates/verify/ABCD-EFGH-JKMN-PQRS/") == (
        "/ar/certificates/verify/<id>/"
    )
