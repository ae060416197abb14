"""The full address of a link we hand out: a round's link and QR code, an invitation."""

from django.conf import settings
from django.http import HttpRequest


def absolute_link(path: str, request: HttpRequest | None = None) -> str:
    """`path` on the site's own address.

    In development (DEBUG) that is the address the browser used, so that `runserver` on
    another port, or a phone on the local network, gets links that work. In production
    SITE_ROOT is the only source: the Host header is written by the client, and although
    Django refuses hosts outside ALLOWED_HOSTS, a link that leaves in an e-mail or on a
    printed poster must not depend on which of those names, or which scheme behind a proxy,
    one request happened to use. Without a request (the admin's columns) it is SITE_ROOT too.
    """
    if settings.DEBUG and request is not None:
        return request.build_absolute_uri(path)
    return settings.SITE_ROOT + path
