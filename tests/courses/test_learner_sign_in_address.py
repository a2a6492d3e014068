"""Every app's learner pages send a visitor to the learners' sign-in page, LMS_SIGN_IN_URL, even
when the host's own LOGIN_URL names another page (its staff's, say)."""

import pytest

from lms.certificates.models import Certificate
from tests.builders import complete, make_course, make_learner

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize(
    "address",
    [
        "/fr/learn/",
        "/fr/onboarding/",
        "/fr/onboarding/cases/1/",
        "certificate",
    ],
)
def test_a_visitor_is_sent_to_the_learners_sign_in_page_not_the_hosts(
    client, settings, django_capture_on_commit_callbacks, address
):
    settings.LOGIN_URL = "/accounts/login/"
    settings.LMS_SIGN_IN_URL = "maalem_accounts:login"
    if address == "certificate":
        with django_capture_on_commit_callbacks(execute=True):
            complete(make_learner(), make_course(lessons=1, quiz=False))
        address = f"/fr/certificates/{Certificate.objects.get().pk}/pdf/"

    response = client.get(address)

    assert response.status_code == 302
    assert response["Location"].startswith("/fr/learn/sign-in/?next=")
