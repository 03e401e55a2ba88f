from django.urls import path

from . import public_views

urlpatterns: list = [
    path("sessions/<int:pk>/register/", public_views.register, name="register"),
    path("confirm/<str:token>/", public_views.confirm, name="confirm"),
    path("unsubscribe/<str:token>/", public_views.unsubscribe, name="unsubscribe"),
]
