from django.urls import path

from . import records_views as views

urlpatterns: list = [
    path("sessions/<int:pk>/register/attendance/", views.register_attendance,
         name="register_attendance"),
    path("bookings/<int:pk>/certificate/", views.certificate, name="certificate"),
    path("record/", views.my_record, name="my_record"),
    path("record/pdf/", views.my_record_pdf, name="my_record_pdf"),
    path("record/csv/", views.my_record_csv, name="my_record_csv"),
    path("verify/<str:code>/", views.verify, name="verify"),
]
