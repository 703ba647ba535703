"""The intake team's inbox in the admin, and everyone else being kept out of it."""

import csv
import io
import json

import pytest
from django.urls import reverse

from doorvertellen.factories import IntakeRecordFactory
from doorvertellen.models import IntakeRecord
from tests.helpers import text

pytestmark = pytest.mark.django_db

SENTINELS = ("Zwaluwstaart", "Kolibrievleugel", "zwaluw@", "98765432", "9999 QX")
OTHER_ROLES = ["editor", "feedback_coordinator", "consent_manager"]


@pytest.fixture
def record():
    return IntakeRecordFactory(
        name="Joke Zwaluwstaart",
        phone="06 98765432",
        email="zwaluw@example.org",
        message="Kolibrievleugel: drie maanden huurachterstand",
        postcode="9999 QX",
    )


def inbox_urls(record):
    """Every address of the inbox, with the request method it is used with."""
    pk = record.pk
    url = lambda name, *args: reverse(f"intake_inbox:{name}", args=args)  # noqa: E731
    return [
        ("get", url("index")),
        ("get", url("index") + "?export=csv"),
        ("get", url("index") + "?export=xlsx"),
        ("get", url("index_results")),
        ("get", url("add")),
        ("get", url("inspect", pk)),
        ("get", url("edit", pk)),
        ("post", url("edit", pk)),
        ("get", url("delete", pk)),
        ("post", url("delete", pk)),
        ("get", url("history", pk)),
        ("get", url("history_results", pk)),
        ("get", url("usage", pk)),
        ("get", url("export_csv")),
        ("get", url("export_json")),
        ("post", url("mark", pk, "contacted")),
        ("post", url("mark", pk, "handed_over")),
    ]


def assert_no_sentinel(response):
    body = response.content.decode(errors="replace")
    for sentinel in SENTINELS:
        assert sentinel not in body, f"{sentinel!r} leaked in {response.request['PATH_INFO']}"


def assert_record_untouched(record):
    fresh = IntakeRecord.objects.get(pk=record.pk)
    assert fresh.status == IntakeRecord.Status.NEW
    assert fresh.contacted_at is None
    assert fresh.message == record.message


# --- The intake team ---------------------------------------------------------------------


def test_intake_team_sees_the_list(client, intake_member, record):
    client.force_login(intake_member)
    response = client.get(reverse("intake_inbox:index"))
    assert response.status_code == 200
    assert "Joke Zwaluwstaart" in text(response)
    assert record.reference in text(response)
    assert "no-store" in response["Cache-Control"]


def test_the_list_is_newest_first_and_filters_by_status_date_time_and_lateness(
    client, intake_member
):
    from datetime import timedelta

    from django.utils import timezone

    now = timezone.now()
    old = IntakeRecordFactory(
        created_at=now - timedelta(days=10),
        respond_by=now - timedelta(days=8),
        best_time=IntakeRecord.BestTime.MORNING,
    )
    contacted = IntakeRecordFactory(
        created_at=now - timedelta(days=5),
        respond_by=now - timedelta(days=3),
        contacted_at=now - timedelta(days=4),
        status=IntakeRecord.Status.CONTACTED,
    )
    fresh = IntakeRecordFactory(created_at=now, respond_by=now + timedelta(days=2))
    client.force_login(intake_member)
    index = reverse("intake_inbox:index")

    def listed(**params):
        response = client.get(index, params)
        assert response.status_code == 200
        return [record.pk for record in response.context["object_list"]]

    assert listed() == [fresh.pk, contacted.pk, old.pk]
    assert listed(status=IntakeRecord.Status.CONTACTED) == [contacted.pk]
    assert listed(status=IntakeRecord.Status.NEW) == [fresh.pk, old.pk]
    since = timezone.localdate(now - timedelta(days=6)).isoformat()
    assert listed(created_at__gte=since) == [fresh.pk, contacted.pk]
    assert listed(created_at__lte=since) == [old.pk]
    assert listed(best_time=IntakeRecord.BestTime.MORNING) == [old.pk]
    assert listed(overdue="true") == [old.pk]
    assert listed(overdue="false") == [fresh.pk, contacted.pk]
    # Nonsense in a filter is a kind error in the filter, never a 500.
    assert client.get(index, {"created_at__gte": "gisteren", "status": "x"}).status_code == 200


def test_intake_team_inspects_a_record(client, intake_member, record):
    client.force_login(intake_member)
    response = client.get(reverse("intake_inbox:inspect", args=[record.pk]))
    assert response.status_code == 200
    body = text(response)
    for value in ("Joke Zwaluwstaart", "06 98765432", "zwaluw@example.org", "9999 QX"):
        assert value in body
    assert "Markeer: contact gehad" in body


def test_intake_team_marks_contacted_then_handed_over(client, intake_member, record):
    client.force_login(intake_member)
    inspect_url = reverse("intake_inbox:inspect", args=[record.pk])

    response = client.post(reverse("intake_inbox:mark", args=[record.pk, "contacted"]))
    assert response.status_code == 302
    assert response["Location"] == inspect_url
    record.refresh_from_db()
    assert record.status == IntakeRecord.Status.CONTACTED
    assert record.contacted_by == intake_member
    contacted_at = record.contacted_at
    assert contacted_at is not None

    client.post(reverse("intake_inbox:mark", args=[record.pk, "handed_over"]))
    record.refresh_from_db()
    assert record.status == IntakeRecord.Status.HANDED_OVER
    assert record.handed_over_by == intake_member
    assert record.contacted_at == contacted_at  # the first contact is not overwritten


@pytest.mark.parametrize("action", ["contacted", "handed_over"])
def test_marking_needs_a_post(client, intake_member, record, action):
    client.force_login(intake_member)
    response = client.get(reverse("intake_inbox:mark", args=[record.pk, action]))
    assert response.status_code == 405
    assert_record_untouched(record)


def test_unknown_mark_action_changes_nothing(client, intake_member, record):
    client.force_login(intake_member)
    response = client.post(reverse("intake_inbox:mark", args=[record.pk, "deleted"]))
    assert response.status_code in (302, 403, 404)
    if response.status_code == 302:  # Wagtail's admin turns a refusal into a redirect home
        assert response["Location"] == reverse("wagtailadmin_home")
    assert_record_untouched(record)


def test_intake_team_cannot_create_or_delete_records(client, intake_member, record):
    client.force_login(intake_member)
    for url in (reverse("intake_inbox:add"), reverse("intake_inbox:delete", args=[record.pk])):
        response = client.post(url, {"name": "x"})
        assert response.status_code in (302, 403)
    assert IntakeRecord.objects.filter(pk=record.pk).exists()
    assert IntakeRecord.objects.count() == 1


def _csv_rows(response):
    content = b"".join(response.streaming_content) if response.streaming else response.content
    return list(csv.reader(io.StringIO(content.decode("utf-8-sig")), delimiter=";"))


def test_csv_export_holds_every_record(client, intake_member, record):
    IntakeRecordFactory(name="Tweede aanmelder")
    client.force_login(intake_member)
    response = client.get(reverse("intake_inbox:export_csv"))

    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/csv")
    assert "attachment" in response["Content-Disposition"]
    assert "no-store" in response["Cache-Control"]
    header, *rows = _csv_rows(response)
    assert header[:5] == ["referentie", "id", "aangemeld_op", "naam", "telefoon"]
    assert sorted(row[header.index("naam")] for row in rows) == [
        "Joke Zwaluwstaart",
        "Tweede aanmelder",
    ]


@pytest.mark.parametrize(
    "value",
    ['=HYPERLINK("http://x.example","klik")', "+1+1", "-2+3", "@SUM(1)", "\t=1"],
)
def test_csv_export_neutralises_formulas(client, intake_member, value):
    IntakeRecordFactory(name=value, message=value, email="", phone="")
    client.force_login(intake_member)
    header, row = _csv_rows(client.get(reverse("intake_inbox:export_csv")))

    for column in ("naam", "wat_is_er_aan_de_hand"):
        assert row[header.index(column)] == "'" + value
    for cell in row:
        assert not cell or cell[0] not in "=+-@\t\r"


def test_csv_export_can_be_limited_to_a_status(client, intake_member, record):
    done = IntakeRecordFactory(name="Al overgedragen")
    done.mark_handed_over(intake_member)
    client.force_login(intake_member)
    header, *rows = _csv_rows(client.get(reverse("intake_inbox:export_csv") + "?status=new"))
    assert [row[header.index("naam")] for row in rows] == ["Joke Zwaluwstaart"]


def test_json_export_holds_every_field(client, intake_member, record):
    client.force_login(intake_member)
    response = client.get(reverse("intake_inbox:export_json"))
    assert response.status_code == 200
    assert "no-store" in response["Cache-Control"]
    (exported,) = json.loads(response.content)["aanmeldingen"]
    assert exported["id"] == str(record.pk)
    assert exported["naam"] == "Joke Zwaluwstaart"
    assert exported["telefoon"] == "06 98765432"
    assert exported["email"] == "zwaluw@example.org"
    assert exported["postcode"] == "9999 QX"
    assert exported["wat_is_er_aan_de_hand"] == record.message


# --- Everyone else -----------------------------------------------------------------------


@pytest.mark.parametrize("role", OTHER_ROLES)
def test_other_roles_are_kept_out_of_every_inbox_address(client, request, role, record):
    client.force_login(request.getfixturevalue(role))
    for method, url in inbox_urls(record):
        response = getattr(client, method)(url)
        assert response.status_code in (302, 403), f"{method.upper()} {url}"
        if response.status_code == 302:
            assert not response["Location"].startswith("/admin/aanmeldingen/"), url
        assert_no_sentinel(response)
    assert_record_untouched(record)


@pytest.mark.parametrize("role", OTHER_ROLES)
def test_other_roles_have_no_inbox_in_their_menu(client, request, role, record):
    client.force_login(request.getfixturevalue(role))
    response = client.get(reverse("wagtailadmin_home"))
    assert response.status_code == 200
    assert "/admin/aanmeldingen/" not in text(response)
    assert_no_sentinel(response)


def test_editor_edits_the_intake_page_without_seeing_any_sign_up(
    client, editor, intake_member, intake_page, record
):
    # The intake team has worked on the record, so it has a history too.
    client.force_login(intake_member)
    client.post(reverse("intake_inbox:mark", args=[record.pk, "contacted"]))

    client.force_login(editor)
    urls = [
        reverse("wagtailadmin_pages:edit", args=[intake_page.pk]),
        reverse("wagtailadmin_explore", args=[intake_page.get_parent().pk]),
        reverse("wagtailadmin_pages:search") + "?q=Joke",
        reverse("wagtailadmin_home"),
    ] + [
        reverse(f"wagtailadmin_reports:{name}")
        for name in ("locked_pages", "aging_pages", "site_history", "page_types_usage")
    ]
    for url in urls:
        response = client.get(url)
        assert response.status_code in (200, 302, 403), url
        assert_no_sentinel(response)
    assert client.get(urls[0]).status_code == 200  # the editor does edit the page itself


def test_anonymous_visitors_are_sent_to_login(client, record):
    for method, url in inbox_urls(record):
        response = getattr(client, method)(url)
        assert response.status_code == 302, url
        assert response["Location"].startswith(reverse("wagtailadmin_login")), url
        assert_no_sentinel(response)
    assert_record_untouched(record)


def test_redactie_has_no_intake_permission_at_all(editor):
    for perm in ("view", "change", "add", "delete", "export"):
        assert not editor.has_perm(f"doorvertellen.{perm}_intakerecord")
