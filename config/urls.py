from django.contrib import admin
from django.contrib.auth.views import LoginView
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.templatetags.static import static
from django.urls import include, path
from django.utils.translation import gettext_lazy as _

from config import views
from teams.auth_views import PasswordResetConfirmView
from teams.forms import LoginForm

admin.site.site_header = _("Samenspel administration")
admin.site.site_title = _("Samenspel")
admin.site.index_title = _("Administration")


def favicon(request: HttpRequest) -> HttpResponse:
    # Browsers ask for /favicon.ico on pages without a <link rel="icon">, such as the admin.
    return redirect(static("img/favicon.svg"), permanent=True)


handler500 = "config.views.server_error"

urlpatterns = [
    path("favicon.ico", favicon),
    path("health/", views.health, name="health"),
    path("", include("assessment.urls")),
    path("", include("teams.urls")),
    path("account/login/", LoginView.as_view(authentication_form=LoginForm), name="login"),
    path(
        "account/reset/<uidb64>/<token>/",
        PasswordResetConfirmView.as_view(),
        name="password_reset_confirm",
    ),
    path("account/", include("django.contrib.auth.urls")),
    path("i18n/", include("django.conf.urls.i18n")),
    path("admin/", admin.site.urls),
]
