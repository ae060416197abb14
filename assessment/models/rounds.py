import secrets

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Count, F, Q, QuerySet
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from assessment.models.questionnaire import Item, QuestionnaireVersion
from assessment.results.disclosure import Policy


def new_token() -> str:
    # 256 bits: links are secrets, never guessable ids.
    return secrets.token_urlsafe(32)


# No 0/O, 1/I/L: a code read off a poster in the staff room is typed without doubt.
SHORT_CODE_ALPHABET = "23456789ABCDEFGHJKMNPQRSTUVWXYZ"
SHORT_CODE_LENGTH = 8


def new_short_code() -> str:
    """8 of 31 characters, about 40 bits: guessing one takes billions of tries, and the code
    page allows a few an hour per address. It only opens answering, never results."""
    return "".join(secrets.choice(SHORT_CODE_ALPHABET) for _ in range(SHORT_CODE_LENGTH))


class Sector(models.TextChoices):
    CHILDCARE = "childcare", _("Childcare")
    BSO = "bso", _("Out-of-school care (bso)")
    SCHOOL = "school", _("Primary school")
    YOUTH_CARE = "youth_care", _("Youth care")
    OTHER = "other", _("Other")


class Position(models.TextChoices):
    STAFF = "staff", _("Professional (e.g. pedagogical staff, teacher, youth-care worker)")
    MANAGER = "manager", _("Manager")


# The share of the team that has answered before the round page suggests closing: 7 in 10.
NUDGE_SHARE_TENTHS = 7


class RoundQuerySet(QuerySet):
    def visible_to(self, user) -> "RoundQuerySet":
        """Rounds of the teams the user may open (see TeamQuerySet.visible_to)."""
        from teams.models import Team

        return self.filter(team__in=Team.objects.visible_to(user))

    def ended(self) -> "RoundQuerySet":
        """Closed by hand, or past the closing date: the same rule as Round.is_open."""
        return self.filter(Q(closed_at__isnull=False) | Q(closes_on__lt=timezone.localdate()))

    def qualifying(self) -> "RoundQuerySet":
        """Ended rounds whose shown responses reach the anonymity threshold: the only rounds
        whose numbers may appear anywhere. Annotates `completed`, the shown responses."""
        return (
            self.ended()
            .annotate(
                completed=Count(
                    "responses", filter=Response.shown_filter("responses__", round_prefix="")
                )
            )
            .filter(completed__gte=F("anonymity_threshold"))
        )

    def with_counts(self) -> "RoundQuerySet":
        return self.annotate(
            started_count=Count("responses"),
            completed_count=Count("responses", filter=Q(responses__submitted_at__isnull=False)),
        )


class Round(models.Model):
    """A measurement round: one team fills in one questionnaire version through one link."""

    team = models.ForeignKey(
        "teams.Team", on_delete=models.CASCADE, related_name="rounds", verbose_name=_("team")
    )
    version = models.ForeignKey(
        QuestionnaireVersion,
        on_delete=models.PROTECT,
        related_name="rounds",
        verbose_name=_("questionnaire version"),
    )
    title = models.CharField(_("title"), max_length=120)
    opens_on = models.DateField(
        _("opening date"),
        null=True,
        blank=True,
        help_text=_("Optional. The link accepts answers from this day on; before, it says when."),
    )
    closes_on = models.DateField(
        _("closing date"),
        null=True,
        blank=True,
        help_text=_("Optional. The link accepts answers up to and including this day."),
    )
    # Optional: how many colleagues the facilitator expects per sector (sector -> number),
    # for the response rate per sector (assessment/rounds/headcount.py).
    expected_per_sector = models.JSONField(default=dict, blank=True, editable=False)
    # Up to three days (ISO dates) on which personal invitations not yet completed get a
    # reminder (assessment/invitations/reminders.py).
    reminder_days = models.JSONField(default=list, blank=True, editable=False)
    anonymity_threshold = models.PositiveSmallIntegerField(
        _("anonymity threshold"),
        default=3,
        validators=[MinValueValidator(3), MaxValueValidator(50)],
        help_text=_("Results appear only when at least this many people have responded."),
    )
    breakdown_threshold = models.PositiveSmallIntegerField(
        _("breakdown threshold"),
        default=5,
        validators=[MinValueValidator(3), MaxValueValidator(50)],
        help_text=_("Spreads and results per sector need at least this many responses."),
    )
    token = models.CharField(max_length=64, unique=True, default=new_token, editable=False)
    # For people who cannot scan or click: typed on the code page (rounds/codes.py).
    short_code = models.CharField(
        max_length=SHORT_CODE_LENGTH, unique=True, default=new_short_code, editable=False
    )
    closed_at = models.DateTimeField(_("closed at"), null=True, blank=True)
    # The facilitator's tick: the team discussed the results (the team page's checklist).
    discussed_at = models.DateTimeField(_("discussed at"), null=True, blank=True, editable=False)
    # A round that was read and then reopened: the responses submitted up to this moment are
    # what its readers saw (see results.release).
    released_until = models.DateTimeField(null=True, blank=True, editable=False)
    # The responses the figures rest on now: submitted up to this moment (None: all of them).
    # Kept up to date by results.release, so that queries over many rounds can filter on it.
    shown_until = models.DateTimeField(null=True, blank=True, editable=False)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("created by"),
    )
    created = models.DateTimeField(_("created"), auto_now_add=True)
    # Moves on every write that changes what a results page of the team shows (its plan, a
    # round's figures, an earlier round in its trend): the key of what those pages keep
    # (results.kept).
    results_revision = models.PositiveIntegerField(default=0, editable=False)
    # Past the installation's retention period the answers were deleted at this moment
    # (results.retention); the figures then come from the stored totals alone.
    answers_expired_at = models.DateTimeField(
        _("answers deleted at"), null=True, blank=True, editable=False
    )

    objects = RoundQuerySet.as_manager()

    # Only on rounds from RoundQuerySet.with_counts(): annotations, not columns.
    started_count: int
    completed_count: int

    class Meta:
        verbose_name = _("measurement round")
        verbose_name_plural = _("measurement rounds")
        ordering = ["-created"]

    def __str__(self) -> str:
        return self.title

    def get_absolute_url(self) -> str:
        return reverse("round_detail", args=[self.pk])

    @property
    def is_open(self) -> bool:
        if self.closed_at is not None:
            return False
        return self.closes_on is None or timezone.localdate() <= self.closes_on

    @property
    def is_scheduled(self) -> bool:
        """Not open yet: its opening day has not come. It counts as open (not ended)."""
        return self.opens_on is not None and timezone.localdate() < self.opens_on

    @property
    def accepts_answers(self) -> bool:
        return self.is_open and not self.is_scheduled

    @property
    def cookie_name(self) -> str:
        return f"samenspel_round_{self.pk}"

    @property
    def session_cookie_name(self) -> str:
        """The same code, kept only until the browser closes: see responding/views.py."""
        return f"samenspel_round_{self.pk}_session"

    def respondent_path(self) -> str:
        return reverse("respond_start", args=[self.token])

    @property
    def grouped_code(self) -> str:
        """The short code as people read and type it: "K7MX-3QPA"."""
        return f"{self.short_code[:4]}-{self.short_code[4:]}"

    def may_close(self, completed: int) -> bool:
        """Nudge to close: at least 70% of the team answered, and enough for results.

        The one place for this rule (the round page and the team page both ask). Without a
        team size there is no share to judge, so no nudge.
        """
        size = self.team.size
        if not self.is_open or not size:
            return False
        return completed * 10 >= size * NUDGE_SHARE_TENTHS and Policy.of(self).mean(completed)


class Response(models.Model):
    """One respondent's answers. Anonymous: no account, no name, only coarse background."""

    round = models.ForeignKey(
        Round, on_delete=models.CASCADE, related_name="responses", verbose_name=_("round")
    )
    token = models.CharField(max_length=64, unique=True, default=new_token, editable=False)
    sector = models.CharField(_("sector"), max_length=16, choices=Sector.choices, blank=True)
    position = models.CharField(_("position"), max_length=16, choices=Position.choices, blank=True)
    # The report mark for the collaboration as a whole, 1 to 10 (versions that ask it).
    mark = models.PositiveSmallIntegerField(
        _("report mark"),
        null=True,
        blank=True,
        validators=[MinValueValidator(1), MaxValueValidator(10)],
    )
    last_page = models.PositiveSmallIntegerField(
        default=0, help_text="The page to resume on: 0 is the background page."
    )
    started = models.DateTimeField(_("started"), auto_now_add=True)
    updated = models.DateTimeField(_("updated"), auto_now=True)
    submitted_at = models.DateTimeField(_("submitted at"), null=True, blank=True)

    class Meta:
        verbose_name = _("response")
        verbose_name_plural = _("responses")
        indexes = [models.Index(fields=["round", "submitted_at"], name="response_round_submitted")]
        constraints = [
            models.CheckConstraint(
                condition=Q(mark__isnull=True) | Q(mark__gte=1, mark__lte=10),
                name="response_mark_in_range",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.round} #{self.pk}"

    @staticmethod
    def shown_filter(prefix: str = "", *, round_prefix: str | None = None) -> Q:
        """Submitted responses that the round's figures rest on (see Round.shown_until).

        `prefix` leads from the queried model to the response ("response__" from an answer);
        `round_prefix` to the round (by default the response's own round).
        """
        round_path = f"{prefix}round__" if round_prefix is None else round_prefix
        return Q(**{f"{prefix}submitted_at__isnull": False}) & (
            Q(**{f"{round_path}shown_until__isnull": True})
            | Q(**{f"{prefix}submitted_at__lte": F(f"{round_path}shown_until")})
        )

    @property
    def is_submitted(self) -> bool:
        return self.submitted_at is not None


class StartCount(models.Model):
    """How many responses one browser or one address started on a round's link in one hour.

    The key is a keyed hash (see responding/limits.py): the address itself is never stored.
    A row lives until the end of its hour; expired rows are deleted at the next start.
    """

    key = models.CharField(max_length=64, unique=True)
    count = models.PositiveIntegerField(default=0)
    expires = models.DateTimeField(db_index=True)

    def __str__(self) -> str:
        return f"{self.key[:8]}…: {self.count}"


class Answer(models.Model):
    """The answers to one item: its current state, its importance, and wanting to work on it."""

    response = models.ForeignKey(Response, on_delete=models.CASCADE, related_name="answers")
    # PROTECT: an item that has answers can never be deleted (make a new version instead).
    item = models.ForeignKey(Item, on_delete=models.PROTECT, related_name="answers")
    state = models.PositiveSmallIntegerField(null=True, blank=True)
    # Two kinds of no answer, reported apart: cannot judge it, and does not apply to me.
    dont_know = models.BooleanField(default=False)
    not_applicable = models.BooleanField(default=False)
    importance = models.PositiveSmallIntegerField(null=True, blank=True)
    wants_to_work = models.BooleanField(null=True, blank=True)

    class Meta:
        verbose_name = _("answer")
        verbose_name_plural = _("answers")
        constraints = [
            models.UniqueConstraint(fields=["response", "item"], name="answer_unique_per_item"),
            models.CheckConstraint(
                condition=Q(state__isnull=True) | Q(dont_know=False),
                name="answer_state_or_dont_know",
            ),
            models.CheckConstraint(
                condition=Q(not_applicable=False) | Q(state__isnull=True, dont_know=False),
                name="answer_not_applicable_alone",
            ),
            models.CheckConstraint(
                condition=Q(state__isnull=True) | Q(state__gte=1, state__lte=9),
                name="answer_state_in_range",
            ),
            models.CheckConstraint(
                condition=Q(importance__isnull=True) | Q(importance__gte=1, importance__lte=9),
                name="answer_importance_in_range",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.response_id}/{self.item_id}"

    @property
    def has_state(self) -> bool:
        """Answered the current-state question, 'don't know' and 'not applicable' included."""
        return self.state is not None or self.dont_know or self.not_applicable


class DimensionAnswer(models.Model):
    """Importance and wanting to work on it, asked once per dimension (versions that ask
    them per dimension: see QuestionnaireVersion.importance_asked_per)."""

    response = models.ForeignKey(
        Response, on_delete=models.CASCADE, related_name="dimension_answers"
    )
    dimension = models.ForeignKey(
        "assessment.Dimension", on_delete=models.PROTECT, related_name="answers"
    )
    importance = models.PositiveSmallIntegerField(null=True, blank=True)
    wants_to_work = models.BooleanField(null=True, blank=True)

    class Meta:
        verbose_name = _("dimension answer")
        verbose_name_plural = _("dimension answers")
        constraints = [
            models.UniqueConstraint(
                fields=["response", "dimension"], name="dimension_answer_unique"
            ),
            models.CheckConstraint(
                condition=Q(importance__isnull=True) | Q(importance__gte=1, importance__lte=9),
                name="dimension_answer_importance_in_range",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.response_id}/{self.dimension_id}"


class DimensionScore(models.Model):
    """A respondent's score on one dimension, stored when they submit.

    Result pages aggregate these in the database instead of recomputing every answer.
    There is no row where fewer than half of the dimension's items were answered.
    """

    response = models.ForeignKey(Response, on_delete=models.CASCADE, related_name="scores")
    # The response's round, repeated here: comparing a thousand teams then reads one indexed
    # table instead of joining every score to its response.
    round = models.ForeignKey(Round, on_delete=models.CASCADE, related_name="+")
    dimension = models.ForeignKey(
        "assessment.Dimension", on_delete=models.PROTECT, related_name="scores"
    )
    score = models.FloatField()

    class Meta:
        verbose_name = _("dimension score")
        verbose_name_plural = _("dimension scores")
        constraints = [
            models.UniqueConstraint(
                fields=["response", "dimension"], name="dimension_score_unique"
            ),
        ]
        indexes = [
            models.Index(fields=["round", "dimension"], name="dimension_score_round"),
        ]

    def __str__(self) -> str:
        return f"{self.response_id}/{self.dimension_id}: {self.score:.2f}"


class DimensionTotal(models.Model):
    """Per round and dimension, the sum and number of the stored dimension scores.

    Kept up to date when a response is submitted (results.aggregate.refresh_totals), so comparing
    a thousand teams reads a thousand rows per dimension instead of every score.
    """

    round = models.ForeignKey(Round, on_delete=models.CASCADE, related_name="+")
    dimension = models.ForeignKey(
        "assessment.Dimension", on_delete=models.PROTECT, related_name="+"
    )
    total = models.FloatField()
    # The sum of the squared scores: with total and n it gives the standard deviation, so a
    # team's change is judged by the same rule on every page (scoring.change).
    squares = models.FloatField(default=0.0)
    n = models.PositiveIntegerField()

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["round", "dimension"], name="dimension_total_unique")
        ]

    def __str__(self) -> str:
        return f"{self.round_id}/{self.dimension_id}: {self.total}/{self.n}"


class StatementTotal(models.Model):
    """Per round and statement, what its figures rest on: stored when the round's answers
    are deleted after the retention period (results.retention), and only as far as the
    disclosure gate allowed each figure to be shown. Counts of raw answers, before reverse
    scoring, as scoring.ItemCounts holds them."""

    round = models.ForeignKey(Round, on_delete=models.CASCADE, related_name="+")
    item = models.ForeignKey(Item, on_delete=models.PROTECT, related_name="+")
    state_sum = models.PositiveIntegerField(default=0)
    state_squares = models.PositiveIntegerField(default=0)
    state_n = models.PositiveIntegerField(default=0)
    dont_know = models.PositiveIntegerField(default=0)
    not_applicable = models.PositiveIntegerField(default=0)
    importance_sum = models.PositiveIntegerField(default=0)
    importance_n = models.PositiveIntegerField(default=0)
    wants_yes = models.PositiveIntegerField(default=0)
    wants_n = models.PositiveIntegerField(default=0)
    # Answers per scale point 1..max; empty where the gate allows no distribution.
    distribution = models.JSONField(default=list, blank=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["round", "item"], name="statement_total_unique")
        ]

    def __str__(self) -> str:
        return f"{self.round_id}/{self.item_id}: {self.state_sum}/{self.state_n}"
