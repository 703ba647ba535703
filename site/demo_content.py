"""The Dutch texts of the demo site, as data, for `manage.py load_demo_content`.

Everything here is fictional: the municipality "Rivierstad", its phone numbers and addresses,
and the six former clients. Texts are plain language (B1) and say "je" to the reader.

Longer texts use a tiny markup that `stream()` and `rich_text()` turn into blocks or HTML:
a blank line separates blocks; "## " starts a heading (its next lines are a paragraph);
"> " is a quote of the storyteller; lines starting with "- " form a list. Inline HTML such as
<a href>, <b> is allowed. "{privacy}" and "{contact}" become the ids of those pages.
"""

import json
import re
import textwrap
from pathlib import Path


def _chunks(text):
    return [c for c in re.split(r"\n\s*\n", textwrap.dedent(text).strip()) if c.strip()]


def html(chunk):
    lines = [line.strip() for line in chunk.splitlines() if line.strip()]
    if all(line.startswith("- ") for line in lines):
        return "<ul>" + "".join(f"<li>{line[2:]}</li>" for line in lines) + "</ul>"
    return f"<p>{' '.join(lines)}</p>"


def rich_text(text):
    return "".join(html(chunk) for chunk in _chunks(text))


def stream(items, attribution=""):
    """Raw StreamField data from markup text(s) and ready-made raw blocks."""
    items = [items] if isinstance(items, str) else items
    raw = []
    for item in items:
        if isinstance(item, dict):
            raw.append(item)
            continue
        for chunk in _chunks(item):
            first, _nl, rest = chunk.partition("\n")
            if first.startswith("## "):
                raw.append({"type": "heading", "value": {"text": first[3:], "level": "h2"}})
                chunk = rest
            elif first.startswith("> "):
                text = " ".join(line.strip("> ").strip() for line in chunk.splitlines())
                raw.append({"type": "quote", "value": {"text": text, "attribution": attribution}})
                continue
            if chunk.strip():
                raw.append({"type": "paragraph", "value": html(chunk)})
    return raw


def page_values(spec, ids=None):
    """Field values for a page from a text spec: markup becomes a stream or rich text.

    `ids` maps tokens such as "{privacy}" to page ids, for internal links in rich text.
    """
    values = {}
    for name, value in spec.items():
        if isinstance(value, str):
            for token, pk in (ids or {}).items():
                value = value.replace(token, str(pk))
        if name in ("body", "steps"):
            value = stream(value)
        elif name in ("reassurance", "thank_you_text", "outside_area_text"):
            value = rich_text(value)
        values[name] = value
    return values


def steps(heading, *items):
    """A StepsBlock in raw form; items are (title, text) pairs."""
    return {
        "type": "steps",
        "value": {"heading": heading, "steps": [{"title": t, "text": x} for t, x in items]},
    }


def call_to_action(heading, text, button_label="Meld je aan"):
    return {
        "type": "call_to_action",
        "value": {"heading": heading, "text": text, "button_label": button_label},
    }


SITE_NAME = "Schuldhulp Rivierstad"

SERVICE_SETTINGS = {
    "service_name": SITE_NAME,
    "phone_number": "010 123 45 67",
    "phone_hours": "maandag tot en met vrijdag van 9 tot 17 uur",
    "whatsapp_number": "31612345678",
    "email": "schuldhulp@rivierstad.example",
    "walk_in_hours": (
        "Dinsdag van 9.00 tot 12.00 uur, Wijkcentrum De Brug, Havenstraat 12\n"
        "Donderdag van 13.00 tot 16.00 uur, Bibliotheek Centrum, Marktplein 3"
    ),
    "response_promise": "binnen 2 werkdagen",
    "response_working_days": 2,
    "service_postcodes": "3300-3359",
}

# name: description for residents
THEMES = {
    "Huurachterstand": "Als je de huur niet (op tijd) kunt betalen.",
    "Energie": "Als de rekening voor gas en stroom te hoog is.",
    "Baan kwijt": "Als je werk stopt en je minder geld hebt.",
    "Scheiding": "Als je uit elkaar gaat en alles opnieuw moet regelen.",
    "Ziekte": "Als je ziek bent en minder kunt werken.",
    "Jongeren": "Als je jong bent en schulden hebt, bijvoorbeeld van je telefoon.",
    "Zzp'er": "Als je voor jezelf werkt en er te weinig werk is.",
    "Zorgkosten": "Als je de zorgverzekering of het eigen risico niet kunt betalen.",
}

# (username, first name, last name, group constant name in doorvertellen.roles or None)
DEMO_USERS = [
    ("beheerder", "Anouk", "Jansen", None),
    ("redactie", "Lotte", "Bakker", "COMMUNICATIONS"),
    ("aanmeldteam", "Mehmet", "Yilmaz", "INTAKE_TEAM"),
    ("feedback", "Sanne", "Visser", "FEEDBACK_COORDINATOR"),
    ("toestemming", "Daan", "Smit", "CONSENT_MANAGER"),
]

# key: (scene, seed, title, description). The description is the alt text.
IMAGES = {
    "hero": (
        "home",
        1,
        "Tekening: huis met warm licht bij zonsopkomst",
        "Tekening van een huis met een warm verlicht raam. Een pad loopt naar de deur. "
        "Achter de heuvels komt de zon op.",
    ),
    "ronald": (
        "evening",
        2,
        "Tekening: huis in de avond met een brief",
        "Tekening van een huis in de avond met een warm verlicht raam. "
        "Voor het huis ligt een open envelop.",
    ),
    "samira": (
        "kettle",
        3,
        "Tekening: fluitketel met stoom",
        "Tekening van een fluitketel met stoom op een tafel. "
        "Achter de ketel schijnt de zon door het raam.",
    ),
    "marco": (
        "bubbles",
        4,
        "Tekening: twee tekstballonnen",
        "Tekening van twee tekstballonnen die elkaar raken, als een gesprek tussen twee mensen.",
    ),
    "ingrid": (
        "plant",
        5,
        "Tekening: plant met nieuwe blaadjes",
        "Tekening van een plant in een oranje pot. Er groeien nieuwe blaadjes en de zon schijnt.",
    ),
    "jayden": (
        "phone",
        6,
        "Tekening: telefoon met een vinkje",
        "Tekening van een mobiele telefoon met een vinkje op het scherm. "
        "Ernaast ligt een stapeltje munten.",
    ),
    "yusuf": (
        "stairs",
        7,
        "Tekening: trap naar de zon",
        "Tekening van treden die omhoog lopen naar de zon. "
        "Op de bovenste tree staat een vlaggetje.",
    ),
}

HOME = {
    "title": "Welkom",
    "hero_heading": "Geldzorgen? Je bent niet de enige.",
    "introduction": (
        "Veel mensen in Rivierstad hebben geldzorgen. Praten helpt. "
        "Wij helpen je gratis, en we oordelen niet."
    ),
    "cta_label": "Meld je aan",
    # CBS, "Schuldenproblematiek in beeld" (2020): ruim 1 op de 12 huishoudens had op
    # 1 januari 2018 geregistreerde problematische schulden; in oktober 2020 was het 7,6%.
    "not_alone_text": (
        "Ongeveer 1 op de 12 huishoudens in Nederland heeft problematische schulden. "
        "Dat zijn honderdduizenden gezinnen. Ze wonen ook bij jou in de straat."
    ),
    "not_alone_source": "CBS, Schuldenproblematiek in beeld (2020)",
    "body": [
        steps(
            "Zo werkt het",
            ("Je meldt je aan", "Online in twee minuten. Of bel ons, als je dat liever doet."),
            ("We bellen je", "Binnen 2 werkdagen. We luisteren eerst naar jouw verhaal."),
            ("We maken samen een plan", "In kleine stappen. Je hoeft het niet alleen te doen."),
        ),
        call_to_action(
            "Praat er met ons over",
            "Hoe eerder je je meldt, hoe meer we samen kunnen regelen. Het is gratis.",
        ),
    ],
}

STORY_INDEX = {
    "title": "Verhalen",
    "introduction": (
        "Mensen uit Rivierstad vertellen hoe zij uit de schulden kwamen. "
        "In hun eigen woorden. Misschien herken je iets van jezelf."
    ),
}

STORIES = [
    {
        "key": "ronald",
        "slug": "de-post-niet-meer-open",
        "title": "Ik durfde de post niet meer open te maken",
        "display_name": "Ronald",
        "themes": ["Huurachterstand", "Baan kwijt"],
        "quote": "Ik dacht dat ik het zelf moest oplossen. Samen ging het veel sneller.",
        "summary": (
            "Ronald werkte dertig jaar in een magazijn. Toen zijn baan verdween, kon hij de huur "
            "niet meer betalen. Hij legde de brieven ongeopend in een la. Nu betaalt hij elke "
            "maand zijn huur weer op tijd."
        ),
        "body": """
## Hoe het begon
Ik heb dertig jaar in hetzelfde magazijn gewerkt. Vier jaar geleden kreeg het bedrijf een
nieuwe eigenaar. Mijn baan verdween. Ik was 52 en kreeg een uitkering. Dat was veel minder
geld dan mijn loon.

Eerst dacht ik: ik vind snel iets nieuws. Dat viel tegen. Ik schreef brieven en hoorde niets
terug. De huur werd te veel. Eerst miste ik één maand, toen twee, toen drie.

## Een la vol brieven
Ik schaamde me. Ik durfde de post niet meer open te maken. Alle enveloppen gingen in een la in
de keuken. Als de bel ging, deed ik niet open. Ik sliep slecht en zei tegen niemand iets.

Mijn dochter vond de la toen ze kwam eten. Ze was niet boos. Ze zei: "Pap, je hoeft dit niet
alleen te doen." In een brief van de woningcorporatie stond het nummer van de schuldhulp van de
gemeente. Mijn dochter bleef naast me zitten terwijl ik belde.

## Het eerste telefoontje
Ik was zenuwachtig. Maar de vrouw aan de telefoon was heel rustig. Ze vroeg eerst hoe het met
mij ging. Niet hoeveel schuld ik had. Twee dagen later zat ik aan tafel met Petra, mijn
hulpverlener.

> Ze keek naar de stapel brieven en zei: die maken we samen open.
""",
        "what_helped": (
            "We openden alle post samen. Het was veel, maar het was te overzien. Petra "
            "belde met de woningcorporatie. Ik kreeg een betalingsregeling. Dat is een "
            "afspraak dat je een achterstand in kleine bedragen terugbetaalt. Zo kon ik in "
            "mijn huis blijven. Ook bleek dat ik recht had op huurtoeslag. Dat had ik nooit "
            "aangevraagd."
        ),
        "where_now": (
            "Ik werk nu vier dagen per week bij een fietsenwinkel. De huur gaat elke maand "
            "vanzelf van mijn rekening. De post maak ik open op de dag dat hij komt. Dat "
            "klinkt klein, maar voor mij is het groot.\n\n"
            "Mijn tip: wacht niet zo lang als ik. Hoe eerder je belt, hoe meer er nog te "
            "regelen is. Niemand lacht je uit. Ze willen je echt helpen."
        ),
        "phase": "first_meeting",
    },
    {
        "key": "samira",
        "slug": "energierekening-drie-keer-zo-hoog",
        "title": "De energierekening was ineens bijna drie keer zo hoog",
        "display_name": "Samira",
        "themes": ["Energie"],
        "quote": "Ik dacht dat ik een slechte moeder was. Nu weet ik: dit kan iedereen overkomen.",
        "summary": (
            "Samira woont met haar twee kinderen in een oud huurhuis. In de winter ging haar "
            "energierekening heel hard omhoog. Ze zette de verwarming uit en at zelf minder. "
            "Met hulp kreeg ze weer rust en een warm huis."
        ),
        "body": """
## Een koude winter
Ik woon met mijn zoon en dochter in een oud huis. Het tocht en de ramen zijn dun. Twee jaar
geleden kreeg ik een brief van mijn energiebedrijf. Mijn maandbedrag ging van 120 naar 340
euro. Ik las de brief drie keer. Ik dacht dat het een fout was.

Het was geen fout. Ik zette de verwarming lager, en later helemaal uit. 's Avonds zaten we met
z'n drieën onder een deken op de bank. Ik at zelf minder, zodat de kinderen genoeg hadden. Aan
niemand vertelde ik hoe het echt ging.

## Toch hulp vragen
Op school hing een poster: "Geldzorgen? Je bent niet de enige." De juf van mijn dochter zag dat
ik ernaar keek. Ze zei niets, maar gaf me een folder. Die lag een week op tafel. Op een avond
heb ik me online aangemeld. Dat voelde makkelijker dan bellen.

Twee dagen later belde Jeroen van de schuldhulp. Hij zei: "Goed dat je je hebt gemeld." Ik
moest huilen. Hij wachtte rustig. Toen vroeg hij wat ik het meest nodig had. Ik zei: "Een warm
huis."

> Een hoge energierekening is geen fout van jou.
""",
        "what_helped": (
            "Jeroen keek met mij naar alle rekeningen. Hij belde het energiebedrijf. Ik "
            "kreeg een betalingsregeling: ik betaal de achterstand in kleine stukjes terug. "
            "Er kwam een energiecoach van de gemeente langs. Hij plakte tochtstrips en "
            "zette folie achter de verwarming. Mijn rekening ging flink omlaag.\n\n"
            "Ook hoorde ik dat ik recht had op kindgebonden budget. Dat is extra geld van "
            "de overheid voor ouders met een laag inkomen. Dat wist ik niet. Elke maand "
            "scheelt het."
        ),
        "where_now": (
            "Het huis is weer warm. We zitten niet meer onder een deken, alleen nog als we "
            "een film kijken. Ik heb nog een kleine schuld. Maar ik weet precies hoeveel, "
            "en wanneer hij weg is.\n\n"
            "Ik wil andere ouders zeggen: schaam je niet. Meld je aan zodra je ziet dat je "
            "geld niet genoeg is. Dan is het probleem nog klein."
        ),
        "phase": "stabilisation",
    },
    {
        "key": "marco",
        "slug": "na-de-scheiding",
        "title": "Na de scheiding stond ik er alleen voor",
        "display_name": "Marco",
        "themes": ["Scheiding", "Huurachterstand"],
        "quote": "Hulp vragen vond ik moeilijk. Achteraf was het de beste beslissing van dat jaar.",
        "summary": (
            "Marco ging uit elkaar met zijn vrouw. Er was een lening op hun twee namen. Opeens "
            "moest hij alles alleen betalen en kwam hij achter met de huur. Nu heeft hij weer "
            "overzicht, en zijn de kinderen elk weekend bij hem."
        ),
        "body": """
## Alles tegelijk
Mijn vrouw en ik gingen uit elkaar na vijftien jaar. Dat is al zwaar genoeg. Maar ineens
moest ik ook alles alleen regelen. Een ander huis, meubels, en geld voor de kinderen. Vroeger
deed mijn vrouw de bankzaken. Ik wist niet eens welke rekeningen er waren.

We hadden samen een lening voor de auto en de keuken. Na de scheiding betaalde zij haar deel
niet meer. De bank vroeg het hele bedrag aan mij. Dat kon ik niet betalen. Ik betaalde eerst
de lening, en daarna de huur, als er nog iets over was. Zo kwam ik steeds verder achter.

## Hoe ik hulp vond
Een collega had hetzelfde meegemaakt. Bij de koffieautomaat vertelde hij dat hij hulp kreeg
van de gemeente. "Gratis," zei hij, "en ze oordelen niet." Die avond keek ik op de website.
Ik las het verhaal van iemand die net zo was als ik. Toen heb ik gebeld.

Het eerste gesprek was kort. De man aan de telefoon vroeg wat er aan de hand was. En wanneer
ik kon langskomen. Ik hoefde niets voor te bereiden. "Neem gewoon mee wat je hebt," zei hij.
""",
        "what_helped": (
            "Mijn hulpverlener Aisha maakte een lijst van alles wat ik moest betalen. Voor "
            "het eerst zag ik het hele plaatje. Ze legde uit wat een lening op twee namen "
            "betekent. Dan moeten jullie allebei het hele bedrag betalen. Samen met "
            "mijn ex-vrouw en de bank maakten we nieuwe afspraken. Dat was spannend, maar "
            "het lukte.\n\n"
            "Ook hielp ze me met de huur. De woningcorporatie ging akkoord met een "
            "betalingsregeling. Elke maand betaal ik een klein beetje extra, tot de "
            "achterstand weg is."
        ),
        "where_now": (
            "Ik heb nu een aparte rekening voor de vaste lasten. Daar gaat het geld meteen "
            "naartoe als mijn loon binnenkomt. De kinderen zijn elk weekend bij mij. We "
            "koken samen. Ik hoef niet meer te doen alsof alles goed gaat.\n\n"
            "Ga je uit elkaar? Zoek dan meteen hulp, ook als het nog goed lijkt te gaan. Er "
            "verandert zo veel tegelijk. Je hoeft dat niet alleen uit te zoeken."
        ),
        "phase": "arrangement",
    },
    {
        "key": "ingrid",
        "slug": "ziek-en-geldzorgen",
        "title": "Toen ik ziek werd, kreeg ik er een zorg bij",
        "display_name": "Ingrid",
        "themes": ["Ziekte", "Zorgkosten"],
        "quote": "Ik had al genoeg aan mijn hoofd. Door de hulp kon ik weer aan beter worden denken.",
        "summary": (
            "Ingrid kreeg reuma en kon minder werken. Haar inkomen ging omlaag en haar "
            "zorgkosten gingen omhoog. Ze betaalde haar zorgverzekering niet meer. Nu heeft ze "
            "een plan en veel meer rust."
        ),
        "body": """
## Ziek en minder geld
Ik werkte in de thuiszorg. Ik hield van mijn werk. Vijf jaar geleden kreeg ik reuma. Mijn
handen en knieën deden elke dag pijn. Na een tijd kon ik nog maar twintig uur per week werken.
Mijn inkomen ging bijna de helft omlaag.

Tegelijk kwamen er kosten bij. Mijn eigen risico was elk jaar in maart al op. Het eigen risico
is het bedrag dat je zelf betaalt, voordat de zorgverzekering gaat betalen. Ik had speciale
schoenen nodig, en taxi's naar het ziekenhuis. Op een gegeven moment betaalde ik de premie van
mijn zorgverzekering niet meer. Ik dacht: dat komt later wel.

## De brief die me wakker schudde
Toen kwam er een brief. Omdat ik een half jaar niet had betaald, moest ik een hogere premie
betalen. Ik schrok. Ik was al zo moe van het ziek zijn. Nu had ik ook nog geldzorgen.

Mijn huisarts vroeg hoe het thuis ging. Ik vertelde het eerlijk. Zij gaf me het nummer van de
schuldhulp. "Zij helpen ook bij dit soort dingen," zei ze.

## Het eerste telefoontje
Ik belde op een dinsdagochtend. Ik zei: "Ik weet niet of ik hier goed ben." De vrouw
zei: "Als je je zorgen maakt over geld, ben je hier goed." Dat zinnetje vergeet ik
nooit. Lopen gaat slecht, dus mijn hulpverlener kwam bij mij thuis.

> Voor het eerst in lange tijd voelde ik me niet alleen met mijn zorgen.
""",
        "what_helped": (
            "We gingen samen alle kosten na. Er bleek veel mogelijk. De gemeente heeft een "
            "zorgverzekering voor mensen met een laag inkomen. Daarin zijn veel kosten "
            "beter geregeld. Ook kreeg ik een bijdrage voor de extra kosten door mijn "
            "ziekte. Toen ik in een schuldregeling kwam, hoefde ik de hogere premie niet "
            "meer te betalen. In een schuldregeling maak je één afspraak met iedereen aan "
            "wie je geld moet."
        ),
        "where_now": (
            "Ik werk nog steeds twintig uur. Ik weet wat er elke maand binnenkomt en wat "
            "eruit gaat. De schulden worden kleiner. Ik slaap beter, en dat is ook goed "
            "voor mijn gezondheid.\n\n"
            "Ben je ziek en maak je je zorgen over geld? Vraag dan op tijd hulp. Je "
            "huisarts of het wijkteam kan je de weg wijzen. Of meld je zelf aan. Het "
            "scheelt je een hoop stress."
        ),
        "phase": "signing_up",
    },
    {
        "key": "jayden",
        "slug": "achteraf-betalen",
        "title": "Achteraf betalen leek zo makkelijk",
        "display_name": "Jayden",
        "themes": ["Jongeren"],
        "quote": "Ik dacht dat schulden iets voor oudere mensen waren. Bij mij ging het heel snel.",
        "summary": (
            "Jayden was 18 toen hij een duur telefoonabonnement nam. Hij kocht ook veel online "
            "en betaalde achteraf. Binnen een jaar had hij schulden bij zes bedrijven. Nu heeft "
            "hij werk en betaalt hij alles af."
        ),
        "body": """
## Hoe het ging
Ik was net 18 en had een bijbaan bij de supermarkt. Ik nam een abonnement met de nieuwste
telefoon erbij. Vijftig euro per maand, twee jaar lang. Daarna kocht ik online kleren en
sneakers. Ik betaalde achteraf. Eén klik, en de volgende dag had ik het pakketje.

Het probleem is: achteraf komt altijd. Ik kreeg herinneringen en daarna aanmaningen. Ik opende
de mails niet meer. Toen kwam er een incassobureau. Dat is een bedrijf dat geld ophaalt voor
een ander bedrijf. Elke brief kostte extra geld. Zo werd een rekening van 60 euro wel 180 euro.

## Niemand wist het
Mijn vrienden zagen mijn nieuwe spullen. Niemand zag de brieven. Tegen mijn moeder zei ik dat
alles goed ging. 's Nachts lag ik wakker en rekende ik in mijn hoofd. Ik kwam er nooit uit.

## Hulp via een filmpje
Op Instagram zag ik een filmpje van een jongen van mijn leeftijd. Hij vertelde over zijn
schulden. Hij zei: "Het is geen schande. Het is een probleem, en dat kun je oplossen." Onder
het filmpje stond een link. Ik klikte en meldde me aan, gewoon op mijn telefoon.

De volgende dag belde Sanne me. Ik dacht dat ze boos zou zijn. Dat was ze niet. Ze vroeg waar
ik van droomde. Ik zei: een eigen kamer. Ze zei: "Dan gaan we daar samen naartoe werken."
""",
        "what_helped": (
            "Sanne maakte met mij een lijst van alle schulden. Zes bedrijven, samen 3.400 "
            "euro. Ze belde het bedrijf dat het geld ophaalde. Zo kwamen er geen kosten meer "
            "bij. Ik nam "
            "een goedkoop abonnement zonder toestel. Achteraf betalen zette ik uit in alle "
            "apps. Dat voelde raar, maar ook goed.\n\n"
            "Elke twee weken keek een budgetcoach met mij naar mijn bankrekening. Ik leerde "
            "mijn geld te verdelen in potjes: vaste lasten, boodschappen en sparen."
        ),
        "where_now": (
            "Ik werk nu fulltime in een magazijn. Over acht maanden is mijn laatste schuld "
            "betaald. Ik spaar al voor de borg van een kamer.\n\n"
            "Aan andere jongeren zeg ik: wacht niet tot het een berg is. Eén rekening is "
            "nog makkelijk op te lossen. Vraag hulp zodra je een brief niet meer durft te "
            "openen."
        ),
        "phase": "aftercare",
    },
    {
        "key": "yusuf",
        "slug": "zzper-alleen-oplossen",
        "title": "Als zzp'er dacht ik dat ik het alleen moest oplossen",
        "display_name": "Yusuf",
        "themes": ["Zzp'er", "Zorgkosten"],
        "quote": "Ik was gewend alles zelf te doen. Hulp vragen was voor mij het moeilijkste klusje.",
        "summary": (
            "Yusuf is schilder en werkt voor zichzelf. Door corona en een natte winter had hij "
            "maanden bijna geen werk. Hij kwam achter met de belasting en de zorgverzekering. "
            "Met hulp kon hij zijn bedrijf houden."
        ),
        "body": """
## Voor jezelf werken
Ik ben schilder en werk al twaalf jaar voor mezelf. Dat noem je zzp'er: je hebt geen baas en
geen vast loon. Ik hou van mijn vak. Maar als er geen werk is, is er ook geen geld.

Tijdens corona wilden mensen geen vreemden in huis. Klussen werden afgezegd. Daarna kwam een
natte winter. Buiten schilderen kon niet, en binnen was er weinig werk. Ik leefde van mijn
spaargeld. Toen dat op was, betaalde ik eerst de verf en mijn bus. De belasting en de
zorgverzekering schoof ik voor me uit.

## Trots
Als zzp'er ben je gewend om alles zelf op te lossen. Ik dacht: schuldhulp is niet voor
ondernemers. Ik was ook bang dat ik mijn bedrijf moest stoppen. Daarom wachtte ik lang. Te
lang.

Mijn boekhouder zei op een dag: "Yusuf, dit gaat niet meer vanzelf goed." Zij wist dat de
gemeente ook zelfstandigen helpt. Ze gaf me het nummer.

## Het eerste telefoontje
Ik belde vanuit mijn bus, tussen twee klussen door. De vrouw aan de telefoon wist wat een
slecht seizoen betekent. Ze vroeg naar mijn klanten en mijn plannen, niet alleen naar mijn
schulden. Dat gaf vertrouwen.

> Wacht niet tot je spaargeld op is.
""",
        "what_helped": (
            "Ik kreeg een hulpverlener die veel weet van zelfstandigen. We maakten een "
            "overzicht van mijn bedrijf en van mijn eigen geld. Ze hielp me een "
            "betalingsregeling aan te vragen bij de Belastingdienst. Dan mag je de "
            "belasting in delen betalen. Voor de maanden zonder werk kreeg ik tijdelijk "
            "extra geld van de gemeente. Die regeling is er "
            "speciaal voor zelfstandigen. Mijn zorgverzekering betaal ik nu elke maand "
            "automatisch.\n\n"
            "Ik zet nu elke maand geld opzij voor de belasting en de winter. Op een "
            "aparte rekening, waar ik niet aankom."
        ),
        "where_now": (
            "Mijn bedrijf bestaat nog. Ik heb nu vaste klanten, ook voor binnenwerk in de "
            "winter. De laatste schuld bij de Belastingdienst is dit jaar betaald.\n\n"
            "Werk je voor jezelf en loopt het niet? Bel dan op tijd. De gemeente helpt ook "
            "ondernemers. Hoe eerder je belt, hoe meer je kunt redden."
        ),
        "phase": "arrangement",
    },
]

FEATURED_STORIES = ["ronald", "samira", "jayden"]

# The consent text the demo storytellers agreed to. Never change a text that is in use: add a
# new version instead (records point to the exact text).
CONSENT_TEXT = {
    "version": "2026-1",
    # One line per paragraph: the text is shown as written, and a hard line break inside a
    # paragraph would break the sentence on a phone.
    "text": "\n\n".join(
        " ".join(paragraph.split())
        for paragraph in textwrap.dedent(
            """
        Ik vind het goed dat de gemeente mijn verhaal laat zien. Dat mag alleen op de plekken
        die ik heb gekozen: de website, sociale media, drukwerk of video.

        Ik word genoemd met mijn voornaam of met een andere naam die ik kies. Mijn achternaam,
        adres en telefoonnummer komen nooit in het verhaal.

        Voordat mijn verhaal online komt, lees ik het. Ik zeg of het goed is. Verandert er
        later iets? Dan lees ik het opnieuw.

        Ik mag altijd stoppen. Dan haalt de gemeente mijn verhaal meteen offline. Daar hoef
        ik niets voor uit te leggen.

        Mijn toestemming geldt een jaar. Daarna vraagt de gemeente of ik wil verlengen.
        """
        )
        .strip()
        .split("\n\n")
    ),
}

# Days a demo consent is valid, counted from the day the demo content is loaded.
CONSENT_DAYS = 365

# Where the demo tellers allow their story. The pictures are drawings, so a "photo" may show.
STORY_CONSENT = {
    "scope_website": True,
    "scope_social": True,
    "scope_print": False,
    "scope_video": True,
    "photo_allowed": True,
    "city_shown": False,
}
# Ingrid wants her story on the website only: no share buttons, no video.
STORY_CONSENT_CHANGES = {"ingrid": {"scope_social": False, "scope_video": False}}


def story_consent(key, display_name, number):
    """The values of a demo teller's consent record. The contact details are invented and
    reach nobody: voorbeeld.nl is for examples, and 06 0000 00.. numbers are not in use."""
    return {
        **STORY_CONSENT,
        **STORY_CONSENT_CHANGES.get(key, {}),
        "display_name": display_name,
        "contact_name": f"{display_name} Demoverteller",
        "contact_email": f"{key}.demo@voorbeeld.nl",
        "contact_phone": f"06 0000 00{number:02d}",
    }


CONTACT = {
    "title": "Contact",
    "introduction": (
        "Je kunt ons bellen, een WhatsApp-bericht sturen of zonder afspraak langskomen. "
        "Kies wat voor jou het fijnst voelt."
    ),
    "body": [
        """
## Bellen
Bel <a href="tel:0101234567">010 123 45 67</a>. We zijn er maandag tot en met vrijdag van 9
tot 17 uur. Je krijgt meteen een mens aan de telefoon, geen keuzemenu.

## WhatsApp
Stuur een bericht naar <a href="https://wa.me/31612345678">06 12 34 56 78</a>. We antwoorden
op werkdagen zo snel mogelijk. Zet geen bankgegevens of kopieën van brieven in de app. Die
bespreken we liever in een gesprek.

## Langskomen zonder afspraak
Je bent welkom op ons inloopspreekuur. Je hoeft niets mee te nemen.

- Dinsdag van 9.00 tot 12.00 uur: Wijkcentrum De Brug, Havenstraat 12
- Donderdag van 13.00 tot 16.00 uur: Bibliotheek Centrum, Marktplein 3

## Post en e-mail
Schuldhulp Rivierstad, Stadskantoor, Rivierkade 1, 3311 AA Rivierstad. E-mail:
<a href="mailto:schuldhulp@rivierstad.example">schuldhulp@rivierstad.example</a>.
Een brief of e-mail beantwoorden we binnen 5 werkdagen.
""",
        call_to_action(
            "Liever dat wij jou bellen?",
            "Laat je nummer achter. Dan bellen we jou, op een moment dat jou goed uitkomt.",
            "Bel mij terug",
        ),
    ],
}

AFTER_SIGNUP = {
    "title": "Wat gebeurt er na je aanmelding?",
    "introduction": (
        "Je hebt je aangemeld. Of je twijfelt nog. Hier lees je wat er daarna gebeurt, "
        "stap voor stap. Jij bepaalt het tempo."
    ),
    "body": [
        steps(
            "Stap voor stap",
            ("We bellen je", "Binnen 2 werkdagen, op het moment dat jij hebt gekozen."),
            (
                "Een eerste gesprek",
                "Bij ons, bij jou thuis of via video. Het duurt ongeveer een uur. "
                "Je mag iemand meenemen.",
            ),
            (
                "Samen overzicht maken",
                "We kijken naar wat er binnenkomt, wat eruit gaat en wat je nog moet betalen.",
            ),
            (
                "Rust maken",
                "We nemen contact op met de mensen en bedrijven aan wie je geld moet. "
                "Zo komt er rust.",
            ),
            ("Een plan", "We maken samen een plan dat bij jou past. Je doet het niet alleen."),
        ),
        """
## Wat neem je mee naar het eerste gesprek?
Neem mee wat je hebt. Heb je niet alles? Geen probleem. We zoeken het samen uit.

- brieven en rekeningen, ook de brieven die je nog niet hebt geopend
- je loonstrook of de brief over je uitkering
- afschriften van je bankrekening van de laatste maand

## Lukt het een keer niet?
Bel of app ons. Dan maken we een nieuwe afspraak. Je kunt ook altijd stoppen. Dat is niet erg.
Je mag later weer terugkomen.
""",
        call_to_action("Klaar voor de eerste stap?", "Meld je aan. Het kost je twee minuten."),
    ],
}

PRIVACY = {
    "title": "Privacyverklaring",
    "introduction": (
        "Hier lees je welke gegevens we bewaren als je je aanmeldt. En waarom, wie ze kan zien "
        "en hoe lang we ze bewaren."
    ),
    "body": """
## Wie zijn wij?
Schuldhulp Rivierstad is de schuldhulp van de gemeente Rivierstad. De gemeente is
verantwoordelijk voor wat er met je gegevens gebeurt.

## Welke gegevens vragen we?
Als je je aanmeldt, vragen we alleen wat we nodig hebben om je te bereiken:

- je naam, of een bijnaam als je dat liever hebt
- je telefoonnummer of je e-mailadres
- wanneer we je het beste kunnen bellen
- je postcode
- een bericht, als je dat wilt. Dat hoeft niet.

We vragen op het formulier niet naar je schulden, je inkomen of je gezondheid. Schrijf in het
bericht alleen wat je zelf wilt vertellen.

We slaan ook op wanneer je je aanmeldde en toestemming gaf. En via welke pagina je bij het
formulier kwam. Bijvoorbeeld via een verhaal of een folder met een code. Zo weten we welke verhalen
mensen helpen.

## Waarom?
We gebruiken je gegevens alleen om contact met je op te nemen, zoals jij vraagt. Daar geef je
toestemming voor op het formulier. Aan je postcode zien we of je in Rivierstad woont. Woon je
ergens anders? Dan bewaren we niets, en vertellen we je waar je wel terecht kunt.

## Wie kan je gegevens zien?
Alleen de medewerkers van het aanmeldteam. Collega's die de website maken, kunnen je aanmelding
niet zien. Elke keer dat iemand je aanmelding bekijkt, leggen we dat vast. We verkopen je
gegevens niet en we geven ze niet aan anderen. Ga je verder met hulp? Dan zetten we je gegevens
in je dossier bij de schuldhulp. Dat bespreken we eerst met je.

## Hoe bewaren we je gegevens?
Versleuteld. Dat betekent dat ze op slot staan. Zonder de sleutel kan niemand ze lezen. We
sturen je gegevens nooit rond per e-mail.

## Hoe lang bewaren we ze?
We wissen je aanmelding 90 dagen nadat we je gegevens in je dossier hebben gezet. Ga je niet
verder met hulp? Dan wissen we je aanmelding 90 dagen na het laatste contact met je.

## Cookies en meten
Op pagina's zonder formulier gebruiken we geen cookies. Op een pagina met een formulier zetten
we één cookie voor de veiligheid. Dat zorgt ervoor dat niemand anders het formulier namens jou
kan versturen. Het cookie zegt niets over wie je bent.

We volgen je niet. We gebruiken geen meetdiensten of advertenties van andere bedrijven. We
tellen alleen hoe vaak een pagina is bekeken, zonder te weten door wie.

## Jouw rechten
Je mag altijd vragen:

- welke gegevens we van je hebben (inzage)
- om je gegevens te verbeteren als ze niet kloppen (correctie)
- om je gegevens te wissen (verwijdering)

Vragen kan door te bellen, langs te komen of een e-mail te sturen. Op de
<a linktype="page" id="{contact}">contactpagina</a> staat hoe. We vragen je dan om te laten
zien wie je bent. Zo geven we je gegevens niet aan iemand anders. Je krijgt binnen een maand
antwoord.

## Ben je het niet eens met ons?
Vertel het ons, dan zoeken we samen een oplossing. Je kunt ook een klacht indienen bij de
<a href="https://www.autoriteitpersoonsgegevens.nl/">Autoriteit Persoonsgegevens</a>. Die
controleert in Nederland of organisaties goed met gegevens omgaan.
""",
}

INTAKE = {
    "title": "Aanmelden",
    "introduction": (
        "Meld je aan voor gratis hulp bij geldzorgen. Vul in hoe we je kunnen bereiken. "
        "Dan bellen wij jou."
    ),
    "reassurance": """
- <b>Het is gratis.</b> Hulp van de schuldhulp kost je niets.
- <b>We oordelen niet.</b> Geldzorgen kunnen iedereen overkomen. Je hoeft je niet te schamen.
- <b>Je zit nergens aan vast.</b> Je kunt altijd stoppen.

Je gegevens staan versleuteld op slot. Alleen het aanmeldteam kan ze zien. Lees meer in de
<a linktype="page" id="{privacy}">privacyverklaring</a>.
""",
    "steps": [
        steps(
            "Wat gebeurt er hierna?",
            ("Je vult dit formulier in", "Dat duurt ongeveer twee minuten."),
            ("We bellen je", "Binnen 2 werkdagen, op de tijd die jij kiest."),
            ("We maken een afspraak", "Bij ons, bij jou thuis of via video."),
            ("We zoeken samen een oplossing", "Stap voor stap, in jouw tempo."),
        )
    ],
    "thank_you_heading": "Dank je wel. We bellen je.",
    "thank_you_text": """
Een medewerker van het aanmeldteam belt je op de tijd die je hebt gekozen. Je ziet dan een
nummer dat begint met 010. Missen we je? Dan proberen we het nog een keer.

Je hoeft nu nog niets te doen. Wil je je alvast voorbereiden? Leg je brieven en rekeningen op
één plek. Ook de brieven die je nog niet hebt geopend.
""",
    "outside_area_text": """
Zoek op de website van je eigen gemeente naar "schuldhulp". Die hulp is ook gratis. Weet je
niet waar je moet beginnen? Bel of kijk dan bij de landelijke hulplijn hieronder.
""",
}

# The demo mini-documentary. Its film and captions are files in site/demo_media (made once by
# site/demo_media/make_documentary.py); the transcript holds the same sentences as the
# captions, plus what is to be seen, for who cannot watch.
DOCUMENTARY = {
    "key": "karin",
    "slug": "karin-vertelt",
    "title": "Karin vertelt: bel gewoon",
    "display_name": "Karin",
    "themes": ["Huurachterstand", "Energie"],
    "image": "hero",
    "phase": "signing_up",
    "quote": "Wacht niet zo lang als ik. Bel gewoon.",
    "summary": (
        "Karin had schulden en maakte haar post niet meer open. Haar buurvrouw zei: bel de "
        "gemeente. Dat deed ze. Nu is er een plan en slaapt ze weer goed."
    ),
    "transcript": """
[Beeld: een kaart met de tekst "Karin vertelt. Een korte film over geldzorgen".]

Karin: Ik ben Karin. Twee jaar geleden had ik schulden.

[Beeld: een tekening van een huis in de avond. Voor het huis ligt een brief.]

Karin: Ik maakte mijn post niet meer open. Ik schaamde me.

[Beeld: een tekening van een telefoon met een vinkje.]

Karin: Mijn buurvrouw zei: bel de gemeente. Dat heb ik gedaan.

[Beeld: een tekening van twee tekstballonnen, als een gesprek.]

Karin: Ze luisterden naar mij. Niemand gaf mij de schuld.

[Beeld: een tekening van een plant met nieuwe blaadjes.]

Karin: Nu is er een plan. Ik slaap weer goed.

[Beeld: een kaart met de tekst "Wacht niet te lang. Bel de gemeente. Het is gratis."]

Karin: Wacht niet zo lang als ik. Bel gewoon.
""",
    "body": """
Karin is een verzonnen persoon. Deze korte film laat zien hoe een eerste telefoontje kan
helpen. De film duurt een halve minuut en heeft ondertiteling.

Wil je ook bellen? Dat mag altijd, ook als je schuld nog klein is. Het gesprek is gratis.
""",
    "video": {
        "title": "Karin vertelt (demo-film)",
        "file": "documentaire-karin.webm",
        "captions": "documentaire-karin.vtt",
        "duration_seconds": 27,
    },
}


# --- Translations -----------------------------------------------------------------------------
# Texts of a few demo pages in other languages: site/demo_translations/<code>.json, with the
# same keys as the Dutch specs above.

TRANSLATED_LANGUAGES = ["en", "ar"]
LANGUAGE_LABELS = {"en": "Engels", "ar": "Arabisch"}
TRANSLATED_STORY = "de-post-niet-meer-open"
TRANSLATED_LANDING_PAGE = "post-open"


def translation(code):
    path = Path(__file__).resolve().parent / "demo_translations" / f"{code}.json"
    if not path.exists():
        return None
    return json.loads(path.read_text(encoding="utf-8"))


def story_values(spec, display_name, code):
    values = {k: v for k, v in spec.items() if k in STORY_TEXT_FIELDS}
    values["body"] = stream(spec["body"], display_name)
    values["photo_alt"] = TRANSLATED_STORY_PHOTO_ALT[code]
    return values


TRANSLATED_STORY_PHOTO_ALT = {
    "en": (
        "Drawing of a house in the evening with a warmly lit window. "
        "In front of the house lies an open envelope."
    ),
    "ar": "رسم لبيت في المساء، نافذته مضاءة بنور دافئ. أمام البيت ظرف مفتوح.",
}


STORY_TEXT_FIELDS = ("title", "quote", "summary", "what_helped", "where_now")


def landing_values(spec, story=None):
    values = {
        "title": spec["title"],
        "headline": spec["headline"],
        "message": spec["message"],
        "introduction": spec["message"],
        "cta_label": spec["cta_label"],
        "steps": [{"type": "steps", "value": spec["steps"]}],
        "fears": [
            {"type": "fear", "value": {"question": question, "answer": answer}}
            for question, answer in spec["fears"]
        ],
    }
    if story is not None:
        values["stories"] = [{"type": "card", "value": {"story": story.pk, "show_link": True}}]
    return values
