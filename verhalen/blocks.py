"""Blocks that bring a story onto other pages (home, campaign landing pages).

A quote is part of the story it comes from: it is only shown while that story is live and
every person in it allows the place where it appears. So a withdrawn or expired consent
removes the quote everywhere at once, without an editor touching those pages.
"""

from django.utils.translation import gettext_lazy as _
from wagtail import blocks


class StoryQuoteBlock(blocks.StructBlock):
    story = blocks.PageChooserBlock(
        label=_("verhaal"),
        page_type=["verhalen.StoryPage", "verhalen.DocumentaryPage"],
        help_text=_("Het citaat en de naam komen uit het verhaal zelf."),
    )
    show_link = blocks.BooleanBlock(
        label=_("link naar het hele verhaal"), required=False, default=True
    )

    # Where the quote appears; a print page would pass "print".
    scope = "website"

    class Meta:
        icon = "openquote"
        label = _("Citaat uit een verhaal")
        template = "components/blocks/story_quote_block.html"

    def get_context(self, value, parent_context=None):
        context = super().get_context(value, parent_context=parent_context)
        story = value.get("story")
        if story is not None:
            story = story.specific
        allowed = story is not None and story.live and story.consent_allows(self.scope)
        context["story"] = story if allowed else None
        return context


def prefetch_stories(stream_value, rendition_specs, locale_id=None):
    """Fetch every story that the quote and card blocks of a StreamField point to at once:
    the pages with their photos and renditions, and the consents the blocks check. On a page
    in another language (`locale_id`), each story is replaced by its live translation where
    there is one, so an English page quotes and links to the English story.

    Without this each block costs four queries; a landing page with four stories would cost
    sixteen more than one without.
    """
    from django.db.models import Prefetch
    from wagtail.images import get_image_model

    from doorvertellen.languages import localized_pages
    from verhalen.models import ConsentPage, StoryPage

    blocks = [
        block
        for block in stream_value
        if isinstance(block.block, StoryQuoteBlock) and block.value.get("story") is not None
    ]
    ids = {block.value["story"].pk for block in blocks}
    if not ids:
        return
    Image = get_image_model()

    def with_photos(stories):
        return (
            stories.specific()
            .select_related("photo")
            .prefetch_related(
                Prefetch("photo", queryset=Image.objects.prefetch_renditions(*rendition_specs))
            )
        )

    stories = {story.pk: story for story in with_photos(StoryPage.objects.filter(pk__in=ids))}
    if locale_id is not None:
        shown = localized_pages(
            stories.values(), locale_id, queryset=with_photos(StoryPage.objects)
        )
        stories = dict(zip(stories, shown, strict=True))
    consents = {}
    shown_ids = {story.pk for story in stories.values()}
    for link in ConsentPage.objects.filter(page_id__in=shown_ids).select_related("consent"):
        consents.setdefault(link.page_id, []).append(link.consent)
    for story in stories.values():
        story.prefetched_consents = consents.get(story.pk, [])
    for block in blocks:
        block.value["story"] = stories.get(block.value["story"].pk, block.value["story"])
