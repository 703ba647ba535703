from django.utils.translation import gettext_lazy as _
from wagtail.snippets.models import register_snippet
from wagtail.snippets.views.snippets import SnippetViewSet

from verhalen.models import StoryTheme


class StoryThemeViewSet(SnippetViewSet):
    model = StoryTheme
    icon = "tag"
    menu_label = _("Thema's")
    menu_order = 210
    add_to_admin_menu = True
    list_display = ["name", "slug", "description"]
    search_fields = ["name", "description"]
    ordering = ["name"]


register_snippet(StoryThemeViewSet)
