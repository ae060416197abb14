"""How django-axes tells visitors apart when it counts failed logins.

By account and by address (either one reaching the limit locks): guessing many
passwords for one account from many addresses fails, and so does trying one
password on many accounts. Behind a reverse proxy the visitor's address is the one
the proxy appends to X-Forwarded-For; TRUSTED_PROXIES says how many proxies to peel.
"""

import hashlib

from django.conf import settings
from django.db.models import QuerySet
from django.http import HttpRequest


def client_ip(request: HttpRequest) -> str | None:
    hops = settings.TRUSTED_PROXIES
    forwarded = [
        part.strip()
        for part in request.META.get("HTTP_X_FORWARDED_FOR", "").split(",")
        if part.strip()
    ]
    # Only the entries our own proxies appended can be trusted: count from the right.
    if hops and len(forwarded) >= hops:
        return forwarded[-hops]
    return request.META.get("REMOTE_ADDR")


def lockout_name(username: str) -> str:
    """The login name as the lockout counts it: emails are case-insensitive here, and axes
    keeps at most 255 characters (the login form refuses longer names anyway)."""
    return username.strip().lower()[:255]


def failed_logins(email: str) -> QuerySet:
    """The failed logins counted against an account: for its owner's export and erasure,
    and cleared when a new password is set."""
    from axes.models import AccessAttempt

    return AccessAttempt.objects.filter(username=lockout_name(email))


def login_username(request: HttpRequest, credentials: dict | None) -> str | None:
    source = credentials if credentials and "username" in credentials else request.POST
    username = (source or {}).get("username")
    return lockout_name(username) if isinstance(username, str) else None


def pseudonymous_client(username, ip_address, user_agent, path_info, request) -> str:
    """Names a locked-out account in the log by a keyed hash, so it can be followed, not read."""
    secret = settings.SECRET_KEY.encode()
    digest = hashlib.blake2b((username or "").encode(), key=secret[:64], digest_size=6)
    return f"account {digest.hexdigest()}"
