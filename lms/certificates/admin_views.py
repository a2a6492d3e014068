"""Wagtail admin for certificates: a read-only listing, revoke, reissue, and the PDF preview.

Certificates are issued by the app, never typed in, so the listing offers no add, edit or delete;
staff with "Can revoke and reissue certificates" get the two actions, each recorded with who,
when and why.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404
from django.urls import path, reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from wagtail.admin.ui.menus import MenuItem
from wagtail.admin.ui.tables import Column
from wagtail.admin.views import generic
from wagtail.admin.viewsets.model import ModelViewSet
from wagtail.snippets.views.snippets import IndexView as SnippetIndexView
from wagtail.snippets.views.snippets import SnippetViewSet

from maalem.core.confirm import ConfirmView
from maalem.core.pagination import LargeListPaginator

from . import admin_pending, codes, issuing
from .models import Certificate, CertificateTemplate

if TYPE_CHECKING:
    from django_stubs_ext import StrOrPromise

REVOKE_PERMISSION = "maalem_certificates.revoke_certificate"


def _after(prefix: str) -> str | None:
    """The first code past every code that starts with ``prefix``, in the alphabet's order."""
    while prefix:
        last = codes.ALPHABET.index(prefix[-1])
        if last + 1 < len(codes.ALPHABET):
            return prefix[:-1] + codes.ALPHABET[last + 1]
        prefix = prefix[:-1]
    return None


def code_prefix(typed: str) -> str:
    """The start of a verification code that a search looks like, or "" for a name: four
    characters of the code's alphabet or more, with a digit or a dash (names have neither)."""
    cleaned = "".join(typed.split()).upper()
    prefix = cleaned.replace("-", "").translate(codes.TYPOS)
    if len(prefix) < 4 or len(prefix) > codes.LENGTH:
        return ""
    if any(char not in codes.ALPHABET for char in prefix):
        return ""
    if "-" not in cleaned and not any(char.isdigit() for char in prefix):
        return ""
    return prefix


def search_certificates(queryset: Any, typed: str) -> Any:
    """A code, whole or its start, is found through the code's unique index (a range on it, which
    any collation can use); anything else is looked up in the printed names."""
    prefix = code_prefix(typed)
    if not prefix:
        return queryset.filter(learner_name__icontains=typed.strip())
    if len(prefix) == codes.LENGTH:
        return queryset.filter(code=prefix)
    upper = _after(prefix)
    queryset = queryset.filter(code__gte=prefix)
    return queryset.filter(code__lt=upper) if upper else queryset


class CertificateIndexView(generic.IndexView):
    paginator_class = LargeListPaginator

    def get_base_queryset(self) -> Any:
        # The template snapshot (a few kB a row) is for the PDF, not for this list; whether a
        # certificate was replaced is read for every row's buttons, so it comes in the same query.
        return (
            super()
            .get_base_queryset()
            .select_related("replaced_by")
            .defer("template_snapshot", "replaced_by__template_snapshot")
        )

    def search_queryset(self, queryset: Any) -> Any:
        if not self.is_searching:
            return queryset
        return search_certificates(queryset, self.search_query)

    def get_list_more_buttons(self, instance: Certificate) -> list[Any]:
        buttons = super().get_list_more_buttons(instance)
        if self.request.user.has_perm(REVOKE_PERMISSION):
            if not instance.is_revoked:
                buttons.append(
                    MenuItem(
                        _("Revoke"),
                        url=reverse("certificates_admin:revoke", args=[instance.pk]),
                        icon_name="cross",
                        priority=40,
                    )
                )
            if not hasattr(instance, "replaced_by"):
                buttons.append(
                    MenuItem(
                        _("Reissue"),
                        url=reverse("certificates_admin:reissue", args=[instance.pk]),
                        icon_name="repeat",
                        priority=50,
                    )
                )
        return buttons


class CertificateInspectView(generic.InspectView):
    def get_field_label(self, field_name: str, field: Any) -> str:
        if field_name == "events":
            return _("History")
        return super().get_field_label(field_name, field)

    def get_events_display_value(self) -> str:
        return "; ".join(
            f"{event.at:%Y-%m-%d %H:%M} {event.get_action_display()}"
            + (f" ({event.actor})" if event.actor else "")
            + (f": {event.reason}" if event.reason else "")
            for event in self.object.events.select_related("actor")
        )


def status_label(certificate: Certificate) -> str:
    if certificate.is_revoked:
        return _("revoked")
    return _("valid") if certificate.pdf_ready else _("valid, PDF being prepared")


class CertificateViewSet(ModelViewSet):
    model = Certificate
    icon = "doc-full"
    menu_label = gettext_lazy("Certificates")
    add_to_admin_menu = True
    menu_order = 310
    copy_view_enabled = False
    inspect_view_enabled = True
    index_view_class = CertificateIndexView
    inspect_view_class = CertificateInspectView
    form_fields: list[str] = []
    search_fields = ["learner_name", "code"]
    search_backend_name = None
    list_filter = ["issued_at", "revoked_at"]
    list_display = [
        "learner_name",
        Column("course", label=gettext_lazy("course"), accessor="course_title"),
        Column("code", label=gettext_lazy("code"), accessor="display_code"),
        "issued_at",
        Column("status", label=gettext_lazy("status"), accessor=status_label),
    ]
    inspect_view_fields = [
        "learner_name",
        "course_titles",
        "code",
        "issued_at",
        "revoked_at",
        "revoked_reason",
        "replaces",
        "template_revision",
        "pdf_rendered_at",
        "events",
    ]


class TemplateIndexView(SnippetIndexView):
    def get_list_more_buttons(self, instance: CertificateTemplate) -> list[Any]:
        return [
            *super().get_list_more_buttons(instance),
            MenuItem(
                _("PDF preview"),
                url=reverse("certificates_admin:template_preview", args=[instance.pk]),
                icon_name="doc-full",
                priority=15,
            ),
        ]


class CertificateTemplateViewSet(SnippetViewSet):
    model = CertificateTemplate
    icon = "doc-full-inverse"
    menu_label = gettext_lazy("Certificate templates")
    index_view_class = TemplateIndexView
    list_display = ["name", "is_default", "issuer_name"]


class CertificateActionView(ConfirmView):
    """Revoke or reissue: a confirmation page that asks why, for staff with the permission."""

    permission = REVOKE_PERMISSION
    header_icon = "doc-full"
    reason_max_length = 300
    refused_by = (issuing.CertificateError,)

    def get_object(self) -> Certificate:
        return get_object_or_404(Certificate, pk=self.kwargs["pk"])

    def get_summary(self) -> list[tuple[StrOrPromise, Any]]:
        certificate = self.object
        return [
            (_("Name"), certificate.learner_name),
            (_("Course"), certificate.course_title()),
            (_("Code"), certificate.display_code),
            (_("Issued at"), certificate.issued_at),
        ]

    def get_success_url(self) -> str:
        return reverse("certificates_certificate:index")


class RevokeView(CertificateActionView):
    page_title = gettext_lazy("Revoke certificate")
    destructive = True
    submit_label = gettext_lazy("Revoke")
    reason_help_text = gettext_lazy("Recorded with your name; not shown on the public page.")
    success_message = gettext_lazy("Certificate revoked.")

    def perform(self, reason: str) -> None:
        issuing.revoke(self.object, by=self.request.user, reason=reason)


class ReissueView(CertificateActionView):
    page_title = gettext_lazy("Reissue certificate")
    submit_label = gettext_lazy("Reissue")
    reason_required = False
    reason_help_text = gettext_lazy("For example: the learner's name was misspelt.")
    success_message = gettext_lazy("A new certificate replaces the old one.")

    def perform(self, reason: str) -> None:
        issuing.reissue(self.object, by=self.request.user, reason=reason)


def template_pdf_preview(request: HttpRequest, pk: int) -> HttpResponse:
    """The latest saved revision of a template, drafts included, printed on a sample."""
    if not request.user.has_perm("maalem_certificates.change_certificatetemplate"):
        raise PermissionDenied
    template = get_object_or_404(CertificateTemplate, pk=pk)
    latest = template.get_latest_revision_as_object()
    return latest.serve_preview(request, "")


urlpatterns = [
    path("<uuid:pk>/revoke/", RevokeView.as_view(), name="revoke"),
    path("waiting/<int:pk>/retry/", admin_pending.RetryView.as_view(), name="retry"),
    path("<uuid:pk>/reissue/", ReissueView.as_view(), name="reissue"),
    path("templates/<int:pk>/preview.pdf", template_pdf_preview, name="template_preview"),
]
