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
