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

from maalem.core.permissions import ReadOnlyPermissionPolicy

from . import admin_views
from .models import Certificate

register_snippet(admin_views.CertificateTemplateViewSet)
register_permission_policy(Certificate, ReadOnlyPermissionPolicy(Certificate))


@hooks.register("register_admin_viewset")
def register_certificate_listing() -> admin_views.CertificateViewSet:
    return admin_views.CertificateViewSet("certificates_certificate", url_prefix="certificates")


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
        Certificate.objects.filter(learner=request.user, revoked_at__isnull=True).order_by(
            "-issued_at"
        )
    )
    if not certificates:
        return None
    return render_to_string(
        "certificates/my_learning_section.html", {"certificates": certificates}, request=request
    )
