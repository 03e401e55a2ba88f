from django.urls import path

from . import sessions, token_views, views

app_name = "accounts"
urlpatterns = [
    path("me/", views.me, name="me"),
    path("session/", sessions.session_status, name="session"),
    path("people/", views.people, name="people"),
    path("people/invite/", views.invite, name="invite"),
    path("people/invitations/<id:pk>/withdraw/", views.revoke_invitation,
         name="revoke_invitation"),
    path("people/roles/<id:pk>/end/", views.end_role, name="end_role"),
    path("people/<id:pk>/training/", views.training_dates, name="training_dates"),
    path("people/<id:pk>/email/", views.change_email, name="change_email"),
    path("invitations/<str:token>/", views.accept_invitation, name="accept_invitation"),
    path("account/api-tokens/", token_views.tokens, name="tokens"),
    path("account/api-tokens/<id:pk>/revoke/", token_views.revoke_token, name="revoke_token"),
]
