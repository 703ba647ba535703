"""Signals of the stories app, and the handlers that keep Wagtail's expiry date in step.

`story_taken_offline(sender, page, reason)` is sent for each page when a consent is withdrawn,
expires or is erased (see verhalen.consent.take_offline), inside the same transaction. Apps
that show a story elsewhere (quotes and cards on campaign pages) listen to it and drop what
points to the page; verhalen itself imports none of them.
"""

from django.dispatch import Signal

story_taken_offline = Signal()


def consent_saved(sender, instance, raw=False, **kwargs):
    """A changed end date (or withdrawal) moves the expiry of every page it covers."""
    if raw:
        return
    from verhalen.consent import sync_expire_at
    from verhalen.models import ConsentPage

    # From the database, not the in-memory cluster: links saved later send their own signal.
    sync_expire_at(
        ConsentPage.objects.filter(consent_id=instance.pk).values_list("page_id", flat=True)
    )


def consent_page_changed(sender, instance, raw=False, **kwargs):
    """A page linked to or unlinked from a consent gets the right expiry date."""
    if raw:
        return
    from verhalen.consent import sync_expire_at

    sync_expire_at([instance.page_id])


def page_published(sender, instance, **kwargs):
    """Publishing copies the revision's own expiry date onto the page: put ours back."""
    from verhalen.consent import sync_expire_at
    from verhalen.models import ConsentPage

    if ConsentPage.objects.filter(page_id=instance.pk).exists():
        sync_expire_at([instance.pk])


def translation_made(sender, source_obj, target_obj, **kwargs):
    """A story's translation is covered by the same consents as the story itself.

    So a withdrawal or expiry takes every language offline at once. The translation still
    needs its own approval: the storyteller approves exactly what residents read, in each
    language.
    """
    from verhalen.models import ConsentPage

    existing = set(
        ConsentPage.objects.filter(page_id=target_obj.pk).values_list("consent_id", flat=True)
    )
    for link in ConsentPage.objects.filter(page_id=source_obj.pk):
        if link.consent_id not in existing:
            ConsentPage.objects.create(
                consent_id=link.consent_id, page_id=target_obj.pk, sort_order=link.sort_order
            )


def connect():
    """Called once from VerhalenConfig.ready."""
    from django.db.models.signals import post_delete, post_save
    from wagtail.signals import copy_for_translation_done
    from wagtail.signals import page_published as wagtail_page_published

    from verhalen.models import ConsentPage, ConsentRecord

    post_save.connect(consent_saved, sender=ConsentRecord, dispatch_uid="verhalen-consent-saved")
    post_save.connect(
        consent_page_changed, sender=ConsentPage, dispatch_uid="verhalen-consent-page-saved"
    )
    post_delete.connect(
        consent_page_changed, sender=ConsentPage, dispatch_uid="verhalen-consent-page-deleted"
    )
    wagtail_page_published.connect(page_published, dispatch_uid="verhalen-page-published")
    copy_for_translation_done.connect(
        translation_made, dispatch_uid="verhalen-consent-covers-translation"
    )
