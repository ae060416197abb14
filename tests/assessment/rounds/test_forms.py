"""Opening a round: the facilitator chooses the full questionnaire or the short form, and
sees what each asks of a respondent."""

import re

import pytest
from django.urls import reverse
from django.utils import translation

from assessment.models import Item, QuestionnaireVersion, Round
from assessment.questionnaire.publishing import create_draft
from assessment.rounds.forms import RoundForm, version_choice_label


@pytest.fixture
def short_form(questionnaire_v2):
    """Version 3: the short form of version 2, one statement per dimension, published last."""
    draft = create_draft(source=questionnaire_v2)
    QuestionnaireVersion.objects.filter(pk=draft.pk).update(
        form=QuestionnaireVersion.Form.SHORT,
        importance_asked_per=QuestionnaireVersion.AskedPer.DIMENSION,
        separate_not_applicable=True,
        asks_mark=True,
    )
    Item.objects.filter(dimension__version=draft).exclude(order=1).delete()
    draft.refresh_from_db()
    draft.set_status(QuestionnaireVersion.Status.PUBLISHED)
    return draft


def _choices(form: RoundForm) -> list[tuple[int, str]]:
    # The radio buttons as drawn: each one's value and label.
    return [(int(str(radio.data["value"])), radio.data["label"]) for radio in form["version"]]


def test_each_published_version_is_a_choice_with_its_statements_and_minutes(
    questionnaire, questionnaire_v2, short_form
):
    with translation.override("en"):
        choices = _choices(RoundForm())

    assert choices == [
        (questionnaire_v2.pk, "Full questionnaire (version 2): 7 statements, less than 5 minutes"),
        (questionnaire.pk, "Full questionnaire (version 1): 54 statements, about 12 minutes"),
        (short_form.pk, "Short form (version 3): 3 statements, less than 5 minutes"),
    ]


def test_the_choice_reads_in_dutch_as_a_facilitator_reads_it(questionnaire):
    with translation.override("nl"):
        label = version_choice_label(questionnaire)

    assert label == "Volledige vragenlijst (versie 1): 54 stellingen, ongeveer 12 minuten"


def test_the_latest_full_questionnaire_is_chosen_even_when_a_short_form_came_later(
    questionnaire_v2, short_form
):
    form = RoundForm()

    assert form["version"].value() == questionnaire_v2.pk


def test_the_choice_is_a_set_of_radio_buttons_not_a_menu(login, facilitator, team, short_form):
    page = login(facilitator).get(reverse("round_create", args=[team.pk])).content.decode()

    assert len(re.findall(r'<input type="radio"[^>]*name="version"', page)) == 3
    assert "<select" not in page
    assert "Korte vragenlijst (versie 3)" in page
    assert "Volledige vragenlijst (versie 2)" in page


def test_a_facilitator_opens_a_pulse_round_on_the_short_form(login, facilitator, team, short_form):
    data = {"title": "Pulse voorjaar", "version": short_form.pk, "anonymity_threshold": "3"}

    response = login(facilitator).post(reverse("round_create", args=[team.pk]), data)

    assert response.status_code == 302
    assert Round.objects.get(team=team).version == short_form


def test_a_retired_or_draft_version_is_no_choice(questionnaire, questionnaire_v2):
    draft = create_draft(source=questionnaire_v2)
    questionnaire.set_status(QuestionnaireVersion.Status.RETIRED)

    offered = {value for value, _label in _choices(RoundForm())}

    assert offered == {questionnaire_v2.pk}
    assert draft.pk not in offered
