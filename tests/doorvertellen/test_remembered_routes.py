"""The page an address leads to is found once per generation: never a page that changed."""

import re

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from wagtail.images.rect import Rect
from wagtail.models import Page, PageViewRestriction

from tests.doorvertellen.test_languages import translate
from tests.helpers import text

pytestmark = pytest.mark.django_db

BROWSER = {"HTTP_USER_AGENT": "Mozilla/5.0 (Linux; Android 14) Mobile Safari/537.36"}


@pytest.fixture
def visitor(service_settings):
    return Client(**BROWSER)


def tree_queries(visitor, url, **params):
    """The response, and how many queries it made on the page tree."""
    with CaptureQueriesContext(connection) as queries:
        response = visitor.get(url, params)
    return response, sum('FROM "wagtailcore_page"' in q["sql"] for q in queries)


def test_a_second_render_finds_the_page_without_walking_the_tree(visitor, story):
    # `?x=` keeps both requests out of the page cache: both are rendered.
    first, first_tree = tree_queries(visitor, story.url, x=1)
    second, second_tree = tree_queries(visitor, story.url, x=2)
    assert first.status_code == second.status_code == 200
    assert second_tree < first_tree
    assert story.title in text(second)
    assert without_nonce(second) == without_nonce(first)


def without_nonce(response):
    """The page without what differs on every render (nonces, the forms' signed times)."""
    return re.sub(r'(nonce|value)="[^"]*"', "", response.content.decode())


def test_a_renamed_page_is_found_at_its_new_address_at_once(visitor, story):
    old_url = story.url
    assert visitor.get(old_url, {"x": 1}).status_code == 200
    story.slug = "sandra-vertelt"
    story.save_revision().publish()
    assert visitor.get(old_url, {"x": 2}).status_code == 404
    assert visitor.get(Page.objects.get(pk=story.pk).url, {"x": 3}).status_code == 200


def test_a_page_taken_offline_is_gone_at_once(visitor, story):
    assert visitor.get(story.url, {"x": 1}).status_code == 200
    story.unpublish()
    assert visitor.get(story.url, {"x": 2}).status_code == 404


def test_a_changed_title_shows_at_once(visitor, privacy_page):
    visitor.get(privacy_page.url, {"x": 1})
    privacy_page.title = "Wat we met je gegevens doen"
    privacy_page.save_revision().publish()
    assert "Wat we met je gegevens doen" in text(visitor.get(privacy_page.url, {"x": 2}))


def test_a_restricted_page_asks_every_visitor_to_sign_in(visitor, story):
    PageViewRestriction.objects.create(page=story, restriction_type=PageViewRestriction.LOGIN)
    for attempt in range(3):
        response = visitor.get(story.url, {"x": attempt})
        assert response.status_code == 302
        assert "login" in response["Location"]


def test_the_intake_form_and_its_thank_you_page_keep_working(visitor, intake_page):
    for attempt in range(2):
        assert visitor.get(intake_page.url, {"x": attempt}).status_code == 200
    thanks = visitor.get(intake_page.url + intake_page.reverse_subpage("thanks"))
    assert thanks.status_code == 200
    assert visitor.get(intake_page.url).status_code == 200


def test_each_language_finds_its_own_page(visitor, home):
    english = translate(home, "en", title="Welcome", hero_heading="Money worries?")
    for attempt in range(2):
        assert 'lang="nl"' in visitor.get("/", {"x": attempt}).content.decode()
        answer = visitor.get("/en/", {"x": attempt}).content.decode()
        assert 'lang="en"' in answer and english.hero_heading in answer


def test_a_storys_photo_comes_with_the_page_until_the_photo_changes(visitor, story):
    visitor.get(story.url, {"x": 1})
    assert image_queries(visitor, story.url, x=2) == 0

    photo = story.photo
    photo.set_focal_point(Rect(10, 10, 40, 40))
    photo.save()
    assert image_queries(visitor, story.url, x=3) == 1  # the changed photo, read afresh
    assert image_queries(visitor, story.url, x=4) == 0


def image_queries(visitor, url, **params):
    with CaptureQueriesContext(connection) as queries:
        assert visitor.get(url, params).status_code == 200
    return sum('FROM "wagtailimages_image"' in q["sql"] for q in queries)
