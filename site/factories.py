"""Factories for the core app's pages and intake records (tests and demo content)."""

import uuid

import factory
import wagtail_factories
from django.utils import timezone
from factory.django import DjangoModelFactory
from wagtail.models import Collection, Page, Site
from wagtail.rich_text import RichText

from doorvertellen.models import HomePage, IntakePage, IntakeRecord, StandardPage


def paragraph(text):
    """A body StreamField value with one paragraph of plain text."""
    return [("paragraph", RichText(f"<p>{text}</p>"))]


class ImageFactory(wagtail_factories.ImageFactory):
    """An image in the root collection (the parent factory would add a new root each time)."""

    title = factory.Sequence(lambda n: f"Tekening {n}")
    collection = factory.LazyFunction(Collection.get_first_root_node)


class HomePageFactory(wagtail_factories.PageFactory):
    title = "Home"
    slug = "start"
    hero_heading = "Geldzorgen? Je bent niet de enige."
    introduction = "Praat er met ons over. Het is gratis en we oordelen niet."
    cta_label = "Meld je aan"
    not_alone_text = "Veel mensen in Nederland hebben problematische schulden."
    not_alone_source = "Nibud"

    class Meta:
        model = HomePage


class StandardPageFactory(wagtail_factories.PageFactory):
    title = factory.Sequence(lambda n: f"Informatie {n}")
    introduction = "Hier lees je wat we met je gegevens doen."
    body = factory.LazyFunction(lambda: paragraph("We bewaren je gegevens niet langer dan nodig."))

    class Meta:
        model = StandardPage


class IntakePageFactory(wagtail_factories.PageFactory):
    title = "Aanmelden"
    slug = "aanmelden"
    introduction = "Vul je gegevens in. Dan bellen we je."
    reassurance = "<p>Het is gratis. We oordelen niet.</p>"
    thank_you_heading = "Dank je wel. We bellen je."
    thank_you_text = "<p>Je hoeft nu niets te doen.</p>"
    outside_area_text = "<p>In je eigen gemeente kun je ook hulp krijgen.</p>"

    class Meta:
        model = IntakePage


class IntakeRecordFactory(DjangoModelFactory):
    submission_token = factory.LazyFunction(uuid.uuid4)
    name = factory.Faker("first_name", locale="nl_NL")
    phone = "06 12345678"
    email = factory.Faker("email", locale="nl_NL")
    best_time = IntakeRecord.BestTime.ANY
    message = "Ik heb een achterstand met de huur."
    postcode = "3311 AB"
    consent_at = factory.LazyFunction(timezone.now)

    class Meta:
        model = IntakeRecord


def make_home_site(**kwargs):
    """Make a HomePage the root of the default Site, as a real installation has it.

    Wagtail's migrations create a "Welcome" page under the tree root and a default site that
    points at it; that page is replaced (it cannot coexist with the HomePage's slug rules).
    Returns the HomePage.
    """
    existing = HomePage.objects.first()
    if existing is not None:
        return existing
    root = Page.get_first_root_node()
    home = HomePageFactory(parent=root, **kwargs)
    site = Site.objects.filter(is_default_site=True).first()
    if site is None:
        site = Site(hostname="localhost", port=80, is_default_site=True)
    old_root_id = site.root_page_id
    site.root_page = home
    site.site_name = "Doorvertellen"
    site.save()
    if old_root_id and old_root_id != home.pk:
        old_root = Page.objects.filter(pk=old_root_id, depth=2).first()
        if old_root is not None and not Site.objects.filter(root_page_id=old_root_id).exists():
            old_root.delete()
    return home
