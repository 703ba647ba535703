"""The version of a landing page a resident saw counts for that page, also via a story."""

import uuid
from datetime import timedelta
from urllib.parse import parse_qs, urlsplit

import pytest
from django.utils import timezone

from campagnes import figures
from campagnes.factories import CampaignFactory, CampaignLandingPageFactory, TrackedLinkFactory
from campagnes.models import DailyCount
from doorvertellen.models import IntakeRecord
from tests.helpers import links, valid_data
from verhalen.factories import ConsentRecordFactory, StoryPageFactory

BROWSER = {"HTTP_USER_AGENT": "Mozilla/5.0 (Linux; Android 14) Mobile Safari/537.36"}


@pytest.fixture
def story(story_index):
    consent = ConsentRecordFactory(display_name="Samira")
    return StoryPageFactory(
        parent=story_index,
        slug="samira",
        display_name="Samira",
        quote="Ik durfde de post niet open te maken.",
        consent=consent,
    )


@pytest.fixture
def landing(home, intake_page, story):
    return CampaignLandingPageFactory(
        parent=home,
        slug="post-open",
        headline_b="Rood staan? Bel ons.",
        cta_label_b="Bel mij",
        stories=[("card", {"story": story, "show_link": True})],
    )


@pytest.fixture
def link(landing):
    return TrackedLinkFactory(campaign=CampaignFactory(landing_page=landing))


def query(url):
    return {key: values[0] for key, values in parse_qs(urlsplit(url).query).items()}


def sign_up_via_story(client, link, landing, story, intake_page):
    """Flyer code, landing page, the story on it, the story's button, the form: sent."""
    landing_view = client.get(f"/c/{link.code}", follow=True, **BROWSER)
    story_href = next(href for href in links(landing_view) if href.startswith(story.url))
    version = query(story_href)["v"]
    assert version in (f"A{landing.pk}", f"B{landing.pk}")
    assert query(story_href)["c"] == link.code

    story_view = client.get(story_href, **BROWSER)
    assert story_view.status_code == 200
    signup = next(href for href in links(story_view) if href.startswith(intake_page.url))
    params = query(signup)
    assert params["v"] == version and params["c"] == link.code
    assert params["via"] == str(story.pk)

    assert client.get(signup, **BROWSER).status_code == 200
    data = valid_data(token=str(uuid.uuid4()), **params)
    assert client.post(intake_page.url, data, **BROWSER).status_code == 302
    return version[0]


@pytest.mark.django_db
def test_version_travels_through_a_story_into_the_record_and_the_figures(
    client, link, landing, story, intake_page
):
    letter = sign_up_via_story(client, link, landing, story, intake_page)

    record = IntakeRecord.objects.get()
    assert record.campaign_variant == letter
    assert record.campaign_page_id == landing.pk
    assert record.source_page_id == story.pk

    submitted = DailyCount.objects.get(event=DailyCount.Event.INTAKE_SUBMITTED)
    # Counted on the story (where the button was), for the landing page's version.
    assert (submitted.page_id, submitted.variant, submitted.variant_page) == (
        story.pk,
        letter,
        landing.pk,
    )
    today = timezone.localdate()
    result = figures.compare_versions(landing, today - timedelta(days=1), today)
    index = "AB".index(letter)
    raw = DailyCount.objects.filter(variant_page=landing.pk, event="submitted", variant=letter)
    assert sum(row.count for row in raw) == 1
    # One view and one sign-up for that version: too few to show, but counted.
    assert result.views[index] is None and result.submitted[index] is None


@pytest.mark.django_db
def test_milestones_follow_the_version_of_the_landing_page(
    client, link, landing, story, intake_page
):
    letter = sign_up_via_story(client, link, landing, story, intake_page)
    record = IntakeRecord.objects.get()
    record.contacted_at = timezone.now()
    record.save()
    contacted = DailyCount.objects.get(event=DailyCount.Event.CONTACTED)
    assert (contacted.variant, contacted.variant_page) == (letter, landing.pk)


@pytest.mark.django_db
def test_sign_up_rate_per_version_counts_sign_ups_from_stories(landing, story):
    day = timezone.localdate()
    for variant, views, direct, via_story in (("A", 200, 4, 6), ("B", 200, 10, 20)):
        DailyCount.add("view", landing.pk, variant=variant, variant_page=landing.pk, amount=views)
        DailyCount.add(
            "submitted", landing.pk, variant=variant, variant_page=landing.pk, amount=direct
        )
        DailyCount.add(
            "submitted", story.pk, variant=variant, variant_page=landing.pk, amount=via_story
        )
    # Another page's version B on the same story does not count for this page.
    DailyCount.add("submitted", story.pk, variant="B", variant_page=story.pk + 1000, amount=50)

    result = figures.compare_versions(landing, day, day)
    assert result.views == (200, 200)
    assert result.submitted == (10, 30)
    assert result.rates == (5.0, 15.0)
    assert result.significant


@pytest.mark.django_db
def test_a_made_up_version_is_dropped(client, landing, intake_page, story):
    data = valid_data(token=str(uuid.uuid4()), via=str(story.pk), v=f"B{story.pk}")
    assert client.post(intake_page.url, data, **BROWSER).status_code == 302
    record = IntakeRecord.objects.get()
    assert (record.campaign_variant, record.campaign_page_id) == ("", None)
    assert not DailyCount.objects.exclude(variant="").exists()


@pytest.mark.django_db
def test_a_bare_version_letter_belongs_to_the_landing_page_it_came_from(
    client, landing, intake_page
):
    data = valid_data(token=str(uuid.uuid4()), via=str(landing.pk), v="b")
    assert client.post(intake_page.url, data, **BROWSER).status_code == 302
    record = IntakeRecord.objects.get()
    assert (record.campaign_variant, record.campaign_page_id) == ("B", landing.pk)
