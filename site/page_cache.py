"""Whole public pages for anonymous visitors, served from a cache that all processes share.

Campaign traffic comes in bursts: a newspaper article or a letter to every household sends
hundreds of people to the same few pages within minutes. Those visitors are anonymous and see
the same page, so the rendered page is kept and served again without routing, templates or
database queries.

What may be kept is decided on the way out, per response, and the rules err on the side of
not caching: only a GET of a Wagtail page (marked by the `before_serve_page` hook) by a
visitor without a session cookie, answered 200 without setting a cookie and without
`private`, `no-store` or `no-cache`, and only when every query parameter is one that pages
use (campaign code, version, share channel, theme, page number, phase, the "useful" answer).
Form pages, thank-you pages and everything personal answer `no-store` and are never kept.

Invalidation is deliberately coarse: one generation number for the whole site. Publishing,
unpublishing, moving or deleting a page, a consent that changes or ends, a campaign, a theme,
the service's settings: any change to content that public pages show starts a new
generation, so a story taken offline disappears from every page that showed it (home, index,
landing pages, related stories) on the next request. A small site changes a few times a day
and is read thousands of times, so re-rendering everything after a change costs little and
can never show a withdrawn story. The date is part of the key too (consents end at midnight),
and entries live at most PAGE_CACHE_SECONDS.

A page that counts its views (landing pages, links with a campaign code or share channel)
is still counted on a hit: the hit sends `cached_page_served`, and the apps that count listen.
The per-response CSP nonce is swapped for a fresh one on every hit.

Proxies and CDNs may keep the same pages (`Cache-Control: public, s-maxage`), except counted
ones, which only this cache serves (a proxy would swallow the count). When a front-end cache
is configured (WAGTAILFRONTENDCACHE), a new generation purges the site's live pages there too.
"""

import functools
import hashlib
import logging
import random

from django.conf import settings
from django.core.cache import caches
from django.db import transaction
from django.http import HttpResponse
from django.utils import timezone, translation
from django.utils.cache import patch_cache_control
from django.utils.functional import empty

logger = logging.getLogger("doorvertellen.page_cache")

CACHE_ALIAS = "pages"
GENERATION_KEY = "generation"
NONCE_PLACEHOLDER = "__doorvertellen_csp_nonce__"
# Query parameters that public pages read; any other parameter bypasses the cache, so nobody
# can fill it with made-up addresses.
PAGE_PARAMETERS = frozenset({"c", "v", "deel", "thema", "pagina", "fase", "nuttig"})
PARAMETER_MAX_LENGTH = 40
# Parameters that make a view count (a proxy must not answer those).
COUNTED_PARAMETERS = frozenset({"c", "deel"})
# Response headers that belong to one response only.
SKIPPED_HEADERS = frozenset({"content-length", "content-security-policy", "set-cookie", "date"})


@functools.cache
def release():
    """What renders the pages: a new release never serves pages that the previous one made.

    RELEASE (for example the commit deployed) when set; else a fingerprint of the code,
    templates, catalogues and static files, taken once per process.
    """
    if settings.PAGE_CACHE_RELEASE:
        return settings.PAGE_CACHE_RELEASE
    digest = hashlib.sha256()
    for folder in RELEASE_FOLDERS:
        root = settings.BASE_DIR / folder
        for path in sorted(root.rglob("*")):
            if path.suffix in RELEASE_SUFFIXES and "__pycache__" not in path.parts:
                digest.update(str(path.relative_to(settings.BASE_DIR)).encode())
                digest.update(path.read_bytes())
    return digest.hexdigest()[:16]


RELEASE_FOLDERS = ("site", "verhalen", "campagnes", "feedback", "templates", "locale", "static")
RELEASE_SUFFIXES = frozenset({".py", ".html", ".mo", ".css", ".js", ".svg"})


def enabled():
    return settings.PAGE_CACHE_SECONDS > 0


def page_cache():
    return caches[CACHE_ALIAS]


# --- Invalidation ---------------------------------------------------------------------------


def generation():
    return page_cache().get(GENERATION_KEY) or 0


def current_generation(request=None):
    """The generation, read once per request."""
    if request is None:
        return generation()
    if not hasattr(request, "_page_cache_generation"):
        request._page_cache_generation = generation()
    return request._page_cache_generation


def remember(name, compute, request=None, *, local=False):
    """What every page shows (menu, the way to the intake, the service's settings), kept for
    one generation, so that rendering a page does not ask the database for it each time.

    `local` keeps it in the default cache instead (memory of this process without Redis):
    for small values read many times per page, where reading a file each time would cost
    more than it saves. The key holds the generation, so a change reaches every process.
    """
    if not enabled():
        return compute()
    # Per language too: menus and links differ between the Dutch and the Arabic site. Per day,
    # as kept pages are: what a consent that ended at midnight allowed is not carried over.
    key = ":".join(
        [
            name,
            translation.get_language() or "",
            str(timezone.localdate()),
            release(),
            str(current_generation(request)),
        ]
    )
    store = caches["default"] if local else page_cache()
    try:
        value = store.get(key)
    except Exception:
        logger.warning("Page cache unavailable", exc_info=True)
        return compute()
    if value is None:
        value = compute()
        try:
            store.set(key, value, settings.PAGE_CACHE_SECONDS)
        except Exception:
            logger.warning("Page cache unavailable", exc_info=True)
    return value


def next_generation():
    store = page_cache()
    try:
        store.incr(GENERATION_KEY)
    except ValueError:  # not there yet (or culled): any value the old keys did not use
        store.set(GENERATION_KEY, random.randint(1, 2**31), None)


def committed():
    next_generation()
    purge_front_end_cache()


def invalidate(**kwargs):
    """A signal receiver: start a new generation now, and again once the change is committed.

    Now, so that the rest of this request or transaction never reads an old page; after the
    commit, because another request may have rendered and kept the old content meanwhile.
    """
    if kwargs.get("raw"):  # loading fixtures
        return
    next_generation()
    transaction.on_commit(committed)


def invalidate_on_change(*models):
    """Start a new generation whenever one of these models is saved or deleted.

    Each app registers the models its public pages show, in its AppConfig.ready.
    """
    from django.db.models.signals import post_delete, post_save

    for model in models:
        label = model._meta.label_lower
        post_save.connect(invalidate, sender=model, dispatch_uid=f"page-cache-save-{label}")
        post_delete.connect(invalidate, sender=model, dispatch_uid=f"page-cache-delete-{label}")


def connect_page_signals():
    """Any page saved, published, unpublished, moved or deleted starts a new generation."""
    from django.db.models.signals import post_delete, post_save
    from wagtail.models import Page
    from wagtail.signals import page_published, page_unpublished, post_page_move

    def page_changed(sender, instance=None, **kwargs):
        if isinstance(instance, Page) or issubclass(sender, Page):
            invalidate(**kwargs)

    post_save.connect(page_changed, dispatch_uid="page-cache-page-saved", weak=False)
    post_delete.connect(page_changed, dispatch_uid="page-cache-page-deleted", weak=False)
    page_published.connect(invalidate, dispatch_uid="page-cache-page-published")
    page_unpublished.connect(invalidate, dispatch_uid="page-cache-page-unpublished")
    post_page_move.connect(invalidate, dispatch_uid="page-cache-page-moved")


def purge_front_end_cache():
    """Tell a configured proxy or CDN to drop every live page (in the background)."""
    if not getattr(settings, "WAGTAILFRONTENDCACHE", None):
        return
    from doorvertellen.tasks import purge_front_end_cache as task

    task.enqueue()


# --- Keys -----------------------------------------------------------------------------------


def cacheable_request(request):
    if not enabled() or request.method not in ("GET", "HEAD"):
        return False
    if settings.SESSION_COOKIE_NAME in request.COOKIES:
        return False  # staff: the user bar, drafts, their own session
    for name, values in request.GET.lists():
        if name not in PAGE_PARAMETERS or len(values) != 1:
            return False
        if len(values[0]) > PARAMETER_MAX_LENGTH:
            return False
    return True


def address_key(prefix, request, generation_number, *parts):
    """A key for one address on one host (with `parts` that also tell responses apart), in one
    generation and release, on one day."""
    raw = "\n".join(
        [
            request.get_host(),
            request.path,
            *parts,
            str(timezone.localdate()),
            release(),
            str(generation_number),
        ]
    )
    return prefix + hashlib.sha256(raw.encode("utf-8", "surrogateescape")).hexdigest()


def entry_key(request, generation_number):
    return address_key("page:", request, generation_number, repr(sorted(request.GET.items())))


def counted_request(request):
    return any(name in COUNTED_PARAMETERS for name in request.GET)


# --- Storing and serving --------------------------------------------------------------------


def storable_response(request, response):
    if getattr(request, "page_cache_page", None) is None:
        return False  # not a Wagtail page (search, forms' own views, admin, static...)
    if response.status_code != 200 or response.streaming or response.cookies:
        return False
    cache_control = response.get("Cache-Control", "").lower()
    if any(word in cache_control for word in ("private", "no-store", "no-cache")):
        return False
    return not getattr(request, "user", None) or not request.user.is_authenticated


def frozen(request, response):
    """The response as plain data, with the nonce replaced by a placeholder."""
    content = response.content
    nonce = getattr(request, "csp_nonce", None)
    if nonce is not None and getattr(nonce, "_wrapped", empty) is not empty:
        content = content.replace(str(nonce).encode(), NONCE_PLACEHOLDER.encode())
    headers = [
        (name, value)
        for name, value in response.items()
        if name.lower() not in SKIPPED_HEADERS and name.lower() != "cache-control"
    ]
    return {"status": response.status_code, "headers": headers, "content": content}


def thawed(request, data):
    content = data["content"]
    if NONCE_PLACEHOLDER.encode() in content:
        content = content.replace(NONCE_PLACEHOLDER.encode(), str(request.csp_nonce).encode())
    response = HttpResponse(content, status=data["status"])
    for name, value in data["headers"]:
        response[name] = value
    response["Content-Length"] = str(len(content))
    return response


def set_public_headers(request, response, *, counted):
    """What browsers and proxies may do with a page this cache may keep."""
    if counted:
        # Every view counts: only this cache may answer it, never a proxy.
        patch_cache_control(response, private=True, no_cache=True)
    else:
        patch_cache_control(
            response,
            public=True,
            max_age=settings.PAGE_CACHE_BROWSER_SECONDS,
            s_maxage=settings.PAGE_CACHE_PROXY_SECONDS,
        )


class PageCacheMiddleware:
    """Serve and keep whole pages; sits right after WhiteNoise, before sessions and auth."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if not cacheable_request(request):
            remember_site(request)
            remembered_route(request)
            return self.get_response(request)
        store = page_cache()
        try:
            key = entry_key(request, current_generation(request))
            entry = store.get(key)
        except Exception:  # a cache that is down must not take the site with it
            logger.warning("Page cache unavailable", exc_info=True)
            return self.get_response(request)

        if entry is not None:
            variants = entry["variants"]
            variant = random.choice(entry["variant_set"])
            if variant in variants:
                return self.serve_hit(request, entry, variant)
            # This version was not rendered yet: render it now, with that version.
            request.forced_campaign_variant = variant

        remember_site(request)
        remembered_route(request)
        response = self.get_response(request)
        self.keep(request, response, store, key, entry)
        return response

    def serve_hit(self, request, entry, variant):
        response = thawed(request, entry["variants"][variant])
        set_public_headers(request, response, counted=entry["counted"])
        response["X-Page-Cache"] = "hit"
        if request.method == "HEAD":
            response.content = b""
        from doorvertellen.signals import cached_page_served

        cached_page_served.send(
            sender=PageCacheMiddleware,
            request=request,
            page_id=entry["page_id"],
            page_type=entry["page_type"],
            variant=variant,
        )
        return response

    def keep(self, request, response, store, key, entry):
        if not storable_response(request, response):
            return
        page = request.page_cache_page
        variant = getattr(request, "campaign_variant", "") or ""
        counted = (
            counted_request(request)
            or bool(getattr(request, "counts_views", False))
            or bool(variant)
        )
        if entry is None:
            entry = {
                "page_id": page["id"],
                "page_type": page["type"],
                "variant_set": page["variants"] or [""],
                "counted": counted,
                "variants": {},
            }
        entry["variants"][variant] = frozen(request, response)
        try:
            store.set(key, entry, settings.PAGE_CACHE_SECONDS)
        except Exception:
            logger.warning("Page cache unavailable", exc_info=True)
        set_public_headers(request, response, counted=counted)
        response["X-Page-Cache"] = "miss"


def remember_site(request):
    """Which Wagtail site answers this host, kept for one generation (a change to any site
    starts a new one): Wagtail asks the database on every request that is rendered.

    Only for a host that ALLOWED_HOSTS accepts; anything else is left to Wagtail as it was.
    """
    if not enabled() or hasattr(request, "_wagtail_site"):
        return
    from django.core.exceptions import DisallowedHost
    from wagtail.models import Site

    try:
        host = request.get_host()
        port = request.get_port()
    except DisallowedHost:
        return
    request._wagtail_site = remember(
        f"site:{host}:{port}", lambda: Site._find_for_request(request), request
    )


def route_key(request):
    return address_key("route:", request, current_generation(request), request.get_port())


def remembered_route(request):
    """Which page answers this address, kept for one generation (any page that changes starts
    a new one): Wagtail finds a page one level of the tree at a time, two queries a level.

    For every GET, also of staff and with any parameters: which page an address leads to
    depends only on the host and the path (the path holds the language). Only the finding is
    saved; whether this visitor may see the page is still checked on every request (Wagtail's
    view restrictions, our own checks in `serve`). See `keep_route` for what is kept.
    """
    if not enabled() or request.method not in ("GET", "HEAD"):
        return
    from django.core.exceptions import DisallowedHost

    try:
        key = route_key(request)
        route = caches["default"].get(key)
    except DisallowedHost:
        return
    except Exception:
        logger.warning("Cache unavailable", exc_info=True)
        return
    if route is None:
        request._page_cache_route_key = key
        return
    from wagtail.url_routing import RouteResult

    request._wagtail_route_for_request = RouteResult(route)


def keep_route(page, request, args, kwargs):
    """Called before a Wagtail page is served: keep the page found, as found (before anything
    in rendering adds to it), for the next request to this address.

    Only a page that answers its own address: routable pages (the intake form and its thank-you
    page) find a view too, which is not kept.
    """
    key = getattr(request, "_page_cache_route_key", None)
    if key is None or args or kwargs or type(page) is not page.specific_class:
        return
    del request._page_cache_route_key
    for name in getattr(page, "kept_with_route", ()):
        getattr(page, name)  # loaded now (a query the page makes anyway), kept with it
    try:
        caches["default"].set(key, page, settings.PAGE_CACHE_SECONDS)
    except Exception:
        logger.warning("Cache unavailable", exc_info=True)


def mark_page(page, request):
    """Called before a Wagtail page is served: this response may be kept (see above)."""
    specific_class = page.specific_class or type(page)
    if not getattr(specific_class, "cache_for_visitors", True):
        return
    variants = page.page_cache_variants() if hasattr(page, "page_cache_variants") else []
    request.page_cache_page = {
        "id": page.pk,
        "type": specific_class._meta.label_lower,
        "variants": list(variants),
    }
