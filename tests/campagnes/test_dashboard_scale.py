"""The dashboard at municipal scale: a year of daily counts for 200 campaigns, answered with
the same small number of queries as for one campaign (everything is summed in the database)."""

from datetime import timedelta

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from campagnes.management.commands.generate_campaign_load import generate
from campagnes.models import Campaign, DailyCount

QUERY_BUDGET = 30


def dashboard_queries(client, **params):
    url = reverse("campagnes_figures")
    client.get(url, params)  # the first request warms what every admin page caches
    with CaptureQueriesContext(connection) as queries:
        response = client.get(url, params)
    assert response.status_code == 200
    return len(queries)


@pytest.mark.django_db
def test_a_year_of_200_campaigns_takes_no_more_queries_than_one(
    client, editor, home, intake_page, django_assert_max_num_queries
):
    client.force_login(editor)
    year = {"van": (timezone.localdate() - timedelta(days=365)).isoformat()}
    generate(campaigns=1, days=30, links_per_campaign=1, events=2, seed=1)
    small = dashboard_queries(client, **year)

    # Views only, and few pages: the rows are what the database sums, and pages are slow to make.
    generate(campaigns=200, days=365, links_per_campaign=1, events=1, campaigns_per_page=50)
    assert Campaign.objects.count() == 201
    assert DailyCount.objects.count() > 200 * 360
    large = dashboard_queries(client, **year)
    assert large == small
    with django_assert_max_num_queries(QUERY_BUDGET):
        client.get(reverse("campagnes_figures"), year)
    # One campaign chosen out of the 200: still the same handful of queries.
    chosen = Campaign.objects.order_by("pk").last()
    assert dashboard_queries(client, campagne=chosen.pk, **year) <= QUERY_BUDGET


@pytest.mark.django_db
def test_the_command_makes_and_removes_the_load(home, intake_page):
    from django.core.management import call_command

    call_command("generate_campaign_load", campaigns=3, days=5, links=2, stdout=None)
    assert Campaign.objects.filter(name__startswith="Belasting ").count() == 3
    assert DailyCount.objects.exists()
    call_command("generate_campaign_load", remove=True, stdout=None)
    assert not Campaign.objects.exists() and not DailyCount.objects.exists()
