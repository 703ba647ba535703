"""Share links on a story: only with social-media consent, counted per story and channel
through our own address, with nothing of a social network on our pages and nothing kept
about the person who shares or arrives."""

import re
import threading
from pathlib import Path
from urllib.parse import parse_qs, urlsplit

import pytest
from django.conf import settings
from django.db import connection
from django.db.models import QuerySet, Sum
from django.urls import reverse
from django.utils import timezone

from tests.helpers import elements, text
from verhalen.factories import ConsentRecordFactory, DocumentaryPageFactory, StoryPageFactory
from verhalen.models import ShareChannel, ShareCount
from verhalen.sharing import REDIRECT_CHANNELS, add, for_page

pytestmark = pytest.mark.django_db

BROWSER = {"HTTP_USER_AGENT": "Mozilla/5.0 (Linux; Android 14) Mobile Safari/537.36"}
BOTS = [
    "Googlebot/2.1 (+http://www.google.com/bot.html)",
    "facebookexternalhit/1.1",
    "WhatsApp/2.23.20.0 A",
    "LinkedInBot/1.0",
    "Mozilla/5.0 (compatible; SemrushBot-crawler)",
    "Slackbot-LinkExpanding 1.0",
    "",
]
NETWORKS = {
    "whatsapp": "https://wa.me/",
    "facebook": "https://www.facebook.com/sharer/sharer.php",
    "linkedin": "https://www.linkedin.com/sharing/share-offsite/",
    "x": "https://twitter.com/intent/tweet",
}


def share_url(page, channel):
    return reverse("verhalen:share", args=[page.pk, channel])


def counted(page, kind=ShareCount.Kind.SHARED, channel=None):
    rows = ShareCount.objects.filter(page=page, kind=kind)
    if channel:
        rows = rows.filter(channel=channel)
    return rows.aggregate(total=Sum("count"))["total"] or 0


def share_links(response):
    return [a for _t, a in elements(response, "a") if "share__link" in a.get("class", "")]


def link_names(response):
    """Each share link's accessible name: its text, hidden words included."""
    body = text(response)
    names = []
    for match in re.finditer(r'<a class="share__link"[^>]*>(.*?)</a>', body, re.S):
        names.append(re.sub(r"<[^>]+>", "", match.group(1)).strip())
    return names


@pytest.fixture
def private_story(story_index):
    """A story whose teller allows the website only: no sharing."""
    return StoryPageFactory(
        parent=story_index, title="Alleen op de site", consent__scope_social=False
    )


# --- The links on the page -------------------------------------------------------------------


def test_a_story_with_social_consent_has_share_links(client, story):
    response = client.get(story.url)
    links = share_links(response)
    assert [a["data-channel"] for a in links] == [c.value for c in REDIRECT_CHANNELS]
    for attrs in links:
        assert attrs["href"] == share_url(story, attrs["data-channel"])
        assert attrs["rel"] == "nofollow"
    assert link_names(response) == [
        "Deel via WhatsApp",
        "Deel via Facebook",
        "Deel via LinkedIn",
        "Deel via X",
        "Deel via E-mail",
    ]


def test_the_copy_field_holds_the_story_address_with_its_channel(client, story):
    response = client.get(story.url)
    fields = [a for _t, a in elements(response, "input") if a.get("id") == f"share-url-{story.pk}"]
    assert len(fields) == 1
    assert "readonly" in fields[0]
    assert fields[0]["value"] == f"{story.get_full_url()}?deel=link"
    labels = [a for _t, a in elements(response, "label") if a.get("for") == fields[0]["id"]]
    assert labels, "the copy field has a label"
    buttons = [a for _t, a in elements(response, "button") if "data-share-copy-button" in a]
    # Without JavaScript there is no button that does nothing: share.js shows it.
    assert len(buttons) == 1
    assert "hidden" in buttons[0]


def test_no_share_links_without_social_consent(client, private_story):
    response = client.get(private_story.url)
    body = text(response)
    assert response.status_code == 200
    assert share_links(response) == []
    assert "Deel dit verhaal" not in body
    assert "deel=link" not in body
    assert "share.js" not in body


def test_no_share_links_when_one_of_two_tellers_does_not_allow_social(client, story):
    ConsentRecordFactory(display_name="Peter", scope_social=False, pages=[story])
    assert share_links(client.get(story.url)) == []


@pytest.mark.parametrize(
    "changes",
    [
        {},
        {"scope_social": False},
        {"withdrawn_at": timezone.now()},
        {"expires_on": timezone.localdate()},
        {"given_at": None},
    ],
)
def test_the_page_asks_the_same_question_as_the_model(rf, story, changes):
    story.consents().update(**changes)
    request = rf.get(story.url)
    assert for_page(story, request).social == story.consent_allows_social()


def test_share_script_carries_the_nonce_of_the_policy(client, story):
    response = client.get(story.url)
    scripts = [a for _t, a in elements(response, "script") if "src" in a]
    share = [a for a in scripts if a["src"].endswith("share.js")]
    assert len(share) == 1
    assert f"'nonce-{share[0]['nonce']}'" in response["Content-Security-Policy"]


def test_the_copy_button_pings_nothing():
    script = (Path(settings.BASE_DIR) / "static" / "js" / "share.js").read_text()
    for call in ("fetch(", "XMLHttpRequest", "sendBeacon", "new Image", "WebSocket"):
        assert call not in script


def test_a_story_page_sets_no_cookie_and_loads_nothing_from_elsewhere(client, story):
    response = client.get(story.url, HTTP_HOST="localhost", **BROWSER)
    assert response.status_code == 200
    assert not response.cookies
    assert "Set-Cookie" not in response
    for tag, attrs in elements(response):
        for attribute in ("src", "srcset", "data-src", "action"):
            value = attrs.get(attribute)
            if value:
                assert value.startswith("/") and not value.startswith("//"), (tag, value)
        if tag == "link":
            href = attrs["href"]
            assert href.startswith("/") or href.startswith("http://localhost/"), href
    # Links to networks are our own counting addresses, never theirs.
    for host in ("facebook.com", "twitter.com", "linkedin.com", "wa.me", "x.com"):
        assert host not in text(response)


# --- The counting redirect -------------------------------------------------------------------


@pytest.mark.parametrize("channel", sorted(NETWORKS))
def test_a_click_is_counted_once_and_sent_on_to_the_network(client, story, channel):
    response = client.get(share_url(story, channel), **BROWSER)
    assert response.status_code == 302
    location = response["Location"]
    assert location.startswith(NETWORKS[channel])
    query = parse_qs(urlsplit(location).query)
    shared = f"{story.get_full_url()}?deel={channel}"
    if channel == "whatsapp":
        assert shared in query["text"][0]
        assert "Ik had veel eerder hulp moeten vragen." in query["text"][0]
    elif channel == "facebook":
        assert query["u"] == [shared]
    else:
        assert query["url"] == [shared]
    assert counted(story, channel=channel) == 1
    assert ShareCount.objects.get(page=story, channel=channel).day == timezone.localdate()


def test_email_opens_a_mail_with_the_story(client, story):
    response = client.get(share_url(story, "email"), **BROWSER)
    assert response.status_code == 302
    location = response["Location"]
    assert location.startswith("mailto:?")
    query = parse_qs(urlsplit(location).query)
    assert query["subject"] == [story.title]
    assert f"{story.get_full_url()}?deel=email" in query["body"][0]
    assert "+" not in location  # spaces are %20 in a mailto address
    assert counted(story, channel="email") == 1


def test_the_redirect_is_never_stored_and_sends_no_referrer(client, story):
    response = client.get(share_url(story, "whatsapp"), **BROWSER)
    assert response["Cache-Control"] == "no-store"
    assert response["Referrer-Policy"] == "no-referrer"
    assert not response.cookies


def test_every_click_counts_on_the_same_day_row(client, story):
    for _ in range(3):
        client.get(share_url(story, "facebook"), **BROWSER)
    client.get(share_url(story, "x"), **BROWSER)
    row = ShareCount.objects.get(page=story, channel="facebook", kind=ShareCount.Kind.SHARED)
    assert row.count == 3
    assert counted(story) == 4
    assert ShareCount.objects.count() == 2


@pytest.mark.parametrize("agent", BOTS)
def test_bots_are_sent_on_but_not_counted(client, story, agent):
    response = client.get(share_url(story, "whatsapp"), HTTP_USER_AGENT=agent)
    assert response.status_code == 302
    assert ShareCount.objects.count() == 0


def test_a_head_request_is_not_counted(client, story):
    assert client.head(share_url(story, "whatsapp"), **BROWSER).status_code == 302
    assert ShareCount.objects.count() == 0


def test_a_post_is_refused(client, story):
    assert client.post(share_url(story, "whatsapp"), **BROWSER).status_code == 405
    assert ShareCount.objects.count() == 0


@pytest.mark.parametrize("channel", ["myspace", "link", "WhatsApp", "x" * 40])
def test_an_unknown_channel_is_not_found(client, story, channel):
    assert client.get(share_url(story, channel), **BROWSER).status_code == 404
    assert ShareCount.objects.count() == 0


def test_an_unpublished_story_cannot_be_shared(client, story):
    story.unpublish()
    assert client.get(share_url(story, "whatsapp"), **BROWSER).status_code == 404
    assert ShareCount.objects.count() == 0


def test_a_story_without_social_consent_cannot_be_shared(client, private_story):
    assert client.get(share_url(private_story, "whatsapp"), **BROWSER).status_code == 404
    assert ShareCount.objects.count() == 0


def test_a_withdrawn_consent_stops_sharing(client, story):
    story.consents().update(withdrawn_at=timezone.now())
    assert client.get(share_url(story, "whatsapp"), **BROWSER).status_code == 404


def test_a_documentary_can_be_shared_and_arrivals_counted(client, story_index):
    film = DocumentaryPageFactory(parent=story_index)
    response = client.get(share_url(film, "linkedin"), **BROWSER)
    assert response.status_code == 302
    assert (
        f"{film.get_full_url()}?deel=linkedin"
        in parse_qs(urlsplit(response["Location"]).query)["url"]
    )
    assert client.get(film.url, {"deel": "linkedin"}, **BROWSER).status_code == 200
    assert counted(film, channel="linkedin") == 1
    assert counted(film, ShareCount.Kind.ARRIVED, "linkedin") == 1


def test_only_stories_can_be_shared(client, intake_page):
    assert client.get(share_url(intake_page, "whatsapp"), **BROWSER).status_code == 404


def test_many_clicks_in_a_row_are_all_counted(client, story):
    for _ in range(40):
        client.get(share_url(story, "whatsapp"), **BROWSER)
    assert counted(story, channel="whatsapp") == 40
    assert ShareCount.objects.count() == 1


def test_a_lost_race_to_create_the_day_row_still_counts(story, monkeypatch):
    """Another request created today's row between our look-up and our insert."""
    ShareCount.objects.create(
        page=story, channel="x", kind="shared", day=timezone.localdate(), count=1
    )
    real_get = QuerySet.get
    calls = []

    def first_get_misses(queryset, *args, **kwargs):
        calls.append(1)
        if queryset.model is ShareCount and len(calls) == 1:
            raise ShareCount.DoesNotExist
        return real_get(queryset, *args, **kwargs)

    monkeypatch.setattr(QuerySet, "get", first_get_misses)
    add(story.pk, "x", ShareCount.Kind.SHARED)
    monkeypatch.undo()
    assert ShareCount.objects.get(page=story, channel="x").count == 2


@pytest.mark.usefixtures("migrated_transactional_db")
@pytest.mark.skipif(
    connection.vendor == "sqlite",
    reason="the in-memory SQLite test database locks whole tables; run with DATABASE_URL",
)
def test_clicks_at_the_same_moment_are_all_counted(story):
    """Threads with their own database connections share at once; no click gets lost."""
    from django.test import Client

    threads, per_thread, errors = 6, 10, []
    start = threading.Barrier(threads)

    def click():
        try:
            own = Client()
            start.wait()
            for _ in range(per_thread):
                response = own.get(share_url(story, "whatsapp"), **BROWSER)
                assert response.status_code == 302
        except Exception as error:  # reported below, from the main thread
            errors.append(error)
        finally:
            connection.close()

    workers = [threading.Thread(target=click) for _ in range(threads)]
    for worker in workers:
        worker.start()
    for worker in workers:
        worker.join(timeout=120)
    assert not errors
    assert counted(story, channel="whatsapp") == threads * per_thread
    assert ShareCount.objects.filter(page=story).count() == 1


# --- Arrivals through a shared link --------------------------------------------------------------


def test_an_arrival_through_a_shared_link_is_counted(client, story):
    response = client.get(story.url, {"deel": "whatsapp"}, **BROWSER)
    assert response.status_code == 200
    assert counted(story, ShareCount.Kind.ARRIVED, "whatsapp") == 1
    assert counted(story, ShareCount.Kind.SHARED) == 0
    assert not response.cookies


def test_an_arrival_through_a_copied_link_is_counted(client, story):
    client.get(story.url, {"deel": "link"}, **BROWSER)
    assert counted(story, ShareCount.Kind.ARRIVED, ShareChannel.LINK) == 1


@pytest.mark.parametrize("agent", BOTS)
def test_a_link_preview_is_no_arrival(client, story, agent):
    client.get(story.url, {"deel": "whatsapp"}, HTTP_USER_AGENT=agent)
    assert ShareCount.objects.count() == 0


@pytest.mark.parametrize("value", ["", "myspace", "<script>", "WHATSAPP"])
def test_an_unknown_share_parameter_is_ignored(client, story, value):
    assert client.get(story.url, {"deel": value}, **BROWSER).status_code == 200
    assert ShareCount.objects.count() == 0


def test_a_plain_visit_is_no_arrival(client, story):
    client.get(story.url, **BROWSER)
    assert ShareCount.objects.count() == 0


def test_nothing_about_the_visitor_is_stored(client, story):
    client.get(story.url, {"deel": "facebook"}, REMOTE_ADDR="203.0.113.9", **BROWSER)
    row = ShareCount.objects.values().get()
    assert set(row) == {"id", "page_id", "channel", "kind", "day", "count"}
    assert "203.0.113.9" not in str(row)


# --- The report for editors ----------------------------------------------------------------------


def test_editors_see_shares_per_story_and_channel(client, editor, story, private_story):
    day = timezone.localdate()
    ShareCount.objects.create(page=story, channel="whatsapp", kind="shared", day=day, count=5)
    ShareCount.objects.create(page=story, channel="whatsapp", kind="arrived", day=day, count=2)
    ShareCount.objects.create(page=story, channel="x", kind="shared", day=day, count=1)
    client.force_login(editor)
    response = client.get(reverse("verhalen_share_report"))
    assert response.status_code == 200
    body = text(response)
    assert "Gedeelde verhalen" in body
    listing = body[body.rindex("<tbody") : body.rindex("</tbody>")]
    rows = [
        [cell.strip() for cell in re.findall(r"<td[^>]*>(.*?)</td>", row, re.S)]
        for row in re.findall(r"<tr>(.*?)</tr>", listing, re.S)
    ]
    assert rows == [[story.title, "WhatsApp", "5", "2"], [story.title, "X", "1", "0"]]


def test_the_report_can_be_downloaded(client, editor, story):
    ShareCount.objects.create(
        page=story, channel="email", kind="shared", day=timezone.localdate(), count=3
    )
    client.force_login(editor)
    response = client.get(reverse("verhalen_share_report"), {"export": "csv"})
    assert response.status_code == 200
    content = b"".join(response.streaming_content).decode()
    assert "E-mail" in content
    assert story.title in content


def test_the_report_is_in_the_reports_menu_for_editors(client, editor):
    client.force_login(editor)
    response = client.get(reverse("wagtailadmin_home"))
    assert reverse("verhalen_share_report") in text(response)


def test_staff_without_the_permission_do_not_see_the_report(client, intake_member):
    client.force_login(intake_member)
    response = client.get(reverse("verhalen_share_report"))
    assert response.status_code in (302, 403)
    assert reverse("verhalen_share_report") not in text(client.get(reverse("wagtailadmin_home")))
