"""A respondent fills in the shipped full version 2 on a phone, tapping every answer: 58
statements in 14 dimensions, importance and wanting to work on it per dimension, and the
report mark. The taps are counted against the version's burden, and the database must hold
exactly what was tapped."""

from itertools import cycle

import pytest
from playwright.sync_api import expect

from assessment.models import QuestionnaireVersion, Response, Round
from assessment.questionnaire.importexport import install_shipped_questionnaire
from assessment.questionnaire.structure import structure
from tests.e2e.answering import (
    Taps,
    answer_dimension,
    assert_mark_grid,
    assert_stored_exactly,
    shoot,
    start,
    tap,
)
from tests.e2e.conftest import assert_accessible, assert_fits

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]

BURDEN = 87  # the most answers version 2 asks: 58 statements, 2 * 14 per dimension, 1 mark
# Every state in turn, "don't know" and "not applicable" among them, so that each kind of
# answer is stored at least a few times.
STATES = ["4", "5", "dk", "3", "2", "na", "1"]
MARK = "7"


@pytest.fixture
def version_2(db) -> QuestionnaireVersion:
    """The full version 2 as it ships, found by its burden as the shipped-versions tests do."""
    [version] = [v for v in install_shipped_questionnaire() if structure(v).answer_count == BURDEN]
    assert version.number == 2 and version.form == QuestionnaireVersion.Form.FULL
    return version


@pytest.fixture
def round(version_2, team, facilitator):
    return Round.objects.create(
        team=team, version=version_2, title="Voorjaar 2027", created_by=facilitator
    )


def test_a_respondent_taps_every_answer_of_the_shipped_version_2_on_a_phone(phone, round):
    shape = structure(round.version)
    assert phone.viewport_size["width"] == 360
    taps = Taps()
    states = cycle(STATES)
    # No colour fading on a tapped button, nor smooth scrolling: the screenshots see the
    # page as it settles, not halfway.
    phone.emulate_media(reduced_motion="reduce")
    phone.goto(round.respondent_path())
    expect(phone.get_by_text("Het duurt ongeveer 9 minuten.")).to_be_visible()
    start(phone)

    pages = len(shape.dimensions) + 1  # the mark has a page of its own
    longest = max(shape.dimensions, key=lambda d: len(shape.items[d.pk]))
    for number, dimension in enumerate(shape.dimensions, start=1):
        expect(phone.get_by_role("heading", level=1)).to_have_text(dimension.name_nl)
        expect(phone.get_by_text(f"Deel {number} van {pages}", exact=True)).to_be_visible()
        page_states = [next(states) for _ in shape.items[dimension.pk]]
        importance = str(1 + number % shape.importance_max)
        wants = "yes" if number % 2 else "no"
        answer_dimension(phone, taps, page_states, importance, wants)
        # Every page at phone width, each with its own wording: nothing may stick out.
        assert_fits(phone)
        if number == 1:
            assert_accessible(phone)
            shoot(phone, "shipped-v2-first-dimension")
        if dimension == longest:
            shoot(phone, "shipped-v2-longest-dimension")
        phone.get_by_role("button", name="Opslaan en verder").click()

    expect(phone.get_by_role("heading", level=1)).to_have_text("Jouw rapportcijfer")
    expect(phone.get_by_text(f"Deel {pages} van {pages}", exact=True)).to_be_visible()
    assert_mark_grid(phone)
    tap(phone, taps, "mark", MARK)
    assert_fits(phone)
    shoot(phone, "shipped-v2-mark")
    phone.get_by_role("button", name="Opslaan en bekijken").click()

    expect(phone.get_by_role("heading", level=1)).to_have_text("Controleren en versturen")
    expect(phone.get_by_text(f"Jouw rapportcijfer voor de samenwerking: {MARK}.")).to_be_visible()
    expect(phone.get_by_text("Je hebt alle stellingen beantwoord. Bedankt!")).to_be_visible()
    assert_fits(phone)
    shoot(phone, "shipped-v2-review")
    phone.get_by_role("button", name="Mijn antwoorden versturen").click()
    expect(phone.get_by_role("heading", level=1)).to_have_text("Bedankt!")

    # One tap per question, none twice, and as many as the version asks at most.
    assert len(taps.made) == len(taps.answers) == shape.answer_count == BURDEN
    given = [value for name, value in taps.made if name.startswith("s-")]
    assert len(given) == len(shape.all_items) == 58
    assert given.count("dk") >= 5 and given.count("na") >= 5
    assert_stored_exactly(Response.objects.get(round=round), taps)
