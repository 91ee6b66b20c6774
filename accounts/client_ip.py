"""The client's address, the same for the login lockout, allauth's rate limits and the API throttle.

Behind N reverse proxies that each append to X-Forwarded-For, the client is the N-th address from the
right: everything left of it was written by the client and can be forged. With no proxy (N = 0) the
header is ignored and the connection's address is the client. This is Django REST framework's
NUM_PROXIES rule, so its throttles (configured with the same count) key on the same address.
"""

import ipaddress

from django.conf import settings


def _valid_ip(value: str | None) -> str | None:
    try:
        return str(ipaddress.ip_address((value or "").strip()))
    except ValueError:
        return None


def client_ip(request) -> str | None:
    remote_addr = request.META.get("REMOTE_ADDR")
    proxies = settings.NICP_PROXY_COUNT
    forwarded = request.META.get("HTTP_X_FORWARDED_FOR")
    if proxies <= 0 or not forwarded:
        return remote_addr
    addresses = forwarded.split(",")
    # A malformed entry would reach the lockout table's IP column: fall back to the connection.
    return _valid_ip(addresses[-min(proxies, len(addresses))]) or remote_addr
