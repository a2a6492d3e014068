"""The one admin page that confirms an action and asks why: revoking a certificate, approving or
withdrawing an onboarding case.

A GET shows the record and a reason field; the POST runs the action with the reason, which the
app records with the user's name. The permission is checked before the record is even looked up,
so a user without it learns nothing. The app's own refusal (the record moved on meanwhile) comes
back as an error message, success as a success message, and both return to the record.

An app subclasses :class:`ConfirmView` and says which permission the action needs, which record
it acts on, what the page shows, and what the action does (:meth:`ConfirmView.perform`).
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from django import forms
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse, HttpResponseBase
from django.shortcuts import redirect
from django.utils.translation import gettext_lazy as _
from django.views.defaults import permission_denied
from django.views.generic import View
from wagtail.admin import messages
from wagtail.admin.views.generic.base import WagtailAdminTemplateMixin

if TYPE_CHECKING:
    from django_stubs_ext import StrOrPromise


class ReasonForm(forms.Form):
    """The reason an operator gives for an action; each action sets how long and whether
    it is required, to fit where the app records it."""

    def __init__(
        self, *args: Any, required: bool, max_length: int, help_text: StrOrPromise, **kwargs: Any
    ) -> None:
        super().__init__(*args, **kwargs)
        self.fields["reason"] = forms.CharField(
            label=_("Reason"), required=required, max_length=max_length, help_text=help_text
        )


class ConfirmView(WagtailAdminTemplateMixin, View):
    """Confirm an action on one record, with a reason. Override points are the attributes and
    the ``get_*`` methods below, and :meth:`perform`, which must be given."""

    template_name = "maalem_core/confirm.html"
    #: The Django permission the action needs, as ``"app_label.codename"``.
    permission = ""
    #: What the action does, shown above the reason.
    explanation: StrOrPromise = ""
    submit_label: StrOrPromise = ""
    #: Shows the button as a destructive one, for actions that cannot be undone.
    destructive = False
    reason_required = True
    reason_max_length = 255
    reason_help_text: StrOrPromise = ""
    success_message: StrOrPromise = ""
    #: The app's own refusals, shown to the user as an error message.
    refused_by: tuple[type[Exception], ...] = ()

    object: Any

    def dispatch(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponseBase:
        if not request.user.has_perm(self.get_permission()):
            return self.refuse()
        self.object = self.get_object()
        return super().dispatch(request, *args, **kwargs)

    def get_permission(self) -> str:
        return self.permission

    def get_object(self) -> Any:
        raise NotImplementedError

    def perform(self, reason: str) -> None:
        """Run the action on ``self.object``; raise one of :attr:`refused_by` to refuse it."""
        raise NotImplementedError

    def get_summary(self) -> list[tuple[StrOrPromise, Any]]:
        """What the page shows of the record, as (label, value) pairs."""
        return []

    def get_explanation(self) -> StrOrPromise:
        return self.explanation

    def get_submit_label(self) -> StrOrPromise:
        return self.submit_label

    def is_destructive(self) -> bool:
        return self.destructive

    def get_success_message(self) -> StrOrPromise:
        return self.success_message

    def get_refusal_message(self, error: Exception) -> str:
        return str(error)

    def get_success_url(self) -> str:
        raise NotImplementedError

    def get_cancel_url(self) -> str:
        return self.get_success_url()

    def get_breadcrumbs_items(self) -> list[dict[str, Any]]:
        return [*self.breadcrumbs_items, {"url": "", "label": self.get_page_title()}]

    def refuse(self) -> HttpResponse:
        """A POST without the permission gets a plain 403; a page asked for gets Wagtail's usual
        redirect with a message (the admin turns PermissionDenied into that)."""
        if self.request.method == "POST":
            return permission_denied(self.request, PermissionDenied())
        raise PermissionDenied

    def get_form(self) -> ReasonForm:
        return ReasonForm(
            self.request.POST if self.request.method == "POST" else None,
            required=self.reason_required,
            max_length=self.reason_max_length,
            help_text=self.reason_help_text,
        )

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        context = super().get_context_data(**kwargs)
        context.update(
            {
                "object": self.object,
                "summary": self.get_summary(),
                "explanation": self.get_explanation(),
                "submit_label": self.get_submit_label(),
                "destructive": self.is_destructive(),
                "cancel_url": self.get_cancel_url(),
            }
        )
        return context

    def get(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        return self.render_to_response(self.get_context_data(form=self.get_form()))

    def post(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        form = self.get_form()
        if not form.is_valid():
            return self.render_to_response(self.get_context_data(form=form))
        try:
            self.perform(form.cleaned_data["reason"])
        except PermissionDenied:
            return self.refuse()
        except self.refused_by as error:
            messages.error(request, self.get_refusal_message(error))
        else:
            messages.success(request, str(self.get_success_message()))
        return redirect(self.get_success_url())
