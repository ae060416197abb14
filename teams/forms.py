from typing import Any

from django import forms
from django.contrib.auth import password_validation
from django.contrib.auth.forms import AuthenticationForm
from django.utils.translation import gettext_lazy as _

from teams.models import Membership, Team, User


class TeamForm(forms.Form):
    name = forms.CharField(label=_("Team name"), max_length=120)
    description = forms.CharField(
        label=_("Description"),
        max_length=300,
        required=False,
        help_text=_("For example the location or the partners that work together in it."),
    )
    size = forms.IntegerField(
        label=_("Team size"),
        min_value=1,
        max_value=999,
        required=False,
        help_text=_("How many people work in the team, to show the response rate."),
    )
    facilitator_email = forms.EmailField(
        label=_("Email address of the facilitator"),
        help_text=_("They receive an invitation link with which they set their password."),
    )

    def __init__(self, *args, network, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.network = network

    def clean_name(self) -> str:
        name = self.cleaned_data["name"].strip()
        if Team.objects.filter(network=self.network, name__iexact=name).exists():
            raise forms.ValidationError(_("This network already has a team with this name."))
        return name


class InvitationForm(forms.Form):
    email = forms.EmailField(label=_("Email address"))
    role = forms.ChoiceField(
        label=_("Role"),
        choices=Membership.Role.choices,
        initial=Membership.Role.FACILITATOR,
        help_text=_("Facilitators run measurement rounds; members read the results."),
    )


class AcceptInvitationForm(forms.Form):
    name = forms.CharField(label=_("Your name"), max_length=150)
    password1 = forms.CharField(
        label=_("Password"),
        strip=False,
        widget=forms.PasswordInput(attrs={"autocomplete": "new-password"}),
        help_text=password_validation.password_validators_help_text_html(),
    )
    password2 = forms.CharField(
        label=_("Password again"),
        strip=False,
        widget=forms.PasswordInput(attrs={"autocomplete": "new-password"}),
    )

    def __init__(self, *args, email: str, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.email = email

    def clean(self) -> dict[str, Any]:
        super().clean()
        cleaned = self.cleaned_data
        password1, password2 = cleaned.get("password1"), cleaned.get("password2")
        if password1 and password2 and password1 != password2:
            self.add_error("password2", _("The two passwords differ."))
        elif password1:
            from teams.models import User

            candidate = User(email=self.email, name=cleaned.get("name", ""))
            try:
                password_validation.validate_password(password1, candidate)
            except forms.ValidationError as error:
                self.add_error("password1", error)
        return cleaned


class LoginForm(AuthenticationForm):
    """Django's login form, which does not itself refuse an over-long name: no email
    address is longer than 254 characters, and a longer one would only load the database."""

    def clean_username(self) -> str:
        username = self.cleaned_data.get("username") or ""
        longest = User._meta.get_field("email").max_length
        if longest is not None and len(username) > longest:
            raise forms.ValidationError(
                self.error_messages["invalid_login"],
                code="invalid_login",
                params={"username": self.username_field.verbose_name},
            )
        return username
