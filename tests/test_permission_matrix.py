"""Who may open what: every page of Samenspel against every kind of visitor.

The pages come from the URL configuration, so a page added without a row in GET below
fails `test_every_url_is_in_the_matrix`. Whoever may not see a thing gets a 404, the
answer an id that does not exist gets, so nothing tells that it exists; a visitor who
is not logged in is sent to the login page first.

Every URL is filled in with the objects of `team` (its network, its round, an action,
an invitation, the respondent's own secret link). The visitors are the cast of
conftest.py, plus two browsers that started answering: one on this round's link, one on
the round of `other_team`.

The data is made once for the module, inside a transaction that is rolled back at its
end: installing the questionnaire for each of the ~850 tests would take minutes. Each
test runs in a savepoint of its own, so what one POST changes is gone for the next.
"""

from collections.abc import Callable, Iterator
from dataclasses import dataclass
from functools import cache
from types import SimpleNamespace

import pytest
from django.db import transaction
from django.test import Client, override_settings
from django.urls import NoReverseMatch, URLResolver, get_resolver, reverse
from django.urls.converters import IntConverter

from tests.conftest import PASSWORD

LOGIN = "login"  # 302 to the login page
ADMIN = "admin login"  # 302 to the admin's login page
# Other numbers are the status code; 302 is a redirect to anywhere but a login page.

VISITORS = (
    "anonymous",
    "respondent",  # started answering on this round's link: holds its cookie
    "other_respondent",  # started answering on the round of another team
    "member",
    "facilitator",
    "other_facilitator",
    "coordinator",
    "other_coordinator",
    "admin",
)
LOGGED_IN = VISITORS[3:]


def row(*outcomes) -> dict[str, int | str]:
    """One line of the table: the outcome for each visitor, in the order of VISITORS."""
    assert len(outcomes) == len(VISITORS), outcomes
    return dict(zip(VISITORS, outcomes, strict=True))


# fmt: off
GET = {
    #                          anon.  resp.  o.resp member fac.   o.fac. coord. o.coord admin
    "favicon.ico":         row(301,   301,   301,   301,   301,   301,   301,   301,   301),
    "health":              row(200,   200,   200,   200,   200,   200,   200,   200,   200),
    "home":                row(200,   200,   200,   200,   200,   200,   200,   200,   200),
    "about":               row(200,   200,   200,   200,   200,   200,   200,   200,   200),
    "privacy":             row(200,   200,   200,   200,   200,   200,   200,   200,   200),
    "meeting_guide":       row(200,   200,   200,   200,   200,   200,   200,   200,   200),
    "enter_code":          row(200,   200,   200,   200,   200,   200,   200,   200,   200),
    # Coordinators (their own networks; no id in the URL)
    "dashboard":           row(LOGIN, LOGIN, LOGIN, 302,   302,   302,   302,   302,   302),
    "network_list":        row(LOGIN, LOGIN, LOGIN, 404,   404,   404,   200,   200,   200),
    "compare_teams":       row(LOGIN, LOGIN, LOGIN, 404,   404,   404,   200,   200,   200),
    "compare_csv":         row(LOGIN, LOGIN, LOGIN, 404,   404,   404,   200,   200,   200),
    # The network of `team`
    "network_detail":      row(LOGIN, LOGIN, LOGIN, 404,   404,   404,   200,   404,   200),
    "team_create":         row(LOGIN, LOGIN, LOGIN, 404,   404,   404,   200,   404,   200),
    # `team`
    "team_detail":         row(LOGIN, LOGIN, LOGIN, 200,   200,   404,   200,   404,   200),
    "team_invite":         row(LOGIN, LOGIN, LOGIN, 405,   405,   405,   405,   405,   405),
    "invitation_revoke":   row(LOGIN, LOGIN, LOGIN, 405,   405,   405,   405,   405,   405),
    "accept_invitation":   row(200,   200,   200,   200,   200,   200,   200,   200,   200),
    "round_create":        row(LOGIN, LOGIN, LOGIN, 404,   200,   404,   200,   404,   200),
    # The round of `team`
    "round_detail":        row(LOGIN, LOGIN, LOGIN, 404,   200,   404,   200,   404,   200),
    "round_poster":        row(LOGIN, LOGIN, LOGIN, 404,   200,   404,   200,   404,   200),
    "round_invite":        row(LOGIN, LOGIN, LOGIN, 405,   405,   405,   405,   405,   405),
    "round_reminders":     row(LOGIN, LOGIN, LOGIN, 405,   405,   405,   405,   405,   405),
    "round_headcount":     row(LOGIN, LOGIN, LOGIN, 405,   405,   405,   405,   405,   405),
    # Closing asks first: GET is the confirmation page, for those who may close the round
    "round_close":         row(LOGIN, LOGIN, LOGIN, 404,   200,   404,   200,   404,   200),
    "round_discussed":     row(LOGIN, LOGIN, LOGIN, 405,   405,   405,   405,   405,   405),
    "round_plan":          row(LOGIN, LOGIN, LOGIN, 200,   200,   404,   200,   404,   200),
    "round_reopen":        row(LOGIN, LOGIN, LOGIN, 405,   405,   405,   405,   405,   405),
    "round_delete":        row(LOGIN, LOGIN, LOGIN, 404,   200,   404,   200,   404,   200),
    "round_results":       row(LOGIN, LOGIN, LOGIN, 200,   200,   404,   200,   404,   200),
    "round_results_csv":   row(LOGIN, LOGIN, LOGIN, 200,   200,   404,   200,   404,   200),
    "action_create":       row(LOGIN, LOGIN, LOGIN, 404,   200,   404,   404,   404,   200),
    "action_edit":         row(LOGIN, LOGIN, LOGIN, 404,   200,   404,   404,   404,   200),
    # The round's link and the respondent's secret link: whoever holds the link gets in
    "respond_start":       row(200,   200,   200,   200,   200,   200,   200,   200,   200),
    # A personal invitation's link: whoever holds it gets in (and only to its own response)
    "invitation_open":     row(200,   200,   200,   200,   200,   200,   200,   200,   200),
    "results_public":      row(200,   200,   200,   200,   200,   200,   200,   200,   200),
    "respond_resume":      row(302,   302,   302,   302,   302,   302,   302,   302,   302),
    "respond_background":  row(200,   200,   200,   200,   200,   200,   200,   200,   200),
    "respond_page":        row(200,   200,   200,   200,   200,   200,   200,   200,   200),
    "respond_review":      row(200,   200,   200,   200,   200,   200,   200,   200,   200),
    "respond_submit":      row(405,   405,   405,   405,   405,   405,   405,   405,   405),
    "respond_answer":      row(405,   405,   405,   405,   405,   405,   405,   405,   405),
    "respond_thanks":      row(302,   302,   302,   302,   302,   302,   302,   302,   302),
    # The team conversation of the round: its facilitators present, by its code anyone follows
    "meeting_start":       row(LOGIN, LOGIN, LOGIN, 405,   405,   405,   405,   405,   405),
    "meeting_present":     row(LOGIN, LOGIN, LOGIN, 404,   200,   404,   404,   404,   200),
    "meeting_move":        row(LOGIN, LOGIN, LOGIN, 405,   405,   405,   405,   405,   405),
    "meeting_agenda":      row(LOGIN, LOGIN, LOGIN, 405,   405,   405,   405,   405,   405),
    "meeting_vote":        row(LOGIN, LOGIN, LOGIN, 405,   405,   405,   405,   405,   405),
    "meeting_action":      row(LOGIN, LOGIN, LOGIN, 405,   405,   405,   405,   405,   405),
    "meeting_status":      row(LOGIN, LOGIN, LOGIN, 405,   405,   405,   405,   405,   405),
    "meeting_summary":     row(LOGIN, LOGIN, LOGIN, 404,   200,   404,   404,   404,   200),
    "meeting_join":        row(200,   200,   200,   200,   200,   200,   200,   200,   200),
    "meeting_phone":       row(200,   200,   200,   200,   200,   200,   200,   200,   200),
    # What the phone's script polls answers only with the key the phone page hands out
    "meeting_state":       row(404,   404,   404,   404,   404,   404,   404,   404,   404),
    "meeting_step":        row(404,   404,   404,   404,   404,   404,   404,   404,   404),
    "meeting_cast":        row(405,   405,   405,   405,   405,   405,   405,   405,   405),
    # Our own views in Django admin: staff only
    "admin:version_preview": row(ADMIN, ADMIN, ADMIN, ADMIN, ADMIN, ADMIN, ADMIN, ADMIN, 200),
    "admin:version_changes": row(ADMIN, ADMIN, ADMIN, ADMIN, ADMIN, ADMIN, ADMIN, ADMIN, 200),
    "admin:version_export":  row(ADMIN, ADMIN, ADMIN, ADMIN, ADMIN, ADMIN, ADMIN, ADMIN, 200),
    "admin:version_quality": row(ADMIN, ADMIN, ADMIN, ADMIN, ADMIN, ADMIN, ADMIN, ADMIN, 200),
    "admin:version_import":  row(ADMIN, ADMIN, ADMIN, ADMIN, ADMIN, ADMIN, ADMIN, ADMIN, 200),
    # The site's settings: the list is the one row's page
    "admin:assessment_installation_changelist":
                           row(ADMIN, ADMIN, ADMIN, ADMIN, ADMIN, ADMIN, ADMIN, ADMIN, 302),
}

# Every view that changes something, posted an empty form (or POST_DATA below): who gets
# in sees the form again (200 or 400) or is sent on (302); nobody else gets anywhere.
POST = {
    #                          anon.  resp.  o.resp member fac.   o.fac. coord. o.coord admin
    "team_create":         row(LOGIN, LOGIN, LOGIN, 404,   404,   404,   200,   404,   200),
    "team_invite":         row(LOGIN, LOGIN, LOGIN, 404,   400,   404,   400,   404,   400),
    "invitation_revoke":   row(LOGIN, LOGIN, LOGIN, 404,   302,   404,   302,   404,   302),
    "accept_invitation":   row(200,   200,   200,   200,   200,   200,   200,   200,   200),
    "round_create":        row(LOGIN, LOGIN, LOGIN, 404,   200,   404,   200,   404,   200),
    "round_close":         row(LOGIN, LOGIN, LOGIN, 404,   302,   404,   302,   404,   302),
    "round_invite":        row(LOGIN, LOGIN, LOGIN, 404,   302,   404,   302,   404,   302),
    "round_reminders":     row(LOGIN, LOGIN, LOGIN, 404,   302,   404,   302,   404,   302),
    "round_headcount":     row(LOGIN, LOGIN, LOGIN, 404,   302,   404,   302,   404,   302),
    "invitation_open":     row(302,   302,   302,   302,   302,   302,   302,   302,   302),
    "round_reopen":        row(LOGIN, LOGIN, LOGIN, 404,   302,   404,   302,   404,   302),
    # `round` is open: only a closed round's results can have been discussed
    "round_discussed":     row(LOGIN, LOGIN, LOGIN, 404,   404,   404,   404,   404,   404),
    "round_delete":        row(LOGIN, LOGIN, LOGIN, 404,   302,   404,   302,   404,   302),
    "action_create":       row(LOGIN, LOGIN, LOGIN, 404,   400,   404,   404,   404,   400),
    "action_edit":         row(LOGIN, LOGIN, LOGIN, 404,   400,   404,   404,   404,   400),
    # A browser with unsent answers is asked first: continue them, or start new?
    "respond_start":       row(302,   200,   302,   302,   302,   302,   302,   302,   302),
    "respond_background":  row(400,   400,   400,   400,   400,   400,   400,   400,   400),
    "respond_page":        row(302,   302,   302,   302,   302,   302,   302,   302,   302),
    "respond_submit":      row(302,   302,   302,   302,   302,   302,   302,   302,   302),
    # One answer saved on tap: an empty post names no statement
    "respond_answer":      row(400,   400,   400,   400,   400,   400,   400,   400,   400),
    # `round` is open: a conversation needs results, so starting one goes back to the round
    "meeting_start":       row(LOGIN, LOGIN, LOGIN, 404,   302,   404,   404,   404,   302),
    "meeting_move":        row(LOGIN, LOGIN, LOGIN, 404,   302,   404,   404,   404,   302),
    # An empty post names no step, no vote, no action, no status
    "meeting_agenda":      row(LOGIN, LOGIN, LOGIN, 404,   404,   404,   404,   404,   404),
    "meeting_vote":        row(LOGIN, LOGIN, LOGIN, 404,   404,   404,   404,   404,   404),
    "meeting_action":      row(LOGIN, LOGIN, LOGIN, 404,   404,   404,   404,   404,   404),
    "meeting_status":      row(LOGIN, LOGIN, LOGIN, 404,   404,   404,   404,   404,   404),
    "meeting_join":        row(200,   200,   200,   200,   200,   200,   200,   200,   200),
    # Only a phone that joined with the code votes: none of these did
    "meeting_cast":        row(403,   403,   403,   403,   403,   403,   403,   403,   403),
    "admin:version_changes": row(ADMIN, ADMIN, ADMIN, ADMIN, ADMIN, ADMIN, ADMIN, ADMIN, 403),
    "admin:version_import":  row(ADMIN, ADMIN, ADMIN, ADMIN, ADMIN, ADMIN, ADMIN, ADMIN, 400),
    # Django's user list, with our action "Export personal data" (a JSON file)
    "admin:teams_user_changelist":
                           row(ADMIN, ADMIN, ADMIN, ADMIN, ADMIN, ADMIN, ADMIN, ADMIN, 200),
}
# fmt: on

# What the matrix leaves out, by where it starts: Django's own views there. Our own views
# under these paths (such as the questionnaire tools in admin) are in the matrix.
SKIPPED = {
    "admin/": "Django's own admin pages: its admin site lets only staff in",
    "account/": "django.contrib.auth's login, logout and password pages, the same for all",
    "i18n/": "Django's language switch (set_language), the same for all",
}
OUR_APPS = ("assessment", "config", "teams")

# Bugs found: the test keeps the right answer and expects to fail until they are fixed.
BUGS: dict[tuple[str, str, str], str] = {}


# The URL configuration


@dataclass(frozen=True)
class Url:
    name: str | None  # with its namespace: "admin:version_preview"
    route: str
    params: dict[str, bool]  # each parameter: is it a number?
    view: Callable

    @property
    def key(self) -> str:
        """What the matrix calls it: its name, or its route when it has none."""
        return self.name or self.route


def _walk(patterns, prefix: str = "", namespace: str = "", params=None) -> Iterator[Url]:
    for entry in patterns:
        route = prefix + str(entry.pattern)
        converters = getattr(entry.pattern, "converters", {})
        found = dict(params or {}) | {
            param: isinstance(converters.get(param), IntConverter)
            for param in entry.pattern.regex.groupindex
        }
        if isinstance(entry, URLResolver):
            inner = ":".join(part for part in (namespace, entry.namespace) if part)
            yield from _walk(entry.url_patterns, route, inner, found)
        else:
            name = f"{namespace}:{entry.name}" if namespace and entry.name else entry.name
            yield Url(name, route, found, entry.callback)


def _is_ours(url: Url) -> bool:
    return getattr(url.view, "__module__", "").split(".")[0] in OUR_APPS


def _skipped_because(url: Url) -> str | None:
    if _is_ours(url):
        return None
    return next((why for start, why in SKIPPED.items() if url.route.startswith(start)), None)


@cache
def _urls() -> dict[str, Url]:
    """Every URL of the app, by key, the skipped ones too."""
    return {url.key: url for url in _walk(get_resolver().url_patterns)}


def _cases(method: str, table: dict) -> list:
    cases = []
    for name, outcomes in table.items():
        for visitor, expected in outcomes.items():
            marks = ()
            if bug := BUGS.get((method, name, visitor)):
                marks = pytest.mark.xfail(strict=True, reason=bug)
            cases.append(
                pytest.param(
                    method, name, visitor, expected, marks=marks, id=f"{method} {name} as {visitor}"
                )
            )
    return cases


# The data


@pytest.fixture(scope="module")
def world(django_db_setup, django_db_blocker):
    """The cast of conftest.py, a round, an action and an invitation for each team, and a
    respondent on each round. Made once: see the top of this file."""
    with django_db_blocker.unblock():
        outer = transaction.atomic()
        outer.__enter__()
    try:
        fast = override_settings(PASSWORD_HASHERS=["django.contrib.auth.hashers.MD5PasswordHasher"])
        with django_db_blocker.unblock(), fast:
            made = _make_world()
        yield made
    finally:
        with django_db_blocker.unblock():
            transaction.set_rollback(True)
            outer.__exit__(None, None, None)


def _make_world() -> SimpleNamespace:
    """The same people, networks and teams as the fixtures of conftest.py make."""
    from assessment.models import Meeting, Response
    from assessment.plans.services import add_action, open_round
    from assessment.questionnaire.importexport import install_shipped_questionnaire
    from teams.models import Invitation, Membership, Network, Team, User

    def user(email: str, name: str, **flags) -> User:
        return User.objects.create_user(email=email, password=PASSWORD, name=name, **flags)

    w = SimpleNamespace()
    installed = install_shipped_questionnaire(up_to=1)
    assert installed, "the questionnaire was there already: the data leaked from elsewhere"
    [w.questionnaire] = installed
    w.facilitator = user("fenna@example.org", "Fenna Facilitator")
    w.member = user("mo@example.org", "Mo Member")
    w.coordinator = user("cor@example.org", "Cor Coordinator")
    w.other_facilitator = user("otto@example.org", "Otto Other")
    w.other_coordinator = user("olga@example.org", "Olga Other-Coordinator")
    w.admin = user("ada@example.org", "Ada Admin", is_staff=True, is_superuser=True)

    w.network = Network.objects.create(name="Gemeente Testdorp", kind=Network.Kind.MUNICIPALITY)
    w.network.coordinators.add(w.coordinator)
    w.other_network = Network.objects.create(
        name="Stichting Elders", kind=Network.Kind.SCHOOL_BOARD
    )
    w.other_network.coordinators.add(w.other_coordinator)
    w.team = Team.objects.create(network=w.network, name="IKC De Testtuin")
    Membership.objects.create(team=w.team, user=w.facilitator, role=Membership.Role.FACILITATOR)
    Membership.objects.create(team=w.team, user=w.member, role=Membership.Role.MEMBER)
    w.other_team = Team.objects.create(network=w.other_network, name="Kindcentrum Elders")
    Membership.objects.create(
        team=w.other_team, user=w.other_facilitator, role=Membership.Role.FACILITATOR
    )

    for prefix, team, facilitator in [
        ("", w.team, w.facilitator),
        ("other_", w.other_team, w.other_facilitator),
    ]:
        made = open_round(
            team=team,
            title="Najaar 2026",
            version=w.questionnaire,
            closes_on=None,
            anonymity_threshold=3,
            created_by=facilitator,
        )
        setattr(w, f"{prefix}round", made)
        setattr(
            w,
            f"{prefix}action",
            add_action(
                round=made,
                created_by=facilitator,
                text="Elke maand een overleg",
                dimension_key="roles-and-mandate",
            ),
        )
        setattr(
            w,
            f"{prefix}meeting",
            Meeting.objects.create(round=made, agenda=["overview", "vote", "agree", "close"]),
        )
        setattr(
            w,
            f"{prefix}invitation",
            Invitation.objects.create(
                team=team,
                email=f"{prefix}nieuw@example.org",
                role=Membership.Role.MEMBER,
                invited_by=facilitator,
            ),
        )
        if not prefix:
            from assessment.invitations import sealing
            from assessment.models import RoundInvitation

            w.invitation_secret = sealing.new_secret()
            RoundInvitation.objects.create(
                round=made,
                email="anna@example.org",
                secret_hash=sealing.secret_hash(w.invitation_secret),
            )
        # A browser presses "Start" on the round's link: it keeps the round's cookies.
        browser = Client()
        browser.post(reverse("respond_start", args=[made.token]))
        setattr(w, f"{prefix}response", Response.objects.filter(round=made).latest("pk"))
        kept = (made.cookie_name, made.session_cookie_name)
        setattr(w, f"{prefix}respondent_cookies", {n: browser.cookies[n].value for n in kept})

    # Logged in once; each test's client carries the session cookie.
    for visitor in LOGGED_IN:
        browser = Client()
        browser.force_login(getattr(w, visitor))
        setattr(w, f"{visitor}_cookies", {name: c.value for name, c in browser.cookies.items()})
    w.anonymous_cookies = {}
    return w


def _client(world: SimpleNamespace, visitor: str) -> Client:
    client = Client()
    for name, value in getattr(world, f"{visitor}_cookies").items():
        client.cookies[name] = value
    return client


# A token parameter is the respondent's own secret link, except in these URLs.
TOKEN_OF = {"respond_start": "round", "results_public": "round", "accept_invitation": "invitation"}


def _arguments(world: SimpleNamespace, url: Url) -> dict:
    """The URL's parameters, filled in with the objects of `team`."""
    values = {
        "network_id": world.network.pk,
        "team_id": world.team.pk,
        "invitation_id": world.invitation.pk,
        "round_id": world.round.pk,
        "action_id": world.action.pk,
        "meeting_id": world.meeting.pk,
        "code": world.meeting.code,
        "version_id": world.questionnaire.pk,
        "page": 1,
        "token": getattr(world, TOKEN_OF.get(url.key, "response")).token,
        "secret": world.invitation_secret,
    }
    missing = [param for param in url.params if param not in values]
    if missing:
        pytest.fail(f"{url.key}: say what to put in {missing} in _arguments()")
    return {param: values[param] for param in url.params}


def _reverse(url: Url, arguments: dict) -> str:
    if url.name is None:
        return "/" + url.route
    try:
        return reverse(url.name, kwargs=arguments)
    except NoReverseMatch as error:
        pytest.fail(f"{url.key}: cannot build its address: {error}")


POST_DATA = {
    "admin:teams_user_changelist": lambda w: {
        "action": "export_personal_data",
        "_selected_action": [w.member.pk],
    },
}


def _outcome(response) -> int | str:
    if response.status_code == 302:
        location = response["Location"]
        if location.startswith(reverse("admin:login")):
            return ADMIN
        if location.startswith(reverse("login")):
            return LOGIN
    return response.status_code


def _url(name: str) -> Url:
    url = _urls().get(name)
    if url is None:
        pytest.fail(
            f"{name} is in the permission matrix, but the URL configuration has no such URL "
            "(not added yet, or renamed?)"
        )
    return url


def _ask(world, method: str, url: Url, visitor: str, arguments: dict):
    client = _client(world, visitor)
    address = _reverse(url, arguments)
    if method == "GET":
        return address, client.get(address)
    data = POST_DATA[url.key](world) if url.key in POST_DATA else {}
    return address, client.post(address, data)


# The tests


def test_every_url_is_in_the_matrix():
    missing = [
        f"add {url.key} (/{url.route}) to the permission matrix: GET in {__name__}"
        for url in _urls().values()
        if url.key not in GET and not _skipped_because(url)
    ]
    assert not missing, "\n".join(missing)


def test_every_url_that_takes_only_posts_has_a_post_row():
    missing = [
        f"add {name} to POST in the permission matrix: it answers GET with 405"
        for name, outcomes in GET.items()
        if 405 in outcomes.values() and name not in POST
    ]
    assert not missing, "\n".join(missing)


def test_every_row_of_the_matrix_is_a_url_of_the_app():
    urls = _urls()
    stale = [
        f"{name} is in the permission matrix, but not in the URL configuration"
        for name in [*GET, *POST]
        if name not in urls
    ]
    assert not stale, "\n".join(stale)


REFUSED = (LOGIN, ADMIN, 404, 405)


def _what_posts_change() -> dict[str, int]:
    """Counts of what a POST may add, change or delete."""
    from django.db.models import Count, Q

    from assessment.models import Action, Response, Round
    from teams.models import Invitation, Membership, Team, User

    return (
        Round.objects.aggregate(
            rounds=Count("pk"), closed=Count("pk", filter=Q(closed_at__isnull=False))
        )
        | Response.objects.aggregate(
            responses=Count("pk"), submitted=Count("pk", filter=Q(submitted_at__isnull=False))
        )
        | {
            "actions": Action.objects.count(),
            "invitations": Invitation.objects.count(),
            "teams": Team.objects.count(),
            "memberships": Membership.objects.count(),
            "users": User.objects.count(),
        }
    )


@pytest.mark.parametrize(
    ("method", "name", "visitor", "expected"), _cases("GET", GET) + _cases("POST", POST)
)
def test_every_visitor_gets_the_expected_answer(db, world, method, name, visitor, expected):
    url = _url(name)
    before = _what_posts_change()

    address, response = _ask(world, method, url, visitor, _arguments(world, url))

    got = _outcome(response)
    assert got == expected, f"{method} {address} as {visitor}: expected {expected}, got {got}"
    if method == "GET" or expected in REFUSED:
        assert _what_posts_change() == before, f"{method} {address} as {visitor} changed data"


def _unknown_cases() -> list:
    """Every row whose URL has a parameter, where someone gets past the login."""
    urls = _urls()
    cases = []
    for method, table in [("GET", GET), ("POST", POST)]:
        for name, outcomes in table.items():
            if name not in urls or not urls[name].params:
                continue
            if all(outcome in (LOGIN, ADMIN, 405) for outcome in outcomes.values()):
                continue
            for visitor in VISITORS:
                cases.append(
                    pytest.param(method, name, visitor, id=f"{method} {name} as {visitor}")
                )
    return cases


def _for_an_unknown_id(expected: int | str) -> int | str:
    """What an unknown id gets: a 404, unless the visitor is stopped before any lookup."""
    return expected if expected in (LOGIN, ADMIN, 405) else 404


@pytest.mark.parametrize(("method", "name", "visitor"), _unknown_cases())
def test_unknown_ids_are_404_for_everyone(db, world, method, name, visitor):
    url = _url(name)
    expected = _for_an_unknown_id((GET if method == "GET" else POST)[name][visitor])
    wrong = []
    for param, is_number in url.params.items():
        arguments = _arguments(world, url) | {param: 999999 if is_number else "no-such-link"}
        before = _what_posts_change()
        address, response = _ask(world, method, url, visitor, arguments)
        if (got := _outcome(response)) != expected:
            wrong.append(f"{method} {address} as {visitor}: expected {expected}, got {got}")
        elif _what_posts_change() != before:
            wrong.append(f"{method} {address} as {visitor} changed data")
    assert not wrong, "\n".join(wrong)


@pytest.mark.parametrize("visitor", ["facilitator", "coordinator"])
def test_an_invitation_of_another_team_is_404_even_under_ones_own_team(db, world, visitor):
    from teams.models import Invitation

    address = reverse("invitation_revoke", args=[world.team.pk, world.other_invitation.pk])

    response = _client(world, visitor).post(address)

    assert response.status_code == 404
    assert Invitation.objects.filter(pk=world.other_invitation.pk).exists()


def test_a_respondent_cookie_resumes_only_its_own_round(db, world):
    from assessment.models import Response

    start = reverse("respond_start", args=[world.round.token])

    own = _client(world, "respondent").post(start, {"choice": "continue"})
    other = _client(world, "other_respondent").post(start, {"choice": "continue"})

    # Straight to where the personal link leads, without its redirect.
    personal = Client().get(reverse("respond_resume", args=[world.response.token]))
    assert own["Location"] == personal["Location"]
    assert own["Location"].startswith(f"/a/{world.response.token}/")
    started = Response.objects.filter(round=world.round).latest("pk")
    assert started != world.response
    assert other["Location"] == reverse("respond_background", args=[started.token])
