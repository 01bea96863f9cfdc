"""Behind a proxy the rate limits and the lockout count the client's address, not the proxy's."""

import pytest
from django.test import RequestFactory, override_settings

from kring.lib.http import client_address

PROXY = "10.0.0.5"


def _request(forwarded: str | None) -> object:
    extra = {"REMOTE_ADDR": PROXY}
    if forwarded is not None:
        extra["HTTP_X_FORWARDED_FOR"] = forwarded
    return RequestFactory().get("/", **extra)


def test_without_a_proxy_the_connection_is_the_client():
    assert client_address(_request("203.0.113.9")) == PROXY


@override_settings(KRING_BEHIND_PROXY=True, KRING_PROXY_COUNT=1)
@pytest.mark.parametrize(
    ("forwarded", "client"),
    [
        ("203.0.113.9", "203.0.113.9"),
        # a client that sends its own header cannot choose its address: the proxy appends
        ("1.2.3.4, 203.0.113.9", "203.0.113.9"),
        (None, PROXY),
        ("", PROXY),
    ],
)
def test_behind_one_proxy_the_address_it_appended_counts(forwarded, client):
    assert client_address(_request(forwarded)) == client


@override_settings(KRING_BEHIND_PROXY=True, KRING_PROXY_COUNT=2)
def test_behind_two_proxies_the_second_from_the_right_counts():
    assert client_address(_request("1.2.3.4, 203.0.113.9, 10.0.0.7")) == "203.0.113.9"
    assert client_address(_request("10.0.0.7")) == PROXY  # fewer entries than proxies


@override_settings(KRING_BEHIND_PROXY=True, KRING_PROXY_COUNT=1)
def test_the_public_form_limit_counts_each_client_behind_the_proxy(db, client, settings):
    """Two families behind the same proxy do not share one bucket of the public form."""
    from django_ratelimit.core import get_usage

    first, second = _request("203.0.113.9"), _request("198.51.100.4")
    for request in (first, second):
        usage = get_usage(request, group="t", key="ip", rate="1/m", increment=True)
        assert usage is not None and usage["count"] == 1
