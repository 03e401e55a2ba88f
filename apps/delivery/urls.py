from django.urls import path

from . import views

app_name = "delivery"
urlpatterns = [
    path("", views.index, name="index"),
    path("nominate/", views.nominate, name="nominate"),
    path("nominate/<id:user_id>/", views.nominate_person, name="nominate_person"),
    path("<id:pk>/", views.detail, name="detail"),
    path("<id:pk>/withdraw/", views.withdraw, name="withdraw"),
    path("<id:pk>/decide/", views.decide, name="decide"),
    path("<id:pk>/reopen/", views.reopen, name="reopen"),
    path("<id:pk>/dates/", views.change_dates, name="change_dates"),
    path("<id:pk>/end/", views.end, name="end"),
    path("<id:pk>/attach/", views.attach, name="attach"),
    path("attachments/<id:pk>/", views.attachment, name="attachment"),
    path("attachments/<id:pk>/change/", views.change_attachment, name="change_attachment"),
    path("attachments/<id:pk>/record/", views.record_activity, name="record_activity"),
    path("activities/<id:pk>/remove/", views.remove_activity, name="remove_activity"),
]
