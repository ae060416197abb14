from django import forms
from django.utils.translation import gettext_lazy as _

from assessment.models import Response


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
