from datetime import date

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from assessment.invitations.reminders import MAX_REMINDERS
from assessment.models import Round, RoundInvitation


class InviteForm(forms.Form):
    addresses = forms.CharField(
        label=_("E-mail addresses"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 4, "autocomplete": "off", "spellcheck": "false"}),
        help_text=_("One per line, or separated by commas, as you copy them from your mail."),
    )
    members = forms.BooleanField(
        label=_("Also the team's members who have an account in Samenspel"), required=False
    )
    language = forms.ChoiceField(
        label=_("Language of the mail and the questionnaire"),
        choices=RoundInvitation.Language.choices,
        initial=RoundInvitation.Language.DUTCH,
        widget=forms.RadioSelect,
    )

    def clean(self) -> dict:
        cleaned = super().clean() or {}
        if not cleaned.get("addresses", "").strip() and not cleaned.get("members"):
            raise forms.ValidationError(_("Paste at least one e-mail address."))
        return cleaned


class RemindersForm(forms.Form):
    """Up to three days on which invited colleagues who have not finished get a reminder."""

    def __init__(self, data=None, *, round: Round) -> None:
        days = [date.fromisoformat(day) for day in round.reminder_days]
        initial = {f"day_{n}": day for n, day in enumerate(days, start=1)}
        super().__init__(data, initial=initial)
        self.round = round
        for n in range(1, MAX_REMINDERS + 1):
            self.fields[f"day_{n}"] = forms.DateField(
                label=_("Reminder %(n)d") % {"n": n},
                required=False,
                widget=forms.DateInput(
                    attrs={"type": "date", "class": "form-control"}, format="%Y-%m-%d"
                ),
            )

    def clean(self) -> dict:
        cleaned = super().clean() or {}
        today = timezone.localdate()
        days = sorted({day for day in cleaned.values() if day})
        if any(day < today for day in days):
            raise forms.ValidationError(_("A reminder day cannot lie in the past."))
        if self.round.closes_on and any(day > self.round.closes_on for day in days):
            raise forms.ValidationError(_("A reminder day comes before the closing date."))
        cleaned["days"] = [day.isoformat() for day in days]
        return cleaned
