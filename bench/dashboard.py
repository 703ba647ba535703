"""The campaign dashboard at municipal scale: a year of daily counts for 200 campaigns, each
with three tracked links and four steps (views, clicks, sign-ups begun and sent), made by
`manage.py generate_campaign_load` in the bench's own database. Then a member of the
communications staff opens the figures for the whole year, five times; the time of each answer
(inside Django, with the production settings) and its queries are reported.

Prints one JSON object; run by bench/run.py after the pages are measured, so the pages are
measured without this load.
"""

import json
import os
import statistics
import sys
import time
from datetime import timedelta
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "doorvertellen.settings.production")

import django

django.setup()

from django.contrib.auth import get_user_model  # noqa: E402
from django.contrib.auth.models import Group  # noqa: E402
from django.db import connection  # noqa: E402
from django.test import Client  # noqa: E402
from django.test.utils import CaptureQueriesContext  # noqa: E402
from django.urls import reverse  # noqa: E402
from django.utils import timezone  # noqa: E402
from django_otp import DEVICE_ID_SESSION_KEY  # noqa: E402
from django_otp.plugins.otp_totp.models import TOTPDevice  # noqa: E402

from campagnes.management.commands.generate_campaign_load import generate, settle  # noqa: E402
from campagnes.models import DailyCount  # noqa: E402
from doorvertellen.roles import COMMUNICATIONS  # noqa: E402

CAMPAIGNS, DAYS, TIMES = 200, 365, 5


def staff_client():
    """A signed-in member of the communications staff, second step passed."""
    user = get_user_model().objects.create_user("bench-communicatie", password=None)
    user.groups.add(Group.objects.get(name=COMMUNICATIONS))
    device = TOTPDevice.objects.create(user=user, name="bench", confirmed=True)
    client = Client(HTTP_HOST="127.0.0.1", secure=True)
    client.force_login(user)
    session = client.session
    session[DEVICE_ID_SESSION_KEY] = device.persistent_id
    session.save()
    return client


def main():
    started = time.monotonic()
    rows = generate(campaigns=CAMPAIGNS, days=DAYS)
    settle()
    generated_seconds = time.monotonic() - started
    client = staff_client()
    url = reverse("campagnes_figures")
    year = {"van": (timezone.localdate() - timedelta(days=DAYS)).isoformat()}
    client.get(url, year)  # what every admin page makes once per process
    times, queries = [], 0
    for _ in range(TIMES):
        with CaptureQueriesContext(connection) as captured:
            began = time.perf_counter()
            response = client.get(url, year)
            times.append(time.perf_counter() - began)
        if response.status_code != 200:
            raise SystemExit(f"the dashboard answered {response.status_code}")
        queries = len(captured)
    print(
        json.dumps(
            {
                "campaigns": CAMPAIGNS,
                "days": DAYS,
                "rows": rows,
                "rows_in_database": DailyCount.objects.count(),
                "generated_seconds": round(generated_seconds, 1),
                "median_ms": round(statistics.median(times) * 1000, 1),
                "max_ms": round(max(times) * 1000, 1),
                "queries": queries,
            }
        )
    )


if __name__ == "__main__":
    main()
