"""Forms for stories in the editor, and for the storyteller's approval and withdrawal."""

from django import forms
from django.utils.translation import gettext_lazy as _
from wagtail.admin.forms.pages import CopyForm

from doorvertellen.forms import PublicForm
from doorvertellen.plain_language_admin import PlainLanguagePageForm

COMMENT_MAX_LENGTH = 2000


class StoryPageForm(PlainLanguagePageForm):
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


class StoryCopyForm(CopyForm):
    """Copying a story gives a new draft, never a live page or an alias.

    Consent and approval belong to one page: a copy has neither until the consent manager
    links the teller and the teller approves it. An alias would follow the original online
    without either, so it is not offered.
    """

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields.pop("publish_copies", None)
        self.fields.pop("alias", None)
        self.fields["new_title"].help_text = _(
            "De kopie wordt een concept. Online zetten kan pas met een toestemming en een "
            "akkoord van de verteller voor de kopie zelf."
        )


class ApprovalAnswerForm(PublicForm):
    """The storyteller's answer on the approval page: "yes, put it online" or "change this".

    The page shows one form per answer (each with its own ids); `answer` says which was sent.
    Only a change request needs words: that is the only way the editor learns what to change.
    """

    APPROVE = "approve"
    CHANGES = "changes"

    answer = forms.ChoiceField(
        choices=[(APPROVE, APPROVE), (CHANGES, CHANGES)], widget=forms.HiddenInput
    )
    comment = forms.CharField(
        label=_("Wat wil je veranderen?"),
        required=False,
        max_length=COMMENT_MAX_LENGTH,
        help_text=_(
            "Schrijf het in je eigen woorden. Bijvoorbeeld: welke zin niet klopt, of wat je "
            "liever niet online wilt. Je mag ook schrijven dat je ons wilt spreken."
        ),
        error_messages={
            "max_length": _(
                "Dit is te lang. Schrijf het korter, in hoogstens %(limit_value)d tekens. "
                "Of bel ons."
            )
        },
        widget=forms.Textarea(attrs={"rows": 6}),
    )

    def __init__(self, *args, request=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.request = request
        # Required for a change request only (see clean), so not marked as optional.
        self.fields["comment"].marked_optional = False

    def clean_comment(self):
        return self.cleaned_data["comment"].strip()

    def clean(self):
        cleaned = super().clean()
        wants_changes = cleaned.get("answer") == self.CHANGES
        if wants_changes and not cleaned.get("comment") and not self.has_error("comment"):
            self.add_error(
                "comment",
                forms.ValidationError(
                    _("Schrijf kort wat je anders wilt. Dan kunnen we het aanpassen."),
                    code="required",
                ),
            )
        return cleaned


class WithdrawalForm(PublicForm):
    """The second click of a withdrawal: only the button, and the checks every public form has.

    A mail program that opens the link to scan it only reads the page; it never sends this.
    """

    def __init__(self, *args, request=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.request = request
