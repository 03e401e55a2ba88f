from django.urls import path

from . import views

app_name = "privacy"
urlpatterns = [
    path("your-data/", views.my_data, name="my_data"),
    path("your-data.json", views.my_data_json, name="my_data_json"),
    path("your-data.pdf", views.my_data_pdf, name="my_data_pdf"),
    path("people/<id:pk>/erase/", views.erase, name="erase"),
]
