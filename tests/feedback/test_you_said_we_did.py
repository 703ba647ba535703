"""Jullie zeiden, wij deden: only published answers, in the coordinator's words, never a
suggestion's own text or contact details; filterable by phase, with counts, in few queries."""

import pytest

from feedback.factories import (
    PublicItemFactory,
    SuggestionFactory,
    SuggestionPageFactory,
    YouSaidWeDidPageFactory,
)
from feedback.models import Phase, Status
from tests.helpers import elements, links, text

pytestmark = pytest.mark.django_db

SENTINEL = "ZZ-ORIGINEEL-7f3a"


@pytest.fixture
def suggestion_page(home):
    return SuggestionPageFactory(parent=home)


@pytest.fixture
def answers_page(suggestion_page):
    page = YouSaidWeDidPageFactory(parent=suggestion_page)
    suggestion_page.answers_page = page
    suggestion_page.save()
    return page


def test_only_published_items_are_shown(client, answers_page):
    PublicItemFactory(title="Brieven in gewone taal", published=True)
    PublicItemFactory(title="Nog niet klaar", published=False)
    response = client.get(answers_page.url)
    assert response.status_code == 200
    body = text(response)
    assert "Brieven in gewone taal" in body
    assert "Nog niet klaar" not in body
    assert "1 antwoord" in body


def test_an_item_shows_its_phase_status_and_answer_in_words(client, answers_page):
    PublicItemFactory(
        title="Sneller een eerste gesprek",
        summary="Mensen wachten te lang op het eerste gesprek.",
        phase=Phase.FIRST_MEETING,
        status=Status.PLANNED,
        answer="Vanaf maart bellen we binnen een week.",
    )
    body = text(client.get(answers_page.url))
    assert "Sneller een eerste gesprek" in body
    assert "Mensen wachten te lang op het eerste gesprek." in body
    assert "Over: Eerste gesprek" in body
    # The status is written out, not only a colour.
    assert 'Status: <span class="status status--planned">Gepland</span>' in body
    assert "Vanaf maart bellen we binnen een week." in body


def test_filter_by_phase_works_with_a_plain_form(client, answers_page):
    PublicItemFactory(title="Over brieven", phase=Phase.LETTERS)
    PublicItemFactory(title="Over de website", phase=Phase.WEBSITE)
    response = client.get(answers_page.url)
    forms = elements(response, "form")
    assert any(attrs.get("method") == "get" for _tag, attrs in forms)
    select = [attrs for _tag, attrs in elements(response, "select") if attrs.get("name") == "fase"]
    assert select and select[0]["id"] == "fase"
    assert elements(response, "label") and 'for="fase"' in text(response)

    filtered = client.get(answers_page.url, {"fase": Phase.WEBSITE})
    body = text(filtered)
    assert "Over de website" in body
    assert "Over brieven" not in body
    assert "1 antwoord over Deze website" in body
    assert f'<option value="{Phase.WEBSITE}" selected>' in body


def test_unknown_phase_shows_everything(client, answers_page):
    PublicItemFactory(title="Over brieven", phase=Phase.LETTERS)
    body = text(client.get(answers_page.url, {"fase": "<script>"}))
    assert "Over brieven" in body
    assert "<script>" not in body.split("<main", 1)[1]


def test_counts_per_status_for_all_and_under_the_filter(client, answers_page):
    PublicItemFactory.create_batch(2, phase=Phase.LETTERS, status=Status.CHANGED)
    PublicItemFactory(phase=Phase.LETTERS, status=Status.LOOKING)
    PublicItemFactory(phase=Phase.WEBSITE, status=Status.CHANGED)
    PublicItemFactory(phase=Phase.WEBSITE, status=Status.CHANGED, published=False)

    context = client.get(answers_page.url, {"fase": Phase.LETTERS}).context
    totals = {row["value"]: row["count"] for row in context["total_status_counts"]}
    filtered = {row["value"]: row["count"] for row in context["filtered_status_counts"]}
    assert totals == {Status.CHANGED: 3, Status.LOOKING: 1}
    assert filtered == {Status.CHANGED: 2, Status.LOOKING: 1}
    assert context["total_count"] == 4
    assert context["filtered_count"] == 3

    body = text(client.get(answers_page.url, {"fase": Phase.LETTERS}))
    assert '<span class="status status--changed">Veranderd</span>: 3' in body
    assert '<span class="status status--changed">Veranderd</span>: 2' in body


def test_merged_suggestions_are_counted(client, answers_page):
    merged = PublicItemFactory(title="Brieven zijn te lang")
    SuggestionFactory.create_batch(3, public_item=merged)
    single = PublicItemFactory(title="Eén voorstel")
    SuggestionFactory(public_item=single)
    body = text(client.get(answers_page.url))
    assert "3 mensen zeiden dit" in body
    assert "1 mens zei dit" not in body


def test_a_change_links_to_where_it_happened(client, home, answers_page):
    from doorvertellen.factories import StandardPageFactory

    info = StandardPageFactory(parent=home, title="Nieuwe brieven", slug="nieuwe-brieven")
    PublicItemFactory(title="Met pagina", status=Status.CHANGED, change_page=info)
    PublicItemFactory(
        title="Met adres", status=Status.CHANGED, change_url="https://www.example.org/nieuw"
    )
    PublicItemFactory(
        title="Nog gepland", status=Status.PLANNED, change_url="https://www.example.org/later"
    )
    hrefs = links(client.get(answers_page.url))
    assert info.url in hrefs
    assert "https://www.example.org/nieuw" in hrefs
    assert "https://www.example.org/later" not in hrefs


def test_the_original_suggestion_and_contact_details_are_never_shown(client, answers_page):
    item = PublicItemFactory(title="Brieven", summary="Mensen vinden brieven moeilijk.")
    SuggestionFactory.create_batch(
        2,
        public_item=item,
        what_happened=f"{SENTINEL} gebeurde",
        what_better=f"{SENTINEL} beter",
        contact_name=f"{SENTINEL} naam",
        contact_email="zz-origineel-7f3a@example.org",
        contact_phone="06 11223344",
    )
    for params in ({}, {"fase": item.phase}):
        body = text(client.get(answers_page.url, params))
        assert "Mensen vinden brieven moeilijk." in body
        assert SENTINEL.lower() not in body.lower()
        assert "11223344" not in body


def test_pagination_keeps_the_filter(client, answers_page):
    PublicItemFactory.create_batch(25, phase=Phase.LETTERS)
    first = client.get(answers_page.url, {"fase": Phase.LETTERS})
    assert len(first.context["answers"]) == 20
    assert f"?fase={Phase.LETTERS}&pagina=2" in links(first)
    second = client.get(answers_page.url, {"fase": Phase.LETTERS, "pagina": 2})
    assert len(second.context["answers"]) == 5


def test_empty_page_says_so_kindly(client, answers_page):
    body = text(client.get(answers_page.url, {"fase": Phase.AFTERCARE}))
    assert "Hier staan (nog) geen antwoorden." in body
    assert "Laat alle antwoorden zien" in body


def test_answers_page_invites_to_make_a_suggestion(client, suggestion_page, answers_page):
    assert suggestion_page.url in links(client.get(answers_page.url))


def _fill(count, home, start=0):
    from doorvertellen.factories import StandardPageFactory

    info = StandardPageFactory(parent=home, slug=f"verandering-{start}")
    for number in range(start, start + count):
        item = PublicItemFactory(
            # The first item is about letters, so the filtered page is never empty.
            phase=Phase.LETTERS if number % 2 == 0 else Phase.WEBSITE,
            status=Status.CHANGED if number % 2 else Status.PLANNED,
            change_page=info if number % 3 == 0 else None,
            change_url="https://www.example.org/x" if number % 3 == 1 else "",
        )
        SuggestionFactory.create_batch(2, public_item=item)


# The page itself (site, menu, settings, view restrictions) plus four of its own: the counts,
# the paginator's count, the items with their suggestion counts, and the suggestion page.
# `service_settings` exists beforehand: on a running site the first request made it, and
# making it starts a new page-cache generation (what every page shows is asked again).
MAX_QUERIES = 16


@pytest.mark.parametrize("count", [3, 30])
@pytest.mark.parametrize("params", [{}, {"fase": Phase.LETTERS}], ids=["all", "filtered"])
def test_query_count_has_a_fixed_ceiling(
    client, home, answers_page, service_settings, django_assert_max_num_queries, count, params
):
    params = {**params, "meting": "1"}  # rendered, not served from the page cache
    _fill(count, home)
    client.get(answers_page.url, params)  # warm Wagtail's site caches
    with django_assert_max_num_queries(MAX_QUERIES):
        response = client.get(answers_page.url, params)
    assert response.status_code == 200


@pytest.mark.parametrize("params", [{}, {"fase": Phase.LETTERS}], ids=["all", "filtered"])
def test_thirty_items_cost_no_more_queries_than_three(
    client, home, answers_page, service_settings, django_assert_max_num_queries, params
):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    params = {**params, "meting": "1"}  # rendered, not served from the page cache
    _fill(3, home)
    client.get(answers_page.url, params)  # what every page shows, remembered for this generation
    with CaptureQueriesContext(connection) as three:
        client.get(answers_page.url, params)
    budget = len(three.captured_queries)  # read now: the next request empties Django's log
    assert budget > 0
    _fill(27, home, start=3)  # a new generation
    client.get(answers_page.url, params)
    with django_assert_max_num_queries(budget):
        response = client.get(answers_page.url, params)
    assert len(response.context["answers"]) == (20 if "fase" not in params else 15)
