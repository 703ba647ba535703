from django.conf import settings
from django.conf.urls.i18n import i18n_patterns
from django.urls import include, path
from wagtail import urls as wagtail_urls
from wagtail.admin import urls as wagtailadmin_urls
from wagtail.contrib.sitemaps.views import sitemap
from wagtail.documents import urls as wagtaildocs_urls

from doorvertellen import views
from doorvertellen.languages import EveryLanguageSitemap

urlpatterns = [
    path("admin/", include(wagtailadmin_urls)),
    path("documents/", include(wagtaildocs_urls)),
    path("sitemap.xml", sitemap, {"sitemaps": {"pages": EveryLanguageSitemap}}, name="sitemap"),
    path("healthz/", views.healthz, name="healthz"),
]

if settings.DEBUG:
    from django.conf.urls.static import static
    from django.contrib.staticfiles.urls import staticfiles_urlpatterns

    urlpatterns += staticfiles_urlpatterns()
    urlpatterns += static(settings.MEDIA_URL, document_root=settings.MEDIA_ROOT)

# What residents read, in every language: Dutch without a prefix, the others under /en/,
# /ar/... (the page's own language; see doorvertellen.languages).
urlpatterns += i18n_patterns(
    path("zoeken/", views.search, name="search"),
    # Domain apps' own addresses, named by string: the core imports none of them.
    path("", include("verhalen.urls")),
    path("", include("campagnes.urls")),
    path("", include("feedback.urls")),
    path("", include(wagtail_urls)),
    prefix_default_language=False,
)

handler400 = "doorvertellen.bad_input.bad_request"
handler404 = "doorvertellen.views.page_not_found"
handler500 = "doorvertellen.views.server_error"
