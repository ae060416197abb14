"""Per round, what the coordinator's pages sort, filter and show, kept by the code that writes.

Comparing 10,000 teams cannot count every round's responses or read every round's totals on
each request. A `RoundSummary` holds, per round, the responses its figures rest on and the
figures the disclosure gate allowed; `DimensionSummary` the allowed mean per dimension. Both
are rewritten by assessment.comparison.summaries.refresh_summaries wherever a round's
totals, dates or threshold change, and hold nothing the gate did not allow.
"""

from datetime import date

from django.db import models
from django.db.models import Q, QuerySet
from django.utils import timezone


class RoundSummaryQuerySet(QuerySet):
    def ended(self) -> "RoundSummaryQuerySet":
        """Closed, or past the closing date: RoundQuerySet.ended on the stored dates (a round
        whose closing date passes ends without any write, so this is asked at query time)."""
        return self.filter(Q(closed=True) | Q(ends_on__lt=timezone.localdate()))

    def qualifying(self) -> "RoundSummaryQuerySet":
        """Ended rounds whose figures the gate allows: Round.objects.qualifying()."""
        return self.ended().filter(disclosed=True)

    def ended_between(
        self, since: date | None = None, until: date | None = None
    ) -> "RoundSummaryQuerySet":
        """Ended on `since` or later, on `until` or earlier (None: no bound)."""
        rounds = self
        if since:
            rounds = rounds.filter(ends_on__gte=since)
        if until:
            rounds = rounds.filter(ends_on__lte=until)
        return rounds


class RoundSummary(models.Model):
    round = models.OneToOneField(
        "assessment.Round", on_delete=models.CASCADE, primary_key=True, related_name="summary"
    )
    team = models.ForeignKey("teams.Team", on_delete=models.CASCADE, related_name="summaries")
    # The round's, repeated: the latest round of a team is the one created last.
    created = models.DateTimeField()
    closed = models.BooleanField(default=False)  # closed_at is set
    # The local day it was closed, else its closing date (ended once that day is over);
    # None: open without an end. Its quarter, as config.dates.quarter_key, for the trend.
    ends_on = models.DateField(null=True)
    quarter = models.CharField(max_length=8, blank=True)
    shown = models.PositiveIntegerField(default=0)  # Response.shown_filter
    disclosed = models.BooleanField(default=False)  # the gate allows the round's means
    # The mean of the dimension means the gate allows; None: none allowed.
    average = models.FloatField(null=True)
    # All allowed dimension scores together, for the change against the previous round.
    pooled_total = models.FloatField(default=0.0)
    pooled_squares = models.FloatField(default=0.0)
    pooled_n = models.PositiveIntegerField(default=0)
    # When refresh_summaries last wrote it: what the network's figures were computed from
    # (comparison.compare keeps them until a summary in scope is written again).
    refreshed = models.DateTimeField(auto_now=True)

    objects = RoundSummaryQuerySet.as_manager()

    class Meta:
        indexes = [models.Index(fields=["team", "-created"], name="round_summary_latest")]

    def __str__(self) -> str:
        return f"{self.round_id}: {self.shown}"


class DimensionSummary(models.Model):
    """A dimension's mean in a round, only where the gate allows it (no row otherwise)."""

    summary = models.ForeignKey(RoundSummary, on_delete=models.CASCADE, related_name="dimensions")
    # The dimension's key: rounds of different versions meet on it.
    key = models.CharField(max_length=64)
    mean = models.FloatField()
    total = models.FloatField()
    n = models.PositiveIntegerField()

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["summary", "key"], name="dimension_summary_unique")
        ]
        indexes = [models.Index(fields=["key", "mean"], name="dimension_summary_key")]

    def __str__(self) -> str:
        return f"{self.summary_id}/{self.key}: {self.mean:.2f}"
