from verhalen.models.consent import ConsentPage, ConsentRecord, ConsentText, StoryApproval
from verhalen.models.media import Video
from verhalen.models.pages import (
    DocumentaryPage,
    RelatedStory,
    StoryIndexPage,
    StoryPage,
    StoryTheme,
    TaggedStory,
)
from verhalen.models.sharing import ShareChannel, ShareCount

__all__ = [
    "ConsentPage",
    "ConsentRecord",
    "ConsentText",
    "DocumentaryPage",
    "RelatedStory",
    "ShareChannel",
    "ShareCount",
    "StoryApproval",
    "StoryIndexPage",
    "StoryPage",
    "StoryTheme",
    "TaggedStory",
    "Video",
]
