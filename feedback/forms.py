"""Public forms of the former clients' voice.

They build on `doorvertellen.forms.PublicForm` (honeypot, signed render time, UTF-8 check), so
a bot's submission looks accepted but is never stored, and every field has a length limit.
"""

import re
import uuid

from django import forms
from django.db import transaction
from django.utils.translation import gettext_lazy as _

from doorvertellen.forms import PublicForm, clean_phone_number
from feedback.models import Phase, Suggestion

SUGGESTION_TEXT_MAX = 2000


class SuggestionForm(PublicForm):
    """Denk mee: what happened in which phase, and what would be better.

    Contact details are optional: a suggestion is just as welcome anonymously. They are only
    asked so the coordinator can tell the person what became of it.
    """

    phase = forms.ChoiceField(
        label=_("Over welk deel van de hulp gaat het?"),
        choices=Phase.choices,
        widget=forms.RadioSelect,
        error_messages={
            "required": _("Kies over welk deel van de hulp je voorstel gaat."),
            "invalid_choice": _("Kies over welk deel van de hulp je voorstel gaat."),
        },
    )
    what_happened = forms.CharField(
        label=_("Wat gebeurde er?"),
        max_length=SUGGESTION_TEXT_MAX,
        help_text=_(
            "Vertel het in je eigen woorden. Schrijf hier geen BSN, bankrekening of "
            "gegevens over je gezondheid."
        ),
        error_messages={
            "required": _("Vertel kort wat er gebeurde."),
            "max_length": _("Je tekst is te lang. Gebruik hoogstens 2000 tekens."),
        },
        widget=forms.Textarea(attrs={"rows": 5}),
    )
    what_better = forms.CharField(
        label=_("Wat kan er beter?"),
        max_length=SUGGESTION_TEXT_MAX,
        help_text=_("Wat had jou geholpen? Een paar zinnen is genoeg."),
        error_messages={
            "required": _("Vertel kort wat er beter kan."),
            "max_length": _("Je tekst is te lang. Gebruik hoogstens 2000 tekens."),
        },
        widget=forms.Textarea(attrs={"rows": 5}),
    )
    contact_name = forms.CharField(
        label=_("Je naam of een bijnaam"),
        required=False,
        max_length=100,
        error_messages={"max_length": _("Je naam is te lang. Gebruik hoogstens 100 tekens.")},
        widget=forms.TextInput(attrs={"autocomplete": "name"}),
    )
    contact_email = forms.EmailField(
        label=_("Je e-mailadres"),
        required=False,
        max_length=254,
        error_messages={"invalid": _("Vul een e-mailadres in zoals naam@voorbeeld.nl.")},
        widget=forms.EmailInput(attrs={"autocomplete": "email"}),
    )
    contact_phone = forms.CharField(
        label=_("Je telefoonnummer"),
        required=False,
        max_length=30,
        help_text=_("Bijvoorbeeld 06 12345678."),
        widget=forms.TextInput(attrs={"type": "tel", "autocomplete": "tel", "inputmode": "tel"}),
    )
    wants_panel = forms.BooleanField(
        label=_("Ik wil meedenken in een panel van ervaringsdeskundigen"),
        required=False,
    )
    wants_ambassador = forms.BooleanField(
        label=_("Ik wil mijn verhaal vertellen als verhalenambassadeur"),
        required=False,
    )

    # Sent along so a second press on "send" stores the same suggestion once.
    token = forms.UUIDField(required=False, widget=forms.HiddenInput)

    field_order = [
        "phase",
        "what_happened",
        "what_better",
        "contact_name",
        "contact_email",
        "contact_phone",
        "wants_panel",
        "wants_ambassador",
    ]

    def __init__(self, *args, request=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.request = request
        if not self.is_bound:
            self.initial["token"] = uuid.uuid4()

    def clean_what_happened(self):
        return self._required_text("what_happened", _("Vertel kort wat er gebeurde."))

    def clean_what_better(self):
        return self._required_text("what_better", _("Vertel kort wat er beter kan."))

    def _required_text(self, name, message):
        # CharField strips already; this also refuses text that is only invisible characters.
        value = self.cleaned_data[name]
        if not re.sub(r"[\s\u200b-\u200d\u2060\ufeff]", "", value):
            raise forms.ValidationError(message, code="required")
        return value

    def clean_contact_phone(self):
        return clean_phone_number(self.cleaned_data["contact_phone"])

    def clean(self):
        cleaned = super().clean()
        wants_contact = cleaned.get("wants_panel") or cleaned.get("wants_ambassador")
        reachable = cleaned.get("contact_email") or cleaned.get("contact_phone")
        if (
            wants_contact
            and not reachable
            and not (self.has_error("contact_email") or self.has_error("contact_phone"))
        ):
            self.add_error(
                "contact_email",
                forms.ValidationError(
                    _(
                        "Wil je meedenken of je verhaal vertellen? Vul dan je e-mailadres of "
                        "telefoonnummer in. Anders kunnen we je niet bereiken."
                    ),
                    code="contact_required",
                ),
            )
        return cleaned

    @property
    def has_contact(self):
        data = getattr(self, "cleaned_data", {})
        return bool(data.get("contact_email") or data.get("contact_phone"))

    def save(self):
        """Store the suggestion once, however often the same form is sent."""
        self.stored_new = False
        if self.is_spam:
            return None
        data = self.cleaned_data
        return self.store_once(
            Suggestion,
            phase=data["phase"],
            what_happened=data["what_happened"],
            what_better=data["what_better"],
            contact_name=data["contact_name"],
            contact_email=data["contact_email"],
            contact_phone=data["contact_phone"],
            wants_panel=data["wants_panel"],
            wants_ambassador=data["wants_ambassador"],
            language=(getattr(self.request, "LANGUAGE_CODE", "nl") or "nl")[:10],
        )


# --- Deel je verhaal: offering a story ------------------------------------------------------

STORY_OFFER_TEXT_MAX = 3000
STORY_OFFER_DONE_SECONDS = 24 * 60 * 60

# Recorded with an offer when no consent text exists yet, so the record still says what the
# storyteller agreed to. Never changed: a different text needs a new version.
STORY_OFFER_CONSENT_VERSION = "aanbod"
STORY_OFFER_CONSENT_TEXT = (
    "Ik bied mijn verhaal aan. Jullie mogen contact met mij opnemen over mijn verhaal. "
    "Mijn verhaal komt pas online als ik de bewerkte versie heb gelezen en goedgekeurd. "
    "Ik kan altijd stoppen."
)


def first_sentence(text, limit=200):
    """The opening sentence, as a starting quote the editor will rewrite with the teller."""
    flat = " ".join(text.split())
    match = re.match(r"(.+?[.!?])(\s|$)", flat)
    sentence = match.group(1) if match else flat
    if len(sentence) > limit:
        sentence = sentence[: limit - 1].rstrip() + "\u2026"
    return sentence


def story_paragraphs(text):
    """The text as rich-text paragraphs: blank lines split them, single newlines are kept."""
    from django.utils.html import escape
    from wagtail.rich_text import RichText

    parts = [part.strip() for part in re.split(r"\n\s*\n", text.replace("\r\n", "\n"))]
    return [
        ("paragraph", RichText("<p>" + escape(part).replace("\n", "<br/>") + "</p>"))
        for part in parts
        if part
    ]


class StoryOfferForm(PublicForm):
    """Deel je verhaal: the story in a few words, a name for the site, and how to reach them.

    Nothing from it is ever published as it is: it becomes a draft story and a consent that is
    not given yet. The story only goes online after the teller has read and approved the edited
    version (see verhalen.models.pages.StoryPage.publish).
    """

    story = forms.CharField(
        label=_("Je verhaal"),
        max_length=STORY_OFFER_TEXT_MAX,
        help_text=_(
            "Vertel in je eigen woorden hoe het ging. Een paar zinnen is genoeg. Schrijf hier "
            "geen BSN, bankrekening of gegevens over je gezondheid."
        ),
        error_messages={
            "required": _("Vertel in een paar zinnen wat je wilt delen."),
            "max_length": _("Je verhaal is te lang. Gebruik hoogstens 3000 tekens."),
        },
        widget=forms.Textarea(attrs={"rows": 8}),
    )
    display_name = forms.CharField(
        label=_("Hoe wil je genoemd worden?"),
        max_length=40,
        help_text=_(
            "Je voornaam of een verzonnen naam (schuilnaam). Je achternaam zetten we nooit online."
        ),
        error_messages={
            "required": _("Vul een voornaam of een schuilnaam in."),
            "max_length": _("Deze naam is te lang. Gebruik hoogstens 40 tekens."),
        },
        widget=forms.TextInput(attrs={"autocomplete": "given-name"}),
    )
    phone = forms.CharField(
        label=_("Je telefoonnummer"),
        required=False,
        max_length=30,
        help_text=_(
            "Bijvoorbeeld 06 12345678. Liever e-mail? Vul dan hieronder je e-mailadres in."
        ),
        widget=forms.TextInput(attrs={"type": "tel", "autocomplete": "tel", "inputmode": "tel"}),
    )
    email = forms.EmailField(
        label=_("Je e-mailadres"),
        required=False,
        max_length=254,
        help_text=_("Vul je telefoonnummer of je e-mailadres in. Allebei mag ook."),
        error_messages={"invalid": _("Vul een e-mailadres in zoals naam@voorbeeld.nl.")},
        widget=forms.EmailInput(attrs={"autocomplete": "email"}),
    )
    contact_ok = forms.BooleanField(
        label=_("Ik vind het goed dat jullie contact met mij opnemen over mijn verhaal."),
        error_messages={
            "required": _(
                "Zet een vinkje als we contact met je mogen opnemen. Zonder contact kunnen we "
                "je verhaal niet samen met jou maken."
            )
        },
    )

    # Sent along so a second press on "send" stores the offer once.
    token = forms.UUIDField(required=False, widget=forms.HiddenInput)

    field_order = ["story", "display_name", "phone", "email", "contact_ok"]

    def __init__(self, *args, request=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.request = request
        # One of the two is required (see clean), so neither is marked optional.
        self.fields["phone"].marked_optional = False
        self.fields["email"].marked_optional = False
        if not self.is_bound:
            self.initial["token"] = uuid.uuid4()

    def clean_story(self):
        value = self.cleaned_data["story"]
        if not re.sub(r"[\s\u200b-\u200d\u2060\ufeff]", "", value):
            raise forms.ValidationError(
                _("Vertel in een paar zinnen wat je wilt delen."), code="required"
            )
        return value

    def clean_display_name(self):
        value = " ".join(self.cleaned_data["display_name"].split())
        if not re.sub(r"[\u200b-\u200d\u2060\ufeff]", "", value):
            raise forms.ValidationError(
                _("Vul een voornaam of een schuilnaam in."), code="required"
            )
        return value

    def clean_phone(self):
        return clean_phone_number(self.cleaned_data["phone"])

    def clean(self):
        cleaned = super().clean()
        if (
            not cleaned.get("phone")
            and not cleaned.get("email")
            and not (self.has_error("phone") or self.has_error("email"))
        ):
            self.add_error(
                "phone",
                forms.ValidationError(
                    _("Vul je telefoonnummer of je e-mailadres in. Dan kunnen we je bereiken."),
                    code="contact_required",
                ),
            )
        return cleaned

    def save(self, page):
        """Turn the offer into a draft story with a pending consent, once per token.

        Returns the draft StoryPage (or None for a bot). `stored_new` says whether this call
        stored it; a second press on "send" finds the first draft by the token in its slug.
        """
        from datetime import timedelta

        from django.core.cache import cache
        from django.utils import timezone
        from wagtail.search import index

        from doorvertellen.models import AuditEntry
        from verhalen.models import (
            ConsentPage,
            ConsentRecord,
            ConsentText,
            StoryIndexPage,
            StoryPage,
        )

        self.stored_new = False
        if self.is_spam:
            return None
        data = self.cleaned_data
        token = data.get("token") or uuid.uuid4()
        slug = f"aanbod-{token.hex}"
        existing = StoryPage.objects.filter(slug=slug).first()
        if existing is not None:
            return existing
        # Two presses at the same moment: only the first one goes on.
        if not cache.add(f"feedback:story-offer:{token.hex}", 1, STORY_OFFER_DONE_SECONDS):
            return None
        parent = page.story_index or StoryIndexPage.objects.first()
        if parent is None:
            cache.delete(f"feedback:story-offer:{token.hex}")
            raise StoryOfferNotPossible("There is no story index to put the draft under.")
        text = data["story"]
        name = data["display_name"]
        try:
            with transaction.atomic():
                story = StoryPage(
                    title=_("Aanbod: %(name)s") % {"name": name},
                    slug=slug,
                    live=False,
                    display_name=name,
                    quote=first_sentence(text),
                    summary=text[:600],
                    body=story_paragraphs(text),
                )
                parent.specific.add_child(instance=story)
                story.save_revision(clean=False)
                # A draft never belongs in the public search index.
                index.remove_object(story)
                text_version = (
                    page.consent_text
                    or ConsentText.objects.order_by("-created_at", "-pk").first()
                    or ConsentText.objects.get_or_create(
                        version=STORY_OFFER_CONSENT_VERSION,
                        defaults={"text": STORY_OFFER_CONSENT_TEXT},
                    )[0]
                )
                consent = ConsentRecord.objects.create(
                    display_name=name,
                    naming=ConsentRecord.Naming.FIRST_NAME,
                    scope_website=True,
                    scope_social=False,
                    scope_print=False,
                    scope_video=False,
                    photo_allowed=False,
                    city_shown=False,
                    given_at=None,
                    expires_on=timezone.localdate() + timedelta(days=365),
                    text_version=text_version,
                    contact_email=data["email"],
                    contact_phone=data["phone"],
                )
                ConsentPage.objects.create(consent=consent, page=story)
                AuditEntry.record(
                    self.request,
                    AuditEntry.Action.CREATE,
                    ConsentRecord,
                    consent.pk,
                    detail="story offer",
                )
                transaction.on_commit(lambda: notify_story_offer(story))
        except Exception:
            cache.delete(f"feedback:story-offer:{token.hex}")
            raise
        self.stored_new = True
        return story


class StoryOfferNotPossible(Exception):
    """The site has no story index yet: an offer cannot be kept (a set-up mistake)."""


def notify_story_offer(story):
    """Tell editors and consent managers, with a link only: mail leaves our servers, so it
    names no one and holds no part of the story or any contact detail."""
    from django.utils.translation import gettext

    from doorvertellen.roles import COMMUNICATIONS, CONSENT_MANAGER
    from verhalen.consent import admin_edit_url, send, staff_emails

    return send(
        gettext("Er is een nieuw verhaal aangeboden"),
        gettext(
            "Er is een nieuw verhaal aangeboden.\n\nJe vindt het als concept in de "
            "beheeromgeving:\n%(url)s"
        )
        % {"url": admin_edit_url(story)},
        staff_emails([COMMUNICATIONS, CONSENT_MANAGER]),
    )


# --- Had je hier iets aan? --------------------------------------------------------------------

USEFUL_COMMENT_MAX = 500


class UsefulForm(PublicForm):
    """Yes or no, with an optional short comment. Sent without a cookie, so a page with this
    form can be cached: the honeypot and signed render time stand in for the CSRF token."""

    answer = forms.ChoiceField(choices=[("ja", _("Ja")), ("nee", _("Nee"))])
    comment = forms.CharField(required=False, max_length=USEFUL_COMMENT_MAX)

    def __init__(self, *args, request=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.request = request

    @property
    def useful(self):
        return self.cleaned_data["answer"] == "ja"
