from django.contrib import admin
from django.urls import include, path
from django.utils.translation import gettext_lazy as _

admin.site.site_header = _("Samenspel administration")
admin.site.site_title = _("Samenspel")
admin.site.index_title = _("Administration")

urlpatterns = [
    path("", include("assessment.urls")),
    path("", include("teams.urls")),
    path("account/", include("django.contrib.auth.urls")),
    path("i18n/", include("django.conf.urls.i18n")),
    path("admin/", admin.site.urls),
]
