"""The design of a version (form, importance per dimension, 'not applicable', report mark)
in the JSON format: validated, imported into the version, exported back."""

import copy
import json

import pytest

from assessment.models import QuestionnaireVersion
from assessment.questionnaire.importexport import (
    SHIPPED_QUESTIONNAIRE,
    ImportProblems,
    export_version,
    import_version,
    validate,
)

V2_DESIGN = {
    "form": "full",
    "importance_asked_per": "dimension",
    "separate_not_applicable": True,
    "asks_mark": True,
}


@pytest.fixture
def format_1() -> dict:
    return json.loads(SHIPPED_QUESTIONNAIRE.read_text(encoding="utf-8"))


def _format_2(data: dict, design: dict | None) -> dict:
    data = copy.deepcopy(data)
    data["format_version"] = 2
    if design is not None:
        data["design"] = design
    return data


def _design_of(version: QuestionnaireVersion) -> dict:
    return {field: getattr(version, field) for field in V2_DESIGN}


def test_a_format_1_file_is_still_read_and_gets_version_1s_design(db, format_1):
    assert format_1["format_version"] == 1
    version = import_version(format_1)
    assert _design_of(version) == {
        "form": "full",
        "importance_asked_per": "statement",
        "separate_not_applicable": False,
        "asks_mark": False,
    }


def test_a_format_2_file_without_a_design_gets_the_defaults(db, format_1):
    version = import_version(_format_2(format_1, None))
    assert version.importance_asked_per == QuestionnaireVersion.AskedPer.STATEMENT
    assert not version.asks_mark


def test_the_design_is_imported_into_the_version(db, format_1):
    version = import_version(_format_2(format_1, V2_DESIGN))
    version.refresh_from_db()
    assert _design_of(version) == V2_DESIGN


def test_a_design_with_some_fields_leaves_the_others_at_their_defaults(db, format_1):
    version = import_version(_format_2(format_1, {"form": "short"}))
    assert version.form == QuestionnaireVersion.Form.SHORT
    assert version.importance_asked_per == QuestionnaireVersion.AskedPer.STATEMENT


@pytest.mark.parametrize(
    "design",
    [V2_DESIGN, {**V2_DESIGN, "form": "short"}, {**V2_DESIGN, "asks_mark": False}],
)
def test_a_version_with_a_design_survives_export_and_import(db, format_1, design):
    original = import_version(_format_2(format_1, design))
    exported = export_version(original)
    assert exported["design"] == design

    copy_of = import_version(copy.deepcopy(exported))

    assert _design_of(copy_of) == design
    again = export_version(copy_of)
    assert again.pop("version")["number"] != exported.pop("version")["number"]
    assert again == exported


WRONG_DESIGNS = {
    "an unknown form": ({"form": "medium"}, 'design.form: "medium" is not "full" or "short"'),
    "importance asked per page": (
        {"importance_asked_per": "page"},
        'design.importance_asked_per: "page" is not "statement" or "dimension"',
    ),
    "a flag as text": (
        {"separate_not_applicable": "yes"},
        'design.separate_not_applicable: "yes" is not true or false',
    ),
    "a flag as a number": ({"asks_mark": 1}, "design.asks_mark: 1 is not true or false"),
    "a form as a boolean": ({"form": True}, 'design.form: true is not "full" or "short"'),
    "an unknown field": ({"asks_comments": True}, "design: unknown field 'asks_comments'"),
    "not an object": (["full"], "design: must be an object"),
}


@pytest.mark.parametrize("case", WRONG_DESIGNS)
def test_a_wrong_design_is_a_named_problem_and_nothing_is_written(db, format_1, case):
    design, expected = WRONG_DESIGNS[case]
    data = _format_2(format_1, design)
    assert expected in validate(data)
    with pytest.raises(ImportProblems):
        import_version(data)
    assert not QuestionnaireVersion.objects.exists()


def test_a_format_1_file_with_a_design_is_refused(format_1):
    data = {**format_1, "design": V2_DESIGN}
    assert "file: unknown field 'design'" in validate(data)


@pytest.mark.parametrize("format_version", [3, 0, "2", 2.0, True])
def test_a_format_version_it_cannot_read_is_refused(format_1, format_version):
    problems = validate({**format_1, "format_version": format_version})
    assert problems == [
        "format: this is not a samenspel-questionnaire file of format_version 1 or 2"
    ]
