from feedback.models.pages import StoryOfferPage, SuggestionPage, YouSaidWeDidPage
from feedback.models.suggestions import (
    Phase,
    PublicItem,
    Status,
    Suggestion,
    UsefulComment,
    UsefulCount,
)

__all__ = [
    "Phase",
    "PublicItem",
    "Status",
    "StoryOfferPage",
    "Suggestion",
    "SuggestionPage",
    "UsefulComment",
    "UsefulCount",
    "YouSaidWeDidPage",
]
