"""The `secret` path converter: the shape of the tokens in respondent and invitation links.

A link that cannot be a token (a NUL byte, which PostgreSQL refuses in a query; 10,000
characters) is a 404 before any view or query runs.
"""

import re

from django.urls import register_converter

SECRET_PATTERN = r"[A-Za-z0-9_-]{1,64}"
_SECRET = re.compile(SECRET_PATTERN)


def is_secret_token(value: str) -> bool:
    """True when a value (say, from a cookie) has the shape of one of our tokens."""
    return _SECRET.fullmatch(value) is not None


class SecretConverter:
    regex = SECRET_PATTERN

    def to_python(self, value: str) -> str:
        return value

    def to_url(self, value: str) -> str:
        return value


register_converter(SecretConverter, "secret")
