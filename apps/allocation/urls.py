from django.urls import path

from . import views

app_name = "allocation"
urlpatterns = [
    path("preferences/", views.profile, name="profile"),
    path("cycles/<int:pk>/", views.cycle_runs, name="cycle"),
    path("runs/<int:pk>/", views.run_detail, name="run"),
    path("runs/<int:pk>/adjust/", views.adjust, name="adjust"),
    path("runs/<int:pk>/publish/", views.publish, name="publish"),
]
