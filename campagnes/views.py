"""Short links from flyers and posters, and their printable QR codes for staff."""

import csv
from datetime import timedelta

import segno
from django.conf import settings
from django.core.exceptions import PermissionDenied
from django.db.models import Q, Sum
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect
from django.template.response import TemplateResponse
from django.urls import reverse
from django.utils import timezone
from django.utils.dateparse import parse_date
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_GET
from django.views.generic import TemplateView
from wagtail.admin.views.generic.base import WagtailAdminTemplateMixin

from campagnes import counting, figures
from campagnes.models import (
    Campaign,
    CampaignLandingPage,
    Municipality,
    TrackedLink,
    normalise_code,
)
from doorvertellen.views import neutralise_spreadsheet_value

QR_COLOUR = "#0b5563"


@require_GET
def short_link(request, code):
    """/c/<code>: on to the campaign's page with the code in the address; unknown codes
    go to the home page, so a typo on a flyer still leads somewhere helpful."""
    link = (
        TrackedLink.objects.select_related("destination", "campaign__landing_page")
        .filter(code=normalise_code(code))
        .first()
    )
    page = link.target_page() if link else None
    if page is None or not page.live:
        response = redirect("/")
    else:
        response = redirect(f"{page.get_url(request)}?c={link.code}")
    response["Cache-Control"] = "no-store"
    response["X-Robots-Tag"] = "noindex"
    return response


def short_url(link):
    return f"{settings.SITE_URL.rstrip('/')}{link.short_path}"


def _staff_link(request, pk):
    # Registered as admin URLs, so only signed-in staff get here; campaigns are for the
    # communications staff.
    if not request.user.has_perm("campagnes.view_campaign"):
        raise PermissionDenied
    return get_object_or_404(TrackedLink.objects.select_related("campaign"), pk=pk)


def qr_code(request, pk, kind):
    if kind not in ("svg", "png"):
        raise Http404
    link = _staff_link(request, pk)
    qr = segno.make(short_url(link), error="m")
    if kind == "svg":
        content = qr.svg_inline(scale=10, dark=QR_COLOUR, title=link.code)
        response = HttpResponse(content, content_type="image/svg+xml")
    else:
        from io import BytesIO

        out = BytesIO()
        qr.save(out, kind="png", scale=20, dark=QR_COLOUR, border=4)
        response = HttpResponse(out.getvalue(), content_type="image/png")
    response["Content-Disposition"] = f'inline; filename="qr-{link.code}.{kind}"'
    return response


def print_link(request, pk):
    """A page to print: the QR code large, the short address under it in big letters."""
    link = _staff_link(request, pk)
    qr = segno.make(short_url(link), error="m")
    return TemplateResponse(
        request,
        "campagnes/print_link.html",
        {
            "link": link,
            "short_url": short_url(link),
            "short_display": short_url(link).split("://", 1)[-1],
            "qr_svg": qr.svg_inline(scale=12, dark=QR_COLOUR, title=link.code),
        },
    )


# --- The figures, for communications staff and managers --------------------------------------


class FiguresView(WagtailAdminTemplateMixin, TemplateView):
    """Funnels per campaign, channel, page and target group; aggregates only, small numbers
    hidden, every chart with its table, and a CSV export safe for spreadsheets."""

    template_name = "campagnes/admin/figures.html"
    page_title = gettext_lazy("Cijfers")
    header_icon = "table"
    default_weeks = 12

    def get_breadcrumbs_items(self):
        return [
            {"url": reverse("wagtailadmin_home"), "label": _("Home")},
            {"url": "", "label": self.get_page_title()},
        ]

    def dispatch(self, request, *args, **kwargs):
        if not request.user.has_perm("campagnes.view_campaign"):
            raise PermissionDenied
        return super().dispatch(request, *args, **kwargs)

    def period(self):
        today = timezone.localdate()
        start = self.date_param("van") or today - timedelta(weeks=self.default_weeks)
        end = self.date_param("tot") or today
        if start > end:
            start, end = end, start
        # A year at most: the figures stay quick to compute.
        return max(start, end - timedelta(days=366)), end

    def date_param(self, name):
        """A date from the address, or None when it is missing or not a real date."""
        try:
            return parse_date(self.request.GET.get(name, "")[:10])
        except ValueError:
            return None

    def campaign(self):
        value = self.request.GET.get("campagne", "")
        if value.isdigit() and len(value) < 10:
            return Campaign.objects.filter(pk=int(value)).first()
        return None

    def get(self, request, *args, **kwargs):
        # This worker's views that wait to be written are in the figures it shows.
        counting.view_tally.flush()
        if request.GET.get("export") == "csv":
            return self.csv()
        return super().get(request, *args, **kwargs)

    def figures(self):
        """Everything the page and its CSV show, computed once per request."""
        if hasattr(self, "_figures"):
            return self._figures
        start, end = self.period()
        campaign = self.campaign()
        today = timezone.localdate()
        landing_pages = CampaignLandingPage.objects.live().filter(
            Q(headline_b__gt="") | Q(cta_label_b__gt="")
        )
        if campaign is not None:
            landing_pages = landing_pages.filter(campaign=campaign)
        landing_pages = list(landing_pages.only("pk", "title"))
        self._figures = {
            "start": start,
            "end": end,
            "campaign": campaign,
            "matured_until": figures.matured_until(today),
            "weeks": figures.weekly(start, end, campaign=campaign),
            "funnels": figures.funnels(start, end, campaign=campaign, today=today),
            "responses": figures.response_times(start, end, campaign=campaign),
            "outcomes": figures.outcomes(start, end, campaign=campaign),
            "versions": figures.compare_all_versions(landing_pages, start, end),
            "outside_area": self.outside_area(start, end),
        }
        return self._figures

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        data = self.figures()
        weeks = data["weeks"]
        highest = max([count or 0 for _week, count in weeks] + [1])
        from doorvertellen.models import ServiceSettings

        service = ServiceSettings.for_request(self.request)
        context.update(
            data,
            campaigns=Campaign.objects.order_by("name").only("pk", "name"),
            steps=[label for _event, label in figures.FUNNEL],
            chart_width=10 * len(weeks),
            bars=[
                {"x": 10 * i + 1, "y": 100 - height, "height": height}
                for i, height in enumerate(
                    round(100 * (count or 0) / highest) for _week, count in weeks
                )
            ],
            promise_days=service.response_working_days,
            partly_matured=data["end"] > data["matured_until"] >= data["start"],
            small_number=figures.SMALL_NUMBER,
            export_query=self.export_query(),
            tables=TABLES,
        )
        return context

    def export_query(self):
        params = self.request.GET.copy()
        for name in ("export", "tabel"):
            params.pop(name, None)
        return params.urlencode()

    def outside_area(self, start, end):
        """Interest from outside the area per municipality (or postcode area, when no
        municipality is set for it), small numbers hidden."""
        from doorvertellen.models import OutsideAreaCount

        rows = (
            OutsideAreaCount.objects.filter(date__gte=start, date__lte=end)
            .values("postcode_area")
            .annotate(total=Sum("count"))
            .order_by()
        )
        ranges = list(Municipality.objects.values_list("first_area", "last_area", "name"))
        totals = {}
        for row in rows:
            name = Municipality.name_for(row["postcode_area"], ranges) or _(
                "Postcodegebied %(area)s"
            ) % {"area": row["postcode_area"]}
            totals[name] = totals.get(name, 0) + row["total"]
        return [
            (name, figures.shown(total))
            for name, total in sorted(totals.items(), key=lambda item: (-item[1], item[0]))
        ]

    def table_rows(self, name):
        """(header, rows) of one table as the page shows it, for the CSV."""
        data = self.figures()
        small = f"<{figures.SMALL_NUMBER}"

        def number(value):
            return small if value is None else value

        def percentage(value):
            return "" if value is None else value

        if name in FUNNEL_TABLES:
            table = data["funnels"][FUNNEL_TABLES[name]]
            steps = [str(label) for _event, label in figures.FUNNEL]
            header = [_("naam"), _("campagne")]
            for step in steps:
                header += [step, _("%(step)s (%% van stap ervoor)") % {"step": step}]
            rows = []
            for row in [*table.rows, table.total]:
                line = [row.label, row.group]
                for cell in row.cells():
                    line += [cell.as_text(), percentage(cell.rate)]
                rows.append(line)
            return header, rows
        if name == "week":
            return [_("week vanaf"), _("aanmeldingen")], [
                [week.isoformat(), number(count)] for week, count in data["weeks"]
            ]
        if name == "reactietijd":
            responses = data["responses"]
            return [
                _("contact gehad"),
                _("op tijd"),
                _("te laat"),
                _("op tijd (%)"),
                _("mediaan (uren)"),
            ], [
                [
                    number(responses["contacted"]),
                    number(responses["on_time"]),
                    number(responses["late"]),
                    percentage(responses["on_time_rate"]),
                    "" if responses["median_hours"] is None else responses["median_hours"],
                ]
            ]
        if name == "uitkomsten":
            table = data["outcomes"]
            return [_("uitkomst"), _("aantal")], [
                [row.label, row.single.as_text()] for row in [*table.rows, table.total]
            ]
        if name == "versies":
            rows = []
            for page, result in data["versions"]:
                rows.append(
                    [
                        page.title,
                        *map(number, result.views),
                        *map(number, result.submitted),
                        *map(percentage, result.rates),
                        "" if result.p_value is None else round(result.p_value, 4),
                    ]
                )
            return [
                _("pagina"),
                _("bekeken A"),
                _("bekeken B"),
                _("aangemeld A"),
                _("aangemeld B"),
                _("aanmeldingen per 100 A"),
                _("aanmeldingen per 100 B"),
                _("p-waarde"),
            ], rows
        if name == "buiten-gebied":
            return [_("gemeente"), _("aantal")], [
                [area, number(count)] for area, count in data["outside_area"]
            ]
        raise Http404

    def csv(self):
        start, end = self.period()
        name = self.request.GET.get("tabel", "")
        names = [name] if name else list(TABLES)
        if name and name not in TABLES:
            raise Http404
        response = HttpResponse(content_type="text/csv; charset=utf-8")
        filename = f"cijfers-{name or 'alles'}-{start}-{end}.csv"
        response["Content-Disposition"] = f'attachment; filename="{filename}"'
        writer = csv.writer(response)
        for index, table in enumerate(names):
            header, rows = self.table_rows(table)
            if len(names) > 1:
                if index:
                    writer.writerow([])
                writer.writerow([neutralise_spreadsheet_value(str(TABLES[table]))])
            for line in [header, *rows]:
                writer.writerow([neutralise_spreadsheet_value(value) for value in line])
        response["Cache-Control"] = "no-store"
        return response


# The tables of the figures page, by the name their CSV link uses.
FUNNEL_TABLES = {
    "campagne": "campaign",
    "doelgroep": "target_group",
    "kanaalsoort": "channel_type",
    "kanaal": "channel",
    "pagina": "page",
}
TABLES = {
    "week": gettext_lazy("Aanmeldingen per week"),
    "campagne": gettext_lazy("Per campagne"),
    "doelgroep": gettext_lazy("Per doelgroep"),
    "kanaalsoort": gettext_lazy("Per soort kanaal"),
    "kanaal": gettext_lazy("Per kanaal (link)"),
    "pagina": gettext_lazy("Per pagina of verhaal"),
    "reactietijd": gettext_lazy("Terugbellen binnen de belofte"),
    "uitkomsten": gettext_lazy("Uitkomsten"),
    "versies": gettext_lazy("Twee versies vergeleken"),
    "buiten-gebied": gettext_lazy("Interesse van buiten ons werkgebied"),
}
