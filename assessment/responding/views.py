"""The respondent's questionnaire: no account, one link per round, anonymous.

Pages: a landing page per round link, then (per response, by its own secret token)
the background page, one page per dimension, the report mark's page (versions that ask
it), a review page, and a thank-you page.
Every page saves when the respondent moves on. The personal link resumes where they
were, on any device and day; the round link only offers to continue in the same browser
session on the same day (shared devices), and starts a limited number of new responses
per browser and address (see limits.py).
"""

from collections.abc import Callable, Iterable, Mapping
from datetime import datetime, time, timedelta
from functools import partial, wraps

from django.conf import settings
from django.db import transaction
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_http_methods, require_POST

from assessment.invitations import services as invitations
from assessment.models import (
    Answer,
    Dimension,
    DimensionAnswer,
    Item,
    Response,
    Round,
    RoundInvitation,
)
from assessment.models.rounds import new_token
from assessment.questionnaire.structure import Structure, structure
from assessment.responding.answers import (
    DONT_KNOW,
    ITEM,
    MARK_MAX,
    NOT_APPLICABLE,
    ItemAnswer,
    PageAnswers,
    TopicAnswer,
    parse_mark,
    parse_page,
    posted_questions,
)
from assessment.responding.duration import duration_text
from assessment.responding.forms import BackgroundForm
from assessment.responding.limits import HOUR, seconds_left, take_start
from assessment.responding.review import NOTHING, Given, Part, summarise
from assessment.results.aggregate import store_scores
from config.converters import is_secret_token
from config.login_guard import client_ip

BROWSER_COOKIE = "samenspel_browser"


def _cookie_flags() -> dict:
    return {"httponly": True, "samesite": "Lax", "secure": settings.SESSION_COOKIE_SECURE}


def respondent_page(view: Callable) -> Callable:
    """No caching (shared devices), and the secret links never leave as a referrer.

    "strict-origin" sends at most our bare address, never a path, so the token is in
    no Referer header: not to other sites, nor to our own proxy's logs. Not
    "no-referrer": under it browsers send `Origin: null` with form posts, which
    Django's CSRF check rightly refuses.
    """

    @wraps(view)
    def wrapper(request: HttpRequest, *args, **kwargs) -> HttpResponse:
        response = never_cache(view)(request, *args, **kwargs)
        response["Referrer-Policy"] = "strict-origin"
        return response

    return wrapper


def _problem(request: HttpRequest, template: str, status: int, **context) -> HttpResponse:
    return render(request, f"respond/{template}.html", context, status=status)


def _remember(response: HttpResponse, answer_set: Response) -> HttpResponse:
    """The round cookie, to know this browser's answers again while the round is open, and
    the same code for this browser session only, which lets the round link continue them."""
    round = answer_set.round
    response.set_cookie(
        round.cookie_name, answer_set.token, max_age=_open_for(round), **_cookie_flags()
    )
    response.set_cookie(round.session_cookie_name, answer_set.token, **_cookie_flags())
    return response


def _open_for(round: Round) -> int | None:
    """Seconds to the end of the round's closing day; None (until the browser closes)
    when it has no closing date. Never longer: a shared device forgets the round."""
    if round.closes_on is None:
        return None
    day_after = datetime.combine(round.closes_on + timedelta(days=1), time.min)
    end = timezone.make_aware(day_after)
    return max(0, int((end - timezone.now()).total_seconds()))


def _load(token: str) -> Response | None:
    """Every respondent request's one lookup. A slice, not first(): the token is unique, and
    first()'s ordering by key costs more to compile than the lookup costs to run."""
    found = Response.objects.select_related("round__team", "round__version").filter(token=token)
    return next(iter(found[:1]), None)


def _page_count(shape: Structure) -> int:
    """The numbered pages: one per dimension, then the report mark's where it is asked."""
    return len(shape.dimensions) + (1 if shape.asks_mark else 0)


def _is_mark_page(shape: Structure, page: int) -> bool:
    return shape.asks_mark and page == len(shape.dimensions) + 1


def _progress(page: int, page_count: int) -> str:
    return str(round(100 * (page - 1) / page_count))


def _page_url(answer_set: Response, page: int, page_count: int) -> str:
    if page <= 0:
        return reverse("respond_background", args=[answer_set.token])
    if page > page_count:
        return reverse("respond_review", args=[answer_set.token])
    return reverse("respond_page", args=[answer_set.token, page])


def with_open_response(view: Callable) -> Callable:
    """Look up the response by its token; refuse unknown links, closed rounds and resubmits."""

    @wraps(view)
    def wrapper(request: HttpRequest, token: str, *args, **kwargs) -> HttpResponse:
        answer_set = _load(token)
        refusal = _refusal(answer_set)
        if refusal == UNKNOWN or answer_set is None:
            return _problem(request, "unknown_link", 404)
        if refusal == SUBMITTED:
            return redirect("respond_thanks", token)
        if refusal == CLOSED:
            return _problem(request, "closed", 403, round=answer_set.round)
        return view(request, answer_set, *args, **kwargs)

    return respondent_page(wrapper)


UNKNOWN, SUBMITTED, CLOSED = "unknown", "submitted", "closed"


def _refusal(answer_set: Response | None) -> str | None:
    """Why this response takes no answers now, or None: the one rule for the pages and for
    the page's script that saves each answer as it is tapped."""
    if answer_set is None:
        return UNKNOWN
    if answer_set.is_submitted:
        return SUBMITTED
    if not answer_set.round.is_open:
        return CLOSED
    return None


def _page_items(shape: Structure, page: int) -> tuple[Dimension, list[Item]] | None:
    """The dimension and statements of page `page`; None for a page the version lacks."""
    if not 1 <= page <= len(shape.dimensions):
        return None
    dimension = shape.dimensions[page - 1]
    return dimension, list(shape.items[dimension.pk])


@respondent_page
@require_http_methods(["GET", "POST"])
def respond_start(request: HttpRequest, token: str) -> HttpResponse:
    """The round's shared link: what this is, and a start button.

    When this browser holds unsubmitted answers, it asks whether to continue them or start
    new: on a shared staff-room tablet the next person must not land in someone else's
    answers. Continuing needs the same browser session and the same day.
    """
    round = Round.objects.select_related("team", "version").filter(token=token).first()
    if round is None:
        return _problem(request, "unknown_link", 404)
    mine = None
    cookie = request.COOKIES.get(round.cookie_name, "")
    if is_secret_token(cookie):
        mine = Response.objects.filter(round=round, token=cookie).first()
    if mine is not None and mine.is_submitted:
        return render(request, "respond/already_submitted.html", {"round": round})
    if not round.is_open:
        return _problem(request, "closed", 403, round=round)
    if round.is_scheduled:  # no response can exist before: this is the only door
        return _problem(request, "not_yet_open", 403, round=round)
    may_continue = mine is not None and _may_continue(request, mine)
    choice = request.POST.get("choice", "")
    if request.method == "POST":
        if mine is not None and choice == "continue" and may_continue:
            return _remember(redirect(_resume_url(mine)), mine)
        if mine is None or choice == "new":
            return _start_new(request, round)
    context = {
        **_start_context(round),
        "resuming": mine is not None,
        "may_continue": may_continue,
    }
    status = 403 if request.method == "POST" and choice == "continue" else 200
    return render(request, "respond/start.html", context, status=status)


def _start_context(round: Round) -> dict:
    shape = structure(round.version)
    return {
        "round": round,
        "dimension_count": len(shape.dimensions),
        "duration": duration_text(shape),
    }


def _invitation_cookie(round: Round) -> str:
    return f"samenspel_invited_{round.pk}"


@respondent_page
@require_http_methods(["GET", "POST"])
def respond_invited(request: HttpRequest, secret: str) -> HttpResponse:
    """A personal invitation's link: the start page, then always this person's own
    response, on any device. This browser keeps the secret (never the server), so that
    sending the answers can mark the invitation completed."""
    invitation = RoundInvitation.objects.find(secret)
    if invitation is None:  # mistyped, or replaced by a reminder's new link
        return _problem(request, "invitation_unknown", 404)
    round = invitation.round
    token = invitation.response_token(secret)
    mine = Response.objects.filter(round=round, token=token).first() if token else None
    if mine is not None and mine.is_submitted:
        invitations.record_completed(round=round, secret=secret, response=mine)
        return render(request, "respond/already_submitted.html", {"round": round})
    if not round.is_open:
        return _problem(request, "closed", 403, round=round)
    if round.is_scheduled:
        return _problem(request, "not_yet_open", 403, round=round)
    if mine is None and request.method == "GET":
        return render(request, "respond/start.html", _start_context(round))
    if mine is None:
        mine = invitations.start_response(invitation=invitation, secret=secret)
    response = _remember(redirect(_resume_url(mine)), mine)
    response.set_cookie(
        _invitation_cookie(round), secret, max_age=_open_for(round), **_cookie_flags()
    )
    return response


def _may_continue(request: HttpRequest, answer_set: Response) -> bool:
    """Only the browser session that saved the answers, and only on the day they were saved.

    Later, the respondent's personal link is the way back: the next person to pick up the
    device has the round's link, not that one.
    """
    same_session = request.COOKIES.get(answer_set.round.session_cookie_name) == answer_set.token
    return same_session and timezone.localdate(answer_set.updated) == timezone.localdate()


def _start_new(request: HttpRequest, round: Round) -> HttpResponse:
    """A new response, unless this browser or this address started too many this hour."""
    browser = request.COOKIES.get(BROWSER_COOKIE, "")
    known = is_secret_token(browser)
    if not known:
        browser = new_token()
    now = timezone.now()
    address = client_ip(request) or ""
    if not take_start(round.pk, browser=browser, address=address, now=now):
        refused = _problem(request, "too_many", 429, round=round)
        refused["Retry-After"] = str(seconds_left(now))
        return refused
    answer_set = Response.objects.create(round=round)
    response = _remember(redirect(_resume_url(answer_set)), answer_set)
    if not known:
        # Lives for an hour: as long as the count it is the key of.
        response.set_cookie(BROWSER_COOKIE, browser, max_age=HOUR, **_cookie_flags())
    return response


def _resume_url(answer_set: Response) -> str:
    """Where this respondent left off. The start buttons send there directly rather than
    through the personal link: one request less, and the same page."""
    page_count = _page_count(structure(answer_set.round.version))
    return _page_url(answer_set, answer_set.last_page, page_count)


@with_open_response
def respond_resume(request: HttpRequest, answer_set: Response) -> HttpResponse:
    """The personal link: continue where this respondent left off, on any device."""
    return _remember(redirect(_resume_url(answer_set)), answer_set)


@with_open_response
@require_http_methods(["GET", "POST"])
def respond_background(request: HttpRequest, answer_set: Response) -> HttpResponse:
    form = BackgroundForm(request.POST if request.method == "POST" else None, instance=answer_set)
    if request.method == "POST":
        if not form.is_valid():
            context = {"response": answer_set, "form": form, "page": 0}
            return render(request, "respond/background.html", context, status=400)
        answer_set = form.save(commit=False)
        answer_set.last_page = max(answer_set.last_page, 1)
        # Only these columns: one statement, which never rewrites a submission that another
        # tab made since this request read the response.
        answer_set.save(update_fields=["sector", "position", "last_page", "updated"])
        return redirect("respond_page", answer_set.token, 1)
    # Before it is answered the form is the same for everyone.
    blank = not (answer_set.sector or answer_set.position)
    context = {"response": answer_set, "form": form, "blank_key": "blank" if blank else ""}
    return render(request, "respond/background.html", context)


@with_open_response
@require_http_methods(["GET", "POST"])
def respond_page(request: HttpRequest, answer_set: Response, page: int) -> HttpResponse:
    shape = structure(answer_set.round.version)
    if _is_mark_page(shape, page):
        return _mark_page(request, answer_set, page, _page_count(shape))
    on_page = _page_items(shape, page)
    if on_page is None:
        return _problem(request, "unknown_link", 404)
    dimension, items = on_page
    parsed = None
    given: Mapping[str, str]
    if request.method == "POST":
        parsed = _parse(shape, dimension, items, request.POST)
        if parsed.foreign_items:
            return _problem(request, "foreign_answer", 400, response=answer_set)
        if not parsed.errors and parsed.topic_error is None:
            destination = page - 1 if request.POST.get("nav") == "back" else page + 1
            _save_page(answer_set, parsed, destination)
            return redirect(_page_url(answer_set, destination, _page_count(shape)))
        given = request.POST
    else:
        given = _stored(answer_set, shape, dimension, items)
    context = {
        "response": answer_set,
        "page": page,
        "page_count": _page_count(shape),
        "progress": _progress(page, _page_count(shape)),
        **page_context(shape, dimension, given, parsed),
    }
    status = 400 if context["error_count"] else 200
    return render(request, "respond/page.html", context, status=status)


def _parse(shape: Structure, dimension: Dimension, items: list[Item], data) -> PageAnswers:
    """The one reading of a page's post, for the page's buttons and its script alike."""
    return parse_page(
        data,
        [item.pk for item in items],
        state_max=shape.state_max,
        importance_max=shape.importance_max,
        topic=dimension.pk if shape.per_dimension else None,
        separate_not_applicable=shape.separate_not_applicable,
    )


def page_context(
    shape: Structure,
    dimension: Dimension,
    given: Mapping[str, str] | None = None,
    parsed: PageAnswers | None = None,
) -> dict:
    """What a dimension's page shows (also the admin's preview, which passes no answers).

    `given`: the answer fields' values by field name, as posted or as stored.
    """
    given = given or {}
    errors = parsed.errors if parsed else {}
    topic_error = parsed.topic_error if parsed else None
    # Before anything is answered, a published version's page is the same for everyone:
    # the template keeps its statements (templatetags/frozen.py), and calls `questions`
    # only when it renders them.
    blank = not given and parsed is None
    items = shape.items[dimension.pk]
    return {
        "blank_key": shape.published_key if blank else "",
        "dimension": dimension,
        "questions": (
            partial(question_context, shape, items)
            if blank
            else question_context(shape, items, given, errors)
        ),
        "topic": _topic_context(shape, dimension, given, topic_error),
        "per_dimension": shape.per_dimension,
        "separate_not_applicable": shape.separate_not_applicable,
        "state_columns": shape.state_max,
        "importance_columns": shape.importance_max,
        "dont_know": DONT_KNOW,
        "not_applicable": NOT_APPLICABLE,
        "error_count": len(errors) + (1 if topic_error else 0),
    }


def _options(labels, chosen: str) -> list[tuple[str, str, bool]]:
    return [(str(label.value), label.label, chosen == str(label.value)) for label in labels]


def question_context(
    shape: Structure,
    items,
    given: Mapping[str, str] | None = None,
    errors: dict[int, str] | None = None,
) -> list[dict]:
    """The statements of a page as the template shows them."""
    given = given or {}
    errors = errors or {}
    # Plain strings and precomputed flags: the template only loops, which keeps it fast.
    questions = []
    for item in items:
        state = given.get(f"s-{item.pk}", "")
        questions.append(
            {
                "id": str(item.pk),
                "text": item.text,
                "error": errors.get(item.pk),
                "state": _options(shape.state_labels, state),
                "dont_know": state == DONT_KNOW,
                "not_applicable": state == NOT_APPLICABLE,
                "importance": _options(shape.importance_labels, given.get(f"i-{item.pk}", "")),
                "wants": given.get(f"w-{item.pk}", ""),
            }
        )
    return questions


def _topic_context(
    shape: Structure, dimension: Dimension, given: Mapping[str, str], error: str | None
) -> dict | None:
    """The card that asks about the dimension as a whole, on versions that ask per dimension."""
    if not shape.per_dimension:
        return None
    return {
        "id": str(dimension.pk),
        "error": error,
        "importance": _options(shape.importance_labels, given.get(f"di-{dimension.pk}", "")),
        "wants": given.get(f"dw-{dimension.pk}", ""),
    }


def _yes_no(value: bool | None) -> str:
    return "" if value is None else ("yes" if value else "no")


def _stored(
    answer_set: Response, shape: Structure, dimension: Dimension, items: list[Item]
) -> dict[str, str]:
    """The page's stored answers as the form's field values."""
    values: dict[str, str] = {}
    # Plain values, not model instances: this runs on every page shown.
    rows = answer_set.answers.filter(item_id__in=[item.pk for item in items]).values_list(
        "item_id", "state", "dont_know", "not_applicable", "importance", "wants_to_work"
    )
    for item_id, state, dont_know, not_applicable, importance, wants_to_work in rows:
        if dont_know:
            shown = DONT_KNOW
        elif not_applicable:
            shown = NOT_APPLICABLE
        else:
            shown = str(state or "")
        values[f"s-{item_id}"] = shown
        values[f"i-{item_id}"] = str(importance or "")
        values[f"w-{item_id}"] = _yes_no(wants_to_work)
    if shape.per_dimension:
        topic = answer_set.dimension_answers.filter(dimension=dimension).first()
        if topic is not None:
            values[f"di-{dimension.pk}"] = str(topic.importance or "")
            values[f"dw-{dimension.pk}"] = _yes_no(topic.wants_to_work)
    return values


def _mark_page(
    request: HttpRequest, answer_set: Response, page: int, page_count: int
) -> HttpResponse:
    """One question after the last dimension: a report mark for the collaboration, 1 to 10.
    Optional: moving on without one is an answer too ("no mark")."""
    error = None
    chosen = "" if answer_set.mark is None else str(answer_set.mark)
    if request.method == "POST":
        mark, error = parse_mark(request.POST)
        if error is None:
            destination = page - 1 if request.POST.get("nav") == "back" else page + 1
            _save_mark(answer_set, mark, destination)
            return redirect(_page_url(answer_set, destination, page_count))
        chosen = request.POST.get("mark", "")
    context = {
        "response": answer_set,
        "page": page,
        "page_count": page_count,
        "progress": _progress(page, page_count),
        "marks": [(str(value), str(value) == chosen) for value in range(1, MARK_MAX + 1)],
        "no_mark": chosen == "",
        "error": error,
    }
    return render(request, "respond/mark.html", context, status=400 if error else 200)


@respondent_page
@require_POST
def respond_answer(request: HttpRequest, token: str, page: int) -> HttpResponse:
    """One statement's answers, saved the moment they are tapped (the page's script).

    The same checks as the page, and the page's own parsing; 204 when saved. The page's
    button still sends the whole page, so without the script nothing changes.
    """
    answer_set = _load(token)
    refusal = _refusal(answer_set)
    if refusal is not None or answer_set is None:
        status = {UNKNOWN: 404, SUBMITTED: 409}.get(refusal or UNKNOWN, 403)
        return JsonResponse({"error": refusal}, status=status)
    shape = structure(answer_set.round.version)
    on_page = _page_items(shape, page)
    if on_page is None:
        return JsonResponse({"error": UNKNOWN}, status=404)
    parsed = _parse(shape, *on_page, request.POST)
    posted = posted_questions(request.POST)
    if parsed.foreign_items or len(posted) != 1:
        return JsonResponse({"error": "one question of this page"}, status=400)
    ((kind, number),) = posted
    if kind == ITEM:
        error, answers, topic = parsed.errors.get(number), [parsed.answers.get(number)], None
    else:
        error, answers, topic = parsed.topic_error, [], parsed.topic
    if error is not None:
        return JsonResponse({"error": error}, status=400)
    if not _save_unless_submitted(answer_set, [a for a in answers if a is not None], topic):
        return JsonResponse({"error": SUBMITTED}, status=409)
    return HttpResponse(status=204)


@transaction.atomic
def _save_unless_submitted(
    answer_set: Response, answers: list[ItemAnswer], topic: TopicAnswer | None
) -> bool:
    """A tap that races the submit button in another tab must not change sent answers."""
    locked = Response.objects.select_for_update().filter(pk=answer_set.pk)
    if not locked.filter(submitted_at__isnull=True).exists():
        return False
    _write_answers(answer_set, answers, topic)
    # Only `updated` moves (the round link continues answers saved today); where to resume
    # stays what the page buttons made it.
    Response.objects.filter(pk=answer_set.pk).update(updated=timezone.now())
    return True


@transaction.atomic
def _save_page(answer_set: Response, parsed: PageAnswers, destination: int) -> None:
    # The rows, then one update of the response for both where to resume and `updated`.
    _write_answers(answer_set, parsed.answers.values(), parsed.topic)
    Response.objects.filter(pk=answer_set.pk).update(
        last_page=max(destination, 0), updated=timezone.now()
    )


def _save_mark(answer_set: Response, mark: int | None, destination: int) -> None:
    # Never on sent answers: a tab left open on this page after submitting changes nothing.
    Response.objects.filter(pk=answer_set.pk, submitted_at__isnull=True).update(
        mark=mark, last_page=max(destination, 0), updated=timezone.now()
    )


def _write_answers(
    answer_set: Response, answers: Iterable[ItemAnswer], topic: TopicAnswer | None
) -> None:
    """Each statement's row as a whole: a "don't know" or "not applicable" clears
    importance and wanting too. The same for the dimension's own row. Inside the caller's
    transaction: no savepoint of its own."""
    rows = [
        Answer(
            response=answer_set,
            item_id=answer.item_id,
            state=answer.state,
            dont_know=answer.dont_know,
            not_applicable=answer.not_applicable,
            importance=answer.importance,
            wants_to_work=answer.wants_to_work,
        )
        for answer in answers
        if not answer.is_empty
    ]
    if rows:
        Answer.objects.bulk_create(
            rows,
            update_conflicts=True,
            unique_fields=["response", "item"],
            update_fields=["state", "dont_know", "not_applicable", "importance", "wants_to_work"],
        )
    if topic is not None and not topic.is_empty:
        DimensionAnswer.objects.bulk_create(
            [
                DimensionAnswer(
                    response=answer_set,
                    dimension_id=topic.dimension_id,
                    importance=topic.importance,
                    wants_to_work=topic.wants_to_work,
                )
            ],
            update_conflicts=True,
            unique_fields=["response", "dimension"],
            update_fields=["importance", "wants_to_work"],
        )


@with_open_response
def respond_review(request: HttpRequest, answer_set: Response) -> HttpResponse:
    shape = structure(answer_set.round.version)
    statements = {
        item_id: Given(state is not None, dont_know, not_applicable, i is not None, w is not None)
        for item_id, state, dont_know, not_applicable, i, w in answer_set.answers.values_list(
            "item_id", "state", "dont_know", "not_applicable", "importance", "wants_to_work"
        )
    }
    topics = {}
    if shape.per_dimension:
        topics = {
            dimension_id: Given(importance=i is not None, wants=w is not None)
            for dimension_id, i, w in answer_set.dimension_answers.values_list(
                "dimension_id", "importance", "wants_to_work"
            )
        }
    return render(
        request, "respond/review.html", _review_context(answer_set, shape, statements, topics)
    )


def _review_context(
    answer_set: Response,
    shape: Structure,
    statements: dict[int, Given],
    topics: dict[int, Given],
) -> dict:
    pages = list(enumerate(shape.dimensions, start=1))
    parts = [
        Part(
            name=dimension.name,
            item_ids=[item.pk for item in shape.items[dimension.pk]],
            topic=dimension.pk if shape.per_dimension else None,
        )
        for dimension in shape.dimensions
    ]
    summaries = summarise(parts, statements, topics)
    missing = [
        {"item": item, "page": page, "dimension": dimension}
        for page, dimension in pages
        for item in shape.items[dimension.pk]
        if not statements.get(item.pk, NOTHING).answered
    ]
    total = len(shape.all_items)
    return {
        "response": answer_set,
        "missing": missing,
        "missing_topics": [part for part in summaries if part.topic_open],
        "parts": summaries,
        "answered_count": total - len(missing),
        "total": total,
        "asks_mark": shape.asks_mark,
        "mark_page": len(shape.dimensions) + 1,
        "page_count": _page_count(shape),
    }


@respondent_page
@require_POST
def respond_submit(request: HttpRequest, token: str) -> HttpResponse:
    """Final submission: one transaction; a second click or tab changes nothing."""
    with transaction.atomic():
        answer_set = (
            Response.objects.select_for_update()
            .select_related("round__team", "round__version")
            .filter(token=token)
            .first()
        )
        if answer_set is None:
            return _problem(request, "unknown_link", 404)
        if answer_set.is_submitted:
            return redirect("respond_thanks", token)
        if not answer_set.round.is_open:
            return _problem(request, "closed", 403, round=answer_set.round)
        answer_set.submitted_at = timezone.now()
        answer_set.save(update_fields=["submitted_at", "updated"])
        store_scores(response=answer_set)
        held = request.COOKIES.get(_invitation_cookie(answer_set.round), "")
        if is_secret_token(held):
            invitations.record_completed(round=answer_set.round, secret=held, response=answer_set)
    # Submitted answers can no longer be opened; the round cookie stays, so this browser's
    # landing page says they were sent.
    response = redirect("respond_thanks", token)
    response.delete_cookie(answer_set.round.session_cookie_name, samesite="Lax")
    return response


@respondent_page
def respond_thanks(request: HttpRequest, token: str) -> HttpResponse:
    answer_set = _load(token)
    if answer_set is None:
        return _problem(request, "unknown_link", 404)
    if not answer_set.is_submitted:
        return redirect("respond_resume", token)
    return render(
        request, "respond/thanks.html", {"response": answer_set, "round": answer_set.round}
    )
