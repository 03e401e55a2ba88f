from django.urls import path

from . import views

app_name = "support"
urlpatterns = [
    path("", views.index, name="index"),
    path("offers/new/", views.offer_new, name="offer_new"),
    path("offers/<id:pk>/withdraw/", views.offer_withdraw, name="offer_withdraw"),
    path("requests/new/", views.request_new, name="request_new"),
    path("requests/<id:pk>/", views.request_detail, name="request_detail"),
    path("requests/<id:pk>/broker/", views.broker, name="broker"),
    path("matches/<id:pk>/", views.match_detail, name="match_detail"),
]
