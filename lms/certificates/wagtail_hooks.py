"""Registers lms.certificates with Wagtail: admin listings, admin actions, the learner's section."""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest
from django.template.loader import render_to_string
from django.urls import include, path
from django.utils.safestring import SafeString
from wagtail import hooks
from wagtail.permissions import register_permission_policy
from wagtail.snippets.models import register_snippet

from lms.courses.progress import resolve_course
from maalem.core.permissions import ReadOnlyPermissionPolicy

from . import admin_pending, admin_views
from .models import Certificate, PendingIssuance

register_snippet(admin_views.CertificateTemplateViewSet)
register_permission_policy(Certificate, ReadOnlyPermissionPolicy(Certificate))
register_permission_policy(PendingIssuance, ReadOnlyPermissionPolicy(PendingIssuance))


@hooks.register("register_admin_viewset")
def register_certificate_listing() -> admin_views.CertificateViewSet:
    return admin_views.CertificateViewSet("certificates_certificate", url_prefix="certificates")


@hooks.register("register_admin_viewset")
def register_pending_listing() -> admin_pending.PendingIssuanceViewSet:
    return admin_pending.PendingIssuanceViewSet(
        "certificates_pending", url_prefix="certificates-waiting"
    )


@hooks.register("register_admin_urls")
def register_certificate_actions() -> list[Any]:
    return [
        path(
            "certificates-admin/",
            include(
                (admin_views.urlpatterns, "certificates_admin"), namespace="certificates_admin"
            ),
        )
    ]


@hooks.register("lms_my_learning_sections")
def my_certificates(request: HttpRequest) -> SafeString | None:
    if not request.user.is_authenticated:
        return None
    certificates = list(
        Certificate.objects.filter(learner=request.user, revoked_at__isnull=True)
        .defer("template_snapshot")
        .order_by("-issued_at")
    )
    # A completion whose certificate could not be issued yet is being retried: the learner sees
    # it coming rather than nothing.
    waiting = [
        resolve_course(row.completion.course_key)
        for row in PendingIssuance.objects.filter(
            completion__learner=request.user, completion__certificates__isnull=True
        )
        .select_related("completion")
        .order_by("created_at")
    ]
    if not certificates and not waiting:
        return None
    return render_to_string(
        "certificates/my_learning_section.html",
        {"certificates": certificates, "waiting": [course for course in waiting if course]},
        request=request,
    )
