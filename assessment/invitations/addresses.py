"""The addresses a facilitator pasted: one per line, or separated by commas or semicolons,
as a mail program copies them ("Name <a@b.nl>" too). Pure: text in, a verdict out."""

import re
from collections.abc import Collection
from dataclasses import dataclass

from django.core.exceptions import ValidationError
from django.core.validators import validate_email

SEPARATORS = re.compile(r"[,;\n\r\t]+")
IN_BRACKETS = re.compile(r"<([^<>]+)>")


@dataclass(frozen=True)
class Addresses:
    valid: tuple[str, ...]  # lower case, each once, in the order given
    malformed: tuple[str, ...]  # as typed
    duplicates: tuple[str, ...]  # named twice, or invited before


def read_addresses(text: str, *, already: Collection[str] = ()) -> Addresses:
    valid: list[str] = []
    malformed: list[str] = []
    duplicates: list[str] = []
    for part in SEPARATORS.split(text):
        typed = part.strip()
        if not typed:
            continue
        bracketed = IN_BRACKETS.search(typed)
        address = (bracketed.group(1) if bracketed else typed).strip().lower()
        try:
            validate_email(address)
        except ValidationError:
            malformed.append(typed)
            continue
        if address in valid or address in already:
            if address not in duplicates:
                duplicates.append(address)
            continue
        valid.append(address)
    return Addresses(tuple(valid), tuple(malformed), tuple(duplicates))
