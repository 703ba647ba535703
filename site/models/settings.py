from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _
from wagtail.admin.panels import FieldPanel, MultiFieldPanel
from wagtail.contrib.settings.models import BaseSiteSetting, register_setting


@register_setting(icon="cog")
class ServiceSettings(BaseSiteSetting):
    """How residents reach the service; shown in the header, footer and on every CTA."""

    @classmethod
    def for_request(cls, request):
        """Every page shows these: kept for one page-cache generation (saving them starts a
        new one), instead of a query per page."""
        attr_name = cls.get_cache_attr_name()
        if hasattr(request, attr_name):
            return getattr(request, attr_name)
        from wagtail.models import Site

        from doorvertellen import page_cache

        site = Site.find_for_request(request)
        if site is None:
            return super().for_request(request)
        site_settings = page_cache.remember(
            f"service-settings:{site.pk}", lambda: cls.for_site(site), request
        )
        site_settings._request = request
        setattr(request, attr_name, site_settings)
        return site_settings

    service_name = models.CharField(
        _("naam van de dienst"), max_length=100, default="Schuldhulp van de gemeente"
    )
    phone_number = models.CharField(
        _("telefoonnummer"),
        max_length=30,
        blank=True,
        help_text=_("Zoals inwoners het intypen, bijvoorbeeld 010 123 45 67."),
    )
    phone_hours = models.CharField(
        _("bereikbaar"),
        max_length=120,
        blank=True,
        help_text=_(
            "Wanneer de telefoon wordt opgenomen, bijvoorbeeld: maandag tot en met vrijdag, 9 tot 17 uur."
        ),
    )
    whatsapp_number = models.CharField(
        _("WhatsApp-nummer"),
        max_length=30,
        blank=True,
        help_text=_(
            "Internationaal, alleen cijfers, bijvoorbeeld 31612345678. Leeg laten als er geen WhatsApp is."
        ),
    )
    walk_in_hours = models.TextField(
        _("inloopspreekuur"),
        blank=True,
        help_text=_(
            "Waar en wanneer inwoners zonder afspraak langs kunnen komen. Eén regel per moment."
        ),
    )
    email = models.EmailField(_("e-mailadres"), blank=True)
    response_promise = models.CharField(
        _("belofte: wanneer bellen we terug"),
        max_length=60,
        default="binnen 2 werkdagen",
        help_text=_("Staat op de bedankpagina en bij elke knop naar aanmelden: 'We bellen je ...'"),
    )
    response_working_days = models.PositiveSmallIntegerField(
        _("belofte in werkdagen"),
        default=2,
        help_text=_(
            "Hetzelfde als hierboven, als getal. Het aanmeldteam ziet welke aanmeldingen te laat zijn."
        ),
    )
    service_postcodes = models.CharField(
        _("postcodes van ons werkgebied"),
        max_length=500,
        blank=True,
        help_text=_(
            "Reeksen van de vier cijfers, gescheiden door komma's, bijvoorbeeld 3300-3339, 3350. "
            "Leeg: iedereen kan zich aanmelden."
        ),
    )
    national_help_name = models.CharField(
        _("landelijke hulp: naam"),
        max_length=100,
        default="Geldfit",
        help_text=_("Voor inwoners buiten ons werkgebied."),
    )
    national_help_url = models.URLField(
        _("landelijke hulp: website"), default="https://www.geldfit.nl/"
    )
    national_help_phone = models.CharField(
        _("landelijke hulp: telefoon"), max_length=30, default="0800 8115"
    )
    quick_exit_url = models.URLField(
        _("snel weg: naar deze website"),
        default="https://www.knmi.nl/",
        help_text=_(
            "De knop 'Snel weg' en twee keer Esc gaan hierheen. Kies een gewone website die "
            "niets met geld te maken heeft, zoals het weer."
        ),
    )
    neutral_titles = models.BooleanField(
        _("neutrale paginatitels"),
        default=False,
        help_text=_(
            "Aan: in het tabblad en in de geschiedenis van de browser staat op elke pagina "
            "alleen de neutrale titel hieronder. Zo ziet iemand die meekijkt niet waar het over gaat."
        ),
    )
    neutral_title = models.CharField(
        _("neutrale titel"),
        max_length=60,
        default="Informatie",
        help_text=_(
            "Bijvoorbeeld 'Informatie' of 'Gemeente'. Zonder woorden over geld of schulden."
        ),
    )

    panels = [
        FieldPanel("service_name"),
        MultiFieldPanel(
            [
                FieldPanel("phone_number"),
                FieldPanel("phone_hours"),
                FieldPanel("whatsapp_number"),
                FieldPanel("email"),
                FieldPanel("walk_in_hours"),
            ],
            heading=_("Contact"),
        ),
        MultiFieldPanel(
            [FieldPanel("response_promise"), FieldPanel("response_working_days")],
            heading=_("Belofte"),
        ),
        MultiFieldPanel(
            [
                FieldPanel("service_postcodes"),
                FieldPanel("national_help_name"),
                FieldPanel("national_help_url"),
                FieldPanel("national_help_phone"),
            ],
            heading=_("Buiten ons werkgebied"),
        ),
        MultiFieldPanel(
            [
                FieldPanel("quick_exit_url"),
                FieldPanel("neutral_titles"),
                FieldPanel("neutral_title"),
            ],
            heading=_("Ongezien lezen"),
        ),
    ]

    class Meta:
        verbose_name = _("dienstgegevens")

    @property
    def phone_href(self):
        digits = "".join(ch for ch in self.phone_number if ch.isdigit() or ch == "+")
        return f"tel:{digits}" if digits else ""

    @property
    def promise(self):
        """When we call back, in the reader's language: the editor's own words in Dutch, the
        number of working days in a translated sentence otherwise (settings are Dutch only)."""
        from django.utils.translation import get_language, ngettext

        from doorvertellen.languages import active_language

        if active_language() == settings.LANGUAGE_CODE or not get_language():
            return self.response_promise
        days = self.response_working_days
        return ngettext("binnen %(days)s werkdag", "binnen %(days)s werkdagen", days) % {
            "days": days
        }

    @property
    def walk_in_lines(self):
        return [line.strip() for line in self.walk_in_hours.splitlines() if line.strip()]

    def covers_postcode(self, postcode):
        """Whether a normalised postcode ("1234 AB") lies in the service area."""
        ranges = [part.strip() for part in self.service_postcodes.split(",") if part.strip()]
        if not ranges:
            return True
        number = int(postcode[:4])
        for part in ranges:
            low, _sep, high = part.partition("-")
            try:
                low_n, high_n = int(low), int(high or low)
            except ValueError:
                continue
            if low_n <= number <= high_n:
                return True
        return False
