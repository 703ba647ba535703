"""Staff sign-in (a role without a second step): lockout, idle and absolute session limits."""

import logging

import pytest
import time_machine
from django.contrib.auth import get_user_model

from tests.conftest import STAFF_PASSWORD

LOGIN_URL = "/admin/login/"


def sign_in(client, username, password):
    return client.post(LOGIN_URL, {"username": username, "password": password})


def is_signed_in(client):
    return client.get("/admin/").status_code == 200


@pytest.mark.django_db
def test_right_password_signs_in(client, editor):
    sign_in(client, editor.username, STAFF_PASSWORD)
    assert is_signed_in(client)


@pytest.mark.django_db
def test_account_locks_after_five_failures_even_for_the_right_password(client, editor, caplog):
    with caplog.at_level(logging.WARNING, logger="doorvertellen.auth"):
        for _attempt in range(5):
            sign_in(client, editor.username, "fout-wachtwoord")
        sign_in(client, editor.username, STAFF_PASSWORD)
    assert not is_signed_in(client)
    # Five failures, then the refused right password counts as one more.
    assert sum("Sign-in failed" in r.getMessage() for r in caplog.records) == 6
    assert any("locked" in r.getMessage() for r in caplog.records)
    # No personal data in these log lines: not even the username.
    assert all(editor.username not in r.getMessage() for r in caplog.records)


@pytest.mark.django_db
def test_lock_lifts_after_the_lockout_period(client, editor, settings):
    with time_machine.travel("2026-11-01 10:00", tick=False) as traveller:
        for _attempt in range(5):
            sign_in(client, editor.username, "fout-wachtwoord")
        # Local memory cache expiry follows the clock too.
        traveller.shift(settings.LOGIN_LOCKOUT_SECONDS + 1)
        sign_in(client, editor.username, STAFF_PASSWORD)
        assert is_signed_in(client)


@pytest.mark.django_db
def test_four_failures_do_not_lock(client, editor):
    for _attempt in range(4):
        sign_in(client, editor.username, "fout-wachtwoord")
    sign_in(client, editor.username, STAFF_PASSWORD)
    assert is_signed_in(client)


@pytest.mark.django_db
def test_deactivated_user_loses_the_session_at_once(client, editor):
    client.force_login(editor)
    assert is_signed_in(client)
    get_user_model().objects.filter(pk=editor.pk).update(is_active=False)
    response = client.get("/admin/")
    assert response.status_code == 302
    assert response["Location"].startswith(LOGIN_URL)


@pytest.mark.django_db
def test_idle_session_ends(client, editor, settings):
    with time_machine.travel("2026-11-01 10:00", tick=False) as traveller:
        sign_in(client, editor.username, STAFF_PASSWORD)
        assert is_signed_in(client)
        traveller.shift(settings.SESSION_COOKIE_AGE - 60)
        assert is_signed_in(client), "activity within the idle limit keeps the session"
        traveller.shift(settings.SESSION_COOKIE_AGE + 1)
        assert not is_signed_in(client)


@pytest.mark.django_db
def test_session_ends_after_absolute_limit_even_when_active(client, editor, settings):
    with time_machine.travel("2026-11-01 08:00", tick=False) as traveller:
        sign_in(client, editor.username, STAFF_PASSWORD)
        elapsed = 0
        while elapsed <= settings.SESSION_ABSOLUTE_SECONDS:
            assert is_signed_in(client)
            step = settings.SESSION_COOKIE_AGE // 2
            traveller.shift(step)
            elapsed += step
        assert not is_signed_in(client)
