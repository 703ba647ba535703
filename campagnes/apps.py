from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CampagnesConfig(AppConfig):
    name = "campagnes"
    verbose_name = _("Campagnes")
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self):
        from doorvertellen.signals import intake_event

        intake_event.connect(count_intake_event, dispatch_uid="campagnes.count_intake_event")


def count_intake_event(sender, request, event, page_id, code, variant, **kwargs):
    from wagtail.models import Page

    from campagnes import counting
    from campagnes.models import DailyCount

    if event not in DailyCount.Event.values:
        return
    if not Page.objects.filter(pk=page_id, live=True).exists():
        return
    counting.count(
        request,
        event,
        page_id,
        code=counting.known_code(code),
        variant=counting.clean_variant(variant),
    )
