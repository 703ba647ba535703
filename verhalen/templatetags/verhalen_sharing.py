"""`{% story_sharing page as sharing %}`: what a story page may share and show.

A tag rather than page context, so any template that shows a story (the story page, the
documentary page, their share block) gets the same answer from one consent query per request.
"""

from django import template

from verhalen import sharing

register = template.Library()


@register.simple_tag(takes_context=True)
def story_sharing(context, page):
    return sharing.for_page(page, context.get("request"))
