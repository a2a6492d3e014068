"""In Arabic pages, every phone number, ID number, RIB or code example reads left to right on
one line: each sits in an element with ``dir="ltr"`` (a ``<bdi>`` the stylesheet keeps from
wrapping), never loose in right-to-left text where its groups of digits would be reversed."""

from __future__ import annotations

import re
from html.parser import HTMLParser

import pytest

from lms.courses import services
from maalem.core.phones import example_phone
from tests.builders import make_learner

from .onboarding_builders import (
    application_url,
    form_data,
    make_case,
    make_craft,
    make_rule,
    quick_course,
)

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("kyc")]

# What an example looks like: groups of digits ("06 12 34 56 78"), letters then digits
# ("BE471203"), or a long number (a RIB, a code).
EXAMPLE = re.compile(r"\+?\d+(?:[ .\-]\d+)+|[A-Za-z]+\d+|\d{5,}")
VOID = {"input", "br", "img", "meta", "link", "hr", "source", "use", "path"}


class LooseExamples(HTMLParser):
    """Collects the examples in the page's main text that no ``dir="ltr"`` element isolates."""

    def __init__(self) -> None:
        super().__init__()
        self.stack: list[tuple[str, bool]] = []
        self.loose: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag in VOID:
            return
        isolated = dict(attrs).get("dir") == "ltr" or any(i for _t, i in self.stack[-1:])
        self.stack.append((tag, isolated or tag in ("script", "style", "title")))

    def handle_endtag(self, tag: str) -> None:
        while self.stack:
            if self.stack.pop()[0] == tag:
                break

    def handle_data(self, data: str) -> None:
        in_main = any(tag == "main" for tag, _i in self.stack)
        isolated = bool(self.stack) and self.stack[-1][1]
        if in_main and not isolated:
            self.loose.extend(EXAMPLE.findall(data))


def loose_examples(page: str) -> list[str]:
    parser = LooseExamples()
    parser.feed(page)
    return parser.loose


def test_every_example_in_the_arabic_application_form_is_direction_isolated(client):
    case = make_case()
    client.force_login(case.learner)

    empty = client.get(application_url(case, "ar")).content.decode()
    with_mistakes = client.post(
        application_url(case, "ar"),
        form_data(make_craft(), cin="ABC12", phone="abc", payout_method="bank", rib="1234"),
    ).content.decode()

    assert example_phone() in empty and "BE471203" in with_mistakes
    assert loose_examples(empty) == []
    assert loose_examples(with_mistakes) == []


def test_every_example_in_the_arabic_sign_in_page_is_direction_isolated(client):
    page = client.post("/ar/learn/sign-in/", {"phone": "abc"}).content.decode()

    assert "06 12 34 56 78" in page
    assert loose_examples(page) == []


def test_every_number_in_the_arabic_road_to_selling_is_direction_isolated(client):
    learner = make_learner()
    course = quick_course()
    make_rule(course, quick_course())
    services.enrol(learner, course)
    client.force_login(learner)

    page = client.get("/ar/onboarding/").content.decode()

    assert loose_examples(page) == []


def test_a_loose_example_is_found():
    assert loose_examples("<main><p>مثال: 06 12 34 56 78</p></main>") == ["06 12 34 56 78"]
    assert loose_examples('<main><p>مثال: <bdi dir="ltr">06 12 34 56 78</bdi></p></main>') == []
