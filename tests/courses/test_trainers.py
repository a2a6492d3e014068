from io import StringIO

import pytest
from django.contrib.auth.models import Group
from django.core.management import call_command
from django.urls import reverse
from wagtail.models import (
    GroupCollectionPermission,
    GroupPagePermission,
    Workflow,
    WorkflowPage,
    WorkflowState,
)
from wagtail.test.utils.form_data import nested_form_data, rich_text, streamfield

from lms.courses.trainers import grant_trainer, setup_trainers_group
from tests.builders import lessons_of, make_catalogue, make_course, make_learner, reload

# Staff screens and commands speak the site's default language; these tests read English.
pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("english")]


@pytest.fixture
def moderator():
    user = make_learner("moderator")
    user.groups.add(Group.objects.get(name="Moderators"))
    return user


def course_form(course, action=None, **changes):
    data = {
        "title": course.title,
        "slug": course.slug,
        "summary": course.summary,
        "description": rich_text(course.description or "<p>About the course.</p>"),
        "duration_minutes": course.duration_minutes,
        "level": course.level,
        "pass_mark": course.pass_mark,
        "max_quiz_attempts": course.max_quiz_attempts,
        **changes,
    }
    if action:
        data[f"action-{action}"] = "action"
    return nested_form_data(data)


def edit(client, course, action=None, **changes):
    return client.post(
        reverse("wagtailadmin_pages:edit", args=[course.pk]), course_form(course, action, **changes)
    )


def test_a_trainer_can_edit_a_course_in_their_catalogue(client, trainer, catalogue):
    course = make_course(catalogue)
    client.force_login(trainer)

    assert client.get(reverse("wagtailadmin_pages:edit", args=[course.pk])).status_code == 200
    response = edit(client, course, title="Selling with a QR code")

    assert response.status_code == 302
    assert reload(course).get_latest_revision_as_object().title == "Selling with a QR code"


def test_a_trainer_is_turned_away_from_a_course_outside_their_catalogue(client, trainer):
    elsewhere = make_course(make_catalogue(intro="<p>Another team's courses.</p>"))
    client.force_login(trainer)

    page = client.get(reverse("wagtailadmin_pages:edit", args=[elsewhere.pk]))
    response = edit(client, elsewhere, title="Changed by a stranger")

    assert page.status_code in (302, 403)
    assert page.status_code == 403 or page["Location"] == reverse("wagtailadmin_home")
    assert response.status_code in (302, 403)
    assert reload(elsewhere).get_latest_revision_as_object().title != "Changed by a stranger"


def test_a_trainer_cannot_publish_a_course_directly(client, trainer, catalogue):
    course = make_course(catalogue)
    client.force_login(trainer)

    edit(client, course, action="publish", title="Published without review")

    live = reload(course)
    assert live.title == course.title
    assert live.has_unpublished_changes
    assert not WorkflowState.objects.exists()


def test_a_submitted_course_is_published_once_a_moderator_approves_it(
    client, trainer, moderator, catalogue
):
    course = make_course(catalogue)
    client.force_login(trainer)

    edit(client, course, action="submit", title="Reviewed title")

    state = WorkflowState.objects.get(object_id=str(course.pk))
    assert (state.workflow.name, state.status) == (
        "Course review",
        WorkflowState.STATUS_IN_PROGRESS,
    )
    assert reload(course).title == course.title

    client.force_login(moderator)
    task_state = reload(course).current_workflow_task_state
    client.post(
        reverse("wagtailadmin_pages:workflow_action", args=[course.pk, "approve", task_state.pk])
    )

    state.refresh_from_db()
    assert state.status == WorkflowState.STATUS_APPROVED
    assert reload(course).title == "Reviewed title"


def test_a_trainer_previews_a_course_as_a_learner_would_see_it(client, trainer, catalogue):
    course = make_course(catalogue)
    client.force_login(trainer)
    preview_url = reverse("wagtailadmin_pages:preview_on_edit", args=[course.pk])

    response = client.post(preview_url, course_form(course, summary="Cash, cards and phones."))
    assert response.json() == {"is_valid": True, "is_available": True}
    preview = client.get(preview_url, {"mode": ""})

    assert preview.status_code == 200
    assert "Cash, cards and phones." in preview.content.decode()


def test_a_trainer_previews_a_lesson_without_being_enrolled(client, trainer, catalogue):
    lesson = lessons_of(make_course(catalogue))[0]
    client.force_login(trainer)
    preview_url = reverse("wagtailadmin_pages:preview_on_edit", args=[lesson.pk])
    form = nested_form_data(
        {
            "title": lesson.title,
            "slug": lesson.slug,
            "minutes": 4,
            "body": streamfield(
                [("text", {"text": rich_text("<p>Keep your PIN to yourself.</p>")})]
            ),
        }
    )

    response = client.post(preview_url, form)
    assert response.json() == {"is_valid": True, "is_available": True}
    preview = client.get(preview_url)

    assert preview.status_code == 200
    assert "Keep your PIN to yourself." in preview.content.decode()


def test_setting_up_the_trainers_twice_changes_nothing_the_second_time(catalogue):
    group = setup_trainers_group(catalogue)
    before = (
        GroupPagePermission.objects.filter(group=group).count(),
        GroupCollectionPermission.objects.filter(group=group).count(),
        group.permissions.count(),
        Workflow.objects.filter(name="Course review").count(),
    )

    assert setup_trainers_group(catalogue) == group
    assert before == (
        GroupPagePermission.objects.filter(group=group).count(),
        GroupCollectionPermission.objects.filter(group=group).count(),
        group.permissions.count(),
        Workflow.objects.filter(name="Course review").count(),
    )
    assert before == (3, 6, 3, 1)
    assert WorkflowPage.objects.get(page=catalogue).workflow.name == "Course review"


def test_the_setup_command_covers_every_catalogue_and_says_so(catalogue):
    other = make_catalogue(intro="<p>Arabic team.</p>")
    out = StringIO()

    call_command("setup_trainers", stdout=out)

    group = Group.objects.get(name="Trainers")
    assert set(GroupPagePermission.objects.filter(group=group).values_list("page", flat=True)) == {
        catalogue.pk,
        other.pk,
    }
    assert out.getvalue().count('"Course review" reviews them') == 2


def test_the_group_name_comes_from_the_settings(settings, catalogue):
    settings.LMS_TRAINERS_GROUP = "Formateurs"
    setup_trainers_group(catalogue)
    user = make_learner()

    grant_trainer(user)

    assert list(user.groups.values_list("name", flat=True)) == ["Formateurs"]
