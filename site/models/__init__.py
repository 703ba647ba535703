from .intake import IntakeRecord, OutsideAreaCount
from .pages import HomePage, HomePageFeaturedStory, IntakePage, StandardPage
from .settings import ServiceSettings

__all__ = [
    "HomePage",
    "HomePageFeaturedStory",
    "IntakePage",
    "IntakeRecord",
    "OutsideAreaCount",
    "ServiceSettings",
    "StandardPage",
]
