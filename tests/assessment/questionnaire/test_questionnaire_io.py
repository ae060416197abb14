import copy
import json

import pytest
from django.core.management import CommandError, call_command
from django.utils import translation

from assessment.models import Dimension, Item, Questionnaire, QuestionnaireVersion, Source
from assessment.questionnaire.importexport import (
    SHIPPED_QUESTIONNAIRE,
    ImportProblems,
    export_version,
    import_version,
    install_shipped_questionnaire,
    read_file,
    validate,
)


@pytest.fixture
def shipped() -> dict:
    return json.loads(SHIPPED_QUESTIONNAIRE.read_text(encoding="utf-8"))


def _counts() -> tuple[int, ...]:
    return (
        Questionnaire.objects.count(),
        QuestionnaireVersion.objects.count(),
        Dimension.objects.count(),
        Item.objects.count(),
        Source.objects.count(),
    )


def test_shipped_questionnaire_follows_the_evidence(shipped):
    assert validate(shipped) == []
    assert len(shipped["dimensions"]) == 13
    for dimension in shipped["dimensions"]:
        assert 3 <= len(dimension["items"]) <= 5, dimension["key"]
        assert dimension["sources"]
        for item in dimension["items"]:
            assert item["text"]["nl"].strip() and item["text"]["en"].strip()
            assert item["sources"]
    used = {key for d in shipped["dimensions"] for key in d["sources"]}
    used |= {key for d in shipped["dimensions"] for i in d["items"] for key in i["sources"]}
    assert used == {source["key"] for source in shipped["sources"]}


def test_install_up_to_version_one_publishes_version_one_once(db):
    [version] = install_shipped_questionnaire(up_to=1)
    assert version.number == 1
    assert version.status == QuestionnaireVersion.Status.PUBLISHED
    assert version.dimensions.count() == 13
    before = _counts()

    assert install_shipped_questionnaire(up_to=1) == []
    assert _counts() == before


def test_export_then_import_gives_an_identical_questionnaire(questionnaire):
    exported = export_version(questionnaire)
    copy_of = import_version(copy.deepcopy(exported))

    assert copy_of.number == 2
    assert copy_of.status == QuestionnaireVersion.Status.DRAFT
    again = export_version(copy_of)
    assert again.pop("version")["number"] == 2
    assert exported.pop("version")["number"] == 1
    assert again == exported


def test_export_matches_the_shipped_file_in_the_current_format(questionnaire, shipped):
    # The shipped file is format 1; an export is format 2 and names version 1's design.
    assert export_version(questionnaire) == {
        **shipped,
        "format_version": 2,
        "design": {
            "form": "full",
            "importance_asked_per": "statement",
            "separate_not_applicable": False,
            "asks_mark": False,
        },
    }


def _broken(shipped: dict, change) -> dict:
    data = copy.deepcopy(shipped)
    change(data)
    return data


BROKEN_FILES = {
    "unknown top-level field": (lambda d: d.update(extra=1), "unknown field 'extra'"),
    "missing English item text": (
        lambda d: d["dimensions"][0]["items"][0]["text"].update(en=""),
        "dimensions[0].items[0].text.en: is empty",
    ),
    "duplicate item key": (
        lambda d: d["dimensions"][1]["items"][0].update(key=d["dimensions"][0]["items"][0]["key"]),
        "duplicate key",
    ),
    "unknown source": (
        lambda d: d["dimensions"][2]["sources"].append("nobody-2099"),
        "unknown source 'nobody-2099'",
    ),
    "item without source": (
        lambda d: d["dimensions"][0]["items"][1].update(sources=[]),
        "dimensions[0].items[1].sources: needs at least 1 entry",
    ),
    "dimension without items": (
        lambda d: d["dimensions"][3].update(items=[]),
        "dimensions[3].items: needs at least 1 entry",
    ),
    "text over the limit": (
        lambda d: d["dimensions"][0]["items"][0]["text"].update(nl="x" * 301),
        "at most 300 allowed",
    ),
    "scale with a gap": (
        lambda d: d["scale"]["state"].pop(2),
        "scale.state: values must run 1, 2, 3",
    ),
    "scale label without text": (
        lambda d: d["scale"]["importance"][0]["label"].update(nl=" "),
        "scale.importance[0].label.nl: is empty",
    ),
    "thresholds the wrong way round": (
        lambda d: d["thresholds"].update(strength="2.5", concern="3.5"),
        "concern must not lie above strength",
    ),
    "wrong format": (lambda d: d.update(format="something-else"), "format"),
    "bad key": (lambda d: d["dimensions"][0].update(key="Has Spaces"), "not a valid key"),
    "reverse_scored not a boolean": (
        lambda d: d["dimensions"][0]["items"][0].update(reverse_scored="yes"),
        "must be true or false",
    ),
    "threshold not a number": (
        lambda d: d["thresholds"].update(strength="NaN"),
        "thresholds.strength: must be a number",
    ),
    "threshold a signalling not-a-number": (
        lambda d: d["thresholds"].update(concern="sNaN"),
        "thresholds.concern: must be a number",
    ),
    "source reference a list": (
        lambda d: d["dimensions"][0]["sources"].append(["a"]),
        "unknown source ['a']",
    ),
    "source reference an object": (
        lambda d: d["dimensions"][0]["items"][0]["sources"].insert(0, {"key": "a"}),
        "dimensions[0].items[0].sources[0]: unknown source {'key': 'a'}",
    ),
    "NUL in a text": (
        lambda d: d["dimensions"][0]["name"].update(nl="Vi\x00sie"),
        "dimensions[0].name.nl: contains a NUL character",
    ),
}


@pytest.mark.parametrize("case", BROKEN_FILES)
def test_broken_file_is_refused_with_the_problem_named_and_nothing_written(db, shipped, case):
    change, expected = BROKEN_FILES[case]
    before = _counts()
    with pytest.raises(ImportProblems) as refused:
        import_version(_broken(shipped, change))
    assert any(expected in problem for problem in refused.value.problems), refused.value.problems
    assert _counts() == before


def test_every_problem_is_named_not_only_the_first(db, shipped):
    def two_problems(d):
        d["dimensions"][0]["items"][0]["text"]["en"] = ""
        d["dimensions"][5]["sources"] = ["unknown-source"]

    problems = validate(_broken(shipped, two_problems))
    assert len(problems) == 2


def test_a_file_that_is_not_an_object_is_refused(db):
    assert validate([1, 2, 3]) == ["file: must be an object"]


def _nested(depth: int) -> bytes:
    return b"[" * depth + b"]" * depth


UNREADABLE = {
    "nested 100,000 deep": (_nested(100_000), "nested more than 20 levels deep"),
    "nested 500 deep": (_nested(500), "nested more than 20 levels deep"),
    "nested in a field": (
        b'{"format": ' + _nested(21) + b"}",
        "nested more than 20 levels deep",
    ),
    "a number of 5,000 digits": (b'{"format": ' + b"9" * 5000 + b"}", "a number of 5000 digits"),
    "a negative number of 5,000 digits": (
        b'{"version": {"number": -' + b"9" * 5000 + b"}}",
        "a number of 5000 digits",
    ),
    "NaN": (b'{"thresholds": {"strength": NaN}}', "not valid JSON: NaN"),
    "Infinity": (b'{"thresholds": {"strength": -Infinity}}', "not valid JSON: -Infinity"),
    "not JSON": (b"{ not json", "not valid JSON: Expecting property name"),
    "not UTF-8": (b"\xff\xfe", "not valid JSON: 'utf-8' codec can't decode"),
}


@pytest.mark.parametrize("case", UNREADABLE)
def test_a_file_that_cannot_be_read_is_refused_with_the_reason(db, case):
    raw, expected = UNREADABLE[case]
    with translation.override("en"), pytest.raises(ImportProblems) as refused:
        read_file(raw)
    (problem,) = refused.value.problems
    assert expected in problem


def test_a_file_as_deep_as_the_format_is_read(shipped):
    raw = json.dumps(shipped).encode("utf-8")
    assert read_file(raw) == shipped
    assert read_file(b'{"a": ' + _nested(19) + b', "n": -' + b"9" * 18 + b"}")["n"] == -(10**18 - 1)


def test_export_command_writes_json_of_the_latest_published_version(questionnaire, capsys):
    call_command("export_questionnaire")
    data = json.loads(capsys.readouterr().out)
    assert data["version"]["number"] == 1
    assert len(data["dimensions"]) == 13


def test_export_command_refuses_an_unknown_version(questionnaire):
    with pytest.raises(CommandError, match="No version 7"):
        call_command("export_questionnaire", "7")


def test_import_command_loads_a_file_as_a_new_draft(questionnaire, tmp_path, capsys):
    call_command("export_questionnaire", "1")
    path = tmp_path / "q.json"
    path.write_text(capsys.readouterr().out, encoding="utf-8")

    call_command("import_questionnaire", str(path))

    draft = QuestionnaireVersion.objects.get(number=2)
    assert draft.status == QuestionnaireVersion.Status.DRAFT
    assert draft.dimensions.count() == 13


def test_import_command_refuses_a_broken_file_and_writes_nothing(db, shipped, tmp_path):
    data = _broken(shipped, lambda d: d["dimensions"][0].update(name={"nl": "Visie"}))
    path = tmp_path / "broken.json"
    path.write_text(json.dumps(data), encoding="utf-8")
    with pytest.raises(CommandError) as refused:
        call_command("import_questionnaire", str(path))
    assert "dimensions[0].name: missing field 'en'" in str(refused.value)
    assert "nothing was written" in str(refused.value)
    assert _counts() == (0, 0, 0, 0, 0)


def test_import_command_refuses_invalid_json(db, tmp_path):
    path = tmp_path / "broken.json"
    path.write_text("{ not json", encoding="utf-8")
    with pytest.raises(CommandError, match="not valid JSON"):
        call_command("import_questionnaire", str(path))


@pytest.mark.parametrize("case", ["nested 100,000 deep", "a number of 5,000 digits", "NaN"])
def test_import_command_refuses_an_unreadable_file_and_writes_nothing(db, tmp_path, case):
    raw, expected = UNREADABLE[case]
    path = tmp_path / "broken.json"
    path.write_bytes(raw)
    with pytest.raises(CommandError) as refused:
        call_command("import_questionnaire", str(path))
    assert expected in str(refused.value)
    assert "nothing was written" in str(refused.value)
    assert _counts() == (0, 0, 0, 0, 0)


def test_import_command_names_a_missing_file(db, tmp_path):
    with pytest.raises(CommandError, match="Cannot read"):
        call_command("import_questionnaire", str(tmp_path / "absent.json"))
