"""Permission policies shared by the apps' admin views."""

from __future__ import annotations

from typing import Any

from wagtail.permission_policies import ModelPermissionPolicy


class ReadOnlyPermissionPolicy(ModelPermissionPolicy):
    """Viewing follows the model permissions; adding, editing and deleting are never allowed.

    For records that only their app's own functions change (certificates, onboarding cases):
    the admin shows them and offers those functions as actions, never a form.
    """

    def user_has_permission(self, user: Any, action: str) -> bool:
        if action in {"add", "change", "delete"}:
            return False
        return super().user_has_permission(user, action)

    def user_has_any_permission(self, user: Any, actions: Any) -> bool:
        return any(self.user_has_permission(user, action) for action in actions)
