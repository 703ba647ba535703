"""Staff sign-in rules: lockout after repeated failures, a second factor (TOTP) for every role
that sees personal data, and idle and absolute session limits.

Failures are counted per username in the cache (shared by all workers with REDIS_URL), so a
password cannot be guessed by trying many; while locked, even the right password is refused.
A deactivated account loses its session at the next request: Django's backend refuses
inactive users when it loads the user of a session.
"""

import hashlib
import logging
import time

from django.conf import settings
from django.contrib.auth import logout
from django.contrib.auth.backends import ModelBackend
from django.contrib.auth.signals import user_logged_in, user_login_failed
from django.core.cache import cache
from django.dispatch import receiver
from django.shortcuts import redirect
from django.urls import reverse
from django.utils.http import urlencode
from django_otp import user_has_device

from doorvertellen import roles

logger = logging.getLogger("doorvertellen.auth")

SESSION_STARTED_KEY = "doorvertellen_auth_started"


def _failure_key(username):
    digest = hashlib.sha256(f"{settings.SECRET_KEY}:{username.lower()}".encode()).hexdigest()
    return f"login-failures:{digest[:24]}"


def is_locked(username):
    return cache.get(_failure_key(username), 0) >= settings.LOGIN_FAILURE_LIMIT


class LockoutModelBackend(ModelBackend):
    def authenticate(self, request, username=None, password=None, **kwargs):
        if username and is_locked(username):
            logger.warning("Sign-in refused: account locked after repeated failures")
            return None
        return super().authenticate(request, username=username, password=password, **kwargs)


@receiver(user_login_failed)
def count_failure(sender, credentials, request=None, **kwargs):
    username = credentials.get("username") or ""
    if not username:
        return
    key = _failure_key(username)
    cache.add(key, 0, timeout=settings.LOGIN_LOCKOUT_SECONDS)
    try:
        failures = cache.incr(key)
    except ValueError:
        cache.set(key, 1, timeout=settings.LOGIN_LOCKOUT_SECONDS)
        failures = 1
    cache.touch(key, settings.LOGIN_LOCKOUT_SECONDS)
    logger.warning("Sign-in failed (%d in a row for this account)", failures)


@receiver(user_logged_in)
def start_session(sender, request, user, **kwargs):
    cache.delete(_failure_key(user.get_username()))
    if request is not None and hasattr(request, "session"):
        request.session[SESSION_STARTED_KEY] = int(time.time())


class SessionLimitMiddleware:
    """End a staff session after SESSION_ABSOLUTE_SECONDS, however active it was.

    The idle limit is Django's own: SESSION_COOKIE_AGE with SESSION_SAVE_EVERY_REQUEST.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        user = getattr(request, "user", None)
        if user is not None and user.is_authenticated:
            started = request.session.get(SESSION_STARTED_KEY)
            now = int(time.time())
            if started is None:
                request.session[SESSION_STARTED_KEY] = now
            elif now - started > settings.SESSION_ABSOLUTE_SECONDS:
                logout(request)
                if request.path.startswith("/admin/"):
                    return redirect(f"{settings.LOGIN_URL}?next={request.path}")
        return self.get_response(request)


def requires_two_factor(user):
    """Administrators and every role that can read personal data need a second factor."""
    if not user.is_authenticated:
        return False
    if user.is_superuser:
        return True
    return user.groups.filter(name__in=roles.TWO_FACTOR_ROLES).exists()


class RequireTwoFactorMiddleware:
    """Keep staff who need a second factor out of the admin until they have used it.

    Runs after django_otp's OTPMiddleware, which tells whether this session was verified.
    Staff without an authenticator yet are sent to set one up first.
    """

    # The icon sprite and translations hold no data and are fetched by the sign-in pages.
    open_prefixes = (
        "/admin/login/",
        "/admin/logout/",
        "/admin/tweestaps/",
        "/admin/jsi18n/",
        "/admin/sprite/",
    )

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        path = request.path
        user = getattr(request, "user", None)
        if (
            path.startswith("/admin/")
            and not path.startswith(self.open_prefixes)
            and user is not None
            and user.is_authenticated
            and not user.is_verified()
            and requires_two_factor(user)
        ):
            name = "two_factor_verify" if user_has_device(user) else "two_factor_setup"
            return redirect(f"{reverse(name)}?{urlencode({'next': path})}")
        return self.get_response(request)
