"""Three demo campaigns with landing pages, tracked links and weeks of plausible counts.

Run by `load_demo_content` (by name, so the core does not import this app). Idempotent:
campaigns are found by name, pages by slug, and counts are only written for a campaign that has
none yet, so the dashboard tells a story right after `make run` and a second run changes nothing.
The counts are invented and hold no person.
"""

import random
from datetime import timedelta

from django.core.management.base import BaseCommand
from django.db import transaction
from django.utils import timezone
from wagtail.models import Locale

from campagnes.models import (
    Campaign,
    CampaignLandingPage,
    DailyCount,
    Municipality,
    TrackedLink,
)
from doorvertellen.models import HomePage
from verhalen.models import StoryPage

WEEKS = 16

FEARS = [
    (
        "Raak ik mijn huis kwijt?",
        "Bijna nooit. Hoe eerder je hulp vraagt, hoe meer we samen kunnen regelen.",
    ),
    (
        "Moet ik alles laten zien?",
        "We kijken samen naar je brieven en rekeningen. Je hoeft niet alles in één keer te doen.",
    ),
    ("Kost het geld?", "Nee. Hulp bij geldzorgen van de gemeente is gratis."),
]

STEPS = {
    "heading": "Zo gaat het als je je aanmeldt",
    "steps": [
        {"title": "Je laat je naam en nummer achter", "text": "Dat duurt twee minuten."},
        {"title": "Wij bellen je", "text": "Binnen 2 werkdagen. We luisteren eerst."},
        {"title": "We maken een afspraak", "text": "Samen kijken we wat er nodig is."},
    ],
}

CAMPAIGNS = [
    {
        "name": "Jong en rood staan",
        "goal": "Jongeren tot 27 melden zich aan voordat hun schulden groot worden.",
        "target_group": "young",
        "slug": "rood-staan",
        "title": "Rood staan? Je bent niet de enige",
        "headline": "Rood staan? Praat er vandaag over.",
        "headline_b": "Achteraf betalen liep uit de hand?",
        "message": "Veel jongeren hebben schulden. Het is geen schande. Wij helpen je gratis.",
        "stories": ["achteraf-betalen", "zzper-alleen-oplossen"],
        "links": [
            ("social", "Instagram-post"),
            ("poster", "Poster mbo-school"),
            ("flyer", "Flyer jongerenwerk"),
        ],
        "scale": 1.0,
    },
    {
        "name": "Brief aan alle huishoudens",
        "goal": "Iedereen in de gemeente weet dat hulp bij geldzorgen gratis is.",
        "target_group": "everyone",
        "slug": "post-open",
        "title": "Durf je de post niet open te maken?",
        "headline": "Durf je de post niet open te maken?",
        "headline_b": "",
        "message": "Je bent niet de enige. Bel ons of laat je nummer achter. Wij helpen je.",
        "stories": ["de-post-niet-meer-open"],
        "links": [("letter", "Brief aan huishoudens"), ("newspaper", "Stadskrant")],
        "scale": 1.6,
    },
    {
        "name": "Zelfstandigen met geldzorgen",
        "goal": "Zelfstandigen vragen hulp voordat hun bedrijf stopt.",
        "target_group": "self_employed",
        "slug": "zelfstandig",
        "title": "Zelfstandig en zorgen over geld?",
        "headline": "Eigen bedrijf en zorgen over geld?",
        "headline_b": "",
        "message": "Ook als ondernemer kun je hulp krijgen. We kijken naar je zaak en je thuis.",
        "stories": ["zzper-alleen-oplossen"],
        "links": [("partner", "Ondernemersloket"), ("email", "Nieuwsbrief ondernemers")],
        "scale": 0.5,
    },
]


DROPOUT_REASONS = ["no_show", "unreachable", "not_ready", "too_hard", "moved", "elsewhere"]
DROPOUT_WEIGHTS = [40, 25, 15, 10, 5, 5]


def binomial(rng, n, p):
    """How many of `n` people take the next step, each with chance `p`."""
    return sum(rng.random() < min(p, 1.0) for _ in range(n))


# Neighbouring municipalities (invented), to group interest from outside the service area.
MUNICIPALITIES = [
    ("Veerdam", 3360, 3369, 0.6),
    ("Oudewaard", 3370, 3379, 0.3),
    ("Lekkerkant", 3380, 3389, 0.15),
]


class Command(BaseCommand):
    help = "Laadt drie demo-campagnes met links, campagnepagina's en weken aan tellingen."

    def handle(self, *args, **options):
        home = HomePage.objects.filter(locale=Locale.get_default()).first()
        if home is None:
            self.stdout.write("Geen homepage: draai eerst load_demo_content.")
            return
        rng = random.Random(2026)
        made = 0
        with transaction.atomic():
            for spec in CAMPAIGNS:
                campaign = Campaign.objects.filter(name=spec["name"]).first()
                if campaign is None:
                    campaign = Campaign.objects.create(
                        name=spec["name"],
                        goal=spec["goal"],
                        target_group=spec["target_group"],
                        starts_on=timezone.localdate() - timedelta(weeks=WEEKS),
                        live=True,
                    )
                    made += 1
                page = self.landing_page(home, campaign, spec)
                if campaign.landing_page_id != page.pk:
                    campaign.landing_page = page
                    campaign.save(update_fields=["landing_page"])
                links = [
                    TrackedLink.objects.get_or_create(
                        campaign=campaign, label=label, defaults={"channel": channel}
                    )[0]
                    for channel, label in spec["links"]
                ]
                if not DailyCount.objects.filter(page=page).exists():
                    self.counts(rng, page, links, spec)
            self.outside_area(rng)
        self.stdout.write(f"Demo-campagnes: {made} nieuw, {len(CAMPAIGNS) - made} al aanwezig.")

    def outside_area(self, rng):
        """Municipalities next door, and the residents from there who tried to sign up."""
        from doorvertellen.models import OutsideAreaCount

        for name, first, last, _share in MUNICIPALITIES:
            Municipality.objects.get_or_create(
                name=name, defaults={"first_area": first, "last_area": last}
            )
        if OutsideAreaCount.objects.exists():
            return
        today = timezone.localdate()
        rows = []
        for offset in range(WEEKS * 7):
            for _name, first, last, share in MUNICIPALITIES:
                count = binomial(rng, 3, share)
                if count:
                    area = str(rng.randint(first, last))
                    rows.append((today - timedelta(days=offset), area, count))
        merged = {}
        for day, area, count in rows:
            merged[(day, area)] = merged.get((day, area), 0) + count
        OutsideAreaCount.objects.bulk_create(
            OutsideAreaCount(date=day, postcode_area=area, count=count)
            for (day, area), count in merged.items()
        )

    def landing_page(self, home, campaign, spec):
        page = CampaignLandingPage.objects.filter(slug=spec["slug"], locale=home.locale).first()
        if page is not None:
            return page
        stories = [
            ("card", {"story": story, "show_link": True})
            for story in StoryPage.objects.filter(slug__in=spec["stories"], locale=home.locale)
        ]
        page = CampaignLandingPage(
            title=spec["title"],
            slug=spec["slug"],
            campaign=campaign,
            headline=spec["headline"],
            headline_b=spec["headline_b"],
            cta_label="Meld je aan",
            cta_label_b="Bel mij terug" if spec["headline_b"] else "",
            message=spec["message"],
            introduction=spec["message"],
            stories=stories,
            steps=[("steps", STEPS)],
            fears=[("fear", {"question": q, "answer": a}) for q, a in FEARS],
            live=False,
        )
        home.add_child(instance=page)
        page.save_revision().publish()
        return page

    def counts(self, rng, page, links, spec):
        """Plausible day counts: most views drop off, few sign up, fewer stay in the route.

        Some residents read a story first and sign up from there (counted on the story, for
        the version they saw); the intake milestones follow each day's sign-ups: contact with
        its response time, a first meeting, and three months on a solution, still in the
        route, or a dropout with its reason.
        """
        today = timezone.localdate()
        stories = list(
            StoryPage.objects.filter(slug__in=spec["stories"], locale=page.locale).values_list(
                "pk", flat=True
            )
        )
        rows = {}

        def add(day, event, code, where, variant="", detail="", n=0):
            if n > 0:
                key = (day, event, code, where, variant, detail)
                rows[key] = rows.get(key, 0) + n

        for offset in range(WEEKS * 7):
            day = today - timedelta(days=offset)
            weekend = day.weekday() >= 5
            for link in [None, *links]:
                code = link.code if link else ""
                for variant in ("A", "B") if spec["headline_b"] else ("",):
                    boost = 1.25 if variant == "B" else 1.0
                    views = max(
                        0, round(rng.gauss(14, 4) * spec["scale"] * (0.5 if link is None else 1))
                    )
                    add(day, "view", code, page.pk, variant, n=views)
                    # A quarter of the buttons are pressed on a story read after the page. (A
                    # story view is only counted with a code: see counting.count_view.)
                    for where, share in (
                        (page.pk, 0.75),
                        *((pk, 0.25 / len(stories)) for pk in stories),
                    ):
                        clicks = binomial(rng, views, 0.22 * share)
                        started = binomial(rng, clicks, 0.65)
                        submitted = binomial(rng, started, 0.6 * boost)
                        if where != page.pk and not (code or variant):
                            continue  # nothing to tell this campaign's reader from another's
                        if where != page.pk and code:
                            add(day, "view", code, where, n=clicks + binomial(rng, views, 0.1))
                        add(day, "cta_click", code, where, variant, n=clicks)
                        add(day, "started", code, where, variant, n=started)
                        add(day, "submitted", code, where, variant, n=submitted)
                        self.milestones(
                            rng, add, day, offset, code, where, variant, submitted, weekend
                        )
        DailyCount.objects.bulk_create(
            DailyCount(
                day=day,
                event=event,
                code=code,
                page_id=where,
                variant=variant,
                variant_page=page.pk if variant else 0,
                detail=detail,
                count=count,
            )
            for (day, event, code, where, variant, detail), count in rows.items()
        )

    def milestones(self, rng, add, day, offset, code, where, variant, submitted, weekend):
        if offset < 2:
            return  # the intake team has not called yet
        contacted = binomial(rng, submitted, 0.93)
        late = 0
        for _person in range(contacted):
            # Hours from sign-up to the first call; a weekend adds two days.
            hours = max(1, round(rng.lognormvariate(2.8, 0.7))) + (48 if weekend else 0)
            is_late = hours > 48 + (48 if weekend else 0)
            late += is_late
            add(day, "response_time", code, where, variant, str(hours), n=1)
        add(day, "contacted", code, where, variant, "on_time", n=contacted - late)
        add(day, "contacted", code, where, variant, "late", n=late)
        met = binomial(rng, contacted, 0.72) if offset > 7 else 0
        add(day, "first_meeting", code, where, variant, n=met)
        if offset <= 91:
            return  # three months on: who is still in the route?
        staying = binomial(rng, met, 0.55)
        add(day, "in_route_3m", code, where, variant, n=staying)
        arranged = binomial(rng, staying, 0.3)
        add(day, "solution", code, where, variant, "arrangement", n=arranged)
        add(
            day,
            "solution",
            code,
            where,
            variant,
            "other_solution",
            n=binomial(rng, staying - arranged, 0.2),
        )
        for _person in range(met - staying):
            reason = rng.choices(DROPOUT_REASONS, weights=DROPOUT_WEIGHTS)[0]
            add(day, "dropped_out", code, where, variant, reason, n=1)
