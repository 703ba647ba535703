"""Fill an empty site with demo content: pages, six stories, drawings, settings, demo logins.

Idempotent: objects are found by slug, name, title or username. What exists is kept; only
empty fields are filled in. Texts live in `doorvertellen.demo_content`.

A story is only published with its teller's consent and approval of its content (see
StoryPage.publish), so each demo story gets an invented consent record and an approval of
exactly what is published. This command is the one place in the core app that imports the
stories app: demo content is a story site's content.
"""

import math
import random
import time
from collections import Counter
from concurrent.futures import ThreadPoolExecutor
from datetime import timedelta
from io import BytesIO
from urllib.parse import urlsplit

from django.conf import settings
from django.contrib.auth import get_user_model
from django.contrib.auth.hashers import make_password
from django.contrib.auth.models import Group
from django.contrib.contenttypes.models import ContentType
from django.core.files.images import ImageFile
from django.core.management import call_command
from django.core.management.base import BaseCommand, CommandError
from django.db import transaction
from django.utils import timezone
from django.utils.text import slugify
from django_otp.plugins.otp_totp.models import TOTPDevice
from PIL import Image as PILImage
from PIL import ImageDraw
from wagtail.fields import StreamField
from wagtail.images import get_image_model
from wagtail.models import Locale, Page, Site
from wagtail.utils.file import hash_filelike

from doorvertellen import demo_content as demo
from doorvertellen import roles
from doorvertellen.auth import requires_two_factor
from doorvertellen.models import (
    HomePage,
    HomePageFeaturedStory,
    IntakePage,
    ServiceSettings,
    StandardPage,
)
from verhalen.models import (
    ConsentPage,
    ConsentRecord,
    ConsentText,
    StoryApproval,
    StoryIndexPage,
    StoryPage,
    StoryTheme,
)
from verhalen.models.consent import APPROVAL_LINK_DAYS, new_token

# --- Drawings ------------------------------------------------------------------------------

W, H, S = 1200, 900, 2  # drawn at S times the size, then scaled down for smooth edges
TEAL, CREAM, ORANGE = (11, 85, 99), (255, 248, 238), (244, 162, 89)
SAND, INK, GLOW = (241, 220, 192), (31, 41, 51), (255, 214, 153)


def mix(a, b, t):
    return tuple(round(x + (y - x) * t) for x, y in zip(a, b, strict=True))


class Sketch:
    """A canvas in 1200x900 coordinates; `sky` paints a vertical gradient."""

    def __init__(self, seed):
        self.rng = random.Random(seed)
        self.img = PILImage.new("RGB", (W * S, H * S), CREAM)
        self.d = ImageDraw.Draw(self.img)

    def sky(self, top, bottom):
        for y in range(H * S):
            self.d.line([(0, y), (W * S, y)], fill=mix(top, bottom, y / (H * S)))

    def poly(self, pts, fill):
        self.d.polygon([(x * S, y * S) for x, y in pts], fill=fill)

    def box(self, x0, y0, x1, y1, fill, r=0):
        self.d.rounded_rectangle([x0 * S, y0 * S, x1 * S, y1 * S], radius=r * S, fill=fill)

    def circle(self, x, y, r, fill):
        self.d.ellipse([(x - r) * S, (y - r) * S, (x + r) * S, (y + r) * S], fill=fill)

    def ellipse(self, x0, y0, x1, y1, fill):
        self.d.ellipse([x0 * S, y0 * S, x1 * S, y1 * S], fill=fill)

    def line(self, pts, fill, width):
        self.d.line([(x * S, y * S) for x, y in pts], fill=fill, width=width * S, joint="curve")

    def png(self):
        out = BytesIO()
        self.img.reduce(S).save(out, "PNG")
        return out.getvalue()


def hills(sk, y, amp, fill, period=260):
    phase = sk.rng.uniform(0, math.tau)
    pts = [(x, y + amp * math.sin(x / period + phase)) for x in range(0, W + 20, 20)]
    sk.poly([*pts, (W, H), (0, H)], fill)


def sun(sk, x, y, r, sky):
    sk.circle(x, y, r * 1.6, mix(ORANGE, sky, 0.75))
    sk.circle(x, y, r * 1.25, mix(ORANGE, sky, 0.5))
    sk.circle(x, y, r, ORANGE)


def clouds(sk, n, ymax):
    for _ in range(n):
        x, y, r = sk.rng.uniform(80, W - 80), sk.rng.uniform(60, ymax), sk.rng.uniform(22, 36)
        for dx, dr in ((-r, 0.8), (0, 1.15), (r, 0.85)):
            sk.circle(x + dx, y, r * dr, CREAM)


def house(sk, x, y, w):
    """A house standing on (x, y), w wide, with a warm lit window."""
    h = w * 0.7
    sk.box(x + w * 0.68, y - h - w * 0.42, x + w * 0.82, y - h - w * 0.1, INK)
    sk.box(x, y - h, x + w, y, SAND)
    sk.poly(
        [(x - w * 0.1, y - h + 2), (x + w / 2, y - h - w * 0.48), (x + w * 1.1, y - h + 2)], TEAL
    )
    sk.circle(x + w * 0.3, y - h * 0.58, w * 0.2, mix(GLOW, SAND, 0.5))
    sk.box(x + w * 0.16, y - h * 0.72, x + w * 0.44, y - h * 0.44, GLOW, r=6)
    sk.line([(x + w * 0.3, y - h * 0.72), (x + w * 0.3, y - h * 0.44)], SAND, 5)
    sk.line([(x + w * 0.16, y - h * 0.58), (x + w * 0.44, y - h * 0.58)], SAND, 5)
    sk.box(x + w * 0.6, y - h * 0.62, x + w * 0.82, y, mix(TEAL, INK, 0.3), r=10)
    sk.circle(x + w * 0.78, y - h * 0.3, 5, ORANGE)


def path(sk, x_top, y_top, width):
    sk.poly([(x_top - 10, y_top), (x_top + 10, y_top), (600 + width, H), (600 - width, H)], SAND)


def leaf(sk, x, y, length, width, angle, fill):
    half = [(length * i / 20, width * math.sin(math.pi * i / 20)) for i in range(21)]
    outline = half + [(a, -b) for a, b in reversed(half)]
    c, s = math.cos(angle), math.sin(angle)
    sk.poly([(x + a * c - b * s, y + a * s + b * c) for a, b in outline], fill)


def dots(sk, n, colours):
    for _ in range(n):
        sk.circle(
            sk.rng.uniform(0, W), sk.rng.uniform(0, H), sk.rng.uniform(4, 9), sk.rng.choice(colours)
        )


def scene_home(sk):
    sk.sky(mix(SAND, CREAM, 0.3), CREAM)
    sun(sk, 860, 420, 110, SAND)
    clouds(sk, 3, 260)
    hills(sk, 520, 30, mix(ORANGE, SAND, 0.55))
    hills(sk, 610, 22, mix(TEAL, CREAM, 0.55))
    path(sk, 560, 700, 170)
    house(sk, 420, 700, 300)


def scene_evening(sk):
    sk.sky(mix(TEAL, INK, 0.2), mix(TEAL, ORANGE, 0.45))
    sk.circle(930, 170, 60, CREAM)
    sk.circle(955, 150, 55, mix(TEAL, INK, 0.15))
    for _ in range(24):
        sk.circle(sk.rng.uniform(40, W - 40), sk.rng.uniform(30, 380), sk.rng.uniform(2, 4), CREAM)
    hills(sk, 640, 18, mix(TEAL, INK, 0.45))
    house(sk, 380, 700, 340)
    sk.poly([(0, 700), (W, 700), (W, H), (0, H)], mix(TEAL, INK, 0.55))
    sk.box(700, 760, 900, 880, CREAM, r=6)
    sk.poly([(700, 760), (800, 700), (900, 760)], SAND)
    sk.line([(700, 762), (800, 830), (900, 762)], mix(SAND, INK, 0.3), 4)


def scene_kettle(sk):
    sk.sky(SAND, CREAM)
    sk.box(660, 120, 1080, 520, mix(TEAL, CREAM, 0.7), r=12)
    sun(sk, 900, 300, 70, mix(TEAL, CREAM, 0.7))
    sk.line([(870, 120), (870, 520)], CREAM, 14)
    sk.line([(660, 320), (1080, 320)], CREAM, 14)
    sk.box(0, 700, W, H, mix(ORANGE, SAND, 0.6))
    sk.poly([(560, 560), (700, 420), (730, 440), (620, 610)], TEAL)
    sk.ellipse(250, 380, 640, 715, TEAL)
    sk.box(240, 690, 650, 720, mix(TEAL, INK, 0.4), r=10)
    sk.d.arc([300 * S, 260 * S, 590 * S, 520 * S], 195, 345, fill=INK, width=22 * S)
    sk.circle(445, 390, 26, ORANGE)
    sk.ellipse(360, 440, 440, 480, mix(TEAL, CREAM, 0.3))
    for i in range(3):
        x0 = 720 + i * 36
        pts = [(x0 + 18 * math.sin(t / 3 + i), 400 - t * 9) for t in range(25)]
        sk.line(pts, CREAM, 10)


def scene_bubbles(sk):
    sk.sky(CREAM, SAND)
    dots(sk, 30, [SAND, mix(ORANGE, CREAM, 0.5)])
    sk.box(150, 170, 700, 500, TEAL, r=60)
    sk.poly([(240, 480), (330, 480), (210, 590)], TEAL)
    for i, width in enumerate((420, 360, 250)):
        sk.box(220, 240 + i * 80, 220 + width, 280 + i * 80, mix(TEAL, CREAM, 0.75), r=20)
    sk.box(480, 420, 1050, 730, ORANGE, r=60)
    sk.poly([(920, 710), (1010, 710), (1060, 820)], ORANGE)
    for i in range(3):
        sk.circle(660 + i * 110, 575, 26, CREAM)


def scene_plant(sk):
    sk.sky(CREAM, mix(SAND, CREAM, 0.4))
    sun(sk, 960, 190, 80, CREAM)
    sk.box(0, 760, W, H, SAND)
    stem = [(600 + 30 * math.sin(t / 5), 700 - t * 18) for t in range(26)]
    sk.line(stem, TEAL, 16)
    for i, (x, y) in enumerate(stem[4::4]):
        side = 1 if i % 2 else -1
        size = 150 - i * 14
        colour = TEAL if i < 4 else mix(TEAL, CREAM, 0.35)
        leaf(sk, x, y, size, size * 0.38, -math.pi / 2 + side * 1.0, colour)
    sk.poly([(440, 640), (760, 640), (720, 840), (480, 840)], ORANGE)
    sk.box(420, 610, 780, 660, mix(ORANGE, INK, 0.15), r=12)


def scene_phone(sk):
    sk.sky(mix(TEAL, CREAM, 0.8), CREAM)
    dots(sk, 26, [CREAM, mix(ORANGE, SAND, 0.5)])
    sk.box(380, 120, 720, 800, INK, r=56)
    sk.box(405, 180, 695, 730, CREAM, r=20)
    sk.box(505, 145, 595, 158, mix(INK, CREAM, 0.3), r=6)
    sk.circle(550, 420, 100, TEAL)
    sk.line([(500, 420), (538, 462), (610, 380)], CREAM, 24)
    for i, w in enumerate((200, 150)):
        sk.box(450, 570 + i * 50, 450 + w, 592 + i * 50, SAND, r=11)
    for i in range(5):
        y = 780 - i * 34
        sk.ellipse(800, y - 10, 1000, y + 40, mix(ORANGE, INK, 0.2))
        sk.ellipse(800, y - 20, 1000, y + 28, ORANGE)


def scene_stairs(sk):
    sk.sky(CREAM, SAND)
    sun(sk, 930, 250, 100, SAND)
    clouds(sk, 2, 220)
    hills(sk, 600, 25, mix(TEAL, CREAM, 0.6))
    for i in range(6):
        x, y = 120 + i * 120, 820 - i * 80
        sk.box(x, y, x + 130, H, mix(ORANGE, SAND, 0.25 + i * 0.1))
        sk.box(x, y, x + 130, y + 16, mix(ORANGE, INK, 0.1))
    sk.line([(790, 420), (790, 310)], INK, 6)
    sk.poly([(793, 310), (860, 335), (793, 360)], TEAL)


SCENES = {name[6:]: fn for name, fn in globals().items() if name.startswith("scene_")}


def draw(scene, seed):
    sk = Sketch(seed)
    SCENES[scene](sk)
    return sk.png()


PLURALS = {
    "pagina": "pagina's",
    "thema": "thema's",
    "tekening": "tekeningen",
    "login": "logins",
    "toestemming": "toestemmingen",
    "vertaling": "vertalingen",
}

# --- The command ---------------------------------------------------------------------------


class Command(BaseCommand):
    help = "Laadt demo-inhoud: pagina's, zes verhalen, tekeningen, dienstgegevens, demo-logins."

    def handle(self, *args, **options):
        started = time.monotonic()
        self.notes = {"nieuw": [], "aangevuld": [], "al aanwezig": []}
        self.verbosity = options["verbosity"]
        with transaction.atomic():
            site, home = self.home_and_site()
            self.service_settings(site)
            self.content(home)
            # Campaigns live in their own app; named, not imported, like every domain app.
            call_command("load_demo_campaigns", stdout=self.stdout)
            call_command("load_demo_feedback", stdout=self.stdout)
            self.translations(home)
            if getattr(settings, "DOORVERTELLEN_ALLOW_DEMO_USERS", False):
                self.users()
            else:
                self.stdout.write(
                    "Demo-logins overgeslagen: DOORVERTELLEN_ALLOW_DEMO_USERS staat uit."
                )
        for kind, notes in self.notes.items():
            counts = Counter(category for category, _label in notes)
            if counts:
                summary = ", ".join(
                    f"{n} {PLURALS.get(c, c) if n > 1 else c}" for c, n in counts.items()
                )
                self.stdout.write(f"{kind.capitalize()}: {summary}")
            if self.verbosity > 1:
                for category, label in notes:
                    self.stdout.write(f"  {kind}: {category}: {label}")
        if self.notes["nieuw"] or self.notes["aangevuld"]:
            message = "Demo-inhoud geladen"
        else:
            message = "Niets nieuw: alle demo-inhoud was er al"
        self.stdout.write(self.style.SUCCESS(f"{message} ({time.monotonic() - started:.1f} s)."))

    def note(self, kind, category, label):
        self.notes[kind].append((category, label))

    # Site and pages

    def home_and_site(self):
        home = HomePage.objects.filter(locale=Locale.get_default()).first()
        if home is None:
            root = Page.get_first_root_node()
            if root is None:
                raise CommandError("Er is geen hoofdpagina. Draai eerst: manage.py migrate")
            plain = ContentType.objects.get_for_model(Page)
            for welcome in root.get_children().filter(content_type=plain, slug="home"):
                # Wagtail's "Welcome" page: move sites off it first, or deleting it deletes them.
                Site.objects.filter(root_page=welcome).update(root_page=root)
                welcome.delete()
                self.note("nieuw", "site", "welkomstpagina van Wagtail vervangen")
            root = Page.get_first_root_node()
        else:
            root = home.get_parent()
        values = {**demo.HOME, "hero_image": self.image("hero")}
        home = self.page(root, HomePage, "home", values, "Homepage", existing=home)
        site = Site.objects.filter(is_default_site=True).first()
        # Full addresses (share links, canonical links) follow SITE_URL, e.g. 127.0.0.1:8000.
        address = urlsplit(settings.SITE_URL)
        hostname = address.hostname or "localhost"
        port = address.port or (443 if address.scheme == "https" else 80)
        if site is None:
            site = Site.objects.create(
                hostname=hostname,
                port=port,
                root_page=home,
                is_default_site=True,
                site_name=demo.SITE_NAME,
            )
            self.note("nieuw", "site", f"site {hostname}:{port}")
        elif site.root_page_id != home.pk or (
            (site.hostname, site.port) == ("localhost", 80) != (hostname, port)
        ):
            if (site.hostname, site.port) == ("localhost", 80):  # Wagtail's placeholder
                site.hostname, site.port = hostname, port
            site.root_page = home
            site.site_name = site.site_name or demo.SITE_NAME
            site.save()
            self.note("aangevuld", "site", "site wijst naar de homepage")
        return site, home

    def content(self, home):
        themes = self.themes()
        index = self.page(home, StoryIndexPage, "verhalen", demo.STORY_INDEX, "Verhalen")
        stories = self.stories(index, themes)
        self.documentary(index, themes)
        ids = {}  # internal links: privacy links to contact, the intake page to privacy
        for slug, spec in (("contact", demo.CONTACT), ("privacy", demo.PRIVACY)):
            page = self.page(home, StandardPage, slug, demo.page_values(spec, ids), spec["title"])
            ids[f"{{{slug}}}"] = page.pk
        after = demo.page_values(demo.AFTER_SIGNUP)
        self.page(home, StandardPage, "na-je-aanmelding", after, demo.AFTER_SIGNUP["title"])
        intake = {
            **demo.page_values(demo.INTAKE, ids),
            "privacy_page": Page.objects.get(pk=ids["{privacy}"]),
        }
        self.page(home, IntakePage, "aanmelden", intake, demo.INTAKE["title"])
        featured = [stories[key] for key in demo.FEATURED_STORIES]
        self.page(None, HomePage, "home", {"featured_stories": featured}, "Homepage", home)

    def stories(self, index, themes):
        """The demo stories, each published under its invented teller's consent."""
        text = self.consent_text()
        stories = {}
        for number, spec in enumerate(demo.STORIES, start=1):
            values = {k: v for k, v in spec.items() if k not in ("key", "slug", "body", "themes")}
            image = self.image(spec["key"])
            values |= {
                "photo": image,
                "photo_alt": image.description,
                "body": demo.stream(spec["body"], spec["display_name"]),
                "themes": [themes[name] for name in spec["themes"]],
            }
            consent = demo.story_consent(spec["key"], spec["display_name"], number)
            stories[spec["key"]] = self.page(
                index, StoryPage, spec["slug"], values, spec["title"], consent=(text, consent)
            )
        return stories

    def documentary(self, index, themes):
        """The demo mini-documentary: its film, captions and page, under its teller's consent.

        The film and captions are ready-made files in site/demo_media, so loading the demo
        needs no ffmpeg. Published only through `page`, with consent and approval.
        """
        from verhalen.models import DocumentaryPage

        spec = demo.DOCUMENTARY
        image = self.image(spec["image"])
        values = {
            "title": spec["title"],
            "display_name": spec["display_name"],
            "quote": spec["quote"],
            "summary": spec["summary"],
            "phase": spec["phase"],
            "transcript": spec["transcript"].strip(),
            "photo": image,
            "photo_alt": image.description,
            "video": self.documentary_video(spec["video"], poster=image),
            "body": demo.stream(spec["body"], spec["display_name"]),
            "themes": [themes[name] for name in spec["themes"]],
        }
        consent = demo.story_consent(spec["key"], spec["display_name"], len(demo.STORIES) + 1)
        return self.page(
            index,
            DocumentaryPage,
            spec["slug"],
            values,
            spec["title"],
            consent=(ConsentText.objects.get(version=demo.CONSENT_TEXT["version"]), consent),
        )

    def documentary_video(self, spec, poster):
        """The demo film as a Video, checked like an editor's upload (captions and all)."""
        from pathlib import Path

        from django.core.files import File

        from verhalen.models import Video

        video = Video.objects.filter(title=spec["title"]).first()
        if video is not None:
            self.note("al aanwezig", "video", spec["title"])
            return video
        video = Video(title=spec["title"], poster=poster, duration_seconds=spec["duration_seconds"])
        for field in ("file", "captions"):
            path = Path(demo.__file__).resolve().parent / "demo_media" / spec[field]
            field_file = getattr(video, field)
            stored = field_file.field.generate_filename(video, path.name)
            with path.open("rb") as source:
                if self.stored_hash(field_file.storage, stored) == hash_filelike(source):
                    setattr(video, field, stored)  # copied by an earlier run
                    continue
            setattr(video, field, File(path.open("rb"), name=path.name))
        try:
            video.full_clean()
            video.save()
        finally:
            for field in ("file", "captions"):
                getattr(video, field).close()
        self.note("nieuw", "video", spec["title"])
        return video

    def page(self, parent, model, slug, values, label, existing=None, consent=None):
        """Find or add a page and fill its empty fields; publish what is new or changed.

        `consent` is (consent text, values of the teller's consent record) for a story.
        """
        menus = slug in ("verhalen", "contact", "na-je-aanmelding")
        page = existing or model.objects.child_of(parent).filter(slug=slug).first()
        if page is None and model in (StoryIndexPage, IntakePage):  # at most one of these
            page = model.objects.filter(locale=Locale.get_default()).first()
        if page is None:
            page = model(slug=slug, live=False, show_in_menus=menus)
            self.fill(page, values)
            parent.add_child(instance=page)
            self.publish(page, label, consent)
            self.note("nieuw", "pagina", label)
        elif changed := self.fill(page, values):
            self.publish(page, label, consent)
            self.note("aangevuld", "pagina", f"{label} ({', '.join(changed)})")
        else:
            if consent is not None:
                record, created = self.consent(page, label, *consent)
                if created:
                    # A story from before consent records: its teller approves what is online.
                    self.approve(record, page)
            if "featured_stories" not in values:
                self.note("al aanwezig", "pagina", label)
        return page

    def publish(self, page, label, consent=None):
        if consent is None:
            page.save_revision().publish()
            return
        record, _created = self.consent(page, label, *consent)
        self.approve(record, page).publish()

    # Translations

    def translations(self, home):
        """The home page, the story index, one story, one landing page, the intake page and the
        contact and privacy pages it leads to, in English and Arabic (site/demo_translations),
        each a Wagtail translation of the Dutch page: whoever signs up in a language can read
        what happens with their details in it. A page that is already translated is left as
        it is."""
        from campagnes.models import CampaignLandingPage

        for code in demo.TRANSLATED_LANGUAGES:
            locale = Locale.objects.filter(language_code=code).first()
            texts = demo.translation(code)
            if locale is None or texts is None:
                continue
            label = f"{demo.LANGUAGE_LABELS[code]}: "
            index = StoryIndexPage.objects.child_of(home).first()
            story = StoryPage.objects.child_of(index).filter(slug=demo.TRANSLATED_STORY).first()
            landing = (
                CampaignLandingPage.objects.child_of(home)
                .filter(slug=demo.TRANSLATED_LANDING_PAGE)
                .first()
            )
            intake = IntakePage.objects.child_of(home).first()
            self.translate(home, locale, demo.page_values(texts["home"]), label + "homepage")
            self.translate(index, locale, texts["story_index"], label + "verhalen")
            if story is not None:
                values = demo.story_values(texts["story"], story.display_name, code)
                self.translate(story, locale, values, label + "verhaal", story=True)
            if landing is not None:
                translated_story = story.get_translation_or_none(locale) if story else None
                values = demo.landing_values(texts["landing"], translated_story)
                self.translate(landing, locale, values, label + "campagnepagina")
            plain = {page.slug: page for page in StandardPage.objects.child_of(home)}
            # The privacy page links to the Dutch contact page; the link shows the translation.
            ids = {"{contact}": plain["contact"].pk if "contact" in plain else ""}
            for slug in ("contact", "privacy"):
                if slug in plain and slug in texts:
                    values = demo.page_values(texts[slug], ids)
                    self.translate(plain[slug], locale, values, label + slug)
            if intake is not None:
                ids = {"{privacy}": intake.privacy_page_id or ""}
                values = demo.page_values(texts["intake"], ids)
                self.translate(intake, locale, values, label + "aanmelden")

    def translate(self, source, locale, values, label, story=False):
        if source is None:
            return None
        existing = source.get_translation_or_none(locale)
        if existing is not None:
            self.note("al aanwezig", "vertaling", label)
            return existing
        page = source.copy_for_translation(locale).specific
        for name, value in values.items():
            field = page._meta.get_field(name)
            setattr(page, name, field.to_python(value) if isinstance(field, StreamField) else value)
        page.save()
        if story:
            # The same consent covers the translation (verhalen.signals); the teller approves
            # the translated text as well.
            record = ConsentRecord.objects.filter(page_links__page=page).first()
            self.approve(record, page).publish()
        else:
            page.save_revision().publish()
        self.note("nieuw", "vertaling", label)
        return page

    # Consent for the demo stories

    def consent_text(self):
        text = ConsentText.objects.filter(version=demo.CONSENT_TEXT["version"]).first()
        if text is None:
            text = ConsentText.objects.create(**demo.CONSENT_TEXT)
            self.note("nieuw", "toestemmingstekst", text.version)
        else:
            self.note("al aanwezig", "toestemmingstekst", text.version)
        return text

    def consent(self, page, label, text, values):
        """The teller's consent record linked to the page: (record, whether it is new)."""
        record = ConsentRecord.objects.filter(page_links__page=page).first()
        if record is not None:
            self.note("al aanwezig", "toestemming", label)
            return record, False
        now = timezone.now()
        record = ConsentRecord.objects.create(
            **values,
            naming=ConsentRecord.Naming.FIRST_NAME,
            given_at=now,
            expires_on=timezone.localdate(now) + timedelta(days=demo.CONSENT_DAYS),
            text_version=text,
        )
        ConsentPage.objects.create(consent=record, page=page)
        self.note("nieuw", "toestemming", label)
        return record, True

    def approve(self, record, page):
        """The teller's approval of the page's content as it is now; returns its revision."""
        revision = page.save_revision()
        _token, token_hash = new_token()  # no link is sent, so nobody needs the token
        now = timezone.now()
        StoryApproval.objects.create(
            consent=record,
            page=page,
            revision=revision,
            content_hash=page.approval_hash(),
            token_hash=token_hash,
            status=StoryApproval.Status.APPROVED,
            decided_at=now,
            expires_at=now + timedelta(days=APPROVAL_LINK_DAYS),
        )
        return revision

    def fill(self, page, values):
        """Set each value whose field is still empty (or at its default); return their names."""
        changed = []
        for name, value in values.items():
            if name == "themes":
                if not page.themes.all():
                    page.themes.set(value)
                    changed.append(name)
                continue
            if name == "featured_stories":
                if not page.featured_stories.all():
                    page.featured_stories = [
                        HomePageFeaturedStory(story=story, sort_order=i)
                        for i, story in enumerate(value)
                    ]
                    changed.append(name)
                continue
            field = page._meta.get_field(name)
            current = getattr(page, field.attname)
            if isinstance(field, StreamField):
                if not len(current):
                    setattr(page, name, field.to_python(value))
                    changed.append(name)
                continue
            if field.is_relation:
                value = value.pk if value is not None else None
            default = field.get_default() if field.has_default() else None
            if current in (None, "", default) and current != value:
                setattr(page, field.attname, value)
                changed.append(name)
        return changed

    # Themes, images, settings, users

    def themes(self):
        themes = {}
        for name, description in demo.THEMES.items():
            theme = StoryTheme.objects.filter(name=name).first()
            if theme is None:
                theme = StoryTheme.objects.create(
                    name=name, slug=slugify(name), description=description
                )
                self.note("nieuw", "thema", name)
            else:
                self.note("al aanwezig", "thema", name)
            themes[name] = theme
        return themes

    def image(self, key):
        scene, seed, title, description = demo.IMAGES[key]
        Image = get_image_model()
        image = Image.objects.filter(title=title).first()
        if image is None:
            data = draw(scene, seed)
            image = Image(title=title, description=description, file_size=len(data))
            image.file_hash = hash_filelike(BytesIO(data))  # as an upload in the admin would
            filename = f"doorvertellen-{slugify(key)}.png"
            stored = image.get_upload_to(filename)
            if self.stored_hash(image.file.storage, stored) == image.file_hash:
                image.file = stored  # drawn by an earlier run (on a database since emptied)
            else:
                image.file = ImageFile(BytesIO(data), name=filename)
            image.save()
            self.note("nieuw", "tekening", title)
        else:
            self.note("al aanwezig", "tekening", title)
        return image

    @staticmethod
    def stored_hash(storage, name):
        if not storage.exists(name):
            return None
        with storage.open(name) as f:
            return hash_filelike(f)

    def service_settings(self, site):
        service = ServiceSettings.for_site(site)
        changed = []
        for name, value in demo.SERVICE_SETTINGS.items():
            field = ServiceSettings._meta.get_field(name)
            current = getattr(service, name)
            default = field.get_default() if field.has_default() else ""
            if current in ("", None, default) and current != value:
                setattr(service, name, value)
                changed.append(name)
        if changed:
            service.save()
            self.note("aangevuld", "dienstgegevens", ", ".join(changed))
        else:
            self.note("al aanwezig", "dienstgegevens", "dienstgegevens")

    def users(self):
        """One demo login per role. The password is set only when the login is created."""
        User = get_user_model()
        if not Group.objects.filter(name=roles.COMMUNICATIONS).exists():
            roles.ensure_roles()
        todo = [u for u in demo.DEMO_USERS if not User.objects.filter(username=u[0]).exists()]
        # Hashing is slow on purpose; the hash function releases the GIL, so use threads.
        with ThreadPoolExecutor() as pool:
            hashes = pool.map(lambda u: make_password(f"demo-{u[0]}-2026"), todo)
        for (username, first_name, last_name, role), password in zip(todo, hashes, strict=True):
            user = User.objects.create(
                username=username,
                first_name=first_name,
                last_name=last_name,
                email=f"{username}@example.org",
                password=password,
                is_staff=role is None,
                is_superuser=role is None,
            )
            if role is not None:
                user.groups.add(Group.objects.get(name=getattr(roles, role)))
            if requires_two_factor(user):
                # Demo logins get their second step ready; `manage.py demo_code` shows the code.
                TOTPDevice.objects.create(user=user, name="Demo", confirmed=True)
            self.note("nieuw", "login", username)
        for username, *_rest in (u for u in demo.DEMO_USERS if u not in todo):
            self.note("al aanwezig", "login", username)
