"""Factories for stories, their index and their themes (tests and demo content)."""

import factory
import wagtail_factories
from django.utils.text import slugify
from factory.django import DjangoModelFactory

from doorvertellen.factories import ImageFactory, paragraph
from verhalen.models import StoryIndexPage, StoryPage, StoryTheme


class StoryThemeFactory(DjangoModelFactory):
    name = factory.Sequence(lambda n: f"Thema {n}")
    slug = factory.LazyAttribute(lambda obj: slugify(obj.name))
    description = "Verhalen van mensen die dit ook meemaakten."

    class Meta:
        model = StoryTheme
        django_get_or_create = ("slug",)


class StoryIndexPageFactory(wagtail_factories.PageFactory):
    title = "Verhalen"
    slug = "verhalen"
    introduction = "Mensen vertellen hoe zij uit de schulden kwamen."

    class Meta:
        model = StoryIndexPage


class StoryPageFactory(wagtail_factories.PageFactory):
    """A story; pass `themes=[theme, ...]` to tag it, `with_photo=True` for a photo."""

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

    @factory.post_generation
    def themes(self, create, extracted, **kwargs):
        if not extracted:
            return
        self.themes.add(*extracted)
        if create:
            self.save()
