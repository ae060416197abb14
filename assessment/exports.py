"""CSV downloads that spreadsheet programs open right and safely.

A cell that starts with "=", "+", "-", "@", a tab or a carriage return is a formula in
Excel, LibreOffice and Google Sheets (CSV injection): a team called
=HYPERLINK("https://...") would become a link in the coordinator's spreadsheet. Such text
gets a leading "'", as OWASP advises, which spreadsheets read as "this is text". The
numbers we write ourselves ("-0.50") stay numbers.
"""

import csv
import re
from collections.abc import Iterable
from typing import Any

from django.http import HttpResponse

FORMULA_START = ("=", "+", "-", "@", "\t", "\r")
NUMBER = re.compile(r"-?[0-9]+(\.[0-9]+)?")


def neutralised(cell: Any) -> Any:
    if isinstance(cell, str) and cell.startswith(FORMULA_START) and not NUMBER.fullmatch(cell):
        return "'" + cell
    return cell


class SafeWriter:
    """csv.writer's writerow, with every text cell neutralised."""

    def __init__(self, response: HttpResponse) -> None:
        self._writer = csv.writer(response)

    def writerow(self, row: Iterable[Any]) -> None:
        self._writer.writerow([neutralised(cell) for cell in row])


def csv_response(filename: str) -> tuple[HttpResponse, SafeWriter]:
    """A CSV download called `filename`, and the writer to fill it with."""
    response = HttpResponse(content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    response.write("\ufeff")  # so spreadsheet programs read the accents right
    return response, SafeWriter(response)
