import pytest
from django.test import RequestFactory

from common.clients import client_address

PROXY = "10.0.0.1"


def address(proxies, forwarded=None, remote=PROXY, settings=None):
    settings.TRUSTED_PROXIES = proxies
    headers = {} if forwarded is None else {"HTTP_X_FORWARDED_FOR": forwarded}
    return client_address(RequestFactory().get("/", REMOTE_ADDR=remote, **headers))


@pytest.mark.parametrize(
    "forwarded, expected",
    [
        (None, "198.51.100.7"),
        # Without a proxy the header is whatever the client wrote.
        ("203.0.113.66", "198.51.100.7"),
    ],
)
def test_without_a_proxy_the_client_is_the_connection(settings, forwarded, expected):
    assert address(0, forwarded, remote="198.51.100.7", settings=settings) == expected


@pytest.mark.parametrize(
    "proxies, forwarded, expected",
    [
        (1, "203.0.113.66", "203.0.113.66"),
        # The client may write anything on the left; the proxy appends what it saw.
        (1, "198.51.100.7, 203.0.113.66", "203.0.113.66"),
        (1, "198.51.100.7,203.0.113.66", "203.0.113.66"),
        # Two proxies: the outer one appended the client, the inner one the outer proxy.
        (2, "198.51.100.7, 203.0.113.66, 10.0.0.2", "203.0.113.66"),
        # Written differently, the same address.
        (1, "2001:DB8:0:0::1", "2001:db8::1"),
    ],
)
def test_behind_proxies_the_client_is_counted_from_the_right(
    settings, proxies, forwarded, expected
):
    assert address(proxies, forwarded, settings=settings) == expected


@pytest.mark.parametrize(
    "proxies, forwarded",
    [
        (1, None),  # a request that did not come through the proxy
        (1, ""),
        (2, "203.0.113.66"),  # shorter than the proxies in front
        (1, "198.51.100.7, unknown"),
        (1, "198.51.100.7, 203.0.113.66:443"),
        (1, "198.51.100.7, "),
        (1, "203.0.113.66\x00"),
    ],
)
def test_a_header_that_names_no_client_falls_back_to_the_connection(settings, proxies, forwarded):
    assert address(proxies, forwarded, settings=settings) == PROXY
