"""Someone who left an e-mail address hears when their suggestion's status changes: once."""

import pytest
from django.core import mail
from django.db import transaction

from feedback.factories import PublicItemFactory, SuggestionFactory, YouSaidWeDidPageFactory
from feedback.models import Status, Suggestion

pytestmark = pytest.mark.django_db

HAPPENED = "Mijn buurman zag mijn aanmaning liggen"
BETTER = "Stuur brieven in een neutrale envelop"
PHONE = "06 44455566"


@pytest.fixture
def on_commit(django_capture_on_commit_callbacks):
    """Run the callbacks registered with transaction.on_commit, as a real commit would."""

    def run(action):
        with django_capture_on_commit_callbacks(execute=True):
            return action()

    return run


def make_suggestion(on_commit, **fields):
    defaults = {
        "what_happened": HAPPENED,
        "what_better": BETTER,
        "contact_name": "Yara",
        "contact_email": "yara.proef@voorbeeld.example",
        "contact_phone": PHONE,
    }
    return on_commit(lambda: SuggestionFactory(**{**defaults, **fields}))


def set_status(on_commit, obj, status):
    obj.status = status
    on_commit(obj.save)


def test_a_new_suggestion_sends_nothing(on_commit):
    make_suggestion(on_commit)
    assert mail.outbox == []


def test_one_mail_per_status_change_and_none_on_unchanged_saves(on_commit):
    suggestion = make_suggestion(on_commit)
    set_status(on_commit, suggestion, Status.LOOKING)
    assert len(mail.outbox) == 1
    message = mail.outbox[0]
    assert message.to == ["yara.proef@voorbeeld.example"]
    assert message.body.startswith("Hallo Yara,")
    assert "We kijken ernaar" in message.body

    on_commit(suggestion.save)
    suggestion.refresh_from_db()
    on_commit(suggestion.save)
    assert len(mail.outbox) == 1
    assert Suggestion.objects.get(pk=suggestion.pk).notified_status == Status.LOOKING

    set_status(on_commit, suggestion, Status.PLANNED)
    assert len(mail.outbox) == 2
    assert "Gepland" in mail.outbox[1].body


def test_no_mail_without_an_address(on_commit):
    suggestion = make_suggestion(on_commit, contact_email="")
    set_status(on_commit, suggestion, Status.CHANGED)
    assert mail.outbox == []


def test_greets_with_hallo_without_a_name(on_commit):
    suggestion = make_suggestion(on_commit, contact_name="")
    set_status(on_commit, suggestion, Status.LOOKING)
    assert mail.outbox[0].body.startswith("Hallo,")


def test_nothing_is_sent_when_the_change_is_rolled_back(on_commit):
    suggestion = make_suggestion(on_commit)
    suggestion.status = Status.LOOKING

    def save_then_fail():
        with pytest.raises(RuntimeError), transaction.atomic():
            suggestion.save()
            raise RuntimeError

    on_commit(save_then_fail)
    assert mail.outbox == []


def test_merged_item_status_change_notifies_each_linked_suggestion_once(on_commit, home):
    answers = YouSaidWeDidPageFactory(parent=home)
    item = on_commit(lambda: PublicItemFactory(status=Status.LOOKING, published=True))
    first = make_suggestion(on_commit, public_item=item, contact_email="een@voorbeeld.example")
    second = make_suggestion(on_commit, public_item=item, contact_email="twee@voorbeeld.example")
    make_suggestion(on_commit, public_item=item, contact_email="")
    # Merging changed their status from "new" to the item's: both heard that once.
    assert sorted(m.to[0] for m in mail.outbox) == [
        "een@voorbeeld.example",
        "twee@voorbeeld.example",
    ]
    mail.outbox.clear()

    set_status(on_commit, item, Status.CHANGED)
    assert sorted(m.to[0] for m in mail.outbox) == [
        "een@voorbeeld.example",
        "twee@voorbeeld.example",
    ]
    for message in mail.outbox:
        assert "Veranderd" in message.body
        assert answers.get_full_url() in message.body

    mail.outbox.clear()
    on_commit(item.save)
    for suggestion in (first, second):
        suggestion.refresh_from_db()
        on_commit(suggestion.save)
    assert mail.outbox == []


def test_no_link_while_the_item_is_not_published(on_commit, home):
    answers = YouSaidWeDidPageFactory(parent=home)
    item = PublicItemFactory(status=Status.LOOKING, published=False)
    suggestion = make_suggestion(on_commit)
    suggestion.public_item = item
    on_commit(suggestion.save)
    assert len(mail.outbox) == 1
    assert answers.get_full_url() not in mail.outbox[0].body


def test_the_mail_holds_no_suggestion_text_or_other_personal_data(on_commit, home):
    YouSaidWeDidPageFactory(parent=home)
    item = PublicItemFactory(status=Status.PLANNED, published=True)
    suggestion = make_suggestion(on_commit, wants_panel=True)
    suggestion.public_item = item
    on_commit(suggestion.save)
    (message,) = mail.outbox
    text = message.subject + message.body
    for value in (HAPPENED, BETTER, PHONE, "yara.proef@voorbeeld.example", item.summary):
        assert value not in text
    assert "Gepland" in text


def test_not_possible_points_to_the_reason_only_once_it_is_public(on_commit, home):
    answers = YouSaidWeDidPageFactory(parent=home)
    item = PublicItemFactory(status=Status.NOT_POSSIBLE, answer="Geen geld.", published=False)
    suggestion = make_suggestion(on_commit)
    suggestion.public_item = item
    on_commit(suggestion.save)
    (hidden,) = mail.outbox
    assert "Op de website leggen we uit waarom." not in hidden.body
    assert "Wil je weten waarom niet? Beantwoord deze e-mail" in hidden.body

    mail.outbox.clear()
    other = make_suggestion(on_commit, contact_email="tweede.proef@voorbeeld.example")
    item.published = True
    on_commit(item.save)
    other.public_item = item
    on_commit(other.save)
    (public,) = mail.outbox
    assert "Op de website leggen we uit waarom." in public.body
    assert answers.get_full_url() in public.body
