"""What the browser tests share: moving with the keyboard, reading focus, running axe."""

from urllib.parse import urlsplit

import pytest
from axe_playwright_python.sync_playwright import Axe
from django.conf import settings

# What every browser test module adds to `pytest.mark.browser`: a transactional database
# (the live server runs in another thread) restored to its migrated state around each test
# (trap 2), and silence, also under -W error, for warnings that are not ours: pytest-playwright's
# own deprecations, and Wagtail's rendition code leaving a SpooledTemporaryFile to the garbage
# collector (wagtail/images/models.py) when the live server makes card images.
BROWSER_TEST_MARKS = [
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
    pytest.mark.filterwarnings("ignore::DeprecationWarning:pytest_playwright"),
    pytest.mark.filterwarnings(
        "ignore:Session-scoped fixtures defined as instance methods:pytest.PytestRemovedIn10Warning"
    ),
    pytest.mark.filterwarnings(
        "ignore:Exception ignored in. <function SpooledTemporaryFile.__del__"
        ":pytest.PytestUnraisableExceptionWarning"
    ),
]

# WCAG 2.2 AA as axe-core 4.12 tags it (no best practices, no AAA).
WCAG_TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "wcag22aa"]
AXE_OPTIONS = {"runOnly": {"type": "tag", "values": WCAG_TAGS}, "resultTypes": ["violations"]}

_axe = Axe()

# A short description of the focused element: tag, id, classes, name, href and text.
FOCUSED_JS = """() => {
    const el = document.activeElement;
    if (!el || el === document.body) return null;
    return {
        tag: el.tagName.toLowerCase(),
        id: el.id || "",
        name: el.getAttribute("name") || "",
        type: el.getAttribute("type") || "",
        className: typeof el.className === "string" ? el.className : "",
        href: el.getAttribute("href") || "",
        text: (el.innerText || el.value || "").trim().slice(0, 80),
    };
}"""

# How the focused element shows that it has focus, and whether it is on screen. A focus ring
# may also be drawn around a container (a story card shows its title link's focus with
# :focus-within): then the container's outline or shadow changes when focus leaves.
FOCUS_STYLE_JS = """() => {
    const el = document.activeElement;
    if (!el || el === document.body) return null;
    const ring = (node) => {
        const style = getComputedStyle(node);
        return {outline: `${style.outlineStyle} ${style.outlineWidth} ${style.outlineColor}`,
                outlineStyle: style.outlineStyle,
                outlineWidth: parseFloat(style.outlineWidth) || 0,
                boxShadow: style.boxShadow};
    };
    const own = ring(el);
    const box = el.getBoundingClientRect();
    const result = {
        ...own,
        inViewport: box.width > 0 && box.height > 0 && box.bottom > 0 && box.right > 0
            && box.top < window.innerHeight && box.left < window.innerWidth,
        ownRing: (own.outlineStyle !== "none" && own.outlineWidth > 0)
            || (own.boxShadow !== "" && own.boxShadow !== "none"),
        containerRing: null,
    };
    if (!result.ownRing) {
        const ancestors = [];
        for (let node = el.parentElement; node && ancestors.length < 4; node = node.parentElement) {
            ancestors.push(node);
        }
        const focusedStyles = ancestors.map(ring);
        el.blur();
        const blurredStyles = ancestors.map(ring);
        el.focus({preventScroll: true});
        const index = focusedStyles.findIndex((style, i) =>
            style.outline !== blurredStyles[i].outline
            || style.boxShadow !== blurredStyles[i].boxShadow);
        if (index >= 0) {
            const node = ancestors[index];
            result.containerRing = `${node.tagName.toLowerCase()}.${node.className}`;
        }
    }
    return result;
}"""


def focused(page):
    return page.evaluate(FOCUSED_JS)


def describe(info):
    if info is None:
        return "<nothing focused>"
    label = info["tag"]
    if info["id"]:
        label += f"#{info['id']}"
    if info["className"]:
        label += "." + ".".join(info["className"].split())
    if info["href"]:
        label += f" href={info['href']!r}"
    if info["text"]:
        label += f" {info['text']!r}"
    return label


def focus_is_visible(page):
    """(visible?, details): an outline or a box shadow on the focused element, on screen."""
    style = page.evaluate(FOCUS_STYLE_JS)
    if style is None:
        return False, "nothing has focus"
    ring = style["ownRing"] or style["containerRing"] is not None
    return ring and style["inViewport"], style


def assert_focus_visible(page):
    visible, details = focus_is_visible(page)
    assert visible, f"No visible focus on {describe(focused(page))}: {details}"


def matches_focused(page, selector):
    return page.evaluate(
        "(selector) => !!document.activeElement && document.activeElement.matches(selector)",
        selector,
    )


def tab_to(page, selector, *, backwards=False, limit=60):
    """Press Tab (or Shift+Tab) until the focused element matches `selector`.

    Returns the descriptions of the elements passed on the way; fails with that list when
    `selector` is not reached.
    """
    key = "Shift+Tab" if backwards else "Tab"
    passed = []
    for _ in range(limit):
        page.keyboard.press(key)
        if matches_focused(page, selector):
            return passed
        passed.append(describe(focused(page)))
    raise AssertionError(
        f"{key} x{limit} never reached {selector!r}; focus went through:\n  " + "\n  ".join(passed)
    )


def press_and_wait_for_navigation(page, key="Enter"):
    """Press a key that follows a link or sends a form, and wait for the new page to load."""
    with page.expect_navigation(wait_until="load"):
        page.keyboard.press(key)


def has_horizontal_scroll(page):
    return page.evaluate(
        "() => document.documentElement.scrollWidth > document.documentElement.clientWidth"
    )


def widest_elements(page, limit=5):
    """The elements that stick out on the right, for a readable failure message."""
    return page.evaluate(
        """(limit) => {
            const width = document.documentElement.clientWidth;
            const out = [];
            for (const el of document.querySelectorAll("body *")) {
                const box = el.getBoundingClientRect();
                if (box.right > width + 0.5) {
                    const cls = typeof el.className === "string" && el.className
                        ? "." + el.className.trim().split(/\\s+/).join(".") : "";
                    out.push(`${el.tagName.toLowerCase()}${el.id ? "#" + el.id : ""}${cls}`
                        + ` right=${Math.round(box.right)}px`);
                }
            }
            return out.slice(0, limit);
        }""",
        limit,
    )


# --- Accessibility -------------------------------------------------------------------------


def axe_violations(page):
    """axe-core's WCAG 2.2 AA violations on the current page."""
    return _axe.run(page, options=AXE_OPTIONS).response["violations"]


def format_violations(violations):
    lines = []
    for violation in violations:
        lines.append(
            f"- {violation['id']} ({violation.get('impact') or 'n/a'}): {violation['help']}"
            f"\n    {violation.get('helpUrl', '')}"
        )
        for node in violation["nodes"]:
            target = " ".join(
                part if isinstance(part, str) else " >> ".join(part) for part in node["target"]
            )
            lines.append(f"    target: {target}")
            summary = "; ".join(
                " ".join(line.split())
                for line in (node.get("failureSummary") or "").splitlines()
                if line.strip()
            )
            if summary:
                lines.append(f"      {summary.replace(':;', ':')[:400]}")
    return "\n".join(lines)


def page_structure_problems(page):
    """One h1, html[lang] and dir for the language of the address, and a non-empty title:
    what every page needs."""
    facts = page.evaluate(
        """() => ({
            h1s: Array.from(document.querySelectorAll("h1")).map(h => h.innerText.trim()),
            lang: document.documentElement.getAttribute("lang"),
            dir: document.documentElement.getAttribute("dir"),
            path: location.pathname,
            title: document.title.trim(),
        })"""
    )
    problems = []
    if len(facts["h1s"]) != 1:
        problems.append(f"expected exactly one h1, found {len(facts['h1s'])}: {facts['h1s']}")
    prefix = facts["path"].split("/")[1]
    expected = prefix if prefix in {code for code, _name in settings.LANGUAGES} else "nl"
    if facts["lang"] != expected:
        problems.append(f"html[lang] is {facts['lang']!r}, expected {expected!r}")
    expected_dir = "rtl" if expected in settings.LANGUAGES_BIDI else "ltr"
    if facts["dir"] != expected_dir:
        problems.append(f"html[dir] is {facts['dir']!r}, expected {expected_dir!r}")
    title = facts["title"]
    if not title or title.startswith("|"):
        problems.append(f"the page has no proper title: {title!r}")
    return problems


# --- Staff sign-in -------------------------------------------------------------------------

TWO_FACTOR_VERIFY = "/admin/tweestaps/controleren/"
# The page's own form; Wagtail's icon loader puts what /admin/sprite/ returns in [data-sprite].
OWN_FORM = "form:not([data-sprite] form)"


def current_code(username):
    """The code the user's authenticator app shows now (demo logins get a confirmed device)."""
    from django_otp.oath import TOTP
    from django_otp.plugins.otp_totp.models import TOTPDevice

    device = TOTPDevice.objects.get(user__username=username, confirmed=True)
    token = TOTP(device.bin_key, device.step, device.t0, device.digits, device.drift).token()
    return f"{token:0{device.digits}d}"


def submit_own_form(page):
    with page.expect_navigation():
        page.locator(f"{OWN_FORM} button[type='submit']").click()


def sign_in(context, site_url, username, password):
    """Password, then (for roles that see personal data) the code from the app."""
    page = context.new_page()
    page.goto(site_url("/admin/login/"))
    page.fill("#id_username", username)
    page.fill("#id_password", password)
    submit_own_form(page)
    if urlsplit(page.url).path == TWO_FACTOR_VERIFY:
        page.locator(f"{OWN_FORM} input[name='code']").fill(current_code(username))
        submit_own_form(page)
    assert urlsplit(page.url).path == "/admin/", f"{username} could not sign in: {page.url}"
    # The sidebar is drawn by script; the account menu comes last.
    page.locator("a[href='/admin/account/']").first.wait_for(state="attached")
    return page
