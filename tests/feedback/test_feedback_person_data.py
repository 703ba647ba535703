"""A suggestion's contact details: found, exported and erased per person; emptied in time."""

import io
from datetime import timedelta

import pytest
import time_machine
from django.core.management import call_command
from django.utils import timezone

from doorvertellen import personal_data, retention
from feedback.factories import PublicItemFactory, SuggestionFactory
from feedback.models import Suggestion

pytestmark = pytest.mark.django_db

EMAIL = "proef.persoon@voorbeeld.example"
PHONE = "06 12312312"


@pytest.fixture
def suggestion():
    return SuggestionFactory(
        what_happened="Ik durfde de post niet open te maken",
        contact_name="Proef Persoon",
        contact_email=EMAIL,
        contact_phone=PHONE,
        wants_panel=True,
        public_item=PublicItemFactory(title="Post openmaken"),
    )


def test_found_by_email_or_phone_in_any_notation(suggestion):
    SuggestionFactory(contact_email="iemand.anders@voorbeeld.example")
    SuggestionFactory()  # anonymous
    assert personal_data.find(email=EMAIL.upper())["feedback.Suggestion"] == [suggestion]
    assert personal_data.find(phone="+31 6 12312312")["feedback.Suggestion"] == [suggestion]
    assert personal_data.find(email="niemand@voorbeeld.example")["feedback.Suggestion"] == []


def test_export_holds_everything_stored_about_the_person(suggestion):
    (row,) = personal_data.export(email=EMAIL)["feedback.Suggestion"]
    assert row["wat_er_gebeurde"] == "Ik durfde de post niet open te maken"
    assert row["naam"] == "Proef Persoon"
    assert row["e_mailadres"] == EMAIL
    assert row["telefoonnummer"] == PHONE
    assert row["wil_meedenken_in_panel"] is True
    assert row["samengevoegd_in"] == "Post openmaken"


def test_erase_deletes_the_suggestion_and_keeps_the_public_item(suggestion):
    other = SuggestionFactory(contact_email="iemand.anders@voorbeeld.example")
    counts = personal_data.erase(phone=PHONE)
    assert counts["feedback.Suggestion"] == 1
    assert list(Suggestion.objects.all()) == [other]
    assert suggestion.public_item.__class__.objects.filter(title="Post openmaken").exists()


def test_contact_details_are_emptied_exactly_at_the_end_of_the_period(settings):
    settings.FEEDBACK_CONTACT_RETENTION_DAYS = 365
    start = timezone.now().replace(microsecond=0)
    with time_machine.travel(start, tick=False):
        suggestion = SuggestionFactory(
            contact_name="Proef Persoon",
            contact_email=EMAIL,
            contact_phone=PHONE,
            wants_panel=True,
            wants_ambassador=True,
        )
        anonymous = SuggestionFactory()

    def purge():
        call_command("purge_expired", stdout=io.StringIO())
        suggestion.refresh_from_db()

    with time_machine.travel(start + timedelta(days=365) - timedelta(seconds=1), tick=False):
        purge()
        assert suggestion.contact_email == EMAIL

    with time_machine.travel(start + timedelta(days=365), tick=False):
        (kind,) = [k for k in retention.KINDS if k.name == "suggestion_contacts"]
        assert list(kind.expired(timezone.now())) == [suggestion]
        purge()
        assert (suggestion.contact_name, suggestion.contact_email, suggestion.contact_phone) == (
            "",
            "",
            "",
        )
        assert suggestion.wants_panel and suggestion.wants_ambassador
        assert suggestion.what_happened, "the suggestion itself stays"
        assert Suggestion.objects.filter(pk=anonymous.pk).exists()
        assert not kind.expired(timezone.now()).exists(), "a second run finds nothing"
        assert personal_data.find(email=EMAIL)["feedback.Suggestion"] == []
