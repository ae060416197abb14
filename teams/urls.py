from django.urls import path

import config.converters  # noqa: F401  (registers the "secret" path converter)
from teams import views

urlpatterns = [
    path("start/", views.dashboard, name="dashboard"),
    path("networks/", views.network_list, name="network_list"),
    path("networks/<int:network_id>/", views.network_detail, name="network_detail"),
    path("networks/<int:network_id>/teams/new/", views.team_create, name="team_create"),
    path("teams/<int:team_id>/", views.team_detail, name="team_detail"),
    path("teams/<int:team_id>/invite/", views.team_invite, name="team_invite"),
    path(
        "teams/<int:team_id>/invitations/<int:invitation_id>/revoke/",
        views.invitation_revoke,
        name="invitation_revoke",
    ),
    path("invitations/<secret:token>/", views.invitation_accept, name="accept_invitation"),
]
