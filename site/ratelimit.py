"""A per-address limit on public form submissions, shared by all workers through the cache.

With REDIS_URL set every worker and server counts in the same place; without it each
process counts on its own (fine for one process, documented in the README). The client
address is hashed before it becomes part of a cache key, so no address is stored.
"""

import hashlib
import time

from django.conf import settings
from django.core.cache import cache


def client_address(request):
    """The address the limit applies to.

    Behind a proxy, only the address the proxy itself appended to X-Forwarded-For counts
    (TRUSTED_PROXY_COUNT proxies from the right); anything a client wrote there is ignored.
    """
    proxies = settings.TRUSTED_PROXY_COUNT
    if proxies:
        forwarded = [
            part.strip()
            for part in request.META.get("HTTP_X_FORWARDED_FOR", "").split(",")
            if part.strip()
        ]
        if len(forwarded) >= proxies:
            return forwarded[-proxies]
    return request.META.get("REMOTE_ADDR", "")


def hit(request, scope, limit=None, window=None):
    """Count one submission; True when this address is over the limit for `scope`."""
    limit = limit or settings.PUBLIC_FORM_RATE_LIMIT
    window = window or settings.PUBLIC_FORM_RATE_WINDOW
    digest = hashlib.sha256(
        f"{settings.SECRET_KEY}:{client_address(request)}".encode()
    ).hexdigest()[:24]
    key = f"ratelimit:{scope}:{digest}:{int(time.time() // window)}"
    cache.add(key, 0, timeout=window + 5)
    try:
        count = cache.incr(key)
    except ValueError:  # expired between add and incr
        cache.add(key, 1, timeout=window + 5)
        count = 1
    return count > limit
