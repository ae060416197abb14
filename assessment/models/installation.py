from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.utils.translation import gettext_lazy as _

DEFAULT_RETENTION_MONTHS = 24


class Installation(models.Model):
    """The settings of this Samenspel site that an administrator edits in admin: one row."""

    retention_months = models.PositiveSmallIntegerField(
        _("retention period (months)"),
        default=DEFAULT_RETENTION_MONTHS,
        validators=[MinValueValidator(1), MaxValueValidator(240)],
        help_text=_(
            "This many months after a round ended, its answers are deleted; only its team "
            "results remain, so trends and comparisons keep working."
        ),
    )

    class Meta:
        verbose_name = _("installation settings")
        verbose_name_plural = _("installation settings")

    def __str__(self) -> str:
        return str(_("Installation settings"))

    def save(self, *args, **kwargs) -> None:
        self.pk = 1  # one row: a second save edits the first
        super().save(*args, **kwargs)

    @classmethod
    def current(cls) -> "Installation":
        """The settings; their defaults while an administrator saved none (reading a page
        writes nothing)."""
        return cls.objects.filter(pk=1).first() or cls(pk=1)
