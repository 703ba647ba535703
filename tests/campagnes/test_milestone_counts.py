"""Milestones on the route become counts per sign-up day, code and page, and outlive the record."""

from datetime import timedelta

import pytest
from django.core.management import call_command
from django.utils import timezone

from campagnes.factories import CampaignFactory, CampaignLandingPageFactory, TrackedLinkFactory
from campagnes.models import DailyCount
from doorvertellen.factories import IntakeRecordFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def landing(home, intake_page):
    return CampaignLandingPageFactory(parent=home, slug="geldzorgen")


@pytest.fixture
def link(landing):
    return TrackedLinkFactory(campaign=CampaignFactory(landing_page=landing))


def milestones():
    return {
        (row.event, row.code, row.page_id, row.variant, row.detail, row.day): row.count
        for row in DailyCount.objects.exclude(count=0)
    }


def test_each_milestone_is_counted_once_on_the_sign_up_day(link, landing):
    signed_up = timezone.now() - timedelta(days=100)
    record = IntakeRecordFactory(
        created_at=signed_up,
        respond_by=signed_up + timedelta(days=2),
        source_page=landing,
        campaign_code=link.code,
        campaign_variant="B",
    )
    record.contacted_at = signed_up + timedelta(days=1)
    record.save()
    record.first_meeting_on = (signed_up + timedelta(days=8)).date()
    record.in_route_after_3_months = True
    record.save()
    record.save()  # saving again adds nothing
    day = timezone.localdate(signed_up)
    key = (link.code, landing.pk, "B")
    assert milestones() == {
        ("contacted", *key, "on_time", day): 1,
        ("response_time", *key, "24", day): 1,
        ("first_meeting", *key, "", day): 1,
        ("in_route_3m", *key, "", day): 1,
    }


def test_a_correction_moves_the_count(link, landing):
    record = IntakeRecordFactory(source_page=landing, campaign_code=link.code)
    record.outcome, record.outcome_on = "dropped_out", timezone.localdate()
    record.dropout_reason = "no_show"
    record.save()
    record.outcome, record.dropout_reason = "arrangement", ""
    record.save()
    events = {(event, detail): n for (event, _c, _p, _v, detail, _d), n in milestones().items()}
    assert events == {("solution", "arrangement"): 1}


def test_late_contact_is_counted_as_late(intake_page):
    now = timezone.now()
    record = IntakeRecordFactory(respond_by=now - timedelta(hours=2))
    record.contacted_at = now
    record.save()
    found = {
        (event, code, page_id, detail) for event, code, page_id, _v, detail, _d in milestones()
    }
    assert ("contacted", "", intake_page.pk, "late") in found
    assert {event for event, *_rest in found} == {"contacted", "response_time"}


def test_counts_remain_when_the_record_is_purged(link, landing, settings):
    old = timezone.now() - timedelta(days=settings.INTAKE_RETENTION_DAYS + 10)
    record = IntakeRecordFactory(source_page=landing, campaign_code=link.code)
    record.contacted_at = timezone.now()
    record.save()
    from doorvertellen.models import IntakeRecord

    IntakeRecord.objects.filter(pk=record.pk).update(updated_at=old, handed_over_at=old)
    call_command("purge_expired", verbosity=0)
    assert not IntakeRecord.objects.exists()
    # The contact, and its response time.
    assert sum(milestones().values()) == 2
