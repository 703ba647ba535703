"""The demo campaigns: loaded with the demo content, once, so the dashboard has a story."""

import io

import pytest
from django.core.management import call_command
from django.db import models

from campagnes.models import Campaign, CampaignLandingPage, DailyCount, TrackedLink


@pytest.mark.django_db
def test_demo_campaigns_load_once_with_counts_and_links(client):
    call_command("load_demo_content", stdout=io.StringIO())
    assert Campaign.objects.count() == 3
    assert TrackedLink.objects.count() == 7
    assert CampaignLandingPage.objects.live().filter(locale__language_code="nl").count() == 3
    rows = DailyCount.objects.count()
    assert DailyCount.objects.filter(event="in_route_3m").exists()
    assert rows > 0
    call_command("load_demo_content", stdout=io.StringIO())
    assert Campaign.objects.count() == 3
    assert DailyCount.objects.count() == rows
    for page in CampaignLandingPage.objects.all():
        assert client.get(page.url).status_code == 200


@pytest.mark.django_db
def test_the_dashboard_tells_a_story_right_after_loading(client, superuser):
    from datetime import timedelta

    from django.urls import reverse
    from django.utils import timezone

    from campagnes import figures

    call_command("load_demo_content", stdout=io.StringIO())
    today = timezone.localdate()
    start = today - timedelta(weeks=16)
    tables = figures.funnels(start, today, today=today)
    step = figures.FUNNEL_EVENTS.index("in_route_3m")
    assert {row.label for row in tables["campaign"]} == set(
        Campaign.objects.values_list("name", flat=True)
    )
    assert tables["campaign"].total.cells()[step].count > 0  # 3 months on, for the oldest weeks
    responses = figures.response_times(start, today)
    assert responses["median_hours"] and responses["on_time_rate"] > 50
    assert figures.outcomes(start, today).total.single.count > 0
    # Sign-ups after a story count for the version the landing page showed.
    via_story = DailyCount.objects.filter(event="submitted", variant_page__gt=0).exclude(
        page_id=models.F("variant_page")
    )
    assert via_story.exists()
    (page,) = CampaignLandingPage.objects.exclude(headline_b="")
    result = figures.compare_versions(page, start, today)
    assert all(result.submitted) and result.p_value is not None
    client.force_login(superuser)
    assert client.get(reverse("campagnes_figures")).status_code == 200
