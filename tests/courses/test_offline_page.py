"""The phone keeps the site's offline page, served by a service worker at the root of the site."""

from __future__ import annotations

import pytest
from django.urls import reverse

from tests.builders import make_learner

pytestmark = pytest.mark.django_db


def test_the_service_worker_is_served_from_the_root_with_each_language_s_offline_page(client):
    answer = client.get(reverse("lms_api:service_worker"))

    assert reverse("lms_api:service_worker") == "/sw.js"
    assert answer["Content-Type"].startswith("text/javascript")
    script = answer.content.decode()
    for offline_page in ("/ar/learn/offline/", "/fr/learn/offline/", "/en/learn/offline/"):
        assert offline_page in script
    assert client.get("/sw.js", headers={"if-none-match": answer["ETag"]}).status_code == 304


def test_the_offline_page_tells_the_learner_they_are_offline_and_sends_nobody_s_queue(client):
    learner = make_learner()
    client.force_login(learner)

    answer = client.get("/en/learn/offline/")

    assert answer.status_code == 200
    html = answer.content.decode()
    assert "You are offline" in html
    # The phone keeps this page for whoever signs in next: it names no learner, unlike the
    # learner's own pages, whose queue it would otherwise send.
    assert 'data-learner=""' in html
    assert f'data-learner="{learner.pk}"' in client.get("/en/learn/").content.decode()
