"""The demo campaigns: loaded with the demo content, once, so the dashboard has a story."""

import io

import pytest
from django.core.management import call_command

from campagnes.models import Campaign, CampaignLandingPage, DailyCount, TrackedLink


@pytest.mark.django_db
def test_demo_campaigns_load_once_with_counts_and_links(client):
    call_command("load_demo_content", stdout=io.StringIO())
    assert Campaign.objects.count() == 3
    assert TrackedLink.objects.count() == 7
    assert CampaignLandingPage.objects.live().count() == 3
    rows = DailyCount.objects.count()
    assert DailyCount.objects.filter(event="in_route_3m").exists()
    assert rows > 0
    call_command("load_demo_content", stdout=io.StringIO())
    assert Campaign.objects.count() == 3
    assert DailyCount.objects.count() == rows
    for page in CampaignLandingPage.objects.all():
        assert client.get(page.url).status_code == 200
