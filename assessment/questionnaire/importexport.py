"""A whole questionnaire version as JSON: export, validation and import.

The format is what `export_version` writes; the files in assessment/questionnaires/ are
examples. Import refuses a file with any problem and then writes nothing.

Format 2 adds an optional top-level "design": how the version asks (full or short form,
importance per statement or per dimension, "not applicable" as its own answer, a report
mark). Format 1 files, which have none, are still read: they get the model's defaults,
which are how version 1 asks.
"""

import json
import re
from collections.abc import Set as AbstractSet
from decimal import Decimal, InvalidOperation
from pathlib import Path
from typing import Any

from django.db import transaction
from django.db.models import Max
from django.utils.translation import gettext as _

from assessment.models import (
    Dimension,
    Item,
    Questionnaire,
    QuestionnaireVersion,
    ScaleLabel,
    Source,
)
from assessment.questionnaire.languages import LANGUAGE_CODES, texts

FORMAT = "samenspel-questionnaire"
FORMAT_VERSION = 2
READABLE_FORMAT_VERSIONS = (1, 2)
SHIPPED_DIRECTORY = Path(__file__).parent.parent / "questionnaires"
SHIPPED_QUESTIONNAIRE = SHIPPED_DIRECTORY / "samenspel-v1.json"
# The versions that ship, in the order they are installed, each with the version number it
# is based on: version 2 revises version 1, and the short form takes its statements from 2.
SHIPPED_VERSIONS: tuple[tuple[Path, int | None], ...] = (
    (SHIPPED_QUESTIONNAIRE, None),
    (SHIPPED_DIRECTORY / "samenspel-v2.json", 1),
    (SHIPPED_DIRECTORY / "samenspel-v2-kort.json", 2),
)
# The design fields, each with the values it takes; a file without "design" (or without
# one of its fields) gets the model's default, which is how version 1 asks.
DESIGN_CHOICES: dict[str, tuple[Any, ...]] = {
    "form": tuple(QuestionnaireVersion.Form.values),
    "importance_asked_per": tuple(QuestionnaireVersion.AskedPer.values),
    "separate_not_applicable": (True, False),
    "asks_mark": (True, False),
}
KEY_PATTERN = re.compile(r"^[a-z0-9][a-z0-9.\-]*$")
# The format nests six levels (file, dimensions, dimension, items, item, text): a file
# nested deeper is refused before anything walks it. No field takes a number of more digits.
MAX_DEPTH = 20
MAX_DIGITS = 18


class ImportProblems(Exception):
    def __init__(self, problems: list[str]) -> None:
        super().__init__("\n".join(problems))
        self.problems = problems


class _Unreadable(ValueError):
    """Raised while parsing, with the problem to show."""


def _whole_number(text: str) -> int:
    # Checked before int(), which refuses more than 4,300 digits with a message for
    # programmers (and spends quadratic time getting there).
    digits = len(text.lstrip("-"))
    if digits > MAX_DIGITS:
        raise _Unreadable(
            _("The file has a number of %(digits)s digits; no field takes one that long.")
            % {"digits": digits}
        )
    return int(text)


def _not_a_number(name: str) -> None:
    # Python reads NaN and Infinity, which JSON does not have.
    raise _Unreadable(
        _("The file is not valid JSON: %(error)s") % {"error": f"{name} is not a JSON number"}
    )


def _too_deep(data: Any) -> bool:
    # Without recursion: the point is that the file cannot exhaust the stack.
    stack = [(data, 1)]
    while stack:
        value, depth = stack.pop()
        if isinstance(value, dict | list):
            if depth > MAX_DEPTH:
                return True
            children = value.values() if isinstance(value, dict) else value
            stack.extend((child, depth + 1) for child in children)
    return False


def read_file(raw: bytes) -> Any:
    """The parsed JSON of an uploaded or given questionnaire file.

    Raises ImportProblems, naming the reason, for a file that is no UTF-8 JSON, nests
    deeper than the format, or holds a number too long for any field.
    """
    try:
        text = raw.decode("utf-8")
        data = json.loads(text, parse_int=_whole_number, parse_constant=_not_a_number)
    except _Unreadable as error:
        raise ImportProblems([str(error)]) from None
    except (UnicodeDecodeError, json.JSONDecodeError) as error:
        problem = _("The file is not valid JSON: %(error)s") % {"error": error}
        raise ImportProblems([problem]) from None
    except RecursionError:  # deeper than Python parses, so far deeper than MAX_DEPTH
        deep = True
    else:
        deep = _too_deep(data)
    if deep:
        problem = _("The file is nested more than %(depth)s levels deep; this format needs six.")
        raise ImportProblems([problem % {"depth": MAX_DEPTH}])
    return data


def _from_texts(by_language: dict[str, str], field: str) -> dict[str, str]:
    return {f"{field}_{code}": by_language.get(code, "") for code in LANGUAGE_CODES}


def export_version(version: QuestionnaireVersion) -> dict[str, Any]:
    dimensions = version.ordered_dimensions()
    sources: dict[str, Source] = {}
    exported_dimensions = []
    for dimension in dimensions:
        items = []
        for item in dimension.items.all():
            item_sources = sorted(item.sources.all(), key=lambda s: s.key)
            sources.update((s.key, s) for s in item_sources)
            items.append(
                {
                    "key": item.key,
                    "text": texts(item, "text"),
                    "reverse_scored": item.reverse_scored,
                    "sources": [s.key for s in item_sources],
                }
            )
        dimension_sources = sorted(dimension.sources.all(), key=lambda s: s.key)
        sources.update((s.key, s) for s in dimension_sources)
        exported_dimensions.append(
            {
                "key": dimension.key,
                "name": texts(dimension, "name"),
                "description": texts(dimension, "description"),
                "suggestions": texts(dimension, "suggestions"),
                "sources": [s.key for s in dimension_sources],
                "items": items,
            }
        )
    labels = version.scale_labels.order_by("kind", "value")
    return {
        "format": FORMAT,
        "format_version": FORMAT_VERSION,
        "questionnaire": {
            "key": version.questionnaire.key,
            "name": texts(version.questionnaire, "name"),
        },
        "version": {"number": version.number, "notes": texts(version, "notes")},
        "design": {field: getattr(version, field) for field in DESIGN_CHOICES},
        "scale": {
            kind: [
                {"value": label.value, "label": texts(label, "label")}
                for label in labels
                if label.kind == kind
            ]
            for kind in (ScaleLabel.Kind.STATE, ScaleLabel.Kind.IMPORTANCE)
        },
        "thresholds": {
            "strength": str(version.strength_threshold),
            "concern": str(version.concern_threshold),
        },
        "sources": [
            {
                "key": source.key,
                "citation": source.citation,
                "description": texts(source, "description"),
            }
            for source in sorted(sources.values(), key=lambda s: s.key)
        ],
        "dimensions": exported_dimensions,
    }


class _Checker:
    """Walks the parsed JSON and collects every problem with where it is."""

    def __init__(self) -> None:
        self.problems: list[str] = []

    def problem(self, where: str, message: str) -> None:
        self.problems.append(f"{where}: {message}")

    def mapping(
        self,
        value: Any,
        where: str,
        required: AbstractSet[str],
        optional: AbstractSet[str] = frozenset(),
    ) -> dict[str, Any] | None:
        if not isinstance(value, dict):
            self.problem(where, "must be an object")
            return None
        for field in sorted(required - value.keys()):
            self.problem(where, f"missing field '{field}'")
        for field in sorted(value.keys() - required - optional):
            self.problem(where, f"unknown field '{field}'")
        return value

    def sequence(self, value: Any, where: str, *, min_length: int = 0) -> list:
        if not isinstance(value, list):
            self.problem(where, "must be a list")
            return []
        if len(value) < min_length:
            self.problem(
                where, f"needs at least {min_length} entr{'y' if min_length == 1 else 'ies'}"
            )
        return value

    def text(self, value: Any, where: str, *, max_length: int, required: bool = True) -> None:
        if not isinstance(value, str):
            self.problem(where, "must be text")
        elif "\x00" in value:  # PostgreSQL cannot store it
            self.problem(where, "contains a NUL character")
        elif required and not value.strip():
            self.problem(where, "is empty")
        elif len(value) > max_length:
            self.problem(where, f"is {len(value)} characters long; at most {max_length} allowed")

    def translated(self, value: Any, where: str, *, max_length: int, required: bool = True) -> None:
        given = self.mapping(value, where, set(LANGUAGE_CODES))
        if given is None:
            return
        for code in LANGUAGE_CODES:
            if code in given:
                self.text(given[code], f"{where}.{code}", max_length=max_length, required=required)

    def key(self, value: Any, where: str, seen: set[str]) -> None:
        if not isinstance(value, str) or not KEY_PATTERN.match(value) or len(value) > 60:
            self.problem(where, f"{value!r} is not a valid key (lowercase a-z, 0-9, '.', '-')")
        elif value in seen:
            self.problem(where, f"duplicate key '{value}'")
        else:
            seen.add(value)

    def source_refs(self, value: Any, where: str, known: set[str]) -> None:
        refs = self.sequence(value, where, min_length=1)
        for index, ref in enumerate(refs):
            if not isinstance(ref, str) or ref not in known:
                self.problem(f"{where}[{index}]", f"unknown source {ref!r}")


def _check_design(check: _Checker, value: Any) -> None:
    design = check.mapping(value, "design", set(), set(DESIGN_CHOICES))
    for field, choices in DESIGN_CHOICES.items():
        if design is None or field not in design:
            continue
        given = design[field]
        # True == 1 in Python: a flag must be a JSON boolean, a choice a string.
        if type(given) is not type(choices[0]) or given not in choices:
            allowed = " or ".join(json.dumps(choice) for choice in choices)
            check.problem(f"design.{field}", f"{json.dumps(given)} is not {allowed}")


def _design(data: dict[str, Any]) -> dict[str, Any]:
    """The version's design fields the file sets; the model's defaults fill the rest."""
    return dict(data.get("design", {}))


def validate(data: Any) -> list[str]:
    """Every problem in a parsed questionnaire file; an empty list means it can be imported."""
    check = _Checker()
    required = {
        "format",
        "format_version",
        "questionnaire",
        "version",
        "scale",
        "thresholds",
        "sources",
        "dimensions",
    }
    if not isinstance(data, dict):
        check.problem("file", "must be an object")
        return check.problems
    format_version = data.get("format_version")
    if (
        data.get("format") != FORMAT
        or type(format_version) is not int  # not true, not 2.0
        or format_version not in READABLE_FORMAT_VERSIONS
    ):
        readable = " or ".join(str(number) for number in READABLE_FORMAT_VERSIONS)
        check.problem("format", f"this is not a {FORMAT} file of format_version {readable}")
        return check.problems
    # Format 1 had no design: a file that claims format 1 and has one is refused.
    optional = {"design"} if format_version >= 2 else set()
    root = check.mapping(data, "file", required, optional)
    if root is None or required - root.keys():
        return check.problems
    if "design" in root:
        _check_design(check, root["design"])

    questionnaire = check.mapping(root["questionnaire"], "questionnaire", {"key", "name"})
    if questionnaire:
        check.key(questionnaire.get("key"), "questionnaire.key", set())
        check.translated(questionnaire.get("name"), "questionnaire.name", max_length=120)
    version = check.mapping(root["version"], "version", set(), {"number", "notes"})
    if version:
        number = version.get("number", 1)
        if not isinstance(number, int) or isinstance(number, bool) or not 1 <= number <= 10000:
            check.problem("version.number", "must be a whole number from 1 to 10000")
        if "notes" in version:
            check.translated(version["notes"], "version.notes", max_length=5000, required=False)

    scale_max = 5
    scale = check.mapping(root["scale"], "scale", {"state", "importance"})
    if scale:
        for kind in ("state", "importance"):
            points = check.sequence(scale.get(kind), f"scale.{kind}", min_length=2)
            values = []
            for index, point in enumerate(points):
                where = f"scale.{kind}[{index}]"
                if check.mapping(point, where, {"value", "label"}) is None:
                    continue
                values.append(point.get("value"))
                check.translated(point.get("label"), f"{where}.label", max_length=60)
            if points and values != list(range(1, len(points) + 1)):
                check.problem(f"scale.{kind}", "values must run 1, 2, 3, … in order without gaps")
            elif kind == "state" and points:
                scale_max = len(points)

    thresholds = check.mapping(root["thresholds"], "thresholds", {"strength", "concern"})
    if thresholds:
        parsed = {}
        for name in ("strength", "concern"):
            try:
                value = Decimal(str(thresholds.get(name)))
            except InvalidOperation:
                value = None
            if value is None or not value.is_finite():  # NaN cannot even be compared
                check.problem(f"thresholds.{name}", "must be a number")
                continue
            parsed[name] = value
            if not (1 <= parsed[name] <= scale_max):
                check.problem(f"thresholds.{name}", f"must lie between 1 and {scale_max}")
        if len(parsed) == 2 and parsed["concern"] > parsed["strength"]:
            check.problem("thresholds", "concern must not lie above strength")

    source_keys: set[str] = set()
    for index, source in enumerate(check.sequence(root["sources"], "sources", min_length=1)):
        where = f"sources[{index}]"
        if check.mapping(source, where, {"key", "citation", "description"}) is None:
            continue
        check.key(source.get("key"), f"{where}.key", source_keys)
        check.text(source.get("citation"), f"{where}.citation", max_length=200)
        check.translated(
            source.get("description"), f"{where}.description", max_length=600, required=False
        )

    dimension_keys: set[str] = set()
    item_keys: set[str] = set()
    dimensions = check.sequence(root["dimensions"], "dimensions", min_length=1)
    for index, dimension in enumerate(dimensions):
        where = f"dimensions[{index}]"
        if (
            check.mapping(
                dimension,
                where,
                {"key", "name", "description", "sources", "items"},
                {"suggestions"},
            )
            is None
        ):
            continue
        check.key(dimension.get("key"), f"{where}.key", dimension_keys)
        check.translated(dimension.get("name"), f"{where}.name", max_length=120)
        check.translated(
            dimension.get("description"), f"{where}.description", max_length=600, required=False
        )
        if "suggestions" in dimension:
            check.translated(
                dimension["suggestions"], f"{where}.suggestions", max_length=3000, required=False
            )
        check.source_refs(dimension.get("sources"), f"{where}.sources", source_keys)
        for item_index, item in enumerate(
            check.sequence(dimension.get("items"), f"{where}.items", min_length=1)
        ):
            item_where = f"{where}.items[{item_index}]"
            if (
                check.mapping(item, item_where, {"key", "text", "reverse_scored", "sources"})
                is None
            ):
                continue
            check.key(item.get("key"), f"{item_where}.key", item_keys)
            check.translated(item.get("text"), f"{item_where}.text", max_length=300)
            if not isinstance(item.get("reverse_scored"), bool):
                check.problem(f"{item_where}.reverse_scored", "must be true or false")
            check.source_refs(item.get("sources"), f"{item_where}.sources", source_keys)
    return check.problems


@transaction.atomic
def import_version(data: Any) -> QuestionnaireVersion:
    """Load a questionnaire file as a new draft version.

    Raises ImportProblems, having written nothing, when the file has any problem.
    """
    problems = validate(data)
    if problems:
        raise ImportProblems(problems)

    questionnaire, _created = Questionnaire.objects.get_or_create(
        key=data["questionnaire"]["key"],
        defaults=_from_texts(data["questionnaire"]["name"], "name"),
    )
    taken = questionnaire.versions.aggregate(Max("number"))["number__max"] or 0
    wanted = data["version"].get("number", 1)
    number = wanted if not questionnaire.versions.filter(number=wanted).exists() else taken + 1
    version = QuestionnaireVersion.objects.create(
        questionnaire=questionnaire,
        number=number,
        strength_threshold=Decimal(str(data["thresholds"]["strength"])),
        concern_threshold=Decimal(str(data["thresholds"]["concern"])),
        **_design(data),
        **_from_texts(data["version"].get("notes", {}), "notes"),
    )
    ScaleLabel.objects.bulk_create(
        ScaleLabel(
            version=version, kind=kind, value=point["value"], **_from_texts(point["label"], "label")
        )
        for kind in ("state", "importance")
        for point in data["scale"][kind]
    )

    sources: dict[str, Source] = {}
    for entry in data["sources"]:
        source, _created = Source.objects.update_or_create(
            key=entry["key"],
            defaults={
                "citation": entry["citation"],
                **_from_texts(entry["description"], "description"),
            },
        )
        sources[source.key] = source

    for order, entry in enumerate(data["dimensions"], start=1):
        dimension = Dimension.objects.create(
            version=version,
            key=entry["key"],
            order=order,
            **_from_texts(entry["name"], "name"),
            **_from_texts(entry["description"], "description"),
            **_from_texts(entry.get("suggestions", {}), "suggestions"),
        )
        dimension.sources.set([sources[key] for key in entry["sources"]])
        for item_order, item_entry in enumerate(entry["items"], start=1):
            item = Item.objects.create(
                dimension=dimension,
                key=item_entry["key"],
                order=item_order,
                reverse_scored=item_entry["reverse_scored"],
                **_from_texts(item_entry["text"], "text"),
            )
            item.sources.set([sources[key] for key in item_entry["sources"]])
    return version


def _add_missing_shipped_sources(files: list[dict[str, Any]]) -> None:
    """Create the sources of the shipped files that the database lacks, leaving the others
    as they are. The conversation questions rest on them, and with `up_to` a source may be
    named only by a version that is not installed."""
    shipped = {entry["key"]: entry for data in files for entry in data["sources"]}
    present = set(Source.objects.values_list("key", flat=True))
    Source.objects.bulk_create(
        Source(
            key=key,
            citation=entry["citation"],
            **_from_texts(entry["description"], "description"),
        )
        for key, entry in shipped.items()
        if key not in present
    )


def install_shipped_questionnaire(*, up_to: int | None = None) -> list[QuestionnaireVersion]:
    """Import and publish the versions that ship with Samenspel which the installation lacks,
    then the conversation questions it lacks.

    A version counts as there when its questionnaire has a version of that number, so
    running this again changes nothing, and an installation with only version 1 gets
    version 2 and the short form added. Publishing a version retires none: rounds may still
    use version 1. With `up_to`, only the versions up to that number (tests that want version
    1 alone); the conversation questions come for every dimension all the same. Returns the
    versions installed now, in order; empty when all were there.
    """
    from assessment.questionnaire.conversation import install_conversation_questions
    from assessment.questionnaire.publishing import publish

    installed = []
    shipped = [
        (json.loads(path.read_text(encoding="utf-8")), based_on)
        for path, based_on in SHIPPED_VERSIONS
    ]
    for data, based_on in shipped:
        number = data["version"]["number"]
        if up_to is not None and number > up_to:
            continue
        present = QuestionnaireVersion.objects.filter(
            questionnaire__key=data["questionnaire"]["key"]
        )
        if present.filter(number=number).exists():
            continue
        with transaction.atomic():
            version = import_version(data)
            version.based_on = present.filter(number=based_on).first() if based_on else None
            version.save(update_fields=["based_on"])
            publish(version=version)
        version.refresh_from_db()
        installed.append(version)
    with transaction.atomic():
        _add_missing_shipped_sources([data for data, _based_on in shipped])
        install_conversation_questions()
    return installed
