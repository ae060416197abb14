from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from assessment.models import Action, QuestionnaireVersion


class ActionForm(forms.ModelForm):
    topic = forms.ChoiceField(
        label=_("About"), help_text=_("A whole dimension, or one statement in it.")
    )

    class Meta:
        model = Action
        fields = ["topic", "text", "owner", "due_date", "status"]
        widgets = {
            "text": forms.Textarea(attrs={"rows": 3}),
            "due_date": forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
        }

    def __init__(self, *args, version: QuestionnaireVersion, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.topics: dict[str, tuple[str, str, str]] = {}  # value -> (dimension, item, topic)
        choices = []
        for dimension in version.ordered_dimensions():
            value = f"d:{dimension.key}"
            self.topics[value] = (dimension.key, "", dimension.name)
            group = [(value, _("The whole dimension: %(name)s") % {"name": dimension.name})]
            for item in dimension.items.all():
                item_value = f"i:{item.key}"
                self.topics[item_value] = (dimension.key, item.key, item.text)
                group.append((item_value, item.text))
            choices.append((dimension.name, group))
        topic = self.fields["topic"]
        assert isinstance(topic, forms.ChoiceField)  # declared above
        topic.choices = choices
        # With JavaScript, choosing a topic reloads the page with that topic's ideas.
        self.fields["topic"].widget.attrs["data-reload-with"] = "topic"
        if self.instance.pk:
            # The topic of an existing action stays; it may be from an older version.
            del self.fields["topic"]
        self.fields["text"].error_messages["required"] = _("Describe what the team will do.")

    def clean_due_date(self):
        due = self.cleaned_data.get("due_date")
        if due and not self.instance.pk and due < timezone.localdate():
            raise forms.ValidationError(_("The date cannot lie in the past."))
        return due

    def topic_fields(self) -> dict[str, str]:
        dimension_key, item_key, topic = self.topics[self.cleaned_data["topic"]]
        return {"dimension_key": dimension_key, "item_key": item_key, "topic": topic}
