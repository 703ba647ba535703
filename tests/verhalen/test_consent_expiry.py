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
