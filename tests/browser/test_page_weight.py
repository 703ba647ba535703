"""What a first visit costs on a phone: at most 200 KB and 15 requests per page, before video.

Measured in Chromium against the production setup (gunicorn, WhiteNoise, the collected and
compressed static files, the demo site), at a 360 px wide viewport with an empty cache, reading
the whole page down to the footer so that every lazy image is fetched too.
"""

import pytest

from tests.browser.helpers import BROWSER_TEST_MARKS
from tests.deployment import gunicorn

pytestmark = [pytest.mark.browser, *BROWSER_TEST_MARKS]

MAX_BYTES = 200 * 1024
MAX_REQUESTS = 15
YEAR = 365 * 24 * 60 * 60


@pytest.fixture(scope="module")
def production(deployment):
    env, _url = deployment.fresh("weight")
    with gunicorn(env, deployment.base / "weight.log") as server:
        yield server


def first_visit(browser, server, path):
    """Open `path` in a new, empty browser and scroll to the end; every response's size."""
    context = browser.new_context(
        viewport={"width": 360, "height": 800},
        # As the TLS proxy in front of the app says (the server speaks plain HTTP here).
        extra_http_headers={"X-Forwarded-Proto": "https"},
    )
    responses = []
    page = context.new_page()
    page.on("requestfinished", lambda request: responses.append(request))
    page.goto(f"http://127.0.0.1:{server.port}{path}", wait_until="networkidle")
    page.evaluate(
        """async () => {
            for (let y = 0; y < document.body.scrollHeight; y += 400) {
                window.scrollTo(0, y);
                await new Promise((done) => setTimeout(done, 50));
            }
        }"""
    )
    page.wait_for_load_state("networkidle")
    measured = []
    for request in responses:
        if request.resource_type == "media":
            continue  # a film loads only when it is played
        sizes = request.sizes()
        response = request.response()
        measured.append(
            {
                "url": request.url,
                "type": request.resource_type,
                "bytes": sizes["responseBodySize"] + sizes["responseHeadersSize"],
                "headers": response.headers if response else {},
            }
        )
    context.close()
    return measured


# Demo pages: the home page, the story index (its first story is looked up), a landing page.
PATHS = {"home": "/", "story": "/verhalen/", "landing page": "/rood-staan/"}


@pytest.mark.parametrize("kind", ["home", "story", "landing page"])
def test_a_first_visit_stays_within_the_budget(browser, production, kind):
    path = PATHS[kind]
    if kind == "story":
        # The first story on the index that is not a film: its photo, quote and text.
        context = browser.new_context(extra_http_headers={"X-Forwarded-Proto": "https"})
        page = context.new_page()
        page.goto(f"http://127.0.0.1:{production.port}{path}")
        path = page.locator(
            ".story-card:not(:has(.label-film)) .story-card__title a"
        ).first.get_attribute("href")
        context.close()

    measured = first_visit(browser, production, path)

    total = sum(item["bytes"] for item in measured)
    listing = "\n".join(f"{item['bytes']:>7} {item['type']:<10} {item['url']}" for item in measured)
    assert len(measured) <= MAX_REQUESTS, f"{len(measured)} requests:\n{listing}"
    assert total <= MAX_BYTES, f"{total} bytes:\n{listing}"
    assert any(item["type"] == "stylesheet" for item in measured)


def test_css_and_scripts_are_compressed_hashed_and_kept_for_a_year(browser, production):
    measured = first_visit(browser, production, PATHS["landing page"])
    assets = [item for item in measured if item["type"] in ("stylesheet", "script")]
    assert assets, "no stylesheet or script was loaded"
    for item in assets:
        name = item["url"].rsplit("/", 1)[-1]
        assert len(name.split(".")) >= 3, f"{name} has no content hash in its name"
        assert item["headers"].get("content-encoding") in ("gzip", "br"), item["url"]
        control = item["headers"].get("cache-control", "")
        max_age = int(control.split("max-age=")[1].split(",")[0]) if "max-age=" in control else 0
        assert max_age >= YEAR, f"{item['url']}: {control}"
