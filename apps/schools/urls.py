from django.urls import path

from . import views

app_name = "schools"
urlpatterns = [
    path("import/", views.import_register, name="import"),
    path("import/<id:job_id>/", views.import_status, name="import_status"),
]
