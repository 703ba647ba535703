"""The feedback coordinator's admin: suggestions (personal, audited) and public answers.

A suggestion holds what happened to someone and maybe how to reach them, so every look at,
change to or refusal of one is written to the audit log, like the intake inbox. The public
version is always a PublicItem the coordinator writes: merging a suggestion never copies its
text anywhere.
"""

import django_filters
from django import forms
from django.core.exceptions import PermissionDenied
from django.db.models import Q
from django.shortcuts import get_object_or_404, redirect
from django.urls import path, reverse
from django.utils.functional import cached_property
from django.utils.http import urlencode
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.generic import TemplateView
from wagtail import hooks
from wagtail.admin import messages
from wagtail.admin.filters import WagtailFilterSet
from wagtail.admin.panels import FieldPanel, ObjectList
from wagtail.admin.ui.tables import BooleanColumn, Column, TitleColumn
from wagtail.admin.views.generic import (
    CreateView,
    DeleteView,
    EditView,
    IndexView,
    InspectView,
)
from wagtail.admin.views.generic.base import WagtailAdminTemplateMixin
from wagtail.admin.viewsets.base import ViewSetGroup
from wagtail.admin.viewsets.model import ModelViewSet
from wagtail.admin.widgets import Button

from doorvertellen.models import AuditEntry
from doorvertellen.views import AuditedViewMixin
from feedback.models import Phase, PublicItem, Status, Suggestion


def effective_status_label(suggestion):
    return Status(suggestion.effective_status).label


def can_moderate(user):
    return user.has_perm("feedback.change_suggestion")


# --- Suggestions ("Verbetervoorstellen") ---------------------------------------------------


class SuggestionAuditMixin(AuditedViewMixin):
    audit_model = Suggestion


class SuggestionIndexView(SuggestionAuditMixin, IndexView):
    read_action = AuditEntry.Action.LIST

    def audit_detail(self, request):
        return f"page {request.GET.get('p', '1')[:10]}"

    def get_base_queryset(self):
        return super().get_base_queryset().select_related("public_item")


class SuggestionEditView(SuggestionAuditMixin, EditView):
    pass


class SuggestionDeleteView(SuggestionAuditMixin, DeleteView):
    write_action = AuditEntry.Action.DELETE


class SuggestionInspectView(SuggestionAuditMixin, InspectView):
    template_name = "feedback/admin/suggestion_inspect.html"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context.update(
            can_change=can_moderate(self.request.user),
            effective_status=effective_status_label(self.object),
        )
        return context

    @cached_property
    def header_more_buttons(self):
        buttons = list(super().header_more_buttons)
        if can_moderate(self.request.user):
            buttons.append(
                Button(
                    _("Voeg samen in openbaar antwoord"),
                    url=reverse("feedback_suggestions:merge", args=[self.object.pk]),
                    icon_name="resubmit",
                    priority=30,
                )
            )
        return buttons


class SuggestionFilterSet(WagtailFilterSet):
    status = django_filters.ChoiceFilter(
        label=gettext_lazy("Status"),
        choices=Status.choices,
        method="filter_status",
        empty_label=gettext_lazy("Alle"),
    )

    class Meta:
        model = Suggestion
        fields = {"phase": ["exact"], "created_at": ["gte", "lte"]}

    def filter_status(self, queryset, name, value):
        """Filter on what the person sees: a merged suggestion follows its public item."""
        if not value:
            return queryset
        return queryset.filter(
            Q(public_item__isnull=True, status=value) | Q(public_item__status=value)
        )


class MergeForm(forms.Form):
    NEW = "new"

    public_item = forms.ModelChoiceField(
        label=gettext_lazy("Bestaand openbaar antwoord"),
        queryset=PublicItem.objects.order_by("phase", "title"),
        required=False,
        empty_label=gettext_lazy("Maak een nieuw openbaar antwoord"),
        help_text=gettext_lazy(
            "Kies een antwoord over hetzelfde onderwerp. Of maak een nieuw antwoord: "
            "dan schrijf je zelf de openbare tekst. De tekst van het voorstel wordt nooit "
            "overgenomen."
        ),
    )


class SuggestionMergeView(WagtailAdminTemplateMixin, TemplateView):
    """Merge one suggestion into a public answer, existing or yet to be written."""

    template_name = "feedback/admin/suggestion_merge.html"
    page_title = gettext_lazy("Voeg samen in openbaar antwoord")
    header_icon = "resubmit"

    def dispatch(self, request, pk):
        action = AuditEntry.Action.VIEW if request.method == "GET" else AuditEntry.Action.CHANGE
        if not can_moderate(request.user):
            AuditEntry.record(request, action, Suggestion, pk, result=AuditEntry.Result.DENIED)
            raise PermissionDenied
        if request.method not in ("GET", "HEAD", "POST"):
            return self.http_method_not_allowed(request)
        self.suggestion = get_object_or_404(Suggestion.objects.select_related("public_item"), pk=pk)
        self.form = MergeForm(
            request.POST if request.method == "POST" else None,
            initial={"public_item": self.suggestion.public_item_id},
        )
        if request.method != "POST":
            AuditEntry.record(request, action, Suggestion, pk, detail="merge form")
        return super().dispatch(request, pk=pk)

    def get_page_subtitle(self):
        return str(self.suggestion)

    def get_breadcrumbs_items(self):
        return [
            *self.breadcrumbs_items,
            {"url": reverse("feedback_suggestions:index"), "label": _("Verbetervoorstellen")},
            {
                "url": reverse("feedback_suggestions:inspect", args=[self.suggestion.pk]),
                "label": str(self.suggestion),
            },
            {"url": "", "label": self.get_page_title()},
        ]

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context.update(suggestion=self.suggestion, form=self.form)
        return context

    def post(self, request, pk):
        if not self.form.is_valid():
            return self.render_to_response(self.get_context_data(), status=400)
        item = self.form.cleaned_data["public_item"]
        if item is None:
            query = urlencode({"fase": self.suggestion.phase, "voorstel": self.suggestion.pk})
            return redirect(f"{reverse('feedback_public_items:add')}?{query}")
        merge(request, self.suggestion, item)
        return redirect("feedback_suggestions:inspect", pk=self.suggestion.pk)


def merge(request, suggestion, item):
    suggestion.public_item = item
    suggestion.save(update_fields=["public_item", "updated_at"])
    AuditEntry.record(
        request,
        AuditEntry.Action.CHANGE,
        Suggestion,
        suggestion.pk,
        detail=f"merged into public item {item.pk}",
    )
    messages.success(
        request, _("Samengevoegd in het openbare antwoord “%(title)s”.") % {"title": item.title}
    )


class SuggestionViewSet(ModelViewSet):
    model = Suggestion
    icon = "comment"
    menu_label = gettext_lazy("Verbetervoorstellen")
    menu_order = 100
    name = "feedback_suggestions"
    url_prefix = "verbetervoorstellen"
    add_to_reference_index = False  # usage screens must not list suggestions
    add_view_enabled = False  # suggestions come from former clients, not from staff
    copy_view_enabled = False  # a copy would duplicate someone's contact details
    inspect_view_enabled = True
    inspect_view_fields = [
        "created_at",
        "phase",
        "what_happened",
        "what_better",
        "contact_name",
        "contact_email",
        "contact_phone",
        "wants_panel",
        "wants_ambassador",
        "language",
        "status",
        "public_item",
        "updated_at",
    ]
    index_view_class = SuggestionIndexView
    inspect_view_class = SuggestionInspectView
    edit_view_class = SuggestionEditView
    delete_view_class = SuggestionDeleteView
    filterset_class = SuggestionFilterSet
    list_per_page = 50
    ordering = ["-created_at"]
    list_display = [
        TitleColumn(
            "created_at",
            label=gettext_lazy("Ingestuurd op"),
            url_name="feedback_suggestions:inspect",
            sort_key="created_at",
        ),
        Column("phase", label=gettext_lazy("Fase"), accessor="get_phase_display"),
        Column("status", label=gettext_lazy("Status"), accessor=effective_status_label),
        Column("public_item", label=gettext_lazy("Samengevoegd in"), accessor="public_item"),
        BooleanColumn("has_contact", label=gettext_lazy("Contact"), accessor="has_contact"),
        BooleanColumn("wants_panel", label=gettext_lazy("Panel")),
        BooleanColumn("wants_ambassador", label=gettext_lazy("Ambassadeur")),
    ]
    edit_handler = ObjectList(
        [
            FieldPanel(
                "status",
                help_text=gettext_lazy(
                    "Is het voorstel samengevoegd? Dan telt de status van het openbare antwoord."
                ),
            ),
            FieldPanel("public_item"),
        ]
    )

    def get_urlpatterns(self):
        return [
            *super().get_urlpatterns(),
            path("samenvoegen/<int:pk>/", SuggestionMergeView.as_view(), name="merge"),
        ]


# --- Public answers ("Openbare antwoorden") ------------------------------------------------


class PublicItemCreateView(CreateView):
    """Pre-filled with the phase of the suggestion being merged; links it once saved."""

    def merging(self):
        pk = self.request.GET.get("voorstel", "")
        if not pk.isdigit() or not can_moderate(self.request.user):
            return None
        return Suggestion.objects.filter(pk=pk).first()

    def get_initial_form_instance(self):
        instance = super().get_initial_form_instance() or PublicItem()
        phase = self.request.GET.get("fase")
        if phase in Phase.values:
            instance.phase = phase
        return instance

    def get_add_url(self):
        url = super().get_add_url()
        suggestion = self.merging()
        if suggestion is None:
            return url
        query = urlencode({"fase": suggestion.phase, "voorstel": suggestion.pk})
        return f"{url}{'&' if '?' in url else '?'}{query}"

    def save_instance(self):
        item = super().save_instance()
        suggestion = self.merging()
        if suggestion is not None:
            merge(self.request, suggestion, item)
        return item


class PublicItemEditView(EditView):
    template_name = "feedback/admin/public_item_edit.html"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["merged_count"] = self.object.suggestions.count()
        return context


class PublicItemViewSet(ModelViewSet):
    model = PublicItem
    icon = "list-ul"
    menu_label = gettext_lazy("Openbare antwoorden")
    menu_order = 110
    name = "feedback_public_items"
    url_prefix = "openbare-antwoorden"
    copy_view_enabled = False
    add_view_class = PublicItemCreateView
    edit_view_class = PublicItemEditView
    search_fields = ["title"]
    search_backend_name = None
    list_filter = {"phase": ["exact"], "status": ["exact"], "published": ["exact"]}
    list_per_page = 50
    ordering = ["-updated_at"]
    list_display = [
        TitleColumn(
            "title",
            label=gettext_lazy("Kop"),
            url_name="feedback_public_items:edit",
            sort_key="title",
        ),
        Column("phase", label=gettext_lazy("Fase"), accessor="get_phase_display"),
        Column("status", label=gettext_lazy("Status"), accessor="get_status_display"),
        BooleanColumn("published", label=gettext_lazy("Openbaar")),
        Column("updated_at", label=gettext_lazy("Laatst gewijzigd"), sort_key="updated_at"),
    ]


class FeedbackViewSetGroup(ViewSetGroup):
    menu_label = gettext_lazy("Denk mee")
    menu_icon = "comment"
    menu_order = 170
    items = (SuggestionViewSet, PublicItemViewSet)


@hooks.register("register_admin_viewset")
def register_feedback_viewsets():
    return FeedbackViewSetGroup()


# --- "Had je hier iets aan?": numbers for editors, comments for the coordinator --------------


@hooks.register("register_admin_urls")
def register_useful_report_urls():
    from feedback.views import UsefulReportView

    return [
        path("rapporten/nuttig/", UsefulReportView.as_view(), name="feedback_useful_report"),
    ]


@hooks.register("register_reports_menu_item")
def register_useful_report_menu_item():
    from feedback.views import UsefulReportMenuItem

    return UsefulReportMenuItem(
        gettext_lazy("Had je hier iets aan?"),
        reverse("feedback_useful_report"),
        name="nuttig",
        icon_name="help",
        order=160,
    )
