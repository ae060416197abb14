"""Reading numbers that arrive as text: ids and page numbers in forms and query strings.

int() alone is too willing: it reads "٣" and "³"-like digits, " 3", "+3" and "3_000", and a
5,000-digit number makes it raise ValueError (Python's limit on digits), which would be a
500. Eighteen digits fit any id the database can hold (a signed 64-bit integer).
"""

MAX_ID_DIGITS = 18


def parse_id(value: str, *, max_digits: int = MAX_ID_DIGITS) -> int | None:
    """The whole number written in `value` with ASCII digits only, at most `max_digits`
    of them; None for anything else."""
    if len(value) <= max_digits and value.isascii() and value.isdigit():
        return int(value)
    return None
