"""Forms for stories in the editor, and for the storyteller's approval and withdrawal."""

from wagtail.admin.forms import WagtailAdminPageForm


class StoryPageForm(WagtailAdminPageForm):
    """Shows why a story cannot be published yet, without losing what the editor wrote.

    The same rule is enforced again in `StoryPage.publish`; checking it here turns it into a
    form error instead of a refusal after the fact.
    """

    def _post_clean(self):
        super()._post_clean()
        if not self.data.get("action-publish") or self.errors:
            return
        for problem in self.instance.consent_problems():
            self.add_error(None, problem)
