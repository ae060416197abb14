"""The conversation questions for the team meeting: the shipped content, its installation,
the query the meeting page uses, and their admin.

The Dutch is held to the bars of the statements (test_statements_plain_language.py): a
facilitator reads a question out to the team, so it must be as plain as a statement.
"""

import copy
import json
from html import escape

import pytest
from django.urls import reverse

from assessment.models import ConversationQuestion, Dimension, Source
from assessment.questionnaire.conversation import (
    SHIPPED_CONVERSATION_QUESTIONS,
    install_conversation_questions,
    validate_conversation_questions,
)
from assessment.questionnaire.importexport import (
    SHIPPED_DIRECTORY,
    ImportProblems,
    install_shipped_questionnaire,
)
from tests.assessment.questionnaire.test_statements_plain_language import (
    MAX_WORDS,
    MIN_MEAN_EASE,
    MIN_STATEMENT_EASE,
    _jargon,
    _words,
    flesch_douma,
)


def _load(name: str) -> dict:
    return json.loads((SHIPPED_DIRECTORY / name).read_text(encoding="utf-8"))


SHIPPED = json.loads(SHIPPED_CONVERSATION_QUESTIONS.read_text(encoding="utf-8"))
V1, V2 = _load("samenspel-v1.json"), _load("samenspel-v2.json")
DIMENSION_KEYS = sorted({d["key"] for data in (V1, V2) for d in data["dimensions"]})
QUESTIONS = [
    (dimension["key"], question)
    for dimension in SHIPPED["dimensions"]
    for question in dimension["questions"]
]
IDS = [f"{key}.{question['order']}" for key, question in QUESTIONS]


def _sources_of(dimension_key: str) -> set[str]:
    """What the questionnaire files say a dimension rests on: its own and its statements'."""
    found: set[str] = set()
    for data in (V1, V2):
        for dimension in data["dimensions"]:
            if dimension["key"] == dimension_key:
                found.update(dimension["sources"])
                found.update(key for item in dimension["items"] for key in item["sources"])
    return found


# The shipped content


def test_the_file_names_exactly_the_dimensions_of_versions_1_and_2():
    assert len(DIMENSION_KEYS) == 14
    assert [d["key"] for d in SHIPPED["dimensions"]] == [d["key"] for d in V2["dimensions"]]
    assert sorted(d["key"] for d in SHIPPED["dimensions"]) == DIMENSION_KEYS


def test_the_shipped_file_is_valid_against_the_sources_of_the_questionnaire_files():
    known = {source["key"] for data in (V1, V2) for source in data["sources"]}
    assert validate_conversation_questions(SHIPPED, known) == []


@pytest.mark.parametrize(("dimension_key", "question"), QUESTIONS, ids=IDS)
def test_every_question_rests_on_a_source_of_its_own_dimension(dimension_key, question):
    assert question["sources"]
    assert set(question["sources"]) <= _sources_of(dimension_key)


@pytest.mark.parametrize(("dimension_key", "question"), QUESTIONS, ids=IDS)
def test_every_dutch_question_is_short_plain_and_readable(dimension_key, question):
    text = question["text"]["nl"]
    where = f"{dimension_key}.{question['order']}"
    assert _words(text) <= MAX_WORDS, f"{where}: {_words(text)} words"
    assert not _jargon(text), f"{where}: jargon {_jargon(text)}"
    assert flesch_douma(text) >= MIN_STATEMENT_EASE, f"{where}: {flesch_douma(text):.1f}"
    assert text.endswith("?") and text.count("?") == 1, f"{where}: one open question"


@pytest.mark.parametrize(("dimension_key", "question"), QUESTIONS, ids=IDS)
def test_every_english_question_is_one_question_too(dimension_key, question):
    text = question["text"]["en"]
    assert text.strip() and text.endswith("?") and text.count("?") == 1


def test_the_mean_reading_ease_of_the_questions_reaches_the_bar_of_the_statements():
    scores = [flesch_douma(question["text"]["nl"]) for _key, question in QUESTIONS]
    assert sum(scores) / len(scores) >= MIN_MEAN_EASE


# Installation


def test_the_questionnaire_fixture_has_two_or_three_questions_for_every_dimension_key(
    questionnaire,
):
    by_key = ConversationQuestion.objects.for_dimensions(DIMENSION_KEYS)
    assert sorted(by_key) == DIMENSION_KEYS
    for key, questions in by_key.items():
        assert 2 <= len(questions) <= 3, key
        assert [question.order for question in questions] == list(range(1, len(questions) + 1))
        for question in questions:
            assert question.text_nl.strip() and question.text_en.strip(), key
            assert question.sources.exists(), key


def test_a_fresh_install_gives_every_dimension_of_every_version_its_questions(db):
    install_shipped_questionnaire()
    keys = set(Dimension.objects.values_list("key", flat=True))
    assert keys == set(DIMENSION_KEYS)
    assert set(ConversationQuestion.objects.values_list("dimension_key", flat=True)) == keys
    assert ConversationQuestion.objects.count() == len(QUESTIONS)


def test_a_question_keeps_the_sources_of_the_file(questionnaire):
    key, entry = QUESTIONS[0]
    question = ConversationQuestion.objects.get(dimension_key=key, order=entry["order"])
    assert question.text_nl == entry["text"]["nl"] and question.text_en == entry["text"]["en"]
    assert sorted(question.sources.values_list("key", flat=True)) == entry["sources"]


def test_installing_twice_changes_nothing_and_keeps_an_admins_edit(questionnaire):
    question = ConversationQuestion.objects.get(dimension_key="proximity", order=1)
    question.text_nl = "Hoe vaak staan we samen in de groep?"
    question.save()
    question.sources.set([Source.objects.get(key="pact-2017")])
    before = list(ConversationQuestion.objects.values_list("pk", "dimension_key", "order"))

    assert install_conversation_questions() == 0
    install_shipped_questionnaire()

    assert list(ConversationQuestion.objects.values_list("pk", "dimension_key", "order")) == before
    question.refresh_from_db()
    assert question.text_nl == "Hoe vaak staan we samen in de groep?"
    assert list(question.sources.values_list("key", flat=True)) == ["pact-2017"]


def test_installing_gives_questions_only_to_dimensions_without_any(questionnaire):
    ConversationQuestion.objects.filter(dimension_key="parents", order=2).delete()
    ConversationQuestion.objects.filter(dimension_key="networks").delete()
    kept = ConversationQuestion.objects.get(dimension_key="parents", order=1)

    assert install_conversation_questions() == 3
    # The question an admin deleted stays deleted; a dimension left without any gets the
    # file's again.
    assert ConversationQuestion.objects.filter(dimension_key="parents").count() == 2
    assert ConversationQuestion.objects.get(dimension_key="parents", order=1).pk == kept.pk
    assert ConversationQuestion.objects.filter(dimension_key="networks").count() == 3


def test_an_unknown_source_key_is_refused_and_nothing_is_written(questionnaire):
    ConversationQuestion.objects.all().delete()
    data = copy.deepcopy(SHIPPED)
    data["dimensions"][1]["questions"][0]["sources"] = ["pact-2017", "nobody-2099"]

    with pytest.raises(ImportProblems) as refused:
        install_conversation_questions(data)

    assert refused.value.problems == [
        "dimensions[1].questions[0].sources[1]: unknown source 'nobody-2099'"
    ]
    assert not ConversationQuestion.objects.exists()


def test_a_file_with_broken_questions_is_refused_with_every_problem_named(questionnaire):
    data = copy.deepcopy(SHIPPED)
    first = data["dimensions"][0]["questions"]
    first[1]["order"] = first[0]["order"]
    first[2]["text"] = {"nl": "Wat vinden we?"}
    data["dimensions"][1]["questions"] = []
    data["dimensions"][2]["key"] = "Shared Vision"

    with pytest.raises(ImportProblems) as refused:
        install_conversation_questions(data)

    assert refused.value.problems == [
        "dimensions[0].questions[1].order: duplicate order 1",
        "dimensions[0].questions[2].text: missing field 'en'",
        "dimensions[1].questions: needs at least 1 entry",
        "dimensions[2].key: 'Shared Vision' is not a valid key (lowercase a-z, 0-9, '.', '-')",
    ]


def test_a_file_of_another_format_is_refused(db):
    problems = validate_conversation_questions(_load("samenspel-v2.json"), set())
    assert problems == [
        "format: this is not a samenspel-conversation-questions file of format_version 1"
    ]


# The query


def test_for_dimensions_takes_the_same_two_queries_for_one_key_or_all(
    questionnaire, django_assert_num_queries
):
    # One for the questions of every key at once, one for all their sources.
    with django_assert_num_queries(2):
        by_key = ConversationQuestion.objects.for_dimensions(DIMENSION_KEYS)
        sources = {
            s.key for questions in by_key.values() for q in questions for s in q.sources.all()
        }
    assert len(sources) > 1
    with django_assert_num_queries(2):
        ConversationQuestion.objects.for_dimensions(["shared-vision"])


def test_for_dimensions_gives_every_key_asked_for_and_no_other(questionnaire):
    by_key = ConversationQuestion.objects.for_dimensions(["parents", "not-a-dimension"])
    assert list(by_key) == ["parents", "not-a-dimension"]
    assert by_key["not-a-dimension"] == []
    assert [q.order for q in by_key["parents"]] == [1, 2, 3]


# Admin


def test_admin_lists_the_questions_and_filters_them_by_dimension_key(questionnaire, admin, login):
    url = reverse("admin:assessment_conversationquestion_changelist")
    response = login(admin).get(url, {"dimension_key": "proximity"})
    content = response.content.decode()
    assert response.status_code == 200
    for question in ConversationQuestion.objects.filter(dimension_key="proximity"):
        assert escape(question.text_nl) in content
    other = ConversationQuestion.objects.get(dimension_key="parents", order=1)
    assert escape(other.text_nl) not in content


def test_admin_finds_a_question_by_its_english_text(questionnaire, admin, login):
    question = ConversationQuestion.objects.get(dimension_key="evaluation", order=2)
    url = reverse("admin:assessment_conversationquestion_changelist")
    response = login(admin).get(url, {"q": "take over your tasks"})
    assert list(response.context["cl"].result_list) == [question]


def test_the_change_page_shows_both_languages(questionnaire, admin, login):
    question = ConversationQuestion.objects.get(dimension_key="shared-vision", order=1)
    url = reverse("admin:assessment_conversationquestion_change", args=[question.pk])
    response = login(admin).get(url)
    content = response.content.decode()
    assert response.status_code == 200
    assert escape(question.text_nl) in content and escape(question.text_en) in content


def _form(question: ConversationQuestion, **changes) -> dict:
    return {
        "dimension_key": question.dimension_key,
        "order": question.order,
        "text_nl": question.text_nl,
        "text_en": question.text_en,
        "sources": [source.pk for source in question.sources.all()],
        **changes,
    }


def test_admin_rewords_a_question_of_a_published_dimension_in_both_languages(
    questionnaire, admin, login
):
    question = ConversationQuestion.objects.get(dimension_key="shared-vision", order=1)
    url = reverse("admin:assessment_conversationquestion_change", args=[question.pk])
    source = Source.objects.get(key="pact-2017")

    response = login(admin).post(
        url,
        _form(
            question,
            text_nl="Wat betekent ons doel voor jouw werk?",
            text_en="What does our goal mean for your work?",
            sources=[source.pk],
        ),
    )

    assert response.status_code == 302
    question.refresh_from_db()
    assert (question.text_nl, question.text_en) == (
        "Wat betekent ons doel voor jouw werk?",
        "What does our goal mean for your work?",
    )
    assert list(question.sources.all()) == [source]


def test_admin_cannot_give_a_question_a_key_no_dimension_has(questionnaire, admin, login):
    question = ConversationQuestion.objects.get(dimension_key="shared-vision", order=1)
    url = reverse("admin:assessment_conversationquestion_change", args=[question.pk])

    response = login(admin).post(url, _form(question, dimension_key="shared-visoin"))

    assert response.status_code == 200
    assert "dimension_key" in response.context["adminform"].form.errors
    question.refresh_from_db()
    assert question.dimension_key == "shared-vision"


def test_admin_cannot_give_two_questions_of_a_dimension_the_same_order(questionnaire, admin, login):
    question = ConversationQuestion.objects.get(dimension_key="shared-vision", order=1)
    url = reverse("admin:assessment_conversationquestion_change", args=[question.pk])

    response = login(admin).post(url, _form(question, order=2))

    assert response.status_code == 200
    assert response.context["adminform"].form.errors
    question.refresh_from_db()
    assert question.order == 1


@pytest.mark.parametrize("page", ["changelist", "change"])
def test_a_facilitator_cannot_open_the_questions_in_admin(questionnaire, facilitator, login, page):
    question = ConversationQuestion.objects.first()
    args = [question.pk] if page == "change" else []
    response = login(facilitator).get(
        reverse(f"admin:assessment_conversationquestion_{page}", args=args)
    )
    assert response.status_code == 302
    assert response.url.startswith(reverse("admin:login"))
