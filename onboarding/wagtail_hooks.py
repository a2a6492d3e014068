"""Registers onboarding with the Wagtail admin: the "Onboarding" menu (cases and funnel), its
URLs, the operators' permissions in the group editor, and the cases' permission policy."""

from __future__ import annotations

from wagtail import hooks
from wagtail.permissions import register_permission_policy

from maalem.core.permissions import ReadOnlyPermissionPolicy

from . import admin_views, views
from .models import OnboardingCase

register_permission_policy(OnboardingCase, ReadOnlyPermissionPolicy(OnboardingCase))


@hooks.register("register_admin_viewset")
def register_onboarding_admin() -> admin_views.OnboardingAdminGroup:
    # The case viewset registers view, review, retry and withdraw with the
    # register_permissions hook (CaseViewSet.get_permissions_to_register).
    return admin_views.OnboardingAdminGroup()


# The learner's onboarding status, as a section of their "My learning" page.
hooks.register("lms_my_learning_sections", views.my_learning_section)
