"""The versions that ship: version 1, version 2 (full) and the short form (version 3).

Their content (languages, sources, burden, keys that carry trends) and their installation
through the product's own import and publishing path.
"""

import json

import pytest
from django.core.management import call_command

from assessment.models import Dimension, Item, Questionnaire, QuestionnaireVersion, Source
from assessment.questionnaire.importexport import (
    SHIPPED_DIRECTORY,
    export_version,
    install_shipped_questionnaire,
    validate,
)
from assessment.questionnaire.structure import structure

FULL_LIMIT = 90
SHORT_LIMIT = 45
Status, Form, AskedPer = (
    QuestionnaireVersion.Status,
    QuestionnaireVersion.Form,
    QuestionnaireVersion.AskedPer,
)


def _load(name: str) -> dict:
    return json.loads((SHIPPED_DIRECTORY / name).read_text(encoding="utf-8"))


V1, V2, SHORT = (
    _load("samenspel-v1.json"),
    _load("samenspel-v2.json"),
    _load("samenspel-v2-kort.json"),
)


def _items(data: dict) -> dict[str, dict]:
    return {item["key"]: item for d in data["dimensions"] for item in d["items"]}


def _answers(data: dict) -> int:
    """The most answers a respondent gives, read from the file as structure() counts them."""
    design = data.get("design", {})
    statements = len(_items(data))
    per_dimension = design.get("importance_asked_per") == "dimension"
    follow_ups = 2 * (len(data["dimensions"]) if per_dimension else statements)
    return statements + follow_ups + (1 if design.get("asks_mark") else 0)


def _counts() -> tuple[int, ...]:
    return tuple(
        model.objects.count()
        for model in (Questionnaire, QuestionnaireVersion, Dimension, Item, Source)
    )


@pytest.mark.parametrize("data", [V2, SHORT], ids=["v2", "short"])
def test_a_new_version_is_valid_complete_in_both_languages_and_sourced(data):
    assert validate(data) == []
    sources = {source["key"]: source for source in data["sources"]}
    for source in sources.values():
        assert source["description"]["nl"].strip() and source["description"]["en"].strip()
    for dimension in data["dimensions"]:
        for field in ("name", "description", "suggestions"):
            assert all(dimension[field][code].strip() for code in ("nl", "en")), dimension["key"]
        assert dimension["sources"], dimension["key"]
        # Each suggestion names the source it rests on, in both languages.
        for code in ("nl", "en"):
            for line in dimension["suggestions"][code].split("\n"):
                assert line.rstrip().endswith(").") and "(" in line, line
        for item in dimension["items"]:
            assert item["text"]["nl"].strip() and item["text"]["en"].strip(), item["key"]
            assert item["sources"], item["key"]
            assert item["reverse_scored"] is False, item["key"]  # positive keying only
    used = {key for d in data["dimensions"] for key in d["sources"]}
    used |= {key for item in _items(data).values() for key in item["sources"]}
    assert used == set(sources)
    for code in ("nl", "en"):
        assert data["version"]["notes"][code].strip()


def test_version_2_keeps_every_dimension_of_version_1_and_adds_perceived_effects():
    v1_keys = [d["key"] for d in V1["dimensions"]]
    v2_keys = [d["key"] for d in V2["dimensions"]]
    assert v2_keys[: len(v1_keys)] == v1_keys
    assert v2_keys[len(v1_keys) :] == ["perceived-effects"]
    assert 4 <= len(V2["dimensions"][-1]["items"]) <= 5


def test_version_2_has_three_to_five_statements_per_dimension():
    for dimension in V2["dimensions"]:
        assert 3 <= len(dimension["items"]) <= 5, dimension["key"]


def test_a_key_that_carries_over_keeps_its_dimension():
    """A trend follows a statement by key, and its dimension by the dimension's key."""
    v1_dimension = {i: d["key"] for d in V1["dimensions"] for i in (x["key"] for x in d["items"])}
    for dimension in V2["dimensions"]:
        for item in dimension["items"]:
            if item["key"] in v1_dimension:
                assert v1_dimension[item["key"]] == dimension["key"], item["key"]


def test_the_designs_are_as_decided():
    assert "design" not in V1  # format 1: version 1 asks as the model's defaults say
    assert V2["design"] == {
        "form": "full",
        "importance_asked_per": "dimension",
        "separate_not_applicable": True,
        "asks_mark": True,
    }
    assert SHORT["design"] == {**V2["design"], "form": "short"}
    assert (V2["version"]["number"], SHORT["version"]["number"]) == (2, 3)


def test_the_scales_relabel_the_midpoint_and_give_importance_four_points():
    for data in (V2, SHORT):
        state = [point["label"] for point in data["scale"]["state"]]
        assert [label["nl"] for label in state] == [
            "Helemaal oneens",
            "Oneens",
            "Niet eens, niet oneens",
            "Eens",
            "Helemaal eens",
        ]
        assert state[2]["en"] == "Neither agree nor disagree"
        importance = [point["label"] for point in data["scale"]["importance"]]
        assert [label["nl"] for label in importance] == [
            "Niet belangrijk",
            "Een beetje belangrijk",
            "Belangrijk",
            "Heel belangrijk",
        ]
        assert [label["en"] for label in importance] == [
            "Not important",
            "A little important",
            "Important",
            "Very important",
        ]
    assert SHORT["scale"] == V2["scale"]
    assert SHORT["thresholds"] == V2["thresholds"] == V1["thresholds"]


def test_the_answer_counts_stay_within_the_burden():
    assert _answers(V1) == 54 * 3 == 162
    assert _answers(V2) <= FULL_LIMIT
    assert _answers(SHORT) <= SHORT_LIMIT


def test_the_short_form_asks_one_statement_per_dimension_taken_unchanged_from_version_2():
    v2_items = _items(V2)
    assert [d["key"] for d in SHORT["dimensions"]] == [d["key"] for d in V2["dimensions"]]
    for short, full in zip(SHORT["dimensions"], V2["dimensions"], strict=True):
        (item,) = short["items"]
        assert item == v2_items[item["key"]]
        assert item in full["items"]
        assert {k: short[k] for k in ("name", "description", "sources")} == {
            k: full[k] for k in ("name", "description", "sources")
        }


def test_a_fresh_install_publishes_all_three_versions_next_to_each_other(db):
    installed = install_shipped_questionnaire()

    assert [(v.number, v.form) for v in installed] == [
        (1, Form.FULL),
        (2, Form.FULL),
        (3, Form.SHORT),
    ]
    assert all(v.status == Status.PUBLISHED for v in QuestionnaireVersion.objects.all())
    v1, v2, short = installed
    assert (v1.based_on, v2.based_on, short.based_on) == (None, v1, v2)
    assert QuestionnaireVersion.objects.latest_published() == v2
    assert QuestionnaireVersion.objects.latest_published(form=Form.SHORT) == short
    assert (v2.importance_asked_per, v2.separate_not_applicable, v2.asks_mark) == (
        AskedPer.DIMENSION,
        True,
        True,
    )
    assert v1.importance_asked_per == AskedPer.STATEMENT and not v1.asks_mark
    assert structure(v1).answer_count == 162
    assert structure(v2).answer_count == _answers(V2) <= FULL_LIMIT
    assert structure(short).answer_count == _answers(SHORT) <= SHORT_LIMIT


def test_installing_twice_changes_nothing(db):
    install_shipped_questionnaire()
    before = _counts()

    assert install_shipped_questionnaire() == []
    assert _counts() == before


def test_an_installation_with_only_version_1_gets_version_2_and_the_short_form(questionnaire):
    installed = install_shipped_questionnaire()

    assert [v.number for v in installed] == [2, 3]
    questionnaire.refresh_from_db()
    assert questionnaire.status == Status.PUBLISHED  # rounds may still use it
    assert Questionnaire.objects.count() == 1


def test_an_installed_version_exports_as_its_shipped_file(db):
    _v1, v2, short = install_shipped_questionnaire()
    assert export_version(v2) == V2
    assert export_version(short) == SHORT


def test_the_install_command_reports_what_it_installed_and_is_safe_to_run_twice(db, capsys):
    call_command("install_questionnaire")
    first = capsys.readouterr().out
    assert first.count("Installed and published") == 3

    call_command("install_questionnaire")
    assert "already installed" in capsys.readouterr().out
    assert QuestionnaireVersion.objects.count() == 3
