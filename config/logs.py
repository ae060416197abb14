"""Logs that say what happened without saying who, or handing out a secret link.

A respondent's link is the key to their answers and an invitation link is the key to
an account, so paths are redacted before any log line is written: by Django's
logging (the `hide_secrets` filter) and by gunicorn's access log (`RedactingLogger`,
see gunicorn.conf.py).
"""

import logging
import re

from gunicorn.glogging import Logger as GunicornLogger

SEGMENT = r"[^/\s\"'?#]+"
# /m/: a team conversation's code lets a phone join and vote; /i/: a personal invitation.
SECRET_PATH = re.compile(rf"/(?P<kind>a|r|m|i|invitations)/{SEGMENT}")
RESET_PATH = re.compile(rf"/account/reset/{SEGMENT}/{SEGMENT}")


def hide_secrets(text: str) -> str:
    text = SECRET_PATH.sub(lambda match: f"/{match['kind']}/…", text)
    return RESET_PATH.sub("/account/reset/…/…", text)


class HideSecrets(logging.Filter):
    def filter(self, record: logging.LogRecord) -> bool:
        message = record.getMessage()
        hidden = hide_secrets(message)
        if hidden != message:
            record.msg, record.args = hidden, None
        return True


class RedactingGunicornLogger(GunicornLogger):
    """gunicorn's access log without secret links, and without who asked (no address)."""

    def atoms(self, resp, req, environ, request_time) -> dict:
        atoms = super().atoms(resp, req, environ, request_time)
        for key in ("r", "U", "f"):
            if isinstance(atoms.get(key), str):
                atoms[key] = hide_secrets(atoms[key])
        return atoms
