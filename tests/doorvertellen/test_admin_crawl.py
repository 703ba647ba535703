"""Walk every admin screen each role can reach and look for personal data it may not see.

A crawler rather than a list of URLs: a screen added later (a report, a chooser, an export)
is covered without anyone remembering to add it here.
"""

import re
from collections import deque
from datetime import timedelta
from urllib.parse import urldefrag, urljoin, urlsplit

import pytest
from django.urls import URLResolver, get_resolver
from django.utils import timezone

from doorvertellen.factories import IntakeRecordFactory
from feedback.factories import PublicItemFactory, SuggestionFactory
from verhalen.models import StoryApproval

pytestmark = pytest.mark.django_db

SENTINELS = {
    "name": "Zwaantje Sentinelnaam",
    "phone": "06 98765432",
    "email": "sentinel.persoon@voorbeeld.example",
    "message": "Sentinelbericht over mijn schulden",
    "postcode": "3312 ZX",
}
HREF = re.compile(r"""\s(?:href|action)=["']([/?][^"'\s]*)["']""")
MAX_PAGES = 250
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


def crawl(client):
    seen, queue, bodies = set(), deque(admin_index_urls()), {}
    while queue and len(seen) < MAX_PAGES:
        url = queue.popleft()
        if url in seen:
            continue
        seen.add(url)
        response = client.get(url)
        assert response.status_code < 500, url
        raw = b"".join(response.streaming_content) if response.streaming else response.content
        body = raw.decode("utf-8", errors="replace")
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
    SuggestionFactory(**SUGGESTION_SENTINELS, public_item=PublicItemFactory())
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
