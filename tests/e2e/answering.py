"""Steps a respondent takes in the browser, shared by the phone tests of the versions that
ask importance and wanting to work on it once per dimension: tapping answers, counting the
taps, and checking that the database holds exactly what was tapped."""

from dataclasses import dataclass, field
from pathlib import Path

from playwright.sync_api import expect

from assessment.models import Answer, DimensionAnswer, Response

SHOTS = Path("/tmp/shots-respond")
TOUCH = 44  # px: the least a finger can hit reliably (WCAG 2.5.5)


@dataclass
class Taps:
    """Every tap that answered a question, in order. Kept as a list, not only as each
    question's latest answer, so that a tap too many or a question answered twice shows."""

    made: list[tuple[str, str]] = field(default_factory=list)

    @property
    def answers(self) -> dict[str, str]:
        """Each question's latest answer, by the name of its input."""
        return dict(self.made)


def shoot(page, name: str) -> None:
    SHOTS.mkdir(parents=True, exist_ok=True)
    width = page.viewport_size["width"]
    page.screenshot(path=str(SHOTS / f"{name}-{width}.png"), full_page=True)


def start(page) -> None:
    """From the start page through the two background questions to the first page of
    statements. The background questions are not part of the burden: their taps do not count."""
    page.get_by_role("button", name="Start").click()
    page.get_by_text("Basisonderwijs", exact=True).click()
    page.locator("label[for^='id_position_']").first.click()
    page.get_by_role("button", name="Volgende").click()


def tap(page, taps: Taps, name: str, value: str) -> None:
    """Tap one answer's button, after checking that a finger can hit it."""
    label = page.locator(f"label[for='{name}-{value}']")
    box = label.bounding_box()
    assert box is not None and box["height"] >= TOUCH, f"{name}-{value}: {box}"
    label.click()
    taps.made.append((name, value))


def answer_dimension(page, taps: Taps, states, importance: str, wants: str) -> None:
    """Answer the page of one dimension: each statement's state in order, then the
    dimension's importance and wanting to work on it."""
    statements = page.locator("fieldset.question:not(.topic)").all()
    assert len(statements) == len(states)
    for fieldset, state in zip(statements, states, strict=True):
        item_id = fieldset.get_attribute("data-question")
        # Only the current state is asked of a statement here.
        expect(fieldset.locator("input[name^='i-'], input[name^='w-']")).to_have_count(0)
        tap(page, taps, f"s-{item_id}", state)
    topic = page.locator("fieldset.topic")
    expect(topic.locator("legend").first).to_have_text("Over dit onderwerp")
    dimension_id = topic.get_attribute("data-question")[1:]
    tap(page, taps, f"di-{dimension_id}", importance)
    tap(page, taps, f"dw-{dimension_id}", wants)
    # Saved the moment it was tapped, before the page's button is pressed.
    expect(page.locator(f"[data-status-for='d{dimension_id}']")).to_have_text("Opgeslagen")


def row(box: dict) -> int:
    """The top of a box in whole pixels, to tell rows apart. Not round(): the respondent
    tests' `round` is a fixture."""
    return int(box["y"] + 0.5)


def assert_mark_grid(page) -> None:
    """Ten buttons in two rows of five on a phone, each a big target."""
    boxes = [page.locator(f"label[for='mark-{value}']").bounding_box() for value in range(1, 11)]
    assert all(box and box["width"] >= TOUCH and box["height"] >= TOUCH for box in boxes), boxes
    rows = sorted({row(box) for box in boxes if box})
    assert len(rows) == 2, rows
    assert [row(box) for box in boxes if box] == [rows[0]] * 5 + [rows[1]] * 5


def assert_stored_exactly(answer_set: Response, taps: Taps) -> None:
    """The submitted response holds the answers tapped, no more and no fewer: one Answer per
    statement, one DimensionAnswer per dimension, and the mark."""
    answer_set.refresh_from_db()
    assert answer_set.is_submitted
    assert answer_set.mark == int(taps.answers["mark"])
    answers = list(Answer.objects.filter(response=answer_set))
    states = {}
    for answer in answers:
        assert (answer.importance, answer.wants_to_work) == (None, None)
        if answer.not_applicable:
            states[f"s-{answer.item_id}"] = "na"
        elif answer.dont_know:
            states[f"s-{answer.item_id}"] = "dk"
        else:
            states[f"s-{answer.item_id}"] = str(answer.state)
    rows = list(DimensionAnswer.objects.filter(response=answer_set))
    topics = {}
    for dimension_answer in rows:
        topics[f"di-{dimension_answer.dimension_id}"] = str(dimension_answer.importance)
        topics[f"dw-{dimension_answer.dimension_id}"] = (
            "yes" if dimension_answer.wants_to_work else "no"
        )
    # A second row for the same statement or dimension would vanish in the dictionaries.
    assert (len(answers), len(rows)) == (len(states), len(topics) // 2)
    assert states | topics | {"mark": str(answer_set.mark)} == taps.answers
