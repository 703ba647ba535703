"""Small helpers for reading HTML responses the way a browser would."""

from html.parser import HTMLParser


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
