"""The access audit log: every look at or change to an intake record is written down.

Entries name who did what to which record, never the record's contents. They cannot be
changed or deleted, and only administrators can read them in the admin.
"""

import logging
from datetime import timedelta

import pytest
from django.contrib.auth.models import Permission
from django.urls import reverse
from django.utils import timezone

from doorvertellen.factories import IntakeRecordFactory
from doorvertellen.models import AuditEntry, IntakeRecord
from tests.helpers import links, text

pytestmark = pytest.mark.django_db

INTAKE_TYPE = "doorvertellen.IntakeRecord"
PERSONAL = {
    "name": "Joke Gierzwaluwstaart",
    "phone": "06 97531864",
    "email": "gierzwaluw@example.org",
    "postcode": "9988 QZ",
    "message": "Pimpelmeesveer: vier maanden huurachterstand",
}
# Every personal value, and recognisable parts of each.
SENTINELS = (*PERSONAL.values(), "Gierzwaluw", "97531864", "gierzwaluw@", "Pimpelmees")
EDITED = {**PERSONAL, "name": "Joke Gierzwaluwstaart-Boomklever", "best_time": "morning"}
ROLES_WITHOUT_AUDIT_LOG = ["editor", "intake_member", "feedback_coordinator", "consent_manager"]
A = AuditEntry.Action


@pytest.fixture
def record():
    return IntakeRecordFactory(**PERSONAL)


@pytest.fixture
def audit_warnings():
    """WARNING records on "doorvertellen.audit".

    The "doorvertellen" logger does not propagate to the root logger (settings.LOGGING), so
    pytest's caplog would never see them: a handler is attached to the logger itself.
    """

    class ListHandler(logging.Handler):
        def __init__(self):
            super().__init__(level=logging.WARNING)
            self.records = []

        def emit(self, record):
            self.records.append(record)

    handler = ListHandler()
    logger = logging.getLogger("doorvertellen.audit")
    logger.addHandler(handler)
    yield handler.records
    logger.removeHandler(handler)


def entries():
    return list(AuditEntry.objects.order_by("id"))


def entry_values(entry):
    return [str(getattr(entry, field.attname)) for field in AuditEntry._meta.concrete_fields]


def assert_no_personal_value(entry_list):
    assert entry_list
    for entry in entry_list:
        for value in entry_values(entry):
            for sentinel in SENTINELS:
                assert sentinel.lower() not in value.lower(), (sentinel, entry.action)


def make_entry(**fields):
    defaults = {
        "actor_username": "iemand",
        "action": A.VIEW,
        "object_type": INTAKE_TYPE,
        "object_id": "1234",
        "detail": "",
    }
    return AuditEntry.objects.create(**{**defaults, **fields})


# --- What the intake team does is written down --------------------------------------------


def test_each_step_of_the_intake_team_writes_one_entry(client, intake_member, record):
    # A second sign-up, so the export count is not just "1"; its values are sentinels too.
    IntakeRecordFactory(
        name="Tweede Gierzwaluw",
        phone="06 97531864",
        email="gierzwaluw2@example.org",
        message="Pimpelmees, tweede",
        postcode=PERSONAL["postcode"],
    )
    # Roles only gain permissions in code; an administrator may grant deleting by hand.
    intake_member.user_permissions.add(
        Permission.objects.get(
            content_type__app_label="doorvertellen", codename="delete_intakerecord"
        )
    )
    client.force_login(intake_member)
    pk = record.pk
    url = lambda name, *args: reverse(f"intake_inbox:{name}", args=args)  # noqa: E731

    steps = [
        ("get", url("index"), {}, 200),
        ("get", url("inspect", pk), {}, 200),
        ("get", url("export_csv"), {}, 200),
        ("get", url("export_json"), {}, 200),
        ("post", url("mark", pk, "contacted"), {}, 302),
        ("get", url("edit", pk), {}, 200),
        ("post", url("edit", pk), EDITED, 302),
        ("post", url("delete", pk), {}, 302),
    ]
    for method, address, data, status in steps:
        response = getattr(client, method)(address, data)
        assert response.status_code == status, f"{method.upper()} {address}"
        if address == url("index"):  # the list is the way to the record
            assert url("inspect", pk) in links(response)

    assert not IntakeRecord.objects.filter(pk=pk).exists()  # the steps really happened
    logged = entries()
    expected = [
        (A.LIST, ""),
        (A.VIEW, str(pk)),
        (A.EXPORT, ""),
        (A.EXPORT, ""),
        (A.CHANGE, str(pk)),
        (A.VIEW, str(pk)),
        (A.CHANGE, str(pk)),
        (A.DELETE, str(pk)),
    ]
    assert [(e.action, e.object_id) for e in logged] == expected
    for entry in logged:
        assert entry.actor == intake_member
        assert entry.actor_username == "aanmeldteam"
        assert entry.object_type == INTAKE_TYPE
        assert entry.result == AuditEntry.Result.OK
        assert entry.ip_address == "127.0.0.1"
    csv_entry, json_entry = logged[2], logged[3]
    assert "csv" in csv_entry.detail and "2" in csv_entry.detail
    assert "json" in json_entry.detail and "2" in json_entry.detail
    assert "contacted" in logged[4].detail
    assert_no_personal_value(logged)


def test_a_failed_edit_is_not_logged_as_a_change(client, intake_member, record):
    client.force_login(intake_member)
    response = client.post(reverse("intake_inbox:edit", args=[record.pk]), {**EDITED, "name": ""})
    assert response.status_code == 200  # the form is shown again with its error
    assert IntakeRecord.objects.get(pk=record.pk).name == PERSONAL["name"]
    assert not AuditEntry.objects.filter(action=A.CHANGE).exists()


def test_the_entries_survive_the_staff_account(client, intake_member, record):
    client.force_login(intake_member)
    client.get(reverse("intake_inbox:inspect", args=[record.pk]))
    intake_member.delete()
    (entry,) = entries()
    assert entry.actor is None
    assert entry.actor_username == "aanmeldteam"


# --- Refusals are written down and reported ------------------------------------------------


@pytest.mark.parametrize(
    ("method", "name", "with_pk", "action"),
    [
        ("get", "inspect", True, A.VIEW),
        ("get", "export_csv", False, A.EXPORT),
        ("get", "export_json", False, A.EXPORT),
        ("post", "mark", True, A.CHANGE),
    ],
)
def test_a_refusal_is_logged_as_denied_with_a_warning(
    client, editor, record, audit_warnings, method, name, with_pk, action
):
    client.force_login(editor)
    args = [record.pk] if with_pk else []
    if name == "mark":
        args.append("contacted")
    response = getattr(client, method)(reverse(f"intake_inbox:{name}", args=args))

    assert response.status_code in (302, 403)
    if response.status_code == 302:
        assert not response["Location"].startswith("/admin/aanmeldingen/")
    for sentinel in SENTINELS:
        assert sentinel not in text(response)
    assert IntakeRecord.objects.get(pk=record.pk).status == IntakeRecord.Status.NEW

    (entry,) = entries()
    assert entry.result == AuditEntry.Result.DENIED
    assert entry.action == action
    assert entry.actor == editor
    assert entry.actor_username == "redacteur"
    assert entry.object_type == INTAKE_TYPE
    assert entry.object_id == (str(record.pk) if with_pk else "")
    assert entry.ip_address == "127.0.0.1"
    assert_no_personal_value([entry])

    (warning,) = audit_warnings
    assert warning.name == "doorvertellen.audit"
    assert warning.levelno == logging.WARNING
    message = warning.getMessage()
    assert "redacteur" in message
    assert action in message
    for sentinel in SENTINELS:
        assert sentinel not in message


def test_intake_team_without_delete_permission_is_logged_as_denied(
    client, intake_member, record, audit_warnings
):
    client.force_login(intake_member)
    response = client.post(reverse("intake_inbox:delete", args=[record.pk]))
    assert response.status_code in (302, 403)
    assert IntakeRecord.objects.filter(pk=record.pk).exists()
    (entry,) = entries()
    assert (entry.action, entry.result, entry.object_id) == (
        A.DELETE,
        AuditEntry.Result.DENIED,
        str(record.pk),
    )
    assert len(audit_warnings) == 1


def test_allowed_access_writes_no_warning(client, intake_member, record, audit_warnings):
    client.force_login(intake_member)
    assert client.get(reverse("intake_inbox:inspect", args=[record.pk])).status_code == 200
    assert AuditEntry.objects.filter(result=AuditEntry.Result.OK).count() == 1
    assert audit_warnings == []


# --- Entries cannot be changed or deleted --------------------------------------------------


def assert_unchanged(entry):
    stored = AuditEntry.objects.filter(pk=entry.pk).values().get()
    assert stored["detail"] == "origineel"
    assert stored["action"] == A.VIEW
    assert stored["actor_username"] == "iemand"


def test_an_entry_cannot_be_saved_again():
    entry = make_entry(detail="origineel")
    entry.detail = "vervalst"
    entry.action = A.LIST
    with pytest.raises(PermissionError):
        entry.save()
    with pytest.raises(PermissionError):
        entry.save(update_fields=["detail"])
    assert_unchanged(entry)


def test_an_entry_cannot_be_deleted():
    entry = make_entry(detail="origineel")
    with pytest.raises(PermissionError):
        entry.delete()
    assert_unchanged(entry)


def test_entries_cannot_be_updated_or_deleted_in_bulk():
    entry = make_entry(detail="origineel")
    with pytest.raises(PermissionError):
        AuditEntry.objects.update(detail="vervalst")
    with pytest.raises(PermissionError):
        AuditEntry.objects.filter(pk=entry.pk).update(detail="vervalst")
    with pytest.raises(PermissionError):
        AuditEntry.objects.all().delete()
    with pytest.raises(PermissionError):
        AuditEntry.objects.filter(pk=entry.pk).delete()
    assert_unchanged(entry)
    assert AuditEntry.objects.count() == 1


def test_purge_before_removes_only_older_entries():
    now = timezone.now()
    moment = now - timedelta(days=2)
    old = make_entry(timestamp=now - timedelta(days=3))
    at_the_moment = make_entry(timestamp=moment)
    new = make_entry(timestamp=now - timedelta(days=1))
    assert AuditEntry.objects.purge_before(moment) == 1
    assert set(AuditEntry.objects.values_list("pk", flat=True)) == {at_the_moment.pk, new.pk}
    assert not AuditEntry.objects.filter(pk=old.pk).exists()


# --- The audit log in the admin -------------------------------------------------------------


@pytest.fixture
def logged(db):
    return {
        "export": make_entry(action=A.EXPORT, object_id="", detail="merkteken-uitvoer"),
        "view": make_entry(action=A.VIEW, detail="merkteken-inzage"),
        "denied": make_entry(
            action=A.CHANGE, result=AuditEntry.Result.DENIED, detail="merkteken-geweigerd"
        ),
    }


def test_superuser_reads_the_audit_log(client, superuser, logged):
    client.force_login(superuser)
    response = client.get(reverse("audit_log:index"))
    assert response.status_code == 200
    body = text(response)
    for detail in ("merkteken-uitvoer", "merkteken-inzage", "merkteken-geweigerd"):
        assert detail in body
    assert "no-store" in response["Cache-Control"]


def test_superuser_filters_the_audit_log_by_action(client, superuser, logged):
    client.force_login(superuser)
    response = client.get(reverse("audit_log:index"), {"action": A.EXPORT})
    assert response.status_code == 200
    body = text(response)
    assert "merkteken-uitvoer" in body
    assert "merkteken-inzage" not in body
    assert "merkteken-geweigerd" not in body


def test_superuser_inspects_an_entry(client, superuser, logged):
    entry = logged["denied"]
    client.force_login(superuser)
    response = client.get(reverse("audit_log:inspect", args=[entry.pk]))
    assert response.status_code == 200
    body = text(response)
    assert "merkteken-geweigerd" in body
    assert reverse("audit_log:edit", args=[entry.pk]) not in body
    assert reverse("audit_log:delete", args=[entry.pk]) not in body


def test_superuser_sees_no_add_edit_or_delete(client, superuser, logged):
    client.force_login(superuser)
    response = client.get(reverse("audit_log:index"))
    body = text(response)
    assert reverse("audit_log:add") not in body
    for entry in logged.values():
        assert reverse("audit_log:inspect", args=[entry.pk]) in links(response)
        assert reverse("audit_log:edit", args=[entry.pk]) not in body
        assert reverse("audit_log:delete", args=[entry.pk]) not in body


def test_superuser_cannot_add_edit_or_delete_entries(client, superuser, logged):
    client.force_login(superuser)
    entry = logged["view"]
    before = AuditEntry.objects.filter(pk=entry.pk).values().get()
    forged = {"action": A.DELETE, "detail": "vervalst", "actor_username": "niemand"}
    requests = [
        ("get", reverse("audit_log:add")),
        ("post", reverse("audit_log:add")),
        ("get", reverse("audit_log:edit", args=[entry.pk])),
        ("post", reverse("audit_log:edit", args=[entry.pk])),
        ("get", reverse("audit_log:delete", args=[entry.pk])),
        ("post", reverse("audit_log:delete", args=[entry.pk])),
    ]
    for method, address in requests:
        response = getattr(client, method)(address, forged)
        assert response.status_code in (302, 403), f"{method.upper()} {address}"
        if response.status_code == 302:
            assert not response["Location"].startswith("/admin/toegangslog/"), address
    assert AuditEntry.objects.count() == len(logged)
    assert AuditEntry.objects.filter(pk=entry.pk).values().get() == before


def test_superuser_has_the_audit_log_in_the_settings_menu(client, superuser):
    client.force_login(superuser)
    response = client.get(reverse("wagtailadmin_home"))
    assert response.status_code == 200
    assert reverse("audit_log:index") in text(response)


@pytest.mark.parametrize("role", ROLES_WITHOUT_AUDIT_LOG)
def test_other_staff_cannot_open_the_audit_log(client, request, role, logged):
    client.force_login(request.getfixturevalue(role))
    for address in (
        reverse("audit_log:index"),
        reverse("audit_log:index_results"),
        reverse("audit_log:inspect", args=[logged["view"].pk]),
    ):
        response = client.get(address)
        assert response.status_code in (302, 403), address
        if response.status_code == 302:
            assert not response["Location"].startswith("/admin/toegangslog/"), address
        assert "merkteken-" not in text(response)


@pytest.mark.parametrize("role", ROLES_WITHOUT_AUDIT_LOG)
def test_other_staff_have_no_audit_log_in_their_menu(client, request, role):
    client.force_login(request.getfixturevalue(role))
    response = client.get(reverse("wagtailadmin_home"))
    assert response.status_code == 200
    assert reverse("audit_log:index") not in text(response)
