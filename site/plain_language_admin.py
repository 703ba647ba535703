"""The plain-language check in the page editor: which texts are checked, the panel and the
publish confirmation. Imported by the page models, so it loads no admin views.

The rules themselves are in `doorvertellen.plain_language`; this module decides which texts of
a page a resident reads and shows the result to the people who write them. Nothing is sent
anywhere: the live check posts the edit form to this same site and gets HTML back.
"""

from django import forms
from django.db.models import CharField, TextField
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils.functional import cached_property
from django.utils.html import escape, format_html
from django.utils.safestring import mark_safe
from django.utils.text import capfirst
from django.utils.translation import gettext_lazy as _
from wagtail import blocks
from wagtail.admin.forms import WagtailAdminPageForm
from wagtail.admin.panels import Panel
from wagtail.images.blocks import ImageBlock
from wagtail.models import Page

from doorvertellen import plain_language

# Short single-line fields (a name, a city, a button label) are not prose; headings are.
MIN_PROSE_LENGTH = 100
# Fields of Wagtail's own page model that a resident reads on the page itself.
PAGE_TEXT_FIELDS = {"title"}


# --- Which texts of a page a resident reads -----------------------------------------------


def text_fields(model):
    """The prose fields of a page type: its title, every text, rich text and stream field of
    its own, and single-line fields long enough to hold a heading or a sentence."""
    from wagtail.fields import StreamField

    own_fields = {f.name for f in Page._meta.concrete_fields}
    fields = []
    for model_field in model._meta.concrete_fields:
        if model_field.name in own_fields and model_field.name not in PAGE_TEXT_FIELDS:
            continue
        if model_field.choices:
            continue
        if isinstance(model_field, StreamField | TextField) or (
            type(model_field) is CharField
            and (
                model_field.name in PAGE_TEXT_FIELDS
                or (model_field.max_length or 0) >= MIN_PROSE_LENGTH
            )
        ):
            fields.append(model_field)
    return fields


def stream_texts(block, value):
    """Every piece of text in a stream value, in reading order (links and images' files are
    no text; an image's alt text is, for whoever hears the page read out)."""
    if value is None:
        return
    if isinstance(block, ImageBlock):
        alt = getattr(value, "contextual_alt_text", "") or ""
        if alt and not getattr(value, "decorative", False):
            yield alt
    elif isinstance(block, blocks.RichTextBlock):
        yield plain_language.html_to_text(getattr(value, "source", str(value)))
    elif isinstance(block, blocks.CharBlock | blocks.TextBlock):
        if value:
            yield str(value)
    elif isinstance(block, blocks.StructBlock):
        for name, child_block in block.child_blocks.items():
            yield from stream_texts(child_block, value.get(name))
    elif isinstance(block, blocks.ListBlock):
        for item in value:
            yield from stream_texts(block.child_block, item)
    elif isinstance(block, blocks.StreamBlock):
        for child in value:
            yield from stream_texts(child.block, child.value)


def page_texts(page):
    """(field name, plain text) for each text of this page that a resident reads."""
    from wagtail.fields import RichTextField, StreamField

    texts = []
    for model_field in text_fields(type(page)):
        label = capfirst(str(model_field.verbose_name))
        value = getattr(page, model_field.name)
        if isinstance(model_field, StreamField):
            parts = list(stream_texts(model_field.stream_block, value))
            text = "\n".join(part for part in parts if part.strip())
        elif isinstance(model_field, RichTextField):
            text = plain_language.html_to_text(value or "")
        else:
            text = str(value or "")
        if text.strip():
            texts.append((label, text))
    return texts


def jargon_rules():
    from doorvertellen.models import JargonTerm

    return [term.as_rule() for term in JargonTerm.objects.all()]


def in_dutch(page):
    """The check measures Dutch (Flesch-Douma, a Dutch word list): translations are left out."""
    from django.conf import settings

    from doorvertellen.languages import language_of

    return language_of(page) == settings.LANGUAGE_CODE


def check_page(page, jargon=None):
    return plain_language.check(page_texts(page), jargon_rules() if jargon is None else jargon)


def highlight(sentence, report):
    """The sentence as HTML, with long words and difficult words marked."""
    long_words = {word.lower() for word in report.long_words}
    jargon = [hit.term for hit in report.jargon]
    html = []
    position = 0
    text = sentence.text
    spans = []
    for term in jargon:
        spans += [(m.start(), m.end(), "jargon-term") for m in term.pattern().finditer(text)]
    for match in plain_language.WORD.finditer(text):
        if match.group(0).lower() in long_words:
            spans.append((match.start(), match.end(), "long"))
    spans.sort()
    for start, end, kind in spans:
        if start < position:
            continue
        html.append(escape(text[position:start]))
        html.append(
            format_html('<mark class="plain-language__{}">{}</mark>', kind, text[start:end])
        )
        position = end
    html.append(escape(text[position:]))
    return mark_safe("".join(html))  # noqa: S308 (every piece escaped above)


def results_context(report):
    return {
        "report": report,
        "b1_minimum": int(plain_language.B1_MINIMUM_SCORE),
        "long_sentence_words": plain_language.LONG_SENTENCE_WORDS,
        "long_sentences": [
            {"sentence": sentence, "html": highlight(sentence, report)}
            for sentence in report.long_sentences
        ],
        "jargon": unique_hits(report.jargon),
    }


def unique_hits(hits):
    """One line per difficult word: explained only when it is explained everywhere."""
    by_term = {}
    for hit in hits:
        entry = by_term.setdefault(
            hit.term.term.lower(), {"term": hit.term, "explained": True, "sources": []}
        )
        entry["explained"] = entry["explained"] and hit.explained
        if hit.source not in entry["sources"]:
            entry["sources"].append(hit.source)
    return list(by_term.values())


def render_results(report, request=None):
    return render_to_string(
        "doorvertellen/admin/plain_language_results.html", results_context(report), request
    )


# --- The editor: panel and publish confirmation -------------------------------------------


class PlainLanguagePageForm(WagtailAdminPageForm):
    """Publishing a page that is harder than B1 needs a tick: the editor decides, knowingly.

    Saving a draft never needs it, so nothing written is ever lost to the check.
    """

    plain_language_confirmed = forms.BooleanField(
        required=False,
        label=_("Ik weet dat deze tekst moeilijker is dan B1, en ik publiceer hem toch."),
        help_text=_("Alleen nodig als de tekst moeilijker is dan B1."),
    )

    def _post_clean(self):
        super()._post_clean()
        if not self.data.get("action-publish") or self.errors or not in_dutch(self.instance):
            return
        report = check_page(self.instance)
        if report.above_b1 and not self.cleaned_data.get("plain_language_confirmed"):
            self.add_error(
                "plain_language_confirmed",
                forms.ValidationError(
                    _(
                        "Deze tekst is moeilijker dan B1 (score %(score)s, B1 begint bij "
                        "%(minimum)s). Maak de zinnen korter en de woorden eenvoudiger. Wil je "
                        "toch publiceren? Zet dan een vinkje bij Leesbaarheid."
                    )
                    % {
                        "score": report.rounded_score,
                        "minimum": int(plain_language.B1_MINIMUM_SCORE),
                    },
                    code="above_b1",
                ),
            )


class PlainLanguagePanel(Panel):
    """Shows the check of what is in the form; updated live by static/js/plain_language.js."""

    def __init__(self, **kwargs):
        kwargs.setdefault("heading", _("Leesbaarheid (B1)"))
        super().__init__(**kwargs)

    class BoundPanel(Panel.BoundPanel):
        template_name = "doorvertellen/admin/plain_language_panel.html"

        @cached_property
        def check_url(self):
            if self.instance.pk:
                return reverse("plain_language_check_page", args=[self.instance.pk])
            parent = getattr(self.form, "parent_page", None)
            if parent is None:
                return ""
            meta = type(self.instance)._meta
            return reverse(
                "plain_language_check_new", args=[meta.app_label, meta.model_name, parent.pk]
            )

        def get_context_data(self, parent_context=None):
            context = super().get_context_data(parent_context)
            if not in_dutch(self.instance):
                context["not_dutch"] = True
                return context
            report = check_page(self.instance)
            context.update(results_context(report))
            context["results_html"] = render_results(report, self.request)
            context["check_url"] = self.check_url
            if "plain_language_confirmed" in self.form.fields:
                context["confirm_field"] = self.form["plain_language_confirmed"]
            return context


def edit_handler_for(page_class):
    """Wagtail's own edit handler for a page type, with the check first on the content tab."""
    # Wagtail's own tab names, so Wagtail's catalog translates them (not extracted into ours).
    from django.utils.translation import gettext_lazy as wagtail_text
    from wagtail.admin.panels import ObjectList, TabbedInterface

    tabs = []
    if page_class.content_panels:
        tabs.append(
            ObjectList(
                [PlainLanguagePanel(), *page_class.content_panels], heading=wagtail_text("Content")
            )
        )
    if page_class.promote_panels:
        tabs.append(ObjectList(page_class.promote_panels, heading=wagtail_text("Promote")))
    if page_class.settings_panels:
        tabs.append(ObjectList(page_class.settings_panels, heading=wagtail_text("Settings")))
    return TabbedInterface(tabs, base_form_class=page_class.base_form_class).bind_to_model(
        page_class
    )
