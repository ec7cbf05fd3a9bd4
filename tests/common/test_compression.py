"""Answers of more than about 1 KB go out compressed when the client accepts it."""

import gzip

import brotli
import pytest

from common.compression import accepted

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize(
    ("header", "encoding"),
    [
        ("gzip, deflate, br", "br"),
        ("gzip", "gzip"),
        ("br;q=0.5, gzip;q=0.9", "gzip"),
        ("br;q=0, gzip;q=0", None),
        ("identity", None),
        ("*", "br"),
        ("*;q=0.1, br;q=0", "gzip"),
        ("", None),
        ("gzip;q=nonsense, br", "br"),
    ],
)
def test_the_encoding_follows_the_clients_preference(header, encoding):
    assert accepted(header) == encoding


@pytest.mark.parametrize(
    ("encoding", "decompress"), [("br", brotli.decompress), ("gzip", gzip.decompress)]
)
@pytest.mark.parametrize("url", ["/ai/programme.ics", "/ai/programme/", "/api/v1/sessions/"])
def test_feeds_pages_and_the_api_go_out_compressed(client, site, url, encoding, decompress):
    plain = client.get(url)
    assert plain.status_code == 200 and "Content-Encoding" not in plain
    assert "Accept-Encoding" in plain["Vary"]
    packed = client.get(url, headers={"Accept-Encoding": encoding})
    assert packed["Content-Encoding"] == encoding
    assert int(packed["Content-Length"]) == len(packed.content) < len(plain.content)
    body = decompress(packed.content)
    if url.endswith(".ics"):
        assert body == plain.content
    else:  # CSRF tokens and the like differ from one answer to the next
        assert len(body) == pytest.approx(len(plain.content), rel=0.01)


def test_a_compressed_feed_still_answers_304(client, site):
    first = client.get("/ai/programme.ics", headers={"Accept-Encoding": "gzip"})
    assert first["ETag"].startswith('W/"')
    again = client.get(
        "/ai/programme.ics",
        headers={"Accept-Encoding": "gzip", "If-None-Match": first["ETag"]},
    )
    assert again.status_code == 304 and again.content == b""


def test_small_answers_are_left_alone(client, site):
    small = client.get("/api/v1/tracks/?slug=nothing", headers={"Accept-Encoding": "br"})
    assert small.status_code == 200 and len(small.content) < 1024
    assert "Content-Encoding" not in small
