from django.urls import path

from . import views

app_name = "allocation"
urlpatterns = [
    path("preferences/", views.profile, name="profile"),
    path("cycles/<id:pk>/", views.cycle_runs, name="cycle"),
    path("runs/<id:pk>/", views.run_detail, name="run"),
    path("runs/<id:pk>/adjust/", views.adjust, name="adjust"),
    path("runs/<id:pk>/publish/", views.publish, name="publish"),
]
