"""Who may open what: every URL the site answers, for every kind of visitor.

The table below names each URL of the apps and what each role gets when it asks for it. A URL
that is not in the table fails the test, so a new view cannot ship without saying who may see
it. The Wagtail admin's own URLs (hundreds of them) are checked as one class: nobody without
admin access gets past the login.

Answers are compared by kind: ``ok`` (200), ``login`` (a redirect to a sign-in page), ``hidden``
(404: an object that is not yours is answered as one that does not exist, so ids reveal
nothing), ``denied`` (403, for a whole page a role may not use), ``moved`` (another redirect),
``wait`` (202: not ready yet), ``method`` (405: the URL takes POST only) and ``refused`` (400).

``staff`` is an account with ``is_staff`` and no group nor permission: being staff alone opens
nothing, neither a learner's files nor an admin page.
"""

from __future__ import annotations

import uuid
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

import pytest
from django.test import Client
from django.urls import URLPattern, URLResolver, get_resolver

from tests.authorization_world import ROLES, World, build_world
from tests.builders import make_learner

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("kyc")]

EVERYONE_OK = dict.fromkeys(ROLES, "ok")
EVERYONE_POST_ONLY = dict.fromkeys(ROLES, "method")
SIGNED_IN_OK = {**EVERYONE_OK, "anonymous": "login"}
SIGNED_IN_POST_ONLY = {**EVERYONE_POST_ONLY, "anonymous": "login"}
OWNER_ONLY = {
    "anonymous": "login",
    "learner": "hidden",
    "owner": "ok",
    "trainer": "hidden",
    "operator": "hidden",
    "staff": "hidden",
    "superuser": "hidden",
}
SIGNED_OUT_ONLY = {**dict.fromkeys(ROLES, "moved"), "anonymous": "ok"}

# What each role gets for a GET of each URL of the apps (by URL name).
PUBLIC_TABLE: dict[str, dict[str, str]] = {
    # For the load balancer: nothing private, and no session needed.
    "healthz": EVERYONE_OK,
    "readyz": EVERYONE_OK,
    "certificates_jwks": EVERYONE_OK,
    "certificates_status_list": EVERYONE_OK,
    "onboarding:payments_webhook": EVERYONE_POST_ONLY,
    "lms_api:sync_events": EVERYONE_POST_ONLY,
    "lms_api:service_worker": EVERYONE_OK,
    "maalem_accounts:login": SIGNED_OUT_ONLY,
    # Without a code sent in this session, the code page sends the visitor back to the number.
    "maalem_accounts:login_code": dict.fromkeys(ROLES, "login"),
    "maalem_accounts:your_name": SIGNED_IN_OK,
    # The learner's own data: the URLs name no one, each signed-in user gets only her own.
    "maalem_rights:your_data": SIGNED_IN_OK,
    "maalem_rights:download": SIGNED_IN_OK,
    # A GET only asks for the confirmation; erasing takes its POST.
    "maalem_rights:erase": SIGNED_IN_OK,
    "maalem_rights:erased": EVERYONE_OK,
    "lms:my_learning": SIGNED_IN_OK,
    "lms:password_login": SIGNED_OUT_ONLY,
    "lms:enrol": SIGNED_IN_POST_ONLY,
    "lms:lesson_done": SIGNED_IN_POST_ONLY,
    "lms:submit_quiz": SIGNED_IN_POST_ONLY,
    "lms:offline": EVERYONE_OK,
    "certificates:verify_form": EVERYONE_OK,
    "certificates:verify": EVERYONE_OK,
    # The learner's own files; staff read certificates in the admin, with its permission.
    "certificates:download_pdf": {**OWNER_ONLY, "operator": "ok", "superuser": "ok"},
    "certificates:credential": {**OWNER_ONLY, "operator": "ok", "superuser": "ok"},
    # With a case, the page is the case's status page: a redirect there.
    "onboarding_learner:my_status": {**SIGNED_IN_OK, "owner": "moved"},
    "onboarding_learner:status": OWNER_ONLY,
    # Her shop is live: the application is done, its page sends her to her case's status.
    "onboarding_learner:application": {**OWNER_ONLY, "owner": "moved"},
    # Her case is not waiting on the provider: the page sends her to its status.
    "onboarding_learner:action_required": {**OWNER_ONLY, "owner": "moved"},
    "onboarding_learner:withdraw": OWNER_ONLY,
    # The applicant's photo: hers, and operators' who may see cases.
    "onboarding_learner:case_photo": {**OWNER_ONLY, "operator": "ok", "superuser": "ok"},
    # The QR poster of her active account: hers, and operators' who may see cases.
    "onboarding_learner:qr_poster": {**OWNER_ONLY, "operator": "ok", "superuser": "ok"},
    # A seller's products: hers alone; staff and superusers are no exception.
    # A learner who does not sell is told how to open her shop.
    "marketplace_seller:dashboard": SIGNED_IN_OK,
    "marketplace_seller:new": OWNER_ONLY,
    "marketplace_seller:edit": OWNER_ONLY,
    "marketplace_seller:delete": OWNER_ONLY,
    "marketplace_seller:photo": OWNER_ONLY,
    "marketplace_seller:hide": SIGNED_IN_POST_ONLY,
    "marketplace_seller:show": SIGNED_IN_POST_ONLY,
    "marketplace_seller:undelete": SIGNED_IN_POST_ONLY,
    "marketplace_seller:add_photo": SIGNED_IN_POST_ONLY,
    "marketplace_seller:remove_photo": SIGNED_IN_POST_ONLY,
    "marketplace_seller:move_photo": SIGNED_IN_POST_ONLY,
    # Her money and statements: the URLs name no one, each seller gets her own. A learner who
    # does not sell is told why there is nothing to see; she has no statement to download.
    "marketplace_seller:money": SIGNED_IN_OK,
    "marketplace_seller:statement_csv": OWNER_ONLY,
    "marketplace_seller:statement_pdf": OWNER_ONLY,
    # Her orders: hers alone; a GET of cancel only asks for the confirmation.
    "marketplace_seller:orders": OWNER_ONLY,
    "marketplace_seller:order": OWNER_ONLY,
    "marketplace_seller:order_cancel": OWNER_ONLY,
    "marketplace_seller:order_accept": SIGNED_IN_POST_ONLY,
    "marketplace_seller:order_ship": SIGNED_IN_POST_ONLY,
    "marketplace_seller:order_deliver": SIGNED_IN_POST_ONLY,
    # Buyers have no account: the order form is open to all, an order's page to whoever holds
    # its secret link (a wrong token is a 404); cancelling an unpaid order asks first (the paid
    # order of this world sends back to its page).
    "marketplace_orders:checkout": EVERYONE_OK,
    "marketplace_orders:order": EVERYONE_OK,
    "marketplace_orders:cancel": dict.fromkeys(ROLES, "moved"),
    # The basket is her browser's own cookie, open to all; a GET of add or line goes back to it.
    "marketplace_orders:basket": EVERYONE_OK,
    "marketplace_orders:basket_add": dict.fromkeys(ROLES, "moved"),
    "marketplace_orders:basket_line": dict.fromkeys(ROLES, "moved"),
}

STAFF_ONLY = {
    "anonymous": "login",
    "learner": "login",
    "owner": "login",
    "trainer": "denied",
    "operator": "ok",
    "staff": "login",
    "superuser": "ok",
}
TRAINERS = {**STAFF_ONLY, "trainer": "ok", "operator": "denied"}

# The apps' own admin views.
ADMIN_TABLE: dict[str, dict[str, str]] = {
    "lms_progress_report": TRAINERS,
    "lms_progress_report_results": TRAINERS,
    "lms_learner_report": TRAINERS,
    "lms_learner_report_results": TRAINERS,
    "lms_missing_translations": TRAINERS,
    "lms_missing_translations_results": TRAINERS,
    "certificates_admin:revoke": STAFF_ONLY,
    "certificates_admin:reissue": STAFF_ONLY,
    "certificates_admin:template_preview": STAFF_ONLY,
    # No certificate is waiting in this world: an unknown row sends staff back to the list.
    "certificates_admin:retry": {**STAFF_ONLY, "operator": "moved", "superuser": "moved"},
    "certificates_pending:index": STAFF_ONLY,
    "certificates_pending:index_results": STAFF_ONLY,
    "wagtailsnippets_maalem_certificates_certificatetemplate:list": STAFF_ONLY,
    "wagtailsnippets_maalem_certificates_certificatetemplate:list_results": STAFF_ONLY,
    "certificates_certificate:index": STAFF_ONLY,
    "certificates_certificate:index_results": STAFF_ONLY,
    "certificates_certificate:inspect": STAFF_ONLY,
    "onboarding_case:index": STAFF_ONLY,
    "onboarding_case:index_results": STAFF_ONLY,
    "onboarding_case:inspect": STAFF_ONLY,
    "onboarding_case:action": STAFF_ONLY,
    "onboarding_funnel:index": STAFF_ONLY,
    "marketplace_order:index": STAFF_ONLY,
    "marketplace_order:index_results": STAFF_ONLY,
    "marketplace_order:inspect": STAFF_ONLY,
    # A GET asks for the confirmation; the refund (a dispute's evidence) itself is its POST.
    **dict.fromkeys(["marketplace_order:refund", "marketplace_order:dispute_evidence"], STAFF_ONLY),
    # Each user's own exports; the file only to whoever asked (here the trainer) and superusers.
    "maalem_exports:index": {**STAFF_ONLY, "trainer": "ok"},
    "maalem_exports:download": {**STAFF_ONLY, "trainer": "ok", "operator": "denied"},
}

# The admin's icon sprite and its JavaScript catalogue carry nothing private.
PUBLIC_ADMIN_ASSETS = {"admin/sprite/", "admin/jsi18n/"}

OUR_MODULES = ("lms.", "onboarding.", "maalem.", "demo.", "config.")


@dataclass(frozen=True)
class Route:
    path: str
    name: str
    module: str

    @property
    def is_admin(self) -> bool:
        return self.path.startswith("admin/")

    @property
    def is_ours(self) -> bool:
        return self.module.startswith(OUR_MODULES)


def routes() -> Iterator[Route]:
    def walk(resolver: URLResolver, prefix: str, namespace: str) -> Iterator[Route]:
        for entry in resolver.url_patterns:
            if isinstance(entry, URLResolver):
                inner = namespace + (f"{entry.namespace}:" if entry.namespace else "")
                yield from walk(entry, prefix + str(entry.pattern), inner)
            elif isinstance(entry, URLPattern):
                module = getattr(entry.callback, "__module__", "") or ""
                yield Route(prefix + str(entry.pattern), namespace + (entry.name or ""), module)

    yield from walk(get_resolver(), "", "")


def concrete(path: str, values: dict[str, str]) -> str:
    """``path`` with each converter filled in from ``values`` (or a harmless stand-in)."""
    result, rest = "", path.lstrip("^")
    while "<" in rest:
        before, _, tail = rest.partition("<")
        spec, _, rest = tail.partition(">")
        kind, _, name = spec.rpartition(":")
        stand_in = {"uuid": str(uuid.UUID(int=1)), "int": "1", "slug": "x", "path": "x"}
        result += before + values.get(name, stand_in.get(kind, "x"))
    return "/" + result + rest.rstrip("$")


def kind_of(response: Any) -> str:
    status = response.status_code
    if status in (301, 302):
        location = response["Location"]
        if "login" in location or "sign-in" in location:
            return "login"
        # Wagtail answers a page a staff member may not use with a message on the dashboard.
        return "denied" if location == "/admin/" else "moved"
    kinds = {200: "ok", 202: "wait", 400: "refused", 403: "denied", 404: "hidden", 405: "method"}
    return kinds.get(status, str(status))


def values_for(route: Route, world: World) -> dict[str, str]:
    values = dict(world.values)
    if route.name.startswith("onboarding_case:"):
        values["pk"] = values["case_id"]
        values["action"] = "approve"
    if route.name.startswith("marketplace_order:"):
        values["pk"] = values["order_pk"]
    if route.name.startswith("maalem_exports:"):
        values["pk"] = values["export_id"]
    if route.name.startswith("marketplace_seller:order"):
        values["public_id"] = values["order_id"]
    if route.name == "certificates_admin:retry":
        values["pk"] = "999999"
    if route.name == "certificates_admin:template_preview":
        values["pk"] = world.values["template_id"]
    return values


@pytest.fixture(autouse=True)
def in_memory_payments(settings):
    """The owner's money comes from an in-memory provider, not a server that may not be running."""
    settings.ONBOARDING_PROVIDERS = {
        **settings.ONBOARDING_PROVIDERS,
        "payments": {
            "BACKEND": "onboarding.providers.fake.InMemoryPaymentsBackend",
            "OPTIONS": {"name": "authorization-matrix"},
        },
    }


def client_for(user: Any) -> Client:
    client = Client()
    if user is not None:
        client.force_login(user)
    return client


def test_every_url_of_the_apps_says_who_may_open_it():
    ours = {route.name for route in routes() if route.is_ours and not route.path.startswith("^")}
    unknown = sorted(ours - set(PUBLIC_TABLE) - set(ADMIN_TABLE))
    stale = sorted((set(PUBLIC_TABLE) | set(ADMIN_TABLE)) - ours)

    assert unknown == [], "add these URLs to the authorization table"
    assert stale == [], "these URLs no longer exist"


@pytest.mark.parametrize("role", ROLES)
def test_each_role_gets_what_the_table_says_from_every_url(
    role, django_capture_on_commit_callbacks
):
    world = build_world(django_capture_on_commit_callbacks)
    client = client_for(world.users[role])
    wrong = []
    for route in routes():
        table = ADMIN_TABLE if route.is_admin else PUBLIC_TABLE
        if route.name not in table:
            continue
        url = concrete(route.path, values_for(route, world))
        got = kind_of(client.get(url))
        expected = table[route.name][role]
        if got != expected:
            wrong.append(f"{route.name} {url}: {role} got {got}, expected {expected}")

    assert wrong == [], "\n".join(wrong)


@pytest.mark.parametrize("role", ["anonymous", "learner", "owner", "staff"])
def test_nobody_without_admin_access_gets_past_the_login_of_any_admin_url(role):
    users = {"anonymous": None, "learner": make_learner(), "owner": make_learner()}
    world = World({**users, "staff": make_learner(is_staff=True)}, {})
    client = client_for(world.users[role])
    leaks = []
    for route in routes():
        if not route.is_admin or route.path.startswith("admin/login") or "(?P" in route.path:
            continue  # regular-expression routes are Wagtail's own, behind the same guard
        if route.path in ("admin/password_reset/", "admin/password_reset/done/") or (
            route.path.startswith("admin/password_reset/")
        ):
            continue  # the public way back into an account
        if route.path.startswith("admin/logout") or route.path in PUBLIC_ADMIN_ASSETS:
            continue
        url = concrete(route.path, {})
        response = client.get(url)
        if kind_of(response) not in ("login", "denied", "hidden", "method"):
            leaks.append(f"{url}: {response.status_code}")

    assert leaks == [], "\n".join(leaks)
