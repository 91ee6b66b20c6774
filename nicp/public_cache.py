"""A short cache for the public pages everyone sees alike.

An anonymous visitor's listing or API page is the same for every anonymous visitor asking the same address in
the same language, so it is kept for `PUBLIC_CACHE_SECONDS` (60 by default; 0 turns it off, as the tests do) in
the shared cache (Redis in production). Without it a public list costs a template or serializer run per hit;
with it the listing and the public API serve at the pace of a trivial view (docs/open-data.md gives the
figures). Only what cannot differ between visitors is kept: GET/HEAD, nobody signed in, no cookie but the
language's and CSRF's (a session or a flash message makes a page personal), a 200 that sets no cookie and was
not streamed. A page that uses the CSP nonce must not use this: the nonce would be shared.
"""

import hashlib
from functools import wraps

from django.conf import settings
from django.core.cache import cache
from django.utils.cache import patch_cache_control
from django.utils.translation import get_language

NEUTRAL_COOKIES = frozenset({settings.LANGUAGE_COOKIE_NAME, settings.CSRF_COOKIE_NAME})


def _cacheable_request(request) -> bool:
    return (request.method in ("GET", "HEAD") and set(request.COOKIES) <= NEUTRAL_COOKIES
            and not request.user.is_authenticated)


def _key(request) -> str:
    digest = hashlib.sha256(f"{get_language()}|{request.get_full_path()}".encode()).hexdigest()
    return f"public-page:{digest}"


def cached_public_page(view):
    @wraps(view)
    def wrapped(request, *args, **kwargs):
        seconds = getattr(settings, "PUBLIC_CACHE_SECONDS", 0)
        if not seconds or not _cacheable_request(request):
            return view(request, *args, **kwargs)
        key = _key(request)
        response = cache.get(key)
        if response is None:
            response = view(request, *args, **kwargs)
            if response.status_code != 200 or response.streaming or response.cookies:
                return response
            if hasattr(response, "render") and not response.is_rendered:
                response.render()
            cache.set(key, response, seconds)
        patch_cache_control(response, public=True, max_age=seconds)
        return response

    return wrapped
