"""The figures: funnels per campaign and channel, small numbers hidden, safe CSV, significance."""

import csv
import io
import math
from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from campagnes.factories import CampaignFactory, CampaignLandingPageFactory, TrackedLinkFactory
from campagnes.figures import Cell, funnels, shown, two_proportion_p_value
from campagnes.models import DailyCount
from tests.helpers import text

pytestmark = pytest.mark.django_db


def test_small_numbers_are_hidden():
    assert [shown(n) for n in (0, 1, 4, 5, 120)] == [0, None, None, 5, 120]


@pytest.mark.parametrize(
    ("a", "n_a", "b", "n_b", "expected"),
    [
        # Pooled two-proportion z-test, z read off a standard normal table.
        (50, 1000, 80, 1000, 0.006507),  # z = -2.721
        (30, 500, 30, 500, 1.0),  # z = 0
        (45, 900, 55, 900, 0.3035),  # z = -1.029
        (120, 2400, 90, 2400, 0.03426),  # z = 2.117
    ],
)
def test_significance_matches_known_values(a, n_a, b, n_b, expected):
    assert math.isclose(two_proportion_p_value(a, n_a, b, n_b), expected, rel_tol=2e-3)


def test_no_significance_without_data():
    assert two_proportion_p_value(0, 0, 5, 100) is None
    assert two_proportion_p_value(0, 100, 0, 100) is None


@pytest.fixture
def campaign_with_counts(home, intake_page):
    landing = CampaignLandingPageFactory(parent=home, slug="jongeren")
    campaign = CampaignFactory(name="Jong en rood", target_group="young", landing_page=landing)
    landing.campaign = campaign
    landing.save()
    flyer = TrackedLinkFactory(campaign=campaign, channel="flyer", label="Flyer mbo")
    today = timezone.localdate()
    for event, count in (("view", 200), ("cta_click", 40), ("started", 20), ("submitted", 12)):
        DailyCount.add(event, landing.pk, code=flyer.code, amount=count, day=today)
    DailyCount.add("contacted", landing.pk, code=flyer.code, detail="on_time", amount=3)
    DailyCount.add("view", landing.pk, amount=7, day=today - timedelta(days=3))
    return campaign, flyer, landing


def test_funnel_per_campaign_and_channel(campaign_with_counts):
    today = timezone.localdate()
    result = funnels(today - timedelta(days=30), today)
    (row,) = result["campaign"]
    assert row.label == "Jong en rood"
    cells = row.cells()
    assert cells[0] == Cell(207)  # views with and without the code
    assert cells[3] == Cell(12, 60.0)  # 12 of 20 who started
    assert cells[4] == Cell(None)  # 3 contacts: too few to show
    assert cells[6] == Cell(None, unknown=True)  # nobody is 3 months in yet
    (channel,) = result["channel"]
    assert channel.label == "Flyer: Flyer mbo"
    assert channel.cells()[0] == Cell(200)
    assert [r.label for r in result["target_group"]] == ["Jongeren (18 tot 27 jaar)"]


def test_dashboard_for_communications_staff(client, editor, campaign_with_counts):
    client.force_login(editor)
    response = client.get(reverse("campagnes_figures"))
    assert response.status_code == 200
    body = text(response)
    assert "Jong en rood" in body
    assert "Flyer mbo" in body
    assert "&lt; 5" in body  # the 3 contacts


def test_other_roles_do_not_see_the_figures(client, intake_member, campaign_with_counts):
    client.force_login(intake_member)
    response = client.get(reverse("campagnes_figures"))
    assert response.status_code in (302, 403)
    assert "Jong en rood" not in response.content.decode()


def test_csv_export_neutralises_formulas(client, editor, campaign_with_counts):
    campaign, flyer, _landing = campaign_with_counts
    flyer.label = '=HYPERLINK("http://x")'
    flyer.save()
    campaign.name = "+Campagne"
    campaign.save()
    client.force_login(editor)
    response = client.get(reverse("campagnes_figures") + "?export=csv")
    assert response["Content-Type"].startswith("text/csv")
    rows = list(csv.reader(io.StringIO(response.content.decode())))
    cells = [cell for row in rows[1:] for cell in row]
    assert not any(cell[:1] in ("=", "+", "-", "@") for cell in cells)
    assert "'+Campagne" in cells
    assert "<5" in cells


def test_bad_dates_fall_back_kindly(client, editor, campaign_with_counts):
    client.force_login(editor)
    response = client.get(reverse("campagnes_figures") + "?van=gisteren&tot=2026-99-99&campagne=x")
    assert response.status_code == 200


def test_outside_area_interest_is_grouped_per_municipality(client, editor, home):
    from campagnes.models import Municipality
    from doorvertellen.models import OutsideAreaCount

    Municipality.objects.create(name="Veerdam", first_area=3360, last_area=3369)
    today = timezone.localdate()
    for area, count in (("3361", 4), ("3365", 3), ("9999", 2)):
        OutsideAreaCount.objects.create(date=today, postcode_area=area, count=count)
    client.force_login(editor)
    html = client.get(reverse("campagnes_figures")).content.decode()
    assert "Veerdam" in html
    row = html[html.index("Veerdam") :][:120]
    assert "7" in row  # 4 + 3 together: enough to show
    assert "Postcodegebied 9999" in html
    assert "&lt; 5" in html[html.index("Postcodegebied 9999") :][:120]


def test_a_municipality_needs_real_postcode_areas():
    from django.core.exceptions import ValidationError

    from campagnes.models import Municipality

    with pytest.raises(ValidationError) as error:
        Municipality(name="Nergens", first_area=3400, last_area=33).full_clean()
    assert "last_area" in error.value.message_dict
