from django.db import models
from django.utils.translation import gettext_lazy as _
from wagtail.admin.panels import FieldPanel


class JargonTerm(models.Model):
    """A word residents often do not know, with the plain words to use instead.

    Communications staff keep this list; the plain-language check in the page editor points
    out every use of a term whose plain alternative is not in the same text.
    """

    term = models.CharField(
        _("moeilijk woord"),
        max_length=80,
        unique=True,
        help_text=_("Zoals het in een tekst staat, bijvoorbeeld: beslaglegging."),
    )
    alternative = models.CharField(
        _("gewone woorden"),
        max_length=200,
        help_text=_(
            "Wat je beter kunt schrijven. Gebruik je het moeilijke woord toch, zet dit er dan bij."
        ),
    )
    explanation = models.TextField(
        _("uitleg"),
        max_length=600,
        blank=True,
        help_text=_("Wat het woord betekent, voor de redactie."),
    )

    panels = [FieldPanel("term"), FieldPanel("alternative"), FieldPanel("explanation")]

    class Meta:
        verbose_name = _("moeilijk woord")
        verbose_name_plural = _("moeilijke woorden")
        ordering = ["term"]

    def __str__(self):
        return self.term

    def save(self, *args, **kwargs):
        self.term = " ".join(self.term.split())
        super().save(*args, **kwargs)

    def as_rule(self):
        from doorvertellen.plain_language import JargonTerm as Rule

        return Rule(self.term, self.alternative, self.explanation)
