from django.templatetags.static import static
from django.urls import path, reverse
from django.utils.html import format_html
from django.utils.translation import gettext_lazy as _
from wagtail import hooks
from wagtail.admin.menu import MenuItem
from wagtail.snippets.models import register_snippet

from doorvertellen import plain_language_views
from doorvertellen.views import (
    audit_log_viewset,
    intake_inbox_viewset,
    two_factor_setup,
    two_factor_verify,
)


@hooks.register("register_admin_viewset")
def register_intake_inbox():
    return intake_inbox_viewset


@hooks.register("register_admin_viewset")
def register_audit_log():
    return audit_log_viewset


@hooks.register("register_admin_urls")
def register_two_factor_urls():
    return [
        path("tweestaps/instellen/", two_factor_setup, name="two_factor_setup"),
        path("tweestaps/controleren/", two_factor_verify, name="two_factor_verify"),
    ]


@hooks.register("before_serve_page")
def mark_for_page_cache(page, request, serve_args, serve_kwargs):
    """The page cache may keep this page's response (it decides on the way out)."""
    from doorvertellen import page_cache

    page_cache.keep_route(page, request, serve_args, serve_kwargs)
    page_cache.mark_page(page, request)


@hooks.register("before_serve_page")
def read_in_page_language(page, request, serve_args, serve_kwargs):
    """A page speaks its own language, interface and form included (doorvertellen.languages)."""
    from doorvertellen import languages

    return languages.read_in_page_language(page, request)


# --- Plain language (B1) ----------------------------------------------------------------------

register_snippet(plain_language_views.JargonTermViewSet)


@hooks.register("register_admin_urls")
def register_plain_language_urls():
    report = plain_language_views.PlainLanguageReportView
    check = plain_language_views.live_check
    return [
        path("leesbaarheid/pagina/<int:page_id>/", check, name="plain_language_check_page"),
        path(
            "leesbaarheid/nieuw/<slug:app_label>/<slug:model_name>/<int:parent_id>/",
            check,
            name="plain_language_check_new",
        ),
        path("rapporten/moeilijker-dan-b1/", report.as_view(), name="plain_language_report"),
        path(
            "rapporten/moeilijker-dan-b1/resultaten/",
            report.as_view(results_only=True),
            name="plain_language_report_results",
        ),
    ]


class PlainLanguageReportMenuItem(MenuItem):
    def is_shown(self, request):
        return plain_language_views.PlainLanguageReportView.permission_policy.user_has_permission(
            request.user, "change"
        )


@hooks.register("register_reports_menu_item")
def register_plain_language_report_menu_item():
    return PlainLanguageReportMenuItem(
        _("Moeilijker dan B1"),
        reverse("plain_language_report"),
        name="moeilijker-dan-b1",
        icon_name="doc-full",
        order=160,
    )


@hooks.register("insert_editor_js")
def plain_language_editor_js():
    return format_html('<script src="{}" defer></script>', static("js/plain_language.js"))


@hooks.register("insert_editor_css")
def plain_language_editor_css():
    return format_html('<link rel="stylesheet" href="{}">', static("css/plain_language.css"))
