"""The second sign-in step for every role that sees personal data."""

import re

import pytest
from django.test import Client
from django_otp.oath import totp
from django_otp.plugins.otp_totp.models import TOTPDevice

from tests.conftest import STAFF_PASSWORD

pytestmark = pytest.mark.django_db

INBOX = "/admin/aanmeldingen/"
SETUP = "/admin/tweestaps/instellen/"
VERIFY = "/admin/tweestaps/controleren/"


def current_code(device):
    return f"{totp(device.bin_key, device.step, device.t0, device.digits, device.drift):06d}"


def sign_in(username):
    client = Client()
    response = client.post(
        "/admin/login/", {"username": username, "password": STAFF_PASSWORD, "next": INBOX}
    )
    assert response.status_code == 302
    return client


@pytest.mark.parametrize(
    "role", ["intake_member", "feedback_coordinator", "consent_manager", "superuser"]
)
def test_password_alone_does_not_open_the_admin(request, role):
    user = request.getfixturevalue(role)
    client = sign_in(user.username)
    for url in ("/admin/", INBOX, "/admin/pages/"):
        response = client.get(url)
        assert response.status_code == 302
        assert response["Location"].startswith(VERIFY)


def test_communications_staff_need_no_second_step(editor):
    client = sign_in(editor.username)
    assert client.get("/admin/").status_code == 200


def test_right_code_opens_the_admin(intake_member):
    device = TOTPDevice.objects.get(user=intake_member)
    client = sign_in(intake_member.username)
    response = client.post(VERIFY, {"code": current_code(device), "next": INBOX})
    assert response.status_code == 302
    assert response["Location"] == INBOX
    assert client.get(INBOX).status_code == 200


def test_wrong_code_is_refused_kindly(intake_member):
    client = sign_in(intake_member.username)
    response = client.post(VERIFY, {"code": "000000", "next": INBOX})
    assert response.status_code == 400
    assert "klopt niet" in response.content.decode()
    assert client.get(INBOX)["Location"].startswith(VERIFY)


def test_next_cannot_lead_off_site(intake_member):
    device = TOTPDevice.objects.get(user=intake_member)
    client = sign_in(intake_member.username)
    response = client.post(VERIFY, {"code": current_code(device), "next": "https://evil.example/"})
    assert response["Location"] == "/admin/"


def test_staff_without_an_app_set_one_up_first(intake_member):
    TOTPDevice.objects.filter(user=intake_member).delete()
    client = sign_in(intake_member.username)
    response = client.get(INBOX)
    assert response["Location"].startswith(SETUP)
    page = client.get(response["Location"])
    assert page.status_code == 200
    assert "<svg" in page.content.decode()
    device = TOTPDevice.objects.get(user=intake_member, confirmed=False)
    right = client.post(SETUP, {"code": current_code(device), "next": INBOX})
    assert right.status_code == 302
    assert TOTPDevice.objects.get(pk=device.pk).confirmed
    assert client.get(INBOX).status_code == 200


def test_setup_with_a_wrong_code_stays_unconfirmed(intake_member):
    TOTPDevice.objects.filter(user=intake_member).delete()
    client = sign_in(intake_member.username)
    client.get(SETUP)
    wrong = client.post(SETUP, {"code": "123456", "next": INBOX})
    assert wrong.status_code == 400
    assert not TOTPDevice.objects.get(user=intake_member).confirmed
    assert client.get(INBOX)["Location"].startswith(SETUP)


def test_setup_keeps_the_same_key_when_reloaded(intake_member):
    TOTPDevice.objects.filter(user=intake_member).delete()
    client = sign_in(intake_member.username)
    key = re.compile(r"<code>([A-Z2-7 ]+)</code>")
    first = key.search(client.get(SETUP).content.decode()).group(1)
    second = key.search(client.get(SETUP).content.decode()).group(1)
    assert first == second
    assert TOTPDevice.objects.filter(user=intake_member).count() == 1


def test_anonymous_cannot_reach_the_second_step():
    response = Client().get(VERIFY)
    assert response.status_code == 302
    assert response["Location"].startswith("/admin/login/")
