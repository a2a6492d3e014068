"""Who writes courses: the Trainers group, what it may do, and the review its work goes through.

Trainers draft and edit courses inside the catalogue they are given, upload the pictures, files
and audio their lessons need, and read the progress report. They never publish: "Submit for
moderation" starts the "Course review" workflow, which Wagtail's Moderators group approves.
"""

from __future__ import annotations

from typing import Any

from django.contrib.auth.models import Group, Permission
from django.contrib.contenttypes.models import ContentType
from django.db import transaction
from django.utils.translation import gettext_lazy as _
from wagtail.models import (
    Collection,
    GroupApprovalTask,
    GroupCollectionPermission,
    GroupPagePermission,
    Page,
    Workflow,
    WorkflowPage,
    WorkflowTask,
)

from lms.conf import app_settings

from .models import CoursePage, LessonPage

PROGRESS_REPORT_CODENAME = "view_progress_report"
PROGRESS_REPORT_PERMISSION = f"maalem_courses.{PROGRESS_REPORT_CODENAME}"

# "add" lets a trainer create courses and lessons and edit their own; "change" lets them edit
# a colleague's course in the same catalogue; "lock" lets them keep a page to themselves while
# they rework it. "publish" is left out on purpose: publishing goes through the review.
TRAINER_PAGE_ACTIONS = ("add", "change", "lock")

# Pictures: only in the trainers' own collection, so that no other picture of the site (a
# seller's shop photo) is offered to them. The rest: (app label, codename) given on the root
# collection. wagtailmedia has no "choose" permission: its chooser lists the items a user may
# change, hence "change_media".
TRAINERS_COLLECTION = "Course media"
TRAINER_IMAGE_PERMISSIONS = (("wagtailimages", "add_image"), ("wagtailimages", "choose_image"))
TRAINER_COLLECTION_PERMISSIONS = (
    ("wagtaildocs", "add_document"),
    ("wagtaildocs", "choose_document"),
    ("wagtailmedia", "add_media"),
    ("wagtailmedia", "change_media"),
)

REVIEW_WORKFLOW_NAME = "Course review"
REVIEW_TASK_NAME = "Course review by moderators"
MODERATORS_GROUP = "Moderators"


def progress_report_permission() -> Permission:
    """The permission to read the learner progress report (declared on ``CoursePage.Meta``).

    Fetched with get_or_create so that it also works before post_migrate has created it, as in
    a test database built without migrations.
    """
    content_type = ContentType.objects.get_for_model(CoursePage, for_concrete_model=True)
    permission, _created = Permission.objects.get_or_create(
        content_type=content_type,
        codename=PROGRESS_REPORT_CODENAME,
        defaults={"name": "Can view the learner progress report"},
    )
    return permission


def _permission(app_label: str, codename: str) -> Permission:
    return Permission.objects.get(content_type__app_label=app_label, codename=codename)


def _page_permission(action: str) -> Permission:
    return Permission.objects.get(
        content_type=ContentType.objects.get_for_model(Page), codename=f"{action}_page"
    )


def ensure_review_workflow(root_page: Page) -> Workflow:
    """Make sure pages under ``root_page`` go through a moderators' review before publishing.

    A workflow an operator already assigned to ``root_page`` is kept: it is their call which
    review applies, and replacing it would cancel nothing but surprise them.
    """
    moderators, _created = Group.objects.get_or_create(name=MODERATORS_GROUP)
    task = GroupApprovalTask.objects.filter(name=REVIEW_TASK_NAME).first()
    if task is None:
        task = GroupApprovalTask.objects.create(name=REVIEW_TASK_NAME)
    task.groups.add(moderators)
    workflow, _created = Workflow.objects.get_or_create(name=REVIEW_WORKFLOW_NAME)
    WorkflowTask.objects.get_or_create(workflow=workflow, task=task, defaults={"sort_order": 0})
    assignment, _created = WorkflowPage.objects.get_or_create(
        page=root_page, defaults={"workflow": workflow}
    )
    return assignment.workflow


@transaction.atomic
def setup_trainers_group(root_page: Page, name: str | None = None) -> Group:
    """Create or complete the Trainers group so its members can write courses under ``root_page``.

    Safe to run again, and once per catalogue (each language's catalogue is its own subtree):
    it only adds what is missing.
    """
    group, _created = Group.objects.get_or_create(name=name or app_settings.TRAINERS_GROUP)
    group.permissions.add(
        _permission("wagtailadmin", "access_admin"),
        progress_report_permission(),
        # Wagtail's "Translate" action: a copy of a course or lesson in another language.
        _permission("simple_translation", "submit_translation"),
    )
    for action in TRAINER_PAGE_ACTIONS:
        GroupPagePermission.objects.get_or_create(
            group=group, page=root_page, permission=_page_permission(action)
        )
    # Wagtail's migrations make the root collection; a database emptied since has none.
    root_collection = Collection.get_first_root_node() or Collection.add_root(name="Root")
    for app_label, codename in TRAINER_COLLECTION_PERMISSIONS:
        GroupCollectionPermission.objects.get_or_create(
            group=group, collection=root_collection, permission=_permission(app_label, codename)
        )
    own = trainers_collection()
    for app_label, codename in TRAINER_IMAGE_PERMISSIONS:
        GroupCollectionPermission.objects.get_or_create(
            group=group, collection=own, permission=_permission(app_label, codename)
        )
    ensure_review_workflow(root_page)
    return group


def trainers_collection() -> Collection:
    """The collection of the trainers' pictures, under the root."""
    existing = Collection.objects.filter(name=TRAINERS_COLLECTION, depth=2).first()
    if existing is not None:
        return existing
    root = Collection.get_first_root_node() or Collection.add_root(name="Root")
    return root.add_child(name=TRAINERS_COLLECTION)


def grant_trainer(user: Any, group: Group | None = None) -> None:
    """Make ``user`` a trainer: a member of ``group``, by default the configured Trainers group.

    The group must already exist (see :func:`setup_trainers_group`); its permissions are what
    make a trainer, so a bare group would grant nothing.
    """
    group = group or Group.objects.get(name=app_settings.TRAINERS_GROUP)
    user.groups.add(group)


def describe_setup(group: Group, root_page: Page) -> str:
    """One line for the command's output: who may do what, where, and who reviews it."""
    workflow = WorkflowPage.objects.select_related("workflow").get(page=root_page).workflow
    return str(
        _('"%(group)s" can write courses under "%(page)s"; "%(workflow)s" reviews them.')
        % {"group": group.name, "page": root_page.title, "workflow": workflow.name}
    )


def lands_before_final_quiz(course: Page) -> bool:
    """Whether a lesson added to ``course`` now goes before its last lesson, a quiz.

    A course ends with its quiz: a new lesson is part of what the quiz tests, so it goes before
    it. A trainer who moved the quiz away from the end has said otherwise, and is followed.
    """
    last = LessonPage.objects.child_of(course).order_by("-path").first()
    return last is not None and last.is_quiz


def place_new_lesson(lesson: Page, user: Any = None) -> None:
    """Move a lesson just added at the end of its course before the course's final quiz."""
    if not isinstance(lesson.specific, LessonPage) or lesson.get_next_sibling() is not None:
        return
    previous = lesson.get_prev_sibling()
    course = lesson.get_parent()
    if previous is None or course is None:
        return
    without_it = LessonPage.objects.child_of(course).exclude(pk=lesson.pk).order_by("-path")
    last = without_it.first()
    if last is not None and last.pk == previous.pk and last.is_quiz:
        lesson.move(previous, pos="left", user=user)
        lesson.refresh_from_db(fields=["path", "depth", "url_path"])
