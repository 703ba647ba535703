"""Pages and interface in Dutch, English, Arabic, Turkish, Polish and Ukrainian.

A resident reads a page in its own language (lang and dir, interface, forms), finds the
other languages in the switcher, signs up in their language, and the intake team sees which
one; translations of stories stay under their storyteller's consent.
"""

import re

import pytest
from django.conf import settings
from django.utils import translation
from wagtail.models import Locale, Page

from doorvertellen.factories import IntakePageFactory
from doorvertellen.models import HomePage, IntakePage, IntakeRecord, StandardPage
from tests.helpers import valid_data
from verhalen.consent import withdraw
from verhalen.factories import StoryIndexPageFactory, StoryPageFactory, approve
from verhalen.models import ConsentRecord, StoryIndexPage
from verhalen.models.pages import PublishRefused

pytestmark = pytest.mark.django_db

OTHER_LANGUAGES = [code for code, _name in settings.LANGUAGES if code != "nl"]


def translate(page, code, **values):
    """A published translation of `page` (its parent must be translated already)."""
    copy = page.copy_for_translation(Locale.objects.get(language_code=code)).specific
    for name, value in values.items():
        setattr(copy, name, value)
    copy.save()
    copy.save_revision().publish()
    copy.refresh_from_db()
    return copy


def html_tag(response):
    return re.search(r"<html[^>]*>", response.content.decode()).group(0)


@pytest.fixture
def english_home(home):
    return translate(home, "en", title="Welcome", hero_heading="Money worries? You are not alone.")


@pytest.fixture
def arabic_home(home):
    return translate(home, "ar", title="مرحبا", hero_heading="عندك مشاكل في المال؟")


# --- Settings and locales -----------------------------------------------------------------


def test_every_content_language_has_a_locale_after_migrating():
    codes = set(Locale.objects.values_list("language_code", flat=True))
    assert codes == {"nl", "en", "ar", "tr", "pl", "uk"}


@pytest.mark.parametrize("code", OTHER_LANGUAGES)
def test_the_interface_speaks_every_language(code):
    with translation.override(code):
        assert translation.gettext("Meld je aan") != "Meld je aan"
        assert translation.gettext("Snel weg") != "Snel weg"
        assert translation.gettext("Ga direct naar de inhoud") != "Ga direct naar de inhoud"


def test_arabic_is_right_to_left_and_the_others_are_not():
    with translation.override("ar"):
        assert translation.get_language_bidi()
    for code in ("nl", "en", "tr", "pl", "uk"):
        with translation.override(code):
            assert not translation.get_language_bidi()


# --- Pages in their language --------------------------------------------------------------


def test_dutch_pages_have_no_prefix_and_say_lang_nl(client, home):
    response = client.get("/")
    assert response.status_code == 200
    assert 'lang="nl"' in html_tag(response)
    assert 'dir="ltr"' in html_tag(response)


def test_an_english_home_page_speaks_english(client, english_home):
    assert english_home.url == "/en/"
    response = client.get("/en/")
    assert response.status_code == 200
    assert 'lang="en"' in html_tag(response)
    assert "Money worries? You are not alone." in response.content.decode()
    with translation.override("en"):
        skip_link = translation.gettext("Ga direct naar de inhoud")
    assert skip_link in response.content.decode()


def test_an_arabic_page_is_right_to_left_with_an_arabic_interface(client, arabic_home):
    response = client.get("/ar/")
    assert 'lang="ar"' in html_tag(response)
    assert 'dir="rtl"' in html_tag(response)
    with translation.override("ar"):
        assert translation.gettext("Snel weg") in response.content.decode()
    # The reader's own language stays in the browser's language, not a cookie.
    assert not response.cookies


def test_an_address_in_a_language_without_pages_leads_to_the_dutch_page(client, home):
    response = client.get("/tr/?c=POST1")
    assert response.status_code == 302
    assert response["Location"] == "/?c=POST1"


def test_the_switcher_links_to_the_translation_else_to_that_language_home(
    client, home, english_home, story_index
):
    english_index = translate(story_index, "en", title="Stories")
    from verhalen.factories import StoryPageFactory

    dutch_only = StoryPageFactory(parent=story_index, title="Alleen in het Nederlands")

    index_page = client.get("/verhalen/").content.decode()
    assert f'href="{english_index.url}" hreflang="en"' in index_page
    assert f'hreflang="en" href="{settings.SITE_URL}{english_index.url}"' in index_page

    story_page = client.get(dutch_only.url).content.decode()
    # No English version of this story: the switcher offers the English home page, and no
    # hreflang alternate claims an equivalent that does not exist.
    assert 'href="/en/" hreflang="en"' in story_page
    assert 'rel="alternate" hreflang="en"' not in story_page
    assert 'aria-current="true">Nederlands' in story_page


def test_a_site_with_one_language_shows_no_switcher(client, home):
    assert "language-switcher" not in client.get("/").content.decode()


def test_the_menu_and_the_way_to_the_intake_follow_the_language(
    client, home, english_home, story_index, intake_page
):
    english_index = translate(story_index, "en", title="Stories", show_in_menus=True)
    english_intake = translate(intake_page, "en", title="Sign up")
    StoryIndexPage.objects.filter(pk=story_index.pk).update(show_in_menus=True)

    english = client.get("/en/").content.decode()
    assert f'href="{english_index.url}"' in english
    assert f'href="{english_intake.url}' in english
    dutch = client.get("/").content.decode()
    assert f'href="{story_index.url}"' in dutch
    assert f'href="{intake_page.url}' in dutch
    assert english_intake.url not in dutch


def test_kept_pages_and_their_parts_are_kept_per_language(
    client, settings, home, english_home, intake_page
):
    settings.PAGE_CACHE_SECONDS = 300
    client.get("/")  # the Dutch page and its remembered parts (menu, intake link) are kept
    english = client.get("/en/")
    assert 'lang="en"' in html_tag(english)
    # Without an English intake page the English home links to the Dutch one.
    assert f'href="{intake_page.url}' in english.content.decode()
    assert client.get("/en/")["X-Page-Cache"] == "hit"
    english_intake = translate(intake_page, "en", title="Sign up")
    assert f'href="{english_intake.url}' in client.get("/en/").content.decode()


def test_search_finds_pages_in_the_language_searched_in(client, home, english_home):
    from doorvertellen.factories import StandardPageFactory

    dutch = StandardPageFactory(parent=home, title="Zonnebloem hulp", slug="zonnebloem")
    english = translate(dutch, "en", title="Zonnebloem help")
    for page in (dutch, english):
        page.save_revision().publish()
    from wagtail.search.backends import get_search_backend

    backend = get_search_backend()
    for page in Page.objects.live():
        backend.add(page.specific)

    dutch_results = client.get("/zoeken/", {"q": "Zonnebloem"}).content.decode()
    english_results = client.get("/en/zoeken/", {"q": "Zonnebloem"}).content.decode()
    assert "Zonnebloem hulp" in dutch_results and "Zonnebloem help" not in dutch_results
    assert "Zonnebloem help" in english_results and "Zonnebloem hulp" not in english_results


# --- One per language -----------------------------------------------------------------------


def test_pages_of_which_there_is_one_may_exist_once_per_language(home, english_home):
    root = Page.get_first_root_node()
    assert not HomePage.can_create_at(root)
    IntakePageFactory(parent=home)
    assert not IntakePage.can_create_at(home)
    assert IntakePage.can_create_at(english_home)
    StoryIndexPageFactory(parent=english_home)
    assert not StoryIndexPage.can_create_at(english_home)


# --- Signing up in every language ---------------------------------------------------------


@pytest.mark.parametrize("code", OTHER_LANGUAGES)
def test_the_intake_form_works_in_the_page_language_and_records_it(client, home, intake_page, code):
    translate(home, code)
    translated = translate(intake_page, code)
    form = client.get(translated.url).content.decode()
    with translation.override(code):
        assert translation.gettext("Je naam of een bijnaam") in form

    response = client.post(translated.url, valid_data())
    assert response.status_code in (200, 302)
    record = IntakeRecord.objects.get()
    assert record.language == code


def test_the_privacy_statement_is_offered_in_the_language_of_the_form(
    client, home, intake_page, privacy_page
):
    """Whoever signs up in Arabic reads in Arabic what happens with their details, where the
    statement has been translated; until then the Dutch one, never no link at all."""
    intake_page.privacy_page = privacy_page
    intake_page.reassurance = (
        f'<p>Lees de <a linktype="page" id="{privacy_page.pk}">privacyverklaring</a>.</p>'
    )
    intake_page.save_revision().publish()
    translate(home, "ar")
    arabic_intake = translate(intake_page, "ar")
    assert arabic_intake.privacy_page_id == privacy_page.pk  # a translation copies the link

    body = client.get(arabic_intake.url).content.decode()
    assert body.count(f'href="{privacy_page.url}"') == 2

    arabic_privacy = translate(privacy_page, "ar", title="بيان الخصوصية")
    body = client.get(arabic_intake.url).content.decode()
    assert body.count(f'href="{arabic_privacy.url}"') == 2
    assert f'href="{privacy_page.url}"' not in body


def test_the_service_hours_in_dutch_are_marked_as_dutch_brackets_and_all(
    client, home, intake_page, service_settings
):
    """Opening hours are written in Dutch only. On an Arabic page a screen reader says them in
    Dutch, and right-to-left text does not turn their brackets round."""
    from campagnes.factories import CampaignLandingPageFactory

    service_settings.walk_in_hours = "Dinsdag 9 tot 12 uur, Wijkcentrum De Brug"
    service_settings.save()
    landing = CampaignLandingPageFactory(parent=home)
    translate(home, "ar")
    hours = service_settings.phone_hours
    checks = {
        translate(landing, "ar"): [
            f'<span lang="nl" dir="ltr">({hours})</span>',
            '<ul lang="nl" dir="ltr"><li>Dinsdag 9 tot 12 uur, Wijkcentrum De Brug</li></ul>',
        ],
        translate(intake_page, "ar"): [f'<br><span lang="nl" dir="ltr">{hours}</span>'],
    }
    for page, marked in checks.items():
        body = client.get(page.url).content.decode()
        for part in marked:
            assert part in body, page.url
    # On the Dutch pages there is nothing to mark.
    body = client.get(landing.url).content.decode()
    assert f"{service_settings.phone_number}</a> <span>({hours})</span>" in body


def test_a_mistake_is_explained_in_the_page_language(client, home, intake_page):
    translate(home, "ar")
    arabic = translate(intake_page, "ar")
    response = client.post(arabic.url, valid_data(phone="bel me maar", name="Sanne"))
    assert response.status_code == 400
    assert not IntakeRecord.objects.exists()
    assert 'lang="ar"' in html_tag(response)
    body = response.content.decode()
    with translation.override("ar"):
        assert (
            translation.gettext(
                "Dit telefoonnummer klopt niet. Vul 10 cijfers in, bijvoorbeeld 06 12345678."
            )
            in body
        )
        assert translation.gettext("Bijna klaar. Kijk nog even naar deze punten:") in body
    assert 'value="Sanne"' in body  # nothing typed is lost


def test_the_intake_team_sees_the_language_of_a_sign_up(client, intake_member, intake_page):
    from doorvertellen.factories import IntakeRecordFactory

    record = IntakeRecordFactory(language="ar")
    client.force_login(intake_member)
    listing = client.get("/admin/aanmeldingen/").content.decode()
    assert "Arabisch" in listing
    detail = client.get(f"/admin/aanmeldingen/inspect/{record.pk}/").content.decode()
    assert "Arabisch" in detail
    filtered = client.get("/admin/aanmeldingen/", {"language": "en"}).content.decode()
    assert record.reference not in filtered


# --- Stories: the same consent, its own approval -------------------------------------------


def test_a_story_translation_falls_under_the_same_consent_and_needs_its_own_approval(
    home, story_index, story
):
    translate(home, "en")
    translate(story_index, "en")
    english = story.copy_for_translation(Locale.objects.get(language_code="en")).specific
    english.title = "How Sandra found peace again"
    english.save()
    consent = ConsentRecord.objects.get(page_links__page=story)
    assert ConsentRecord.objects.get(page_links__page=english) == consent

    # The storyteller approved the Dutch words, not these.
    revision = english.save_revision()
    with pytest.raises(PublishRefused):
        revision.publish()
    approve(consent, english).revision.publish()
    english.refresh_from_db()
    assert english.live

    withdraw(consent)
    story.refresh_from_db()
    english.refresh_from_db()
    assert not story.live
    assert not english.live


def test_a_translated_landing_page_quotes_and_links_the_translated_story(
    client, home, story_index, story
):
    from campagnes.factories import CampaignLandingPageFactory

    translate(home, "en")
    translate(story_index, "en", title="Stories")
    english = story.copy_for_translation(Locale.objects.get(language_code="en")).specific
    english.title = "How Sandra found peace again"
    english.quote = "I did not dare to open my post."
    english.save()
    approve(ConsentRecord.objects.get(page_links__page=story), english).revision.publish()
    english.refresh_from_db()
    untranslated = StoryPageFactory(parent=story_index, title="Karim vertelt", quote="Nooit meer.")
    landing = CampaignLandingPageFactory(
        parent=home,
        slug="post-open",
        stories=[
            ("quote", {"story": story, "show_link": True}),
            ("card", {"story": story, "show_link": True}),
            ("card", {"story": untranslated, "show_link": True}),
        ],
    )
    english_landing = translate(landing, "en", title="Afraid to open your post?")

    body = client.get(english_landing.url).content.decode()
    assert body.count("I did not dare to open my post.") == 2
    assert f'href="{english.url}' in body and f'href="{story.url}' not in body
    # A story without a translation is still shown, in Dutch.
    assert "Nooit meer." in body and f'href="{untranslated.url}' in body
    assert story.quote not in body


def test_the_readability_check_leaves_translations_alone(home):
    from doorvertellen.plain_language_admin import in_dutch

    assert in_dutch(home)
    assert not in_dutch(translate(home, "en"))
    # A page still being written in the English tree is not measured either.
    assert not in_dutch(StandardPage(title="New", locale=Locale.objects.get(language_code="en")))


# --- Demo content -----------------------------------------------------------------------------


def test_the_demo_has_english_and_arabic_pages(client):
    from io import StringIO

    from django.core.management import call_command

    call_command("load_demo_content", stdout=StringIO())
    from campagnes.models import CampaignLandingPage
    from verhalen.models import StoryPage

    for code in ("en", "ar"):
        for model in (
            HomePage,
            StoryIndexPage,
            StoryPage,
            CampaignLandingPage,
            IntakePage,
            StandardPage,
        ):
            pages = model.objects.live().filter(locale__language_code=code)
            assert pages.exists(), f"no {model.__name__} in {code}"
            for page in pages:
                response = client.get(page.url)
                assert response.status_code == 200, page.url
                assert f'lang="{code}"' in html_tag(response)
    story = StoryPage.objects.get(locale__language_code="ar")
    assert story.consent_problems() == []

    out = StringIO()
    call_command("load_demo_content", stdout=out)
    assert "Niets nieuw" in out.getvalue()


def test_the_sitemap_lists_every_language(client, home, english_home, arabic_home):
    sitemap = client.get("/sitemap.xml").content.decode()
    for page in (home, english_home, arabic_home):
        assert f"<loc>{page.full_url}</loc>" in sitemap


def test_a_preview_speaks_the_page_language_not_the_editors(rf, editor, arabic_home):
    request = rf.get("/admin/")
    request.user = editor
    with translation.override("nl"):  # the editor's admin language
        response = arabic_home.make_preview_request(request, preview_mode="")
    assert 'lang="ar"' in html_tag(response)
    assert 'dir="rtl"' in html_tag(response)


def test_the_language_of_one_request_does_not_stay_with_the_thread(client, arabic_home):
    client.get("/ar/")
    assert translation.get_language() == settings.LANGUAGE_CODE


def test_an_image_described_in_dutch_says_so_on_a_page_in_another_language(client, home):
    from doorvertellen.factories import ImageFactory

    home.hero_image = ImageFactory(description="Een vrouw aan de keukentafel")
    home.save_revision().publish()
    translate(home, "en", title="Welcome", hero_heading="Money worries? You are not alone.")

    def hero(url):
        return re.search(r"<img[^>]*hero__image[^>]*>", client.get(url).content.decode()).group(0)

    english = hero("/en/")
    assert 'alt="Een vrouw aan de keukentafel"' in english and 'lang="nl"' in english
    assert "lang=" not in hero("/")
