"""Security headers for every response.

Public pages get a strict Content-Security-Policy with a fresh nonce per response: only our
own files and nonce-tagged inline scripts run, and nothing is fetched from a third party. The
Wagtail admin cannot run under that policy yet (its inline scripts and styles), so it gets
its own, looser policy; that exception is documented in the README.

Two exceptions in the public policy, both deliberate:
- frames from the privacy-enhanced players of YouTube and Vimeo (only those two hosts), which
  a page loads only after the visitor clicks "Video laden" (static/js/video.js);
- images and video from the media host, when media live on object storage with a domain of
  their own (an absolute MEDIA_URL or AWS_S3_CUSTOM_DOMAIN): our own files, elsewhere.
"""

import secrets
from urllib.parse import urlsplit

from django.conf import settings
from django.utils.functional import SimpleLazyObject

# The embed hosts Video.embed_url() uses; nothing else may be framed.
VIDEO_FRAME_HOSTS = ("https://www.youtube-nocookie.com", "https://player.vimeo.com")

PUBLIC_POLICY = (
    "default-src 'self'; "
    "script-src 'self' 'nonce-{nonce}'; "
    "style-src 'self'; "
    "img-src 'self' data:{media}; "
    "media-src 'self'{media}; "
    "font-src 'self'; "
    "connect-src 'self'; "
    "object-src 'none'; "
    "base-uri 'none'; "
    "frame-src " + " ".join(VIDEO_FRAME_HOSTS) + "; "
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


def media_origins():
    """The origin(s) media are served from when that is not this site, as CSP sources."""
    origins = []
    parts = urlsplit(settings.MEDIA_URL)
    if parts.scheme in ("http", "https") and parts.netloc:
        origins.append(f"{parts.scheme}://{parts.netloc}")
    custom_domain = getattr(settings, "AWS_S3_CUSTOM_DOMAIN", None)
    if custom_domain and getattr(settings, "AWS_STORAGE_BUCKET_NAME", ""):
        origins.append(f"https://{custom_domain.strip('/')}")
    return list(dict.fromkeys(origins))


def public_policy(nonce):
    media = "".join(f" {origin}" for origin in media_origins())
    return PUBLIC_POLICY.format(nonce=nonce, media=media)


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
                policy = public_policy(request.csp_nonce)
            response["Content-Security-Policy"] = policy
        response.setdefault("Permissions-Policy", "camera=(), microphone=(), geolocation=()")
        if request.path.startswith(self.admin_prefix):
            # Admin pages show personal data: never kept by a browser or proxy.
            response["Cache-Control"] = "no-store, private"
        return response
