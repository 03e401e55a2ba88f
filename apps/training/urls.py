from django.urls import include, path

from . import views

app_name = "training"
urlpatterns = [
    path("", views.catalogue, name="catalogue"),
    path("my-bookings/", views.my_bookings, name="my_bookings"),
    path("courses/new/", views.course_new, name="course_new"),
    path("courses/<int:pk>/", views.course, name="course"),
    path("courses/<int:pk>/edit/", views.course_edit, name="course_edit"),
    path("courses/<int:pk>/sessions/new/", views.session_new, name="session_new"),
    path("sessions/<int:pk>/", views.session, name="session"),
    path("sessions/<int:pk>/edit/", views.session_edit, name="session_edit"),
    path("sessions/<int:pk>/cancel/", views.session_cancel, name="session_cancel"),
    path("sessions/<int:pk>/book/", views.book, name="book"),
    path("sessions/<int:pk>/book-for-staff/", views.book_for_staff, name="book_for_staff"),
    path("sessions/<int:pk>/waiting-list/", views.waiting_list, name="waiting_list"),
    path("bookings/<int:pk>/cancel/", views.booking_cancel, name="booking_cancel"),
    path("bookings/<int:pk>/offer/", views.booking_offer, name="booking_offer"),
    # Other parts of the training app, each in its own module:
    path("", include("apps.training.urls_public")),    # registration from outside
    path("", include("apps.training.urls_records")),   # register, certificates, records
    path("", include("apps.training.urls_polls")),     # live polls, feedback, aggregates
    path("", include("apps.training.urls_reports")),   # reports and CSV
]
