"""Admin screens of the stories app: themes for the editors, consent for the consent managers.

Consent records hold the storytellers' contact details. Their screens need the consent record
permissions (only the Toestemmingsbeheer role and administrators have them), and every look at
or change to a record is written to the audit log, as for intake records.
"""

import logging
from smtplib import SMTPException

import django_filters
from django import forms
from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.mail import send_mail
from django.core.validators import validate_email
from django.db.models import Prefetch
from django.shortcuts import get_object_or_404, redirect
from django.template.loader import render_to_string
from django.template.response import TemplateResponse
from django.urls import path, reverse
from django.utils import timezone
from django.utils.functional import cached_property
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, ngettext
from django.views.generic import TemplateView
from wagtail import hooks
from wagtail.admin import messages
from wagtail.admin.filters import DateRangePickerWidget, WagtailFilterSet
from wagtail.admin.forms import WagtailAdminModelForm
from wagtail.admin.menu import MenuItem
from wagtail.admin.panels import (
    FieldPanel,
    InlinePanel,
    MultiFieldPanel,
    ObjectList,
    PageChooserPanel,
)
from wagtail.admin.ui.tables import Column, DateColumn, TitleColumn
from wagtail.admin.views.generic import CreateView, DeleteView, EditView, IndexView, InspectView
from wagtail.admin.views.generic.base import WagtailAdminTemplateMixin
from wagtail.admin.viewsets.base import ViewSetGroup
from wagtail.admin.viewsets.model import ModelViewSet
from wagtail.admin.widgets import Button
from wagtail.models import Page
from wagtail.snippets.models import register_snippet
from wagtail.snippets.views.snippets import SnippetViewSet

from doorvertellen.models import AuditEntry
from doorvertellen.views import AuditedViewMixin
from verhalen.apps import take_pages_offline
from verhalen.models import (
    ConsentPage,
    ConsentRecord,
    ConsentText,
    StoryApproval,
    StoryPage,
    StoryTheme,
)
from verhalen.models.consent import APPROVAL_LINK_DAYS

logger = logging.getLogger(__name__)


class StoryThemeViewSet(SnippetViewSet):
    model = StoryTheme
    icon = "tag"
    menu_label = gettext_lazy("Thema's")
    menu_order = 210
    add_to_admin_menu = True
    list_display = ["name", "slug", "description"]
    search_fields = ["name", "description"]
    ordering = ["name"]


register_snippet(StoryThemeViewSet)


# --- Consent records ----------------------------------------------------------------------

STORY_PAGE_TYPES = ["verhalen.StoryPage", "verhalen.DocumentaryPage"]
SCOPES = [
    ("website", gettext_lazy("Website")),
    ("social", gettext_lazy("Sociale media")),
    ("print", gettext_lazy("Drukwerk")),
    ("video", gettext_lazy("Video")),
]


def can_manage_consent(user):
    return user.has_perm("verhalen.change_consentrecord")


def story_links(consent):
    """Each linked story with its newest approval question (the comment left unloaded).

    Uses the rows prefetched by the list, so a page of records costs a fixed number of queries.
    """
    approvals = list(consent.approvals.all())
    rows = []
    for link in consent.page_links.all():
        latest = next((a for a in approvals if a.page_id == link.page_id), None)
        rows.append({"page": link.page, "approval": latest})
    return rows


class ConsentRecordFilterSet(WagtailFilterSet):
    status = django_filters.ChoiceFilter(
        label=gettext_lazy("Status"),
        choices=ConsentRecord.Status.choices,
        method="filter_status",
        empty_label=gettext_lazy("Alle"),
    )
    scope = django_filters.ChoiceFilter(
        label=gettext_lazy("Mag staan op"),
        choices=SCOPES,
        method="filter_scope",
        empty_label=gettext_lazy("Alle"),
    )
    expires_on = django_filters.DateFromToRangeFilter(
        label=gettext_lazy("Geldig tot"), widget=DateRangePickerWidget
    )

    class Meta:
        model = ConsentRecord
        fields = []

    def filter_status(self, queryset, name, value):
        """Status is worked out from dates, so each choice is its own condition."""
        today = timezone.localdate()
        if value == ConsentRecord.Status.WITHDRAWN:
            return queryset.filter(withdrawn_at__isnull=False)
        open_records = queryset.filter(withdrawn_at__isnull=True)
        if value == ConsentRecord.Status.PENDING:
            return open_records.filter(given_at__isnull=True)
        if value == ConsentRecord.Status.EXPIRED:
            return open_records.filter(given_at__isnull=False, expires_on__lte=today)
        return queryset.in_force(today)

    def filter_scope(self, queryset, name, value):
        return queryset.filter(**{f"scope_{value}": True})


class ConsentRecordForm(WagtailAdminModelForm):
    """Kind messages for what a typo would break: the e-mail link and the end date."""

    def clean_contact_email(self):
        email = self.cleaned_data.get("contact_email", "").strip()
        if email:
            try:
                validate_email(email)
            except ValidationError:
                raise ValidationError(
                    _("Dit e-mailadres klopt niet. Kijk of er een @ en een punt in staan.")
                ) from None
        return email

    def clean_contact_phone(self):
        return self.cleaned_data.get("contact_phone", "").strip()

    def clean(self):
        cleaned_data = super().clean()
        given_at, expires_on = cleaned_data.get("given_at"), cleaned_data.get("expires_on")
        if given_at and expires_on and expires_on <= timezone.localdate(given_at):
            self.add_error(
                "expires_on",
                _("Deze datum ligt vóór de dag van de toestemming. Kies een latere datum."),
            )
        return cleaned_data


class StoryLinksColumn(Column):
    """The linked stories with the state of their newest approval question; never a comment."""

    cell_template_name = "verhalen/admin/consent_stories_cell.html"

    def get_value(self, instance):
        return story_links(instance)


class ConsentAuditMixin(AuditedViewMixin):
    audit_model = ConsentRecord


class ConsentIndexView(ConsentAuditMixin, IndexView):
    read_action = AuditEntry.Action.LIST

    def audit_detail(self, request):
        return f"page {request.GET.get('p', '1')[:10]}"

    def get_base_queryset(self):
        return (
            super()
            .get_base_queryset()
            .select_related("text_version")
            .prefetch_related(
                Prefetch("page_links", queryset=ConsentPage.objects.select_related("page")),
                Prefetch(
                    "approvals",
                    queryset=StoryApproval.objects.defer("comment").order_by("-created_at"),
                ),
            )
        )

    def get_list_more_buttons(self, instance):
        buttons = list(super().get_list_more_buttons(instance))
        if can_manage_consent(self.request.user):
            buttons.append(
                Button(
                    _("Vraag akkoord aan verteller"),
                    url=reverse("consent_records:request_approval", args=[instance.pk]),
                    icon_name="mail",
                    priority=25,
                )
            )
        return buttons


class ConsentCreateView(ConsentAuditMixin, CreateView):
    write_action = AuditEntry.Action.CREATE

    def save_instance(self):
        self.form.instance.recorded_by = self.request.user
        return super().save_instance()


class ConsentEditView(ConsentAuditMixin, EditView):
    def save_instance(self):
        """A withdrawal or end date entered here (say, after a phone call) works at once."""
        consent = super().save_instance()
        if not consent.allows_website and consent.pages().filter(live=True).exists():
            reasons = {
                ConsentRecord.Status.WITHDRAWN: "withdrawn",
                ConsentRecord.Status.EXPIRED: "expired",
            }
            reason = reasons.get(consent.status, "website scope off")
            count = take_pages_offline(consent, reason=reason, request=self.request)
            messages.warning(
                self.request,
                ngettext(
                    "Deze toestemming geldt nu niet voor de website. "
                    "Het verhaal is offline gehaald.",
                    "Deze toestemming geldt nu niet voor de website. "
                    "%(count)s verhalen zijn offline gehaald.",
                    count,
                )
                % {"count": count},
            )
        return consent

    @cached_property
    def header_more_buttons(self):
        return [*super().header_more_buttons, request_approval_button(self.object)]


class ConsentDeleteView(ConsentAuditMixin, DeleteView):
    write_action = AuditEntry.Action.DELETE

    def delete_action(self):
        """No story stays online without its teller's consent record."""
        take_pages_offline(self.object, reason="erased", request=self.request)
        super().delete_action()


class ConsentInspectView(ConsentAuditMixin, InspectView):
    template_name = "verhalen/admin/consent_inspect.html"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        consent = self.object
        stories = []
        for link in consent.page_links.select_related("page"):
            page = link.page.specific
            latest = page.get_latest_revision_as_object()
            problems = latest.consent_problems() if hasattr(latest, "consent_problems") else []
            stories.append(
                {
                    "page": page,
                    "live": page.live,
                    "problems": problems,
                    "approvals": consent.approvals.filter(page=page).order_by("-created_at"),
                }
            )
        context.update(
            consent=consent,
            stories=stories,
            can_change=can_manage_consent(self.request.user),
        )
        return context

    @cached_property
    def header_more_buttons(self):
        return [*super().header_more_buttons, request_approval_button(self.object)]


def request_approval_button(consent):
    return Button(
        _("Vraag akkoord aan verteller"),
        url=reverse("consent_records:request_approval", args=[consent.pk]),
        icon_name="mail",
        priority=30,
    )


def approval_url(token):
    return settings.SITE_URL.rstrip("/") + reverse("verhalen:approval", args=[token])


class RequestApprovalView(WagtailAdminTemplateMixin, TemplateView):
    """Ask the storyteller to approve the newest version of each of their stories.

    The private links are shown once, on the answer to the POST, so the consent manager can
    pass them on by WhatsApp or on paper; only their hashes are stored. When the record has an
    e-mail address the links are also sent there, greeting the teller by display name only.
    """

    template_name = "verhalen/admin/request_approval.html"
    page_title = gettext_lazy("Vraag akkoord aan verteller")
    header_icon = "mail"

    def dispatch(self, request, pk):
        action = AuditEntry.Action.VIEW if request.method == "GET" else AuditEntry.Action.CHANGE
        if not can_manage_consent(request.user):
            AuditEntry.record(request, action, ConsentRecord, pk, result=AuditEntry.Result.DENIED)
            raise PermissionDenied
        self.consent = get_object_or_404(ConsentRecord, pk=pk)
        if request.method not in ("GET", "HEAD", "POST"):
            return self.http_method_not_allowed(request)
        if request.method != "POST":
            AuditEntry.record(request, action, ConsentRecord, pk, detail="approval request form")
        return super().dispatch(request, pk=pk)

    def get_page_subtitle(self):
        return self.consent.display_name

    def get_breadcrumbs_items(self):
        return [
            *self.breadcrumbs_items,
            {"url": reverse("consent_records:index"), "label": _("Toestemmingen")},
            {
                "url": reverse("consent_records:inspect", args=[self.consent.pk]),
                "label": self.consent.display_name,
            },
            {"url": "", "label": self.get_page_title()},
        ]

    def stories(self):
        pages = [link.page.specific for link in self.consent.page_links.select_related("page")]
        return [page for page in pages if hasattr(page, "approval_hash")]

    def refusal(self):
        if self.consent.withdrawn_at:
            return _(
                "%(name)s heeft de toestemming ingetrokken. Je kunt geen akkoord meer vragen."
            ) % {"name": self.consent.display_name}
        if not self.stories():
            return _(
                "Er is nog geen verhaal gekoppeld aan deze toestemming. Koppel eerst een verhaal."
            )
        return ""

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context.update(
            consent=self.consent,
            stories=self.stories(),
            refusal=self.refusal(),
            days=APPROVAL_LINK_DAYS,
        )
        return context

    def post(self, request, pk):
        refusal = self.refusal()
        if refusal:
            messages.error(request, refusal)
            return self.render_to_response(self.get_context_data(), status=400)
        links = []
        for page in self.stories():
            revision = page.get_latest_revision() or page.save_revision(user=request.user)
            _approval, token = StoryApproval.create_for(
                self.consent, page, revision, user=request.user
            )
            links.append({"title": page.title, "url": approval_url(token)})
        mailed = self.send_links(links)
        AuditEntry.record(
            request,
            AuditEntry.Action.CHANGE,
            ConsentRecord,
            pk,
            detail=f"approval requested: {len(links)} pages, mail {'sent' if mailed else 'no'}",
        )
        response = TemplateResponse(
            request,
            "verhalen/admin/approval_links.html",
            {**self.get_context_data(), "links": links, "mailed": mailed},
        )
        response["Cache-Control"] = "no-store, private"
        return response

    def send_links(self, links):
        """E-mail the links when there is an address; say kindly when that failed."""
        address = self.consent.contact_email.strip()
        if not address:
            return False
        body = render_to_string(
            "verhalen/admin/approval_request_email.txt",
            {
                "name": self.consent.display_name,
                "urls": [link["url"] for link in links],
                "days": APPROVAL_LINK_DAYS,
            },
        )
        try:
            send_mail(
                _("Je verhaal staat klaar om te lezen"),
                body,
                settings.DEFAULT_FROM_EMAIL,
                [address],
            )
        except (SMTPException, OSError):
            logger.exception("Approval request mail for consent %s failed", self.consent.pk)
            messages.warning(
                self.request,
                _(
                    "De e-mail kon niet worden verstuurd. "
                    "Geef de link op een andere manier door, bijvoorbeeld via WhatsApp."
                ),
            )
            return False
        return True


class ConsentRecordViewSet(ModelViewSet):
    model = ConsentRecord
    icon = "clipboard-list"
    menu_label = gettext_lazy("Toestemmingen")
    menu_order = 100
    name = "consent_records"
    url_prefix = "toestemmingen"
    add_to_reference_index = False  # page usage screens must not list consent records
    copy_view_enabled = False  # a copy would duplicate a person's contact details
    inspect_view_enabled = True
    index_view_class = ConsentIndexView
    add_view_class = ConsentCreateView
    edit_view_class = ConsentEditView
    delete_view_class = ConsentDeleteView
    inspect_view_class = ConsentInspectView
    search_fields = ["display_name"]
    search_backend_name = None
    filterset_class = ConsentRecordFilterSet
    list_per_page = 50
    ordering = ["expires_on", "pk"]
    list_display = [
        TitleColumn(
            "display_name",
            label=gettext_lazy("Naam op de site"),
            url_name="consent_records:inspect",
            sort_key="display_name",
        ),
        Column("status", label=gettext_lazy("Status"), accessor="get_status_display"),
        Column("scopes", label=gettext_lazy("Mag staan op"), accessor="scopes_display"),
        DateColumn("expires_on", label=gettext_lazy("Geldig tot"), sort_key="expires_on"),
        StoryLinksColumn("stories", label=gettext_lazy("Verhalen en akkoord")),
    ]
    edit_handler = ObjectList(
        [
            MultiFieldPanel(
                [FieldPanel("display_name"), FieldPanel("naming")],
                heading=gettext_lazy("Wie en hoe genoemd"),
            ),
            MultiFieldPanel(
                [
                    FieldPanel("scope_website"),
                    FieldPanel("scope_social"),
                    FieldPanel("scope_print"),
                    FieldPanel("scope_video"),
                    FieldPanel("photo_allowed"),
                    FieldPanel("city_shown"),
                ],
                heading=gettext_lazy("Waar mag het verhaal staan"),
            ),
            MultiFieldPanel(
                [
                    FieldPanel("given_at"),
                    FieldPanel("expires_on"),
                    FieldPanel("text_version"),
                    FieldPanel(
                        "withdrawn_at",
                        help_text=gettext_lazy(
                            "Vul dit in als de verteller de toestemming intrekt, bijvoorbeeld aan "
                            "de telefoon. Het verhaal gaat dan meteen offline."
                        ),
                    ),
                ],
                heading=gettext_lazy("Geldigheid"),
            ),
            MultiFieldPanel(
                [
                    FieldPanel("contact_name", widget=forms.TextInput),
                    FieldPanel("contact_email", widget=forms.EmailInput),
                    FieldPanel("contact_phone", widget=forms.TextInput(attrs={"type": "tel"})),
                ],
                heading=gettext_lazy("Contactgegevens"),
                help_text=gettext_lazy(
                    "Alleen voor contact met de verteller. Alleen toestemmingsbeheer ziet dit."
                ),
            ),
            InlinePanel(
                "page_links",
                heading=gettext_lazy("Verhalen"),
                label=gettext_lazy("Verhaal"),
                panels=[PageChooserPanel("page", page_type=STORY_PAGE_TYPES)],
            ),
        ],
        base_form_class=ConsentRecordForm,
    )

    def get_urlpatterns(self):
        return [
            *super().get_urlpatterns(),
            path(
                "akkoord-vragen/<int:pk>/",
                RequestApprovalView.as_view(),
                name="request_approval",
            ),
        ]


# --- Consent texts ------------------------------------------------------------------------


class ConsentTextForm(WagtailAdminModelForm):
    def clean(self):
        """Records point to the exact text a teller agreed to, so a used text stays as it is."""
        cleaned_data = super().clean()
        used = self.instance.pk and self.instance.records.exists()
        if used and {"version", "text"} & set(self.changed_data):
            raise ValidationError(
                _(
                    "Deze tekst is al gebruikt in een toestemming. Verander hem niet, "
                    "maar maak een nieuwe versie."
                )
            )
        return cleaned_data


class ConsentTextViewSet(ModelViewSet):
    model = ConsentText
    icon = "doc-full"
    menu_label = gettext_lazy("Toestemmingsteksten")
    menu_order = 110
    name = "consent_texts"
    url_prefix = "toestemmingsteksten"
    add_to_reference_index = False
    copy_view_enabled = False
    inspect_view_enabled = True
    inspect_view_fields = ["version", "text", "created_at"]
    list_display = [
        TitleColumn(
            "version",
            label=gettext_lazy("Versie"),
            url_name="consent_texts:edit",
            sort_key="version",
        ),
        DateColumn("created_at", label=gettext_lazy("Gemaakt op"), sort_key="created_at"),
    ]
    ordering = ["-created_at"]
    edit_handler = ObjectList(
        [FieldPanel("version"), FieldPanel("text")], base_form_class=ConsentTextForm
    )


class ConsentViewSetGroup(ViewSetGroup):
    menu_label = gettext_lazy("Toestemmingen")
    menu_icon = "clipboard-list"
    menu_order = 160
    items = (ConsentRecordViewSet, ConsentTextViewSet)


@hooks.register("register_admin_viewset")
def register_consent_viewsets():
    return ConsentViewSetGroup()


# --- Videos for mini-documentaries -------------------------------------------------------------


class VideoViewSet(SnippetViewSet):
    """The editors' videos. A snippet, so DocumentaryPage's video field gets a chooser.

    The form has file fields, so Wagtail's form is sent as multipart; Video.clean checks the
    file's real type, its size and its captions before anything is saved.
    """

    icon = "media"
    menu_label = gettext_lazy("Video's")
    menu_order = 220
    add_to_admin_menu = True
    url_prefix = "videos"
    list_display = [
        "title",
        Column("duration", label=gettext_lazy("Duur"), accessor="duration_display"),
        Column("captions", label=gettext_lazy("Ondertiteling"), accessor="captions_status"),
    ]
    search_fields = ["title"]
    ordering = ["title"]
    panels = [
        FieldPanel("title"),
        MultiFieldPanel(
            [FieldPanel("file"), FieldPanel("captions"), FieldPanel("duration_seconds")],
            heading=gettext_lazy("Video op deze website (aanbevolen)"),
        ),
        FieldPanel("external_url"),
        FieldPanel("poster"),
    ]


register_snippet("verhalen.models.Video", viewset=VideoViewSet)


# --- Share counts ("Gedeelde verhalen", a report: aggregates only) ---------------------------


class ShareReportMenuItem(MenuItem):
    def is_shown(self, request):
        return request.user.has_perm("verhalen.view_sharecount")


@hooks.register("register_admin_urls")
def register_share_report_urls():
    from verhalen.sharing import ShareReportView

    return [
        path(
            "rapporten/gedeelde-verhalen/", ShareReportView.as_view(), name="verhalen_share_report"
        ),
        path(
            "rapporten/gedeelde-verhalen/resultaten/",
            ShareReportView.as_view(results_only=True),
            name="verhalen_share_report_results",
        ),
    ]


@hooks.register("register_reports_menu_item")
def register_share_report_menu_item():
    return ShareReportMenuItem(
        gettext_lazy("Gedeelde verhalen"),
        reverse("verhalen_share_report"),
        name="gedeelde-verhalen",
        icon_name="link",
        order=150,
    )


# --- Bulk publishing -------------------------------------------------------------------------


def bulk_publish_refusals(objects, include_descendants):
    """Titles and reasons of the stories in a bulk publish that consent does not allow."""
    candidates = list(objects)
    if include_descendants:
        for page in objects:
            candidates += list(page.get_descendants().not_live().type(StoryPage))
    refusals = []
    seen = set()
    for page in candidates:
        if page.pk in seen or not issubclass(page.specific_class or Page, StoryPage):
            continue
        seen.add(page.pk)
        content = page.specific.get_latest_revision_as_object()
        problems = content.consent_problems()
        if problems:
            refusals.append((content.title, problems[0]))
    return refusals


@hooks.register("before_bulk_action")
def refuse_bulk_publish_without_consent(request, action_type, objects, action_class_instance):
    """Bulk publishing goes past the editor's form; check consent here and publish nothing
    rather than some, with the reason per story (the model would refuse with a bare 403)."""
    if action_type != "publish":
        return None
    form = getattr(action_class_instance, "cleaned_form", None)
    include_descendants = bool(form and form.cleaned_data.get("include_descendants"))
    refusals = bulk_publish_refusals(objects, include_descendants)
    if not refusals:
        return None
    messages.error(
        request,
        _(
            "Er is niets gepubliceerd. Deze verhalen mogen nog niet online: %(stories)s. "
            "Publiceer ze één voor één als de toestemming en het akkoord in orde zijn."
        )
        % {"stories": "; ".join(f"{title} ({problem})" for title, problem in refusals)},
    )
    return redirect(action_class_instance.next_url)


# --- The coming end of a consent, in the page editor ------------------------------------------


def coming_expiries(page, today=None):
    """Consents of this page in force that end within the warning period, soonest first."""
    from datetime import timedelta

    today = today or timezone.localdate()
    horizon = today + timedelta(days=settings.CONSENT_EXPIRY_WARNING_DAYS)
    return list(
        ConsentRecord.objects.in_force(today)
        .filter(page_links__page_id=page.pk, expires_on__lte=horizon)
        .order_by("expires_on", "pk")
        .distinct()
    )


@hooks.register("before_edit_page")
def show_coming_expiry(request, page):
    """Editors see in the editor itself that a story will go offline soon, not only by mail.

    Names only the teller's name on the site and the date: nothing an editor may not see.
    """
    if request.method != "GET" or not issubclass(page.specific_class or Page, StoryPage):
        return None
    for consent in coming_expiries(page):
        messages.warning(
            request,
            _(
                "Let op: de toestemming van %(name)s loopt af op %(date)s. Op die dag gaat "
                "deze pagina automatisch offline. Wil de verteller verlengen? Vraag de "
                "toestemmingsbeheerder om dat vast te leggen."
            )
            % {"name": consent.display_name, "date": consent.expires_on.strftime("%d-%m-%Y")},
        )
    return None
