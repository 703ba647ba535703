"""Security headers for every response.

Public pages get a strict Content-Security-Policy with a fresh nonce per response: only our
own files and nonce-tagged inline scripts run, and nothing is fetched from a third party. The
Wagtail admin cannot run under that policy yet (its inline scripts and styles), so it gets
its own, looser policy; that exception is documented in the README.
"""

import secrets

from django.utils.functional import SimpleLazyObject

PUBLIC_POLICY = (
    "default-src 'self'; "
    "script-src 'self' 'nonce-{nonce}'; "
    "style-src 'self'; "
    "img-src 'self' data:; "
    "media-src 'self'; "
    "font-src 'self'; "
    "connect-src 'self'; "
    "object-src 'none'; "
    "base-uri 'none'; "
    "frame-src 'none'; "
    "frame-ancestors 'none'; "
    "form-action 'self'"
)

ADMIN_POLICY = (
    "default-src 'self'; "
    "script-src 'self' 'unsafe-inline'; "
    "style-src 'self' 'unsafe-inline'; "
    "img-src 'self' data: blob:; "
    "media-src 'self' blob:; "
    "font-src 'self' data:; "
    "connect-src 'self'; "
    "object-src 'none'; "
    "base-uri 'self'; "
    "frame-src 'self'; "
    "frame-ancestors 'self'; "
    "form-action 'self'"
)


class SecurityHeadersMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response
        self.admin_prefix = "/admin/"

    def __call__(self, request):
        request.csp_nonce = SimpleLazyObject(lambda: secrets.token_urlsafe(16))
        response = self.get_response(request)
        if "Content-Security-Policy" not in response:
            if request.path.startswith(self.admin_prefix):
                policy = ADMIN_POLICY
            else:
                policy = PUBLIC_POLICY.format(nonce=request.csp_nonce)
            response["Content-Security-Policy"] = policy
        response.setdefault("Permissions-Policy", "camera=(), microphone=(), geolocation=()")
        if request.path.startswith(self.admin_prefix):
            # Admin pages show personal data: never kept by a browser or proxy.
            response["Cache-Control"] = "no-store, private"
        return response
