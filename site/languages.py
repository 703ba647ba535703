"""The languages residents read the site in.

Dutch is the source: every page exists in Dutch, and a translation is a copy of it in the
same place of another language's tree (Wagtail's own translation support, "Vertalen" in the
page menu). A page is always shown in its own language, interface included, whatever address
led to it; the switcher in the header offers only languages with a live home page, and links
to the translation of the page being read where there is one, else to that language's home.

Lists that pick pages (featured and related stories) show a story's translation in the
reader's language where there is one, and the Dutch story otherwise, marked `lang="nl"`, so
that a screen reader pronounces it as Dutch.
"""

from django.conf import settings
from django.db.models import F, Q
from django.http import HttpResponseRedirect
from django.utils import translation
from wagtail.contrib.sitemaps import Sitemap
from wagtail.models import Locale, Page, Site

from doorvertellen import page_cache


def ensure_locales(**kwargs):
    """Every content language has its Wagtail locale, so that pages can be translated."""
    for code, _name in settings.WAGTAIL_CONTENT_LANGUAGES:
        Locale.objects.get_or_create(language_code=code)


def back_to_default_language(**kwargs):
    translation.deactivate()


def active_language():
    code = translation.get_language() or settings.LANGUAGE_CODE
    try:
        return translation.get_supported_language_variant(code)
    except LookupError:
        return settings.LANGUAGE_CODE


def is_right_to_left(code):
    return code.split("-")[0] in settings.LANGUAGES_BIDI


def active_locale_id():
    """The Wagtail locale of the reader's language (None before the locales exist)."""
    locale = Locale.objects.filter(language_code=active_language()).only("pk").first()
    return locale.pk if locale else None


def language_of(page, request=None):
    """The language a page is written in: that of the home page it lies under.

    Read from Wagtail's site root paths, which every page URL needs anyway (no query).
    """
    url_path = getattr(page, "url_path", None) or ""
    for root in page._get_relevant_site_root_paths(request) if url_path else ():
        return root.language_code
    if getattr(page, "locale_id", None):  # a page being written, not yet in the tree
        return page.locale.language_code
    return settings.LANGUAGE_CODE


def read_in_page_language(page, request):
    """Show the page, its interface and its forms in the page's own language.

    An address in a language the site does not have yet (/tr/ before there is a Turkish home
    page) reaches the Dutch page through Wagtail's fallback: it is sent on to the Dutch
    address, so that each page has one address and says truthfully what language it is in.
    """
    code = language_of(page, request)
    url_language = translation.get_language_from_path(request.path_info)
    if url_language and url_language != code and request.method in ("GET", "HEAD"):
        rest = request.path_info[len(url_language) + 1 :]
        path = rest if code == settings.LANGUAGE_CODE else f"/{code}{rest}"
        query = request.META.get("QUERY_STRING", "")
        return HttpResponseRedirect(f"{path}?{query}" if query else path)
    translation.activate(code)
    request.LANGUAGE_CODE = code
    return None


def in_active_language(queryset):
    """The page of this kind in the reader's language, else the Dutch one (a page not yet
    translated is better than none); for kinds of which there is one per language."""
    return next(iter(each_in_active_language(queryset).values()), None)


def each_in_active_language(queryset):
    """{content type id: page}: per page type in the queryset, the page in the reader's
    language, else the Dutch one. One query, however many types."""
    codes = list(dict.fromkeys([active_language(), settings.LANGUAGE_CODE]))
    found = {}
    for page in queryset.filter(locale__language_code__in=codes).annotate(
        language=F("locale__language_code")
    ):
        current = found.get(page.content_type_id)
        if current is None or codes.index(page.language) < codes.index(current.language):
            found[page.content_type_id] = page
    return found


def localized_pages(pages, locale_id, select_related=(), queryset=None):
    """These pages, each replaced by its live translation in this locale where there is one
    (one query, only when some page is in another language). The translations are looked for
    in `queryset` when given (to fetch them as the pages were fetched), else among pages of the
    first page's type."""
    pages = list(pages)
    missing = [page for page in pages if page.locale_id != locale_id]
    if not missing:
        return pages
    if queryset is None:
        queryset = type(missing[0]).objects.select_related(*select_related)
    translations = {
        page.translation_key: page
        for page in queryset.live().filter(
            locale_id=locale_id,
            translation_key__in=[page.translation_key for page in missing],
        )
    }
    return [
        page if page.locale_id == locale_id else translations.get(page.translation_key, page)
        for page in pages
    ]


def site_languages(request):
    """[(code, home url, home path)] for every language with a live home page, in the order
    of LANGUAGES."""
    site = Site.find_for_request(request)
    if site is None:
        return []
    if hasattr(request, "_site_languages"):
        return request._site_languages

    def find():
        homes = {
            home.language: (home.get_url(request), home.path)
            for home in site.root_page.get_translations(inclusive=True)
            .live()
            .only("id", "url_path", "path", "depth")
            .annotate(language=F("locale__language_code"))
        }
        return [(code, *homes[code]) for code, _name in settings.LANGUAGES if code in homes]

    request._site_languages = page_cache.remember(f"site-languages:{site.pk}", find, request)
    return request._site_languages


def home_path(request):
    """The tree path of the home page in the reader's language (the Dutch one without)."""
    paths = {code: path for code, _url, path in site_languages(request)}
    return paths.get(active_language()) or paths.get(settings.LANGUAGE_CODE)


def language_links(request, page=None):
    """The switcher's links: each language's version of this page, else its home page.

    Empty when the site has one language only: a switcher without a choice is noise.
    """
    if hasattr(request, "_language_links"):
        return request._language_links
    languages = site_languages(request)
    links = []
    if len(languages) > 1:
        translations = page_translations(request, page)
        current = language_of(page, request) if page is not None else active_language()
        for code, home_url, _path in languages:
            info = translation.get_language_info(code)
            links.append(
                {
                    "code": code,
                    "name": info["name_local"],
                    "url": translations.get(code) or home_url,
                    "full_url": absolute(translations.get(code) or home_url),
                    "is_current": code == current,
                    "is_translation": code in translations,
                    "direction": "rtl" if is_right_to_left(code) else "ltr",
                }
            )
    request._language_links = links
    return links


def page_translations(request, page):
    """{code: url} of the live translations of a page, itself included.

    Remembered for one generation: any page published, moved or taken offline starts a new one.
    """
    if page is None or not getattr(page, "pk", None) or not isinstance(page, Page):
        return {}
    from doorvertellen import page_cache

    def translations():
        return {
            other.language: other.get_url(request)
            for other in public_pages()
            .filter(translation_key=page.translation_key)
            .live()
            .public()
            .only("id", "url_path", "path", "depth")
            .annotate(language=F("locale__language_code"))
        }

    if getattr(request, "is_preview", False):
        return translations()
    return page_cache.remember(
        f"translations:{request.get_host()}:{page.translation_key}",
        translations,
        request,
        local=True,
    )


def absolute(url):
    """hreflang alternates name full addresses, on the site's own address (SITE_URL)."""
    return f"{settings.SITE_URL}{url}" if url.startswith("/") else url


def public_pages():
    """Pages, with `public()` answered from the remembered view restrictions (no query)."""
    from doorvertellen.models.pages import PublicPageQuerySet

    return PublicPageQuerySet(Page)


class EveryLanguageSitemap(Sitemap):
    """Wagtail's sitemap lists the default language's tree; this lists every language's."""

    def items(self):
        site = self.get_wagtail_site()
        in_site = Q(pk__in=[])
        for root in site.root_page.get_translations(inclusive=True).only("path"):
            in_site |= Q(path__startswith=root.path)
        return (
            public_pages()
            .filter(in_site)
            .live()
            .public()
            .order_by("path")
            .defer_streamfields()
            .specific()
        )
