"""The staff roles, as groups the project creates and keeps in step with the code.

Run after every migration, so a fresh install and an upgraded one get the same groups. A role
only gains permissions here; an administrator may add more by hand, and those are kept.
Permissions are named by string so that this core app needs no import of the domain apps.
"""

from django.contrib.auth.models import Group, Permission
from django.utils.translation import gettext_lazy as _

COMMUNICATIONS = "Redactie"
INTAKE_TEAM = "Aanmeldteam"
FEEDBACK_COORDINATOR = "Feedbackcoördinator"
CONSENT_MANAGER = "Toestemmingsbeheer"
MANAGEMENT = "Leidinggevenden"

PAGE_PERMISSIONS = ["add_page", "change_page", "publish_page", "lock_page", "unlock_page"]
COLLECTION_PERMISSIONS = {
    "wagtailimages": ["add_image", "change_image", "choose_image", "delete_image"],
    "wagtaildocs": ["add_document", "change_document", "choose_document", "delete_document"],
}

ROLES = {
    COMMUNICATIONS: {
        "description": _("Pagina's, verhalen, afbeeldingen en campagnes. Geen aanmeldingen."),
        "permissions": [
            "wagtailadmin.access_admin",
            "verhalen.add_storytheme",
            "verhalen.change_storytheme",
            "verhalen.delete_storytheme",
            "verhalen.add_video",
            "verhalen.change_video",
            "verhalen.view_video",
            "verhalen.view_sharecount",
            "campagnes.add_campaign",
            "campagnes.change_campaign",
            "campagnes.delete_campaign",
            "campagnes.publish_campaign",
            "campagnes.view_campaign",
            "feedback.view_usefulcount",
            "doorvertellen.add_jargonterm",
            "doorvertellen.change_jargonterm",
            "doorvertellen.delete_jargonterm",
            "doorvertellen.view_jargonterm",
            # "Vertalen" in the page menu: a copy in another language to write and publish.
            "simple_translation.submit_translation",
        ],
        "pages": True,
        "collections": True,
    },
    MANAGEMENT: {
        # Managers read the campaign figures (aggregates only) and change nothing.
        "description": _("Alleen de cijfers van campagnes bekijken. Geen aanmeldingen."),
        "permissions": ["wagtailadmin.access_admin", "campagnes.view_campaign"],
    },
    INTAKE_TEAM: {
        "description": _("De inbox met aanmeldingen en hun voortgang."),
        "two_factor": True,
        "permissions": [
            "wagtailadmin.access_admin",
            "doorvertellen.view_intakerecord",
            "doorvertellen.change_intakerecord",
            "doorvertellen.export_intakerecord",
        ],
    },
    FEEDBACK_COORDINATOR: {
        "description": _("Verbetervoorstellen en hun contactgegevens."),
        "two_factor": True,
        "permissions": [
            "wagtailadmin.access_admin",
            "feedback.view_suggestion",
            "feedback.change_suggestion",
            "feedback.delete_suggestion",
            "feedback.add_publicitem",
            "feedback.change_publicitem",
            "feedback.delete_publicitem",
            "feedback.view_publicitem",
            "feedback.view_usefulcomment",
            "feedback.view_usefulcount",
        ],
    },
    CONSENT_MANAGER: {
        "description": _("Toestemmingen van vertellers en hun contactgegevens."),
        "two_factor": True,
        "permissions": [
            "wagtailadmin.access_admin",
            "verhalen.add_consentrecord",
            "verhalen.change_consentrecord",
            "verhalen.delete_consentrecord",
            "verhalen.view_consentrecord",
            "verhalen.add_consenttext",
            "verhalen.change_consenttext",
            "verhalen.view_consenttext",
            "verhalen.view_storyapproval",
        ],
    },
}

# Roles that see personal data must sign in with a second factor (see doorvertellen.auth).
TWO_FACTOR_ROLES = [name for name, role in ROLES.items() if role.get("two_factor")]


def _permission(dotted):
    app_label, codename = dotted.split(".", 1)
    return Permission.objects.filter(content_type__app_label=app_label, codename=codename).first()


def ensure_roles(**kwargs):
    from wagtail.models import Collection, GroupCollectionPermission, GroupPagePermission, Page

    for name, role in ROLES.items():
        group, _created = Group.objects.get_or_create(name=name)
        permissions = [p for p in map(_permission, role["permissions"]) if p is not None]
        group.permissions.add(*permissions)

        root_page = Page.get_first_root_node()
        if role.get("pages") and root_page is not None:
            for codename in PAGE_PERMISSIONS:
                permission = _permission(f"wagtailcore.{codename}")
                if permission is not None:
                    GroupPagePermission.objects.get_or_create(
                        group=group, page=root_page, permission=permission
                    )

        root_collection = Collection.get_first_root_node()
        if role.get("collections") and root_collection is not None:
            for app_label, codenames in COLLECTION_PERMISSIONS.items():
                for codename in codenames:
                    permission = _permission(f"{app_label}.{codename}")
                    if permission is not None:
                        GroupCollectionPermission.objects.get_or_create(
                            group=group, collection=root_collection, permission=permission
                        )
