"""maalem.W010: `check --database default` and migrate report pages whose children count is wrong."""

from __future__ import annotations

from io import StringIO

import pytest
from django.core.checks import Tags, run_checks
from django.core.management import call_command
from wagtail.models import Page

from tests.builders import make_course

pytestmark = pytest.mark.django_db


def tree_warnings(databases: tuple[str, ...] | None = ("default",)) -> list[str]:
    messages = run_checks(tags=[Tags.database], databases=databases)
    return [message.msg for message in messages if message.id == "maalem.W010"]


def test_a_tree_whose_counts_agree_with_it_passes() -> None:
    make_course(lessons=3)
    assert tree_warnings() == []


def test_a_course_counted_as_childless_is_reported_with_its_id() -> None:
    course = make_course(lessons=3)
    Page.objects.filter(pk=course.pk).update(numchild=0)
    [warning] = tree_warnings()
    assert f"pages {course.pk})" in warning


def test_a_page_counted_with_children_it_does_not_have_is_reported() -> None:
    course = make_course(lessons=1, quiz=False)
    lesson = Page.objects.child_of(course).get()
    Page.objects.filter(pk=lesson.pk).update(numchild=2)
    [warning] = tree_warnings()
    assert f"pages {lesson.pk})" in warning


def test_the_tree_is_only_read_when_a_database_is_named() -> None:
    course = make_course(lessons=2)
    Page.objects.filter(pk=course.pk).update(numchild=0)
    assert tree_warnings(databases=None) == []


def test_check_with_the_database_option_tells_the_operator_to_run_fixtree() -> None:
    course = make_course(lessons=2)
    Page.objects.filter(pk=course.pk).update(numchild=0)
    errors = StringIO()
    call_command("check", "--database", "default", stdout=StringIO(), stderr=errors)
    assert "maalem.W010" in errors.getvalue()
    assert "manage.py fixtree" in errors.getvalue()


def test_fixtree_repairs_the_counts_the_check_reports_and_the_lessons_are_found(client) -> None:
    course = make_course(lessons=2)
    Page.objects.filter(pk=course.pk).update(numchild=0)
    lesson = Page.objects.child_of(course).live().first()
    assert tree_warnings() != []

    call_command("fixtree", "--noinput", stdout=StringIO())

    assert tree_warnings() == []
    assert Page.objects.get(pk=course.pk).numchild == 3
    # Found again: a visitor who is not signed in is asked to sign in to read it.
    assert client.get(lesson.url).status_code == 302
