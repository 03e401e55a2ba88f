from django.urls import path

from . import views

app_name = "resources"
urlpatterns = [
    path("", views.library, name="library"),
    path("new/", views.create, name="create"),
    path("<int:pk>/", views.detail, name="detail"),
    path("<int:pk>/edit/", views.edit, name="edit"),
    path("<int:pk>/replace/", views.replace, name="replace"),
    path("<int:pk>/download/", views.download, name="download"),
    path("<int:pk>/versions/<int:number>/download/", views.download, name="download_version"),
]
