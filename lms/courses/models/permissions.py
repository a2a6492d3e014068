"""What trainers may do to the lessons of a course, beyond Wagtail's defaults.

Wagtail asks for "publish" to reorder a page's children, and to move a live page. Trainers never
publish (their work goes through the review), but the order of a course's lessons is part of
writing the course: whoever may change a course's pages may put its lessons in order.
"""

from __future__ import annotations

from typing import Any

from wagtail.models import Page, PagePermissionTester


class CoursePermissions(PagePermissionTester):
    def can_reorder_children(self) -> bool:
        if super().can_reorder_children():
            return True
        return bool(self.user.is_active and "change" in self.permissions and not self.page_locked())


class LessonPermissions(PagePermissionTester):
    def can_move_to(self, destination: Any) -> bool:
        if isinstance(destination, Page) and self.page.is_child_of(destination):
            # Reordering within its own course, not a move elsewhere.
            return bool(destination.permissions_for_user(self.user).can_reorder_children())
        return bool(super().can_move_to(destination))
