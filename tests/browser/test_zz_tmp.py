import time
import pytest
from tests.browser.conftest import BROWSER_DB
from tests.browser.helpers import axe_violations, format_violations, _axe, AXE_OPTIONS

pytestmark = [pytest.mark.browser, BROWSER_DB]


def test_axe_sanity(page, site_url, live_server):
    page.goto(site_url("/bestaat-niet/"))
    page.evaluate("document.querySelector('main').insertAdjacentHTML('beforeend', '<p style=\"color:#ccc;background:#fff\">licht</p><p style=\"color:#ccc\">licht2</p>')")
    r = _axe.run(page, options={"runOnly": AXE_OPTIONS["runOnly"]}).response
    print(format_violations(r["violations"]))
    for i in r["incomplete"]:
        print("INCOMPLETE", i["id"], [ (n["target"], n.get("any") and n["any"][0].get("message")) for n in i["nodes"]])
    cc = [p for p in r["passes"] if p["id"]=="color-contrast"]
    print("contrast passes", cc and len(cc[0]["nodes"]))
    print(page.evaluate("getComputedStyle(document.querySelector('main p:last-child')).color"))
