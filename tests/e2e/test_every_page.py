"""Every page of Samenspel, as the visitor who sees it, in Dutch (the default) and English
(the `django_language` cookie), on a phone (360 px) and a desktop (1280 px): zero axe
violations (checked in Dutch on the phone and in English on the desktop), nothing wider
than the screen, no console error (a Content-Security-Policy
violation is one), and the HTML as served free of Nu HTML checker (vnu) errors.

PAGES names every page, and the states of a page that render other markup (form errors, a
round with too few responses, a lockout). `test_every_url_is_crawled_or_not_a_page` keeps
it complete: a new URL pattern fails it until it is crawled here or listed in NOT_PAGES
with its reason. Of Django admin, the index and the pages we made or changed are crawled.

Each test builds only the data its page needs (World is lazy) and visits its page four
times; all problems found are reported together. The HTML as served goes to one directory,
and `test_the_served_html_is_valid`, last in this file, checks it all with one run of the
Nu HTML checker (its JVM takes seconds to start). `make test` installs the checker
(package.json); it runs on the system Java.
"""

import json
import os
import random
import shutil
import subprocess
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import timedelta
from functools import cached_property
from pathlib import Path
from typing import Any

import pytest
from django.contrib.auth.tokens import default_token_generator
from django.template import loader
from django.test import Client
from django.urls import URLPattern, URLResolver, get_resolver, resolve
from django.utils import timezone, translation
from django.utils.encoding import force_bytes
from django.utils.http import urlsafe_base64_encode

from assessment.demo import TeamProfile, make_responses
from assessment.models import Action, Answer, QuestionnaireVersion, Response, Round, Sector
from assessment.plans.services import add_action, open_round
from tests.conftest import PASSWORD
from tests.e2e.conftest import DESKTOP, PHONE, _page, assert_accessible, assert_fits

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]

ROOT = Path(__file__).resolve().parents[2]
VNU = ROOT / "node_modules" / "vnu-jar" / "build" / "dist" / "vnu.jar"
LANGUAGES = ("nl", "en")
WIDTHS = {"360": PHONE, "1280": DESKTOP}
AXE_AT = {("nl", "360"), ("en", "1280")}


class World:
    """The data behind the pages, made on first use, so a test pays only for what it visits.

    A network with two teams. The first team has a spring round (closed, with an action
    agreed after it), an autumn round (closed, that action carried into its plan, so its
    results show a trend and a plan), a round with too few responses, and an open round
    with a respondent halfway, one finished, and an invitation or three.
    """

    def __init__(self) -> None:
        self._rng = random.Random(11)

    def _user(self, email: str, name: str, **flags):
        from teams.models import User

        return User.objects.create_user(email=email, password=PASSWORD, name=name, **flags)

    @cached_property
    def questionnaire(self) -> QuestionnaireVersion:
        from assessment.questionnaire.importexport import install_shipped_questionnaire

        [version] = install_shipped_questionnaire(up_to=1)
        return version

    # People

    @cached_property
    def coordinator(self):
        return self._user("cor@example.org", "Cor Coördinator")

    @cached_property
    def facilitator(self):
        return self._user("fenna@example.org", "Fenna Facilitator")

    @cached_property
    def member(self):
        return self._user("mo@example.org", "Mo Member")

    @cached_property
    def admin(self):
        return self._user("ada@example.org", "Ada Admin", is_staff=True, is_superuser=True)

    @cached_property
    def newcomer(self):
        """Has an account, is in no team yet."""
        return self._user("nina@example.org", "Nina Nieuw")

    @cached_property
    def two_teams(self):
        """A member of both teams: the dashboard lists them."""
        from teams.models import Membership

        user = self._user("twan@example.org", "Twan Twee-teams")
        for team in (self.team, self.second_team):
            Membership.objects.create(team=team, user=user, role=Membership.Role.MEMBER)
        return user

    # Network and teams

    @cached_property
    def network(self):
        from teams.models import Network

        network = Network.objects.create(name="Gemeente Testdorp", kind=Network.Kind.MUNICIPALITY)
        network.coordinators.add(self.coordinator)
        return network

    @cached_property
    def team(self):
        from teams.models import Membership, Team

        team = Team.objects.create(
            network=self.network,
            name="IKC De Testtuin",
            description="Kinderopvang, basisschool en jeugdhulp onder één dak.",
            size=14,
        )
        Membership.objects.create(
            team=team, user=self.facilitator, role=Membership.Role.FACILITATOR
        )
        Membership.objects.create(team=team, user=self.member, role=Membership.Role.MEMBER)
        return team

    @cached_property
    def second_team(self):
        from teams.models import Team

        team = Team.objects.create(network=self.network, name="Kindcentrum De Linde", size=9)
        self._closed_round(team, "Najaar 2025", 6, level=3.6, days_ago=60)
        return team

    # Rounds

    def _closed_round(self, team, title: str, size: int, level: float, days_ago: int) -> Round:
        closed = timezone.now() - timedelta(days=days_ago)
        round = Round.objects.create(
            team=team, version=self.questionnaire, title=title, closed_at=closed
        )
        Round.objects.filter(pk=round.pk).update(created=closed - timedelta(days=20))
        profile = TeamProfile(
            level=level, divided=1.0, sectors=(Sector.CHILDCARE, Sector.SCHOOL, Sector.YOUTH_CARE)
        )
        make_responses([(round, size, profile)], rng=self._rng)
        return round

    @cached_property
    def spring(self) -> Round:
        round = self._closed_round(self.team, "Voorjaar 2026", 8, level=2.8, days_ago=200)
        dimension = self.questionnaire.ordered_dimensions().first()
        add_action(
            round=round,
            created_by=self.facilitator,
            dimension_key=dimension.key,
            topic=dimension.name_nl,
            text="Elke maand samen de signalen bespreken.",
            owner="Intern begeleider",
            due_date=timezone.localdate() + timedelta(days=30),
        )
        return round

    @cached_property
    def autumn(self) -> Round:
        """Closed, 12 responses, the spring action carried in: results with trend and plan."""
        self.spring  # noqa: B018 (made first: its action is carried into this round)
        round = open_round(
            team=self.team,
            title="Najaar 2026",
            version=self.questionnaire,
            closes_on=None,
            anonymity_threshold=3,
            created_by=self.facilitator,
        )
        profile = TeamProfile(level=3.4, divided=1.0)
        make_responses([(round, 12, profile)], rng=self._rng)
        Round.objects.filter(pk=round.pk).update(closed_at=timezone.now())
        round.refresh_from_db()
        return round

    @cached_property
    def action(self) -> Action:
        self.autumn  # noqa: B018
        return Action.objects.get(text="Elke maand samen de signalen bespreken.")

    @cached_property
    def meeting(self):
        """The team conversation on the autumn round, started by its facilitator."""
        from assessment.meetings.services import start_meeting
        from assessment.results.aggregate import round_results

        return start_meeting(
            round=self.autumn, results=round_results(self.autumn), started_by=self.facilitator
        )

    @cached_property
    def too_few(self) -> Round:
        return self._closed_round(self.team, "Te weinig", 2, level=3.0, days_ago=5)

    @cached_property
    def open(self) -> Round:
        return Round.objects.create(
            team=self.team,
            version=self.questionnaire,
            title="Voorjaar 2027",
            closes_on=timezone.localdate() + timedelta(days=14),
            created_by=self.facilitator,
        )

    @cached_property
    def closed_with_respondent(self) -> Response:
        """A respondent halfway in a round that closed meanwhile."""
        round = Round.objects.create(
            team=self.team, version=self.questionnaire, title="Gesloten", closed_at=timezone.now()
        )
        return Response.objects.create(round=round, sector=Sector.SCHOOL, last_page=2)

    @cached_property
    def halfway(self) -> Response:
        """A respondent on page 2 of the open round, the first page answered."""
        response = Response.objects.create(
            round=self.open, sector=Sector.CHILDCARE, position="staff", last_page=2
        )
        first = self.questionnaire.ordered_dimensions().first()
        Answer.objects.bulk_create(
            Answer(response=response, item=item, state=4, importance=3, wants_to_work=True)
            for item in first.items.all()
        )
        return response

    @cached_property
    def finished(self) -> Response:
        """A respondent who submitted in the open round (the autumn profile, one person)."""
        make_responses([(self.open, 1, TeamProfile(level=3.0))], rng=self._rng)
        return Response.objects.get(round=self.open, submitted_at__isnull=False)

    @cached_property
    def installation(self):
        from assessment.models import Installation

        installation, _created = Installation.objects.get_or_create(pk=1)
        return installation

    @cached_property
    def scheduled(self) -> Round:
        """A round that opens in a week."""
        return Round.objects.create(
            team=self.team,
            version=self.questionnaire,
            title="Voorjaar",
            opens_on=timezone.localdate() + timedelta(days=7),
        )

    @cached_property
    def personal_invitation(self) -> str:
        """The secret of a personal invitation to the open round: its link's last part."""
        from assessment.invitations import sealing
        from assessment.models import RoundInvitation

        secret = sealing.new_secret()
        RoundInvitation.objects.create(
            round=self.open, email="anna@example.org", secret_hash=sealing.secret_hash(secret)
        )
        return secret

    # Invitations and secret links

    def _invitation(self, email: str, **fields):
        from teams.models import Invitation, Membership

        return Invitation.objects.create(
            team=self.team,
            email=email,
            role=Membership.Role.MEMBER,
            invited_by=self.facilitator,
            **fields,
        )

    @cached_property
    def invitation_new(self):
        return self._invitation("nieuw@example.org")

    @cached_property
    def invitation_existing(self):
        return self._invitation(self.newcomer.email)

    @cached_property
    def invitation_expired(self):
        return self._invitation("laat@example.org", expires_at=timezone.now() - timedelta(days=1))

    @cached_property
    def fresh_facilitator(self):
        """The only facilitator of a team without rounds: the first-run checklist."""
        from teams.models import Membership, Team

        user = self._user("frits@example.org", "Frits Fris")
        team = Team.objects.create(network=self.network, name="Kindcentrum Het Begin", size=12)
        Membership.objects.create(team=team, user=user, role=Membership.Role.FACILITATOR)
        return user

    @cached_property
    def draft(self) -> QuestionnaireVersion:
        """Version 2, a draft from version 1 with one statement reworded."""
        from assessment.questionnaire.publishing import create_draft

        draft = create_draft(source=self.questionnaire)
        item = draft.ordered_dimensions().first().items.order_by("order").first()
        item.text_nl = "In ons team werken we vanuit één gedeelde visie."
        item.text_en = "In our team we work from one shared vision."
        item.save()
        return draft

    def reset_path(self, user) -> str:
        uid = urlsafe_base64_encode(force_bytes(user.pk))
        return f"/account/reset/{uid}/{default_token_generator.make_token(user)}/"


# How a visitor arrives at a page when opening a path is not enough: steps in the browser
# page that return the navigation's response (a form sent, a route answered by the test).
Arrive = Callable[[Any, World], Any]


@dataclass(frozen=True)
class Page:
    """A page (or a state of one) and how its visitor gets there."""

    id: str
    url_name: str | None  # the URL pattern it shows (None: an error page of its own)
    path: Callable[[World], str] | None = None
    arrive: Arrive | None = None
    visitor: str | None = None  # a World attribute: the user logged in
    cookies: Callable[[World], dict[str, str]] = field(default=lambda world: {})
    status: int = 200
    needs: tuple[str, ...] = ()  # World attributes made before the visit
    # The error pages need nothing that may have failed, so they are Dutch with the English
    # beside it (lang="en"), whatever the language cookie says.
    bilingual: bool = False
    text: dict[str, str] = field(default_factory=dict)  # per language: words in its <h1>


def _send(
    path: str | Callable[[World], str],
    fill: Callable | None = None,
    button: str = "main form [type=submit]",
) -> Arrive:
    """Open `path`, fill in its form and send it; the answer is the page to check."""

    def arrive(page, world):
        page.goto(path if isinstance(path, str) else path(world))
        if fill:
            fill(page, world)
        with page.expect_navigation() as navigation:
            page.locator(button).first.click()
        return navigation.value

    return arrive


def _wrong_password(page, world) -> None:
    page.fill("#id_username", world.facilitator.email)
    page.fill("#id_password", "not-the-password")


def _locked_out(page, world):
    """Wrong passwords until django-axes locks the account (its limit, then the lock page)."""
    arrive = _send("/account/login/", _wrong_password)
    for _attempt in range(10):
        response = arrive(page, world)
        if response.status != 200:
            return response
    raise AssertionError("no lockout after 10 wrong passwords")


def _without_csrf_cookie(page, world) -> None:
    page.context.clear_cookies(name="csrftoken")
    _wrong_password(page, world)


def _foreign_item(page, world) -> None:
    """A tampered form: an answer to a statement of another page."""
    last = world.questionnaire.ordered_dimensions().last().items.first()
    page.locator("input[name^='s-']").first.evaluate(
        "(input, name) => { input.name = name; input.checked = true; }", f"s-{last.pk}"
    )


def _error_page(template: str, status: int):
    """The 500 and 503 pages need a failing server; the test answers their route itself,
    with the template the error handler renders (in the page's language)."""

    def arrive(page, world):
        language = next(
            (c["value"] for c in page.context.cookies() if c["name"] == "django_language"), "nl"
        )
        with translation.override(language):
            html = loader.render_to_string(template)
        path = f"/__error-{status}__/"
        page.route(
            f"**{path}",
            lambda route: route.fulfill(status=status, body=html, content_type="text/html"),
            times=1,
        )
        return page.goto(path)

    return arrive


def _respondent_cookie(name: str, session: bool = False) -> Callable[[World], dict[str, str]]:
    """The round cookie that the respondent `name` (a World attribute) has in their browser;
    with `session`, also the one of the browser session in which they answered."""

    def cookies(world: World) -> dict[str, str]:
        response = getattr(world, name)
        kept = {response.round.cookie_name: response.token}
        if session:
            kept[response.round.session_cookie_name] = response.token
        return kept

    return cookies


def _publish_the_draft(page, world):
    """The action "Publish the selected drafts" on the draft: its confirmation page."""
    page.goto("/admin/assessment/questionnaireversion/")
    page.locator(f"input[name=_selected_action][value='{world.draft.pk}']").check()
    page.select_option("select[name=action]", "publish_versions")
    with page.expect_navigation() as navigation:
        page.locator("button[name=index]").click()
    return navigation.value


def _too_many_starts(page, world):
    """One browser starts new answers on the round link until it is refused."""
    for _attempt in range(10):
        page.goto(world.open.respondent_path())
        with page.expect_navigation() as navigation:
            # "Start", or "Start new" (the last button) once this browser has answers.
            page.locator("main form [type=submit]").last.click()
        if navigation.value.status == 429:
            return navigation.value
    raise AssertionError("no refusal after 10 new starts")


def _typed(code: Callable[[World], str]) -> Callable:
    def fill(page, world) -> None:
        page.fill("#id_code", code(world))

    return fill


def _too_many_codes(page, world):
    """Wrong codes from one address until the code page refuses."""
    arrive = _send("/code/", _typed(lambda w: "ZZZZ-ZZZ2"))
    for _attempt in range(20):
        response = arrive(page, world)
        if response.status == 429:
            return response
    raise AssertionError("no refusal after 20 wrong codes")


# fmt: off
PAGES = [
    # Anyone
    Page("home", "home", lambda w: "/", text={"nl": "Samen werken", "en": "Work together"}),
    Page("about", "about", lambda w: "/about/",
         text={"nl": "Over de vragenlijst", "en": "About the questionnaire"}),
    Page("privacy", "privacy", lambda w: "/privacy/",
         text={"nl": "wat Samenspel bewaart", "en": "what Samenspel stores"}),
    Page("not-found", None, lambda w: "/no-such-page/", status=404),
    Page("login", "login", lambda w: "/account/login/", text={"nl": "Inloggen", "en": "Log in"}),
    Page("login-errors", "login", arrive=_send("/account/login/"), status=200),
    Page("login-csrf-failure", None, arrive=_send("/account/login/", _without_csrf_cookie),
         status=403),
    Page("locked-out", "login", arrive=_locked_out, status=429),
    Page("password-reset", "password_reset", lambda w: "/account/password_reset/"),
    Page("password-reset-done", "password_reset_done", lambda w: "/account/password_reset/done/"),
    Page("password-reset-confirm", "password_reset_confirm", lambda w: w.reset_path(w.member)),
    Page("password-reset-confirm-invalid", "password_reset_confirm",
         lambda w: "/account/reset/MQ/not-a-token/"),
    Page("password-reset-complete", "password_reset_complete", lambda w: "/account/reset/done/"),
    Page("server-error", None, arrive=_error_page("500.html", 500), status=500, bilingual=True),
    Page("database-away", None, arrive=_error_page("503.html", 503), status=503,
         bilingual=True),
    # Logged in: accounts, teams and networks
    Page("password-change", "password_change", lambda w: "/account/password_change/",
         visitor="member"),
    Page("password-change-done", "password_change_done",
         lambda w: "/account/password_change/done/", visitor="member"),
    Page("my-teams", "dashboard", lambda w: "/start/", visitor="two_teams"),
    Page("network-list", "network_list", lambda w: "/networks/", visitor="coordinator",
         needs=("second_team",)),
    Page("network-detail", "network_detail", lambda w: f"/networks/{w.network.pk}/",
         visitor="coordinator", needs=("autumn", "second_team", "open")),
    Page("team-create", "team_create", lambda w: f"/networks/{w.network.pk}/teams/new/",
         visitor="coordinator"),
    Page("team-detail", "team_detail", lambda w: f"/teams/{w.team.pk}/", visitor="facilitator",
         needs=("autumn", "open", "invitation_new")),
    Page("team-detail-new-facilitator", "team_detail", visitor="fresh_facilitator",
         path=lambda w: f"/teams/{w.fresh_facilitator.memberships.get().team_id}/"),
    Page("team-invite-errors", "team_invite", visitor="facilitator", status=400,
         arrive=_send(lambda w: f"/teams/{w.team.pk}/",
                      lambda page, w: page.fill("#id_email", "geen-adres"),
                      "form[action$='/invite/'] [type=submit]")),
    Page("invitation-new-person", "accept_invitation",
         lambda w: w.invitation_new.get_absolute_url()),
    Page("invitation-log-in-first", "accept_invitation",
         lambda w: w.invitation_existing.get_absolute_url()),
    Page("invitation-confirm", "accept_invitation",
         lambda w: w.invitation_existing.get_absolute_url(), visitor="newcomer"),
    Page("invitation-unusable", "accept_invitation",
         lambda w: w.invitation_expired.get_absolute_url(), status=404),
    # Facilitators: rounds, results, the plan
    Page("round-create", "round_create", lambda w: f"/teams/{w.team.pk}/rounds/new/",
         visitor="facilitator", needs=("autumn",)),
    Page("round-detail", "round_detail", lambda w: f"/rounds/{w.open.pk}/",
         visitor="facilitator", needs=("finished", "halfway")),
    Page("round-detail-closed", "round_detail", lambda w: f"/rounds/{w.autumn.pk}/",
         visitor="facilitator"),
    Page("round-close", "round_close", lambda w: f"/rounds/{w.open.pk}/close/",
         visitor="facilitator", needs=("finished", "halfway")),
    Page("meeting-guide", "meeting_guide", lambda w: "/meeting-guide/",
         text={"nl": "teamoverleg", "en": "team meeting"}),
    Page("round-poster", "round_poster", lambda w: f"/rounds/{w.open.pk}/poster/",
         visitor="facilitator"),
    Page("round-delete", "round_delete", lambda w: f"/rounds/{w.autumn.pk}/delete/",
         visitor="facilitator"),
    # The full results: radar, trend, plan, sectors, answer distributions.
    Page("results", "round_results", lambda w: f"/rounds/{w.autumn.pk}/results/",
         visitor="facilitator"),
    Page("results-too-few", "round_results", lambda w: f"/rounds/{w.too_few.pk}/results/",
         visitor="facilitator"),
    Page("results-public", "results_public", lambda w: f"/r/{w.autumn.token}/results/"),
    Page("action-create", "action_create", visitor="facilitator",
         path=lambda w: f"/rounds/{w.autumn.pk}/actions/new/"
                        f"?topic=d:{w.questionnaire.ordered_dimensions()[2].key}"),
    Page("action-edit", "action_edit", lambda w: f"/actions/{w.action.pk}/",
         visitor="facilitator"),
    Page("plan-print", "round_plan", lambda w: f"/rounds/{w.autumn.pk}/plan/",
         visitor="member", text={"nl": "Actieplan na Najaar 2026",
                                 "en": "Action plan after Najaar 2026"}),
    # The team conversation: the big screen, its summary, and the phones
    Page("meeting-present", "meeting_present", lambda w: f"/meetings/{w.meeting.pk}/",
         visitor="facilitator"),
    Page("meeting-summary", "meeting_summary", lambda w: f"/meetings/{w.meeting.pk}/summary/",
         visitor="facilitator"),
    Page("meeting-join", "meeting_join", lambda w: "/m/",
         text={"nl": "Doe mee met het teamgesprek", "en": "Join the team conversation"}),
    Page("meeting-join-wrong", "meeting_join", status=404,
         arrive=_send("/m/", _typed(lambda w: "ZZZZZZ"))),
    Page("meeting-phone", "meeting_phone", lambda w: f"/m/{w.meeting.code}/"),
    # Coordinators: the heatmap, two teams ticked for the overlay.
    Page("compare", "compare_teams",
         lambda w: f"/compare/?teams={w.team.pk}&teams={w.second_team.pk}",
         visitor="coordinator", needs=("autumn",)),
    # Respondents
    Page("code", "enter_code", lambda w: "/code/",
         text={"nl": "Typ de code", "en": "Type the code"}),
    Page("code-wrong", "enter_code", status=404,
         arrive=_send("/code/", _typed(lambda w: "ZZZZ-ZZZ2"))),
    Page("code-closed", "enter_code", status=403,
         arrive=_send("/code/", _typed(lambda w: w.closed_with_respondent.round.short_code))),
    Page("code-blocked", "enter_code", arrive=_too_many_codes, status=429),
    Page("respond-start", "respond_start", lambda w: w.open.respondent_path()),
    Page("respond-background", "respond_background",
         lambda w: f"/a/{w.halfway.token}/background/"),
    Page("respond-page", "respond_page", lambda w: f"/a/{w.halfway.token}/p/1/"),
    Page("respond-foreign-answer", "respond_page", status=400,
         arrive=_send(lambda w: f"/a/{w.halfway.token}/p/2/", _foreign_item)),
    Page("respond-review", "respond_review", lambda w: f"/a/{w.halfway.token}/review/"),
    Page("respond-thanks", "respond_thanks", lambda w: f"/a/{w.finished.token}/thanks/"),
    Page("respond-already-submitted", "respond_start", lambda w: w.open.respondent_path(),
         cookies=_respondent_cookie("finished")),
    Page("respond-continue-or-new", "respond_start", lambda w: w.open.respondent_path(),
         cookies=_respondent_cookie("halfway", session=True)),
    Page("respond-continue-elsewhere", "respond_start", lambda w: w.open.respondent_path(),
         cookies=_respondent_cookie("halfway")),
    Page("respond-too-many", "respond_start", arrive=_too_many_starts, status=429),
    Page("respond-closed", "respond_start",
         lambda w: w.closed_with_respondent.round.respondent_path(), status=403),
    Page("respond-unknown-link", "respond_start", lambda w: "/r/no-such-round/", status=404),
    Page("respond-not-yet-open", "respond_start", lambda w: w.scheduled.respondent_path(),
         status=403),
    Page("invitation-start", "invitation_open", lambda w: f"/i/{w.personal_invitation}/"),
    Page("invitation-unknown", "invitation_open", lambda w: "/i/no-such-invitation/", status=404),
    # Administrators: the admin pages we made or changed.
    Page("admin-index", "admin:index", lambda w: "/admin/", visitor="admin"),
    Page("admin-installation", "admin:assessment_installation_change",
         lambda w: f"/admin/assessment/installation/{w.installation.pk}/change/", visitor="admin",
         text={"nl": "instellingen van deze installatie", "en": "installation settings"}),
    Page("admin-versions", "admin:assessment_questionnaireversion_changelist",
         lambda w: "/admin/assessment/questionnaireversion/", visitor="admin", needs=("draft",)),
    Page("admin-publish-confirmation", "admin:assessment_questionnaireversion_changelist",
         arrive=_publish_the_draft, visitor="admin", needs=("draft",)),
    Page("admin-version-published", "admin:assessment_questionnaireversion_change",
         lambda w: f"/admin/assessment/questionnaireversion/{w.questionnaire.pk}/change/",
         visitor="admin"),
    Page("admin-version-draft", "admin:assessment_questionnaireversion_change",
         lambda w: f"/admin/assessment/questionnaireversion/{w.draft.pk}/change/",
         visitor="admin"),
    Page("admin-version-preview", "admin:version_preview",
         lambda w: f"/admin/assessment/questionnaireversion/{w.draft.pk}/preview/",
         visitor="admin"),
    Page("admin-version-changes", "admin:version_changes",
         lambda w: f"/admin/assessment/questionnaireversion/{w.draft.pk}/changes/",
         visitor="admin"),
    Page("admin-version-quality", "admin:version_quality",
         lambda w: f"/admin/assessment/questionnaireversion/{w.questionnaire.pk}/quality/",
         visitor="admin", needs=("autumn",)),
    Page("admin-version-import", "admin:version_import",
         lambda w: "/admin/assessment/questionnaireversion/import/", visitor="admin"),
]
# fmt: on

# URL patterns (by name, or by route when nameless) that show no page, each with the reason.
NOT_PAGES = {
    "favicon.ico": "redirects to the SVG icon",
    "health": "JSON for load balancers",
    "logout": "POST only; redirects home",
    "set_language": "POST only; redirects back",
    "compare_csv": "CSV download",
    "round_results_csv": "CSV download",
    "round_discussed": "POST only; redirects to the round",
    "round_reopen": "POST only; redirects to the round",
    "invitation_revoke": "POST only; redirects to the team",
    "respond_resume": "redirects to the respondent's page",
    "respond_submit": "POST only; redirects to the thanks page",
    "respond_answer": "POST only, for the page's script: saves one answer (204)",
    "admin:version_export": "JSON download",
    "meeting_start": "POST only; redirects to the big screen",
    "meeting_move": "POST only; redirects to the big screen",
    "meeting_agenda": "POST only; redirects to the big screen",
    "meeting_vote": "POST only; redirects to the big screen",
    "meeting_action": "POST only; redirects to the big screen",
    "meeting_status": "POST only; redirects to the summary or the round",
    "meeting_state": "JSON the phone's script polls",
    "meeting_step": "part of the phone's page, fetched by its script (crawled in meeting-phone)",
    "meeting_cast": "POST only; the phone's vote",
    "round_invite": "POST only; redirects to the round",
    "admin:assessment_installation_changelist": "redirects to its one row (admin-installation)",
    "round_reminders": "POST only; redirects to the round",
    "round_headcount": "POST only; redirects to the round",
}


def _url_names(patterns, namespace: str = "", prefix: str = "") -> dict[str, str]:
    """Every URL pattern, by its name (or its route when nameless) → its view's module."""
    names: dict[str, str] = {}
    for pattern in patterns:
        route = prefix + str(pattern.pattern)
        if isinstance(pattern, URLResolver):
            inner = f"{namespace}{pattern.namespace}:" if pattern.namespace else namespace
            names.update(_url_names(pattern.url_patterns, inner, route))
        elif isinstance(pattern, URLPattern):
            names[namespace + (pattern.name or route)] = pattern.callback.__module__
    return names


def test_every_url_is_crawled_or_not_a_page():
    """Every named URL of ours, and every admin view of ours, is crawled or explained.

    Django admin's own model pages (list, add, change, delete, history of each model) are
    Django's, so only those admin pages are crawled that we made or changed.
    """
    ours = {
        name
        for name, module in _url_names(get_resolver().url_patterns).items()
        if not name.startswith("admin:") or not module.startswith("django.")
    }
    crawled = {page.url_name for page in PAGES if page.url_name}
    missing = ours - crawled - set(NOT_PAGES)
    assert not missing, f"pages nobody crawls; add them to PAGES or NOT_PAGES: {sorted(missing)}"
    stale = set(NOT_PAGES) - ours
    assert not stale, f"NOT_PAGES names URLs that no longer exist: {sorted(stale)}"


def _session_cookie(user) -> str:
    client = Client()
    client.force_login(user)
    return client.cookies["sessionid"].value


def _settle(page) -> None:
    """Open what the visitor can open (<details>), and wait until every chart shown is drawn.

    Of the answer distributions (one <details> per dimension, the same chart for each) the
    first is opened: drawing and checking all thirteen would double the results page's time.
    """
    page.evaluate(
        """() => {
          const first = document.querySelector("details.distribution");
          document.querySelectorAll("details").forEach(details => {
            if (!details.matches(".distribution") || details === first) details.open = true;
          });
        }"""
    )
    page.wait_for_function(
        "[...document.querySelectorAll('[data-figure]')]"
        ".every(e => e.closest('details:not([open])') || e.querySelector('svg.main-svg'))"
    )


def _url_name(page, live_server) -> str | None:
    path = page.url.removeprefix(live_server.url).split("#")[0].split("?")[0]
    match = resolve(path)
    return f"{match.namespace}:{match.url_name}" if match.namespace else match.url_name


@pytest.fixture(scope="session")
def served_html(tmp_path_factory) -> Path:
    """Where the crawl leaves the HTML as served, for the Nu HTML checker."""
    return tmp_path_factory.mktemp("served-html")


@pytest.fixture(scope="module")
def crawler(browser, live_server):
    """One browser page for the whole crawl: its cache keeps Bootstrap and plotly.js, so
    only the first visit loads them. (Cookies are set anew for every visit.)"""
    context, page = _page(browser, live_server, DESKTOP)
    yield page
    context.close()


@pytest.mark.parametrize("spec", PAGES, ids=[page.id for page in PAGES])
def test_page(spec: Page, crawler, live_server, served_html):
    """One page in both languages at both widths; every problem found is reported at once."""
    world = World()
    world.questionnaire  # noqa: B018 (every page shows or needs it)
    for need in spec.needs:
        getattr(world, need)
    cookies = spec.cookies(world)
    if spec.visitor:
        cookies["sessionid"] = _session_cookie(getattr(world, spec.visitor))
    path = spec.path(world) if spec.path else None

    page, context = crawler, crawler.context
    problems: list[str] = []
    for language in LANGUAGES:
        for width, viewport in WIDTHS.items():
            where = f"{spec.id} [{language}, {width} px]"
            page.set_viewport_size(viewport)
            context.clear_cookies()
            # Dutch is the default: it needs no cookie.
            chosen = {"django_language": language} if language != "nl" else {}
            context.add_cookies(
                [
                    {"name": name, "value": value, "url": live_server.url}
                    for name, value in {**cookies, **chosen}.items()
                ]
            )
            errors_before = len(page.js_errors)

            response = page.goto(path) if path else spec.arrive(page, world)
            assert response.status == spec.status, (
                f"{where}: status {response.status}, expected {spec.status}"
            )
            if spec.url_name:
                name = _url_name(page, live_server)
                assert name == spec.url_name, f"{where}: landed on {name}"
            expected = "nl" if spec.bilingual else language
            assert page.locator("html").get_attribute("lang") == expected, (
                f"{where}: <html lang> is not {expected}"
            )
            if spec.text:
                heading = page.locator("h1").first.inner_text()
                assert spec.text[language] in heading, f"{where}: the <h1> is {heading!r}"
            if width == "1280":
                (served_html / f"{spec.id}.{language}.html").write_bytes(response.body())

            _settle(page)
            # The page's own errors, before axe runs: axe re-reads stylesheets that
            # @import others (Django admin's forms.css) into <style> elements, which
            # the Content-Security-Policy rightly refuses, and which are not the page's.
            if len(page.js_errors) > errors_before:
                problems.append(f"{where}: console: {page.js_errors[errors_before:]}")
            # Nothing may stick out in either language at either width; axe, which takes
            # most of a visit's time, runs once per language, at the width that language's
            # readers are likeliest to use first: Dutch on the phone, English on the desktop.
            # Between them both widths and both languages are checked.
            checks = [assert_fits]
            if (language, width) in AXE_AT:
                checks.append(assert_accessible)
            for check in checks:
                try:
                    check(page)
                except AssertionError as error:
                    problems.append(f"{where}: {check.__name__}:\n{error}")
    assert not problems, "\n\n".join(problems)


def test_the_served_html_is_valid(served_html):
    """One run of the Nu HTML checker over every page the crawl saved: zero errors."""
    files = sorted(served_html.glob("*.html"))
    if not files:
        pytest.skip("no pages crawled in this run (the crawl tests were deselected)")
    java = shutil.which("java")
    if not (VNU.exists() and java):
        message = f"The Nu HTML checker needs {VNU} and java: run `make test` (npm ci)."
        if os.environ.get("CI") == "true":
            pytest.fail(message)
        pytest.skip(message)
    run = subprocess.run(
        [java, "-jar", str(VNU), "--errors-only", "--format", "json", *map(str, files)],
        capture_output=True,
        text=True,
        timeout=300,
    )
    messages = json.loads(run.stderr or run.stdout or '{"messages": []}')["messages"]
    report = [
        f"{Path(m.get('url', '')).name}:{m.get('lastLine', '?')}: {m.get('message')}"
        f"\n    {m.get('extract', '').strip()}"
        for m in messages
    ]
    assert not report, f"{len(report)} HTML errors:\n" + "\n".join(report)
    assert run.returncode == 0, run.stdout + run.stderr
