"""One gate for malformed requests to the public site, before any view or form sees them.

Residents' browsers never send NUL bytes, broken UTF-8, megabytes of form data, hundreds of
fields, JSON or a PUT: such a request is a bot, a scanner or a broken client. Django would
answer some of them with a bare English "Bad Request", an unhandled multipart error or even
store mangled text (it reads a broken url-encoded body as U+FFFD or Latin-1). Here each gets
a short, kind Dutch page with a 4xx status, and the view never runs, so nothing is stored.

The staff admin is left alone: Wagtail's own screens post JSON and uploads of their own, and
staff are behind a sign-in.
"""

import logging
from urllib.parse import parse_qsl

from django.conf import settings
from django.core.exceptions import (
    BadRequest,
    RequestDataTooBig,
    SuspiciousOperation,
    TooManyFieldsSent,
    TooManyFilesSent,
)
from django.http import HttpResponseBadRequest
from django.http.multipartparser import MultiPartParserError
from django.template import loader
from django.template.response import TemplateResponse
from django.utils.translation import gettext as _

logger = logging.getLogger("doorvertellen.bad_input")

ALLOWED_METHODS = ("GET", "HEAD", "POST")
FORM_CONTENT_TYPES = ("application/x-www-form-urlencoded", "multipart/form-data")

# Why a request was refused -> (status, message). The message says what to do next.
PROBLEMS = {
    "method": 405,
    "content_type": 400,
    "too_big": 413,
    "too_many_fields": 400,
    "malformed": 400,
    "encoding": 400,
    "nul": 400,
}


def is_public(request):
    return not request.path.startswith("/admin/")


def problem_with(request):
    """The reason this public request is refused, or "" when it may go on to its view."""
    if request.method not in ALLOWED_METHODS:
        return "method"
    try:
        if has_nul(request.GET):
            return "nul"
        if request.method != "POST":
            return ""
        if request.content_type not in FORM_CONTENT_TYPES:
            return "content_type"
        if request.content_type == "application/x-www-form-urlencoded" and not body_is_utf8(
            request
        ):
            return "encoding"
        data = request.POST
    except RequestDataTooBig:
        return "too_big"
    except (TooManyFieldsSent, TooManyFilesSent):
        return "too_many_fields"
    except (MultiPartParserError, BadRequest, SuspiciousOperation, ValueError):
        return "malformed"
    if request.content_type == "multipart/form-data" and has_replacement_char(data):
        # The multipart parser replaced bytes that were not UTF-8.
        return "encoding"
    if has_nul(data):
        return "nul"
    return ""


def body_is_utf8(request):
    """Whether a url-encoded body is valid UTF-8, raw bytes and %-escapes alike."""
    charset = request.content_params.get("charset", "utf-8").lower()
    if charset not in ("utf-8", "utf8"):
        return False
    try:
        parse_qsl(
            request.body.decode("utf-8"),
            keep_blank_values=True,
            errors="strict",
            max_num_fields=settings.DATA_UPLOAD_MAX_NUMBER_FIELDS,
        )
    except UnicodeDecodeError:
        return False
    except ValueError as exc:
        # parse_qsl's own field limit: the same refusal Django gives.
        raise TooManyFieldsSent(str(exc)) from exc
    return True


def _items(querydict):
    for key, values in querydict.lists():
        yield key
        yield from values


def has_nul(querydict):
    return any("\x00" in item for item in _items(querydict))


def has_replacement_char(querydict):
    return any("\ufffd" in item for item in _items(querydict))


def messages():
    return {
        "method": (
            _("Dat kan hier niet"),
            _("Deze pagina kan dit verzoek niet verwerken. Ga naar de homepage en kies daar."),
        ),
        "content_type": (
            _("Je gegevens kwamen niet goed bij ons aan."),
            _(
                "Je browser stuurde het formulier op een manier die wij niet kennen. "
                "Ga één pagina terug en druk nog een keer op de knop."
            ),
        ),
        "too_big": (
            _("Je bericht is te lang"),
            _(
                "Je bericht past niet in het formulier. Ga één pagina terug, maak je tekst "
                "korter en druk nog een keer op de knop."
            ),
        ),
        "too_many_fields": (
            _("Je gegevens kwamen niet goed bij ons aan."),
            _(
                "Er kwam veel meer mee dan in het formulier staat. Ga één pagina terug en "
                "druk nog een keer op de knop."
            ),
        ),
        "malformed": (
            _("Je gegevens kwamen niet goed bij ons aan."),
            _("Ga één pagina terug en druk nog een keer op de knop."),
        ),
        "encoding": (
            _("Je gegevens kwamen niet goed bij ons aan."),
            _(
                "Er stonden tekens in die wij niet kunnen lezen. Ga één pagina terug, typ je "
                "gegevens nog een keer en druk op de knop."
            ),
        ),
        "nul": (
            _("Je gegevens kwamen niet goed bij ons aan."),
            _(
                "Er stonden tekens in die wij niet kunnen lezen. Ga één pagina terug, typ je "
                "gegevens nog een keer en druk op de knop."
            ),
        ),
    }


def refusal(request, problem):
    """The kind page for a refused request; never kept by a browser or proxy."""
    heading, explanation = messages()[problem]
    response = TemplateResponse(
        request,
        "400.html",
        {"heading": heading, "explanation": explanation},
        status=PROBLEMS[problem],
    )
    response["Cache-Control"] = "no-store, private"
    if problem == "method":
        response["Allow"] = ", ".join(ALLOWED_METHODS)
    return response


class BadInputMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if is_public(request):
            problem = problem_with(request)
            if problem:
                # The reason only: never the request's contents.
                logger.warning("Public request refused: %s (%s)", problem, request.method)
                return refusal(request, problem).render()
        return self.get_response(request)


def bad_request(request, exception=None):
    """Django's 400 handler (a suspicious request found further on): the same kind page.

    It may be the request itself that is wrong (a bad host name), so when the site's own
    page cannot be rendered for it, a plain Dutch page without the site's layout is sent.
    """
    try:
        return refusal(request, "malformed").render()
    except Exception:  # the host or request cannot carry a full page
        heading, explanation = messages()["malformed"]
        body = loader.render_to_string(
            "400_plain.html", {"heading": heading, "explanation": explanation}
        )
        response = HttpResponseBadRequest(body)
        response["Cache-Control"] = "no-store, private"
        return response
