"""Status-list entries: never two certificates on one, never a failure for lack of room, in an
order that says nothing, and every list published."""

import base64
import gzip
import threading

import pytest
from django.db import connection, connections
from joserfc import jwt

from lms.certificates import permutation
from lms.certificates.issuing import issue_certificate, revoke
from lms.certificates.models import Certificate, StatusList
from tests.builders import make_course
from tests.certificates.certificate_builders import published_keys
from tests.certificates.issuing_builders import completions

pytestmark = [
    pytest.mark.filterwarnings("ignore:EdDSA is deprecated"),
    pytest.mark.usefixtures("fast_passwords"),
]


def published_bits(client, number: int) -> tuple[bytes, dict]:
    response = client.get(f"/certificates/status/{number}/")
    assert response.status_code == 200
    claims = jwt.decode(
        response.content.decode(), published_keys(client), algorithms=["EdDSA"]
    ).claims
    encoded = claims["vc"]["credentialSubject"]["encodedList"][1:]
    bits = gzip.decompress(base64.urlsafe_b64decode(encoded + "=" * (-len(encoded) % 4)))
    return bits, claims


def bit(bits: bytes, index: int) -> int:
    return (bits[index // 8] >> (7 - index % 8)) & 1


def test_the_permutation_gives_every_slot_of_a_list_exactly_once():
    for size in (1, 2, 7, 8, 100, 1000, 4099):
        slots = [permutation.slot(b"seed-of-the-list", size, counter) for counter in range(size)]
        assert sorted(slots) == list(range(size))


@pytest.mark.django_db
def test_more_certificates_than_one_list_holds_all_get_an_entry_and_every_list_is_published(
    client, settings, django_capture_on_commit_callbacks
):
    settings.LMS_CERTIFICATES_STATUS_LIST_SIZE = 8
    course = make_course(lessons=1, quiz=False)

    with django_capture_on_commit_callbacks(execute=False):
        issued = [issue_certificate(completion) for completion in completions(course, 20)]

    assert all(certificate is not None for certificate in issued)
    entries = list(Certificate.objects.values_list("status_list", "status_index"))
    assert len(set(entries)) == 20
    assert all(0 <= index < 8 for _number, index in entries)
    assert sorted(StatusList.objects.values_list("number", "allocated")) == [
        (1, 8),
        (2, 8),
        (3, 4),
    ]
    last = issued[-1]
    assert last.status_list == 3
    revoke(last, by=None, reason="Fraud at the exam")
    for number in (1, 2, 3):
        bits, claims = published_bits(client, number)
        assert claims["vc"]["id"].endswith(f"/certificates/status/{number}/")
        assert bit(bits, last.status_index) == (number == 3)
    assert client.get("/certificates/status/4/", follow=True).status_code == 404


@pytest.mark.django_db
def test_entries_are_handed_out_in_an_order_that_says_nothing_of_the_issue_order(
    settings, django_capture_on_commit_callbacks
):
    settings.LMS_CERTIFICATES_STATUS_LIST_SIZE = 32
    course = make_course(lessons=1, quiz=False)
    with django_capture_on_commit_callbacks(execute=False):
        indexes = [issue_certificate(c).status_index for c in completions(course, 32)]

    assert sorted(indexes) == list(range(32))
    steps = {later - earlier for earlier, later in zip(indexes, indexes[1:], strict=False)}
    assert len(steps) > 8  # neither consecutive nor a fixed stride


@pytest.mark.django_db
def test_entries_already_taken_by_older_certificates_are_passed_over(
    settings, django_capture_on_commit_callbacks
):
    settings.LMS_CERTIFICATES_STATUS_LIST_SIZE = 4
    course = make_course(lessons=1, quiz=False)
    older, *newer = completions(course, 4)
    with django_capture_on_commit_callbacks(execute=False):
        first = issue_certificate(older)
    # Certificates issued before lists were allocated in order sit on random entries of list 1.
    Certificate.objects.filter(pk=first.pk).update(status_index=(first.status_index + 1) % 4)
    StatusList.objects.all().delete()

    with django_capture_on_commit_callbacks(execute=False):
        for completion in newer:
            issue_certificate(completion)

    entries = list(Certificate.objects.values_list("status_list", "status_index"))
    assert len(set(entries)) == 4
    assert sorted(number for number, _index in entries) == [1, 1, 1, 1]


@pytest.mark.django_db(transaction=True)
def test_issuers_running_at_once_never_share_an_entry_and_open_each_list_once(settings):
    if connection.vendor != "postgresql":
        pytest.skip("SQLite serialises writers; the race needs PostgreSQL.")
    settings.LMS_CERTIFICATES_STATUS_LIST_SIZE = 5
    course = make_course(lessons=1, quiz=False)
    made = completions(course, 24)
    barrier = threading.Barrier(4)
    errors = []

    def issue(share):
        try:
            barrier.wait()
            for completion in share:
                issue_certificate(completion)
        except Exception as error:  # noqa: BLE001 - reported by the assertion below
            errors.append(error)
        finally:
            connections.close_all()

    threads = [threading.Thread(target=issue, args=(made[n::4],)) for n in range(4)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()

    assert errors == []
    entries = list(Certificate.objects.values_list("status_list", "status_index"))
    assert len(entries) == 24 and len(set(entries)) == 24
    assert list(StatusList.objects.values_list("number", "allocated")) == [
        (1, 5),
        (2, 5),
        (3, 5),
        (4, 5),
        (5, 4),
    ]
