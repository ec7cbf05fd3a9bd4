"""Compressed answers: brotli or gzip, whichever the client prefers, for every text answer of
more than about 1 KB (pages, feeds, exports, the API). Feeds and pages are large and served
again and again with the same bytes, so the compressed bytes of a large body are kept in the
cache under the body's digest: a warm feed costs a hash, not a compression."""

import gzip
import hashlib

import brotli
from django.core.cache import cache
from django.http import HttpResponse
from django.utils.cache import patch_vary_headers
from django.utils.regex_helper import _lazy_re_compile

from common import recent

MINIMUM = 1024
# Bodies from this size have their compressed bytes kept (hashing is far cheaper than
# compressing); smaller ones are compressed each time.
KEPT_FROM = 32 * 1024
KEPT_FOR = 24 * 3600
COMPRESSIBLE = ("text/", "application/json", "application/xml", "application/javascript")
QUALITY = {"br": 5, "gzip": 6}

_token = _lazy_re_compile(r"\s*([a-z0-9*-]+)\s*(?:;\s*q\s*=\s*([0-9.]+))?\s*", flags=0)


def accepted(header: str) -> str | None:
    """The encoding to answer in: brotli or gzip by the client's preference (brotli on a
    tie), or None when it accepts neither."""
    weights = {}
    for part in header.lower().split(","):
        match = _token.fullmatch(part)
        if not match:
            continue
        try:
            weight = float(match[2]) if match[2] else 1.0
        except ValueError:
            continue
        weights[match[1]] = weight
    star = weights.get("*", 0.0)
    best = max(("br", "gzip"), key=lambda name: (weights.get(name, star), name == "br"))
    return best if weights.get(best, star) > 0 else None


def compress(body: bytes, encoding: str) -> bytes:
    if encoding == "br":
        return brotli.compress(body, quality=QUALITY["br"])
    return gzip.compress(body, compresslevel=QUALITY["gzip"], mtime=0)


def precompressed(response, name: str, body: bytes) -> None:
    """Let the middleware take the compressed bytes of `body`, which never changes under
    `name`, from the caches rather than compress or even hash it again."""
    response.compressed = lambda encoding: recent.kept(
        f"compressed:{encoding}:{name}", lambda: compress(body, encoding), KEPT_FOR
    )


def kept_answer(request, name: str, etag: str) -> HttpResponse | None:
    """The answer (of strong ETag `etag`) whose compressed bytes `precompressed` kept under
    `name`, in the encoding the request asks for, when they are kept: the body need not even
    be made."""
    encoding = accepted(request.headers.get("Accept-Encoding", ""))
    if encoding is None:
        return None
    found = recent.found(f"compressed:{encoding}:{name}")
    if found is None:
        return None
    response = HttpResponse(found)
    response["Content-Encoding"] = encoding
    response["ETag"] = "W/" + etag  # as `CompressionMiddleware` marks a compressed answer
    patch_vary_headers(response, ("Accept-Encoding",))
    return response


class CompressionMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        if not self.compressible(response):
            return response
        patch_vary_headers(response, ("Accept-Encoding",))
        encoding = accepted(request.headers.get("Accept-Encoding", ""))
        if encoding is None:
            return response
        body = response.content
        if hasattr(response, "compressed"):
            smaller = response.compressed(encoding)
        elif len(body) >= KEPT_FROM:
            key = f"compressed:{encoding}:{hashlib.blake2b(body, digest_size=20).hexdigest()}"
            smaller = cache.get(key)
            if smaller is None:
                smaller = compress(body, encoding)
                cache.set(key, smaller, KEPT_FOR)
        else:
            smaller = compress(body, encoding)
        if len(smaller) >= len(body):
            return response
        response.content = smaller
        response["Content-Length"] = str(len(smaller))
        response["Content-Encoding"] = encoding
        # Another representation: a strong ETag becomes weak (as Django's GZipMiddleware does);
        # conditional requests compare ETags weakly, so 304s still work.
        etag = response.get("ETag")
        if etag and etag.startswith('"'):
            response["ETag"] = "W/" + etag
        return response

    @staticmethod
    def compressible(response) -> bool:
        if response.streaming or response.has_header("Content-Encoding"):
            return False
        if response.status_code < 200 or response.status_code in (204, 304):
            return False
        if not response.get("Content-Type", "").startswith(COMPRESSIBLE) and "calendar" not in (
            response.get("Content-Type", "")
        ):
            return False
        return len(response.content) >= MINIMUM
