"""The first list of difficult words, so the check works from day one.

Communications staff may change or extend it afterwards; this migration only adds a term that
is missing and never overwrites an edited one. Undoing it leaves the list alone.
"""

from django.db import migrations

TERMS = [
    (
        "beslaglegging",
        "geld inhouden",
        "Een deurwaarder houdt geld in op je loon, uitkering of bankrekening, of neemt spullen "
        "mee om een schuld te betalen.",
    ),
    (
        "dwangbevel",
        "brief dat je nu moet betalen",
        "Een officiële brief van de overheid. Betaal je dan nog niet, dan mag er beslag komen.",
    ),
    (
        "schuldeiser",
        "aan wie je geld moet",
        "Een bedrijf, instantie of persoon aan wie je nog geld moet betalen.",
    ),
    (
        "budgetbeheer",
        "wij betalen je vaste lasten voor je",
        "De gemeente ontvangt je inkomen en betaalt eerst je huur, energie en zorgverzekering.",
    ),
    (
        "WSNP",
        "schuldregeling via de rechter",
        "Wet schuldsanering natuurlijke personen: de rechter beslist over een regeling van drie "
        "jaar (soms korter). Daarna ben je van je schulden af.",
    ),
    (
        "moratorium",
        "adempauze",
        "Een periode van een half jaar waarin schuldeisers geen beslag mogen leggen of je huis "
        "mogen ontruimen.",
    ),
    (
        "saneringskrediet",
        "lening om al je schulden in één keer af te betalen",
        "Een lening van de gemeentelijke kredietbank. Je betaalt daarna alleen nog die lening af.",
    ),
    (
        "verrekening",
        "inhouden",
        "Een instantie houdt geld dat jij van haar krijgt in, om een schuld bij haar af te "
        "lossen. Bijvoorbeeld de Belastingdienst met je toeslag.",
    ),
    (
        "beslagvrije voet",
        "geld dat je altijd overhoudt om van te leven",
        "Het deel van je inkomen dat niet in beslag genomen mag worden.",
    ),
    (
        "schuldsanering",
        "schuldregeling",
        "Een regeling waarbij je een paar jaar aflost wat je kunt. Daarna schelden je "
        "schuldeisers de rest kwijt.",
    ),
    (
        "incassobureau",
        "bedrijf dat geld ophaalt",
        "Een bedrijf dat voor een ander achter onbetaalde rekeningen aan gaat.",
    ),
    (
        "deurwaarder",
        "iemand die geld komt ophalen",
        "Iemand die een schuld mag innen en beslag mag leggen, als een rechter of de overheid "
        "dat heeft toegestaan.",
    ),
]


def seed(apps, schema_editor):
    JargonTerm = apps.get_model("doorvertellen", "JargonTerm")
    for term, alternative, explanation in TERMS:
        JargonTerm.objects.get_or_create(
            term=term, defaults={"alternative": alternative, "explanation": explanation}
        )


class Migration(migrations.Migration):
    dependencies = [("doorvertellen", "0007_jargon_terms")]

    operations = [migrations.RunPython(seed, migrations.RunPython.noop)]
