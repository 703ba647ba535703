"""Short links from flyers and posters, and their printable QR codes for staff."""

import segno
from django.conf import settings
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect
from django.template.response import TemplateResponse
from django.views.decorators.http import require_GET

from campagnes.models import TrackedLink, normalise_code

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
