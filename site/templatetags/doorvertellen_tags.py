"""Template helpers that every page uses: the way to the intake, and the campaign code.

The campaign code (`c`) and the version of a landing page the resident saw (`v`, for example
`A42`: version A of page 42) travel in the URL only, so a resident is never tracked by a
cookie; these helpers make every internal call to action and story link carry them along.
"""

import hashlib
import re
from dataclasses import dataclass
from urllib.parse import urlencode

from django import template
from django.conf import settings
from django.utils.html import format_html
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.safestring import mark_safe
from wagtail.models import Page, Site

from doorvertellen import languages, page_cache
from doorvertellen.models import IntakePage

register = template.Library()

CODE_RE = re.compile(r"^[A-Za-z0-9]{1,16}$")
VERSION_RE = re.compile(r"^[AB][0-9]{1,10}$")


def campaign_code(request):
    code = request.GET.get("c", "") if request is not None else ""
    return code.upper() if CODE_RE.match(code) else ""


def campaign_version(request):
    """The landing-page version this visitor saw: set by the campaigns app while it renders a
    landing page, else carried in from the link the visitor followed."""
    if request is None:
        return ""
    version = getattr(request, "campaign_version", "")
    if version:
        return version
    value = request.GET.get("v", "").upper()
    return value if VERSION_RE.match(value) else ""


def _intake_page_url(request):
    if not hasattr(request, "_intake_page_url"):

        def find():
            page = languages.in_active_language(
                IntakePage.objects.live().only("id", "url_path", "path", "depth")
            )
            return page.get_url(request) if page else ""

        site = Site.find_for_request(request)
        key = f"intake-url:{site.pk if site else ''}"
        request._intake_page_url = page_cache.remember(key, find, request) or None
    return request._intake_page_url


@register.simple_tag(takes_context=True)
def intake_url(context, story=None):
    """Link to the intake form, carrying the page, the story and the campaign code."""
    request = context.get("request")
    url = _intake_page_url(request) if request is not None else None
    if not url:
        return ""
    params = {}
    page = context.get("page")
    if page is not None and getattr(page, "pk", None):
        params["via"] = page.pk
    # An unset template variable arrives as "" rather than None.
    if getattr(story, "pk", None):
        params["verhaal"] = story.pk
    code = campaign_code(request)
    if code:
        params["c"] = code
    # The headline version a landing page showed, with that page, so sign-ups can be counted
    # per version without a cookie, also when the resident read a story first.
    version = campaign_version(request)
    if version:
        params["v"] = version
    return f"{url}?{urlencode(params)}" if params else url


@register.simple_tag(takes_context=True)
def with_code(context, url):
    """Append the campaign code and the version seen to an internal link (or a page's)."""
    request = context.get("request")
    if hasattr(url, "get_url"):
        url = url.get_url(request)
    params = {}
    code = campaign_code(request)
    if code:
        params["c"] = code
    version = campaign_version(request)
    if version:
        params["v"] = version
    if not params or not url or not url_has_allowed_host_and_scheme(url, allowed_hosts=None):
        return url
    separator = "&" if "?" in url else "?"
    return f"{url}{separator}{urlencode(params)}"


@dataclass(frozen=True)
class MenuItem:
    pk: int
    title: str
    url: str


@register.simple_tag(takes_context=True)
def menu_pages(context):
    """The pages in the main menu, as plain items that the page cache can keep."""
    request = context.get("request")
    site = Site.find_for_request(request) if request is not None else None
    if site is None:
        return []
    if not hasattr(request, "_menu_pages"):

        def find():
            # The home page in the reader's language, else the Dutch one.
            root_path = languages.home_path(request)
            if root_path:
                children = Page.objects.filter(
                    path__startswith=root_path, depth=len(root_path) // Page.steplen + 1
                )
            else:
                children = site.root_page.get_children()
            pages = children.live().public().in_menu().order_by("path")
            return [MenuItem(page.pk, page.title, page.get_url(request)) for page in pages]

        request._menu_pages = page_cache.remember(f"menu:{site.pk}", find, request)
    return request._menu_pages


@register.simple_tag
def step_pictogram(step, position=0):
    """The pictogram of a numbered step (site.blocks.StepBlock), as inline SVG."""
    from django.template.loader import render_to_string

    from doorvertellen.blocks import PICTOGRAMS

    name = step.pictogram_name(position) if hasattr(step, "pictogram_name") else None
    if name not in dict(PICTOGRAMS):
        name = PICTOGRAMS[position % len(PICTOGRAMS)][0]
    return render_to_string(f"components/pictograms/{name}.html")


@register.simple_tag(takes_context=True)
def responsive_image(context, image, kind, **attrs):
    """An <img> with a srcset of WebP renditions, width, height and sizes (site.images).

    The finished tag is kept for the page cache's generation (saving an image starts a new
    one): looking up three renditions costs more than the rest of a story card.
    """
    from wagtail.images.models import ResponsiveImage

    from doorvertellen.images import RESPONSIVE_IMAGES, rendition_specs

    if not image:
        return ""
    # The image's own description is written in Dutch only: on a page in another language,
    # screen readers are told so (`alt_in_dutch=True` where the alt text is that description).
    if attrs.pop("alt_in_dutch", False) and languages.active_language() != settings.LANGUAGE_CODE:
        attrs["lang"] = settings.LANGUAGE_CODE
    attrs.setdefault("sizes", RESPONSIVE_IMAGES[kind][1])
    attrs.setdefault("decoding", "async")

    def render():
        specs = rendition_specs(kind)
        renditions = image.get_renditions(*specs)
        return str(ResponsiveImage({spec: renditions[spec] for spec in specs}, attrs))

    described = repr(
        (
            image.pk,
            image.file.name,
            kind,
            sorted((name, str(value)) for name, value in attrs.items()),
        )
    )
    key = "img:" + hashlib.sha256(described.encode()).hexdigest()
    return mark_safe(page_cache.remember(key, render, context.get("request"), local=True))  # noqa: S308 (Wagtail's own escaped <img>)


@register.simple_tag(takes_context=True)
def language_links(context):
    """The language switcher's links (doorvertellen.languages.language_links)."""
    request = context.get("request")
    if request is None:
        return []
    return languages.language_links(request, context.get("page"))


@register.simple_tag(takes_context=True)
def content_language(context, page):
    """` lang="nl"` for a page shown inside a page of another language, else nothing."""
    request = context.get("request")
    code = languages.language_of(page, request)
    if code == languages.active_language():
        return ""
    return format_html(
        ' lang="{}" dir="{}"', code, "rtl" if languages.is_right_to_left(code) else "ltr"
    )


@register.simple_tag
def dutch_only():
    """` lang="nl"` on what editors write in Dutch only (the service's settings, theme names),
    when the page is in another language, so that screen readers pronounce it as Dutch."""
    if languages.active_language() == settings.LANGUAGE_CODE:
        return ""
    return format_html(' lang="{}" dir="ltr"', settings.LANGUAGE_CODE)
