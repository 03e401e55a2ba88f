from django.urls import path

from .views import asking, deciding, detail, memberships, overview

app_name = "alumni"
urlpatterns = [
    path("", overview.index, name="index"),
    path("ask/", asking.request_join, name="request"),
    path("memberships/", memberships.memberships, name="memberships"),
    path("<id:pk>/", detail.detail, name="detail"),
    path("<id:pk>/withdraw/", asking.withdraw, name="withdraw"),
    path("<id:pk>/renew/", asking.renew, name="renew"),
    path("<id:pk>/decide/", deciding.decide, name="decide"),
    path("<id:pk>/reopen/", deciding.reopen, name="reopen"),
    path("<id:pk>/dates/", memberships.change_dates, name="change_dates"),
    path("<id:pk>/end/", memberships.end, name="end"),
]
