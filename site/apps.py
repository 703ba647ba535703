from django.apps import AppConfig
from django.db.models.signals import post_migrate


class DoorvertellenConfig(AppConfig):
    name = "doorvertellen"
    label = "doorvertellen"
    verbose_name = "Doorvertellen"
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self):
        from doorvertellen import auth  # noqa: F401  (connects the sign-in signal receivers)
        from doorvertellen.languages import ensure_locales
        from doorvertellen.roles import ensure_roles

        post_migrate.connect(ensure_roles, sender=self)
        post_migrate.connect(ensure_locales, sender=self)

        # A request activates its page's language for its thread; Django never switches it
        # back, so whatever the thread does next (another request without a prefix, a task,
        # a report for staff) would speak Arabic. Back to the default after each request.
        from django.core.signals import request_finished

        from doorvertellen.languages import back_to_default_language

        request_finished.connect(back_to_default_language, dispatch_uid="language-reset")

        # Uploaded images are stored without EXIF or other metadata (GPS!): see images.py.
        from django.db.models.signals import pre_save
        from wagtail.images import get_image_model

        from doorvertellen.images import strip_uploaded_image_metadata

        pre_save.connect(
            strip_uploaded_image_metadata, sender=get_image_model(), dispatch_uid="strip_exif"
        )

        # Whole pages for anonymous visitors: what public pages show starts a new generation.
        from wagtail.models import PageViewRestriction, Site

        from doorvertellen import page_cache
        from doorvertellen.models import HomePageFeaturedStory, ServiceSettings

        page_cache.connect_page_signals()
        page_cache.invalidate_on_change(
            Site, ServiceSettings, HomePageFeaturedStory, PageViewRestriction, get_image_model()
        )
