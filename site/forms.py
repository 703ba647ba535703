"""Public forms.

Every public form inherits `PublicForm`: a honeypot and a signed render time make simple bots
give up without a third-party CAPTCHA, and every field has a length limit. A bot's submission
looks accepted but is not stored.
"""

import logging
import re
import time
import uuid

from django import forms
from django.conf import settings
from django.core import signing
from django.db import IntegrityError, models, transaction
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from wagtail.models import Page

from doorvertellen.models import IntakeRecord, OutsideAreaCount, ServiceSettings
from doorvertellen.models.intake import working_days_after

logger = logging.getLogger("doorvertellen.forms")

POSTCODE_RE = re.compile(r"^\s*([1-9]\d{3})\s*([A-Za-z]{2})\s*$")
PHONE_ALLOWED_RE = re.compile(r"^\+?[\d\s\-().]+$")


def clean_phone_number(value):
    """A phone number as a resident types it: spaces, dashes and a + are fine; 10 to 15
    digits. Empty stays empty (the form decides whether a number is needed)."""
    value = (value or "").strip()
    if not value:
        return ""
    digits = re.sub(r"\D", "", value)
    if not PHONE_ALLOWED_RE.match(value) or not 10 <= len(digits) <= 15:
        raise forms.ValidationError(
            _("Dit telefoonnummer klopt niet. Vul 10 cijfers in, bijvoorbeeld 06 12345678."),
            code="invalid",
        )
    return value


CAMPAIGN_CODE_RE = re.compile(r"^[A-Za-z0-9]{1,16}$")
# A landing-page version as links carry it: "A42" is version A of page 42. A bare "A" (links
# made before the page travelled along) belongs to the page the resident came from.
CAMPAIGN_VERSION_RE = re.compile(r"^([AB])([0-9]{1,10})?$")


def parse_campaign_version(value, via=None):
    """(letter, page id) from a version as links carry it, or ("", None)."""
    match = CAMPAIGN_VERSION_RE.match(str(value or "").strip().upper())
    if not match:
        return "", None
    letter, page = match.groups()
    page_id = int(page) if page else via
    if not page_id or not str(page_id).isdigit():
        return "", None
    return letter, int(page_id)


class PublicForm(forms.Form):
    # Humans never see this field (hidden with CSS and from screen readers); bots fill it.
    website = forms.CharField(required=False, max_length=200, label=_("Laat dit veld leeg"))
    rendered_at = forms.CharField(required=False, widget=forms.HiddenInput, max_length=200)

    signing_salt = "doorvertellen.public-form"

    def store_once(self, model, **values):
        """Create one row for this form's hidden token, however often (or however fast) the
        same form is sent; sets `stored_new` to whether this send stored it."""
        token = self.cleaned_data.get("token") or uuid.uuid4()
        self.stored_new = False
        existing = model.objects.filter(submission_token=token).first()
        if existing is not None:
            return existing
        try:
            with transaction.atomic():
                row = model.objects.create(submission_token=token, **values)
        except IntegrityError:
            # The same form arrived twice at once; the other request stored it.
            return model.objects.get(submission_token=token)
        self.stored_new = True
        return row

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["website"].widget.attrs.update(
            {"autocomplete": "off", "tabindex": "-1", "class": "hp-field"}
        )
        if not self.is_bound:
            self.initial["rendered_at"] = signing.dumps(time.time(), salt=self.signing_salt)
        self.is_spam = False

    def clean(self):
        cleaned = super().clean()
        if cleaned.get("website"):
            self._flag_spam("honeypot")
        stamp = cleaned.get("rendered_at") or ""
        try:
            rendered = signing.loads(
                stamp, salt=self.signing_salt, max_age=settings.PUBLIC_FORM_MAX_AGE
            )
        except signing.SignatureExpired as exc:
            raise forms.ValidationError(
                _(
                    "Dit formulier stond te lang open. Kijk je gegevens na en verstuur het "
                    "nog een keer."
                ),
                code="expired",
            ) from exc
        except signing.BadSignature:
            self._flag_spam("bad-timestamp")
        else:
            if time.time() - float(rendered) < settings.PUBLIC_FORM_MIN_SECONDS:
                self._flag_spam("too-fast")
        return cleaned

    def add_rate_limit_error(self):
        """Keep what the resident typed, and ask kindly to wait a moment."""
        logger.warning("Public form %s over the rate limit", type(self).__name__)
        self.add_error(
            None,
            forms.ValidationError(
                _(
                    "Dit formulier is vanaf jouw internetverbinding al vaak verstuurd. "
                    "Wacht tien minuten en probeer het dan nog een keer. Of bel ons."
                ),
                code="rate_limited",
            ),
        )

    def _flag_spam(self, reason):
        if not self.is_spam:
            logger.warning("Public form %s rejected as automated: %s", type(self).__name__, reason)
        self.is_spam = True


def normalise_postcode(value):
    match = POSTCODE_RE.match(value or "")
    if not match:
        return None
    return f"{match.group(1)} {match.group(2).upper()}"


class IntakeForm(PublicForm):
    name = forms.CharField(
        label=_("Je naam of een bijnaam"),
        max_length=100,
        help_text=_("Zo weten we hoe we je mogen noemen."),
        error_messages={"required": _("Vul je naam of een bijnaam in.")},
        widget=forms.TextInput(attrs={"autocomplete": "name"}),
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
    best_time = forms.ChoiceField(
        label=_("Wanneer kunnen we je het beste bellen?"),
        choices=IntakeRecord.BestTime.choices,
        initial=IntakeRecord.BestTime.ANY,
        widget=forms.RadioSelect,
        error_messages={"required": _("Kies wanneer we je het beste kunnen bellen.")},
    )
    message = forms.CharField(
        label=_("Wat is er aan de hand?"),
        required=False,
        max_length=2000,
        help_text=_(
            "Een paar woorden is genoeg. Schrijf hier geen BSN, bankrekening of "
            "gegevens over je gezondheid."
        ),
        widget=forms.Textarea(attrs={"rows": 4}),
    )
    postcode = forms.CharField(
        label=_("Je postcode"),
        max_length=10,
        help_text=_("Zo weten we of je in onze gemeente woont. Bijvoorbeeld 3311 AB."),
        error_messages={"required": _("Vul je postcode in, bijvoorbeeld 3311 AB.")},
        widget=forms.TextInput(attrs={"autocomplete": "postal-code", "size": 8}),
    )
    consent = forms.BooleanField(
        label=_("Ik vind het goed dat jullie contact met mij opnemen over mijn aanmelding."),
        error_messages={
            "required": _(
                "Zet een vinkje als we contact met je mogen opnemen. Anders kunnen we je "
                "niet bellen."
            )
        },
    )

    # Where the resident came from. Never an error: a wrong value is simply dropped.
    token = forms.UUIDField(required=False, widget=forms.HiddenInput)
    via = forms.CharField(required=False, widget=forms.HiddenInput, max_length=12)
    verhaal = forms.CharField(required=False, widget=forms.HiddenInput, max_length=12)
    c = forms.CharField(required=False, widget=forms.HiddenInput, max_length=32)
    v = forms.CharField(required=False, widget=forms.HiddenInput, max_length=12)

    field_order = ["name", "phone", "email", "best_time", "message", "postcode", "consent"]

    def __init__(self, *args, request=None, page=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.request = request
        self.page = page
        self.in_service_area = True
        self.service = ServiceSettings.for_request(request) if request else None
        # One of the two is required (see clean), so neither is marked optional.
        self.fields["phone"].marked_optional = False
        self.fields["email"].marked_optional = False
        if not self.is_bound:
            self.initial["token"] = uuid.uuid4()
            if request is not None:
                for key in ("via", "verhaal", "c", "v"):
                    value = request.GET.get(key, "")
                    if value and len(value) <= 32:
                        self.initial[key] = value

    def clean_phone(self):
        return clean_phone_number(self.cleaned_data["phone"])

    def clean_postcode(self):
        postcode = normalise_postcode(self.cleaned_data["postcode"])
        if postcode is None:
            raise forms.ValidationError(
                _("Deze postcode klopt niet. Vul 4 cijfers en 2 letters in, bijvoorbeeld 3311 AB."),
                code="invalid",
            )
        return postcode

    def clean_via(self):
        return self._live_page_id(self.cleaned_data.get("via"))

    def clean_verhaal(self):
        return self._live_page_id(self.cleaned_data.get("verhaal"), app_label="verhalen")

    def clean_v(self):
        """The version seen, as "A42"; dropped unless its page is a live landing page."""
        letter, page_id = parse_campaign_version(
            self.cleaned_data.get("v"), via=self.cleaned_data.get("via")
        )
        if not letter or self._live_page_id(page_id, app_label="campagnes") is None:
            return ""
        return f"{letter}{page_id}"

    def clean_c(self):
        value = (self.cleaned_data.get("c") or "").strip()
        return value.upper() if CAMPAIGN_CODE_RE.match(value) else ""

    @staticmethod
    def _live_page_id(value, app_label=None):
        if not value or not str(value).isdigit() or len(str(value)) > 10:
            return None
        pages = Page.objects.live().filter(pk=int(value))
        if app_label:
            pages = pages.filter(content_type__app_label=app_label)
        return int(value) if pages.exists() else None

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
        if cleaned.get("postcode") and self.service is not None:
            self.in_service_area = self.service.covers_postcode(cleaned["postcode"])
        return cleaned

    def source(self):
        """Where this resident came from, for the campaign counts (no person in it)."""
        data = self.cleaned_data if self.is_bound and hasattr(self, "cleaned_data") else {}
        if data:
            variant, variant_page_id = parse_campaign_version(data.get("v", ""))
            return {
                "page_id": data.get("via"),
                "code": data.get("c", ""),
                "variant": variant,
                "variant_page_id": variant_page_id,
            }
        initial = self.initial
        via = str(initial.get("via", ""))
        page_id = int(via) if via.isdigit() and len(via) <= 10 else None
        # Not checked against the database here: the campaigns app only counts a version of a
        # page it knows.
        variant, variant_page_id = parse_campaign_version(initial.get("v", ""), via=page_id)
        return {
            "page_id": page_id,
            "code": str(initial.get("c", "")),
            "variant": variant,
            "variant_page_id": variant_page_id,
        }

    def count_outside_area(self):
        """Count interest from outside the area; nothing of the person is kept."""
        if self.is_spam:
            return
        area = self.cleaned_data["postcode"][:4]
        today = timezone.localdate()
        with transaction.atomic():
            row, _created = OutsideAreaCount.objects.get_or_create(date=today, postcode_area=area)
            OutsideAreaCount.objects.filter(pk=row.pk).update(count=models.F("count") + 1)

    def save(self):
        """Store the sign-up once, however often the same form is sent."""
        self.stored_new = False
        if self.is_spam:
            return None
        data = self.cleaned_data
        variant, variant_page_id = parse_campaign_version(data.get("v", ""))
        record = self.store_once(
            IntakeRecord,
            name=data["name"],
            phone=data["phone"],
            email=data["email"],
            best_time=data["best_time"],
            message=data["message"],
            postcode=data["postcode"],
            consent_at=timezone.now(),
            language=getattr(self.request, "LANGUAGE_CODE", "nl") or "nl",
            source_page_id=data.get("via"),
            source_story_id=data.get("verhaal"),
            campaign_code=data.get("c", ""),
            campaign_variant=variant,
            campaign_page_id=variant_page_id,
            respond_by=working_days_after(
                timezone.now(),
                self.service.response_working_days if self.service else 2,
            ),
        )
        if not self.stored_new:
            return record
        from doorvertellen.tasks import notify_intake_team

        transaction.on_commit(lambda: notify_intake_team.enqueue(str(record.pk)))
        return record
