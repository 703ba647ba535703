"""A year of daily counts for many campaigns, to measure the dashboard at municipal scale.

For load tests and the query-count test only: the campaigns, pages and counts are invented and
hold no person. Rows are written with bulk_create, so 200 campaigns and a year of days take
seconds. Run it on a test or bench database, not on a live one: `--remove` takes the
generated campaigns (named with PREFIX) and their counts away again.
"""

import random
from datetime import timedelta

from django.core.management.base import BaseCommand
from django.db import connection, transaction
from django.utils import timezone

from campagnes.models import (
    CODE_ALPHABET,
    CODE_LENGTH,
    Campaign,
    CampaignLandingPage,
    Channel,
    DailyCount,
    TargetGroup,
    TrackedLink,
)

PREFIX = "Belasting "
EVENTS = [("view", 1.0), ("cta_click", 0.2), ("started", 0.12), ("submitted", 0.08)]


def fresh_codes(rng, number):
    """`number` short codes that no tracked link uses yet."""
    taken = set(TrackedLink.objects.values_list("code", flat=True))
    codes = []
    while len(codes) < number:
        code = "".join(rng.choice(CODE_ALPHABET) for _ in range(CODE_LENGTH))
        if code not in taken:
            taken.add(code)
            codes.append(code)
    return codes


def generate(
    campaigns=200, days=365, links_per_campaign=3, events=4, campaigns_per_page=10, seed=9
):
    """Create the campaigns, their links and landing pages, and the day counts; returns the
    number of count rows written."""
    from doorvertellen.models import HomePage

    rng = random.Random(seed)
    home = HomePage.objects.first()
    if home is None:
        raise ValueError("No home page: load the demo content or create a site first.")
    today = timezone.localdate()
    groups = list(TargetGroup.values)
    channels = list(Channel.values)
    with transaction.atomic():
        made = Campaign.objects.bulk_create(
            Campaign(
                name=f"{PREFIX}{number:03d}",
                target_group=groups[number % len(groups)],
                starts_on=today - timedelta(days=days),
                live=True,
            )
            for number in range(campaigns)
        )
        pages = []
        for index in range(0, campaigns, campaigns_per_page):
            page = CampaignLandingPage(
                title=f"{PREFIX}pagina {index // campaigns_per_page + 1}",
                slug=f"belasting-{index // campaigns_per_page + 1}-{rng.randrange(10**6)}",
                campaign=made[index],
                headline="Zorgen over geld?",
                headline_b="Rood staan?" if index % 20 == 0 else "",
                message="Wij helpen je gratis.",
            )
            home.add_child(instance=page)
            pages.append(page)
        for index, campaign in enumerate(made):
            campaign.landing_page_id = pages[index // campaigns_per_page].pk
        Campaign.objects.bulk_update(made, ["landing_page"])
        codes = iter(fresh_codes(rng, campaigns * links_per_campaign))
        links = TrackedLink.objects.bulk_create(
            TrackedLink(
                campaign=campaign,
                channel=channels[(index + link) % len(channels)],
                label=f"Kanaal {link + 1}",
                code=next(codes),
                sort_order=link,
            )
            for index, campaign in enumerate(made)
            for link in range(links_per_campaign)
        )
        page_of = {campaign.pk: campaign.landing_page_id for campaign in made}
        rows = []
        for link in links:
            page_id = page_of[link.campaign_id]
            base = rng.uniform(2, 30)
            for offset in range(days):
                views = max(0, round(rng.gauss(base, base / 3)))
                if not views:
                    continue
                day = today - timedelta(days=offset)
                for event, share in EVENTS[:events]:
                    count = round(views * share)
                    if count:
                        rows.append(
                            DailyCount(
                                day=day, event=event, code=link.code, page_id=page_id, count=count
                            )
                        )
        DailyCount.objects.bulk_create(rows, batch_size=5000)
    return len(rows)


def settle():
    """Leave the counts as a table that filled up over a year would be: the database's
    statistics up to date and, on PostgreSQL, vacuumed, as autovacuum keeps a live table, so
    that the dashboard can sum them from its index alone (VACUUM only outside a transaction)."""
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql" and not connection.in_atomic_block:
            cursor.execute(f"VACUUM ANALYZE {DailyCount._meta.db_table}")
        else:
            cursor.execute(f"ANALYZE {DailyCount._meta.db_table}")


def remove():
    """Take the generated campaigns, their pages and their counts away again."""
    campaigns = Campaign.objects.filter(name__startswith=PREFIX)
    codes = TrackedLink.objects.filter(campaign__in=campaigns).values_list("code", flat=True)
    DailyCount.objects.filter(code__in=list(codes)).delete()
    for page in CampaignLandingPage.objects.filter(title__startswith=PREFIX):
        page.delete()
    return campaigns.delete()[0]


class Command(BaseCommand):
    help = "Maakt een jaar aan dagtellingen voor veel campagnes, om de cijfers te meten."

    def add_arguments(self, parser):
        parser.add_argument("--campaigns", type=int, default=200)
        parser.add_argument("--days", type=int, default=365)
        parser.add_argument("--links", type=int, default=3)
        parser.add_argument(
            "--remove", action="store_true", help="Haal de gemaakte campagnes weer weg."
        )

    def handle(self, *args, **options):
        if options["remove"]:
            removed = remove()
            self.stdout.write(f"Weggehaald: {removed} rijen.")
            return
        if not 1 <= options["campaigns"] <= 5000 or not 1 <= options["days"] <= 3660:
            self.stderr.write("Kies 1 tot 5000 campagnes en 1 tot 3660 dagen.")
            return
        try:
            written = generate(options["campaigns"], options["days"], options["links"])
        except ValueError as error:
            self.stderr.write(str(error))
            return
        settle()
        self.stdout.write(
            f"{options['campaigns']} campagnes, {written} dagtellingen over {options['days']} dagen."
        )
