"""Finding what a user may open: anything else is a 404, so nothing leaks that it exists."""

from django.http import Http404, HttpRequest
from django.shortcuts import get_object_or_404

from teams.models import Network, Team, User


class AuthenticatedHttpRequest(HttpRequest):
    """The request of a view behind @login_required: its user is a User, never anonymous."""

    user: User


def network_in_scope(user: User, network_id: int) -> Network:
    return get_object_or_404(user.visible_networks(), pk=network_id)


def team_for(user: User, team_id: int) -> Team:
    """A team the user belongs to, coordinates, or (as admin) oversees."""
    return get_object_or_404(Team.objects.visible_to(user).select_related("network"), pk=team_id)


def team_to_manage(user: User, team_id: int) -> Team:
    """A team the user may change: its facilitators, its coordinators, admins."""
    team = team_for(user, team_id)
    if not team.can_manage(user):
        raise Http404
    return team
