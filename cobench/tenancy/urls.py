"""Tenancy pages and signing in. Parameter names are fixed (`project_id`, `partner_id`, ...):
the isolation suite finds every URL here and fills each name with an object another project owns."""

from allauth.mfa.base import views as mfa_base
from allauth.mfa.recovery_codes import views as recovery_codes
from allauth.mfa.totp import views as totp
from django.contrib.auth import views as auth_views
from django.urls import path
from django.views.generic import RedirectView

from . import views
from .mfa import SignIn, recent_sign_in

P = "projects/<uuid:project_id>"

urlpatterns = [
    path("login/", SignIn.as_view(), name="login"),
    path("login/", SignIn.as_view(), name="account_login"),  # the name allauth's views go back to
    path("login/code/", mfa_base.authenticate, name="mfa_authenticate"),
    path("logout/", auth_views.LogoutView.as_view(), name="logout"),
    path("", views.project_list, name="project-list"),
    path("projects/new/", views.project_create, name="project-create"),
    path(f"{P}/", views.project_home, name="project-home"),
    path(f"{P}/settings/", views.project_settings, name="project-settings"),
    path(f"{P}/partners/", views.partners, name="partners"),
    path(f"{P}/partners/<uuid:partner_id>/", views.partner_edit, name="partner-edit"),
    path(f"{P}/partners/<uuid:partner_id>/remove/", views.partner_remove, name="partner-remove"),
    path(
        f"{P}/partners/<uuid:partner_id>/sharing/",
        views.partner_sharing,
        name="partner-sharing",
    ),
    path(f"{P}/consortium/", views.project_consortium, name="project-consortium"),
    path(f"{P}/members/", views.members, name="members"),
    path(f"{P}/members/<uuid:member_id>/", views.member_edit, name="member-edit"),
    path(f"{P}/members/<uuid:member_id>/remove/", views.member_remove, name="member-remove"),
    path("profile/", views.profile, name="profile"),
    path("profile/password/", views.PasswordChange.as_view(), name="password-change"),
    path("profile/two-factor/", RedirectView.as_view(pattern_name="profile"), name="mfa_index"),
    path(
        "profile/two-factor/set-up/", recent_sign_in(totp.activate_totp), name="mfa_activate_totp"
    ),
    path(
        "profile/two-factor/turn-off/",
        recent_sign_in(totp.deactivate_totp),
        name="mfa_deactivate_totp",
    ),
    path(
        "profile/two-factor/recovery-codes/",
        recovery_codes.view_recovery_codes,
        name="mfa_view_recovery_codes",
    ),
    path(
        "profile/two-factor/recovery-codes/new/",
        recent_sign_in(recovery_codes.generate_recovery_codes),
        name="mfa_generate_recovery_codes",
    ),
    path("profile/organizations/", views.organization_security, name="organization-security"),
    path("profile/sessions/", views.sessions, name="sessions"),
    path("profile/sessions/end-others/", views.sessions_end_others, name="sessions-end-others"),
    path("profile/sessions/<uuid:session_id>/end/", views.session_end, name="session-end"),
    path("session/ping/", views.session_ping, name="session-ping"),
    path("tokens/", views.tokens, name="token-list"),
    path("tokens/<uuid:token_id>/revoke/", views.token_revoke, name="token-revoke"),
]
