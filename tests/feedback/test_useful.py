"""Had je hier iets aan?: numbers per page and day, comments kept encrypted and never shown."""

import pytest
from django.contrib.auth.models import Permission
from django.db import connection
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from campagnes.factories import CampaignLandingPageFactory
from doorvertellen.factories import StandardPageFactory
from doorvertellen.models import AuditEntry
from feedback.models import UsefulComment, UsefulCount
from tests.helpers import elements, signed_render_time, text
from verhalen.factories import DocumentaryPageFactory, StoryPageFactory

pytestmark = pytest.mark.django_db

BROWSER = "Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 Chrome/130.0 Safari/537.36"
COMMENT = "Mooi verhaal, maar ik mis het telefoonnummer van Jan de Vries."


@pytest.fixture
def browser_client():
    """A visitor with an ordinary browser (bots are recognised by their user agent)."""
    return Client(HTTP_USER_AGENT=BROWSER)


def useful_url(page):
    return reverse("feedback:useful", args=[page.pk])


def answer(client, page, value="ja", **overrides):
    data = {"answer": value, "comment": "", "rendered_at": signed_render_time(), "website": ""}
    data.update(overrides)
    return client.post(useful_url(page), {k: v for k, v in data.items() if v is not None})


def counts(page):
    return {(row.day, row.useful): row.count for row in UsefulCount.objects.filter(page_id=page.pk)}


def raw_comments():
    table = connection.ops.quote_name(UsefulComment._meta.db_table)
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT comment FROM {table}")  # noqa: S608
        return [row[0] for row in cursor.fetchall()]


def test_story_page_shows_the_question_without_any_cookie(browser_client, story):
    response = browser_client.get(story.url)
    assert response.status_code == 200
    assert response.cookies == {}
    assert "Set-Cookie" not in response
    body = text(response)
    assert "Had je hier iets aan?" in body
    forms = [attrs for _tag, attrs in elements(response, "form") if attrs.get("action")]
    assert any(attrs["action"] == useful_url(story) for attrs in forms)
    assert "csrfmiddlewaretoken" not in body
    buttons = [attrs for _tag, attrs in elements(response, "button") if attrs.get("name")]
    assert {(b["name"], b["value"]) for b in buttons} >= {("answer", "ja"), ("answer", "nee")}


def test_yes_and_no_are_counted_per_page_and_day(browser_client, story, story_index):
    other = StoryPageFactory(parent=story_index, title="Een ander verhaal")
    today = timezone.localdate()

    response = answer(browser_client, story, "ja")
    assert response.status_code == 303
    assert response["Location"] == f"{story.url}?nuttig=bedankt#nuttig"
    answer(browser_client, story, "ja")
    answer(browser_client, story, "nee")
    answer(browser_client, other, "nee")

    assert counts(story) == {(today, True): 2, (today, False): 1}
    assert counts(other) == {(today, False): 1}
    assert UsefulComment.objects.count() == 0

    thanks = browser_client.get(response["Location"])
    assert "Dank je wel!" in text(thanks)
    assert "Had je hier iets aan?" not in text(thanks)
    assert thanks.cookies == {}


def test_documentaries_and_campaign_pages_ask_too(browser_client, home, story_index):
    film = DocumentaryPageFactory(parent=story_index)
    landing = CampaignLandingPageFactory(parent=home, slug="zorgen-over-geld")
    for page in (film, landing):
        shown = browser_client.get(page.url)
        assert "Had je hier iets aan?" in text(shown)
        assert shown.cookies == {}
        assert answer(browser_client, page, "nee").status_code == 303
        assert counts(page) == {(timezone.localdate(), False): 1}


def test_comment_is_stored_encrypted_and_never_shown(browser_client, story, story_index):
    response = answer(browser_client, story, "nee", comment=COMMENT)
    assert response.status_code == 303
    stored = UsefulComment.objects.get()
    assert stored.comment == COMMENT
    assert stored.useful is False
    assert stored.page_id == story.pk
    assert all("Jan de Vries" not in raw for raw in raw_comments())

    for url in (story.url, f"{story.url}?nuttig=bedankt", story_index.url, "/", "/sitemap.xml"):
        assert "Jan de Vries" not in text(browser_client.get(url))
    assert "Jan de Vries" not in text(browser_client.get("/zoeken/", {"q": "telefoonnummer"}))


def test_too_long_comment_goes_back_kindly(browser_client, story):
    response = answer(browser_client, story, "ja", comment="x" * 501)
    assert response.status_code == 303
    assert response["Location"] == f"{story.url}?nuttig=fout#nuttig"
    assert counts(story) == {}
    back = browser_client.get(response["Location"])
    assert "Je antwoord kwam niet goed aan" in text(back)
    assert "Had je hier iets aan?" in text(back)


@pytest.mark.parametrize(
    "overrides",
    [
        {"answer": "misschien"},
        {"answer": None},
        {"rendered_at": signed_render_time(seconds_ago=2 * 24 * 60 * 60)},
    ],
)
def test_bad_input_goes_back_with_a_kind_message(browser_client, story, overrides):
    response = answer(browser_client, story, **overrides)
    assert response.status_code == 303
    assert response["Location"].endswith("?nuttig=fout#nuttig")
    assert counts(story) == {}


@pytest.mark.parametrize(
    ("agent", "overrides"),
    [
        ("", {}),
        ("Googlebot/2.1 (+http://www.google.com/bot.html)", {}),
        (BROWSER, {"website": "http://spam.example"}),
        (BROWSER, {"rendered_at": "rommel"}),
        (BROWSER, {"rendered_at": None}),
    ],
)
def test_bots_and_automated_posts_are_not_counted(story, agent, overrides):
    client = Client(HTTP_USER_AGENT=agent)
    response = answer(client, story, "ja", comment=COMMENT, **overrides)
    assert response.status_code == 303
    assert response["Location"].endswith("?nuttig=bedankt#nuttig")
    assert counts(story) == {}
    assert UsefulComment.objects.count() == 0


def test_too_fast_is_not_counted(browser_client, story, settings):
    settings.PUBLIC_FORM_MIN_SECONDS = 5
    answer(browser_client, story, "ja", rendered_at=signed_render_time(1))
    assert counts(story) == {}


def test_rate_limit_per_address(browser_client, story, settings):
    settings.PUBLIC_FORM_RATE_LIMIT = 2
    for _attempt in range(2):
        answer(browser_client, story, "ja")
    response = answer(browser_client, story, "ja")
    assert response["Location"].endswith("?nuttig=fout#nuttig")
    assert counts(story) == {(timezone.localdate(), True): 2}


def test_unknown_unpublished_and_other_pages_are_refused_kindly(browser_client, home, story):
    other = StandardPageFactory(parent=home, title="Over ons", slug="over-ons")
    story.unpublish()
    for page_id in (other.pk, story.pk, 999999):
        response = browser_client.post(
            reverse("feedback:useful", args=[page_id]),
            {"answer": "ja", "rendered_at": signed_render_time()},
        )
        assert response.status_code == 404
        assert "Deze pagina bestaat niet" in text(response)
    assert UsefulCount.objects.count() == 0
    assert browser_client.get(useful_url(other)).status_code == 405


# --- The report -----------------------------------------------------------------------------

REPORT = "/admin/rapporten/nuttig/"


@pytest.fixture
def answered(browser_client, story, story_index):
    other = StoryPageFactory(parent=story_index, title="Een ander verhaal")
    for value in ("ja", "ja", "ja", "nee"):
        answer(browser_client, story, value)
    answer(browser_client, other, "nee", comment=COMMENT)
    return story, other


def report_rows(response):
    import re

    table = re.search(r'<table class="listing useful-report">(.*?)</table>', text(response), re.S)
    assert table, "no report table"
    cells = re.findall(r"<td>(.*?)</td>", table.group(1), re.S)
    return [cell.strip() for cell in cells]


def test_report_shows_aggregates_to_editors_without_comments(client, editor, answered):
    story, other = answered
    client.force_login(editor)
    response = client.get(REPORT)
    assert response.status_code == 200
    rows = report_rows(response)
    assert rows[:4] == [story.title, "3", "1", "75%"]
    assert rows[4:8] == [other.title, "0", "1", "0%"]
    assert "Jan de Vries" not in text(response)
    assert "Opmerkingen" not in text(response)
    assert not AuditEntry.objects.filter(object_type="feedback.UsefulComment").exists()


def test_report_period_can_be_chosen(client, editor, answered):
    client.force_login(editor)
    response = client.get(REPORT, {"van": "2001-01-01", "tot": "2001-01-31"})
    assert response.status_code == 200
    assert "In deze periode heeft nog niemand geantwoord." in text(response)


def test_coordinator_reads_comments_and_is_audited(client, feedback_coordinator, answered):
    # The coordinator role may or may not see the numbers too; comments need only their own
    # permission, and the report page needs the numbers' one.
    feedback_coordinator.user_permissions.add(
        Permission.objects.get(content_type__app_label="feedback", codename="view_usefulcount")
    )
    client.force_login(feedback_coordinator)
    response = client.get(REPORT)
    assert response.status_code == 200
    assert "Jan de Vries" in text(response)
    entry = AuditEntry.objects.get(object_type="feedback.UsefulComment")
    assert entry.action == AuditEntry.Action.LIST
    assert entry.actor == feedback_coordinator


def test_report_is_closed_to_others(client, intake_member, answered):
    client.force_login(intake_member)
    response = client.get(REPORT)
    assert response.status_code in (302, 403)
    assert "Jan de Vries" not in text(response)
