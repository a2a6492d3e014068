"""Two web processes and a worker, each in a folder of its own, share nothing but PostgreSQL,
Redis and an S3-compatible object store, which the test starts (moto in server mode). As in
production (docs/deploy.md), Redis is their cache too, so every node keeps the Wagtail site
found for a host name until a page is published anywhere.

A learner's photo uploaded through node A is handed over by node B; a certificate the worker
renders downloads from both; a case submitted on A goes live as a seller page that B serves, with
its photo in the public bucket. No process keeps a file in its own folder.
"""

from __future__ import annotations

import io
import re
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import environ
import pytest
import requests
from django.conf import settings as django_settings
from django.core.cache import caches
from django.db import connection
from django.test import Client
from PIL import Image as PILImage

from config.caches import cache_settings
from config.storage import storage_settings
from lms.certificates.keys import new_signing_key
from lms.certificates.models import Certificate
from onboarding import photos
from onboarding.marketplace.models import SellerProfilePage
from onboarding.models import ApplicantProfile, OnboardingCase
from tests.builders import complete, default_site, make_course
from tests.onboarding.onboarding_builders import (
    VALID_PHONE,
    application_url,
    make_case,
    make_craft,
    photo_upload,
)
from tests.onboarding.sandbox_process import running_sandbox
from tests.worker import wait_for

from .nodes import (
    MEDIA_BUCKET,
    PRIVATE_BUCKET,
    bucket_names,
    files_under,
    free_port,
    s3_client,
    s3_environment,
    s3_server,
    web_nodes,
    worker_node,
)

pytestmark = [
    pytest.mark.multinode,
    pytest.mark.django_db(transaction=True),
    pytest.mark.usefixtures("pii_keys"),
    pytest.mark.timeout(240),
]


@pytest.fixture
def production_shape(settings: Any) -> None:
    if connection.vendor != "postgresql":
        pytest.skip("the multi-node test needs PostgreSQL: set DATABASE_URL to a postgres:// URL")
    if not django_settings.CELERY_BROKER_URL.startswith("redis://"):
        pytest.skip("the multi-node test needs Redis: set CELERY_BROKER_URL to a redis:// URL")


@pytest.fixture
def cluster(production_shape: None, tmp_path: Path, settings: Any, monkeypatch: Any) -> Iterator:
    """The object store, the payments sandbox, web nodes A and B and a worker, all started."""
    logs = tmp_path / "logs"
    logs.mkdir()
    key = new_signing_key()
    # This test process issues certificates and reads the buckets like any node.
    settings.LMS_CERTIFICATES_SIGNING_KEYS = [key]
    with s3_server(logs) as endpoint:
        for name, value in s3_environment(endpoint).items():
            monkeypatch.setenv(name, value)
        settings.STORAGES = storage_settings(tmp_path / "test-process", True)["STORAGES"]
        # The nodes' cache, which this process writes to as well when it publishes a page. It
        # starts empty: what an earlier run left would be keyed by this run's primary keys.
        cache_url = django_settings.CELERY_BROKER_URL.replace("redis://", "rediscache://", 1)
        for name, value in cache_settings(environ.Env.cache_url_config(cache_url)).items():
            setattr(settings, name, value)
        caches["default"].clear()
        port_b = free_port()
        webhook_url = f"http://127.0.0.1:{port_b}/onboarding/webhooks/payments/"
        with running_sandbox(webhook_url=webhook_url, activation_delay=0.2) as sandbox:
            shared = {
                **s3_environment(endpoint),
                "CERTIFICATE_SIGNING_KEY": key,
                "PAYMENTS_API_URL": sandbox.url,
                "PAYMENTS_TIMEOUT": "2",
                "CELERY_BROKER_URL": django_settings.CELERY_BROKER_URL,
                "CACHE_URL": cache_url,
            }
            folders = {name: tmp_path / name for name in ("node-a", "node-b", "worker")}
            with (
                worker_node(folders["worker"], shared, logs),
                web_nodes(
                    [folders["node-a"], folders["node-b"]], shared, logs, [free_port(), port_b]
                ) as (node_a, node_b),
            ):
                yield {
                    "a": node_a,
                    "b": node_b,
                    "s3": s3_client(endpoint),
                    "endpoint": endpoint,
                    "folders": folders,
                }


def signed_in(user: Any) -> requests.Session:
    """A browser session of ``user``, valid on every node: sessions live in the database."""
    client = Client()
    client.force_login(user)
    session = requests.Session()
    session.cookies.set(django_settings.SESSION_COOKIE_NAME, client.cookies["sessionid"].value)
    return session


def submit_application(browser: requests.Session, node: str, case: OnboardingCase) -> None:
    form = browser.get(node + application_url(case), timeout=30)
    assert form.status_code == 200, form.text[:500]
    token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', form.text)
    assert token, "the application form carries a CSRF token"
    upload = photo_upload()
    answer = browser.post(
        node + application_url(case),
        data={
            "csrfmiddlewaretoken": token.group(1),
            "action": "submit",
            "consent": "on",
            "cin": "ab123456",
            "phone": VALID_PHONE,
            "region": "Fès-Meknès",
            "craft": str(make_craft().pk),
            "shop_name": "Atelier Zellige",
            "payout_method": "wallet",
        },
        files={"photo": (upload.name, upload.read(), upload.content_type)},
        allow_redirects=False,
        timeout=30,
    )
    assert answer.status_code == 302, answer.text[:2000]


def follow_to_the_store(browser: requests.Session, url: str, endpoint: str) -> requests.Response:
    """Ask a node for a private file: it answers with a presigned link to the store, followed."""
    answer = browser.get(url, allow_redirects=False, timeout=30)
    assert answer.status_code == 302, answer.text[:500]
    location = answer.headers["Location"]
    assert location.startswith(f"{endpoint}/{PRIVATE_BUCKET}/"), location
    assert "X-Amz-Signature=" in location and "X-Amz-Expires=" in location
    # The link alone is the key: no cookie goes to the store.
    assert requests.get(location.split("?")[0], timeout=10).status_code == 403
    return requests.get(location, timeout=10)


def test_files_live_in_the_object_store_and_every_node_serves_them(cluster: dict) -> None:
    a, b, s3, endpoint = cluster["a"], cluster["b"], cluster["s3"], cluster["endpoint"]
    default_site()
    case = make_case()
    learner = case.learner
    browser = signed_in(learner)

    # Uploaded through A...
    submit_application(browser, a, case)
    profile = ApplicantProfile.objects.get(case=case)
    assert profile.photo.name in bucket_names(s3, PRIVATE_BUCKET)

    # ...handed over by B, by a presigned link to the private bucket.
    photo_url = photos.photo_url(case)
    assert photo_url
    photo = follow_to_the_store(browser, b + photo_url, endpoint)
    assert photo.status_code == 200
    assert photo.headers["Content-Type"] == "image/jpeg"
    stored = s3.get_object(Bucket=PRIVATE_BUCKET, Key=profile.photo.name)["Body"].read()
    assert photo.content == stored and stored.startswith(b"\xff\xd8")

    # A certificate rendered by the worker downloads from A and from B.
    complete(learner, make_course(title="Emballer", lessons=1, quiz=False))
    wait_for(
        lambda: Certificate.objects.filter(pdf_rendered_at__isnull=False).exists(),
        timeout=60,
        what="the worker to render the certificate",
    )
    certificate = Certificate.objects.get()
    assert certificate.pdf.name in bucket_names(s3, PRIVATE_BUCKET)
    for node in (a, b):
        pdf = follow_to_the_store(
            browser, f"{node}/fr/certificates/{certificate.pk}/pdf/", endpoint
        )
        assert pdf.status_code == 200
        assert pdf.content.startswith(b"%PDF-")
        assert pdf.headers["Content-Type"] == "application/pdf"

    # The case submitted on A goes live: the worker opens the account and publishes the page,
    # the sandbox's webhook lands on B, and B serves the page with its photo from the store.
    wait_for(
        lambda: OnboardingCase.objects.get(pk=case.pk).state == "active",
        timeout=60,
        what="the case to become active",
    )
    page = SellerProfilePage.objects.get(case=case)
    assert page.live
    seller = requests.get(b + page.url, timeout=30)
    assert seller.status_code == 200
    assert "Atelier Zellige" in seller.text
    pictures = re.findall(rf'src="({re.escape(endpoint)}/{MEDIA_BUCKET}/[^"]+)"', seller.text)
    assert pictures, "the seller page shows its photo from the public bucket"
    picture = requests.get(pictures[0].replace("&amp;", "&"), timeout=10)
    assert picture.status_code == 200
    with PILImage.open(io.BytesIO(picture.content)) as image:
        image.verify()

    # Nothing was written to any process's own disk.
    for name, folder in cluster["folders"].items():
        assert files_under(folder) == [], f"{name} kept files on its own disk"
