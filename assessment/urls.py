from django.urls import path

import config.converters  # noqa: F401  (registers the "secret" path converter)
from assessment import views
from assessment.comparison import views as coordinator_views
from assessment.invitations import views as invitation_views
from assessment.meetings import phone as meeting_phone
from assessment.meetings import views as meeting_views
from assessment.plans import views as plan_views
from assessment.responding import views as respond
from assessment.results import views as result_views
from assessment.rounds import views as round_views

urlpatterns = [
    path("", views.home, name="home"),
    path("about/", views.about, name="about"),
    path("privacy/", views.privacy, name="privacy"),
    # Coordinators
    path("compare/", coordinator_views.compare_teams, name="compare_teams"),
    path("compare.csv", coordinator_views.compare_csv, name="compare_csv"),
    # Facilitators
    path("teams/<int:team_id>/rounds/new/", round_views.round_create, name="round_create"),
    path("rounds/<int:round_id>/", round_views.round_detail, name="round_detail"),
    path("rounds/<int:round_id>/poster/", round_views.round_poster, name="round_poster"),
    path("rounds/<int:round_id>/close/", round_views.round_close, name="round_close"),
    path("rounds/<int:round_id>/invite/", invitation_views.round_invite, name="round_invite"),
    path("rounds/<int:round_id>/headcount/", round_views.round_headcount, name="round_headcount"),
    path(
        "rounds/<int:round_id>/reminders/",
        invitation_views.round_reminders,
        name="round_reminders",
    ),
    path("rounds/<int:round_id>/discussed/", round_views.round_discussed, name="round_discussed"),
    path("rounds/<int:round_id>/reopen/", round_views.round_reopen, name="round_reopen"),
    path("rounds/<int:round_id>/delete/", round_views.round_delete, name="round_delete"),
    path("rounds/<int:round_id>/results/", result_views.results_page, name="round_results"),
    path("rounds/<int:round_id>/results.csv", result_views.results_csv, name="round_results_csv"),
    path("rounds/<int:round_id>/actions/new/", plan_views.action_create, name="action_create"),
    path("rounds/<int:round_id>/plan/", plan_views.plan_print, name="round_plan"),
    path("actions/<int:action_id>/", plan_views.action_edit, name="action_edit"),
    path("meeting-guide/", round_views.meeting_guide, name="meeting_guide"),
    # The team conversation: the presenter's screen and controls
    path("rounds/<int:round_id>/meeting/", meeting_views.meeting_start, name="meeting_start"),
    path("meetings/<int:meeting_id>/", meeting_views.meeting_present, name="meeting_present"),
    path("meetings/<int:meeting_id>/move/", meeting_views.meeting_move, name="meeting_move"),
    path("meetings/<int:meeting_id>/agenda/", meeting_views.meeting_agenda, name="meeting_agenda"),
    path("meetings/<int:meeting_id>/vote/", meeting_views.meeting_vote, name="meeting_vote"),
    path("meetings/<int:meeting_id>/action/", meeting_views.meeting_action, name="meeting_action"),
    path("meetings/<int:meeting_id>/status/", meeting_views.meeting_status, name="meeting_status"),
    path(
        "meetings/<int:meeting_id>/summary/", meeting_views.meeting_summary, name="meeting_summary"
    ),
    # ... and the phones, by the meeting's code
    path("m/", meeting_phone.meeting_join, name="meeting_join"),
    path("m/<str:code>/", meeting_phone.meeting_phone, name="meeting_phone"),
    path("m/<str:code>/state/", meeting_phone.meeting_state, name="meeting_state"),
    path("m/<str:code>/step/", meeting_phone.meeting_step, name="meeting_step"),
    path("m/<str:code>/vote/", meeting_phone.meeting_cast, name="meeting_cast"),
    # Respondents: the short code, the round's shared link, then the respondent's own secret link.
    path("code/", round_views.enter_code, name="enter_code"),
    path("r/<secret:token>/", respond.respond_start, name="respond_start"),
    path("i/<secret:secret>/", respond.respond_invited, name="invitation_open"),
    path("r/<secret:token>/results/", result_views.results_public, name="results_public"),
    path("a/<secret:token>/", respond.respond_resume, name="respond_resume"),
    path("a/<secret:token>/background/", respond.respond_background, name="respond_background"),
    path("a/<secret:token>/p/<int:page>/", respond.respond_page, name="respond_page"),
    path("a/<secret:token>/p/<int:page>/answer/", respond.respond_answer, name="respond_answer"),
    path("a/<secret:token>/review/", respond.respond_review, name="respond_review"),
    path("a/<secret:token>/submit/", respond.respond_submit, name="respond_submit"),
    path("a/<secret:token>/thanks/", respond.respond_thanks, name="respond_thanks"),
]
