"""The per-address limit on the intake form: kind, and keeps what the resident typed."""

import logging

import pytest

from doorvertellen.models import IntakeRecord
from tests.helpers import form_inputs, valid_data

pytestmark = pytest.mark.django_db


@pytest.fixture
def low_limit(settings):
    settings.PUBLIC_FORM_RATE_LIMIT = 3
    settings.PUBLIC_FORM_RATE_WINDOW = 600


def post(client, intake_page, **meta):
    return client.post(intake_page.url, valid_data(name="Noor"), **meta)


def test_over_the_limit_stores_nothing_and_keeps_the_input(client, intake_page, low_limit, caplog):
    for _ in range(3):
        assert post(client, intake_page).status_code == 302
    with caplog.at_level(logging.WARNING, logger="doorvertellen.forms"):
        response = post(client, intake_page)
    assert response.status_code == 429
    assert IntakeRecord.objects.count() == 3
    assert "Wacht tien minuten" in response.content.decode()
    assert form_inputs(response)["name"] == "Noor"
    assert any("rate limit" in record.getMessage() for record in caplog.records)


def test_spoofed_forwarded_for_does_not_escape_the_limit(client, intake_page, low_limit):
    for number in range(3):
        post(client, intake_page, HTTP_X_FORWARDED_FOR=f"203.0.113.{number}")
    response = post(client, intake_page, HTTP_X_FORWARDED_FOR="198.51.100.7")
    assert response.status_code == 429


def test_behind_a_proxy_only_the_proxy_appended_address_counts(
    client, intake_page, low_limit, settings
):
    settings.TRUSTED_PROXY_COUNT = 1
    for number in range(3):
        # A client may put anything on the left; the proxy appends the real address.
        post(client, intake_page, HTTP_X_FORWARDED_FOR=f"10.0.0.{number}, 192.0.2.10")
    assert post(client, intake_page, HTTP_X_FORWARDED_FOR="192.0.2.10").status_code == 429
    # Another resident behind the same proxy is not affected.
    assert post(client, intake_page, HTTP_X_FORWARDED_FOR="192.0.2.11").status_code == 302
