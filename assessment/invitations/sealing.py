"""The key to a personal invitation, and the response it leads to, sealed under that key.

The invitation's secret is in its link and nowhere else: the server keeps its SHA-256
(256 random bits need no slow hash) to find the invitation, and the response's token
encrypted (AES-GCM) under a key derived from the secret. So the link opens the person's
own response on any device, while the database alone cannot tell which response belongs
to which invitation: that takes the secret, which only the invited person has.
Pure: strings in, strings out.
"""

import base64
import hashlib
import hmac
import secrets

from cryptography.exceptions import InvalidTag
from cryptography.hazmat.primitives.ciphers.aead import AESGCM

NONCE_BYTES = 12


def new_secret() -> str:
    return secrets.token_urlsafe(32)


def secret_hash(secret: str) -> str:
    return hashlib.sha256(secret.encode()).hexdigest()


def _key(secret: str) -> bytes:
    return hmac.new(secret.encode(), b"samenspel.round-invitation.seal", hashlib.sha256).digest()


def seal(secret: str, token: str, *, bound_to: str) -> str:
    """`token` encrypted under the secret; `bound_to` (the invitation's id) is
    authenticated with it, so a seal copied to another invitation does not open."""
    nonce = secrets.token_bytes(NONCE_BYTES)
    sealed = AESGCM(_key(secret)).encrypt(nonce, token.encode(), bound_to.encode())
    return base64.urlsafe_b64encode(nonce + sealed).decode()


def unseal(secret: str, sealed: str, *, bound_to: str) -> str | None:
    """The token, or None when the seal was not made with this secret for this invitation."""
    try:
        raw = base64.urlsafe_b64decode(sealed.encode())
        nonce, body = raw[:NONCE_BYTES], raw[NONCE_BYTES:]
        return AESGCM(_key(secret)).decrypt(nonce, body, bound_to.encode()).decode()
    except (InvalidTag, ValueError):
        return None
