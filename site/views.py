"""Public views of the core app, and the intake team's inbox in the admin."""

import csv
import json

from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.http import HttpResponse
from django.shortcuts import get_object_or_404, redirect
from django.template.response import TemplateResponse
from django.urls import path
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_GET, require_POST
from wagtail.admin import messages
from wagtail.admin.ui.tables import Column, DateColumn
from wagtail.admin.views.generic import IndexView, InspectView
from wagtail.admin.viewsets.model import ModelViewSet
from wagtail.admin.widgets import HeaderButton
from wagtail.models import Page

from doorvertellen.models import IntakeRecord

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

    return HttpResponse(loader.get_template("500.html").render(), status=500)


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
        results = Page.objects.live().public().specific().search(query, operator="and")
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


class IntakeIndexView(IndexView):
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
        from django.urls import reverse

        return reverse(f"intake_inbox:{name}")


class IntakeInspectView(InspectView):
    template_name = "doorvertellen/admin/intake_inspect.html"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["can_change"] = self.request.user.has_perm("doorvertellen.change_intakerecord")
        return context


class IntakeInboxViewSet(ModelViewSet):
    model = IntakeRecord
    icon = "mail"
    menu_label = gettext_lazy("Aanmeldingen")
    menu_order = 150
    add_to_admin_menu = True
    name = "intake_inbox"
    url_prefix = "aanmeldingen"
    pk_path_converter = "uuid"
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
        "contacted_at",
        "handed_over_at",
        "campaign_code",
        "source_page",
        "source_story",
    ]
    index_view_class = IntakeIndexView
    inspect_view_class = IntakeInspectView
    list_display = [
        Column("reference", label=gettext_lazy("Referentie"), accessor="reference"),
        DateColumn("created_at", label=gettext_lazy("Aangemeld op")),
        "name",
        Column("status", label=gettext_lazy("Status"), accessor="get_status_display"),
        "best_time",
    ]
    list_filter = {"status": ["exact"], "created_at": ["gte", "lte"], "best_time": ["exact"]}
    list_per_page = 50
    ordering = ["-created_at"]
    form_fields = ["name", "phone", "email", "best_time", "message", "postcode"]
    copy_view_enabled = False

    def get_urlpatterns(self):
        return [
            *super().get_urlpatterns(),
            path("export/csv/", self.export_csv_view, name="export_csv"),
            path("export/json/", self.export_json_view, name="export_json"),
            path("mark/<uuid:pk>/<str:action>/", self.mark_view, name="mark"),
        ]

    def _check(self, request, permission):
        if not request.user.has_perm(f"doorvertellen.{permission}_intakerecord"):
            raise PermissionDenied

    def _export_queryset(self, request):
        records = IntakeRecord.objects.order_by("-created_at")
        status = request.GET.get("status")
        if status in IntakeRecord.Status.values:
            records = records.filter(status=status)
        return records

    def export_csv_view(self, request):
        self._check(request, "export")
        records = [record.as_export_dict() for record in self._export_queryset(request)]
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
        self._check(request, "export")
        records = [record.as_export_dict() for record in self._export_queryset(request)]
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
        raise PermissionDenied
    record = get_object_or_404(IntakeRecord, pk=pk)
    if action == "contacted":
        record.mark_contacted(request.user)
        messages.success(request, _("Gemarkeerd als: contact gehad."))
    elif action == "handed_over":
        record.mark_handed_over(request.user)
        messages.success(request, _("Gemarkeerd als: overgedragen aan het zaaksysteem."))
    else:
        raise PermissionDenied
    return redirect("intake_inbox:inspect", pk=record.pk)


intake_inbox_viewset = IntakeInboxViewSet()
