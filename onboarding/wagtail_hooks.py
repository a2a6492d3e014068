"""Registers onboarding with the Wagtail admin: the "Onboarding" menu (cases and the funnel
report), their URLs, the operators' permissions in the group editor, and the cases' permission
policy."""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _
from wagtail import hooks
from wagtail.admin.viewsets.base import ViewSetGroup
from wagtail.permissions import register_permission_policy

from lms.courses.panels import LEARNER_PANELS_HOOK
from maalem.core.permissions import ReadOnlyPermissionPolicy

from . import learner_panels, views
from .admin_views.cases import CaseViewSet
from .admin_views.funnel_report import FunnelViewSet
from .models import OnboardingCase

register_permission_policy(OnboardingCase, ReadOnlyPermissionPolicy(OnboardingCase))


class OnboardingAdminGroup(ViewSetGroup):
    """The "Onboarding" menu: shown to whoever can see either of its items."""

    menu_label = _("Onboarding")
    menu_icon = "tasks"
    menu_order = 320
    # The case viewset registers view, review, retry and withdraw with the register_permissions
    # hook (CaseViewSet.get_permissions_to_register).
    items = (CaseViewSet("onboarding_case"), FunnelViewSet())


@hooks.register("register_admin_viewset")
def register_onboarding_admin() -> OnboardingAdminGroup:
    return OnboardingAdminGroup()


# The learner's onboarding status, as a section of their "My learning" page.
hooks.register("lms_my_learning_sections", views.my_learning_section)

# The courses that lead to a seller account, on "My learning" and on those courses' pages.
hooks.register(LEARNER_PANELS_HOOK, learner_panels.road_panel)
