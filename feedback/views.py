"""Public and staff views of the feedback app that are not pages.

"Had je hier iets aan?" is posted from story, film and campaign pages. Those pages set no
cookie (they are cached), so this view cannot use Django's CSRF token: it is exempt, and
guarded instead by the public form's honeypot and signed render time, a rate limit per
address, and by doing nothing more harmful than adding one to a count.
"""

import logging
from datetime import timedelta

from django import forms
from django.apps import apps
from django.core.exceptions import PermissionDenied
from django.db.models import Q, Sum
from django.http import Http404, HttpResponseRedirect
from django.template.response import TemplateResponse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.views.decorators.csrf import csrf_exempt
from django.views.generic import TemplateView
from wagtail.admin.menu import MenuItem
from wagtail.admin.views.generic.base import WagtailAdminTemplateMixin
from wagtail.models import Page

from campagnes.counting import is_bot
from doorvertellen import ratelimit
from doorvertellen.models import AuditEntry
from feedback.forms import UsefulForm
from feedback.models import UsefulComment, UsefulCount

logger = logging.getLogger("feedback.views")

# The page types that ask "Had je hier iets aan?" (subclasses such as films included).
USEFUL_PAGE_TYPES = (
    ("verhalen", "StoryPage"),
    ("campagnes", "CampaignLandingPage"),
)


def useful_pages():
    """Live, public pages that show the question; by model name, so no app is imported."""
    models = [apps.get_model(app_label, name) for app_label, name in USEFUL_PAGE_TYPES]
    return Page.objects.live().public().type(*models)


def back_to(request, page, state):
    """Back to where the answer came from, with the outcome in the address (no cookie)."""
    return HttpResponseRedirect(
        f"{page.get_url(request)}?nuttig={state}#nuttig",
        status=303,
    )


@csrf_exempt
def useful(request, page_id):
    """Count one yes or no for a page, and keep an optional comment (encrypted, never shown).

    Bots and automated posts are thanked but not counted; bad or late input goes back with a
    kind message. Nothing about the visitor is kept.
    """
    if request.method != "POST":
        response = TemplateResponse(request, "405.html", status=405)
        response["Allow"] = "POST"
        return response
    page = useful_pages().filter(pk=page_id).first()
    if page is None:
        raise Http404("No page that asks whether it was useful.")
    page = page.specific
    if is_bot(request):
        return back_to(request, page, "bedankt")
    if ratelimit.hit(request, "useful"):
        logger.warning("Useful answers over the rate limit")
        return back_to(request, page, "fout")
    form = UsefulForm(request.POST, request=request)
    if not form.is_valid():
        return back_to(request, page, "fout")
    if form.is_spam:
        return back_to(request, page, "bedankt")
    UsefulCount.add(page.pk, form.useful)
    comment = form.cleaned_data["comment"].strip()
    if comment:
        UsefulComment.objects.create(page_id=page.pk, useful=form.useful, comment=comment)
    return back_to(request, page, "bedankt")


# --- Staff: the aggregate report ------------------------------------------------------------

REPORT_DEFAULT_DAYS = 30


class PeriodForm(forms.Form):
    van = forms.DateField(
        label=_("Van"), required=False, widget=forms.DateInput(attrs={"type": "date"})
    )
    tot = forms.DateField(
        label=_("Tot en met"), required=False, widget=forms.DateInput(attrs={"type": "date"})
    )

    def period(self):
        """The chosen days; the last 30 days when nothing (or nonsense) was chosen."""
        today = timezone.localdate()
        data = self.cleaned_data if self.is_valid() else {}
        end = data.get("tot") or today
        start = data.get("van") or end - timedelta(days=REPORT_DEFAULT_DAYS - 1)
        if start > end:
            start, end = end, start
        return start, end


def can_read_comments(user):
    return user.has_perm("feedback.view_usefulcomment")


class UsefulReportView(WagtailAdminTemplateMixin, TemplateView):
    """Yes and no per page over a period. Comments only for whoever may read them: they can
    hold personal details despite the hint, so every look at them is written to the audit log."""

    template_name = "feedback/admin/useful_report.html"
    page_title = _("Had je hier iets aan?")
    header_icon = "help"

    def dispatch(self, request, *args, **kwargs):
        if not request.user.has_perm("feedback.view_usefulcount"):
            raise PermissionDenied
        return super().dispatch(request, *args, **kwargs)

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        form = PeriodForm(self.request.GET or None)
        start, end = form.period()
        rows = list(
            UsefulCount.objects.filter(day__gte=start, day__lte=end)
            .values("page_id", "page__title")
            .annotate(
                yes=Sum("count", filter=Q(useful=True), default=0),
                no=Sum("count", filter=Q(useful=False), default=0),
            )
            .order_by("page__title", "page_id")
        )
        for row in rows:
            total = row["yes"] + row["no"]
            row["total"] = total
            row["share"] = round(100 * row["yes"] / total) if total else None
        rows.sort(key=lambda row: (-row["total"], row["page__title"]))
        comments = None
        if can_read_comments(self.request.user):
            comments = list(
                UsefulComment.objects.filter(
                    created_at__date__gte=start, created_at__date__lte=end
                ).select_related("page")[:200]
            )
            AuditEntry.record(
                self.request,
                AuditEntry.Action.LIST,
                UsefulComment,
                detail=f"useful report {start:%Y-%m-%d}..{end:%Y-%m-%d}",
            )
        context.update(
            form=PeriodForm(initial={"van": start, "tot": end}),
            start=start,
            end=end,
            rows=rows,
            comments=comments,
        )
        return context


class UsefulReportMenuItem(MenuItem):
    def is_shown(self, request):
        return request.user.has_perm("feedback.view_usefulcount")
