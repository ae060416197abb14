"""The conversation questions that ship with Samenspel: their file, its check, installing it.

A team discusses its results in a meeting; for each dimension the facilitator has two or
three open questions to start the conversation. They ship in
assessment/questionnaires/conversation-questions.json, by dimension key, each with its
order, its text in every language and the keys of the sources it rests on.

They are not part of a questionnaire version: a published version never changes, and
these stay editable in admin. Installing only adds what is missing, so an admin's edits
are never overwritten.
"""

from typing import Any

from django.db import transaction

from assessment.models import ConversationQuestion, Source
from assessment.questionnaire.importexport import (
    SHIPPED_DIRECTORY,
    ImportProblems,
    _Checker,
    _from_texts,
    read_file,
)

FORMAT = "samenspel-conversation-questions"
FORMAT_VERSION = 1
SHIPPED_CONVERSATION_QUESTIONS = SHIPPED_DIRECTORY / "conversation-questions.json"
MAX_ORDER = 100


def validate_conversation_questions(data: Any, source_keys: set[str]) -> list[str]:
    """Every problem in a parsed conversation-questions file, given the keys of the sources
    that exist; an empty list means it can be installed."""
    check = _Checker()
    format_version = data.get("format_version") if isinstance(data, dict) else None
    if (
        not isinstance(data, dict)
        or data.get("format") != FORMAT
        or type(format_version) is not int  # not true, not 1.0
        or format_version != FORMAT_VERSION
    ):
        check.problem("format", f"this is not a {FORMAT} file of format_version {FORMAT_VERSION}")
        return check.problems
    root = check.mapping(data, "file", {"format", "format_version", "dimensions"})
    if root is None or "dimensions" not in root:
        return check.problems

    dimension_keys: set[str] = set()
    for index, dimension in enumerate(check.sequence(root["dimensions"], "dimensions")):
        where = f"dimensions[{index}]"
        if check.mapping(dimension, where, {"key", "questions"}) is None:
            continue
        check.key(dimension.get("key"), f"{where}.key", dimension_keys)
        orders: set[int] = set()
        questions = check.sequence(dimension.get("questions"), f"{where}.questions", min_length=1)
        for question_index, question in enumerate(questions):
            question_where = f"{where}.questions[{question_index}]"
            if check.mapping(question, question_where, {"order", "text", "sources"}) is None:
                continue
            order = question.get("order")
            # True == 1 in Python: an order must be a JSON whole number.
            if type(order) is not int or not 1 <= order <= MAX_ORDER:
                check.problem(
                    f"{question_where}.order", f"must be a whole number from 1 to {MAX_ORDER}"
                )
            elif order in orders:
                check.problem(f"{question_where}.order", f"duplicate order {order}")
            else:
                orders.add(order)
            check.translated(question.get("text"), f"{question_where}.text", max_length=300)
            check.source_refs(question.get("sources"), f"{question_where}.sources", source_keys)
    return check.problems


@transaction.atomic
def install_conversation_questions(data: Any = None) -> int:
    """Create the conversation questions of the file (by default the shipped one) that the
    installation lacks, and return how many it created.

    Only dimension keys without any question get the file's: running this twice changes
    nothing, a question an admin reworded keeps the admin's words, and one an admin deleted
    stays deleted (`make run` installs on every start). Raises ImportProblems, having
    written nothing, when the file has any problem, such as a source key that no source in
    the database has.
    """
    if data is None:
        data = read_file(SHIPPED_CONVERSATION_QUESTIONS.read_bytes())
    sources = {source.key: source for source in Source.objects.all()}
    problems = validate_conversation_questions(data, set(sources))
    if problems:
        raise ImportProblems(problems)

    present = set(ConversationQuestion.objects.values_list("dimension_key", flat=True))
    missing = [
        (
            ConversationQuestion(
                dimension_key=dimension["key"],
                order=entry["order"],
                **_from_texts(entry["text"], "text"),
            ),
            entry["sources"],
        )
        for dimension in data["dimensions"]
        for entry in dimension["questions"]
        if dimension["key"] not in present
    ]
    # In bulk, because every test that takes the `questionnaire` fixture installs them. Both
    # databases Samenspel runs on (PostgreSQL, SQLite 3.35+) give bulk_create's rows their ids.
    ConversationQuestion.objects.bulk_create([question for question, _keys in missing])
    Link = ConversationQuestion.sources.through
    Link.objects.bulk_create(
        Link(conversationquestion=question, source=sources[key])
        for question, keys in missing
        for key in keys
    )
    return len(missing)
