"""The short code: typed at /code/, it opens an open round's questionnaire and nothing else."""

from datetime import timedelta

import pytest
from django.db import IntegrityError
from django.urls import reverse
from django.utils import timezone

from assessment.models import Round
from assessment.models.rounds import SHORT_CODE_ALPHABET, new_short_code
from assessment.rounds import codes


@pytest.fixture
def round(team, questionnaire, facilitator):
    return Round.objects.create(
        team=team, version=questionnaire, title="Najaar 2026", created_by=facilitator
    )


def _type(client, code: str):
    return client.post(reverse("enter_code"), {"code": code})


# The code itself (pure)


def test_a_new_code_has_eight_characters_from_the_unambiguous_alphabet():
    for _ in range(200):
        code = new_short_code()
        assert len(code) == 8
        assert set(code) <= set(SHORT_CODE_ALPHABET)
    assert not set("0O1IL") & set(SHORT_CODE_ALPHABET)


@pytest.mark.parametrize(
    "typed", ["K7MX-3QPA", "k7mx3qpa", " K7MX 3QPA ", "k7mx–3qpa", "K7-MX-3Q-PA"]
)
def test_case_dashes_and_spaces_do_not_matter(typed):
    assert codes.normalise(typed) == "K7MX3QPA"
    assert codes.looks_like_a_code(codes.normalise(typed))


@pytest.mark.parametrize("typed", ["K7MX3QP", "K7MX3QPAA", "K7MX3QP0", "K7MX3QPI", ""])
def test_too_short_too_long_or_ambiguous_characters_are_no_code(typed):
    assert not codes.looks_like_a_code(codes.normalise(typed))


def test_every_round_gets_its_own_code_shown_grouped(round, team, questionnaire):
    other = Round.objects.create(team=team, version=questionnaire, title="Voorjaar 2027")

    assert round.short_code != other.short_code
    assert round.grouped_code == f"{round.short_code[:4]}-{round.short_code[4:]}"


def test_two_rounds_cannot_share_a_code(round, team, questionnaire):
    with pytest.raises(IntegrityError):
        Round.objects.create(
            team=team, version=questionnaire, title="Dubbel", short_code=round.short_code
        )


# The code page


def test_the_code_page_asks_for_the_code(client):
    response = client.get(reverse("enter_code"))

    assert response.status_code == 200
    assert "rounds/code.html" in [t.name for t in response.templates]


def test_the_right_code_opens_the_questionnaire_of_an_open_round(client, round):
    response = _type(client, round.grouped_code)

    assert response.status_code == 302
    assert response.url == reverse("respond_start", args=[round.token])


def test_the_code_is_read_without_case_or_dash(client, round):
    typed = round.short_code.lower()[:3] + " " + round.short_code.lower()[3:]

    response = _type(client, typed)

    assert response.status_code == 302
    assert response.url == round.respondent_path()


@pytest.mark.parametrize("how", ["closed by hand", "past its closing date"])
def test_the_code_of_a_closed_round_opens_nothing(client, round, how):
    if how == "closed by hand":
        round.closed_at = timezone.now()
    else:
        round.closes_on = timezone.localdate() - timedelta(days=1)
    round.save()

    response = _type(client, round.short_code)

    assert response.status_code == 403
    assert round.token not in response.content.decode()
    assert "gesloten" in response.content.decode()


@pytest.mark.parametrize("typed", ["ZZZZ-ZZZZ", "hallo", "0000-0000", "x" * 30, ""])
def test_a_wrong_code_is_a_plain_error(client, round, typed):
    if typed == "ZZZZ-ZZZZ" and round.short_code == "ZZZZZZZZ":
        pytest.skip("the round drew this code")

    response = _type(client, typed)

    assert response.status_code in (200, 404)
    assert response.context["form"].errors
    assert round.token not in response.content.decode()


def test_too_many_wrong_codes_from_one_address_block_even_the_right_one(client, round, settings):
    for _ in range(codes.WRONG_CODES_PER_ADDRESS_PER_HOUR):
        assert _type(client, "ZZZZ-ZZZ2").status_code == 404

    blocked = _type(client, round.short_code)

    assert blocked.status_code == 429
    assert int(blocked["Retry-After"]) > 0
    assert round.token not in blocked.content.decode()


def test_the_block_is_per_address(client, round):
    for _ in range(codes.WRONG_CODES_PER_ADDRESS_PER_HOUR):
        _type(client, "ZZZZ-ZZZ2")

    elsewhere = client.post(
        reverse("enter_code"), {"code": round.short_code}, REMOTE_ADDR="192.0.2.7"
    )

    assert elsewhere.status_code == 302


def test_right_codes_do_not_count_against_a_shared_network(client, round):
    for _ in range(codes.WRONG_CODES_PER_ADDRESS_PER_HOUR + 5):
        assert _type(client, round.short_code).status_code == 302


def test_the_home_page_links_to_the_code_page(client):
    assert reverse("enter_code") in client.get(reverse("home")).content.decode()
