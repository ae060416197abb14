"""Django's own account pages, with one change: a new password lifts a login lockout."""

from axes.models import AccessAttempt
from django.contrib.auth import views as auth_views
from django.http import HttpResponse


class PasswordResetConfirmView(auth_views.PasswordResetConfirmView):
    """Whoever set a new password through the emailed link owns the account: the failed
    logins counted against it no longer matter, so they can log in straight away."""

    def form_valid(self, form) -> HttpResponse:
        response = super().form_valid(form)
        AccessAttempt.objects.filter(username=form.user.email.lower()).delete()
        return response
