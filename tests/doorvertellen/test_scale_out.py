"""Two application servers behind one load balancer: one PostgreSQL, one Redis.

Each server is gunicorn with the production settings, as deployed; a resident's requests may
land on either. What one server learns, the other must know at once: a published change (the
page cache), the number of sign-ups from one address (the rate limit) and a staff member's
sign-in (the session). Runs in the PostgreSQL run of the suite when Redis answers too.
"""

import os
import uuid
from http.cookies import SimpleCookie
from urllib.parse import urlencode, urlsplit, urlunsplit

import pytest

from tests.deployment import gunicorn, on_postgresql, request, run_manage
from tests.helpers import form_inputs


def redis_url():
    """TEST_REDIS_URL (default: database 14), one database lower per pytest-xdist worker.

    The servers' fixture empties its Redis database, and this module's tests may be handed
    to different workers: each worker's pair of servers gets its own database.
    """
    url = os.environ.get("TEST_REDIS_URL", "redis://127.0.0.1:6379/14")
    worker = os.environ.get("PYTEST_XDIST_WORKER") or "gw0"
    parts = urlsplit(url)
    database = int(parts.path.strip("/") or 0) - int(worker.removeprefix("gw"))
    assert database >= 0, f"no Redis database left for worker {worker} below {url}"
    return urlunsplit(parts._replace(path=f"/{database}"))


REDIS_URL = redis_url()
RATE_LIMIT = 4
# The load balancer passes the site's own host name to whichever server it picks.
HOST = "schuldhulp.example"
ORIGIN = f"https://{HOST}"
BROWSER = {"User-Agent": "Mozilla/5.0 (Linux; Android 14) Mobile Safari/537.36", "Host": HOST}
EDITOR = ("schaalredacteur", "een-lang-wachtwoord-voor-de-test-42")


def redis_answers():
    try:
        import redis

        redis.Redis.from_url(REDIS_URL, socket_connect_timeout=2).ping()
        return True
    except Exception:
        return False


pytestmark = [
    pytest.mark.skipif(not on_postgresql(), reason="runs in the suite's PostgreSQL run"),
    pytest.mark.skipif(not redis_answers(), reason=f"no Redis answers at {REDIS_URL}"),
]


@pytest.fixture(scope="module")
def servers(deployment):
    import redis

    redis.Redis.from_url(REDIS_URL).flushdb()
    env, _url = deployment.fresh(
        "scale",
        REDIS_URL=REDIS_URL,
        PUBLIC_FORM_RATE_LIMIT=str(RATE_LIMIT),
        ALLOWED_HOSTS=f"127.0.0.1,{HOST}",
    )
    run_manage(
        env,
        "shell",
        "-c",
        "from django.contrib.auth.models import Group, User; "
        f"user = User.objects.create_user({EDITOR[0]!r}, password={EDITOR[1]!r}); "
        "user.groups.add(Group.objects.get(name='Redactie'))",
    )
    # Two machines: each has its own local folder, so only Redis and PostgreSQL are shared.
    base = deployment.base
    env_a = {**env, "DOORVERTELLEN_VAR_DIR": str(base / "var-a")}
    env_b = {**env, "DOORVERTELLEN_VAR_DIR": str(base / "var-b")}
    try:
        with (
            gunicorn(env_a, base / "scale-a.log", workers=1) as first,
            gunicorn(env_b, base / "scale-b.log", workers=1) as second,
        ):
            yield env, first, second
    finally:
        redis.Redis.from_url(REDIS_URL).flushdb()


def get(server, path, headers=None):
    return request(server.port, "GET", path, headers={**BROWSER, **(headers or {})})


def test_a_page_kept_by_one_server_is_served_by_the_other_and_a_change_reaches_both(servers):
    env, first, second = servers
    status, headers, _body = get(first, "/")
    assert status == 200
    status, headers, _body = get(second, "/")
    assert headers["X-Page-Cache"] == "hit", "the second server did not find the first's page"

    run_manage(
        env,
        "shell",
        "-c",
        "from doorvertellen.models import HomePage; home = HomePage.objects.get(locale__language_code='nl'); "
        "home.hero_heading = 'Twee servers, een nieuwe kop'; home.save_revision().publish()",
    )

    for server in (first, second):
        status, _headers, body = get(server, "/")
        assert status == 200
        assert "Twee servers, een nieuwe kop" in body.decode()


def intake_form(server):
    status, headers, body = get(server, "/aanmelden/")
    assert status == 200
    cookies = SimpleCookie()
    for value in headers.get_all("Set-Cookie") or []:
        cookies.load(value)
    return cookies["__Host-csrftoken"].value, form_inputs(body.decode())


def send_intake(server, csrf, shown):
    fields = {
        **shown,
        "token": str(uuid.uuid4()),
        "name": "Schaal",
        "phone": "06 12345678",
        "postcode": "3311 AB",
        "consent": "on",
        "website": "",
    }
    status, _headers, _body = request(
        server.port,
        "POST",
        "/aanmelden/",
        urlencode(fields),
        {
            **BROWSER,
            "Content-Type": "application/x-www-form-urlencoded",
            "Cookie": f"__Host-csrftoken={csrf}",
            "Origin": ORIGIN,
            "Referer": ORIGIN + "/aanmelden/",
        },
    )
    return status


def test_the_rate_limit_counts_sign_ups_on_both_servers_together(servers):
    _env, first, second = servers
    csrf, shown = intake_form(first)

    statuses = [send_intake(first if n % 2 else second, csrf, shown) for n in range(RATE_LIMIT)]
    assert statuses == [302] * RATE_LIMIT

    assert send_intake(first, csrf, shown) == 429
    assert send_intake(second, csrf, shown) == 429


def test_a_staff_sign_in_on_one_server_holds_on_the_other(servers):
    _env, first, second = servers
    status, headers, body = get(first, "/admin/login/")
    assert status == 200
    cookies = SimpleCookie()
    for value in headers.get_all("Set-Cookie") or []:
        cookies.load(value)
    csrf = cookies["__Host-csrftoken"].value
    fields = {**form_inputs(body.decode()), "username": EDITOR[0], "password": EDITOR[1]}
    status, headers, _body = request(
        first.port,
        "POST",
        "/admin/login/",
        urlencode(fields),
        {
            **BROWSER,
            "Content-Type": "application/x-www-form-urlencoded",
            "Cookie": f"__Host-csrftoken={csrf}",
            "Origin": ORIGIN,
            "Referer": ORIGIN + "/admin/login/",
        },
    )
    assert status == 302, "the sign-in was refused"
    for value in headers.get_all("Set-Cookie") or []:
        cookies.load(value)
    session = cookies["__Host-sessionid"].value

    status, _headers, body = get(second, "/admin/", {"Cookie": f"__Host-sessionid={session}"})
    assert status == 200, "the other server did not know the session"
    assert "Dashboard" in body.decode() or "wagtail" in body.decode().lower()

    status, headers, _body = get(second, "/admin/", {"Cookie": "__Host-sessionid=nonsense"})
    assert status == 302
    assert "/admin/login/" in headers["Location"]
