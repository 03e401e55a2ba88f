from django.urls import path

from . import views

app_name = "people"
urlpatterns = [
    path("", views.people, name="people"),
    path("invite/", views.invite, name="invite"),
    path("invitations/<id:pk>/withdraw/", views.revoke_invitation, name="revoke_invitation"),
    path("roles/<id:pk>/end/", views.end_role, name="end_role"),
    path("<id:pk>/training/", views.training_dates, name="training_dates"),
    path("<id:pk>/email/", views.change_email, name="change_email"),
]
