"""A campaign landing page: one message, stories of people like the reader, fears answered."""

import pytest
from django.utils import timezone

from campagnes.factories import CampaignLandingPageFactory
from tests.helpers import text
from verhalen.factories import ConsentRecordFactory, StoryPageFactory

BROWSER = {"HTTP_USER_AGENT": "Mozilla/5.0 (Linux; Android 14) Mobile Safari/537.36"}


@pytest.fixture
def consent(db):
    return ConsentRecordFactory(display_name="Samira")


@pytest.fixture
def landing(home, intake_page, story_index, consent):
    story = StoryPageFactory(
        parent=story_index,
        display_name="Samira",
        quote="Ik durfde de post niet open te maken.",
        consent=consent,
    )
    return CampaignLandingPageFactory(
        parent=home,
        slug="post-open",
        headline="Durf jij je post niet open te maken?",
        stories=[
            ("quote", {"story": story, "show_link": True}),
            ("card", {"story": story, "show_link": True}),
        ],
        fears=[("fear", {"question": "Raak ik mijn huis kwijt?", "answer": "Bijna nooit."})],
    )


@pytest.mark.django_db
def test_landing_page_shows_message_stories_fears_and_other_ways_in(client, landing):
    response = client.get(landing.url, **BROWSER)
    assert response.status_code == 200
    body = text(response)
    assert "Durf jij je post niet open te maken?" in body
    assert body.count("Ik durfde de post niet open te maken.") == 2
    assert "Raak ik mijn huis kwijt?" in body
    assert "Liever op een andere manier?" in body
    assert not response.cookies


@pytest.mark.django_db
def test_withdrawn_story_disappears_from_the_landing_page(client, landing, consent):
    consent.withdrawn_at = timezone.now()
    consent.save()
    response = client.get(landing.url, **BROWSER)
    assert response.status_code == 200
    assert "Ik durfde de post niet open te maken." not in text(response)
