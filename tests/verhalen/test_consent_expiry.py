"""When a consent ends, its stories go offline on that day; staff hear about it beforehand."""

import io
from datetime import timedelta

import pytest
import time_machine
from django.core import mail
from django.core.management import call_command
from django.utils import timezone

from doorvertellen.models import AuditEntry
from doorvertellen.models.pages import HomePageFeaturedStory
from verhalen.consent import expiry_moment
from verhalen.factories import ConsentRecordFactory, StoryPageFactory, approve
from verhalen.models import ConsentPage, ConsentRecord

pytestmark = pytest.mark.django_db

SECOND = timedelta(seconds=1)


@pytest.fixture
def consent(db):
    return ConsentRecordFactory(
        display_name="Sandra",
        expires_on=timezone.localdate() + timedelta(days=60),
        contact_name="Sandra de Vries",
        contact_email="sandra.devries@example.org",
    )


@pytest.fixture
def story(story_index, consent, editor):
    return StoryPageFactory(
        parent=story_index, title="Hoe Sandra weer rust kreeg", consent=consent, owner=editor
    )


def check(*args):
    out = io.StringIO()
    call_command("check_consents", *args, stdout=out)
    return out.getvalue()


def test_the_story_stays_online_until_the_last_second_before_the_end_date(
    story, consent, home, editor, consent_manager
):
    HomePageFeaturedStory.objects.create(page=home, story=story, sort_order=0)
    end = expiry_moment(consent.expires_on)

    with time_machine.travel(end - SECOND, tick=False):
        check()
        story.refresh_from_db()
        assert story.live
    mail.outbox.clear()

    with time_machine.travel(end, tick=False):
        output = check()
    story.refresh_from_db()
    assert not story.live
    assert story.expired
    assert "consents taken offline: 1 (1 pages unpublished)" in output
    assert HomePageFeaturedStory.objects.count() == 0
    consent.refresh_from_db()
    assert consent.offline_since == end
    assert consent.withdrawn_at is None
    assert AuditEntry.objects.get(object_type="verhalen.ConsentRecord").detail == "expired"
    assert len(mail.outbox) == 1
    assert "Hoe Sandra weer rust kreeg" in mail.outbox[0].body
    assert "Sandra de Vries" not in mail.outbox[0].body
    assert "sandra.devries@example.org" not in mail.outbox[0].body


def test_a_second_run_does_nothing(story, consent):
    with time_machine.travel(expiry_moment(consent.expires_on) + timedelta(hours=3)):
        check()
        mail.outbox.clear()
        output = check()
    assert "consents taken offline: 0 (0 pages unpublished)" in output
    assert "expiry warnings sent: 0" in output
    assert mail.outbox == []
    assert AuditEntry.objects.filter(object_type="verhalen.ConsentRecord").count() == 1


def test_a_page_put_back_online_under_an_ended_consent_goes_offline_again(story, consent):
    with time_machine.travel(expiry_moment(consent.expires_on) + timedelta(hours=3)):
        check()
        # Straight into the database, past every guard: the daily run still catches it.
        type(story).objects.filter(pk=story.pk).update(live=True)
        output = check()
    assert "consents taken offline: 1 (1 pages unpublished)" in output
    story.refresh_from_db()
    assert not story.live


def test_dry_run_only_counts(story, consent):
    with time_machine.travel(expiry_moment(consent.expires_on) + timedelta(hours=3)):
        output = check("--dry-run")
    assert "consents to take offline: would do 1" in output
    story.refresh_from_db()
    assert story.live
    assert ConsentRecord.objects.get().offline_since is None


def test_staff_are_warned_once_thirty_days_before(story, consent, editor, consent_manager):
    warn_day = expiry_moment(consent.expires_on - timedelta(days=30)) + timedelta(hours=3)
    mail.outbox.clear()

    with time_machine.travel(warn_day - timedelta(days=1)):
        assert "expiry warnings sent: 0" in check()
    assert mail.outbox == []

    with time_machine.travel(warn_day):
        assert "expiry warnings sent: 1" in check()
    assert len(mail.outbox) == 1
    message = mail.outbox[0]
    assert set(message.to) >= {editor.email, consent_manager.email}
    assert "Hoe Sandra weer rust kreeg" in message.body
    assert consent.expires_on.strftime("%d-%m-%Y") in message.body
    assert "Sandra de Vries" not in message.body
    consent.refresh_from_db()
    assert consent.expiry_warning_sent_on == warn_day.date()

    with time_machine.travel(warn_day + timedelta(days=1)):
        assert "expiry warnings sent: 0" in check()
    assert len(mail.outbox) == 1


def test_an_extended_consent_is_warned_about_again(story, consent):
    warn_day = expiry_moment(consent.expires_on - timedelta(days=30)) + timedelta(hours=3)
    with time_machine.travel(warn_day):
        check()
        consent.expires_on += timedelta(days=365)
        consent.save()
    mail.outbox.clear()
    with time_machine.travel(warn_day + timedelta(days=365)):
        assert "expiry warnings sent: 1" in check()


def test_the_warning_days_are_a_setting(story, consent, settings):
    settings.CONSENT_EXPIRY_WARNING_DAYS = 7
    with time_machine.travel(expiry_moment(consent.expires_on - timedelta(days=8))):
        assert "expiry warnings sent: 0" in check()
    with time_machine.travel(expiry_moment(consent.expires_on - timedelta(days=7))):
        assert "expiry warnings sent: 1" in check()


def test_wagtails_expiry_date_follows_the_consent(story, consent, story_index):
    story.refresh_from_db()
    assert story.expire_at == expiry_moment(consent.expires_on)

    consent.expires_on += timedelta(days=10)
    consent.save()
    story.refresh_from_db()
    assert story.expire_at == expiry_moment(consent.expires_on)

    # A second person in the story, whose consent ends sooner: that date counts.
    other = ConsentRecordFactory(
        display_name="Sandra", expires_on=consent.expires_on - timedelta(days=20)
    )
    ConsentPage.objects.create(consent=other, page=story)
    story.refresh_from_db()
    assert story.expire_at == expiry_moment(other.expires_on)

    # Publishing copies the revision's own (empty) date: ours is put back.
    approve(other, story).revision.publish()
    story.refresh_from_db()
    assert story.live
    assert story.expire_at == expiry_moment(other.expires_on)

    # Unlinked again: back to the first consent's date.
    ConsentPage.objects.filter(consent=other).delete()
    story.refresh_from_db()
    assert story.expire_at == expiry_moment(consent.expires_on)


def test_wagtails_scheduler_and_the_daily_check_agree(story, consent):
    with time_machine.travel(expiry_moment(consent.expires_on) + SECOND):
        call_command("publish_scheduled", stdout=io.StringIO())
        story.refresh_from_db()
        assert not story.live
        # The daily check still does the bookkeeping: offline since, audit, no double mail.
        assert "consents taken offline: 1 (0 pages unpublished)" in check()
    consent.refresh_from_db()
    assert consent.offline_since is not None


def test_two_runs_on_the_warning_day_send_one_mail_for_a_consent_with_two_stories(
    story, consent, story_index, editor
):
    StoryPageFactory(parent=story_index, title="Sandra, een jaar later", consent=consent)
    warn_day = expiry_moment(consent.expires_on - timedelta(days=30)) + timedelta(hours=9)
    mail.outbox.clear()

    with time_machine.travel(warn_day):
        assert "expiry warnings sent: 1" in check()
        assert "expiry warnings sent: 0" in check()

    assert len(mail.outbox) == 1
    message = mail.outbox[0]
    assert "Hoe Sandra weer rust kreeg" in message.body
    assert "Sandra, een jaar later" in message.body
    for private in (consent.contact_name, consent.contact_email, consent.contact_phone):
        assert private not in message.body
        assert private not in message.subject


def test_a_warning_already_claimed_by_another_run_is_not_sent_again(story, consent):
    """Two timers started at once: the run that claims the warning first is the one to send."""
    from verhalen.management.commands.check_consents import claim_warning

    today = timezone.localdate()
    first_run, second_run = ConsentRecord.objects.get(), ConsentRecord.objects.get()
    assert claim_warning(first_run, today) is True
    assert claim_warning(second_run, today) is False


EXPIRY_QUOTE = "Ik vond een uitweg uit de zeldzame kraanvogelschuld."


@pytest.fixture
def everywhere(home, intake_page, story_index, consent):
    """The story as residents meet it: its page, search, the sitemap, a card on the home page
    and a quote and a card on a campaign landing page."""
    from campagnes.factories import CampaignLandingPageFactory

    story = StoryPageFactory(
        parent=story_index,
        title="Sandra en de kraanvogelschuld",
        quote=EXPIRY_QUOTE,
        summary="Over de zeldzame kraanvogelschuld van Sandra.",
        consent=consent,
    )
    HomePageFeaturedStory.objects.create(page=home, story=story, sort_order=0)
    landing = CampaignLandingPageFactory(
        parent=home,
        slug="kraanvogel",
        headline="Zit jij ook vast?",
        stories=[
            ("quote", {"story": story, "show_link": True}),
            ("card", {"story": story, "show_link": True}),
        ],
    )
    return story, landing


RESIDENT = {"HTTP_USER_AGENT": "Mozilla/5.0 (Linux; Android 14) Mobile Safari/537.36"}


def seen_by_residents(client, story, landing):
    """Where the story still shows up for residents (pages rendered, not kept)."""
    places = []
    if story.title in text_of(client.get("/zoeken/?q=kraanvogelschuld&meting=1", **RESIDENT)):
        places.append("search")
    if story.slug in text_of(client.get("/sitemap.xml")):
        places.append("sitemap")
    if story.title in text_of(client.get("/?meting=1", **RESIDENT)):
        places.append("home")
    landing_html = text_of(client.get(landing.url + "?meting=1", **RESIDENT))
    if EXPIRY_QUOTE in landing_html or story.title in landing_html:
        places.append("landing page")
    if client.get(story.url or "/verhalen/" + story.slug + "/").status_code == 200:
        places.append("page")
    return places


def text_of(response):
    return response.content.decode()


def test_expiry_through_the_daily_check_removes_the_story_everywhere(client, everywhere, consent):
    story, landing = everywhere
    assert seen_by_residents(client, story, landing) == [
        "search",
        "sitemap",
        "home",
        "landing page",
        "page",
    ]

    with time_machine.travel(expiry_moment(consent.expires_on) + timedelta(hours=2)):
        check()
        assert seen_by_residents(client, story, landing) == []
    assert HomePageFeaturedStory.objects.count() == 0


def test_expiry_through_wagtails_own_scheduler_removes_the_story_everywhere(
    client, everywhere, consent
):
    story, landing = everywhere

    with time_machine.travel(expiry_moment(consent.expires_on) + SECOND):
        call_command("publish_scheduled")
        assert seen_by_residents(client, story, landing) == []


def test_the_editor_sees_the_coming_end_in_the_page_editor(client, story, consent, editor):
    from django.urls import reverse

    from tests.helpers import text

    client.force_login(editor)
    edit_url = reverse("wagtailadmin_pages:edit", args=[story.pk])
    notice = "Let op: de toestemming van Sandra loopt af op"

    assert notice not in text(client.get(edit_url))  # 60 days to go: not yet

    ConsentRecord.objects.filter(pk=consent.pk).update(
        expires_on=timezone.localdate() + timedelta(days=12)
    )
    body = text(client.get(edit_url))
    assert notice in body
    assert (timezone.localdate() + timedelta(days=12)).strftime("%d-%m-%Y") in body
    assert consent.contact_name not in body
    assert consent.contact_email not in body
