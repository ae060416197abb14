from django import forms
from django.utils.translation import gettext_lazy as _

from assessment.models import Position, Response, Sector


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
        for name, choices in (("sector", Sector.choices), ("position", Position.choices)):
            field = self.fields[name]
            assert isinstance(field, forms.ChoiceField)  # a model field with choices
            field.required = True
            # Only real answers: RadioSelect of a model field with blank=True would also
            # offer an empty "---------".
            field.choices = choices
        self.fields["sector"].error_messages["required"] = _("Choose where you work.")
        self.fields["position"].error_messages["required"] = _("Choose your position.")
