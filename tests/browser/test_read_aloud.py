"""Read aloud: the browser's own speech synthesis, and nothing where it is missing.

Chromium here has no voices or sound, so what the page asks the speech synthesis to say is
recorded by a stand-in installed before the page's scripts run.
"""

import pytest

from tests.browser.helpers import BROWSER_TEST_MARKS

pytestmark = [pytest.mark.browser, *BROWSER_TEST_MARKS]

RECORDING_SYNTHESIS = """
(() => {
    window.__spoken = [];
    window.__cancelled = 0;
    const synthesis = {
        speak(utterance) { window.__spoken.push({text: utterance.text, lang: utterance.lang}); },
        cancel() { window.__cancelled += 1; },
        getVoices() { return [{lang: "nl-NL", name: "Nederlands"}]; },
    };
    Object.defineProperty(window, "speechSynthesis", {value: synthesis, configurable: true});
    window.SpeechSynthesisUtterance = function (text) { this.text = text; };
})();
"""

NO_SYNTHESIS = """
(() => {
    delete window.speechSynthesis;
    delete window.SpeechSynthesisUtterance;
    Object.defineProperty(window, "speechSynthesis", {value: undefined, configurable: true});
})();
"""


def test_a_story_is_read_aloud_in_dutch_and_can_be_stopped(context, site_url, demo_content):
    context.add_init_script(RECORDING_SYNTHESIS)
    page = context.new_page()
    story = demo_content.stories[0]
    page.goto(site_url(story.url))

    button = page.get_by_role("button", name="Lees voor")
    assert button.is_visible()
    assert button.get_attribute("aria-pressed") == "false"
    button.click()

    spoken = page.evaluate("() => window.__spoken")
    texts = [part["text"] for part in spoken]
    assert texts[0] == story.title
    assert {part["lang"] for part in spoken} == {"nl"}
    everything = " ".join(texts)
    assert story.quote in everything
    assert story.summary.split(".")[0] in everything
    # The button itself, the share links and the forms are not read.
    assert "Lees voor" not in everything
    assert "WhatsApp" not in everything
    assert all(len(text) <= 200 for text in texts)

    stop = page.get_by_role("button", name="Stop met voorlezen")
    assert stop.get_attribute("aria-pressed") == "true"
    stop.click()
    assert page.evaluate("() => window.__cancelled") >= 1
    assert page.get_by_role("button", name="Lees voor").get_attribute("aria-pressed") == "false"


def test_a_landing_page_is_read_aloud(context, site_url, demo_content):
    from campagnes.models import CampaignLandingPage

    landing = CampaignLandingPage.objects.live().first()
    context.add_init_script(RECORDING_SYNTHESIS)
    page = context.new_page()
    page.goto(site_url(landing.url))
    page.get_by_role("button", name="Lees voor").click()
    everything = " ".join(part["text"] for part in page.evaluate("() => window.__spoken"))
    # The version of the headline this visitor was shown (A or B).
    assert landing.headline in everything or (
        landing.headline_b and landing.headline_b in everything
    )
    assert landing.message.split(".")[0] in everything


def test_without_speech_synthesis_there_is_no_button_and_no_error(context, site_url, demo_content):
    context.add_init_script(NO_SYNTHESIS)
    page = context.new_page()
    errors = []
    page.on("pageerror", lambda exc: errors.append(str(exc)))
    page.goto(site_url(demo_content.stories[0].url))
    assert page.get_by_role("button", name="Lees voor").count() == 0
    assert page.locator(".read-aloud").is_hidden()
    assert errors == []


def test_without_javascript_there_is_no_button(new_guarded_context, site_url, demo_content):
    page = new_guarded_context(java_script_enabled=False).new_page()
    page.goto(site_url(demo_content.stories[0].url))
    assert page.locator(".read-aloud").is_hidden()
