"""Who is asking: the address of the client, as the trusted proxies in front of us saw it.

Behind a proxy every connection comes from the proxy, so REMOTE_ADDR names the proxy, not
the client. Each proxy appends the address it received the request from to
X-Forwarded-For; whatever stands further left was written by the client and proves
nothing. So with N trusted proxies the client is the Nth address from the right.
Lockouts, throttles and rate limits all count per address: they all ask here.
"""

import ipaddress

from django.conf import settings
from django.http import HttpRequest


def client_address(request: HttpRequest) -> str:
    """The client's IP address, normalised; the connection's own address when no proxy is
    trusted, or when the header lacks or garbles the entry our proxies would have written
    (a request that did not come through them, or a misconfigured proxy)."""
    connection = request.META.get("REMOTE_ADDR", "")
    proxies = settings.TRUSTED_PROXIES
    if proxies <= 0:
        return connection
    forwarded = request.META.get("HTTP_X_FORWARDED_FOR", "").split(",")
    if len(forwarded) < proxies:
        return connection
    try:
        return str(ipaddress.ip_address(forwarded[-proxies].strip()))
    except ValueError:
        return connection
