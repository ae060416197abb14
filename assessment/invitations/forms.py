from django import forms
from django.utils.translation import gettext_lazy as _

from assessment.models import RoundInvitation


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
