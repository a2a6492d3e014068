"""The certificates listing at national scale: an index for its order, one query for its rows
whatever their number, a search by code that uses the code's index, and no template snapshot."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from lms.certificates.issuing import issue_certificate, reissue
from lms.certificates.models import Certificate
from tests.builders import make_course
from tests.certificates.issuing_builders import completions

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("fast_passwords")]


def issue(capture, count):
    course = make_course(lessons=1, quiz=False)
    with capture(execute=False):
        certificates = [issue_certificate(completion) for completion in completions(course, count)]
        reissue(certificates[0], by=None, reason="Name misspelt")
    return certificates


def listing_queries(admin_client) -> list[str]:
    with CaptureQueriesContext(connection) as captured:
        response = admin_client.get("/admin/certificates/")
    assert response.status_code == 200
    return [query["sql"] for query in captured.captured_queries]


def test_the_certificates_are_sorted_by_issue_date_through_an_index():
    with connection.cursor() as cursor:
        constraints = connection.introspection.get_constraints(cursor, Certificate._meta.db_table)
    assert any(
        found["index"] and found["columns"] == ["issued_at"] for found in constraints.values()
    )


def test_the_listing_runs_as_many_queries_for_forty_certificates_as_for_four(
    admin_client, django_capture_on_commit_callbacks, django_assert_max_num_queries
):
    issue(django_capture_on_commit_callbacks, 4)
    few = len(listing_queries(admin_client))
    issue(django_capture_on_commit_callbacks, 36)
    assert Certificate.objects.count() == 42

    with django_assert_max_num_queries(few):
        admin_client.get("/admin/certificates/")
    rows = [sql for sql in listing_queries(admin_client) if "template_snapshot" in sql]
    assert rows == []  # the PDF's template is not read for a list


def test_a_search_for_a_code_or_its_start_finds_it_through_the_code_index(
    admin_client, django_capture_on_commit_callbacks
):
    wanted, other, *_ = issue(django_capture_on_commit_callbacks, 3)
    Certificate.objects.filter(pk=wanted.pk).update(code="7K3M9QRS2TVW4XYZ")
    Certificate.objects.filter(pk=other.pk).update(code="7K3N9QRS2TVW4XYZ")

    for typed in ("7K3M-9QRS-2TVW-4XYZ", "7k3m 9qrs", "7K3M"):
        with CaptureQueriesContext(connection) as captured:
            page = admin_client.get("/admin/certificates/", {"q": typed}).content.decode()
        assert "7K3M-9QRS-2TVW-4XYZ" in page, typed
        assert "7K3N-9QRS-2TVW-4XYZ" not in page, typed
        searches = [q["sql"] for q in captured.captured_queries if "7K3M" in q["sql"]]
        assert searches and not any("LIKE" in sql.upper() for sql in searches), typed
