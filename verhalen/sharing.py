"""Passing stories on (the social-media snowball) without letting a social network in.

A story's share links are plain links to our own address (`share`): it adds one to a day count
for the story and channel, then sends the browser on to the network's own share page, or to a
mail program. No script, button or image of a network is ever loaded from our pages. The
address that gets shared carries `?deel=<channel>`, so an arrival through a shared link is
counted as well (`count_arrival`, called by StoryPage.serve). Only numbers per day are kept:
never an address, a browser string or a cookie, and requests from bots and link previews are
not counted at all.

All of it exists only while every teller's consent includes social media: the links, the share
picture (`share_image`) and its Open Graph tags. Editors see the counts in a report.
"""

import hashlib
import re
from urllib.parse import quote, urlencode

import django_filters
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.db.models import F, Q, QuerySet, Sum
from django.db.models.signals import post_delete
from django.dispatch import receiver
from django.http import Http404, HttpResponse, HttpResponseRedirect
from django.urls import reverse
from django.utils import timezone
from django.utils.functional import cached_property
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _
from django.views.decorators.http import require_safe
from wagtail.admin.filters import DateRangePickerWidget, WagtailFilterSet
from wagtail.admin.ui.tables import Column
from wagtail.admin.views.reports import ReportView
from wagtail.permission_policies import ModelPermissionPolicy
from wagtail.signals import page_unpublished

from doorvertellen.models import ServiceSettings
from verhalen import share_image as picture
from verhalen.models import ShareChannel, ShareCount, StoryPage

# User agents that are not a person: crawlers, link previews (which also fetch a shared link,
# so they would count as arrivals), monitors and scripts. An empty one counts as a bot too.
BOT_RE = re.compile(
    r"bot|crawl|spider|slurp|preview|facebookexternalhit|whatsapp|telegram|slack|discord|"
    r"embedly|skype|curl|wget|python|httpclient|okhttp|go-http|java/|headless|monitor|"
    r"lighthouse|pingdom|uptime",
    re.IGNORECASE,
)

# Channels with a share page of their own, in the order people see them. "Copy link" has none:
# the story page shows the address to copy.
REDIRECT_CHANNELS = [
    ShareChannel.WHATSAPP,
    ShareChannel.FACEBOOK,
    ShareChannel.LINKEDIN,
    ShareChannel.X,
    ShareChannel.EMAIL,
]
SHARE_PARAMETER = "deel"
IMAGE_DIR = "deelplaatjes"


def is_bot(request):
    agent = request.META.get("HTTP_USER_AGENT", "")
    return not agent or bool(BOT_RE.search(agent))


# --- Counting -------------------------------------------------------------------------------


def add(page_id, channel, kind, day=None):
    """Add one to today's count, safely when many people share at the same moment.

    get_or_create copes with two requests creating the row at once (one of them gets the
    unique constraint's error and reads the row instead); the increment happens in the
    database, so no count is lost between reading and writing.
    """
    row, _created = ShareCount.objects.get_or_create(
        page_id=page_id, channel=channel, kind=kind, day=day or timezone.localdate()
    )
    ShareCount.objects.filter(pk=row.pk).update(count=F("count") + 1)


def count_arrival(request, page):
    """Count a visit that came in through a shared link (`?deel=<channel>`)."""
    count_arrival_at(request, page.pk)


def count_arrival_at(request, page_id):
    channel = request.GET.get(SHARE_PARAMETER, "")
    if request.method != "GET" or channel not in ShareChannel.values or is_bot(request):
        return
    add(page_id, channel, ShareCount.Kind.ARRIVED)


# --- What a story page shows ----------------------------------------------------------------


def shared_url(page, channel, request=None):
    """The address that gets shared: the story's own, with the channel it went through."""
    return f"{page.get_full_url(request)}?{urlencode({SHARE_PARAMETER: channel})}"


def share_text(page):
    return f"\u201c{page.quote}\u201d \u2013 {page.display_name}"


def target_url(page, channel, request):
    """The network's share page (or a mail to write) for this story and channel."""
    url = shared_url(page, channel, request)
    text = share_text(page)
    if channel == ShareChannel.WHATSAPP:
        return "https://wa.me/?" + urlencode({"text": f"{text}\n{url}"}, quote_via=quote)
    if channel == ShareChannel.FACEBOOK:
        return "https://www.facebook.com/sharer/sharer.php?" + urlencode({"u": url})
    if channel == ShareChannel.LINKEDIN:
        return "https://www.linkedin.com/sharing/share-offsite/?" + urlencode({"url": url})
    if channel == ShareChannel.X:
        return "https://twitter.com/intent/tweet?" + urlencode({"url": url, "text": text})
    if channel == ShareChannel.EMAIL:
        body = f"{gettext('Dit verhaal wil ik met je delen:')}\n\n{text}\n{url}"
        # mailto wants %20 for a space, not "+".
        return "mailto:?" + urlencode({"subject": page.title, "body": body}, quote_via=quote)
    raise Http404


def image_name(page, service_name):
    """Where the share picture is kept: new content (or a new layout) means a new file."""
    key = f"{picture.LAYOUT_VERSION}|{page.quote}|{page.display_name}|{service_name}"
    digest = hashlib.sha256(key.encode("utf-8")).hexdigest()[:24]
    return f"{IMAGE_DIR}/{page.pk}-{digest}.png"


CONTACT_FIELDS = ("contact_name", "contact_email", "contact_phone")


class StorySharing:
    """What one story page may show and share, worked out once per page and request.

    One query for the consents answers both questions a page asks: may it be shared (every
    teller allows social media, as StoryPage.consent_allows_social) and may the photo be
    shown (every teller allows a photo; publishing already requires it, this is a second
    guard for the rendering).
    """

    def __init__(self, page, request):
        self.page = page
        self.request = request
        consents = page.consents()
        if isinstance(consents, QuerySet):
            # What a page may show needs no way to reach the teller: those stay encrypted.
            consents = consents.defer(*CONTACT_FIELDS)
        consents = list(consents)
        self.social = bool(consents) and all(consent.allows_social for consent in consents)
        self.photo = bool(consents) and all(consent.photo_allowed for consent in consents)

    @cached_property
    def links(self):
        return [
            {
                "channel": channel.value,
                "label": channel.label,
                "url": reverse("verhalen:share", args=[self.page.pk, channel.value]),
            }
            for channel in REDIRECT_CHANNELS
        ]

    @cached_property
    def page_url(self):
        return self.page.get_full_url(self.request)

    @cached_property
    def copy_url(self):
        return shared_url(self.page, ShareChannel.LINK, self.request)

    @cached_property
    def image_url(self):
        """Absolute, with the content's fingerprint so a network fetches a new picture."""
        service = ServiceSettings.for_request(self.request)
        version = image_name(self.page, service.service_name).rsplit("-", 1)[1][:12]
        path = reverse("verhalen:share_image", args=[self.page.pk])
        return self.request.build_absolute_uri(f"{path}?v={version}")


def for_page(page, request):
    """The page's StorySharing, made on first use (the head and the body both ask)."""
    sharing = getattr(page, "_story_sharing", None)
    if sharing is None or sharing.request is not request:
        sharing = StorySharing(page, request)
        page._story_sharing = sharing
    return sharing


# --- Public views ---------------------------------------------------------------------------


class ShareRedirect(HttpResponseRedirect):
    allowed_schemes = ["https", "mailto"]


def shareable_story(page_id):
    """A live, public story (or documentary) whose tellers all allow social media."""
    page = StoryPage.objects.live().public().filter(pk=page_id).first()
    if page is None or not page.consent_allows_social():
        raise Http404
    return page


@require_safe
def share(request, page_id, channel):
    """Count one share, then send the browser on to the network's share page.

    A link people click, so a GET; a HEAD (link checkers) is answered but not counted.
    """
    if channel not in REDIRECT_CHANNELS:
        raise Http404
    page = shareable_story(page_id)
    if request.method == "GET" and not is_bot(request):
        add(page.pk, channel, ShareCount.Kind.SHARED)
    response = ShareRedirect(target_url(page, channel, request))
    response["Cache-Control"] = "no-store"
    response["Referrer-Policy"] = "no-referrer"
    response["X-Robots-Tag"] = "noindex, nofollow"
    return response


@require_safe
def share_image(request, page_id):
    """The story's share picture, drawn once per version of its content and then kept."""
    page = shareable_story(page_id)
    service_name = ServiceSettings.for_request(request).service_name
    name = image_name(page, service_name)
    if default_storage.exists(name):
        with default_storage.open(name, "rb") as stored:
            data = stored.read()
    else:
        data = picture.render(page.quote, page.display_name, service_name)
        remove_images(page.pk, keep=name)
        saved = default_storage.save(name, ContentFile(data))
        if saved != name:  # drawn at the same moment by another request: keep one copy
            default_storage.delete(saved)
    response = HttpResponse(data, content_type="image/png")
    response["Cache-Control"] = "public, max-age=86400"
    return response


def remove_images(page_id, keep=None):
    """Delete the page's stored share pictures (all, or all but `keep`)."""
    try:
        _folders, files = default_storage.listdir(IMAGE_DIR)
    except FileNotFoundError:
        return
    for filename in files:
        name = f"{IMAGE_DIR}/{filename}"
        if filename.startswith(f"{page_id}-") and name != keep:
            default_storage.delete(name)


@receiver(page_unpublished, dispatch_uid="verhalen_sharing_unpublished")
def remove_images_when_offline(sender, instance, **kwargs):
    """A story taken offline (withdrawal, expiry, an editor) keeps no share picture."""
    if isinstance(instance, StoryPage):
        remove_images(instance.pk)


@receiver(post_delete, sender=StoryPage, dispatch_uid="verhalen_sharing_deleted")
def remove_images_when_deleted(sender, instance, **kwargs):
    remove_images(instance.pk)


# --- Admin report ---------------------------------------------------------------------------


class ShareReportFilterSet(WagtailFilterSet):
    day = django_filters.DateFromToRangeFilter(label=_("Dag"), widget=DateRangePickerWidget)
    channel = django_filters.ChoiceFilter(
        label=_("Kanaal"), choices=ShareChannel.choices, empty_label=_("Alle kanalen")
    )

    class Meta:
        model = ShareCount
        fields = ["day", "channel"]


def channel_label(value):
    return str(dict(ShareChannel.choices).get(value, value))


class ChannelColumn(Column):
    def get_value(self, instance):
        return channel_label(instance["channel"])


class ShareReportView(ReportView):
    """How often each story was shared, and visited through a shared link, per channel.

    Numbers only, summed over the chosen days: the rows themselves hold nothing about people.
    """

    page_title = _("Gedeelde verhalen")
    header_icon = "link"
    index_url_name = "verhalen_share_report"
    index_results_url_name = "verhalen_share_report_results"
    permission_policy = ModelPermissionPolicy(ShareCount)
    permission_required = "view"
    filterset_class = ShareReportFilterSet
    paginate_by = 50
    verbose_name_plural = _("gedeelde verhalen")
    columns = [
        Column("title", label=_("Verhaal"), accessor="page__title"),
        ChannelColumn("channel", label=_("Kanaal")),
        Column("shared", label=_("Keer gedeeld")),
        Column("arrived", label=_("Bezoeken via gedeelde link")),
    ]
    list_export = ["page__title", "channel", "shared", "arrived"]
    export_headings = {
        "page__title": _("Verhaal"),
        "channel": _("Kanaal"),
        "shared": _("Keer gedeeld"),
        "arrived": _("Bezoeken via gedeelde link"),
    }
    custom_field_preprocess = {"channel": {"csv": channel_label, "xlsx": channel_label}}

    def get_filename(self):
        return f"gedeelde-verhalen-{timezone.localdate():%Y-%m-%d}"

    def get_queryset(self):
        rows = self.filter_queryset(ShareCount.objects.all())
        return (
            rows.values("page_id", "page__title", "channel")
            .annotate(
                shared=Sum("count", filter=Q(kind=ShareCount.Kind.SHARED), default=0),
                arrived=Sum("count", filter=Q(kind=ShareCount.Kind.ARRIVED), default=0),
            )
            .order_by("-shared", "-arrived", "page__title", "channel")
        )

    def get_filtered_queryset(self):
        return self.get_queryset()
