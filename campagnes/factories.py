"""Factories for campaigns, their links and landing pages (tests and demo content)."""

import factory
import wagtail_factories
from factory.django import DjangoModelFactory

from campagnes.models import Campaign, CampaignLandingPage, Channel, TargetGroup, TrackedLink


class CampaignLandingPageFactory(wagtail_factories.PageFactory):
    title = factory.Sequence(lambda n: f"Campagne {n}")
    headline = "Zorgen over geld? Praat er vandaag over."
    cta_label = "Meld je aan"
    message = "Het is gratis. We oordelen niet. We bellen je binnen drie werkdagen."

    class Meta:
        model = CampaignLandingPage


class CampaignFactory(DjangoModelFactory):
    name = factory.Sequence(lambda n: f"Campagne {n}")
    goal = "Meer mensen melden zich vroeg aan."
    target_group = TargetGroup.EVERYONE
    live = True

    class Meta:
        model = Campaign


class TrackedLinkFactory(DjangoModelFactory):
    campaign = factory.SubFactory(CampaignFactory)
    channel = Channel.FLYER
    label = factory.Sequence(lambda n: f"Flyer {n}")

    class Meta:
        model = TrackedLink
