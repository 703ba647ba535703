"""Property-based tests of every public form (the intake's own is in test_intake_form.py):
whatever text arrives, the answer is never a server error, a refusal stores nothing, and an
accepted value comes back exactly from the stored, decrypted record."""

import itertools
import uuid

import pytest
from django.test import Client
from django.urls import reverse
from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st

from feedback.factories import StoryOfferPageFactory, SuggestionPageFactory
from feedback.models import Phase, Suggestion, UsefulComment, UsefulCount
from tests.helpers import signed_render_time
from verhalen.factories import ConsentRecordFactory, StoryPageFactory
from verhalen.models import ConsentRecord, StoryApproval, StoryPage

pytestmark = pytest.mark.django_db

ADDRESSES = itertools.count()
BROWSER = "Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 Chrome/130.0 Safari/537.36"

# Any text a client can send (NUL and control characters included), without lone surrogates,
# which no UTF-8 body can carry.
free_text = st.text(alphabet=st.characters(blacklist_categories=("Cs",)), max_size=300)
long_text = st.text(alphabet=st.characters(blacklist_categories=("Cs",)), max_size=2100)
phones = st.one_of(st.just(""), st.from_regex(r"\+?[0-9][0-9 \-]{9,16}", fullmatch=True), free_text)
emails = st.one_of(st.just(""), st.emails(), free_text)

examples = settings(
    max_examples=15,
    database=None,  # no example store left in the checkout
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)


@pytest.fixture
def visitor():
    return Client(HTTP_USER_AGENT=BROWSER)


def _common():
    return {"rendered_at": signed_render_time(), "website": ""}


@pytest.fixture
def suggestion_page(home, service_settings):
    return SuggestionPageFactory(parent=home)


@examples
@given(
    what_happened=long_text,
    what_better=free_text,
    contact_name=free_text,
    contact_email=emails,
    contact_phone=phones,
    phase=st.one_of(st.sampled_from(Phase.values), free_text),
)
def test_suggestion_is_refused_or_stored_exactly(
    visitor,
    suggestion_page,
    what_happened,
    what_better,
    contact_name,
    contact_email,
    contact_phone,
    phase,
):
    token = uuid.uuid4()
    data = {
        "phase": phase,
        "what_happened": what_happened,
        "what_better": what_better,
        "contact_name": contact_name,
        "contact_email": contact_email,
        "contact_phone": contact_phone,
        "token": str(token),
        **_common(),
    }
    response = visitor.post(suggestion_page.url, data)

    assert response.status_code in (302, 400)
    suggestion = Suggestion.objects.filter(submission_token=token).first()
    if response.status_code == 400:
        assert suggestion is None
        return
    suggestion.refresh_from_db()
    assert suggestion.phase == phase
    assert suggestion.what_happened == what_happened.strip()
    assert suggestion.what_better == what_better.strip()
    assert suggestion.contact_name == contact_name.strip()
    assert suggestion.contact_email == contact_email.strip()
    assert suggestion.contact_phone == contact_phone.strip()


@pytest.fixture
def offer_page(home, service_settings, story_index):
    return StoryOfferPageFactory(parent=home)


@examples
@given(story=long_text, display_name=free_text, email=emails, phone=phones)
def test_story_offer_is_refused_or_stored_exactly(
    visitor, offer_page, story, display_name, email, phone
):
    token = uuid.uuid4()
    data = {
        "story": story,
        "display_name": display_name,
        "phone": phone,
        "email": email,
        "contact_ok": "on",
        "token": str(token),
        **_common(),
    }
    consents_before = ConsentRecord.objects.count()
    response = visitor.post(offer_page.url, data)

    assert response.status_code in (302, 400)
    draft = StoryPage.objects.filter(slug=f"aanbod-{token.hex}").first()
    if response.status_code == 400:
        assert draft is None
        assert ConsentRecord.objects.count() == consents_before
        return
    consent = ConsentRecord.objects.get(page_links__page=draft)
    assert consent.display_name == " ".join(display_name.split())
    assert consent.contact_email == email.strip()
    assert consent.contact_phone == phone.strip()
    assert draft.summary == story.strip()[:600]


@examples
@given(answer=st.one_of(st.sampled_from(["ja", "nee"]), free_text), comment=free_text)
def test_useful_answer_is_refused_or_stored_exactly(visitor, story, answer, comment):
    url = reverse("feedback:useful", args=[story.pk])
    counted_before = sum(UsefulCount.objects.values_list("count", flat=True))
    last_comment = UsefulComment.objects.order_by("-pk").first()
    response = visitor.post(url, {"answer": answer, "comment": comment, **_common()})

    assert response.status_code in (303, 400)
    counted = sum(UsefulCount.objects.values_list("count", flat=True))
    newest = UsefulComment.objects.order_by("-pk").first()
    accepted = response.status_code == 303 and response["Location"].endswith(
        "nuttig=bedankt#nuttig"
    )
    if not accepted:
        assert counted == counted_before
        assert newest == last_comment
        return
    assert counted == counted_before + 1
    if comment.strip():
        assert newest != last_comment
        newest.refresh_from_db()
        assert newest.comment == comment.strip()
        assert newest.useful is (answer == "ja")
    else:
        assert newest == last_comment


@pytest.fixture
def draft_with_consent(story_index, service_settings, editor):
    draft = StoryPageFactory(
        parent=story_index, title="Hoe Noor rust kreeg", live=False, consent=False, owner=editor
    )
    consent = ConsentRecordFactory(display_name="Noor", given_at=None, pages=[draft])
    return draft, consent


@examples
@given(answer=st.one_of(st.just("changes"), free_text), comment=long_text)
def test_change_request_is_refused_or_stored_exactly(visitor, draft_with_consent, answer, comment):
    draft, consent = draft_with_consent
    approval, token = StoryApproval.create_for(consent, draft, draft.save_revision())
    url = reverse("verhalen:approval", args=[token])
    response = visitor.post(url, {"answer": answer, "comment": comment, **_common()})

    assert response.status_code in (200, 400)
    approval.refresh_from_db()
    if response.status_code == 400:
        assert approval.status == StoryApproval.Status.PENDING
        assert approval.comment == ""
        return
    assert approval.status == StoryApproval.Status.CHANGES_REQUESTED
    assert approval.comment == comment.strip()


@examples
@given(rendered_at=st.one_of(st.none(), free_text), website=st.one_of(st.just(""), free_text))
@example(rendered_at=None, website="\x1f\u2005")  # only whitespace, to Python's str.strip
def test_withdrawal_never_fails_and_only_a_real_click_withdraws(
    visitor, service_settings, rendered_at, website
):
    consent = ConsentRecordFactory(display_name="Sandra")
    token = consent.new_withdrawal_token()
    consent.save()
    data = {"rendered_at": rendered_at or signed_render_time(), "website": website}
    # Each example from its own address: the links' rate limit (20) stays out of the way
    # however many examples Hypothesis tries while it narrows a failure down.
    address = f"192.0.2.{next(ADDRESSES) % 250 + 1}"
    response = visitor.post(reverse("verhalen:withdrawal", args=[token]), data, REMOTE_ADDR=address)

    assert response.status_code in (200, 400)
    consent.refresh_from_db()
    genuine = rendered_at is None and website == ""
    assert (consent.withdrawn_at is not None) is (response.status_code == 200)
    if genuine:
        assert response.status_code == 200
    # The form strips what arrives, as Django's fields do: only whitespace is an empty field.
    if website.strip():
        assert consent.withdrawn_at is None
