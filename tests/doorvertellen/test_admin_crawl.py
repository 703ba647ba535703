"""Walk every admin screen each role can reach and look for personal data it may not see.

A crawler rather than a list of URLs: a screen added later (a report, a chooser, an export)
is covered without anyone remembering to add it here.
"""

import re
from collections import deque
from urllib.parse import urldefrag, urljoin, urlsplit

import pytest
from django.urls import URLResolver, get_resolver

from doorvertellen.factories import IntakeRecordFactory

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


@pytest.fixture
def seeded(intake_page, story):
    record = IntakeRecordFactory(**SENTINELS)
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
