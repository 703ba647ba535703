"""The feedback app. On start-up it connects its notifications and tells the core app about
the personal data it holds.

A suggestion may carry a name, e-mail address and phone number, so it registers a personal
data source (find, export and erase one person) and a retention kind (contact details cleared
FEEDBACK_CONTACT_RETENTION_DAYS after the last change). The core app never imports this app.
"""

from datetime import timedelta

from django.apps import AppConfig
from django.conf import settings
from django.utils.translation import gettext_lazy as _

# --- Per-person rights ----------------------------------------------------------------------


def suggestions_of(email, phone):
    from doorvertellen.personal_data import matches
    from feedback.models import Suggestion

    rows = Suggestion.objects.exclude(contact_email="", contact_phone="")
    for suggestion in rows.select_related("public_item").iterator(chunk_size=500):
        if matches(
            email, phone, row_email=suggestion.contact_email, row_phone=suggestion.contact_phone
        ):
            yield suggestion


def export_suggestion(suggestion):
    """Everything stored about the person in this suggestion."""
    return {
        "id": suggestion.pk,
        "ingestuurd_op": suggestion.created_at.isoformat(),
        "laatst_gewijzigd": suggestion.updated_at.isoformat(),
        "fase": str(suggestion.get_phase_display()),
        "wat_er_gebeurde": suggestion.what_happened,
        "wat_beter_kan": suggestion.what_better,
        "status": str(suggestion.get_status_display()),
        "samengevoegd_in": suggestion.public_item.title if suggestion.public_item_id else None,
        "naam": suggestion.contact_name,
        "e_mailadres": suggestion.contact_email,
        "telefoonnummer": suggestion.contact_phone,
        "wil_meedenken_in_panel": suggestion.wants_panel,
        "wil_verhalenambassadeur_worden": suggestion.wants_ambassador,
        "taal": suggestion.language,
    }


def erase_suggestion(suggestion):
    """The whole suggestion goes; the public item holds the coordinator's words, not theirs."""
    suggestion.delete()


# --- Retention ------------------------------------------------------------------------------

CONTACT_FIELDS = ("contact_name", "contact_email", "contact_phone")


def suggestions_with_expired_contact(now):
    """Suggestions unchanged for the retention period that still hold contact details."""
    from feedback.models import Suggestion

    cutoff = now - timedelta(days=settings.FEEDBACK_CONTACT_RETENTION_DAYS)
    return Suggestion.objects.filter(updated_at__lte=cutoff).exclude(
        **dict.fromkeys(CONTACT_FIELDS, "")
    )


def clear_contact(queryset):
    """Empty the contact details, keep the suggestion and its panel/ambassador wishes.

    An update, not a save: the "last changed" moment stays, and nobody is notified.
    """
    return queryset.update(**dict.fromkeys(CONTACT_FIELDS, ""))


def expired_useful_comments(now):
    """Comments with "was this useful?" older than their period (they may name people)."""
    from feedback.models import UsefulComment

    cutoff = now - timedelta(days=settings.USEFUL_COMMENT_RETENTION_DAYS)
    return UsefulComment.objects.filter(created_at__lte=cutoff)


class FeedbackConfig(AppConfig):
    name = "feedback"
    verbose_name = _("Feedback")
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self):
        from doorvertellen import personal_data, retention
        from feedback import signals

        signals.connect()

        from doorvertellen import page_cache
        from feedback.models import PublicItem, Suggestion

        # "Jullie zeiden, wij deden" shows the public items and how many people raised each.
        page_cache.invalidate_on_change(PublicItem, Suggestion)
        retention.register(
            "suggestion_contacts", suggestions_with_expired_contact, delete=clear_contact
        )
        retention.register("useful_comments", expired_useful_comments)
        if not any(source.label == "feedback.Suggestion" for source in personal_data.SOURCES):
            personal_data.register(
                personal_data.Source(
                    label="feedback.Suggestion",
                    find=suggestions_of,
                    export=export_suggestion,
                    erase=erase_suggestion,
                )
            )
