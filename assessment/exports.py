"""CSV downloads that spreadsheet programs open right and safely.

Excel reads a CSV by the computer's regional settings: where the decimal separator is a
comma (Dutch), the list separator is a semicolon. So a download follows the active
language: in Dutch "3,45" separated by ";", in English "3.45" separated by ",". Then a
double-click opens the columns and numbers right. Every number goes through `number` so
the separator is decided here alone.

A cell that starts with "=", "+", "-", "@", a tab or a carriage return is a formula in
Excel, LibreOffice and Google Sheets (CSV injection): a team called
=HYPERLINK("https://...") would become a link in the coordinator's spreadsheet. Such text
gets a leading "'", as OWASP advises, which spreadsheets read as "this is text". The
numbers we write ourselves ("-0.50", "-0,50") stay numbers.
"""

import csv
import re
from collections.abc import Callable, Iterable, Iterator
from typing import Any, Protocol

from django.http import HttpResponse, StreamingHttpResponse
from django.utils import translation
from django.utils.formats import get_format

FORMULA_START = ("=", "+", "-", "@", "\t", "\r")
NUMBER = re.compile(r"-?[0-9]+([.,][0-9]+)?")


def neutralised(cell: Any) -> Any:
    if isinstance(cell, str) and cell.startswith(FORMULA_START) and not NUMBER.fullmatch(cell):
        return "'" + cell
    return cell


def _decimal_separator() -> str:
    return str(get_format("DECIMAL_SEPARATOR"))


def delimiter() -> str:
    """The list separator that goes with the active language's decimal separator."""
    return ";" if _decimal_separator() == "," else ","


def number(value: float | None, digits: int = 2) -> str:
    """A figure as the active language writes it ("3,45" in Dutch), "" for no figure."""
    return _written(value, digits, _decimal_separator())


def number_writer() -> Callable[..., str]:
    """number() for the many cells of one CSV: the active language's decimal separator is
    looked up once (per cell, that lookup was half the time of 10,000 teams' rows)."""
    separator = _decimal_separator()
    return lambda value, digits=2: _written(value, digits, separator)


def _written(value: float | None, digits: int, separator: str) -> str:
    return "" if value is None else f"{value:.{digits}f}".replace(".", separator)


class _Writable(Protocol):
    def write(self, text: str, /) -> Any: ...


class SafeWriter:
    """csv.writer's writerow in the active language's delimiter, every text cell neutralised."""

    def __init__(self, response: _Writable) -> None:
        self._writer = csv.writer(response, delimiter=delimiter())

    def writerow(self, row: Iterable[Any]) -> None:
        self._writer.writerow([neutralised(cell) for cell in row])


def csv_response(filename: str) -> tuple[HttpResponse, SafeWriter]:
    """A CSV download called `filename`, and the writer to fill it with."""
    response = HttpResponse(content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    response.write("\ufeff")  # so spreadsheet programs read the accents right
    return response, SafeWriter(response)


class _Pieces:
    """What csv.writer wrote since it was last taken."""

    def __init__(self) -> None:
        self.parts: list[str] = []

    def write(self, text: str) -> None:
        self.parts.append(text)

    def take(self) -> str:
        text = "".join(self.parts)
        self.parts.clear()
        return text


# Rows per piece sent: a few hundred kilobytes at most, whatever the number of rows.
ROWS_PER_PIECE = 500


def streaming_csv_response(filename: str, rows: Iterable[Iterable[Any]]) -> StreamingHttpResponse:
    """A CSV download written while it is sent, so its rows are never all in memory. The
    rows are made after the view returned: each piece in the view's language."""
    language = translation.get_language()

    def pieces() -> Iterator[str]:
        yield "\ufeff"  # so spreadsheet programs read the accents right
        out = _Pieces()
        with translation.override(language):
            writer = SafeWriter(out)
        produced = iter(rows)
        while True:
            with translation.override(language):
                for _index, row in zip(range(ROWS_PER_PIECE), produced, strict=False):
                    writer.writerow(row)
            piece = out.take()
            if not piece:
                return
            yield piece

    response = StreamingHttpResponse(pieces(), content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response
