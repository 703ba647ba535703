"""Small helpers: reading HTML responses the way a browser would, and valid form data."""

import subprocess
import sys
import time
import uuid
from html.parser import HTMLParser
from pathlib import Path


class _Collector(HTMLParser):
    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.elements = []

    def handle_starttag(self, tag, attrs):
        self.elements.append((tag, dict(attrs)))

    handle_startendtag = handle_starttag


def elements(response_or_html, tag=None):
    """Every start tag in the document as (tag, attrs), optionally only of one kind."""
    html = response_or_html
    if hasattr(response_or_html, "content"):
        html = response_or_html.content.decode()
    collector = _Collector()
    collector.feed(html)
    return [(t, a) for t, a in collector.elements if tag is None or t == tag]


def form_inputs(response):
    """The name and value of every input in the page, as a browser would submit them."""
    fields = {}
    for _tag, attrs in elements(response, "input"):
        name = attrs.get("name")
        kind = attrs.get("type")
        if not name or kind == "submit":
            continue
        if kind in ("checkbox", "radio") and "checked" not in attrs:
            continue
        fields[name] = attrs.get("value") or ""
    return fields


def links(response):
    return [attrs.get("href", "") for _tag, attrs in elements(response, "a")]


def text(response):
    """The response body as text, for `in` checks on what a person reads."""
    return response.content.decode()


def signed_render_time(seconds_ago=10):
    """The hidden render time as the server would have signed it `seconds_ago`."""
    # Imported here: the bench and the loopback server use this module without Django set up.
    import time_machine
    from django.core import signing

    from doorvertellen.forms import PublicForm

    with time_machine.travel(time.time() - seconds_ago, tick=False):
        return signing.dumps(time.time(), salt=PublicForm.signing_salt)


def valid_data(**overrides):
    data = {
        "name": "Sanne",
        "phone": "06 12345678",
        "email": "",
        "best_time": "morning",
        "message": "Ik heb een achterstand met de huur.",
        "postcode": "3311 ab",
        "consent": "on",
        "token": str(uuid.uuid4()),
        "rendered_at": signed_render_time(),
        "website": "",
    }
    data.update(overrides)
    return {key: value for key, value in data.items() if value is not None}


BASE_DIR = Path(__file__).resolve().parent.parent


def run_python(*args, env, timeout=180):
    """Run `python ARGS` (usually manage.py) in the project folder, as a deployment would."""
    return subprocess.run(
        [sys.executable, *args],
        cwd=BASE_DIR,
        env=env,
        capture_output=True,
        text=True,
        timeout=timeout,
        check=False,
    )
