"""Failed-login throttle: AO3's 5 failures in 20 seconds, counted per account and per client
address (`fanarchive.core.ratelimit`); the next attempt gets a 429 with Retry-After.

Only failures count. Before each attempt both counters are read; once either has reached the
limit in the current window the attempt is refused without checking the password.
"""

from __future__ import annotations

import hashlib

from django.conf import settings
from django.db.models import Q
from django.http import HttpRequest

from fanarchive.core.ratelimit import RateDecision, client_ip, rate_limit_hit, rate_limit_peek

from .models import User


def _account_key(login: str) -> str:
    """One key per account whatever the spelling (case, login or email); a name with no account
    is keyed by itself, so guessing at names is throttled too."""
    login = login.strip()
    user_id = (
        User.objects.filter(Q(username__iexact=login) | Q(email__iexact=login))
        .order_by("pk")
        .values_list("pk", flat=True)
        .first()
        if login
        else None
    )
    if user_id is not None:
        return f"user-{user_id}"
    return "name-" + hashlib.sha256(login.lower().encode()).hexdigest()[:32]


def _keys(request: HttpRequest, login: str) -> list[tuple[str, str]]:
    ip = hashlib.sha256(client_ip(request).encode()).hexdigest()[:32]
    return [("login-account", _account_key(login)), ("login-ip", ip)]


def login_blocked(request: HttpRequest, login: str, *, now: float | None = None) -> int:
    """Seconds to wait before another attempt may be made (0: go ahead)."""
    wait = 0
    for scope, key in _keys(request, login):
        decision: RateDecision = rate_limit_peek(
            scope=scope,
            key=key,
            limit=settings.FANARCHIVE_LOGIN_ATTEMPTS,
            window=settings.FANARCHIVE_LOGIN_WINDOW,
            now=now,
        )
        if not decision.allowed:
            wait = max(wait, decision.retry_after)
    return wait


def login_failed(request: HttpRequest, login: str, *, now: float | None = None) -> None:
    """Count one failed attempt for the account and for the address."""
    for scope, key in _keys(request, login):
        rate_limit_hit(
            scope=scope,
            key=key,
            limit=settings.FANARCHIVE_LOGIN_ATTEMPTS,
            window=settings.FANARCHIVE_LOGIN_WINDOW,
            now=now,
        )
