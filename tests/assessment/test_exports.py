"""CSV downloads in the format the language's spreadsheet opens, with no formula in them."""

import csv
import io

import pytest
from django.utils import translation

from assessment import exports


def _written(language: str, *rows: list) -> tuple[str, bytes]:
    with translation.override(language):
        response, writer = exports.csv_response("test.csv")
        for row in rows:
            writer.writerow(row)
        return exports.delimiter(), response.content


def test_dutch_numbers_have_a_decimal_comma_and_english_ones_a_point():
    with translation.override("nl"):
        assert [exports.number(v) for v in (3.456, -0.5, 0, None)] == ["3,46", "-0,50", "0,00", ""]
        assert exports.number(57.25, 1) == "57,2"
        assert exports.number(77.8, 0) == "78"
    with translation.override("en"):
        assert [exports.number(v) for v in (3.456, -0.5, 0, None)] == ["3.46", "-0.50", "0.00", ""]


@pytest.mark.parametrize(("language", "delimiter"), [("nl", ";"), ("en", ",")])
def test_the_delimiter_follows_the_language_and_every_row_reads_back(language, delimiter):
    with translation.override(language):
        row = ["Team; Noord, Zuid", exports.number(-0.5), exports.number(3.25), 12, ""]

    used, content = _written(language, row)

    assert used == delimiter
    assert content.startswith("\ufeff".encode())
    text = content.decode("utf-8-sig")
    # Text holding the delimiter is quoted, so it stays one cell.
    assert text.startswith('"Team; Noord, Zuid"' + delimiter)
    (read,) = list(csv.reader(io.StringIO(text), delimiter=delimiter))
    assert read == [str(cell) for cell in row]
    assert float(read[1].replace(",", ".")) == -0.5
    assert float(read[2].replace(",", ".")) == 3.25


@pytest.mark.parametrize("language", ["nl", "en"])
def test_our_negative_numbers_stay_numbers_and_no_formula_survives(language):
    with translation.override(language):
        negative = exports.number(-0.5)
    formulas = ["=SUM(A1;A2)", "=1+1", "+1", "-x", "@A1", "\tx", "\rx", "-1,5,0"]

    delimiter, content = _written(language, [negative, *formulas])

    (read,) = list(csv.reader(io.StringIO(content.decode("utf-8-sig")), delimiter=delimiter))
    assert read[0] == negative
    assert read[1:] == ["'" + formula for formula in formulas]
