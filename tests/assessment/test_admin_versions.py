"""The admin's own tools for questionnaire versions: preview, changes, export, import and
quality; published content that cannot be deleted; and the whole way from a draft to a new
round, through the test client only."""

import copy
import json
import random
import re
from dataclasses import dataclass
from html import escape, unescape

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db.models import ProtectedError
from django.template.defaultfilters import floatformat
from django.urls import reverse
from django.utils import timezone, translation

from assessment.demo import TeamProfile, make_responses
from assessment.models import (
    Answer,
    Dimension,
    Item,
    Questionnaire,
    QuestionnaireVersion,
    Response,
    Round,
    Source,
)
from assessment.questionnaire.importexport import export_version
from assessment.questionnaire.publishing import create_draft

ADMIN_VIEWS = ["preview", "changes", "export", "quality"]
CHANGELIST = "admin:assessment_questionnaireversion_changelist"


def _url(name: str, version_or_id) -> str:
    version_id = getattr(version_or_id, "pk", version_or_id)
    return reverse(f"admin:version_{name}", args=[version_id])


def _items(dimension: Dimension) -> list[Item]:
    return list(Item.objects.filter(dimension=dimension).order_by("order", "pk"))


def _nl(message: str) -> str:
    """A message as the admin shows it: in Dutch, the default language."""
    with translation.override("nl"):
        return translation.gettext(message)


def _unknown_version_id() -> int:
    return QuestionnaireVersion.objects.order_by("-pk").first().pk + 1000


# Access


@pytest.mark.parametrize("name", ADMIN_VIEWS)
def test_a_facilitator_is_sent_to_the_admin_login_by_every_version_tool(
    questionnaire, facilitator, login, name
):
    response = login(facilitator).get(_url(name, questionnaire))
    assert response.status_code == 302
    assert response.url.startswith(reverse("admin:login"))


def test_a_facilitator_is_sent_to_the_admin_login_by_the_import(questionnaire, facilitator, login):
    response = login(facilitator).get(reverse("admin:version_import"))
    assert response.status_code == 302
    assert response.url.startswith(reverse("admin:login"))


@pytest.mark.parametrize("name", ADMIN_VIEWS)
def test_an_unknown_version_gives_404_in_every_version_tool(questionnaire, admin, login, name):
    assert login(admin).get(_url(name, _unknown_version_id())).status_code == 404


# Preview


def test_admin_previews_a_published_and_a_draft_version(questionnaire, admin, login):
    draft = create_draft(source=questionnaire)
    client = login(admin)
    for version in (questionnaire, draft):
        response = client.get(_url("preview", version))
        first = version.ordered_dimensions().first()

        assert response.status_code == 200
        assert "respond/preview.html" in [t.name for t in response.templates]
        assert response.context["version"] == version
        assert response.context["page"] == 1
        assert response.context["dimension"].pk == first.pk
        content = response.content.decode()
        for item in _items(first):
            assert escape(item.text_nl) in content


def test_preview_page_two_shows_the_second_dimension_only(questionnaire, admin, login):
    first, second = list(questionnaire.ordered_dimensions())[:2]

    response = login(admin).get(_url("preview", questionnaire), {"page": "2"})

    assert response.status_code == 200
    assert response.context["page"] == 2
    assert response.context["page_count"] == questionnaire.dimensions.count()
    assert response.context["dimension"].pk == second.pk
    content = response.content.decode()
    assert escape(second.name_nl) in content
    for item in _items(second):
        assert escape(item.text_nl) in content
    for item in _items(first):
        assert escape(item.text_nl) not in content


@pytest.mark.parametrize(
    "page", ["0", "-1", "14", "99", "abc", "", "9" * 5000, "1" * 19], ids=lambda page: page[:20]
)
def test_preview_of_a_page_out_of_range_shows_page_one(questionnaire, admin, login, page):
    first = questionnaire.ordered_dimensions().first()

    response = login(admin).get(_url("preview", questionnaire), {"page": page})

    assert response.status_code == 200
    assert response.context["page"] == 1
    assert response.context["dimension"].pk == first.pk


def test_preview_of_a_page_in_superscript_digits_shows_page_one(questionnaire, admin, login):
    response = login(admin).get(_url("preview", questionnaire), {"page": "²"})

    assert response.status_code == 200
    assert response.context["page"] == 1


def test_preview_saves_nothing_even_when_its_form_is_sent(questionnaire, admin, login):
    first = questionnaire.ordered_dimensions().first()
    answers = {f"s-{item.pk}": "4" for item in _items(first)}
    client = login(admin)

    for page in ("1", "2"):
        assert client.get(_url("preview", questionnaire), {"page": page}).status_code == 200
    assert client.get(_url("preview", questionnaire), answers).status_code == 200

    assert Response.objects.count() == 0
    assert Answer.objects.count() == 0


# Changes


@dataclass
class Rework:
    draft: QuestionnaireVersion
    reworded: Item
    removed_key: str
    added: Item


@pytest.fixture
def rework(questionnaire) -> Rework:
    """Version 2: one statement reworded, one removed, one new."""
    draft = create_draft(source=questionnaire)
    first, second, third = list(draft.ordered_dimensions())[:3]
    reworded = _items(first)[0]
    reworded.text_nl = "Wij werken vanuit een herschreven visie."
    reworded.text_en = "We work from a reworded vision."
    reworded.save()
    removed = _items(second)[0]
    removed_key = removed.key
    removed.delete()
    added = Item.objects.create(
        dimension=third,
        key=f"{third.key}.brand-new",
        order=99,
        text_nl="Een geheel nieuwe stelling.",
        text_en="An entirely new statement.",
    )
    return Rework(draft=draft, reworded=reworded, removed_key=removed_key, added=added)


def _section(content: str, element_id: str) -> str:
    match = re.search(rf'<(table|ul) id="{element_id}">(.*?)</\1>', content, re.DOTALL)
    assert match, f"no #{element_id} in the page"
    return match.group(2)


def _shown(html: str) -> str:
    """The text a sighted reader sees: without the words for screen readers and the tags."""
    html = re.sub(r'<span class="visually-hidden">.*?</span>', "", html, flags=re.DOTALL)
    text = re.sub(r"<[^>]+>", "", html)
    return " ".join(unescape(text).split())


def _cell(content: str, css_class: str) -> str:
    match = re.search(rf'<td class="{css_class}">(.*?)</td>', content, re.DOTALL)
    assert match, f"no td.{css_class} in the page"
    return match.group(1)


def test_changes_page_marks_the_removed_and_the_added_words(questionnaire, admin, login):
    draft = create_draft(source=questionnaire)
    item = _items(draft.ordered_dimensions().first())[0]
    old_text = item.text_nl
    item.text_nl = "Heel anders: " + " ".join(old_text.split()[1:])
    item.save()

    content = login(admin).get(_url("changes", draft)).content.decode()

    before, after = _cell(content, "words-before"), _cell(content, "words-after")
    first_word = escape(old_text.split()[0])
    assert re.search(rf"<del>.*?{re.escape(first_word)}.*?</del>", before, re.DOTALL)
    assert re.search(r"<ins>.*?Heel anders:.*?</ins>", after, re.DOTALL)
    assert "<ins>" not in before and "<del>" not in after
    assert _shown(before) == " ".join(old_text.split())
    assert _shown(after) == " ".join(item.text_nl.split())
    assert _nl("removed:") in before and _nl("added:") in after


def test_a_statement_with_a_script_tag_shows_as_text_on_the_changes_page(
    questionnaire, admin, login
):
    draft = create_draft(source=questionnaire)
    item = _items(draft.ordered_dimensions().first())[0]
    item.text_nl = item.text_nl + ' <script>alert("x")</script> <b>vet</b>'
    item.save()

    content = login(admin).get(_url("changes", draft)).content.decode()

    after = _cell(content, "words-after")
    assert "<script>" not in content.split('id="reworded"')[1]
    assert "&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt;" in after
    assert "&lt;b&gt;vet&lt;/b&gt;" in after and "<b>" not in after


def test_changes_page_lists_the_reworded_removed_and_added_statements(rework, admin, login):
    response = login(admin).get(_url("changes", rework.draft))

    assert response.status_code == 200
    diff = response.context["diff"]
    assert [change.key for change in diff.reworded] == [rework.reworded.key]
    assert diff.reworded[0].item_id == rework.reworded.pk
    assert [change.key for change in diff.removed] == [rework.removed_key]
    assert [change.key for change in diff.added] == [rework.added.key]
    assert diff.dimensions_added == [] and diff.dimensions_removed == []

    content = response.content.decode()
    reworded = _section(content, "reworded")
    assert rework.reworded.key in reworded
    assert rework.reworded.text_nl in _shown(reworded)
    assert "<ins>" in reworded and "<del>" in reworded
    assert f'name="item" value="{rework.reworded.pk}"' in reworded
    assert rework.removed_key in _section(content, "removed")
    assert rework.added.key in _section(content, "added")
    assert rework.added.key not in reworded and rework.removed_key not in reworded


def test_a_statement_reworded_only_in_english_counts_as_reworded(questionnaire, admin, login):
    draft = create_draft(source=questionnaire)
    item = _items(draft.ordered_dimensions().first())[1]
    item.text_en = "Only the English changed."
    item.save()

    diff = login(admin).get(_url("changes", draft)).context["diff"]

    assert [change.key for change in diff.reworded] == [item.key]
    assert diff.added == [] and diff.removed == []


def test_an_unchanged_draft_has_an_empty_diff(questionnaire, admin, login):
    draft = create_draft(source=questionnaire)

    response = login(admin).get(_url("changes", draft))

    assert response.status_code == 200
    assert response.context["diff"].is_empty


def test_changes_page_of_a_version_without_origin_says_so(questionnaire, admin, login):
    response = login(admin).get(_url("changes", questionnaire))

    assert response.status_code == 200
    assert response.context["diff"] is None
    assert _nl("This version was not made from another version.") in response.content.decode()


def test_marking_a_reworded_statement_as_new_gives_it_a_new_key(rework, admin, login):
    client = login(admin)
    old_key = rework.reworded.key

    response = client.post(_url("changes", rework.draft), {"item": rework.reworded.pk})

    assert response.status_code == 302
    assert response.url == _url("changes", rework.draft)
    rework.reworded.refresh_from_db()
    assert rework.reworded.key == f"{old_key}.v2"
    diff = client.get(_url("changes", rework.draft)).context["diff"]
    assert diff.reworded == []
    assert sorted(change.key for change in diff.removed) == sorted([old_key, rework.removed_key])
    assert sorted(change.key for change in diff.added) == sorted(
        [f"{old_key}.v2", rework.added.key]
    )


def test_marking_a_statement_with_a_key_of_sixty_characters_as_new_changes_its_key(
    rework, admin, login
):
    long_key = "a" * 60
    # Both versions share the key; update() passes the published version's guard.
    Item.objects.filter(
        dimension__version__in=[rework.draft.based_on_id, rework.draft.pk],
        key=rework.reworded.key,
    ).update(key=long_key)
    client = login(admin)

    response = client.post(_url("changes", rework.draft), {"item": rework.reworded.pk})

    assert response.status_code == 302
    rework.reworded.refresh_from_db()
    assert rework.reworded.key != long_key
    diff = client.get(_url("changes", rework.draft)).context["diff"]
    assert long_key in [change.key for change in diff.removed]


def test_marking_as_new_is_refused_on_a_published_version(questionnaire, admin, login):
    item = _items(questionnaire.ordered_dimensions().first())[0]
    keys = list(Item.objects.order_by("pk").values_list("key", flat=True))

    response = login(admin).post(_url("changes", questionnaire), {"item": item.pk})

    assert response.status_code == 403
    assert list(Item.objects.order_by("pk").values_list("key", flat=True)) == keys


def test_marking_as_new_an_item_of_another_version_gives_404(rework, admin, login):
    other = _items(rework.draft.based_on.ordered_dimensions().first())[0]
    keys = list(Item.objects.order_by("pk").values_list("key", flat=True))

    response = login(admin).post(_url("changes", rework.draft), {"item": other.pk})

    assert response.status_code == 404
    assert list(Item.objects.order_by("pk").values_list("key", flat=True)) == keys


def test_marking_as_new_without_an_item_gives_404(rework, admin, login):
    assert login(admin).post(_url("changes", rework.draft), {}).status_code == 404


def test_marking_as_new_an_item_id_that_is_not_a_number_gives_404(rework, admin, login):
    assert login(admin).post(_url("changes", rework.draft), {"item": "abc"}).status_code == 404


@pytest.mark.parametrize("item", ["9" * 5000, "9" * 19, "²"], ids=["5000 digits", "19", "²"])
def test_marking_as_new_an_item_id_no_item_can_have_gives_404(rework, admin, login, item):
    assert login(admin).post(_url("changes", rework.draft), {"item": item}).status_code == 404


# Export


@pytest.mark.parametrize("which", ["published", "draft"])
def test_export_downloads_the_version_as_json(rework, questionnaire, admin, login, which):
    version = questionnaire if which == "published" else rework.draft

    response = login(admin).get(_url("export", version))

    assert response.status_code == 200
    assert response["Content-Type"].startswith("application/json")
    key = version.questionnaire.key
    assert response["Content-Disposition"] == (
        f'attachment; filename="{key}-v{version.number}.json"'
    )
    assert json.loads(response.content.decode("utf-8")) == export_version(version)


# Import


def _counts() -> tuple[int, ...]:
    return (
        Questionnaire.objects.count(),
        QuestionnaireVersion.objects.count(),
        Dimension.objects.count(),
        Item.objects.count(),
        Source.objects.count(),
    )


def _upload(client, content: bytes):
    return client.post(
        reverse("admin:version_import"),
        {"file": SimpleUploadedFile("questionnaire.json", content, "application/json")},
    )


def test_admin_opens_the_import_page(questionnaire, admin, login):
    response = login(admin).get(reverse("admin:version_import"))
    assert response.status_code == 200
    assert response.context["problems"] == []


def test_importing_an_exported_version_makes_a_new_draft(questionnaire, admin, login):
    client = login(admin)
    exported = client.get(_url("export", questionnaire)).content

    response = _upload(client, exported)

    new = QuestionnaireVersion.objects.exclude(pk=questionnaire.pk).get()
    assert response.status_code == 302
    assert response.url == reverse("admin:assessment_questionnaireversion_change", args=[new.pk])
    assert new.is_draft
    assert new.questionnaire == questionnaire.questionnaire
    assert new.number == 2
    original, copied = json.loads(exported), export_version(new)
    assert copied.pop("version")["number"] == 2
    original.pop("version")
    assert copied == original


def _broken(exported: dict, change) -> bytes:
    data = copy.deepcopy(exported)
    change(data)
    return json.dumps(data).encode("utf-8")


def _duplicate_item_key(d):
    d["dimensions"][1]["items"][0]["key"] = d["dimensions"][0]["items"][0]["key"]


def _scale_without_labels(d):
    d["scale"]["state"] = []


def _text_over_the_limit(d):
    d["dimensions"][0]["items"][0]["text"]["nl"] = "x" * 301


BROKEN_FILES = {
    "unknown field": (lambda d: d.update(extra=1), ["file: unknown field 'extra'"]),
    "duplicate item key": (_duplicate_item_key, ["dimensions[1].items[0].key: duplicate key"]),
    "scale without labels": (_scale_without_labels, ["scale.state: needs at least 2 entries"]),
    "text over the limit": (
        _text_over_the_limit,
        ["dimensions[0].items[0].text.nl: is 301 characters long; at most 300 allowed"],
    ),
}


@pytest.fixture
def exported(questionnaire) -> dict:
    return export_version(questionnaire)


@pytest.mark.parametrize("case", BROKEN_FILES)
def test_a_broken_file_is_refused_with_its_problem_and_nothing_written(
    exported, admin, login, case
):
    change, expected = BROKEN_FILES[case]
    before = _counts()

    response = _upload(login(admin), _broken(exported, change))

    assert response.status_code == 400
    problems = [str(problem) for problem in response.context["problems"]]
    content = response.content.decode()
    for message in expected:
        assert any(problem.startswith(message) for problem in problems), problems
        assert escape(message) in content
    assert _counts() == before


def test_every_problem_of_a_broken_file_is_listed_in_the_page(exported, admin, login):
    def everything_wrong(d):
        for change, _expected in BROKEN_FILES.values():
            change(d)

    before = _counts()

    response = _upload(login(admin), _broken(exported, everything_wrong))

    assert response.status_code == 400
    problems = [str(problem) for problem in response.context["problems"]]
    assert len(problems) >= len(BROKEN_FILES)
    listed = _section_list(response.content.decode(), "import-problems")
    assert len(listed) == len(problems)
    for _change, expected in BROKEN_FILES.values():
        for message in expected:
            assert any(problem.startswith(message) for problem in problems), problems
            assert any(escape(message) in item for item in listed)
    assert _counts() == before


def _section_list(content: str, element_id: str) -> list[str]:
    match = re.search(rf'<ul class="errorlist" id="{element_id}">(.*?)</ul>', content, re.DOTALL)
    assert match, f"no #{element_id} in the page"
    return re.findall(r"<li>(.*?)</li>", match.group(1), re.DOTALL)


@pytest.mark.parametrize(
    "content", [b"{not json", b'{"format": ', b"\xff\xfe\x00garbage"], ids=["bad", "cut", "bytes"]
)
def test_a_file_that_is_not_json_is_refused_and_nothing_written(
    questionnaire, admin, login, content
):
    before = _counts()

    response = _upload(login(admin), content)

    assert response.status_code == 400
    problems = [str(problem) for problem in response.context["problems"]]
    assert len(problems) == 1
    assert problems[0].startswith(_nl("The file is not valid JSON: %(error)s").split("%")[0])
    assert escape(problems[0]) in response.content.decode()
    assert _counts() == before


def test_importing_without_a_file_is_refused_with_a_message(questionnaire, admin, login):
    before = _counts()

    response = login(admin).post(reverse("admin:version_import"), {})

    assert response.status_code == 400
    assert [str(problem) for problem in response.context["problems"]] == [
        _nl("Choose a file to import.")
    ]
    assert escape(_nl("Choose a file to import.")) in response.content.decode()
    assert _counts() == before


UNREADABLE = {
    "nested 100,000 deep": (
        b"[" * 100_000 + b"]" * 100_000,
        "The file is nested more than %(depth)s levels deep; this format needs six.",
        "20",
    ),
    "a number of 5,000 digits": (
        b'{"format": ' + b"9" * 5000 + b"}",
        "The file has a number of %(digits)s digits; no field takes one that long.",
        "5000",
    ),
    "NaN": (
        b'{"thresholds": {"strength": NaN}}',
        "The file is not valid JSON: %(error)s",
        "NaN",
    ),
}


@pytest.mark.parametrize("case", UNREADABLE)
def test_a_file_that_cannot_be_read_is_refused_with_its_problem_and_nothing_written(
    questionnaire, admin, login, case
):
    raw, message, detail = UNREADABLE[case]
    before = _counts()

    response = _upload(login(admin), raw)

    assert response.status_code == 400
    (problem,) = [str(problem) for problem in response.context["problems"]]
    assert problem.startswith(_nl(message).split("%")[0])
    assert detail in problem
    assert _section_list(response.content.decode(), "import-problems") == [escape(problem)]
    assert _counts() == before


@pytest.mark.parametrize(
    "change",
    [
        lambda d: d["thresholds"].update(strength="NaN"),
        lambda d: d["dimensions"][0]["sources"].append({"key": "a"}),
    ],
    ids=["NaN threshold", "source reference an object"],
)
def test_a_file_with_a_value_of_an_odd_kind_is_refused_and_nothing_written(
    exported, admin, login, change
):
    before = _counts()

    response = _upload(login(admin), _broken(exported, change))

    assert response.status_code == 400
    assert response.context["problems"]
    assert _counts() == before


def test_a_version_number_too_large_for_the_database_is_refused(exported, admin, login):
    before = _counts()
    huge = _broken(exported, lambda d: d["version"].update(number=10**30))

    response = _upload(login(admin), huge)

    assert response.status_code == 400
    assert _counts() == before


# Quality


@pytest.fixture
def round(team, questionnaire, facilitator) -> Round:
    """A closed round: only the responses of rounds whose numbers may be shown count."""
    return Round.objects.create(
        team=team,
        version=questionnaire,
        title="Najaar 2026",
        created_by=facilitator,
        closed_at=timezone.now(),
    )


def test_quality_leaves_out_open_rounds_so_no_single_submission_shows(
    team, questionnaire, facilitator, admin, login
):
    still_open = Round.objects.create(
        team=team, version=questionnaire, title="Voorjaar 2027", created_by=facilitator
    )
    make_responses([(still_open, 40, TeamProfile(level=3.3))], rng=random.Random(3))

    report = login(admin).get(_url("quality", questionnaire)).context["report"]

    assert report.responses == 0
    assert all(item.stats.mean is None for d in report.dimensions for item in d.quality.items)


def test_quality_shows_no_statement_figure_on_fewer_answers_than_the_threshold(
    round, questionnaire, admin, login
):
    make_responses([(round, 4, TeamProfile(level=3.3))], rng=random.Random(5))

    report = login(admin).get(_url("quality", questionnaire)).context["report"]

    assert report.responses == 4
    for dimension in report.dimensions:
        assert dimension.quality.alpha is None  # rests on fewer than 5 complete responses
        for item in dimension.quality.items:
            if item.stats.n < 3:
                assert item.stats.mean is None
            if item.stats.n < 5:
                assert item.stats.floor_share is None and item.stats.ceiling_share is None
            assert item.item_total is None


def _basis(content: str) -> str:
    match = re.search(r'<p id="quality-basis">(.*?)</p>', content, re.DOTALL)
    assert match
    return match.group(1)


def test_quality_with_fewer_than_thirty_responses_says_they_are_too_few(
    round, questionnaire, admin, login
):
    make_responses([(round, 12, TeamProfile(level=3.3))], rng=random.Random(1))
    # Responses that were never submitted do not count.
    make_responses([(round, 25, TeamProfile(level=3.3))], rng=random.Random(2), submitted=False)

    response = login(admin).get(_url("quality", questionnaire))

    assert response.status_code == 200
    report = response.context["report"]
    assert report.responses == 12
    assert report.too_few
    content = response.content.decode()
    assert re.search(r"\b12\b", _basis(content))
    assert 'class="errornote"' in content


def test_quality_with_forty_responses_shows_an_alpha_per_dimension(
    round, questionnaire, admin, login
):
    # Everyone answers every statement: forty complete responses in every dimension.
    make_responses([(round, 40, TeamProfile(level=3.3, dont_know_rate=0))], rng=random.Random(7))

    response = login(admin).get(_url("quality", questionnaire))

    assert response.status_code == 200
    report = response.context["report"]
    assert report.responses == 40
    assert not report.too_few
    assert [d.quality.key for d in report.dimensions] == [
        d.key for d in questionnaire.ordered_dimensions()
    ]
    content = response.content.decode()
    assert re.search(r"\b40\b", _basis(content))
    assert 'class="errornote"' not in content
    with translation.override("nl"):
        for dimension in report.dimensions:
            assert dimension.quality.alpha is not None
            assert floatformat(dimension.quality.alpha, 2) in content


def test_quality_of_a_draft_without_responses_shows_no_alpha(questionnaire, admin, login):
    draft = create_draft(source=questionnaire)

    response = login(admin).get(_url("quality", draft))

    assert response.status_code == 200
    report = response.context["report"]
    assert report.responses == 0 and report.too_few
    assert all(dimension.quality.alpha is None for dimension in report.dimensions)


def _answer_table(round: Round, table: list[dict[Item, int | None]]) -> None:
    """One submitted response per row; None is "don't know"."""
    now = timezone.now()
    responses = Response.objects.bulk_create(
        [Response(round=round, last_page=99, submitted_at=now) for _ in table]
    )
    Answer.objects.bulk_create(
        Answer(response=response, item=item, state=state, dont_know=state is None)
        for response, row in zip(responses, table, strict=True)
        for item, state in row.items()
    )


def _row_of(content: str, key: str) -> str:
    rows = [row for row in content.split("<tr>") if f"<small>({key})</small>" in row]
    assert len(rows) == 1, key
    return rows[0]


def _item_quality(report, key: str):
    return next(item for d in report.dimensions for item in d.quality.items if item.key == key)


def test_quality_flags_a_random_item_and_one_with_many_dont_know(
    round, questionnaire, admin, login
):
    first, second = list(questionnaire.ordered_dimensions())[:2]
    consistent, random_item = _items(first)[:3], _items(first)[3]
    many_dk, some_dk, *others = _items(second)
    table = []
    for j in range(40):
        level = j % 5 + 1  # the respondent's view
        unrelated = (j // 5) % 5 + 1  # every level meets every value of this equally often
        row = {item: level for item in consistent} | {random_item: unrelated}
        row |= {item: level for item in others}
        row[many_dk] = None if j < 15 else level  # 37.5% don't know
        row[some_dk] = None if j < 10 else level  # 25% don't know
        table.append(row)
    _answer_table(round, table)

    response = login(admin).get(_url("quality", questionnaire))

    assert response.status_code == 200
    report = response.context["report"]
    assert report.responses == 40
    flagged = _item_quality(report, random_item.key)
    assert flagged.item_total is not None and abs(flagged.item_total) < 1e-9
    assert flagged.low_item_total
    for item in consistent:
        assert not _item_quality(report, item.key).low_item_total
    assert _item_quality(report, many_dk.key).many_dont_know
    assert not _item_quality(report, some_dk.key).many_dont_know
    assert not _item_quality(report, random_item.key).many_dont_know

    content = response.content.decode()
    low = _nl("item-total below 0.30")
    # The template doubles a percent sign in the message it looks up.
    many = escape(_nl("over 30%% don't know").replace("%%", "%"))
    assert low in _row_of(content, random_item.key)
    assert low not in _row_of(content, consistent[0].key)
    assert many in _row_of(content, many_dk.key)
    assert many not in _row_of(content, some_dk.key)


def test_quality_mirrors_a_reverse_scored_item_before_judging_it(
    round, questionnaire, admin, login
):
    reversed_item = Item.objects.get(dimension__version=questionnaire, reverse_scored=True)
    siblings = [item for item in _items(reversed_item.dimension) if item != reversed_item]
    table = []
    for j in range(40):
        level = j % 5 + 1
        # Agreeing with the reversed statement means the opposite: stored as given.
        row = {item: level for item in siblings} | {reversed_item: 6 - level}
        table.append(row)
    _answer_table(round, table)

    report = login(admin).get(_url("quality", questionnaire)).context["report"]

    item = _item_quality(report, reversed_item.key)
    assert item.item_total == pytest.approx(1.0)
    assert not item.low_item_total
    dimension = next(d for d in report.dimensions if d.quality.key == reversed_item.dimension.key)
    assert dimension.quality.alpha == pytest.approx(1.0)


# Published content cannot be deleted


def _item_delete_url(item: Item) -> str:
    return reverse("admin:assessment_item_delete", args=[item.pk])


def test_deleting_an_item_of_a_published_version_in_admin_is_refused(questionnaire, admin, login):
    item = _items(questionnaire.ordered_dimensions().first())[0]
    client = login(admin)

    assert client.get(_item_delete_url(item)).status_code == 403
    assert client.post(_item_delete_url(item), {"post": "yes"}).status_code == 403
    assert Item.objects.filter(pk=item.pk).exists()


def test_an_item_of_a_draft_without_answers_can_be_deleted_in_admin(questionnaire, admin, login):
    draft = create_draft(source=questionnaire)
    item = _items(draft.ordered_dimensions().first())[0]

    response = login(admin).post(_item_delete_url(item), {"post": "yes"})

    assert response.status_code == 302
    assert not Item.objects.filter(pk=item.pk).exists()


@pytest.fixture
def answered_item(round, questionnaire) -> Item:
    """An item of v1 with an answer; v1 then set back to draft to pass the draft-only guard."""
    item = _items(questionnaire.ordered_dimensions().first())[0]
    response = Response.objects.create(round=round, submitted_at=timezone.now())
    Answer.objects.create(response=response, item=item, state=4)
    QuestionnaireVersion.objects.filter(pk=questionnaire.pk).update(status="draft")
    return Item.objects.get(pk=item.pk)


def test_an_item_with_answers_cannot_be_deleted(answered_item):
    assert answered_item.owning_version().is_draft
    with pytest.raises(ProtectedError):
        answered_item.delete()
    assert Item.objects.filter(pk=answered_item.pk).exists()
    assert Answer.objects.filter(item=answered_item).count() == 1


def test_admin_shows_an_item_with_answers_as_protected_and_keeps_it(answered_item, admin, login):
    response = login(admin).post(_item_delete_url(answered_item), {"post": "yes"})

    assert response.status_code == 200
    assert response.context["protected"]
    assert Item.objects.filter(pk=answered_item.pk).exists()


# The whole workflow


def _dimension_form(dimension: Dimension, new_items: tuple[dict, ...] = (), **changes) -> dict:
    items = _items(dimension)
    data = {
        "version": dimension.version_id,
        "order": dimension.order,
        "key": dimension.key,
        "name_nl": dimension.name_nl,
        "name_en": dimension.name_en,
        "description_nl": dimension.description_nl,
        "description_en": dimension.description_en,
        "suggestions_nl": dimension.suggestions_nl,
        "suggestions_en": dimension.suggestions_en,
        "sources": [s.pk for s in dimension.sources.all()],
        "items-TOTAL_FORMS": len(items) + len(new_items),
        "items-INITIAL_FORMS": len(items),
        "items-MIN_NUM_FORMS": 0,
        "items-MAX_NUM_FORMS": 1000,
    }
    rows = [
        {
            "id": item.pk,
            "order": item.order,
            "key": item.key,
            "text_nl": item.text_nl,
            "text_en": item.text_en,
            "sources": [s.pk for s in item.sources.all()],
            **({"reverse_scored": "on"} if item.reverse_scored else {}),
        }
        for item in items
    ]
    for index, row in enumerate([*rows, *new_items]):
        data |= {f"items-{index}-{field}": value for field, value in row.items()}
        data[f"items-{index}-dimension"] = dimension.pk
    data.update(changes)
    return data


def test_from_draft_to_published_v2_to_a_new_round_through_the_admin(
    questionnaire, team, admin, facilitator, login
):
    client = login(admin)

    # 1. A draft of v1, with the admin action.
    response = client.post(
        reverse(CHANGELIST), {"action": "make_draft", "_selected_action": [questionnaire.pk]}
    )
    assert response.status_code == 302
    v2 = QuestionnaireVersion.objects.get(questionnaire=questionnaire.questionnaire, number=2)
    assert v2.is_draft and v2.based_on == questionnaire

    # 2. One statement reworded and one added, in the dimension's change form.
    dimension = v2.ordered_dimensions().first()
    first = _items(dimension)[0]
    sources = [s.pk for s in first.sources.all()]
    new_key = f"{dimension.key}.shared-language"
    response = client.post(
        reverse("admin:assessment_dimension_change", args=[dimension.pk]),
        _dimension_form(
            dimension,
            new_items=(
                {
                    "order": 9,
                    "key": new_key,
                    "text_nl": "We spreken dezelfde taal over kinderen.",
                    "text_en": "We speak the same language about children.",
                    "sources": sources,
                },
            ),
            **{
                "items-0-text_nl": "Wij delen één visie op ontwikkeling.",
                "items-0-text_en": "We share one view of development.",
            },
        ),
    )
    assert response.status_code == 302
    first.refresh_from_db()
    assert first.text_nl == "Wij delen één visie op ontwikkeling."
    assert first.text_en == "We share one view of development."
    added = Item.objects.get(dimension=dimension, key=new_key)
    assert [s.pk for s in added.sources.all()] == sources
    assert Item.objects.filter(dimension__version=v2).count() == (
        Item.objects.filter(dimension__version=questionnaire).count() + 1
    )
    diff = client.get(_url("changes", v2)).context["diff"]
    assert [c.key for c in diff.reworded] == [first.key]
    assert [c.key for c in diff.added] == [new_key]
    assert diff.removed == []

    # 3. Published with the admin action, once confirmed.
    publish = {"action": "publish_versions", "_selected_action": [v2.pk]}
    assert client.post(reverse(CHANGELIST), publish).status_code == 200
    assert QuestionnaireVersion.objects.get(pk=v2.pk).is_draft
    response = client.post(reverse(CHANGELIST), {**publish, "post": "yes"})
    assert response.status_code == 302
    v2.refresh_from_db()
    assert v2.status == QuestionnaireVersion.Status.PUBLISHED
    assert QuestionnaireVersion.objects.latest_published() == v2
    questionnaire.refresh_from_db()
    assert questionnaire.status == QuestionnaireVersion.Status.PUBLISHED

    # 4. A new round uses v2 unless the facilitator chooses otherwise.
    facilitator_client = login(facilitator)
    page = facilitator_client.get(reverse("round_create", args=[team.pk]))
    assert page.status_code == 200
    offered = page.context["form"]["version"].value()
    assert offered == v2.pk
    response = facilitator_client.post(
        reverse("round_create", args=[team.pk]),
        {"title": "Voorjaar 2027", "version": offered, "anonymity_threshold": "3"},
    )
    assert response.status_code == 302
    assert Round.objects.get().version == v2


def test_quality_without_responses_says_so_in_one_line_and_links_to_versions_with_data(
    round, questionnaire, admin, login
):
    make_responses([(round, 12, TeamProfile(level=3.3))], rng=random.Random(4))
    draft = create_draft(source=questionnaire)

    response = login(admin).get(_url("quality", draft))

    assert response.status_code == 200
    assert list(response.context["versions_with_data"]) == [questionnaire]
    content = response.content.decode()
    basis = _basis(content)
    no_data = "No responses to this version count yet: only closed rounds with enough responses do."
    assert escape(_nl(no_data)) in basis
    assert f'href="{_url("quality", questionnaire)}"' in basis
    assert 'id="quality-dimensions"' not in content and "–" not in content.split("</h1>")[-1]


def test_quality_without_responses_anywhere_links_to_nothing(questionnaire, admin, login):
    response = login(admin).get(_url("quality", questionnaire))

    assert response.status_code == 200
    assert list(response.context["versions_with_data"]) == []
    assert "<a " not in _basis(response.content.decode())
    assert 'id="quality-dimensions"' not in response.content.decode()


def test_a_version_whose_only_round_is_below_its_threshold_has_no_data_to_link_to(
    round, questionnaire, admin, login
):
    make_responses(
        [(round, round.anonymity_threshold - 1, TeamProfile(level=3.3))], rng=random.Random(6)
    )
    draft = create_draft(source=questionnaire)

    response = login(admin).get(_url("quality", draft))

    assert list(response.context["versions_with_data"]) == []


# Publishing asks first, and offers to retire the version it replaces


def _publish(client, *versions, follow: bool = False, **extra):
    data = {"action": "publish_versions", "_selected_action": [v.pk for v in versions], **extra}
    return client.post(reverse(CHANGELIST), data, follow=follow)


def _status(version: QuestionnaireVersion) -> str:
    return QuestionnaireVersion.objects.get(pk=version.pk).status


def test_publishing_shows_a_confirmation_page_first_and_publishes_nothing(
    questionnaire, admin, login
):
    draft = create_draft(source=questionnaire)

    response = _publish(login(admin), draft)

    assert response.status_code == 200
    content = response.content.decode()
    assert "admin/assessment/questionnaireversion/publish_confirmation.html" in [
        t.name for t in response.templates
    ]
    assert escape(str(draft)) in content
    assert _nl("A published version is immutable.") in content
    assert f'name="retire" value="{questionnaire.pk}"' in content
    assert 'name="post" value="yes"' in content
    assert _status(draft) == QuestionnaireVersion.Status.DRAFT
    assert _status(questionnaire) == QuestionnaireVersion.Status.PUBLISHED


def test_confirming_publishes_and_keeps_the_replaced_version_unless_retire_is_ticked(
    questionnaire, admin, login
):
    draft = create_draft(source=questionnaire)

    response = _publish(login(admin), draft, post="yes")

    assert response.status_code == 302
    assert _status(draft) == QuestionnaireVersion.Status.PUBLISHED
    assert _status(questionnaire) == QuestionnaireVersion.Status.PUBLISHED


def test_ticking_retire_retires_the_replaced_version_and_new_rounds_cannot_choose_it(
    questionnaire, team, admin, facilitator, login
):
    running = Round.objects.create(team=team, version=questionnaire, title="Najaar")
    draft = create_draft(source=questionnaire)

    response = _publish(login(admin), draft, post="yes", retire=[questionnaire.pk], follow=True)

    assert response.redirect_chain[-1][0] == reverse(CHANGELIST)
    assert _status(draft) == QuestionnaireVersion.Status.PUBLISHED
    assert _status(questionnaire) == QuestionnaireVersion.Status.RETIRED
    messages = [str(m) for m in response.context["messages"]]
    questionnaire.refresh_from_db()
    retired = _nl("%(version)s is retired: new rounds can no longer choose it.")
    assert retired % {"version": questionnaire} in messages
    form = login(facilitator).get(reverse("round_create", args=[team.pk])).context["form"]
    assert list(form.fields["version"].queryset) == [draft]
    running.refresh_from_db()
    assert running.version == questionnaire
    assert login(facilitator).get(running.respondent_path()).status_code == 200


def test_retire_names_only_the_version_shown_so_another_published_version_stays(
    questionnaire, admin, login
):
    draft = create_draft(source=questionnaire)
    other = create_draft(source=questionnaire)
    client = login(admin)

    # `other` was published after the page was shown: the ticked box named version 1.
    other.set_status(QuestionnaireVersion.Status.PUBLISHED)
    _publish(client, draft, post="yes", retire=[questionnaire.pk])

    assert _status(draft) == QuestionnaireVersion.Status.PUBLISHED
    assert _status(other) == QuestionnaireVersion.Status.PUBLISHED
    assert _status(questionnaire) == QuestionnaireVersion.Status.PUBLISHED


def test_retire_cannot_name_a_version_of_another_questionnaire(questionnaire, admin, login):
    draft = create_draft(source=questionnaire)
    elsewhere = Questionnaire.objects.create(key="elders", name="Elders")
    foreign = QuestionnaireVersion.objects.create(questionnaire=elsewhere, number=1)
    foreign.set_status(QuestionnaireVersion.Status.PUBLISHED)

    _publish(login(admin), draft, post="yes", retire=[foreign.pk, "x"])

    assert _status(draft) == QuestionnaireVersion.Status.PUBLISHED
    assert _status(foreign) == QuestionnaireVersion.Status.PUBLISHED
    assert _status(questionnaire) == QuestionnaireVersion.Status.PUBLISHED


def test_the_confirmation_page_lists_why_a_draft_cannot_be_published_and_offers_no_button(
    questionnaire, admin, login
):
    draft = create_draft(source=questionnaire)
    dimension = draft.ordered_dimensions().first()
    dimension.items.all().delete()

    response = _publish(login(admin), draft)

    content = response.content.decode()
    assert escape(dimension.name_nl) in content
    assert 'name="retire"' not in content
    assert 'type="submit"' not in content.split('id="publish-form"')[1]
    assert _status(draft) == QuestionnaireVersion.Status.DRAFT


def test_a_published_version_selected_for_publishing_stays_as_it_is(questionnaire, admin, login):
    response = _publish(login(admin), questionnaire, post="yes", follow=True)

    assert _status(questionnaire) == QuestionnaireVersion.Status.PUBLISHED
    messages = [str(m) for m in response.context["messages"]]
    refused = _nl("Only a draft can be published; the status of this version is “%(status)s”.")
    assert len(messages) == 1
    assert refused % {"status": questionnaire.get_status_display()} in messages[0]


def test_a_facilitator_cannot_publish_or_see_the_confirmation(questionnaire, facilitator, login):
    draft = create_draft(source=questionnaire)
    client = login(facilitator)

    for extra in ({}, {"post": "yes"}):
        response = _publish(client, draft, **extra)
        assert response.status_code == 302
        assert response["Location"].startswith(reverse("admin:login"))
    assert _status(draft) == QuestionnaireVersion.Status.DRAFT


def test_staff_without_the_change_permission_cannot_publish(questionnaire, login):
    from django.contrib.auth.models import Permission

    from teams.models import User

    viewer = User.objects.create_user(
        email="kijker@example.org", password="x-long-password-1", name="Kijker", is_staff=True
    )
    viewer.user_permissions.add(Permission.objects.get(codename="view_questionnaireversion"))
    draft = create_draft(source=questionnaire)
    client = login(viewer)

    for extra in ({}, {"post": "yes"}):
        response = _publish(client, draft, **extra)
        # Django offers the action only to those who may change versions: "no action".
        assert response.status_code == 302
        assert response["Location"] == reverse(CHANGELIST)
    assert _status(draft) == QuestionnaireVersion.Status.DRAFT
