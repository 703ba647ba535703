from django.urls import path
from wagtail import hooks

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

    page_cache.mark_page(page, request)
