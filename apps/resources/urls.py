from django.urls import path

from . import views

app_name = "resources"
urlpatterns = [
    path("", views.library, name="library"),
    path("new/", views.create, name="create"),
    path("<id:pk>/", views.detail, name="detail"),
    path("<id:pk>/edit/", views.edit, name="edit"),
    path("<id:pk>/replace/", views.replace, name="replace"),
    path("<id:pk>/download/", views.download, name="download"),
    path("<id:pk>/versions/<int:number>/download/", views.download, name="download_version"),
]
