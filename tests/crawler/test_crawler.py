"""Every page answers, in every language, for every role: a walk of the demo site.

The demo (``load_demo_data``, what ``make run`` shows) is built once for the module, inside a
transaction rolled back at the end. Then each person walks it from the home page and the
catalogue in Arabic, French and English (staff also from the admin), following every link and
form a person could use; see :mod:`tests.crawler.crawling` for what is checked and what is left
alone. Each person's walk is rolled back, so no walk sees another's traces.

Problems that wait for work in another part of the project are listed in ``KNOWN_ISSUES``,
each as (role, address pattern): they are left out of the role's test and each gets its own
test, expected to fail until it is fixed. Delete an entry once its test passes.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterator
from io import StringIO
from typing import Any

import pytest
from django.conf import settings
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group, Permission
from django.core.management import call_command
from django.db import transaction
from django.test import Client, override_settings
from wagtail.models import Locale
from wagtail.users.models import UserProfile

from lms.certificates import issuing
from lms.courses.models import CourseCompletion, CourseIndexPage
from onboarding.admin_views.cases import OPERATOR_CODENAMES
from onboarding.marketplace import basket as baskets
from onboarding.marketplace.models import Product

from .crawling import Crawler, Problem
from .latin import names_from_data

# The first test builds the demo before its walk: a few minutes on a busy machine.
pytestmark = [pytest.mark.crawler, pytest.mark.django_db, pytest.mark.timeout(900)]

# Who walks the site: the demo's people at each stage (see demo/people.py, demo/onboarding.py).
ROLES = {
    "anonymous": None,
    "new": "fatima",  # enrolled in nothing
    "learning": "youssef",  # one lesson of the first course done
    "certified": "hassan",  # the whole path done, certificates issued, application not started
    "seller": "latifa",  # account active, shop live on the marketplace
    "trainer": "trainer",  # Trainers group, admin in Arabic
    "operator": "operator",  # onboarding operator permissions, admin in the site's language
}
STAFF = {"trainer", "operator"}

# (role, address pattern as a regular expression) → why it cannot pass yet.
KNOWN_ISSUES: dict[tuple[str, str], str] = {
    ("operator", r"/admin/pages/"): (
        "The admin dashboard shows a page search form to operators, who have no page "
        "permissions: sending it sends them back with Wagtail's 'no permission' message."
    ),
    ("trainer", r"/admin/pages/\d+/(history|usage)/"): (
        "The page explorer links to the history and usage of the site's home page, outside "
        "the trainer's course subtree: following them sends the trainer back to the dashboard."
    ),
}


def admin_language(client: Client) -> str:
    """The language Wagtail shows the admin in: the user's choice, else the visitor's."""
    user = get_user_model().objects.get(pk=client.session["_auth_user_id"])
    chosen = UserProfile.get_for_user(user).preferred_language
    cookie = client.cookies.get(settings.LANGUAGE_COOKIE_NAME)
    return chosen or (cookie.value if cookie else "") or settings.LANGUAGE_CODE


def make_operator() -> Any:
    group, _ = Group.objects.get_or_create(name="Onboarding operators")
    group.permissions.add(
        Permission.objects.get(codename="access_admin"),
        *Permission.objects.filter(codename__in=OPERATOR_CODENAMES),
    )
    user = get_user_model().objects.create_user(
        "operator", first_name="Karim", last_name="Idrissi", is_staff=True
    )
    user.groups.add(group)
    return user


def issue_certificates() -> None:
    # Certificates are issued after the commit, which the module's transaction never reaches.
    for completion in CourseCompletion.objects.filter(certificates__isnull=True):
        issuing.issue_certificate(completion)


def starts(role: str) -> list[str]:
    addresses = []
    for locale in Locale.objects.filter(language_code__in=("ar", "fr", "en")):
        catalogue = CourseIndexPage.objects.live().filter(locale=locale).first()
        addresses += [f"/{locale.language_code}/", catalogue.url if catalogue else ""]
    return [address for address in addresses if address] + (["/admin/"] if role in STAFF else [])


def fill_basket(client: Client) -> None:
    """Two products of one demo seller in the visitor's basket, so that its page is read full
    (a walk sends no form, so it would only ever see it empty)."""
    for seller_id in Product.objects.order_by("pk").values_list("seller_id", flat=True):
        public_ids = list(
            Product.objects.filter(seller_id=seller_id).values_list("public_id", flat=True)
        )
        orderable = list(baskets.orderable_products(seller_id, public_ids))[:2]
        if orderable:
            lines = [(public_id, 1) for public_id in orderable]
            client.cookies[baskets.COOKIE] = baskets.dumps(baskets.Basket(seller_id, lines))
            return
    raise AssertionError("the demo has no product a buyer may order")


def walk(role: str) -> Crawler:
    client = Client()
    if role == "anonymous":
        fill_basket(client)
    username = ROLES[role]
    if username:
        user = get_user_model().objects.get(username=username)
        if role == "trainer":
            UserProfile.objects.update_or_create(user=user, defaults={"preferred_language": "ar"})
        client.force_login(user)
    names = names_from_data()
    crawler = Crawler(role, client, names, admin_language)
    crawler.crawl(starts(role))
    return crawler


@pytest.fixture(scope="module")
def walks(
    django_db_setup: Any, django_db_blocker: Any, tmp_path_factory: Any
) -> Iterator[Callable[[str], Crawler]]:
    """The demo site, and each role's walk of it, made on first use and kept for the module."""
    media = tmp_path_factory.mktemp("media")
    fast = {"LMS_CERTIFICATES_VERIFY_RATE": "10000/m", "MEDIA_ROOT": str(media)}
    with django_db_blocker.unblock(), override_settings(**fast), transaction.atomic():
        call_command("load_demo_data", stdout=StringIO())
        make_operator()
        issue_certificates()
        done: dict[str, Crawler] = {}

        def walked(role: str) -> Crawler:
            if role not in done:
                with transaction.atomic():
                    done[role] = walk(role)
                    transaction.set_rollback(True)
            return done[role]

        yield walked
        transaction.set_rollback(True)


def known(problem: Problem) -> bool:
    path = problem.url.split("?")[0]
    return any(
        role == problem.role and re.fullmatch(address, path) for role, address in KNOWN_ISSUES
    )


def listing(problems: list[Problem]) -> str:
    return "\n" + "\n".join(str(problem) for problem in sorted(problems, key=str))


@pytest.mark.parametrize("role", ROLES)
def test_every_page_a_person_reaches_answers_in_the_language_of_its_address(
    walks: Callable[[str], Crawler], role: str
) -> None:
    problems = [problem for problem in walks(role).problems if not known(problem)]
    assert not problems, listing(problems)


@pytest.mark.parametrize(
    ("role", "address"),
    [
        pytest.param(role, address, marks=pytest.mark.xfail(strict=False, reason=reason))
        for (role, address), reason in KNOWN_ISSUES.items()
    ],
)
def test_a_known_issue_is_still_open(
    walks: Callable[[str], Crawler], role: str, address: str
) -> None:
    problems = [p for p in walks(role).problems if re.fullmatch(address, p.url.split("?")[0])]
    assert not problems, listing(problems)


# Where each walk must get to: a walk that reads nothing would find nothing wrong.
DESTINATIONS = {
    "anonymous": ["/ar/certificates/verify/", "/fr/marketplace/<slug>/", "/ar/orders/basket/"],
    "learning": ["/ar/learn/"],
    "certified": ["/fr/certificates/<id>/credential/", "/ar/onboarding/cases/<id>/application/"],
    "seller": ["/ar/certificates/verify/<id>/", "/ar/marketplace/<slug>/"],
    "trainer": ["/admin/pages/<id>/edit/"],
    "operator": ["/admin/onboarding/cases/"],
}


@pytest.mark.parametrize("role", DESTINATIONS)
def test_each_walk_reaches_the_places_of_its_role(
    walks: Callable[[str], Crawler], role: str
) -> None:
    crawler = walks(role)
    reached = {key.split("?")[0] for key in crawler.seen}
    for destination in DESTINATIONS[role]:
        wanted = re.compile(re.escape(destination).replace(re.escape("<slug>"), "[^/]+"))
        assert any(wanted.fullmatch(key) for key in reached), (destination, crawler.pages)
