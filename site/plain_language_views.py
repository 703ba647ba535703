"""The plain-language check's own admin screens: the live check, the report and the list of
difficult words. The panel and the publish confirmation are in plain_language_admin."""

from django.conf import settings
from django.core.exceptions import PermissionDenied
from django.http import Http404
from django.shortcuts import get_object_or_404
from django.template.response import TemplateResponse
from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from django.views.decorators.http import require_POST
from wagtail.admin.ui.tables import Column, TitleColumn
from wagtail.admin.views.reports import ReportView
from wagtail.models import Page, get_page_models
from wagtail.permission_policies.pages import PagePermissionPolicy
from wagtail.snippets.views.snippets import SnippetViewSet

from doorvertellen.models import JargonTerm
from doorvertellen.plain_language_admin import check_page, jargon_rules, results_context

# --- The live check -------------------------------------------------------------------------


@require_POST
def live_check(request, page_id=None, app_label=None, model_name=None, parent_id=None):
    """Check what is in the edit form now, without saving it. Answers with the panel's HTML.

    Same rights as the editor itself: edit this page, or add a page of this type here.
    """
    if page_id is not None:
        page = get_object_or_404(Page, pk=page_id).specific
        if not page.permissions_for_user(request.user).can_edit():
            raise PermissionDenied
        instance = page.get_latest_revision_as_object()
        parent = page.get_parent().specific
    else:
        parent = get_object_or_404(Page, pk=parent_id).specific
        model = next(
            (
                m
                for m in get_page_models()
                if m._meta.app_label == app_label and m._meta.model_name == model_name
            ),
            None,
        )
        if model is None:
            raise Http404
        if not parent.permissions_for_user(request.user).can_add_subpage():
            raise PermissionDenied
        instance = model(owner=request.user)
    if not hasattr(type(instance), "plain_language_checked"):
        raise Http404
    form_class = instance.get_edit_handler().get_form_class()
    data = request.POST.copy()
    data.pop("action-publish", None)
    form = form_class(data, instance=instance, parent_page=parent, for_user=request.user)
    form.defer_required_fields()
    form.is_valid()  # fills the instance with what is valid; errors are the editor's to see
    report = check_page(form.instance)
    return TemplateResponse(
        request, "doorvertellen/admin/plain_language_results.html", results_context(report)
    )


# --- The report -------------------------------------------------------------------------------


class WorstSentencesColumn(Column):
    cell_template_name = "doorvertellen/admin/plain_language_sentences_cell.html"


class PlainLanguageReportView(ReportView):
    """Every live page harder than B1, hardest first, with the sentences to start with."""

    page_title = _("Moeilijker dan B1")
    header_icon = "doc-full"
    index_url_name = "plain_language_report"
    index_results_url_name = "plain_language_report_results"
    permission_policy = PagePermissionPolicy()
    permission_required = "change"
    paginate_by = 50
    verbose_name_plural = _("pagina's moeilijker dan B1")
    columns = [
        TitleColumn(
            "title",
            label=_("Pagina"),
            get_url=lambda row: reverse("wagtailadmin_pages:edit", args=[row["page"].pk]),
            accessor=lambda row: row["page"].title,
        ),
        Column("score", label=_("Score")),
        Column("level", label=_("Niveau")),
        WorstSentencesColumn("worst", label=_("Moeilijkste zinnen")),
    ]
    list_export = ["title", "url", "score", "level", "worst_text"]
    export_headings = {
        "title": _("Pagina"),
        "url": _("Adres"),
        "score": _("Score"),
        "level": _("Niveau"),
        "worst_text": _("Moeilijkste zinnen"),
    }

    def get_queryset(self):
        jargon = jargon_rules()
        rows = []
        dutch = Page.objects.live().filter(locale__language_code=settings.LANGUAGE_CODE)
        for page in dutch.exclude(depth=1).specific().order_by("path"):
            if not hasattr(type(page), "plain_language_checked"):
                continue
            report = check_page(page, jargon)
            if not report.above_b1:
                continue
            rows.append(
                {
                    "page": page,
                    "title": page.title,
                    "url": page.url or "",
                    "score": report.rounded_score,
                    "level": report.level,
                    "worst": report.worst_sentences,
                    "worst_text": "\n".join(s.text for s in report.worst_sentences),
                }
            )
        rows.sort(key=lambda row: row["score"])
        return rows

    def get_filename(self):
        return "moeilijker-dan-b1"


# --- The list of difficult words ------------------------------------------------------------


class JargonTermViewSet(SnippetViewSet):
    model = JargonTerm
    icon = "help"
    menu_label = _("Moeilijke woorden")
    list_display = ["term", "alternative", "explanation"]
    search_fields = ["term", "alternative", "explanation"]
    ordering = ["term"]
