from django import forms
from django.utils import timezone
from django.utils.translation import gettext, ngettext
from django.utils.translation import gettext_lazy as _

from assessment.models import QuestionnaireVersion, Round, Sector
from assessment.questionnaire.structure import structure
from assessment.responding.duration import duration_text

# Three is the least we allow, not what we advise: in a small team people guess who said
# what, and every invented colleague counts against a low number. Here, not as the model's
# help text, so that changing the advice needs no migration.
ADVISED_THRESHOLD_SMALL_TEAM = 5


def version_choice_label(version: QuestionnaireVersion) -> str:
    """Which questionnaire, and what it asks of each respondent: "Full questionnaire
    (version 2): 52 statements, about 8 minutes"."""
    shape = structure(version)
    count = len(shape.all_items)
    statements = ngettext("%(count)d statement", "%(count)d statements", count) % {"count": count}
    return f"{version.label}: {statements}, {duration_text(shape)}"


class VersionChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj) -> str:
        return version_choice_label(obj)


class RoundForm(forms.ModelForm):
    class Meta:
        model = Round
        fields = ["title", "version", "opens_on", "closes_on", "anonymity_threshold"]
        field_classes = {"version": VersionChoiceField}
        widgets = {
            "opens_on": forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
            "closes_on": forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
            # A few versions at most, each with its burden: all in view, not in a menu.
            "version": forms.RadioSelect,
        }
        labels = {"version": _("Questionnaire")}
        help_texts = {
            "title": _("For example “Autumn 2026”."),
            "version": _(
                "The full questionnaire for the main rounds; the short form for a quick pulse "
                "in between. Trends combine both."
            ),
        }

    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        published = QuestionnaireVersion.objects.published().select_related("questionnaire")
        version = self.fields["version"]
        assert isinstance(version, forms.ModelChoiceField)  # a foreign key's form field
        # Full versions first ("full" sorts before "short"), the newest of each on top.
        version.queryset = published.order_by("form", "-published_at", "-number")
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

    def clean_opens_on(self):
        opens_on = self.cleaned_data["opens_on"]
        if opens_on and opens_on < timezone.localdate():
            raise forms.ValidationError(_("The opening date cannot lie in the past."))
        return opens_on

    def clean(self) -> dict:
        cleaned = super().clean() or {}
        opens_on, closes_on = cleaned.get("opens_on"), cleaned.get("closes_on")
        if opens_on and closes_on and closes_on < opens_on:
            self.add_error("closes_on", _("The closing date comes after the opening date."))
        return cleaned


class CodeForm(forms.Form):
    code = forms.CharField(
        label=_("Code"),
        max_length=20,
        help_text=_("8 letters and numbers, for example K7MX-3QPA. Capitals or not, dash or not."),
        widget=forms.TextInput(
            attrs={"autocomplete": "off", "autocapitalize": "characters", "spellcheck": "false"}
        ),
    )


class HeadcountForm(forms.Form):
    """How many colleagues to expect per sector, for the response rate per sector."""

    def __init__(self, data=None, *, round: Round) -> None:
        super().__init__(data, initial=round.expected_per_sector)
        for value, label in Sector.choices:
            self.fields[value] = forms.IntegerField(
                label=label,
                required=False,
                min_value=0,
                max_value=999,
                widget=forms.NumberInput(attrs={"class": "form-control", "inputmode": "numeric"}),
            )

    def expected(self) -> dict[str, int]:
        return {sector: n for sector, n in self.cleaned_data.items() if n}
