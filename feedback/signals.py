"""Who is told what: a status change of a suggestion, direct or through its public item.

The receivers only decide whether news may be waiting; the task checks again and sends it
after the transaction has committed, so a rolled-back change never reaches anyone's inbox.
"""

from django.db import transaction
from django.db.models.signals import post_save, pre_save

from feedback.models import PublicItem, Status, Suggestion


def enqueue_notification(suggestion_id):
    from feedback.tasks import notify_suggestion_status

    transaction.on_commit(lambda: notify_suggestion_status.enqueue(suggestion_id))


def keep_notified_status(sender, instance, raw=False, **kwargs):
    """Only the task records what someone was told (with an update, not a save).

    An instance loaded before the mail went out still holds the old value; saving it must not
    write that back, or the same news would be sent again.
    """
    if raw or instance.pk is None:
        return
    stored = sender.objects.filter(pk=instance.pk).values_list("notified_status", flat=True)
    for value in stored:
        instance.notified_status = value


def suggestion_saved(sender, instance, raw=False, **kwargs):
    if raw:
        return
    from feedback.tasks import status_to_notify

    if status_to_notify(instance) is not None:
        enqueue_notification(instance.pk)


def public_item_saved(sender, instance, raw=False, created=False, **kwargs):
    """Everyone merged into this item who left an address and has not heard this status."""
    if raw or created or instance.status == Status.NEW:
        return
    waiting = (
        instance.suggestions.exclude(contact_email="")
        .exclude(notified_status=instance.status)
        .values_list("pk", flat=True)
    )
    for suggestion_id in waiting:
        enqueue_notification(suggestion_id)


def connect():
    pre_save.connect(keep_notified_status, sender=Suggestion, dispatch_uid="feedback_notified")
    post_save.connect(suggestion_saved, sender=Suggestion, dispatch_uid="feedback_suggestion")
    post_save.connect(public_item_saved, sender=PublicItem, dispatch_uid="feedback_public_item")
