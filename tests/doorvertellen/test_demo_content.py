"""`manage.py load_demo_content`: the Dutch demo site from one command, the same after a second
run, with one login per role only where development settings allow demo logins."""

import io

import pytest
from django.contrib.auth import get_user_model
from django.core.management import call_command
from wagtail.images import get_image_model
from wagtail.models import Page, Revision, Site

from doorvertellen import roles
from doorvertellen.models import HomePage, IntakePage, StandardPage
from verhalen.models import StoryPage, StoryTheme

pytestmark = pytest.mark.usefixtures("migrated_transactional_db")

ROLE_LOGINS = {
    "redactie": roles.COMMUNICATIONS,
    "aanmeldteam": roles.INTAKE_TEAM,
    "feedback": roles.FEEDBACK_COORDINATOR,
    "toestemming": roles.CONSENT_MANAGER,
}


def snapshot():
    users = get_user_model().objects.order_by("username")
    return {
        "pages": sorted(Page.objects.values_list("pk", "path", "live", "latest_revision_id")),
        "revisions": Revision.objects.count(),
        "images": sorted(get_image_model().objects.values_list("pk", "file_hash")),
        "users": [(user.username, user.password, user.is_superuser) for user in users],
        "themes": sorted(StoryTheme.objects.values_list("pk", "name")),
    }


def test_the_demo_site_loads_once_with_stories_pages_and_a_login_per_role(client):
    call_command("load_demo_content", stdout=io.StringIO())
    Site.clear_site_root_paths_cache()

    home = HomePage.objects.live().get(locale__language_code="nl")
    assert Site.objects.get(is_default_site=True).root_page_id == home.pk
    intake = IntakePage.objects.live().get(locale__language_code="nl")
    assert intake.url == "/aanmelden/"
    stories = list(StoryPage.objects.live())
    assert len(stories) >= 6
    themes = {tag.name for story in stories for tag in story.themes.all()}
    assert len(themes) >= 4, "stories across different themes"
    for story in stories:
        assert story.display_name and story.quote, story.title
        if story.photo_id:
            assert story.photo_alt.strip(), f"{story.title} has a photo without alt text"
    titles = [page.title.lower() for page in StandardPage.objects.live()]
    assert any("privacy" in title for title in titles)
    assert any("contact" in title for title in titles)

    users = {user.username: user for user in get_user_model().objects.all()}
    assert users["beheerder"].is_superuser
    for username, group in ROLE_LOGINS.items():
        assert list(users[username].groups.values_list("name", flat=True)) == [group]
        assert not users[username].is_superuser

    for url in ("/", intake.url, stories[0].url):
        assert client.get(url).status_code == 200

    before = snapshot()
    call_command("load_demo_content", stdout=io.StringIO())
    assert snapshot() == before, "a second run must change nothing"


def test_no_demo_logins_unless_the_settings_allow_them(settings):
    settings.DOORVERTELLEN_ALLOW_DEMO_USERS = False
    out = io.StringIO()
    call_command("load_demo_content", stdout=out)
    assert not get_user_model().objects.exists()
    assert "Demo-logins overgeslagen" in out.getvalue()
    assert StoryPage.objects.live().count() >= 6
