"""The dashboard's completeness: response times, outcomes, totals per channel type, hidden
small numbers that cannot be computed back, "not known yet", a CSV per table, read-only."""

import csv
import io
from datetime import timedelta

import pytest
from django.contrib.auth.models import Group
from django.urls import reverse
from django.utils import timezone

from campagnes import figures
from campagnes.factories import CampaignFactory, CampaignLandingPageFactory, TrackedLinkFactory
from campagnes.models import DailyCount
from doorvertellen.factories import IntakeRecordFactory
from doorvertellen.roles import MANAGEMENT
from tests.helpers import text

pytestmark = pytest.mark.django_db

TODAY = timezone.localdate()


@pytest.fixture
def manager(django_user_model):
    user = django_user_model.objects.create_user("manager", password="x")
    user.groups.add(Group.objects.get(name=MANAGEMENT))
    return user


@pytest.fixture
def two_campaigns(home, intake_page):
    young_page = CampaignLandingPageFactory(parent=home, slug="jong")
    young = CampaignFactory(name="Jong", target_group="young", landing_page=young_page)
    young_page.campaign = young
    young_page.save()
    work_page = CampaignLandingPageFactory(parent=home, slug="werk")
    work = CampaignFactory(name="Werk", target_group="working", landing_page=work_page)
    work_page.campaign = work
    work_page.save()
    flyer = TrackedLinkFactory(campaign=young, channel="flyer", label="Flyer school")
    poster = TrackedLinkFactory(campaign=young, channel="poster", label="Poster bus")
    letter = TrackedLinkFactory(campaign=work, channel="flyer", label="Flyer werkplein")
    return young, work, flyer, poster, letter, young_page, work_page


def test_a_single_hidden_number_cannot_be_computed_from_a_total(two_campaigns):
    _young, _work, flyer, poster, letter, young_page, work_page = two_campaigns
    day = TODAY
    DailyCount.add("submitted", young_page.pk, code=flyer.code, amount=3, day=day)
    DailyCount.add("submitted", young_page.pk, code=poster.code, amount=40, day=day)
    DailyCount.add("submitted", work_page.pk, code=letter.code, amount=30, day=day)
    DailyCount.add("view", work_page.pk, code=letter.code, amount=30, day=day)
    DailyCount.add("view", young_page.pk, code=poster.code, amount=40, day=day)

    tables = figures.funnels(TODAY - timedelta(days=7), TODAY, today=TODAY)
    submitted = figures.FUNNEL_EVENTS.index("submitted")

    def column(kind, step=submitted):
        return {row.label: row.cells()[step].count for row in tables[kind]}

    # 3 is hidden. Shown, 73 - 40 - 30 per link, 43 - 40 per campaign or 33 - 30 per flyer
    # would give it away, so every number it could be computed from is hidden too.
    assert column("channel") == {
        "Poster: Poster bus": None,
        "Flyer: Flyer werkplein": None,
        "Flyer: Flyer school": None,
    }
    assert column("channel_type") == {"Poster": None, "Flyer": None}
    assert column("campaign") == {"Jong": None, "Werk": None}
    assert column("target_group") == {
        "Jongeren (18 tot 27 jaar)": None,
        "Werkenden": None,
    }
    assert tables["channel"].total.cells()[submitted].count == 73
    # Views have no small number: nothing hidden there.
    assert column("channel", 0) == {
        "Poster: Poster bus": 40,
        "Flyer: Flyer werkplein": 30,
        "Flyer: Flyer school": 0,
    }


def test_the_total_is_hidden_when_nothing_else_can_protect_a_small_number(two_campaigns):
    _young, _work, flyer, *_rest = two_campaigns
    young_page = two_campaigns[5]
    DailyCount.add("view", young_page.pk, code=flyer.code, amount=2, day=TODAY)
    tables = figures.funnels(TODAY - timedelta(days=7), TODAY, today=TODAY)
    assert tables["channel"].total.cells()[0].count is None


def test_three_months_is_not_known_yet_for_recent_sign_ups(two_campaigns):
    young_page = two_campaigns[5]
    flyer = two_campaigns[2]
    old = TODAY - timedelta(days=120)
    for day in (old, TODAY - timedelta(days=10)):
        DailyCount.add("first_meeting", young_page.pk, code=flyer.code, amount=10, day=day)
    DailyCount.add("in_route_3m", young_page.pk, code=flyer.code, amount=6, day=old)
    step = figures.FUNNEL_EVENTS.index("in_route_3m")

    recent = figures.funnels(TODAY - timedelta(days=30), TODAY, today=TODAY)
    assert recent["campaign"].rows[0].cells()[step] == figures.Cell(None, unknown=True)

    # Over both: the 6 of the 10 first meetings that are 3 months old, not of all 20.
    both = figures.funnels(old, TODAY, today=TODAY)
    assert both["campaign"].rows[0].cells()[step] == figures.Cell(6, 60.0)


def test_response_times_give_median_and_share_within_the_promise(two_campaigns, intake_page):
    young_page = two_campaigns[5]
    now = timezone.now()
    for hours in (1, 5, 20, 30, 70):  # the last one too late
        created_at = now - timedelta(hours=hours + 1)
        record = IntakeRecordFactory(
            created_at=created_at,
            respond_by=created_at + timedelta(hours=48),
            source_page=young_page,
        )
        record.contacted_at = record.created_at + timedelta(hours=hours)
        record.save()
    # Another campaign's sign-up is left out when one campaign is chosen.
    other = IntakeRecordFactory(source_page=two_campaigns[6], respond_by=now + timedelta(days=1))
    other.contacted_at = other.created_at + timedelta(hours=2)
    other.save()

    start = TODAY - timedelta(days=7)
    young = figures.response_times(start, TODAY, campaign=two_campaigns[0])
    assert young["contacted"] == 5
    assert young["median_hours"] == 20
    # One late of five: shown it would be "< 5", and with the total it gives itself away.
    assert young["late"] is None and young["on_time"] is None and young["on_time_rate"] is None
    everyone = figures.response_times(start, TODAY)
    assert everyone["contacted"] == 6
    assert everyone["median_hours"] == 12.5  # between 5 and 20


def test_median_from_counts():
    assert figures.median_from_counts({}) is None
    assert figures.median_from_counts({3: 1}) == 3
    assert figures.median_from_counts({1: 2, 4: 1, 10: 1}) == 2.5
    assert figures.median_from_counts({2: 5, 8: 6}) == 8


def test_outcomes_by_kind_with_small_numbers_protected(two_campaigns):
    young_page = two_campaigns[5]
    DailyCount.add("solution", young_page.pk, detail="arrangement", amount=12, day=TODAY)
    DailyCount.add("solution", young_page.pk, detail="other_solution", amount=6, day=TODAY)
    DailyCount.add("dropped_out", young_page.pk, detail="no_show", amount=2, day=TODAY)
    table = figures.outcomes(TODAY - timedelta(days=7), TODAY)
    values = {row.label: row.single.count for row in table.rows if row.counts["n"]}
    assert values == {
        "Schuldregeling getroffen": 12,
        "Andere oplossing gevonden": None,  # protects the 2 from 20 - 12 - 6
        "Afgehaakt: Niet gekomen op afspraken": None,
    }
    assert table.total.single.count == 20


def test_dashboard_page_shows_every_table_with_its_csv(client, editor, two_campaigns):
    young_page = two_campaigns[5]
    DailyCount.add("view", young_page.pk, code=two_campaigns[2].code, amount=50, day=TODAY)
    client.force_login(editor)
    response = client.get(reverse("campagnes_figures"))
    assert response.status_code == 200
    body = text(response)
    for title in ("Per soort kanaal", "Uitkomsten", "Mediaan: uren tot contact", "Totaal"):
        assert title in body
    assert "nog niet bekend" in body
    for name in ("week", "campagne", "doelgroep", "kanaalsoort", "kanaal", "pagina"):
        assert f"export=csv&amp;tabel={name}" in body


@pytest.mark.parametrize(
    "name",
    [
        "week",
        "campagne",
        "doelgroep",
        "kanaalsoort",
        "kanaal",
        "pagina",
        "reactietijd",
        "uitkomsten",
        "versies",
        "buiten-gebied",
    ],
)
def test_every_table_exports_as_safe_csv(client, editor, two_campaigns, name):
    young, _work, flyer, *_rest = two_campaigns
    young.name = "=1+1"
    young.save()
    flyer.label = "@SUM(A1)"
    flyer.save()
    young_page = two_campaigns[5]
    young_page.title = "-2+3"
    young_page.headline_b = "Of toch?"
    young_page.save_revision().publish()
    DailyCount.add("view", young_page.pk, code=flyer.code, amount=50, day=TODAY)
    DailyCount.add("view", young_page.pk, variant="A", variant_page=young_page.pk, amount=9)
    client.force_login(editor)
    response = client.get(reverse("campagnes_figures"), {"export": "csv", "tabel": name})
    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/csv")
    rows = list(csv.reader(io.StringIO(response.content.decode())))
    assert rows and rows[0]
    cells = [cell for row in rows for cell in row]
    assert not any(cell[:1] in ("=", "+", "-", "@") for cell in cells)


def test_an_unknown_table_is_not_found(client, editor, two_campaigns):
    client.force_login(editor)
    response = client.get(reverse("campagnes_figures"), {"export": "csv", "tabel": "nope"})
    assert response.status_code == 404


def test_managers_read_the_figures_but_no_intake_record_and_change_nothing(
    client, manager, two_campaigns
):
    record = IntakeRecordFactory(name="Geheime Naam", source_page=two_campaigns[5])
    client.force_login(manager)
    figures_url = reverse("campagnes_figures")
    assert client.get(figures_url).status_code == 200
    assert "Geheime Naam" not in text(client.get(figures_url))
    assert client.get(figures_url, {"export": "csv"}).status_code == 200
    assert client.post(figures_url, {"van": "2026-01-01"}).status_code == 405
    for url in (
        reverse("intake_inbox:index"),
        reverse("intake_inbox:inspect", args=[record.pk]),
        reverse("wagtailsnippets_campagnes_campaign:edit", args=[two_campaigns[0].pk]),
    ):
        response = client.get(url)
        assert response.status_code in (302, 403), url
        assert "Geheime Naam" not in text(response)


def test_communications_staff_never_see_an_intake_record(client, editor, two_campaigns):
    record = IntakeRecordFactory(name="Geheime Naam")
    client.force_login(editor)
    for url in (reverse("intake_inbox:index"), reverse("intake_inbox:inspect", args=[record.pk])):
        response = client.get(url)
        assert response.status_code in (302, 403)
        assert "Geheime Naam" not in text(response)
