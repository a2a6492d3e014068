"""Every rate limit counts the same client address: behind a proxy, the one the proxy added."""

import pytest
from django.test import RequestFactory

from maalem.core.ratelimit import client_ip


def request_from(**meta: str):
    return RequestFactory().get("/", **meta)


def test_the_direct_address_is_used_by_default():
    assert client_ip(request_from(REMOTE_ADDR="203.0.113.9")) == "203.0.113.9"


def test_behind_a_proxy_the_last_forwarded_address_is_used_not_one_the_client_wrote(settings):
    settings.MAALEM_CLIENT_IP_HEADER = "HTTP_X_FORWARDED_FOR"
    request = request_from(HTTP_X_FORWARDED_FOR="10.0.0.1, 198.51.100.7", REMOTE_ADDR="10.9.9.9")
    assert client_ip(request) == "198.51.100.7"


@pytest.mark.parametrize("address", ["2001:db8:1:2::10", "2001:db8:1:2:ffff::1"])
def test_ipv6_addresses_are_grouped_by_their_64_bit_prefix(address):
    assert client_ip(request_from(REMOTE_ADDR=address)) == "2001:db8:1:2::/64"


@pytest.mark.django_db
def test_the_certificate_verification_limit_counts_the_forwarded_address(client, settings):
    settings.MAALEM_CLIENT_IP_HEADER = "HTTP_X_FORWARDED_FOR"
    settings.LMS_CERTIFICATES_VERIFY_RATE = "2/m"
    url = "/fr/certificates/verify/ABCD-EFGH-JKMN-PQRS/"
    for _ in range(2):
        assert client.get(url, HTTP_X_FORWARDED_FOR="198.51.100.7").status_code == 404
    assert client.get(url, HTTP_X_FORWARDED_FOR="198.51.100.7").status_code == 429
    assert client.get(url, HTTP_X_FORWARDED_FOR="198.51.100.8").status_code == 404


def test_a_request_without_an_address_is_stored_as_no_address_not_as_a_word():
    from django.test import RequestFactory

    from maalem.core.ratelimit import known_client_ip

    request = RequestFactory().get("/")
    request.META.pop("REMOTE_ADDR", None)
    assert known_client_ip(request) is None
    request.META["REMOTE_ADDR"] = "2001:db8:1:2::10"
    assert known_client_ip(request) == "2001:db8:1:2::"
    request.META["REMOTE_ADDR"] = "203.0.113.9"
    assert known_client_ip(request) == "203.0.113.9"
