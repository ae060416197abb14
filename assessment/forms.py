from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from assessment.models import QuestionnaireVersion, Response, Round


class BackgroundForm(forms.ModelForm):
    class Meta:
        model = Response
        fields = ["sector", "position"]
        labels = {
            "sector": _("Where do you work?"),
            "position": _("What is your position?"),
        }
        widgets = {"sector": forms.RadioSelect, "position": forms.RadioSelect}

    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        for field in self.fields.values():
            field.required = True
            # RadioSelect of a model field with blank=True would offer an empty "---------".
            field.choices = [choice for choice in field.choices if choice[0]]
        self.fields["sector"].error_messages["required"] = _("Choose where you work.")
        self.fields["position"].error_messages["required"] = _("Choose your position.")


class RoundForm(forms.ModelForm):
    class Meta:
        model = Round
        fields = ["title", "version", "closes_on", "anonymity_threshold"]
        widgets = {"closes_on": forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")}
        help_texts = {"title": _("For example “Autumn 2026”.")}

    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        published = QuestionnaireVersion.objects.published().select_related("questionnaire")
        self.fields["version"].queryset = published.order_by("-published_at", "-number")
        self.fields["version"].empty_label = None
        self.fields["version"].initial = published.latest_published()

    def clean_closes_on(self):
        closes_on = self.cleaned_data["closes_on"]
        if closes_on and closes_on < timezone.localdate():
            raise forms.ValidationError(_("The closing date cannot lie in the past."))
        return closes_on
