"""Public views of the core app, and the intake team's inbox in the admin."""

import base64
import csv
import json

import django_filters
import segno
from django.conf import settings
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect
from django.template.response import TemplateResponse
from django.urls import path, reverse
from django.utils import timezone
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.safestring import mark_safe
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_GET, require_POST
from django_otp import login as otp_login
from django_otp import user_has_device
from django_otp.plugins.otp_totp.models import TOTPDevice
from wagtail.admin import messages
from wagtail.admin.filters import WagtailFilterSet
from wagtail.admin.ui.tables import Column, DateColumn, TitleColumn
from wagtail.admin.views.generic import DeleteView, EditView, IndexView, InspectView
from wagtail.admin.viewsets.model import ModelViewSet
from wagtail.admin.widgets import HeaderButton
from wagtail.models import Page
from wagtail.permission_policies import ModelPermissionPolicy
from wagtail.permissions import register_permission_policy

from doorvertellen import languages
from doorvertellen.models import AuditEntry, IntakeRecord

SEARCH_QUERY_MAX_LENGTH = 100


def csrf_failure(request, reason=""):
    """A kind page when a form's security check fails (usually: it stood open too long)."""
    response = TemplateResponse(request, "403_csrf.html", status=403)
    response["Cache-Control"] = "no-store"
    return response


def page_not_found(request, exception=None):
    return TemplateResponse(request, "404.html", status=404)


def server_error(request):
    """Rendered without context processors or the database: they may be what failed."""
    from django.template import loader

    from doorvertellen.models import ServiceSettings

    # The quick exit must work here too: the field's default, not the (maybe failing) database.
    service = {"quick_exit_url": ServiceSettings._meta.get_field("quick_exit_url").default}
    return HttpResponse(loader.get_template("500.html").render({"service": service}), status=500)


@require_GET
def healthz(request):
    """For the load balancer: the app answers and its database too."""
    from django.db import connection

    with connection.cursor() as cursor:
        cursor.execute("SELECT 1")
    response = HttpResponse("ok", content_type="text/plain")
    response["Cache-Control"] = "no-store"
    return response


@require_GET
def search(request):
    query = request.GET.get("q", "").strip()[:SEARCH_QUERY_MAX_LENGTH]
    results = Page.objects.none()
    if query:
        # Pages in the language the visitor searches in (Dutch without a prefix).
        in_language = Page.objects.live().public().filter(locale_id=languages.active_locale_id())
        results = in_language.specific().search(query, operator="and")
    paginator = Paginator(results, 10)
    page = paginator.get_page(request.GET.get("pagina"))
    return TemplateResponse(request, "doorvertellen/search.html", {"query": query, "results": page})


# --- The intake team's inbox -------------------------------------------------------------


def neutralise_spreadsheet_value(value):
    """Stop a spreadsheet from running a resident's text as a formula (CSV injection)."""
    text = "" if value is None else str(value)
    if text and text[0] in ("=", "+", "-", "@", "\t", "\r"):
        return "'" + text
    return text


class AuditedViewMixin:
    """Write an audit entry for every look at, change to or refusal of personal data.

    GET is a look (`read_action`), a successful POST a change (`write_action`); a refusal is
    logged as denied. Entries name the object, never its contents.
    """

    audit_model = IntakeRecord  # which kind of personal data the entries are about
    read_action = AuditEntry.Action.VIEW
    write_action = AuditEntry.Action.CHANGE

    def dispatch(self, request, *args, **kwargs):
        pk = kwargs.get("pk")
        action = self.read_action if request.method in ("GET", "HEAD") else self.write_action
        try:
            response = super().dispatch(request, *args, **kwargs)
        except PermissionDenied:
            AuditEntry.record(
                request, action, self.audit_model, pk, result=AuditEntry.Result.DENIED
            )
            raise
        if response.status_code < 400 and (
            request.method in ("GET", "HEAD") or response.status_code in (301, 302, 303)
        ):
            # A new object has its key only after the save (create views).
            pk = pk or getattr(getattr(self, "object", None), "pk", None)
            AuditEntry.record(
                request, action, self.audit_model, pk, detail=self.audit_detail(request)
            )
        return response

    def audit_detail(self, request):
        return ""


def audit(request, action, pk=None, **kwargs):
    return AuditEntry.record(request, action, IntakeRecord, pk, **kwargs)


class IntakeIndexView(AuditedViewMixin, IndexView):
    read_action = AuditEntry.Action.LIST

    def audit_detail(self, request):
        return f"page {request.GET.get('p', '1')[:10]}"

    @property
    def header_buttons(self):
        buttons = list(super().header_buttons)
        if self.request.user.has_perm("doorvertellen.export_intakerecord"):
            query = self.request.GET.urlencode()
            suffix = f"?{query}" if query else ""
            buttons += [
                HeaderButton(
                    _("Exporteer CSV"),
                    url=self.url_for("export_csv") + suffix,
                    icon_name="download",
                ),
                HeaderButton(
                    _("Exporteer JSON"),
                    url=self.url_for("export_json") + suffix,
                    icon_name="download",
                ),
            ]
        return buttons

    def url_for(self, name):
        return reverse(f"intake_inbox:{name}")


class IntakeEditView(AuditedViewMixin, EditView):
    pass


class IntakeDeleteView(AuditedViewMixin, DeleteView):
    write_action = AuditEntry.Action.DELETE


class IntakeInspectView(AuditedViewMixin, InspectView):
    template_name = "doorvertellen/admin/intake_inspect.html"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["can_change"] = self.request.user.has_perm("doorvertellen.change_intakerecord")
        return context


class IntakeFilterSet(WagtailFilterSet):
    overdue = django_filters.BooleanFilter(
        label=gettext_lazy("Te laat (nog niet gebeld na de beloofde tijd)"),
        method="filter_overdue",
    )
    language = django_filters.ChoiceFilter(
        label=gettext_lazy("Taal van de aanmelding"), choices=settings.LANGUAGES
    )

    class Meta:
        model = IntakeRecord
        fields = {
            "status": ["exact"],
            "created_at": ["gte", "lte"],
            "best_time": ["exact"],
            "outcome": ["exact"],
        }

    def filter_overdue(self, queryset, name, value):
        overdue = {"contacted_at__isnull": True, "respond_by__lt": timezone.now()}
        if value is None:
            return queryset
        return queryset.filter(**overdue) if value else queryset.exclude(**overdue)


class IntakeInboxViewSet(ModelViewSet):
    model = IntakeRecord
    icon = "mail"
    menu_label = gettext_lazy("Aanmeldingen")
    menu_order = 150
    add_to_admin_menu = True
    name = "intake_inbox"
    url_prefix = "aanmeldingen"
    pk_path_converter = "uuid"
    # Page usage screens must not list sign-ups; and indexing one meant a task per sign-up
    # that loaded (and decrypted) the record again only to find the pages it came from.
    add_to_reference_index = False
    inspect_view_enabled = True
    inspect_view_fields = [
        "created_at",
        "name",
        "phone",
        "email",
        "best_time",
        "message",
        "postcode",
        "language",
        "status",
        "respond_by",
        "contacted_at",
        "handed_over_at",
        "first_meeting_on",
        "in_route_after_3_months",
        "outcome",
        "outcome_on",
        "dropout_reason",
        "campaign_code",
        "source_page",
        "source_story",
        "campaign_variant",
        "campaign_page",
    ]
    index_view_class = IntakeIndexView
    inspect_view_class = IntakeInspectView
    edit_view_class = IntakeEditView
    delete_view_class = IntakeDeleteView
    list_display = [
        # The title column: its link is the way from the list to a record.
        TitleColumn(
            "reference",
            label=gettext_lazy("Referentie"),
            accessor="reference",
            url_name="intake_inbox:inspect",
        ),
        DateColumn("created_at", label=gettext_lazy("Aangemeld op")),
        # Encrypted: shown, but not sortable (the database only holds ciphertext).
        Column("name", label=gettext_lazy("Naam of bijnaam"), accessor="name"),
        Column("status", label=gettext_lazy("Status"), accessor="get_status_display"),
        Column("respond_by", label=gettext_lazy("Terugbellen"), accessor="response_display"),
        "best_time",
        Column("language", label=gettext_lazy("Taal"), accessor="get_language_display"),
    ]
    list_per_page = 50
    ordering = ["-created_at"]
    form_fields = [
        "name",
        "phone",
        "email",
        "best_time",
        "message",
        "postcode",
        "first_meeting_on",
        "in_route_after_3_months",
        "outcome",
        "outcome_on",
        "dropout_reason",
    ]
    copy_view_enabled = False
    filterset_class = IntakeFilterSet

    def get_urlpatterns(self):
        return [
            *super().get_urlpatterns(),
            path("export/csv/", self.export_csv_view, name="export_csv"),
            path("export/json/", self.export_json_view, name="export_json"),
            path("mark/<uuid:pk>/<str:action>/", self.mark_view, name="mark"),
        ]

    def _check(self, request, permission, action, pk=None):
        if not request.user.has_perm(f"doorvertellen.{permission}_intakerecord"):
            audit(request, action, pk, result=AuditEntry.Result.DENIED)
            raise PermissionDenied

    def _export_queryset(self, request):
        records = IntakeRecord.objects.order_by("-created_at")
        status = request.GET.get("status")
        if status in IntakeRecord.Status.values:
            records = records.filter(status=status)
        return records

    def export_csv_view(self, request):
        self._check(request, "export", AuditEntry.Action.EXPORT)
        records = [record.as_export_dict() for record in self._export_queryset(request)]
        audit(request, AuditEntry.Action.EXPORT, detail=f"csv, {len(records)} records")
        response = HttpResponse(content_type="text/csv; charset=utf-8")
        response["Content-Disposition"] = 'attachment; filename="aanmeldingen.csv"'
        response["Cache-Control"] = "no-store, private"
        response.write("\ufeff")  # lets spreadsheet programs read UTF-8
        writer = csv.writer(response, delimiter=";")
        if records:
            writer.writerow(records[0].keys())
            for row in records:
                writer.writerow([neutralise_spreadsheet_value(v) for v in row.values()])
        return response

    def export_json_view(self, request):
        self._check(request, "export", AuditEntry.Action.EXPORT)
        records = [record.as_export_dict() for record in self._export_queryset(request)]
        audit(request, AuditEntry.Action.EXPORT, detail=f"json, {len(records)} records")
        response = HttpResponse(
            json.dumps(
                {"aanmeldingen": records, "gemaakt_op": timezone.now().isoformat()},
                ensure_ascii=False,
                indent=2,
            ),
            content_type="application/json; charset=utf-8",
        )
        response["Content-Disposition"] = 'attachment; filename="aanmeldingen.json"'
        response["Cache-Control"] = "no-store, private"
        return response

    def mark_view(self, request, pk, action):
        return _mark(request, pk, action)


@require_POST
def _mark(request, pk, action):
    if not request.user.has_perm("doorvertellen.change_intakerecord"):
        audit(request, AuditEntry.Action.CHANGE, pk, result=AuditEntry.Result.DENIED)
        raise PermissionDenied
    if action not in ("contacted", "handed_over"):
        raise Http404
    record = get_object_or_404(IntakeRecord, pk=pk)
    if action == "contacted":
        record.mark_contacted(request.user)
        messages.success(request, _("Gemarkeerd als: contact gehad."))
    else:
        record.mark_handed_over(request.user)
        messages.success(request, _("Gemarkeerd als: overgedragen aan het zaaksysteem."))
    audit(request, AuditEntry.Action.CHANGE, pk, detail=f"marked {action}")
    return redirect("intake_inbox:inspect", pk=record.pk)


intake_inbox_viewset = IntakeInboxViewSet()


# --- The audit log, for administrators ---------------------------------------------------


class ReadOnlyPermissionPolicy(ModelPermissionPolicy):
    """Nobody, superusers included, may add, change or delete through the admin."""

    def user_has_permission(self, user, action):
        return action == "view" and super().user_has_permission(user, action)

    def user_has_any_permission(self, user, actions):
        return "view" in actions and super().user_has_permission(user, "view")


class AuditLogViewSet(ModelViewSet):
    model = AuditEntry
    icon = "history"
    menu_label = gettext_lazy("Toegangslog")
    menu_order = 900
    add_to_settings_menu = True
    name = "audit_log"
    url_prefix = "toegangslog"
    inspect_view_enabled = True
    list_display = [
        # The title column: its link is the way from the list to an entry.
        TitleColumn("timestamp", label=gettext_lazy("Tijdstip"), url_name="audit_log:inspect"),
        "actor_username",
        Column("action", label=gettext_lazy("Handeling"), accessor="get_action_display"),
        "object_type",
        "object_id",
        Column("result", label=gettext_lazy("Resultaat"), accessor="get_result_display"),
        "detail",
    ]
    list_filter = {
        "action": ["exact"],
        "result": ["exact"],
        "object_type": ["exact"],
        "actor_username": ["exact"],
        "timestamp": ["gte", "lte"],
    }
    list_per_page = 100
    ordering = ["-timestamp"]
    form_fields = []
    copy_view_enabled = False


register_permission_policy(AuditEntry, ReadOnlyPermissionPolicy(AuditEntry), exact_class=True)
audit_log_viewset = AuditLogViewSet()


# --- Two-step sign-in for staff who see personal data -------------------------------------


def _safe_next(request):
    target = request.POST.get("next") or request.GET.get("next") or reverse("wagtailadmin_home")
    if not url_has_allowed_host_and_scheme(target, allowed_hosts={request.get_host()}):
        return reverse("wagtailadmin_home")
    return target


def _code_form_error(request, device):
    code = "".join(request.POST.get("code", "").split())[:12]
    if not code.isdigit() or not device.verify_token(code):
        return _("Deze code klopt niet of is verlopen. Kijk in je app en typ de nieuwe code.")
    return ""


@login_required
def two_factor_setup(request):
    """Link an authenticator app: scan the QR code (or type the key), then confirm one code."""
    if user_has_device(request.user):
        return redirect(f"{reverse('two_factor_verify')}?next={_safe_next(request)}")
    device = TOTPDevice.objects.filter(user=request.user, confirmed=False).first()
    if device is None:
        device = TOTPDevice.objects.create(
            user=request.user, name=_("Authenticator-app"), confirmed=False
        )
    error = ""
    if request.method == "POST":
        error = _code_form_error(request, device)
        if not error:
            device.confirmed = True
            device.save(update_fields=["confirmed"])
            otp_login(request, device)
            messages.success(request, _("Tweestapsverificatie staat aan."))
            return redirect(_safe_next(request))
    qr_svg = segno.make(device.config_url, error="m").svg_inline(scale=5, border=2)
    secret = base64.b32encode(device.bin_key).decode()
    response = TemplateResponse(
        request,
        "doorvertellen/admin/two_factor_setup.html",
        {
            "qr_svg": mark_safe(qr_svg),  # noqa: S308  (generated SVG, no user input)
            "secret": " ".join(secret[i : i + 4] for i in range(0, len(secret), 4)),
            "error": error,
            "next": _safe_next(request),
        },
        status=400 if error else 200,
    )
    return response


@login_required
def two_factor_verify(request):
    device = TOTPDevice.objects.filter(user=request.user, confirmed=True).first()
    if device is None:
        return redirect(f"{reverse('two_factor_setup')}?next={_safe_next(request)}")
    error = ""
    if request.method == "POST":
        error = _code_form_error(request, device)
        if not error:
            otp_login(request, device)
            return redirect(_safe_next(request))
    return TemplateResponse(
        request,
        "doorvertellen/admin/two_factor_verify.html",
        {"error": error, "next": _safe_next(request)},
        status=400 if error else 200,
    )
