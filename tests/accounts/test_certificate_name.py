"""The name a learner types for her certificates is shown to others: no hidden direction tricks."""

import pytest
from django.urls import reverse

from tests.builders import make_learner

pytestmark = pytest.mark.django_db


def test_right_to_left_override_characters_are_not_kept_in_names(client):
    learner = make_learner(first_name="", last_name="")
    client.force_login(learner)

    response = client.post(
        reverse("maalem_accounts:your_name"),
        {"first_name": "\u202eFatima\u202c", "last_name": "Ben\u2067ani\u2069"},
    )

    assert response.status_code == 302
    learner.refresh_from_db()
    assert (learner.first_name, learner.last_name) == ("Fatima", "Benani")
