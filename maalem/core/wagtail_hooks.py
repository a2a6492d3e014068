from typing import Any

from django.http import HttpRequest
from django.urls import URLPattern, include, path, reverse
from django.utils.translation import gettext_lazy as _
from wagtail import hooks
from wagtail.admin.menu import MenuItem

from . import background_exports
from .export_views import ExportsView, download_export


class ExportsMenuItem(MenuItem):
    def is_shown(self, request: HttpRequest) -> bool:
        user = request.user
        return any(report.may_export(user) for report in background_exports.reports())


@hooks.register("register_admin_urls")
def register_export_urls() -> list[Any]:
    urls: list[URLPattern] = [
        path("", ExportsView.as_view(), name="index"),
        path("<int:pk>/download/", download_export, name="download"),
    ]
    return [path("exports/", include((urls, "maalem_exports"), namespace="maalem_exports"))]


@hooks.register("register_admin_menu_item")
def register_exports_menu_item() -> MenuItem:
    return ExportsMenuItem(
        _("Exports"), reverse("maalem_exports:index"), icon_name="download", order=900
    )
