"""Django's own account pages, with one change: a new password lifts a login lockout."""

from django.contrib.auth import views as auth_views
from django.http import HttpResponse

from config.login_guard import failed_logins


class PasswordResetConfirmView(auth_views.PasswordResetConfirmView):
    """Whoever set a new password through the emailed link owns the account: the failed
    logins counted against it no longer matter, so they can log in straight away."""

    def form_valid(self, form) -> HttpResponse:
        response = super().form_valid(form)
        failed_logins(form.user.email).delete()
        return response
