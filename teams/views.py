from django.contrib import messages
from django.contrib.auth import login
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.db.models import Count, OuterRef, Subquery
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from teams.access import AuthenticatedHttpRequest, network_in_scope, team_for, team_to_manage
from teams.forms import AcceptInvitationForm, InvitationForm, TeamForm
from teams.mail import invitation_link, send_invitation
from teams.models import Invitation, Team, User
from teams.services import InvitationUnusable, accept_invitation, create_team


@login_required
def dashboard(request: AuthenticatedHttpRequest) -> HttpResponse:
    """Send each person to the page that fits their role."""
    user = request.user
    if user.is_superuser or user.is_coordinator:
        return redirect("network_list")
    teams = list(Team.objects.filter(memberships__user=user))
    if len(teams) == 1:
        return redirect(teams[0])
    return render(request, "teams/my_teams.html", {"teams": teams})


@login_required
def network_list(request: AuthenticatedHttpRequest) -> HttpResponse:
    networks = request.user.visible_networks().annotate(team_count=Count("teams"))
    if not request.user.is_superuser and not networks:
        raise Http404
    return render(request, "teams/network_list.html", {"networks": networks})


@login_required
def network_detail(request: AuthenticatedHttpRequest, network_id: int) -> HttpResponse:
    """The network's teams, each with its latest round: date, response against team size,
    status. Counts only, never names."""
    from assessment.models import Round

    network = network_in_scope(request.user, network_id)
    latest = Round.objects.filter(team=OuterRef("pk")).order_by("-created", "-pk")
    teams = network.teams.annotate(latest_round_id=Subquery(latest.values("pk")[:1]))
    page = Paginator(teams, 50).get_page(request.GET.get("page"))
    rounds = Round.objects.with_counts().in_bulk(
        [team.latest_round_id for team in page.object_list if team.latest_round_id]
    )
    rows = [(team, rounds.get(team.latest_round_id)) for team in page.object_list]
    return render(
        request, "teams/network_detail.html", {"network": network, "page": page, "rows": rows}
    )


@login_required
def team_create(request: AuthenticatedHttpRequest, network_id: int) -> HttpResponse:
    network = network_in_scope(request.user, network_id)
    form = TeamForm(request.POST if request.method == "POST" else None, network=network)
    if request.method == "POST" and form.is_valid():
        invitation = create_team(
            network=network,
            name=form.cleaned_data["name"],
            description=form.cleaned_data["description"],
            facilitator_email=form.cleaned_data["facilitator_email"],
            size=form.cleaned_data["size"],
            invited_by=request.user,
        )
        send_invitation(invitation, request)
        messages.success(
            request,
            _("Team “%(team)s” was created and %(email)s was invited as its facilitator.")
            % {"team": invitation.team.name, "email": invitation.email},
        )
        return redirect(invitation.team)
    return render(request, "teams/team_create.html", {"network": network, "form": form})


def _team_page(
    request: AuthenticatedHttpRequest,
    team: Team,
    invitation_form: InvitationForm | None = None,
    status: int = 200,
) -> HttpResponse:
    can_manage = team.can_manage(request.user)
    context = {
        "team": team,
        "can_manage": can_manage,
        "memberships": team.memberships.select_related("user").order_by("role", "user__name"),
        # Explicitly: Django drops Meta.ordering from queries that aggregate (with_counts).
        "rounds": team.rounds.with_counts().order_by("-created", "-pk"),
    }
    if can_manage:
        from assessment.rounds.standing import team_standing

        context["standing"] = team_standing(team)
        context["invitations"] = [
            (invitation, invitation_link(invitation, request))
            for invitation in team.invitations.pending()
        ]
        context["invitation_form"] = invitation_form or InvitationForm()
    return render(request, "teams/team_detail.html", context, status=status)


@login_required
def team_detail(request: AuthenticatedHttpRequest, team_id: int) -> HttpResponse:
    return _team_page(request, team_for(request.user, team_id))


@login_required
@require_POST
def team_invite(request: AuthenticatedHttpRequest, team_id: int) -> HttpResponse:
    team = team_to_manage(request.user, team_id)
    form = InvitationForm(request.POST)
    if not form.is_valid():
        return _team_page(request, team, form, status=400)
    invitation = Invitation.objects.create(
        team=team,
        email=form.cleaned_data["email"].lower(),
        role=form.cleaned_data["role"],
        invited_by=request.user,
    )
    send_invitation(invitation, request)
    messages.success(
        request,
        _("%(email)s was invited. The link below can also be copied and shared.")
        % {"email": invitation.email},
    )
    return redirect(team)


@login_required
@require_POST
def invitation_revoke(
    request: AuthenticatedHttpRequest, team_id: int, invitation_id: int
) -> HttpResponse:
    team = team_to_manage(request.user, team_id)
    invitation = get_object_or_404(team.invitations.pending(), pk=invitation_id)
    invitation.delete()
    messages.success(
        request, _("The invitation for %(email)s was withdrawn.") % {"email": invitation.email}
    )
    return redirect(team)


def invitation_accept(request: HttpRequest, token: str) -> HttpResponse:
    invitation = Invitation.objects.select_related("team").filter(token=token).first()
    if invitation is None or not invitation.is_usable:
        return render(request, "teams/invitation_unusable.html", status=404)

    existing = User.objects.filter(email__iexact=invitation.email).first()
    if existing is not None:
        # An account exists: joining needs that account, logged in.
        if request.user != existing:
            return render(
                request,
                "teams/invitation_login.html",
                {"invitation": invitation, "wrong_user": request.user.is_authenticated},
            )
        if request.method == "POST":
            return _joined(request, invitation, user=existing)
        return render(request, "teams/invitation_confirm.html", {"invitation": invitation})

    form = AcceptInvitationForm(
        request.POST if request.method == "POST" else None, email=invitation.email
    )
    if request.method == "POST" and form.is_valid():
        return _joined(
            request,
            invitation,
            name=form.cleaned_data["name"],
            password=form.cleaned_data["password1"],
        )
    return render(request, "teams/invitation_accept.html", {"invitation": invitation, "form": form})


def _joined(request: HttpRequest, invitation: Invitation, **account) -> HttpResponse:
    try:
        user = accept_invitation(invitation=invitation, **account)
    except InvitationUnusable:
        return render(request, "teams/invitation_unusable.html", status=404)
    login(request, user, backend="django.contrib.auth.backends.ModelBackend")
    messages.success(request, _("Welcome to %(team)s.") % {"team": invitation.team.name})
    return redirect(invitation.team)
