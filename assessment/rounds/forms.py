from django import forms
from django.utils import timezone
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from assessment.models import QuestionnaireVersion, Round

# Three is the least we allow, not what we advise: in a small team people guess who said
# what, and every invented colleague counts against a low number. Here, not as the model's
# help text, so that changing the advice needs no migration.
ADVISED_THRESHOLD_SMALL_TEAM = 5


class RoundForm(forms.ModelForm):
    class Meta:
        model = Round
        fields = ["title", "version", "closes_on", "anonymity_threshold"]
        widgets = {"closes_on": forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")}
        help_texts = {"title": _("For example “Autumn 2026”.")}

    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        published = QuestionnaireVersion.objects.published().select_related("questionnaire")
        version = self.fields["version"]
        assert isinstance(version, forms.ModelChoiceField)  # a foreign key's form field
        version.queryset = published.order_by("-published_at", "-number")
        version.empty_label = None
        version.initial = published.latest_published()
        self.fields["anonymity_threshold"].help_text = gettext(
            "Results appear only when at least this many people have completed the "
            "questionnaire. For a small team, choose %(advice)s or more: the fewer people, "
            "the easier it is to guess who answered what."
        ) % {"advice": ADVISED_THRESHOLD_SMALL_TEAM}

    def clean_closes_on(self):
        closes_on = self.cleaned_data["closes_on"]
        if closes_on and closes_on < timezone.localdate():
            raise forms.ValidationError(_("The closing date cannot lie in the past."))
        return closes_on


class CodeForm(forms.Form):
    code = forms.CharField(
        label=_("Code"),
        max_length=20,
        help_text=_("8 letters and numbers, for example K7MX-3QPA. Capitals or not, dash or not."),
        widget=forms.TextInput(
            attrs={"autocomplete": "off", "autocapitalize": "characters", "spellcheck": "false"}
        ),
    )
