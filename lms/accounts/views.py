"""Sign-in by phone number: page 1 asks for the number, page 2 for the code sent by SMS.

Both pages work without JavaScript. The learner's session remembers only the id of the code
that was sent, never the number or the code.
"""

from __future__ import annotations

from typing import cast
from urllib.parse import urlencode

from django.conf import settings
from django.contrib.auth import login
from django.contrib.auth.backends import BaseBackend
from django.contrib.auth.decorators import login_required
from django.contrib.auth.models import AbstractUser
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render, resolve_url
from django.urls import reverse
from django.utils import translation
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.module_loading import import_string
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_http_methods

from maalem.core.languages import remember_request_language
from maalem.core.phones import display_phone, example_phone, phone_digest
from maalem.core.ratelimit import Limited, hit, peek
from maalem.core.sms import SMSNotSent

from . import flows
from .conf import app_settings
from .forms import CodeForm, NameForm, PhoneForm
from .models import SignInCode

SESSION_KEY = "lms.accounts.sign_in_code"


def safe_next(request: HttpRequest) -> str:
    """The page to go to after signing in, if it is on this site."""
    url = request.POST.get("next") or request.GET.get("next") or ""
    if url and url_has_allowed_host_and_scheme(
        url, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        return url
    return ""


def with_next(url: str, next_url: str) -> str:
    return f"{url}?{urlencode({'next': next_url})}" if next_url else url


def codes_asked(request: HttpRequest, digest: str) -> Limited | None:
    """Count a code asked for from this address and for this number (by its digest)."""
    return hit(request, "maalem_accounts.codes_per_ip", app_settings.CODES_PER_IP) or hit(
        request, "maalem_accounts.codes_per_phone", app_settings.CODES_PER_PHONE, digest
    )


def wrong_codes_blocked(request: HttpRequest, digest: str) -> Limited | None:
    return peek(
        request, "maalem_accounts.wrong_codes_per_phone", app_settings.WRONG_CODES_PER_PHONE, digest
    ) or peek(request, "maalem_accounts.wrong_codes", app_settings.WRONG_CODES_PER_IP)


def wrong_code_typed(request: HttpRequest, digest: str) -> None:
    hit(
        request, "maalem_accounts.wrong_codes_per_phone", app_settings.WRONG_CODES_PER_PHONE, digest
    )
    hit(request, "maalem_accounts.wrong_codes", app_settings.WRONG_CODES_PER_IP)


def session_backend() -> str:
    """The first authentication backend that can load a signed-in user back from the session.

    A code proves the number, so no backend authenticates here; but the session must name one
    that has ``get_user``, which guards such as django-axes's backend do not.
    """
    for path in settings.AUTHENTICATION_BACKENDS:
        if (
            getattr(import_string(path), "get_user", BaseBackend.get_user)
            is not BaseBackend.get_user
        ):
            return path
    return settings.AUTHENTICATION_BACKENDS[0]


def password_sign_in_url() -> str:
    url = app_settings.PASSWORD_SIGN_IN_URL
    return resolve_url(url) if url else ""


def wait_message(limited: Limited) -> str:
    return ngettext(
        "Too many tries. Try again in %(minutes)d minute.",
        "Too many tries. Try again in %(minutes)d minutes.",
        limited.wait_minutes,
    ) % {"minutes": limited.wait_minutes}


def too_many(response: HttpResponse, limited: Limited) -> HttpResponse:
    response["Retry-After"] = str(limited.wait_seconds)
    return response


@never_cache
@require_http_methods(["GET", "POST"])
def phone_sign_in(request: HttpRequest) -> HttpResponse:
    next_url = safe_next(request)
    if request.method == "GET" and request.user.is_authenticated:
        return redirect(next_url or app_settings.REDIRECT_URL)
    form = PhoneForm(request.POST if request.method == "POST" else None)
    context = {
        "form": form,
        "next": next_url,
        "error": "",
        "example": example_phone(),
        "password_sign_in_url": password_sign_in_url(),
    }
    if request.method == "GET":
        return render(request, "accounts/phone_sign_in.html", context)
    if not form.is_valid():
        return render(request, "accounts/phone_sign_in.html", context, status=400)
    phone = form.cleaned_data["phone"]
    limited = codes_asked(request, phone_digest(phone))
    if limited:
        context["error"] = wait_message(limited)
        response = render(request, "accounts/phone_sign_in.html", context, status=429)
        return too_many(response, limited)
    try:
        challenge = flows.send_code(phone, language=translation.get_language())
    except SMSNotSent:
        context["error"] = _("We could not send the SMS. Please try again in a minute.")
        return render(request, "accounts/phone_sign_in.html", context, status=503)
    request.session[SESSION_KEY] = str(challenge.pk)
    return redirect(with_next(reverse("maalem_accounts:login_code"), next_url))


@never_cache
@require_http_methods(["GET", "POST"])
def code_sign_in(request: HttpRequest) -> HttpResponse:
    next_url = safe_next(request)
    challenge_id = request.session.get(SESSION_KEY)
    challenge = SignInCode.objects.filter(pk=challenge_id).first() if challenge_id else None
    if challenge is None:
        return redirect(with_next(reverse("maalem_accounts:login"), next_url))
    form = CodeForm(request.POST if request.method == "POST" else None)
    context = {
        "form": form,
        "next": next_url,
        "error": "",
        "phone": challenge.phone,
        "phone_display": display_phone(challenge.phone),
        "code_minutes": max(1, app_settings.CODE_TTL // 60),
    }
    if request.method == "GET":
        return render(request, "accounts/code_sign_in.html", context)
    limited = wrong_codes_blocked(request, challenge.phone_digest)
    if limited:
        context["error"] = wait_message(limited)
        response = render(request, "accounts/code_sign_in.html", context, status=429)
        return too_many(response, limited)
    if not form.is_valid():
        return render(request, "accounts/code_sign_in.html", context, status=400)
    check = flows.check_code(challenge.pk, form.cleaned_data["code"])
    if not check.ok:
        if check.problem in (flows.CodeProblem.WRONG, flows.CodeProblem.TOO_MANY_GUESSES):
            wrong_code_typed(request, challenge.phone_digest)
        form.add_error("code", flows.problem_message(check))
        return render(request, "accounts/code_sign_in.html", context, status=400)
    user = flows.learner_for_phone(str(check.phone))
    if not user.is_active:
        form.add_error("code", _("This account is closed. Ask the team that runs this site."))
        return render(request, "accounts/code_sign_in.html", context, status=403)
    del request.session[SESSION_KEY]
    login(request, user, backend=session_backend())
    # Texts sent later, from a worker, speak the language she signed in with.
    remember_request_language(request, translation.get_language())
    if not user.first_name:
        # A new learner has only a phone number; certificates need the name to print.
        return redirect(with_next(reverse("maalem_accounts:your_name"), next_url))
    return redirect(next_url or app_settings.REDIRECT_URL)


@never_cache
@login_required(login_url="maalem_accounts:login")
@require_http_methods(["GET", "POST"])
def your_name(request: HttpRequest) -> HttpResponse:
    """Asks for the name printed on the learner's certificates; it can be changed later."""
    next_url = safe_next(request)
    # login_required lets only a signed-in learner this far.
    user = cast(AbstractUser, request.user)
    initial = {"first_name": user.first_name, "last_name": user.last_name}
    form = NameForm(request.POST if request.method == "POST" else None, initial=initial)
    context = {"form": form, "next": next_url, "first_time": not user.first_name}
    if request.method == "GET":
        return render(request, "accounts/your_name.html", context)
    if not form.is_valid():
        return render(request, "accounts/your_name.html", context, status=400)
    user.first_name = form.cleaned_data["first_name"]
    user.last_name = form.cleaned_data["last_name"]
    user.save(update_fields=["first_name", "last_name"])
    return redirect(next_url or app_settings.REDIRECT_URL)
