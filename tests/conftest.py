"""Shared fixtures for the in-process tests: a site tree, service settings and staff per role."""

import pytest
from django.contrib.auth.models import Group
from wagtail.models import Site

from doorvertellen import roles
from doorvertellen.factories import IntakePageFactory, StandardPageFactory, make_home_site
from doorvertellen.models import ServiceSettings
from verhalen.factories import StoryIndexPageFactory, StoryPageFactory, StoryThemeFactory

STAFF_PASSWORD = "een-lang-testwachtwoord-42"


@pytest.fixture(autouse=True)
def _media_in_tmp(settings, tmp_path_factory):
    """Images made by factories land in a throwaway folder, not in var/."""
    settings.MEDIA_ROOT = tmp_path_factory.getbasetemp() / "media"


@pytest.fixture
def home(db):
    """The default Site's root, replaced by a HomePage."""
    return make_home_site()


@pytest.fixture
def default_site(home):
    return Site.objects.get(is_default_site=True)


@pytest.fixture
def service_settings(default_site):
    service = ServiceSettings.for_site(default_site)
    service.phone_number = "14 010"
    service.phone_hours = "Maandag tot en met vrijdag, 9 tot 17 uur"
    service.response_promise = "binnen 2 werkdagen"
    service.save()
    return service


@pytest.fixture
def intake_page(home, service_settings):
    return IntakePageFactory(parent=home)


@pytest.fixture
def privacy_page(home):
    return StandardPageFactory(parent=home, title="Privacyverklaring", slug="privacy")


@pytest.fixture
def story_index(home):
    return StoryIndexPageFactory(parent=home)


@pytest.fixture
def theme(db):
    return StoryThemeFactory(name="Huurachterstand", slug="huurachterstand")


@pytest.fixture
def story(story_index, theme):
    return StoryPageFactory(
        parent=story_index,
        title="Hoe Sandra weer rust kreeg",
        display_name="Sandra",
        themes=[theme],
        with_photo=True,
    )


def _staff(django_user_model, username, group_name=None, **extra):
    user = django_user_model.objects.create_user(
        username=username,
        email=f"{username}@gemeente.example",
        password=STAFF_PASSWORD,
        **extra,
    )
    if group_name:
        user.groups.add(Group.objects.get(name=group_name))
    return user


@pytest.fixture
def superuser(db, django_user_model):
    return _staff(django_user_model, "beheerder", is_staff=True, is_superuser=True)


@pytest.fixture
def editor(db, django_user_model):
    """Communications staff: edit pages and stories, never intake records."""
    return _staff(django_user_model, "redacteur", roles.COMMUNICATIONS)


@pytest.fixture
def intake_member(db, django_user_model):
    return _staff(django_user_model, "aanmeldteam", roles.INTAKE_TEAM)


@pytest.fixture
def feedback_coordinator(db, django_user_model):
    return _staff(django_user_model, "feedback", roles.FEEDBACK_COORDINATOR)


@pytest.fixture
def consent_manager(db, django_user_model):
    return _staff(django_user_model, "toestemming", roles.CONSENT_MANAGER)
