from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CampagnesConfig(AppConfig):
    name = "campagnes"
    verbose_name = _("Campagnes")
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self):
        from doorvertellen import page_cache
        from doorvertellen.signals import cached_page_served, intake_event, intake_milestone

        intake_event.connect(count_intake_event, dispatch_uid="campagnes.count_intake_event")
        intake_milestone.connect(count_milestone, dispatch_uid="campagnes.count_milestone")
        cached_page_served.connect(count_cached_view, dispatch_uid="campagnes.count_cached_view")

        from campagnes.models import Campaign, CampaignLandingPage, TrackedLink

        page_cache.invalidate_on_change(Campaign, TrackedLink)
        self.landing_page_type = CampaignLandingPage._meta.label_lower


def count_cached_view(sender, request, page_id, page_type, variant, **kwargs):
    """A page the page cache answered: counted as if it had been rendered."""
    from django.apps import apps

    from campagnes import counting

    if request.method != "GET":
        return
    landing_page = page_type == apps.get_app_config("campagnes").landing_page_type
    counting.count_view(request, page_id, landing_page=landing_page, variant=variant)


def count_intake_event(
    sender, request, event, page_id, code, variant, variant_page_id=None, **kwargs
):
    from wagtail.models import Page

    from campagnes import counting
    from campagnes.models import CampaignLandingPage, DailyCount

    if event not in DailyCount.Event.values:
        return
    if not Page.objects.filter(pk=page_id, live=True).exists():
        return
    if variant_page_id and not (
        str(variant_page_id).isdigit()
        and CampaignLandingPage.objects.live().filter(pk=int(variant_page_id)).exists()
    ):
        variant_page_id = None  # made up: counted without a version
        variant = ""
    counting.count(
        request,
        event,
        page_id,
        code=counting.known_code(code),
        variant=counting.clean_variant(variant),
        variant_page=variant_page_id or 0,
    )


def count_milestone(sender, record, milestone, detail, delta, **kwargs):
    """Count a milestone on the sign-up's own day, page, code and version: so each day's
    sign-ups can be followed down the route after their record is long deleted."""
    from django.utils import timezone

    from campagnes import counting
    from campagnes.models import DailyCount
    from doorvertellen.models import IntakePage

    page_id = record.source_page_id
    if page_id is None:
        page_id = IntakePage.objects.values_list("pk", flat=True).first()
    if page_id is None:
        return
    DailyCount.add(
        milestone,
        page_id,
        code=counting.known_code(record.campaign_code),
        variant=record.campaign_variant,
        variant_page=record.campaign_page_id or 0,
        detail=detail,
        day=timezone.localdate(record.created_at),
        amount=delta,
    )
