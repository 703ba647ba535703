"""Staff who try to publish a story that may not go live are told why, on the story itself."""

from django.contrib import messages
from django.shortcuts import redirect
from django.urls import reverse
from wagtail.admin.modal_workflow import render_modal_workflow

from verhalen.models.pages import PublishRefused


class PublishRefusedMiddleware:
    """StoryPage.publish refuses a story without consent or approval, whichever way it is
    published. The editor's own form shows the problems first; a moderator who approved it in
    a workflow was told they had no access. Wagtail rolls the approval back, so nothing has
    changed: this sends them to the story's edit page with the problems as a message.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        return self.get_response(request)

    def process_exception(self, request, exception):
        if not isinstance(exception, PublishRefused) or not request.user.is_authenticated:
            return None
        messages.error(request, " ".join(exception.problems))
        url = reverse("wagtailadmin_pages:edit", args=[exception.page_id])
        if request.headers.get("x-requested-with") == "XMLHttpRequest":
            # A workflow action's dialog: it follows this address (with the message) itself.
            return render_modal_workflow(
                request, "", None, {}, json_data={"step": "success", "redirect": url}
            )
        return redirect(url)
