"""Personal invitations: a facilitator pastes addresses, each colleague gets a link of their
own that resumes their own response on any device, the facilitator sees counts, never
who, and a database dump cannot pair an invitation with its response."""

import re
from io import StringIO

import pytest
from django.core import mail
from django.core.management import call_command
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from assessment.models import Response, Round, RoundInvitation
from assessment.models.outbox import OutgoingMail
from config.logs import hide_secrets

LINK = re.compile(r"/i/([A-Za-z0-9_-]+)/")


@pytest.fixture
def round(team, questionnaire, facilitator) -> Round:
    return Round.objects.create(
        team=team, version=questionnaire, title="Najaar", created_by=facilitator
    )


def _invite(client: Client, round: Round, addresses: str, **extra):
    data = {"addresses": addresses, "language": "nl", **extra}
    return client.post(reverse("round_invite", args=[round.pk]), data, follow=True)


def _secret_of(address: str) -> str:
    (sent,) = [m for m in mail.outbox if m.to == [address]]
    return LINK.search(sent.body).group(1)


def _open(client: Client, secret: str, method: str = "get"):
    return getattr(client, method)(reverse("invitation_open", args=[secret]))


def _submit(client: Client, response: Response):
    return client.post(reverse("respond_submit", args=[response.token]))


def test_a_facilitator_invites_pasted_addresses_and_hears_which_were_not_sent(
    login, facilitator, round
):
    page = _invite(
        login(facilitator), round, "anna@school.nl, bert@kdv.nl\nniet-een-adres\nanna@school.nl"
    )
    text = page.content.decode()
    assert "2 persoonlijke uitnodigingen zijn onderweg" in text
    assert "niet-een-adres" in text and "anna@school.nl" in text
    assert sorted(m.to[0] for m in mail.outbox) == ["anna@school.nl", "bert@kdv.nl"]
    assert "0 van de 2 uitgenodigden klaar" in text
    again = _invite(login(facilitator), round, "anna@school.nl").content.decode()
    assert "al uitgenodigd" in again and len(mail.outbox) == 2


def test_the_mail_is_in_the_chosen_language_with_a_link_of_its_own(login, facilitator, round):
    _invite(login(facilitator), round, "anna@school.nl", language="en")
    (sent,) = mail.outbox
    assert "Your personal invitation" in sent.subject
    secret = _secret_of("anna@school.nl")
    assert RoundInvitation.objects.get().language == "en"
    assert secret not in RoundInvitation.objects.values_list("secret_hash", flat=True)[0]


def test_the_team_members_can_be_invited_with_one_tick(login, facilitator, member, round):
    _invite(login(facilitator), round, "", members="on")
    assert [m.to for m in mail.outbox] == [[member.email]]


def test_the_link_resumes_the_same_response_on_any_device_and_submitting_completes_it(
    login, facilitator, round
):
    _invite(login(facilitator), round, "anna@school.nl, bert@kdv.nl")
    secret = _secret_of("anna@school.nl")
    phone = Client()
    assert "Start" in _open(phone, secret).content.decode()
    started = _open(phone, secret, "post")
    response = Response.objects.get()
    assert started.url == reverse("respond_background", args=[response.token])
    assert RoundInvitation.objects.get(email="anna@school.nl").state == "started"
    laptop = Client()
    assert _open(laptop, secret).url == reverse("respond_background", args=[response.token])
    assert Response.objects.count() == 1
    _submit(laptop, response)
    assert RoundInvitation.objects.get(email="anna@school.nl").state == "completed"
    assert RoundInvitation.objects.get(email="bert@kdv.nl").state == "not_started"
    reopened = _open(Client(), secret)
    assert "respond/already_submitted.html" in [t.name for t in reopened.templates]
    page = login(facilitator).get(reverse("round_detail", args=[round.pk])).content.decode()
    assert "1 van de 2 uitgenodigden klaar" in page
    assert "anna@school.nl" not in page  # counts, never who


def test_a_response_sent_without_the_invitation_cookie_completes_when_the_link_opens_again(
    login, facilitator, round
):
    _invite(login(facilitator), round, "anna@school.nl")
    secret = _secret_of("anna@school.nl")
    _open(Client(), secret, "post")
    response = Response.objects.get()
    _submit(Client(), response)  # from the personal answer link, on a browser without it
    assert RoundInvitation.objects.get().state == "started"
    _open(Client(), secret)
    assert RoundInvitation.objects.get().state == "completed"


def test_a_database_dump_cannot_pair_an_invitation_with_its_response(login, facilitator, round):
    _invite(login(facilitator), round, "anna@school.nl, bert@kdv.nl, cor@bso.nl")
    secrets = {address: _secret_of(address) for address in ("anna@school.nl", "bert@kdv.nl")}
    for secret in secrets.values():
        browser = Client()
        _open(browser, secret, "post")
    tokens = list(Response.objects.values_list("token", flat=True))
    assert len(tokens) == 2
    out = StringIO()
    call_command("dumpdata", stdout=out)  # the whole database
    dump = out.getvalue()
    for token in tokens:
        assert dump.count(token) == 1  # in its own Response row, nowhere else
    for secret in secrets.values():
        assert secret not in dump  # the mails' text was erased once sent
    for invitation in RoundInvitation.objects.all():
        fields = " ".join(str(v) for v in vars(invitation).values())
        assert not any(token in fields for token in tokens)
        # Nothing in an invitation row is a time that could be matched to a response's.
        assert not any(isinstance(v, type(timezone.now())) for v in vars(invitation).values())
    # Nor their mails: a moment of sending beside an invitation could be matched to the
    # moment a response was started.
    assert not OutgoingMail.objects.exists()
    assert '"model": "assessment.outgoingmail"' not in dump


def test_an_address_the_mail_server_refuses_is_shown_on_the_round_page(
    mail_server, login, facilitator, round
):
    mail_server.refuse.add("weg@school.nl")
    _invite(login(facilitator), round, "weg@school.nl, anna@school.nl")
    page = login(facilitator).get(reverse("round_detail", args=[round.pk])).content.decode()
    assert "weigerde deze adressen" in page and "weg@school.nl" in page
    assert len(mail_server.to("anna@school.nl")) == 1


@pytest.mark.parametrize("who", ["member", "other_facilitator"])
def test_only_those_who_manage_the_team_invite(request, login, round, who):
    client = login(request.getfixturevalue(who))
    response = client.post(
        reverse("round_invite", args=[round.pk]), {"addresses": "a@b.nl", "language": "nl"}
    )
    assert response.status_code == 404 and not RoundInvitation.objects.exists()


def test_the_networks_coordinator_manages_rounds_and_may_invite(login, coordinator, round):
    _invite(login(coordinator), round, "a@b.nl")
    assert RoundInvitation.objects.get().email == "a@b.nl"


def test_anonymous_visitors_are_sent_to_log_in(round):
    response = Client().post(reverse("round_invite", args=[round.pk]), {"addresses": "a@b.nl"})
    assert response.status_code == 302 and "/account/login/" in response.url


def test_a_closed_round_sends_no_invitations_and_its_links_say_it_closed(login, facilitator, round):
    _invite(login(facilitator), round, "anna@school.nl")
    secret = _secret_of("anna@school.nl")
    Round.objects.filter(pk=round.pk).update(closed_at=timezone.now())
    assert _open(Client(), secret).status_code == 403
    _invite(login(facilitator), round, "bert@kdv.nl")
    assert RoundInvitation.objects.count() == 1


def test_an_unknown_invitation_link_is_a_404_and_links_are_cut_from_logs(round):
    assert _open(Client(), "a" * 43).status_code == 404
    assert hide_secrets("GET /i/abcDEF123/ 200") == "GET /i/…/ 200"
