"""Queries and bytes of each benchmarked page, measured inside Django with the production
settings the bench server runs with. Prints one JSON object; run by bench/run.py.

Each page is fetched twice with a parameter that keeps it out of the page cache, and the second
fetch is counted: the cost of a page the cache does not answer, after the first request of a
generation made what every page shares (menu, settings, renditions).
"""

import json
import os
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "doorvertellen.settings.production")

import django

django.setup()

from django.db import connection  # noqa: E402
from django.test import Client  # noqa: E402
from django.test.utils import CaptureQueriesContext  # noqa: E402

from campagnes.models import CampaignLandingPage  # noqa: E402
from doorvertellen.models import IntakePage  # noqa: E402
from verhalen.models import DocumentaryPage, StoryIndexPage, StoryPage  # noqa: E402

BROWSER = "Mozilla/5.0 (Linux; Android 14; bench) Mobile Safari/537.36"


def first_url(model, **filters):
    page = model.objects.live().filter(**filters).order_by("path").first()
    if page is None:
        raise SystemExit(f"The demo content has no live {model.__name__}.")
    return page.url


def main():
    paths = {
        "home": "/",
        "story index": first_url(StoryIndexPage),
        "story": first_url(StoryPage, documentarypage__isnull=True),
        "documentary": first_url(DocumentaryPage),
        "landing page": first_url(CampaignLandingPage),
        "intake page": first_url(IntakePage),
    }
    client = Client(HTTP_USER_AGENT=BROWSER, HTTP_HOST="127.0.0.1", secure=True)
    pages = {}
    for name, path in paths.items():
        url = f"{path}?meting=1"
        client.get(url)
        with CaptureQueriesContext(connection) as queries:
            response = client.get(url)
        if response.status_code != 200:
            raise SystemExit(f"{name} ({path}) answered {response.status_code}")
        pages[name] = {"path": path, "queries": len(queries), "bytes": len(response.content)}
    print(json.dumps(pages))


if __name__ == "__main__":
    main()
