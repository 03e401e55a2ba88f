from django.urls import path

from . import views

app_name = "people"
urlpatterns = [
    path("", views.people, name="people"),
    path("invite/", views.invite, name="invite"),
    path("invitations/<int:pk>/withdraw/", views.revoke_invitation, name="revoke_invitation"),
    path("roles/<int:pk>/end/", views.end_role, name="end_role"),
    path("<int:pk>/training/", views.training_dates, name="training_dates"),
    path("<int:pk>/email/", views.change_email, name="change_email"),
]
