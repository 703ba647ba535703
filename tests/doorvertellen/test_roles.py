"""The staff roles exist after migrate, with exactly the powers they need."""

import pytest
from django.contrib.auth.models import Group, Permission
from wagtail.models import Collection, GroupCollectionPermission, GroupPagePermission, Page

from doorvertellen import roles

pytestmark = pytest.mark.django_db

INTAKE_PERMISSIONS = {
    "doorvertellen.view_intakerecord",
    "doorvertellen.change_intakerecord",
    "doorvertellen.export_intakerecord",
}


def permissions_of(group_name):
    group = Group.objects.get(name=group_name)
    return {f"{p.content_type.app_label}.{p.codename}" for p in group.permissions.all()}


def test_every_role_exists_after_migrate():
    assert set(Group.objects.values_list("name", flat=True)) >= {
        "Redactie",
        "Aanmeldteam",
        "Feedbackcoördinator",
        "Toestemmingsbeheer",
    }
    assert (
        roles.COMMUNICATIONS,
        roles.INTAKE_TEAM,
        roles.FEEDBACK_COORDINATOR,
        roles.CONSENT_MANAGER,
    ) == ("Redactie", "Aanmeldteam", "Feedbackcoördinator", "Toestemmingsbeheer")


def test_every_role_may_use_the_admin():
    for name in roles.ROLES:
        assert "wagtailadmin.access_admin" in permissions_of(name), name


def test_intake_team_may_read_work_and_export_the_inbox_but_not_delete():
    granted = permissions_of(roles.INTAKE_TEAM)
    assert granted >= INTAKE_PERMISSIONS
    assert "doorvertellen.delete_intakerecord" not in granted
    assert "doorvertellen.add_intakerecord" not in granted
    group = Group.objects.get(name=roles.INTAKE_TEAM)
    assert not GroupPagePermission.objects.filter(group=group).exists()


def test_only_the_intake_team_has_any_intake_permission():
    for name in roles.ROLES:
        if name == roles.INTAKE_TEAM:
            continue
        intake = {p for p in permissions_of(name) if p.endswith("_intakerecord")}
        assert intake == set(), name


def test_redactie_edits_pages_images_documents_and_themes():
    group = Group.objects.get(name=roles.COMMUNICATIONS)
    root = Page.get_first_root_node()
    page_perms = set(
        GroupPagePermission.objects.filter(group=group, page=root).values_list(
            "permission__codename", flat=True
        )
    )
    assert page_perms == set(roles.PAGE_PERMISSIONS)

    collection_perms = set(
        GroupCollectionPermission.objects.filter(
            group=group, collection=Collection.get_first_root_node()
        ).values_list("permission__codename", flat=True)
    )
    assert {"add_image", "choose_image", "add_document", "choose_document"} <= collection_perms
    assert {"verhalen.add_storytheme", "verhalen.change_storytheme"} <= permissions_of(
        roles.COMMUNICATIONS
    )


def test_feedback_and_consent_roles_cannot_touch_pages():
    for name in (roles.FEEDBACK_COORDINATOR, roles.CONSENT_MANAGER):
        group = Group.objects.get(name=name)
        assert not GroupPagePermission.objects.filter(group=group).exists()
        assert not GroupCollectionPermission.objects.filter(group=group).exists()


def test_running_again_adds_nothing_twice_and_keeps_manual_additions():
    group = Group.objects.get(name=roles.FEEDBACK_COORDINATOR)
    extra = Permission.objects.get(content_type__app_label="taggit", codename="view_tag")
    group.permissions.add(extra)
    before = {
        name: (permissions_of(name), GroupPagePermission.objects.filter(group__name=name).count())
        for name in roles.ROLES
    }

    roles.ensure_roles()

    after = {
        name: (permissions_of(name), GroupPagePermission.objects.filter(group__name=name).count())
        for name in roles.ROLES
    }
    assert after == before
    assert "taggit.view_tag" in permissions_of(roles.FEEDBACK_COORDINATOR)
    assert Group.objects.filter(name=roles.INTAKE_TEAM).count() == 1


def test_a_deleted_role_comes_back_with_its_permissions():
    Group.objects.filter(name=roles.INTAKE_TEAM).delete()
    roles.ensure_roles()
    assert permissions_of(roles.INTAKE_TEAM) >= INTAKE_PERMISSIONS


def test_users_get_the_powers_of_their_role(editor, intake_member):
    assert intake_member.has_perm("doorvertellen.view_intakerecord")
    assert intake_member.has_perm("doorvertellen.export_intakerecord")
    assert not editor.has_perm("doorvertellen.view_intakerecord")
    assert editor.has_perm("wagtailadmin.access_admin")


CONSENT_PERMISSIONS = {
    "verhalen.add_consentrecord",
    "verhalen.change_consentrecord",
    "verhalen.delete_consentrecord",
    "verhalen.view_consentrecord",
    "verhalen.add_consenttext",
    "verhalen.change_consenttext",
    "verhalen.view_consenttext",
}


def test_consent_managers_keep_the_consent_records_and_texts():
    granted = permissions_of(roles.CONSENT_MANAGER)
    assert granted >= CONSENT_PERMISSIONS
    assert "verhalen.delete_consenttext" not in granted  # records point to the text they used


def test_only_the_consent_managers_have_any_consent_permission():
    for name in roles.ROLES:
        if name == roles.CONSENT_MANAGER:
            continue
        consent = {
            p
            for p in permissions_of(name)
            if p.endswith(("_consentrecord", "_consenttext", "_storyapproval"))
        }
        assert consent == set(), name


def test_editors_cannot_reach_consent_records(editor, consent_manager):
    assert not editor.has_perm("verhalen.view_consentrecord")
    assert not editor.has_perm("verhalen.change_consentrecord")
    assert consent_manager.has_perm("verhalen.change_consentrecord")
