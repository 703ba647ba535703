"""The figures the sector says it lacks: from a channel to a person still in the route.

Everything here works on day counts (DailyCount), never on intake records, so the staff who
read the figures see no person. Numbers below SMALL_NUMBER are hidden wherever they are shown,
so that nobody can be recognised in a small group.
"""

import math
from collections import defaultdict
from dataclasses import dataclass, field
from datetime import timedelta

from django.db.models import Sum
from django.utils.translation import gettext_lazy as _

from campagnes.models import Campaign, CampaignLandingPage, DailyCount, TrackedLink

SMALL_NUMBER = 5

FUNNEL = [
    (DailyCount.Event.VIEW, _("Bekeken")),
    (DailyCount.Event.CTA_CLICK, _("Op de knop")),
    (DailyCount.Event.INTAKE_STARTED, _("Begonnen")),
    (DailyCount.Event.INTAKE_SUBMITTED, _("Aangemeld")),
    (DailyCount.Event.CONTACTED, _("Contact")),
    (DailyCount.Event.FIRST_MEETING, _("Eerste gesprek")),
    (DailyCount.Event.IN_ROUTE_3M, _("Na 3 maanden nog in traject")),
]
FUNNEL_EVENTS = [event for event, _label in FUNNEL]


def shown(number):
    """A number as staff may see it: None (shown as "< 5") when it is too small to share."""
    if number is None:
        return None
    return number if number == 0 or number >= SMALL_NUMBER else None


def rate(part, whole):
    """A percentage, only when both numbers may be shown."""
    if not whole or shown(part) is None or shown(whole) is None:
        return None
    return round(100 * part / whole, 1)


@dataclass
class FunnelRow:
    label: str
    group: str = ""
    counts: dict = field(default_factory=lambda: defaultdict(int))

    def add(self, event, count):
        self.counts[event] += count

    def cells(self):
        """(shown count, percentage of the step before) for each funnel step."""
        cells = []
        previous = None
        for event in FUNNEL_EVENTS:
            count = self.counts.get(event, 0)
            cells.append((shown(count), rate(count, previous) if previous is not None else None))
            previous = count
        return cells

    @property
    def total(self):
        return sum(self.counts.values())


def period_rows(start, end):
    """Day counts summed per event, code, page and version in [start, end]."""
    return (
        DailyCount.objects.filter(day__gte=start, day__lte=end)
        .values("event", "code", "page_id", "variant")
        .annotate(total=Sum("count"))
        .order_by()
    )


def funnels(start, end, campaign=None):
    """Funnel rows per campaign, channel, page (story) and target group.

    A count belongs to a campaign through its tracked-link code, or, without a code, through
    the landing page it happened on.
    """
    links = {link.code: link for link in TrackedLink.objects.select_related("campaign")}
    landing = dict(
        CampaignLandingPage.objects.filter(campaign__isnull=False).values_list("pk", "campaign_id")
    )
    campaigns = {c.pk: c for c in Campaign.objects.all()}
    from wagtail.models import Page

    by = {key: {} for key in ("campaign", "channel", "page", "target_group")}
    page_ids = set()
    rows = list(period_rows(start, end))
    for row in rows:
        page_ids.add(row["page_id"])
    titles = dict(Page.objects.filter(pk__in=page_ids).values_list("pk", "title"))

    def bucket(kind, key, label, group=""):
        if key not in by[kind]:
            by[kind][key] = FunnelRow(label=label, group=group)
        return by[kind][key]

    for row in rows:
        link = links.get(row["code"])
        campaign_id = link.campaign_id if link else landing.get(row["page_id"])
        if campaign is not None and campaign_id != campaign.pk:
            continue
        event, total = row["event"], row["total"]
        owner = campaigns.get(campaign_id)
        if owner is not None:
            bucket("campaign", owner.pk, owner.name).add(event, total)
            bucket("target_group", owner.target_group, str(owner.get_target_group_display())).add(
                event, total
            )
        if link is not None:
            bucket(
                "channel",
                link.code,
                f"{link.get_channel_display()}: {link.label}",
                group=owner.name if owner else "",
            ).add(event, total)
        bucket("page", row["page_id"], titles.get(row["page_id"], "?")).add(event, total)
    return {kind: sorted(rows.values(), key=lambda r: -r.total) for kind, rows in by.items()}


def weekly(start, end, event=DailyCount.Event.INTAKE_SUBMITTED, campaign=None):
    """Counts of `event` per week (Monday) in the period, for the chart and its table."""
    rows = DailyCount.objects.filter(day__gte=start, day__lte=end, event=event)
    if campaign is not None:
        codes = list(campaign.links.values_list("code", flat=True))
        pages = list(campaign.landing_pages.values_list("pk", flat=True))
        from django.db.models import Q

        rows = rows.filter(Q(code__in=codes) | Q(code="", page_id__in=pages))
    weeks = defaultdict(int)
    for day, count in rows.values_list("day", "count"):
        weeks[day - timedelta(days=day.weekday())] += count
    first = start - timedelta(days=start.weekday())
    result = []
    week = first
    while week <= end:
        result.append((week, shown(weeks.get(week, 0))))
        week += timedelta(days=7)
    return result


def response_times(start, end):
    """Contacts on time and late, against the promise."""
    rows = DailyCount.objects.filter(
        day__gte=start, day__lte=end, event=DailyCount.Event.CONTACTED
    ).values("detail")
    totals = {row["detail"]: row["total"] for row in rows.annotate(total=Sum("count")).order_by()}
    on_time, late = totals.get("on_time", 0), totals.get("late", 0)
    return {
        "on_time": shown(on_time),
        "late": shown(late),
        "on_time_rate": rate(on_time, on_time + late),
    }


@dataclass
class VariantResult:
    views: tuple
    submitted: tuple
    rates: tuple
    p_value: float | None

    @property
    def significant(self):
        return self.p_value is not None and self.p_value < 0.05


def two_proportion_p_value(success_a, total_a, success_b, total_b):
    """Two-sided p-value of the two-proportion z-test (pooled), or None without data."""
    if not total_a or not total_b:
        return None
    pooled = (success_a + success_b) / (total_a + total_b)
    spread = math.sqrt(pooled * (1 - pooled) * (1 / total_a + 1 / total_b))
    if spread == 0:
        return None
    z = (success_a / total_a - success_b / total_b) / spread
    return math.erfc(abs(z) / math.sqrt(2))


def compare_versions(page, start, end):
    """Sign-up rate per headline version of a landing page, and whether they differ.

    Sign-ups count for the version the resident saw, wherever they clicked the button: on the
    landing page itself or on a story they read after it.
    """
    rows = DailyCount.objects.filter(
        variant_page=page.pk,
        day__gte=start,
        day__lte=end,
        variant__in=["A", "B"],
        event__in=[DailyCount.Event.VIEW, DailyCount.Event.INTAKE_SUBMITTED],
    ).values("event", "variant")
    totals = {
        (row["event"], row["variant"]): row["total"]
        for row in rows.annotate(total=Sum("count")).order_by()
    }
    views = tuple(totals.get(("view", v), 0) for v in "AB")
    submitted = tuple(totals.get(("submitted", v), 0) for v in "AB")
    p_value = two_proportion_p_value(submitted[0], views[0], submitted[1], views[1])
    return VariantResult(
        views=tuple(shown(n) for n in views),
        submitted=tuple(shown(n) for n in submitted),
        rates=tuple(rate(s, v) for s, v in zip(submitted, views, strict=True)),
        p_value=p_value,
    )
