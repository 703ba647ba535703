"""Factories for stories, their index and their themes (tests and demo content)."""

from datetime import timedelta
from pathlib import Path

import factory
import wagtail_factories
from django.utils import timezone
from django.utils.text import slugify
from factory.django import DjangoModelFactory

from doorvertellen.factories import ImageFactory, paragraph
from verhalen.models import (
    ConsentPage,
    ConsentRecord,
    ConsentText,
    DocumentaryPage,
    StoryApproval,
    StoryIndexPage,
    StoryPage,
    StoryTheme,
    Video,
)
from verhalen.models.consent import new_token


class StoryThemeFactory(DjangoModelFactory):
    name = factory.Sequence(lambda n: f"Thema {n}")
    slug = factory.LazyAttribute(lambda obj: slugify(obj.name))
    description = "Verhalen van mensen die dit ook meemaakten."

    class Meta:
        model = StoryTheme
        django_get_or_create = ("slug",)


class ConsentTextFactory(DjangoModelFactory):
    version = "2026-1"
    text = "Ik vind het goed dat mijn verhaal op de website van de gemeente staat."

    class Meta:
        model = ConsentText
        django_get_or_create = ("version",)


class ConsentRecordFactory(DjangoModelFactory):
    """A consent in force for the website; pass `pages=[page, ...]` to link it."""

    display_name = "Sandra"
    naming = ConsentRecord.Naming.FIRST_NAME
    scope_website = True
    scope_social = True
    scope_video = True
    photo_allowed = True
    city_shown = True
    given_at = factory.LazyFunction(timezone.now)
    expires_on = factory.LazyFunction(lambda: timezone.localdate() + timedelta(days=365))
    text_version = factory.SubFactory(ConsentTextFactory)
    contact_name = factory.Faker("name", locale="nl_NL")
    contact_email = factory.Faker("email", locale="nl_NL")
    contact_phone = "06 98765432"

    class Meta:
        model = ConsentRecord
        skip_postgeneration_save = True

    @factory.post_generation
    def pages(self, create, extracted, **kwargs):
        for page in extracted or []:
            ConsentPage.objects.get_or_create(consent=self, page=page)


def approve(consent, page):
    """Record the storyteller's approval of the page's current content (tests, demo)."""
    revision = page.save_revision()
    _token, token_hash = new_token()
    return StoryApproval.objects.create(
        consent=consent,
        page=page,
        revision=revision,
        content_hash=page.approval_hash(),
        token_hash=token_hash,
        status=StoryApproval.Status.APPROVED,
        decided_at=timezone.now(),
        expires_at=timezone.now() + timedelta(days=14),
    )


class StoryIndexPageFactory(wagtail_factories.PageFactory):
    title = "Verhalen"
    slug = "verhalen"
    introduction = "Mensen vertellen hoe zij uit de schulden kwamen."

    class Meta:
        model = StoryIndexPage


class StoryPageFactory(wagtail_factories.PageFactory):
    """A story; pass `themes=[theme, ...]` to tag it, `with_photo=True` for a photo.

    Like a real published story it comes with its teller's consent and approval of its
    content, and goes live the way a real one does: by publishing the approved revision. Pass
    `consent=False` for a story without; it can only be a draft (see `StoryPage.save`).
    """

    title = factory.Sequence(lambda n: f"Het verhaal van verteller {n}")
    display_name = "Sandra"
    quote = "Ik had veel eerder hulp moeten vragen."
    summary = "Sandra kon de huur niet meer betalen. Ze belde de gemeente. Nu is ze schuldenvrij."
    body = factory.LazyFunction(
        lambda: paragraph("Het begon met een rekening die ik niet kon betalen.")
    )
    photo = None
    photo_alt = ""

    class Meta:
        model = StoryPage
        skip_postgeneration_save = True

    class Params:
        with_photo = factory.Trait(
            photo=factory.SubFactory(ImageFactory),
            photo_alt="Een tekening van een vrouw aan de keukentafel met een kop koffie.",
        )

    @classmethod
    def _create(cls, model_class, *args, **kwargs):
        wants_live = kwargs.pop("live", True)
        page = super()._create(model_class, *args, live=False, **kwargs)
        page._factory_wants_live = wants_live
        return page

    @factory.post_generation
    def themes(self, create, extracted, **kwargs):
        if not extracted:
            return
        self.themes.add(*extracted)
        if create:
            self.save()

    @factory.post_generation
    def consent(self, create, extracted, **kwargs):
        if not create or extracted is False:
            return
        consent = extracted or ConsentRecordFactory(display_name=self.display_name, **kwargs)
        ConsentPage.objects.get_or_create(consent=consent, page=self)
        revision = approve(consent, self).revision
        if getattr(self, "_factory_wants_live", False):
            revision.publish()
            self.refresh_from_db()


# --- Mini-documentaries ----------------------------------------------------------------------

# The demo film and its captions: real files, small enough to copy for every test.
DEMO_MEDIA = Path(__file__).resolve().parent.parent / "site" / "demo_media"


class VideoFactory(DjangoModelFactory):
    """A hosted film with captions (the demo film); `external=True` for a YouTube address."""

    title = factory.Sequence(lambda n: f"Film {n}")
    file = factory.django.FileField(
        from_path=DEMO_MEDIA / "documentaire-karin.webm", filename="film.webm"
    )
    captions = factory.django.FileField(
        from_path=DEMO_MEDIA / "documentaire-karin.vtt", filename="film.vtt"
    )
    duration_seconds = 27
    poster = factory.SubFactory(ImageFactory)

    class Meta:
        model = Video

    class Params:
        external = factory.Trait(
            file=None,
            captions=None,
            duration_seconds=None,
            external_url="https://www.youtube.com/watch?v=dQw4w9WgXcQ",
        )


class DocumentaryPageFactory(StoryPageFactory):
    """A mini-documentary, published with consent and approval like `StoryPageFactory`."""

    title = factory.Sequence(lambda n: f"De film van verteller {n}")
    video = factory.SubFactory(VideoFactory)
    transcript = (
        "Ik ben Sandra. Ik kon de huur niet meer betalen.\n\n"
        "Ik belde de gemeente. Nu is er een plan."
    )
    body = factory.LazyFunction(list)

    class Meta:
        model = DocumentaryPage
        skip_postgeneration_save = True
