"""Signals the core sends so that domain apps can react without the core importing them."""

from django.dispatch import Signal

# A step on the way to signing up: "cta_click" (arrived at the form from a page's call to
# action), "started" (first time a form was sent) or "submitted" (stored). Arguments: request,
# event, page_id (the page the resident came from, else the intake page), code (campaign code
# or ""), variant ("A", "B" or ""), variant_page_id (the landing page that showed that version,
# or None).
intake_event = Signal()

# An intake record reached a milestone on the route ("contacted", "first_meeting",
# "in_route_3m", "solution", "dropped_out", and "response_time" with the whole hours from sign-up
# to first contact as its detail), or a correction took it back (delta -1).
# Arguments: record, milestone, detail (a category), delta.
intake_milestone = Signal()

# A public page was served from the page cache (doorvertellen.page_cache) without running its
# view, so that apps which count views still count it. Arguments: request, page_id, page_type
# ("app_label.modelname"), variant ("A", "B" or "").
cached_page_served = Signal()
