"""The intake team records milestones on a sign-up, and sees which call-backs are late."""

from datetime import date, datetime, timedelta

import pytest
import time_machine
from django.urls import reverse
from django.utils import timezone

from doorvertellen.factories import IntakeRecordFactory
from doorvertellen.models import IntakeRecord
from doorvertellen.models.intake import working_days_after
from tests.helpers import text, valid_data

pytestmark = pytest.mark.django_db

FORM = {
    "name": "Sanne",
    "phone": "06 12345678",
    "email": "",
    "best_time": "any",
    "message": "",
    "postcode": "3311 AB",
    "first_meeting_on": "",
    "in_route_after_3_months": "",
    "outcome": "",
    "outcome_on": "",
    "dropout_reason": "",
}


def test_working_days_skip_the_weekend():
    friday = timezone.make_aware(datetime(2026, 11, 27, 16, 0))
    assert working_days_after(friday, 1).date() == date(2026, 11, 30)
    assert working_days_after(friday, 2).date() == date(2026, 12, 1)


def test_a_sign_up_gets_its_call_back_deadline(client, intake_page):
    with time_machine.travel(timezone.make_aware(datetime(2026, 11, 27, 10, 0)), tick=False):
        client.post(intake_page.url, valid_data())
    record = IntakeRecord.objects.get()
    assert timezone.localtime(record.respond_by).date() == date(2026, 12, 1)  # 2 working days


def test_overdue_sign_ups_are_shown_and_filtered(client, intake_member):
    late = IntakeRecordFactory(respond_by=timezone.now() - timedelta(hours=1))
    on_time = IntakeRecordFactory(respond_by=timezone.now() + timedelta(days=1))
    client.force_login(intake_member)
    listing = client.get(reverse("intake_inbox:index"))
    assert "Te laat: nog niet gebeld" in text(listing)
    filtered = client.get(reverse("intake_inbox:index") + "?overdue=true")
    body = text(filtered)
    assert late.reference in body
    assert on_time.reference not in body


def test_intake_team_records_the_route_milestones(client, intake_member):
    record = IntakeRecordFactory()
    client.force_login(intake_member)
    url = reverse("intake_inbox:edit", args=[record.pk])
    response = client.post(
        url,
        {
            **FORM,
            "first_meeting_on": timezone.localdate().isoformat(),
            "in_route_after_3_months": "true",
            "outcome": "arrangement",
            "outcome_on": timezone.localdate().isoformat(),
        },
    )
    assert response.status_code == 302
    record.refresh_from_db()
    assert record.first_meeting_on == timezone.localdate()
    assert record.in_route_after_3_months is True
    assert record.outcome == "arrangement"


def test_a_dropout_needs_a_reason_and_a_date_kindly(client, intake_member):
    record = IntakeRecordFactory()
    client.force_login(intake_member)
    url = reverse("intake_inbox:edit", args=[record.pk])
    response = client.post(url, {**FORM, "outcome": "dropped_out"})
    assert response.status_code == 200
    body = text(response)
    assert "Kies waarom iemand afhaakte." in body
    assert "Vul in wanneer dit gebeurde." in body
    record.refresh_from_db()
    assert record.outcome == ""
