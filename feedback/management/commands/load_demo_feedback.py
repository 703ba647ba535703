"""Demo pages and invented suggestions for "Denk mee" and "Jullie zeiden, wij deden".

Run by `load_demo_content` (by name, so the core does not import this app). Idempotent: pages
are found by type, public answers by title and suggestions by a fixed submission token, so a
second run changes nothing. Every person here is invented; the few contact details use
addresses and numbers that cannot reach anyone. Suggestions are stored as already notified, so
loading the demo never sends mail.
"""

import uuid
from datetime import timedelta

from django.core.management.base import BaseCommand
from django.db import transaction
from django.utils import timezone

from doorvertellen.models import HomePage, IntakePage
from feedback.models import (
    Phase,
    PublicItem,
    Status,
    StoryOfferPage,
    Suggestion,
    SuggestionPage,
    YouSaidWeDidPage,
)
from verhalen.models import StoryIndexPage

TOKEN_NAMESPACE = uuid.UUID("6f1d3a52-5a0e-4c1b-9f7e-0d3c2b1a0f99")

SUGGESTION_PAGE = {
    "title": "Denk mee",
    "slug": "denk-mee",
    "introduction": (
        "Je weet zelf het beste wat beter kan aan onze hulp bij geldzorgen. Vertel het ons. "
        "Kort mag, en je hoeft je naam niet te geven."
    ),
    "privacy_note": (
        "<p>Je mag anoniem blijven. Alleen de feedbackcoördinator leest je voorstel. "
        "Laat je een e-mailadres achter? Dan hoor je wat we ermee doen. Je gegevens bewaren we "
        "een jaar.</p>"
    ),
    "thank_you_heading": "Dank je wel voor je idee",
    "thank_you_text": (
        "<p>We lezen elk voorstel. Binnen een paar weken lees je wat we ermee doen. Dat staat "
        "op de pagina 'Jullie zeiden, wij deden'. Liet je je e-mailadres achter? Dan krijg je "
        "ook een bericht.</p>"
    ),
}

ANSWERS_PAGE = {
    "title": "Jullie zeiden, wij deden",
    "slug": "jullie-zeiden-wij-deden",
    "introduction": (
        "Dit hebben mensen ons verteld. En dit hebben we ermee gedaan. Soms kan iets niet. "
        "Dan leggen we uit waarom."
    ),
}

STORY_OFFER_PAGE = {
    "title": "Deel je verhaal",
    "slug": "deel-je-verhaal",
    "introduction": (
        "Ben je uit de schulden gekomen? Jouw verhaal kan iemand anders helpen om eerder hulp "
        "te vragen."
    ),
    "reassurance": (
        "<p>Je verhaal komt pas online als jij het goed vindt. Je leest het eerst zelf. Je "
        "mag een andere naam gebruiken. En je kunt altijd stoppen.</p>"
    ),
    "thank_you_heading": "Dank je wel dat je je verhaal wilt delen",
    "thank_you_text": (
        "<p>Iemand van ons team neemt binnen twee weken contact met je op. Samen kijken we "
        "hoe je verhaal eruit komt te zien. Er staat niets online zonder jouw akkoord.</p>"
    ),
}

# Public answers, by title. "change_page" marks the one that links to a page of the site.
ITEMS = [
    {
        "title": "Brieven zijn moeilijk te lezen",
        "summary": "Mensen vinden onze brieven lang en vol moeilijke woorden.",
        "phase": Phase.LETTERS,
        "status": Status.CHANGED,
        "answer": (
            "We hebben al onze brieven opnieuw geschreven, in eenvoudige woorden. Bovenaan "
            "staat nu wat je moet doen en wanneer."
        ),
        "change_page": True,
        "published": True,
    },
    {
        "title": "Sneller teruggebeld worden",
        "summary": "Na het aanmelden duurde het te lang voor iemand belde.",
        "phase": Phase.SIGNING_UP,
        "status": Status.PLANNED,
        "answer": "Vanaf volgende maand bellen we iedereen binnen twee werkdagen terug.",
        "published": True,
    },
    {
        "title": "Een gesprek in de avond",
        "summary": "Mensen die overdag werken, kunnen moeilijk naar een gesprek komen.",
        "phase": Phase.FIRST_MEETING,
        "status": Status.NOT_POSSIBLE,
        "answer": (
            "Avondgesprekken kunnen we nu niet bieden: er is 's avonds niemand in het "
            "gebouw. Wel kun je bellen of beeldbellen in je pauze. Zeg het als je belt, dan "
            "zoeken we samen een tijd."
        ),
        "published": True,
    },
    {
        "title": "Steeds een andere medewerker",
        "summary": "Mensen moesten hun verhaal vaak opnieuw vertellen aan iemand anders.",
        "phase": Phase.STABILISATION,
        "status": Status.LOOKING,
        "answer": "We kijken of iedereen één vaste contactpersoon kan krijgen.",
        "published": True,
    },
    {
        "title": "Uitleg over de schuldregeling",
        "summary": "Het was niet duidelijk hoe een schuldregeling werkt en hoe lang die duurt.",
        "phase": Phase.ARRANGEMENT,
        "status": Status.PLANNED,
        "answer": "We maken een korte uitleg met plaatjes, stap voor stap.",
        "published": True,
    },
    {
        "title": "Na de regeling alleen",
        "summary": "Na de schuldregeling voelden mensen zich ineens alleen.",
        "phase": Phase.AFTERCARE,
        "status": Status.LOOKING,
        "answer": "We onderzoeken of we na een half jaar nog een keer kunnen bellen.",
        "published": True,
    },
    {
        "title": "De website op je telefoon",
        "summary": "Op een telefoon was het aanmeldformulier lastig in te vullen.",
        "phase": Phase.WEBSITE,
        "status": Status.CHANGED,
        "answer": "Het formulier is nu korter en werkt goed op een telefoon.",
        "published": True,
    },
    {
        "title": "Een tolk bij het eerste gesprek",
        "summary": "Niet iedereen spreekt goed Nederlands.",
        "phase": Phase.FIRST_MEETING,
        "status": Status.LOOKING,
        "answer": "",
        "published": False,
    },
]

# Invented suggestions: key, phase, what happened, what could be better, the title of the
# public answer they are merged into (or None), and contact details or wishes.
SUGGESTIONS = [
    (
        "brieven-1",
        Phase.LETTERS,
        "Ik snapte de brief over mijn afspraak niet. Ik ben toen niet gegaan.",
        "Schrijf gewoon wat ik moet doen.",
        "Brieven zijn moeilijk te lezen",
        {"contact_name": "Demo Anouk", "contact_email": "demo.anouk@voorbeeld.example"},
    ),
    (
        "brieven-2",
        Phase.LETTERS,
        "De brief had vier kantjes. Ik werd er bang van.",
        "Eén kantje is genoeg.",
        "Brieven zijn moeilijk te lezen",
        {},
    ),
    (
        "brieven-3",
        Phase.LETTERS,
        "Mijn moeder moest de brief voor mij lezen.",
        "Makkelijkere woorden.",
        "Brieven zijn moeilijk te lezen",
        {"contact_phone": "06 00000001", "wants_panel": True},
    ),
    (
        "terugbellen-1",
        Phase.SIGNING_UP,
        "Ik heb een week gewacht op een telefoontje.",
        "Bel binnen twee dagen terug.",
        "Sneller teruggebeld worden",
        {"contact_name": "Demo Mehmet", "contact_email": "demo.mehmet@voorbeeld.example"},
    ),
    (
        "terugbellen-2",
        Phase.SIGNING_UP,
        "Ik wist niet of mijn aanmelding goed was aangekomen.",
        "Stuur een bericht dat het gelukt is.",
        "Sneller teruggebeld worden",
        {},
    ),
    (
        "avond-1",
        Phase.FIRST_MEETING,
        "Ik werk tot vijf uur. Vrij vragen voor een gesprek vond ik lastig.",
        "Een gesprek na werktijd.",
        "Een gesprek in de avond",
        {"wants_ambassador": True},
    ),
    (
        "avond-2",
        Phase.FIRST_MEETING,
        "Ik kon alleen 's ochtends, dan zijn de kinderen op school.",
        "Meer keus in tijden.",
        "Een gesprek in de avond",
        {},
    ),
    (
        "contactpersoon-1",
        Phase.STABILISATION,
        "Ik had drie keer iemand anders aan de telefoon.",
        "Eén vast persoon.",
        "Steeds een andere medewerker",
        {"contact_name": "Demo Sanne", "contact_email": "demo.sanne@voorbeeld.example"},
    ),
    (
        "regeling-1",
        Phase.ARRANGEMENT,
        "Ik wist niet hoe lang het zou duren.",
        "Leg het uit met een tekening.",
        "Uitleg over de schuldregeling",
        {},
    ),
    (
        "website-1",
        Phase.WEBSITE,
        "Op mijn telefoon viel de knop van het scherm.",
        "Maak het formulier korter.",
        "De website op je telefoon",
        {"wants_panel": True},
    ),
    (
        "nazorg-1",
        Phase.AFTERCARE,
        "Na drie jaar was het ineens klaar. Toen wist ik niet wat ik moest doen.",
        "Nog een keer bellen na afloop.",
        None,
        {"contact_phone": "06 00000002"},
    ),
    (
        "wachtkamer-1",
        Phase.FIRST_MEETING,
        "De wachtkamer was vol en iedereen kon meeluisteren.",
        "Een rustige plek om te praten.",
        None,
        {},
    ),
]
UNMERGED_STATUS = {"nazorg-1": Status.LOOKING, "wachtkamer-1": Status.NEW}


class Command(BaseCommand):
    help = "Laadt demo-pagina's en verzonnen voorstellen voor 'Denk mee'."

    def handle(self, *args, **options):
        home = HomePage.objects.first()
        if home is None:
            self.stdout.write("Geen homepage: draai eerst load_demo_content.")
            return
        with transaction.atomic():
            self.pages(home)
            items = self.items()
            made = self.suggestions(items)
        self.stdout.write(
            f"Demo-feedback: {made} voorstellen nieuw, {len(SUGGESTIONS) - made} al aanwezig."
        )

    def publish(self, parent, page):
        parent.add_child(instance=page)
        page.save_revision().publish()
        return page

    def pages(self, home):
        suggestion_page = SuggestionPage.objects.first()
        if suggestion_page is None:
            suggestion_page = self.publish(
                home, SuggestionPage(**SUGGESTION_PAGE, show_in_menus=False, live=False)
            )
        answers_page = YouSaidWeDidPage.objects.first()
        if answers_page is None:
            answers_page = self.publish(
                suggestion_page.specific,
                YouSaidWeDidPage(**ANSWERS_PAGE, show_in_menus=False, live=False),
            )
        if suggestion_page.answers_page_id is None:
            suggestion_page.answers_page = answers_page
            suggestion_page.save_revision().publish()
        if not StoryOfferPage.objects.exists():
            self.publish(
                home,
                StoryOfferPage(
                    **STORY_OFFER_PAGE,
                    story_index=StoryIndexPage.objects.first(),
                    show_in_menus=False,
                    live=False,
                ),
            )

    def items(self):
        change_page = IntakePage.objects.first() or HomePage.objects.first()
        items = {}
        for spec in ITEMS:
            fields = {key: value for key, value in spec.items() if key != "title"}
            fields["change_page"] = change_page if spec.get("change_page") else None
            items[spec["title"]] = PublicItem.objects.get_or_create(
                title=spec["title"], defaults=fields
            )[0]
        return items

    def suggestions(self, items):
        made = 0
        now = timezone.now()
        for number, (key, phase, happened, better, item_title, extra) in enumerate(SUGGESTIONS):
            token = uuid.uuid5(TOKEN_NAMESPACE, key)
            if Suggestion.objects.filter(submission_token=token).exists():
                continue
            item = items[item_title] if item_title else None
            status = item.status if item else UNMERGED_STATUS[key]
            Suggestion.objects.create(
                submission_token=token,
                phase=phase,
                what_happened=happened,
                what_better=better,
                public_item=item,
                status=status,
                # Stored as told already: loading demo content never sends mail.
                notified_status=status if status != Status.NEW else "",
                created_at=now - timedelta(days=7 * (len(SUGGESTIONS) - number)),
                **extra,
            )
            made += 1
        return made
