import functools
import http
import json

from csp import middleware as csp_middleware
from csp.constants import HEADER, HEADER_REPORT_ONLY
from csp.utils import build_policy
from django.conf import settings
from django.conf.urls.i18n import is_language_prefix_patterns_used
from django.contrib.messages import middleware as messages_middleware
from django.contrib.messages.storage import default_storage
from django.core.signals import setting_changed
from django.dispatch import receiver
from django.http import HttpResponsePermanentRedirect, JsonResponse
from django.middleware import common, locale
from django.middleware import http as conditional
from django.utils import translation
from django.utils.cache import patch_vary_headers, set_response_etag
from django.utils.functional import SimpleLazyObject, empty
from django.utils.translation import trans_real

from common.renderers import without_markup

API_PREFIX = "/api/"
# What describes the page an error answer replaces rather than the answer itself.
BODY_HEADERS = {
    "content-type",
    "content-length",
    "content-language",
    "content-encoding",
    "content-disposition",
    "etag",
    "last-modified",
}


class ApiErrorsAsJsonMiddleware:
    """Under /api/ every error is JSON in the API's shape, `{"detail": ...}`, also those that
    the API's own views do not answer: Django's 400 (an unknown host) and 403, the 405 of
    the schema and documentation pages, the pages of DEBUG. The answer keeps the headers
    of the one it replaces (Allow, Retry-After, the security headers), but none about its body."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        if (
            request.path.startswith(API_PREFIX)
            and response.status_code >= 400
            and "json" not in response.get("Content-Type", "")
        ):
            answer = JsonResponse(
                {"detail": f"{response.reason_phrase}."}, status=response.status_code
            )
            for header, value in response.items():
                if header.lower() not in BODY_HEADERS:
                    answer[header] = value
            answer["Content-Length"] = str(len(answer.content))
            answer.cookies = response.cookies
            return answer
        return response


class CommonMiddleware(common.CommonMiddleware):
    """Django's, except that under /api/ an address missing its final slash is a 308 in JSON
    naming the right one. Django's 301 lets a client turn a write into a GET on the way (and
    with DEBUG on, Django refuses to redirect a write at all); a 308 keeps the method and
    the body, so a write that follows it lands."""

    def process_response(self, request, response):
        if (
            request.path.startswith(API_PREFIX)
            and response.status_code == 404
            and self.should_redirect_with_slash(request)
        ):
            response = slash_missing(request)
        return super().process_response(request, response)


def slash_missing(request):
    location = request.get_full_path(force_append_slash=True)
    detail = json.dumps({"detail": f"This address ends with a slash: {location}"})
    # The query string is the client's own text: no markup from it goes back unescaped.
    return HttpResponsePermanentRedirect(
        location,
        preserve_request=True,
        content=without_markup(detail.encode()),
        content_type="application/json",
    )


# The headers that make a GET conditional (RFC 9110, 13.1).
CONDITIONS = (
    "HTTP_IF_MATCH",
    "HTTP_IF_NONE_MATCH",
    "HTTP_IF_MODIFIED_SINCE",
    "HTTP_IF_UNMODIFIED_SINCE",
)


class ConditionalGetMiddleware(conditional.ConditionalGetMiddleware):
    """Django's, which stamps every answer to a GET with an ETag and answers the conditions
    of those that succeeded; the others are only stamped: a GET that states no condition,
    and an answer that is not a 2xx (a view's own 304). For every request, Django read and
    parsed the four headers, the answer's Last-Modified, and its Cache-Control where it had
    none: a sixth of what all the middleware costs a bare view."""

    def process_response(self, request, response):
        if request.method != "GET":
            return response
        if self.needs_etag(response) and not response.has_header("ETag"):
            set_response_etag(response)
        if 200 <= response.status_code < 300 and any(name in request.META for name in CONDITIONS):
            return super().process_response(request, response)
        return response

    def needs_etag(self, response):
        return not response.has_header("Cache-Control") or super().needs_etag(response)


class LocaleMiddleware(locale.LocaleMiddleware):
    """Django's, reading a page's language once from its path where only the path can name
    it: with i18n_patterns and no prefix for the default language, an unprefixed path is
    the default language whatever the cookie or Accept-Language say, so Django's reading
    of them is thrown away. It read the path three times and them once on every request,
    a sixth of what all the middleware costs a bare view."""

    def process_request(self, request):
        urlconf = getattr(request, "urlconf", settings.ROOT_URLCONF)
        used, prefixed_default = is_language_prefix_patterns_used(urlconf)
        if not used or prefixed_default:
            return super().process_request(request)
        request._language_from_path = language_of_path(request.path_info)
        translation.activate(request._language_from_path or settings.LANGUAGE_CODE)
        request.LANGUAGE_CODE = translation.get_language()

    def process_response(self, request, response):
        if not hasattr(request, "_language_from_path"):
            return super().process_response(request, response)
        # What Django's adds to an answer when it need not redirect, which it never does
        # without a prefix for the default language.
        if request._language_from_path is None:
            patch_vary_headers(response, ("Accept-Language",))
        response.headers.setdefault("Content-Language", translation.get_language())
        return response


def language_of_path(path: str) -> str | None:
    """The language a path's prefix names (Django's `get_language_from_path`), kept by its
    first segment: finding that most segments name none took an exception each time."""
    if not path.startswith("/"):
        return None
    return language_of_segment(path[1:].split("/", 1)[0])


@functools.lru_cache(maxsize=256)
def language_of_segment(segment: str) -> str | None:
    return translation.get_language_from_path(f"/{segment}/")


class MessageMiddleware(messages_middleware.MessageMiddleware):
    """Django's, with the messages' storage made when a page first reads or adds one. A
    request that does neither (a feed, the API, a poll) neither builds it nor stores it:
    Django's storage stores only what was read or added."""

    def process_request(self, request):
        request._messages = SimpleLazyObject(lambda: default_storage(request))

    def process_response(self, request, response):
        stored = getattr(request, "_messages", None)
        if isinstance(stored, SimpleLazyObject) and stored._wrapped is empty:
            return response
        return super().process_response(request, response)


def api_language(request) -> str:
    """The API's language: `?lang=`, else the first of Accept-Language the site speaks, else
    English. Never the cookie of the pages: a program asks for its language itself."""
    spoken = dict(settings.LANGUAGES)
    asked = request.GET.get("lang", "")
    if asked in spoken:
        return asked
    header = request.headers.get("Accept-Language", "")
    for code, _ in trans_real.parse_accept_lang_header(header[:200]):
        try:
            return translation.get_supported_language_variant(code)
        except LookupError:
            continue
    return settings.LANGUAGE_CODE


class ApiLanguageMiddleware:
    """Under /api/ the language is the client's (`api_language`), stated in Content-Language
    (set by LocaleMiddleware, outside this one, from the active language)."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if not request.path.startswith(API_PREFIX):
            return self.get_response(request)
        language = api_language(request)
        translation.activate(language)
        request.LANGUAGE_CODE = language
        response = self.get_response(request)
        response.headers["Content-Language"] = language
        patch_vary_headers(response, ("Accept-Language",))
        return response


class StyleHashesMiddleware:
    """Adds to the answer's Content-Security-Policy the hashes of the `<style>` elements a
    page declared (`agenda.identity.allow_style`). Inside CSPMiddleware, which reads them."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        hashes = getattr(request, "_style_hashes", None)
        if hashes:
            update = dict(getattr(response, "_csp_update", None) or {})
            update["style-src"] = [*update.get("style-src", []), *hashes]
            response._csp_update = update
        return response


# What an answer may set to have a policy of its own, beyond `_csp_update` (django-csp's
# decorators): such answers go through django-csp itself.
OWN_POLICY = ("_csp_config", "_csp_replace", "_csp_config_ro", "_csp_update_ro", "_csp_replace_ro")
# (header, its setting, the attribute exempting an answer from it, report only)
POLICIES = (
    (HEADER, "CONTENT_SECURITY_POLICY", "_csp_exempt", False),
    (HEADER_REPORT_ONLY, "CONTENT_SECURITY_POLICY_REPORT_ONLY", "_csp_exempt_ro", True),
)
# Stands for the request's nonce in a policy built once: never a character of a setting.
NONCE_MARK = "\x00"


class CSPMiddleware(csp_middleware.CSPMiddleware):
    """django-csp's, with each policy built once per process for what makes it: the settings,
    whether the request has a nonce (put in afterwards), and the sources an answer adds
    (`_csp_update`: a page's style hashes). Building it for every answer was 57 µs, a sixth
    of what all the middleware costs a bare view. An answer that replaces the policy goes
    through django-csp itself."""

    def process_response(self, request, response):
        if any(hasattr(response, name) for name in OWN_POLICY) or (
            settings.DEBUG and response.status_code in DEBUG_PAGES
        ):
            return super().process_response(request, response)
        nonce = getattr(request, "_csp_nonce", None)
        update = getattr(response, "_csp_update", None) or {}
        added = tuple((name, tuple(sources)) for name, sources in update.items())
        for header, setting, exempt, report_only in POLICIES:
            policy = policy_of(report_only, nonce is not None, () if report_only else added)
            if not policy or header in response or getattr(response, exempt, False):
                continue
            excluded = getattr(settings, setting, None) or {}
            if request.path_info.startswith(tuple(excluded.get("EXCLUDE_URL_PREFIXES") or ())):
                continue
            response[header] = policy.replace(NONCE_MARK, nonce) if nonce else policy
        if nonce is None:
            # As django-csp does: a nonce asked for after the header is written is an error.
            request.csp_nonce = csp_middleware.CheckableLazyObject(self._csp_nonce_post_response)
        return response


# django-csp leaves its debug pages without a policy.
DEBUG_PAGES = (http.HTTPStatus.INTERNAL_SERVER_ERROR, http.HTTPStatus.NOT_FOUND)


@functools.lru_cache(maxsize=1024)
def policy_of(report_only: bool, with_nonce: bool, added: tuple) -> str:
    return build_policy(
        update={name: list(sources) for name, sources in added} or None,
        nonce=NONCE_MARK if with_nonce else None,
        report_only=report_only,
    )


@receiver(setting_changed)
def forget_built(*, setting, **kwargs):
    if setting in {name for _header, name, _exempt, _ro in POLICIES}:
        policy_of.cache_clear()
    if setting in {"LANGUAGES", "LANGUAGE_CODE"}:
        language_of_segment.cache_clear()
