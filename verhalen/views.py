"""The storyteller's private links: approve the edited story, or withdraw consent.

No account and no login: the random token in the link is the key. So the pages are never
stored by a browser or proxy, their address is never sent on as a referrer, they are never
indexed, and they set no cookie but the CSRF cookie of their form. Every lookup counts towards
a per-address limit, so that nobody can try out tokens: once over it, even a right token is
refused for a while.
"""

import logging
import re

from django.conf import settings
from django.template.response import TemplateResponse
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from wagtail.images import get_image_model

from doorvertellen import ratelimit
from verhalen import consent as consent_service
from verhalen.forms import ApprovalAnswerForm, WithdrawalForm
from verhalen.models import ConsentRecord, DocumentaryPage, StoryApproval
from verhalen.models.consent import hash_token

logger = logging.getLogger("verhalen.views")

TOKEN_RE = re.compile(r"^[A-Za-z0-9_-]{16,128}$")
ALLOWED_METHODS = ("GET", "HEAD", "POST")


def link_response(request, template, context=None, status=200):
    """A response for a page reached by a private link (see the module docstring)."""
    response = TemplateResponse(request, template, context or {}, status=status)
    response["Cache-Control"] = "no-store, private"
    # The path (with the token) is never sent on; only our origin. Not "no-referrer": with
    # that, browsers send "Origin: null" with the form, and the CSRF check refuses it.
    response["Referrer-Policy"] = "strict-origin"
    response["X-Robots-Tag"] = "noindex, nofollow"
    return response


INVALID_HEADINGS = {
    "approved": _("Je hebt al akkoord gegeven"),
    "changes": _("We hebben je reactie al"),
    "superseded": _("Er is een nieuwere link"),
    "expired": _("Deze link is verlopen"),
    "consent_ended": _("Je toestemming geldt niet meer"),
    "withdrawal_unknown": _("Deze link werkt niet (meer)"),
    "busy": _("Even geduld"),
    "unknown": _("Deze link werkt niet"),
}


def invalid_link(request, reason, status):
    """The kind page for a link that does not (or no longer) work: what to do now."""
    context = {"reason": reason, "heading": INVALID_HEADINGS[reason]}
    return link_response(request, "verhalen/link_invalid.html", context, status)


def method_not_allowed(request):
    response = link_response(request, "405.html", status=405)
    response["Allow"] = ", ".join(ALLOWED_METHODS)
    return response


def over_limit(request):
    if ratelimit.hit(request, "consent-link", limit=settings.CONSENT_LINK_RATE_LIMIT):
        logger.warning("Consent link lookups over the rate limit")
        return True
    return False


def token_hash_or_none(token):
    """The stored form of a token, or None when it cannot be one of ours."""
    if not TOKEN_RE.match(token or ""):
        return None
    return hash_token(token)


# --- Approval ---------------------------------------------------------------------------------


def approval_problem(approval):
    """Why this approval link cannot be used (a reason for link_invalid.html), or ""."""
    status = StoryApproval.Status
    if approval.status == status.APPROVED:
        return "approved"
    if approval.status == status.CHANGES_REQUESTED:
        return "changes"
    if approval.status == status.SUPERSEDED:
        return "superseded"
    if approval.revision_id is None or approval.expires_at <= timezone.now():
        return "expired"
    consent = approval.consent
    if consent.withdrawn_at is not None or consent.expires_on <= timezone.localdate():
        return "consent_ended"
    return ""


def approval(request, token):
    if request.method not in ALLOWED_METHODS:
        return method_not_allowed(request)
    if over_limit(request):
        return invalid_link(request, "busy", 429)
    token_hash = token_hash_or_none(token)
    item = (
        StoryApproval.objects.select_related("consent", "consent__text_version", "page", "revision")
        .filter(token_hash=token_hash)
        .first()
        if token_hash
        else None
    )
    if item is None:
        return invalid_link(request, "unknown", 404)
    problem = approval_problem(item)
    if problem:
        return invalid_link(request, problem, 410)

    approve_form = ApprovalAnswerForm(
        request=request, auto_id="akkoord_%s", initial={"answer": ApprovalAnswerForm.APPROVE}
    )
    change_form = ApprovalAnswerForm(
        request=request, auto_id="wijzig_%s", initial={"answer": ApprovalAnswerForm.CHANGES}
    )
    status = 200
    notice = ""
    if request.method == "POST":
        bound = ApprovalAnswerForm(request.POST, request=request)
        if bound.is_valid() and not bound.is_spam:
            if bound.cleaned_data["answer"] == ApprovalAnswerForm.APPROVE:
                return approved(request, item)
            comment = bound.cleaned_data["comment"]
            if consent_service.request_changes(item, comment, request=request) is None:
                item.refresh_from_db()
                return invalid_link(request, approval_problem(item) or "changes", 410)
            return link_response(
                request,
                "verhalen/approval_done.html",
                {"answer": ApprovalAnswerForm.CHANGES, "title": item_title(item)},
            )
        status = 400
        if bound.is_spam:
            # Most likely a person who pressed very quickly: fresh forms, and a kind word.
            notice = "again"
            change_form.initial["comment"] = request.POST.get("comment", "")[:2000]
        elif bound.data.get("answer") == ApprovalAnswerForm.CHANGES:
            bound.auto_id = "wijzig_%s"
            change_form = bound
        else:
            bound.auto_id = "akkoord_%s"
            approve_form = bound
    return link_response(
        request,
        "verhalen/approval.html",
        approval_context(item, approve_form, change_form, notice),
        status,
    )


def item_title(item):
    return consent_service.approval_title(item)


def approval_context(item, approve_form, change_form, notice=""):
    """What the storyteller reads: exactly the revision they are asked about."""
    content = item.revision.as_object()
    photo = None
    if content.photo_id:
        photo = get_image_model().objects.filter(pk=content.photo_id).first()
    is_documentary = isinstance(content, DocumentaryPage)
    video = None
    if is_documentary and content.video_id:
        from verhalen.models import Video

        video = Video.objects.filter(pk=content.video_id).first()
    from verhalen.models import StoryPage

    related_ids = [link.story_id for link in content.related_stories.all()]
    related = {story.pk: story for story in StoryPage.objects.filter(pk__in=related_ids)}
    consent = item.consent
    return {
        "approval": item,
        "content": content,
        "themes": list(content.themes.all()),
        "related": [related[pk] for pk in related_ids if pk in related],
        "photo": photo,
        "is_documentary": is_documentary,
        "video": video,
        "consent": consent,
        "scopes": scope_lines(consent),
        "approve_form": approve_form,
        "change_form": change_form,
        "notice": notice,
    }


def scope_lines(consent):
    """Where the story may appear, as the storyteller reads it (the consent's scope)."""
    lines = []
    if consent.scope_website:
        lines.append(
            _(
                "Op onze website. Je citaat kan ook op andere pagina's van de website staan, "
                "bijvoorbeeld op de homepage."
            )
        )
    if consent.scope_social:
        lines.append(
            _(
                "Op sociale media, zoals Facebook en Instagram. Mensen kunnen je verhaal "
                "ook delen met anderen."
            )
        )
    if consent.scope_print:
        lines.append(_("Op papier, zoals in folders en op posters."))
    if consent.scope_video:
        lines.append(_("In video's."))
    return lines


def approved(request, item):
    token = consent_service.approve(item, request=request)
    if token is None:  # answered meanwhile, in another tab or by a double click
        item.refresh_from_db()
        return invalid_link(request, approval_problem(item) or "approved", 410)
    consent = ConsentRecord.objects.get(pk=item.consent_id)
    url = settings.SITE_URL.rstrip("/") + reverse("verhalen:withdrawal", args=[token])
    return link_response(
        request,
        "verhalen/approval_done.html",
        {
            "answer": ApprovalAnswerForm.APPROVE,
            "title": item_title(item),
            "withdrawal_url": url,
            "emailed": bool(consent.contact_email),
            "consent": consent,
        },
    )


# --- Withdrawal -------------------------------------------------------------------------------


def withdrawal(request, token):
    if request.method not in ALLOWED_METHODS:
        return method_not_allowed(request)
    if over_limit(request):
        return invalid_link(request, "busy", 429)
    token_hash = token_hash_or_none(token)
    consent = (
        ConsentRecord.objects.filter(withdrawal_token_hash=token_hash, withdrawn_at__isnull=True)
        .select_related("text_version")
        .first()
        if token_hash
        else None
    )
    if consent is None:
        return invalid_link(request, "withdrawal_unknown", 404)

    form = WithdrawalForm(request=request)
    status = 200
    notice = ""
    if request.method == "POST":
        bound = WithdrawalForm(request.POST, request=request)
        if bound.is_valid() and not bound.is_spam:
            pages = [page.title for page in consent.pages().live().order_by("title")]
            consent_service.withdraw(consent, request=request)
            return link_response(
                request, "verhalen/withdrawal_done.html", {"pages": pages, "consent": consent}
            )
        status = 400
        notice = "again" if bound.is_spam else "expired"
    return link_response(
        request,
        "verhalen/withdrawal.html",
        {
            "consent": consent,
            "pages": consent.pages().live().order_by("title"),
            "form": form,
            "notice": notice,
        },
        status,
    )
