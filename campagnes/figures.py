"""The figures the sector says it lacks: from a channel to a person still in the route.

Everything here works on day counts (DailyCount), never on intake records, so the staff who
read the figures see no person. Numbers below SMALL_NUMBER are hidden wherever they are shown,
so that nobody can be recognised in a small group.
"""

import math
from collections import defaultdict
from dataclasses import dataclass, field
from datetime import timedelta

from django.db.models import BooleanField, Case, Q, Sum, Value, When
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from campagnes.models import (
    Campaign,
    CampaignLandingPage,
    Channel,
    DailyCount,
    TargetGroup,
    TrackedLink,
)

SMALL_NUMBER = 5
# A sign-up's "still in the route after 3 months" is only known once it is that old.
THREE_MONTHS = timedelta(days=91)

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
IN_ROUTE_3M = DailyCount.Event.IN_ROUTE_3M
FIRST_MEETING = DailyCount.Event.FIRST_MEETING


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


def matured_until(today):
    """The last sign-up day whose 3-month mark has come."""
    return today - THREE_MONTHS


@dataclass(frozen=True)
class Cell:
    """One number as shown: `count` None means hidden, `unknown` that it cannot be known yet."""

    count: int | None
    rate: float | None = None
    unknown: bool = False

    def as_text(self):
        if self.unknown:
            return str(_("nog niet bekend"))
        if self.count is None:
            return f"<{SMALL_NUMBER}"
        return str(self.count)


@dataclass
class FunnelRow:
    label: str
    group: str = ""
    counts: dict = field(default_factory=lambda: defaultdict(int))
    # First meetings of sign-ups at least 3 months old: what "still in the route" is out of.
    matured_meetings: int = 0
    # Cells hidden to protect a small number elsewhere (complementary suppression).
    hidden: set = field(default_factory=set)
    known_3m: bool = True

    def add(self, event, count, matured=True):
        if event == IN_ROUTE_3M and not matured:
            return  # marked early: not counted until every sign-up of that day is 3 months old
        self.counts[event] += count
        if event == FIRST_MEETING and matured:
            self.matured_meetings += count

    def merge(self, other):
        for event, count in other.counts.items():
            self.counts[event] += count
        self.matured_meetings += other.matured_meetings

    def is_hidden(self, event):
        if event == IN_ROUTE_3M and not self.known_3m:
            return False
        return event in self.hidden or shown(self.counts.get(event, 0)) is None

    def cells(self):
        """A Cell for each funnel step, with the percentage of the step before."""
        cells = []
        previous = None
        for event in FUNNEL_EVENTS:
            count = self.counts.get(event, 0)
            if event == IN_ROUTE_3M and not self.known_3m:
                cells.append(Cell(None, unknown=True))
                continue
            value = None if self.is_hidden(event) else count
            percentage = None
            if previous is not None and value is not None and not self.is_hidden(previous):
                base = (
                    self.matured_meetings if event == IN_ROUTE_3M else self.counts.get(previous, 0)
                )
                percentage = rate(count, base)
            cells.append(Cell(value, percentage))
            previous = event
        return cells

    @property
    def total(self):
        return sum(self.counts.get(event, 0) for event in FUNNEL_EVENTS)

    @property
    def single(self):
        """The one number of a table with one column (see `outcomes`)."""
        return Cell(None if self.is_hidden("n") else self.counts.get("n", 0))


@dataclass
class FunnelTable:
    rows: list
    total: FunnelRow

    def __iter__(self):
        return iter(self.rows)

    def __len__(self):
        return len(self.rows)

    def __bool__(self):
        return bool(self.rows)


def protect(children, parent, events=FUNNEL_EVENTS):
    """Complementary suppression: when the parent (a total) is shown and exactly one of its
    parts is hidden, that part could be computed back from the others, so hide one more part
    (the smallest one that is not zero), or else the total. Returns whether anything changed."""
    changed = False
    for event in events:
        if parent.is_hidden(event):
            continue
        hidden = [row for row in children if row.is_hidden(event)]
        if len(hidden) != 1:
            continue
        others = [
            row for row in children if not row.is_hidden(event) and row.counts.get(event, 0) > 0
        ]
        target = min(others, key=lambda row: row.counts[event]) if others else parent
        target.hidden.add(event)
        changed = True
    return changed


def protect_all(pairs, events=FUNNEL_EVENTS):
    """Protect every (parts, total) pair until no hidden number can be computed back."""
    for _round in range(10):
        changes = [protect(children, parent, events) for children, parent in pairs]
        if not any(changes):
            return


def campaign_scope(campaign):
    """Counts that belong to a campaign: through its links' codes, or without a code on its
    landing pages (the same rule as `funnels`)."""
    if not hasattr(campaign, "_figures_scope"):  # asked by every table: look it up once
        codes = list(campaign.links.values_list("code", flat=True))
        pages = list(campaign.landing_pages.values_list("pk", flat=True))
        campaign._figures_scope = Q(code__in=codes) | Q(code="", page_id__in=pages)
    return campaign._figures_scope


def period_rows(start, end, today=None, campaign=None):
    """Day counts of the funnel summed in the database per event, code, page and whether the
    sign-up day is at least 3 months ago, in [start, end].

    The steps before the route (views, clicks, sign-ups: nearly all rows) are summed straight
    from the index `daily_count_funnel_idx`, in its order; only the two milestones for which
    it matters are also split by whether their day has matured.
    """
    cutoff = matured_until(today or timezone.localdate())
    split = [FIRST_MEETING, IN_ROUTE_3M]
    rows = DailyCount.objects.filter(day__gte=start, day__lte=end)
    if campaign is not None:
        rows = rows.filter(campaign_scope(campaign))
    steps = (
        rows.filter(event__in=[event for event in FUNNEL_EVENTS if event not in split])
        .values("event", "code", "page_id")
        .annotate(total=Sum("count"), matured=Value(False, output_field=BooleanField()))
        .order_by()
    )
    milestones = (
        rows.filter(event__in=split)
        .annotate(
            matured=Case(
                When(day__lte=cutoff, then=Value(True)),
                default=Value(False),
                output_field=BooleanField(),
            )
        )
        .values("event", "code", "page_id", "matured")
        .annotate(total=Sum("count"))
        .order_by()
    )
    return [*steps, *milestones]


def funnels(start, end, campaign=None, today=None):
    """Funnel tables per campaign, target group, channel type, channel and page (story), each
    with a total row, small numbers hidden and protected against computing them back.

    A count belongs to a campaign through its tracked-link code, or, without a code, through
    the landing page it happened on.
    """
    from wagtail.models import Page

    today = today or timezone.localdate()
    known_3m = start <= matured_until(today)
    links = {link.code: link for link in TrackedLink.objects.all()}
    landing = dict(
        CampaignLandingPage.objects.filter(campaign__isnull=False).values_list("pk", "campaign_id")
    )
    campaigns = {c.pk: c for c in Campaign.objects.only("pk", "name", "target_group")}
    kinds = ("campaign", "target_group", "channel_type", "channel", "page")
    by = {kind: {} for kind in kinds}
    rows = list(period_rows(start, end, today=today, campaign=campaign))
    titles = dict(
        Page.objects.filter(pk__in={row["page_id"] for row in rows}).values_list("pk", "title")
    )
    members = defaultdict(set)  # (parent kind, key) -> keys of its parts

    def bucket(kind, key, label, group=""):
        if key not in by[kind]:
            by[kind][key] = FunnelRow(label=label, group=group, known_3m=known_3m)
        return by[kind][key]

    channel_names = {value: str(label) for value, label in Channel.choices}
    group_names = {value: str(label) for value, label in TargetGroup.choices}

    for row in rows:
        link = links.get(row["code"])
        campaign_id = link.campaign_id if link else landing.get(row["page_id"])
        event, total, matured = row["event"], row["total"], row["matured"]
        owner = campaigns.get(campaign_id)
        if owner is not None:
            bucket("campaign", owner.pk, owner.name).add(event, total, matured)
            group_name = group_names.get(owner.target_group, owner.target_group)
            bucket("target_group", owner.target_group, group_name).add(event, total, matured)
            members[("target_group", owner.target_group)].add(owner.pk)
        if link is not None:
            channel_name = channel_names.get(link.channel, link.channel)
            bucket("channel_type", link.channel, channel_name).add(event, total, matured)
            bucket(
                "channel",
                link.code,
                f"{channel_name}: {link.label}",
                group=owner.name if owner else "",
            ).add(event, total, matured)
            members[("channel_type", link.channel)].add(link.code)
            if owner is not None:
                members[("campaign", owner.pk)].add(link.code)
        bucket("page", row["page_id"], titles.get(row["page_id"], "?")).add(event, total, matured)

    tables = {}
    for kind in kinds:
        total = FunnelRow(label=str(_("Totaal")), known_3m=known_3m)
        for part in by[kind].values():
            total.merge(part)
        tables[kind] = FunnelTable(
            rows=sorted(by[kind].values(), key=lambda r: (-r.total, r.label)), total=total
        )
    pairs = [(table.rows, table.total) for table in tables.values()]
    # A target group is the sum of its campaigns; a channel type, and a campaign (with its
    # visits without a code, which the reader may know from the pages), those of their links.
    for (kind, key), parts in members.items():
        child = "campaign" if kind == "target_group" else "channel"
        pairs.append(([by[child][part] for part in parts], by[kind][key]))
    protect_all(pairs)
    return tables


def weekly(start, end, event=DailyCount.Event.INTAKE_SUBMITTED, campaign=None):
    """Counts of `event` per week (Monday) in the period, for the chart and its table."""
    rows = DailyCount.objects.filter(day__gte=start, day__lte=end, event=event)
    if campaign is not None:
        rows = rows.filter(campaign_scope(campaign))
    weeks = defaultdict(int)
    summed = rows.values("day").annotate(total=Sum("count")).order_by()
    for row in summed:
        day = row["day"]
        weeks[day - timedelta(days=day.weekday())] += row["total"]
    first = start - timedelta(days=start.weekday())
    result = []
    week = first
    while week <= end:
        result.append((week, shown(weeks.get(week, 0))))
        week += timedelta(days=7)
    return result


def median_from_counts(histogram):
    """The median of values given as {value: how often}; None without values."""
    n = sum(histogram.values())
    if not n:
        return None
    wanted = [(n - 1) // 2, n // 2]  # the middle one, or the middle two
    found = []
    seen = 0
    for value in sorted(histogram):
        count = histogram[value]
        for position in wanted:
            if seen <= position < seen + count:
                found.append(value)
        seen += count
    return sum(found) / len(found)


def response_times(start, end, campaign=None):
    """Time from sign-up to first contact against the promise: contacts on time and late, the
    share on time and the median in hours, for sign-ups in the period."""
    rows = DailyCount.objects.filter(
        day__gte=start,
        day__lte=end,
        event__in=[DailyCount.Event.CONTACTED, DailyCount.Event.RESPONSE_TIME],
    )
    if campaign is not None:
        rows = rows.filter(campaign_scope(campaign))
    on_time = late = 0
    hours = defaultdict(int)
    for row in rows.values("event", "detail").annotate(total=Sum("count")).order_by():
        if row["event"] == DailyCount.Event.CONTACTED:
            if row["detail"] == "late":
                late += row["total"]
            else:
                on_time += row["total"]
        elif row["detail"].isdigit() and row["total"] > 0:
            hours[int(row["detail"])] += row["total"]
    contacted = on_time + late
    # With the total shown, one hidden part would give away the other: hide both.
    parts_hidden = shown(on_time) is None or shown(late) is None
    median = median_from_counts(hours) if shown(sum(hours.values())) else None
    return {
        "contacted": shown(contacted),
        "on_time": None if parts_hidden else on_time,
        "late": None if parts_hidden else late,
        "on_time_rate": None if parts_hidden else rate(on_time, contacted),
        "median_hours": median,
    }


def outcomes(start, end, campaign=None):
    """What came of the sign-ups in the period: solutions by kind, dropouts by reason."""
    from doorvertellen.models import IntakeRecord

    rows = DailyCount.objects.filter(
        day__gte=start,
        day__lte=end,
        event__in=[DailyCount.Event.SOLUTION, DailyCount.Event.DROPPED_OUT],
    )
    if campaign is not None:
        rows = rows.filter(campaign_scope(campaign))
    totals = {
        (row["event"], row["detail"]): row["total"]
        for row in rows.values("event", "detail").annotate(total=Sum("count")).order_by()
    }
    kinds = [
        (DailyCount.Event.SOLUTION, value, label)
        for value, label in IntakeRecord.Outcome.choices
        if value != IntakeRecord.Outcome.DROPPED_OUT
    ] + [
        (DailyCount.Event.DROPPED_OUT, value, _("Afgehaakt: %(reason)s") % {"reason": label})
        for value, label in IntakeRecord.DropoutReason.choices
    ]
    table = []
    for event, detail, label in kinds:
        row = FunnelRow(label=str(label))
        row.add("n", totals.get((event, detail), 0))
        table.append(row)
    total = FunnelRow(label=str(_("Totaal")))
    for row in table:
        total.merge(row)
    protect_all([(table, total)], events=["n"])
    return FunnelTable(rows=table, total=total)


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
    return compare_all_versions([page], start, end)[0][1]


def compare_all_versions(pages, start, end):
    """[(page, VariantResult)] for landing pages, from one query whatever their number."""
    rows = DailyCount.objects.filter(
        # Says outright what `daily_count_version_idx` holds, so the database reads only that.
        variant_page__gt=0,
        variant_page__in=[page.pk for page in pages],
        day__gte=start,
        day__lte=end,
        variant__in=["A", "B"],
        event__in=[DailyCount.Event.VIEW, DailyCount.Event.INTAKE_SUBMITTED],
    ).values("variant_page", "event", "variant")
    totals = {
        (row["variant_page"], row["event"], row["variant"]): row["total"]
        for row in rows.annotate(total=Sum("count")).order_by()
    }
    results = []
    for page in pages:
        views = tuple(totals.get((page.pk, "view", v), 0) for v in "AB")
        submitted = tuple(totals.get((page.pk, "submitted", v), 0) for v in "AB")
        p_value = two_proportion_p_value(submitted[0], views[0], submitted[1], views[1])
        result = VariantResult(
            views=tuple(shown(n) for n in views),
            submitted=tuple(shown(n) for n in submitted),
            rates=tuple(rate(s, v) for s, v in zip(submitted, views, strict=True)),
            p_value=p_value,
        )
        results.append((page, result))
    return results
