"""Walk every admin screen each role can reach and look for personal data it may not see.

A crawler rather than a list of URLs: a screen added later (a report, a chooser, an export)
is covered without anyone remembering to add it here. Screens no menu links to (every page's
history, revisions, compare, preview and draft view, each personal object's screens, the
choosers and the CSV/XLSX exports of reports and listings) are visited first, and the crawl
fails if it stops before reaching all of them.
"""

import io
import re
import zipfile
from collections import deque
from datetime import timedelta
from urllib.parse import urldefrag, urljoin, urlsplit

import pytest
from django.urls import NoReverseMatch, URLResolver, get_resolver, reverse
from django.utils import timezone

from doorvertellen.factories import IntakeRecordFactory
from doorvertellen.models import IntakeRecord
from feedback.factories import PublicItemFactory, SuggestionFactory
from feedback.models import Suggestion, UsefulComment
from verhalen.models import ConsentRecord, StoryApproval

pytestmark = pytest.mark.django_db

SENTINELS = {
    "name": "Zwaantje Sentinelnaam",
    "phone": "06 98765432",
    "email": "sentinel.persoon@voorbeeld.example",
    "message": "Sentinelbericht over mijn schulden",
    "postcode": "3312 ZX",
}
# Links, form targets and the addresses Wagtail's scripts open (choosers, previews, reports).
HREF = re.compile(r"""\s(?:href|action|data-[\w-]*url[\w-]*)=["']([/?][^"'\s]*)["']""")
MAX_PAGES = 400
SEEDS = ("/admin/",)
# Signing out ends the crawl; failwhale is Wagtail's deliberate error page.
SKIP = ("/admin/logout/", "/admin/login/", "/admin/password_reset/", "/admin/failwhale/")


def admin_index_urls():
    """Every admin URL without a parameter: menus are drawn by JavaScript, so seed them."""

    def walk(patterns, prefix):
        for pattern in patterns:
            route = prefix + str(pattern.pattern)
            if isinstance(pattern, URLResolver):
                yield from walk(pattern.url_patterns, route)
            elif not any(char in route for char in "<(\\*"):
                yield "/" + route.replace("^", "").replace("$", "")

    urls = walk(get_resolver().url_patterns, "")
    return sorted({url for url in urls if url.startswith(SEEDS) and not url.startswith(SKIP)})


# Listings whose rows are personal data: their exports are walked too.
DATA_LISTINGS = (
    "intake_inbox:index",
    "consent_records:index",
    "feedback_suggestions:index",
    "feedback_public_items:index",
    "audit_log:index",
)
# Per object of a model viewset: every screen Wagtail may offer for it.
OBJECT_VIEWS = ("inspect", "edit", "delete", "history", "usage", "copy", "revisions_index")


def _reverse(name, *args):
    try:
        return reverse(name, args=args)
    except NoReverseMatch:
        return None


def secondary_urls():
    """The screens a menu never links to directly: every page's history, revisions, compare,
    preview, draft view, workflow history and usage; every personal object's screens; the
    choosers; and the exports of every report and listing with personal data."""
    from wagtail.models import Page

    urls = ["/admin/choose-page/", "/admin/images/chooser/", "/admin/documents/chooser/"]
    for page in Page.objects.filter(depth__gt=1):
        revisions = list(page.revisions.order_by("pk").values_list("pk", flat=True))
        for name in ("history", "revisions_index", "preview_on_edit", "view_draft", "usage"):
            urls.append(_reverse(f"wagtailadmin_pages:{name}", page.pk))
        urls.append(_reverse("wagtailadmin_pages:workflow_history", page.pk))
        for revision in revisions:
            urls.append(_reverse("wagtailadmin_pages:revisions_view", page.pk, revision))
        if revisions:
            urls.append(
                _reverse("wagtailadmin_pages:revisions_compare", page.pk, "earliest", revisions[-1])
            )
    for viewset, model in (
        ("intake_inbox", IntakeRecord),
        ("consent_records", ConsentRecord),
        ("feedback_suggestions", Suggestion),
    ):
        for pk in model.objects.values_list("pk", flat=True):
            urls.extend(_reverse(f"{viewset}:{name}", pk) for name in OBJECT_VIEWS)
    listings = [_reverse(name) for name in DATA_LISTINGS]
    reports = [url for url in admin_index_urls() if "/reports/" in url or "/rapporten/" in url]
    for url in [*listings, *reports]:
        if url:
            urls += [url, f"{url}?export=csv", f"{url}?export=xlsx"]
    return list(dict.fromkeys(url for url in urls if url))


def readable_text(raw):
    """The text of a response; a spreadsheet export (a zip of XML files) is unpacked first."""
    if raw.startswith(b"PK"):
        with zipfile.ZipFile(io.BytesIO(raw)) as archive:
            raw = b"\n".join(archive.read(name) for name in archive.namelist())
    return raw.decode("utf-8", errors="replace")


def crawl(client):
    secondary = secondary_urls()
    seen, queue, bodies = set(), deque([*secondary, *admin_index_urls()]), {}
    while queue and len(seen) < MAX_PAGES:
        url = queue.popleft()
        if url in seen:
            continue
        seen.add(url)
        response = client.get(url)
        assert response.status_code < 500, url
        raw = b"".join(response.streaming_content) if response.streaming else response.content
        body = readable_text(raw)
        bodies[url] = body
        if response.status_code in (301, 302):
            target = response["Location"]
            if target.startswith("/admin/") and not target.startswith(SKIP):
                queue.append(target)
            continue
        for link in HREF.findall(body):
            link = urldefrag(urljoin(url, link.replace("&amp;", "&")))[0]
            parts = urlsplit(link)
            if parts.netloc or not parts.path.startswith("/admin/"):
                continue
            if parts.path.startswith(SKIP) or link in seen:
                continue
            queue.append(link)
    missed = [url for url in secondary if url not in seen]
    assert not missed, f"the crawl stopped before these screens: {missed[:5]}"
    return bodies


# A storyteller's contact details and their answer on an approval question.
CONSENT_SENTINELS = {
    "contact_name": "Bartje Toestemmingsentinel",
    "contact_email": "sentinel.verteller@voorbeeld.example",
    "contact_phone": "06 75319864",
    "comment": "Sentinelwens van de verteller over haar buurvrouw",
}


# A suggestion's original texts and the contact details its sender left.
SUGGESTION_SENTINELS = {
    "what_happened": "Sentinelvoorval aan de balie met mijn buurman",
    "what_better": "Sentinelwens voor een aparte spreekkamer",
    "contact_name": "Gerritje Voorstelsentinel",
    "contact_email": "sentinel.voorsteller@voorbeeld.example",
    "contact_phone": "06 24681357",
    # A "was this useful?" comment: only the feedback coordinator reads those.
    "useful_comment": "Sentinelopmerking over de zoon van mijn buurvrouw",
}


@pytest.fixture
def seeded(intake_page, story):
    record = IntakeRecordFactory(**SENTINELS)
    consent = story.consents().get()
    for field in ("contact_name", "contact_email", "contact_phone"):
        setattr(consent, field, CONSENT_SENTINELS[field])
    consent.save()
    StoryApproval.objects.create(
        consent=consent,
        page=story,
        revision=story.get_latest_revision(),
        content_hash="0" * 64,
        token_hash="1" * 64,
        status=StoryApproval.Status.CHANGES_REQUESTED,
        decided_at=timezone.now(),
        expires_at=timezone.now() + timedelta(days=14),
        comment=CONSENT_SENTINELS["comment"],
    )
    suggestion = {k: v for k, v in SUGGESTION_SENTINELS.items() if k != "useful_comment"}
    SuggestionFactory(**suggestion, public_item=PublicItemFactory())
    UsefulComment.objects.create(
        page=story, useful=False, comment=SUGGESTION_SENTINELS["useful_comment"]
    )
    # A second revision, so that revision views and compare have something to show.
    story.save_revision()
    return record


@pytest.mark.parametrize("role", ["editor", "feedback_coordinator", "consent_manager"])
def test_roles_without_intake_rights_never_see_a_sign_up(request, client, seeded, role):
    client.force_login(request.getfixturevalue(role))
    bodies = crawl(client)
    assert len(bodies) > 5, "the crawler should reach the admin"
    for url, body in bodies.items():
        for field, value in SENTINELS.items():
            assert value not in body, f"{field} of a sign-up shown to {role} at {url}"


def test_the_intake_team_does_reach_the_sign_up(client, seeded, intake_member):
    """Proves the crawler can find the record, so the test above can fail."""
    client.force_login(intake_member)
    bodies = crawl(client)
    assert any(SENTINELS["name"] in body for body in bodies.values())
    assert any(SENTINELS["phone"] in body for body in bodies.values())


@pytest.mark.parametrize("role", ["editor", "intake_member", "feedback_coordinator"])
def test_roles_without_consent_rights_never_see_a_storytellers_details(
    request, client, seeded, role
):
    client.force_login(request.getfixturevalue(role))
    bodies = crawl(client)
    assert len(bodies) > 5, "the crawler should reach the admin"
    for url, body in bodies.items():
        for field, value in CONSENT_SENTINELS.items():
            assert value not in body, f"{field} of a storyteller shown to {role} at {url}"


def test_the_consent_managers_do_reach_the_storytellers_details(client, seeded, consent_manager):
    """Proves the crawler can find the consent record, so the test above can fail."""
    client.force_login(consent_manager)
    bodies = crawl(client)
    for value in CONSENT_SENTINELS.values():
        assert any(value in body for body in bodies.values()), value


@pytest.mark.parametrize("role", ["editor", "intake_member", "consent_manager"])
def test_roles_other_than_the_feedback_coordinator_never_see_a_suggestion(
    request, client, seeded, role
):
    client.force_login(request.getfixturevalue(role))
    bodies = crawl(client)
    assert len(bodies) > 5, "the crawler should reach the admin"
    for url, body in bodies.items():
        for field, value in SUGGESTION_SENTINELS.items():
            assert value not in body, f"{field} of a suggestion shown to {role} at {url}"


def test_the_feedback_coordinator_does_reach_the_suggestion(client, seeded, feedback_coordinator):
    """Proves the crawler can find the suggestion, so the test above can fail."""
    client.force_login(feedback_coordinator)
    bodies = crawl(client)
    for value in SUGGESTION_SENTINELS.values():
        assert any(value in body for body in bodies.values()), value
