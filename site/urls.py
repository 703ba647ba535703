from django.conf import settings
from django.urls import include, path
from wagtail import urls as wagtail_urls
from wagtail.admin import urls as wagtailadmin_urls
from wagtail.contrib.sitemaps.views import sitemap
from wagtail.documents import urls as wagtaildocs_urls

from doorvertellen import views

urlpatterns = [
    path("admin/", include(wagtailadmin_urls)),
    path("documents/", include(wagtaildocs_urls)),
    path("zoeken/", views.search, name="search"),
    path("sitemap.xml", sitemap, name="sitemap"),
    path("healthz/", views.healthz, name="healthz"),
    # Domain apps' own addresses, named by string: the core imports none of them.
    path("", include("verhalen.urls")),
    path("", include("campagnes.urls")),
    path("", include("feedback.urls")),
]

if settings.DEBUG:
    from django.conf.urls.static import static
    from django.contrib.staticfiles.urls import staticfiles_urlpatterns

    urlpatterns += staticfiles_urlpatterns()
    urlpatterns += static(settings.MEDIA_URL, document_root=settings.MEDIA_ROOT)

urlpatterns += [path("", include(wagtail_urls))]

handler400 = "doorvertellen.bad_input.bad_request"
handler404 = "doorvertellen.views.page_not_found"
handler500 = "doorvertellen.views.server_error"
