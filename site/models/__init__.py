from .audit import AuditEntry
from .intake import IntakeRecord, OutsideAreaCount
from .pages import HomePage, HomePageFeaturedStory, IntakePage, StandardPage
from .plain_language import JargonTerm
from .settings import ServiceSettings

__all__ = [
    "AuditEntry",
    "HomePage",
    "HomePageFeaturedStory",
    "IntakePage",
    "IntakeRecord",
    "JargonTerm",
    "OutsideAreaCount",
    "ServiceSettings",
    "StandardPage",
]
