from django.urls import path, reverse
from django.utils.translation import gettext_lazy as _
from wagtail import hooks
from wagtail.admin.menu import MenuItem
from wagtail.admin.ui.tables import Column
from wagtail.snippets.models import register_snippet
from wagtail.snippets.views.snippets import SnippetViewSet

from campagnes import counting, views
from campagnes.models import Campaign, CampaignLandingPage, Municipality
from doorvertellen.models import IntakePage


class CampaignViewSet(SnippetViewSet):
    model = Campaign
    icon = "pick"
    menu_label = _("Campagnes")
    menu_order = 220
    add_to_admin_menu = True
    list_display = [
        "name",
        "target_group",
        "starts_on",
        "ends_on",
        Column("links_count", label=_("links"), accessor="links_count"),
    ]
    list_filter = ["target_group", "starts_on"]
    search_fields = ["name", "goal"]
    ordering = ["-starts_on"]
    inspect_view_enabled = True
    inspect_view_fields = ["name", "goal", "target_group", "starts_on", "ends_on", "owner"]
    # The inspect page lists each link with its short address, print page and QR downloads.
    inspect_template_name = "campagnes/admin/campaign_inspect.html"

    def get_queryset(self, request):
        from django.db.models import Count

        return Campaign.objects.annotate(links_count=Count("links"))


register_snippet(CampaignViewSet)


class MunicipalityViewSet(SnippetViewSet):
    """Postcode areas per municipality, to group interest from outside the service area."""

    model = Municipality
    icon = "site"
    menu_label = _("Gemeenten")
    list_display = ["name", "first_area", "last_area"]
    search_fields = ["name"]
    ordering = ["name"]


register_snippet(MunicipalityViewSet)


@hooks.register("register_admin_urls")
def register_link_urls():
    return [
        path("cijfers/", views.FiguresView.as_view(), name="campagnes_figures"),
        path("campagnes/links/<int:pk>/afdrukken/", views.print_link, name="campagnes_print_link"),
        path(
            "campagnes/links/<int:pk>/qr.<str:kind>",
            views.qr_code,
            name="campagnes_qr_code",
        ),
    ]


@hooks.register("before_serve_page")
def count_page_view(page, request, serve_args, serve_kwargs):
    """Count a view of a landing page, or of any page reached through a tracked link.

    The intake page counts its own steps (see campagnes.apps), so it is left out here. A view
    the page cache answers is counted by `campagnes.apps.count_cached_view`.
    """
    if request.method != "GET" or isinstance(page, IntakePage):
        return
    landing_page = isinstance(page, CampaignLandingPage)
    variant = counting.choose_variant(request, page) if landing_page else ""
    if landing_page:
        request.counts_views = True
    counting.count_view(request, page.pk, landing_page=landing_page, variant=variant)


class FiguresMenuItem(MenuItem):
    def is_shown(self, request):
        return request.user.has_perm("campagnes.view_campaign")


@hooks.register("register_admin_menu_item")
def register_figures_menu_item():
    return FiguresMenuItem(_("Cijfers"), reverse("campagnes_figures"), icon_name="table", order=230)
