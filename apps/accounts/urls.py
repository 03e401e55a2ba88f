from django.urls import path

from . import display_views, language_views, sessions, token_views, views

app_name = "accounts"
urlpatterns = [
    path("me/", views.me, name="me"),
    path("display/", display_views.display_settings, name="display"),
    path("language/", language_views.language_settings, name="language"),
    path("session/", sessions.session_status, name="session"),
    path("invitations/<str:token>/", views.accept_invitation, name="accept_invitation"),
    path("account/api-tokens/", token_views.tokens, name="tokens"),
    path("account/api-tokens/<id:pk>/revoke/", token_views.revoke_token, name="revoke_token"),
]
