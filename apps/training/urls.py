from django.urls import path

from .views import bookings, catalogue, meetings, organiser, polls, public, records, reports

app_name = "training"
urlpatterns = [
    path("", catalogue.catalogue, name="catalogue"),
    path("my-bookings/", catalogue.my_bookings, name="my_bookings"),
    path("courses/new/", organiser.course_new, name="course_new"),
    path("courses/<id:pk>/", catalogue.course, name="course"),
    path("courses/<id:pk>/edit/", organiser.course_edit, name="course_edit"),
    path("courses/<id:pk>/sessions/new/", organiser.session_new, name="session_new"),
    path("sessions/<id:pk>/", catalogue.session, name="session"),
    path("sessions/<id:pk>/edit/", organiser.session_edit, name="session_edit"),
    path("sessions/<id:pk>/cancel/", organiser.session_cancel, name="session_cancel"),
    path("sessions/<id:pk>/reinstate/", meetings.session_reinstate, name="session_reinstate"),
    path("sessions/<id:pk>/book/", bookings.book, name="book"),
    path("sessions/<id:pk>/book-for-staff/", bookings.book_for_staff, name="book_for_staff"),
    path("sessions/<id:pk>/waiting-list/", organiser.waiting_list, name="waiting_list"),
    path("bookings/<id:pk>/cancel/", bookings.booking_cancel, name="booking_cancel"),
    path("bookings/<id:pk>/offer/", bookings.booking_offer, name="booking_offer"),
    # National meeting series, and the recording and slides of a meeting
    path("national-meetings/", meetings.series_list, name="series_list"),
    path("national-meetings/new/", meetings.series_new, name="series_new"),
    path("national-meetings/<id:pk>/", meetings.series, name="series"),
    path("national-meetings/<id:pk>/edit/", meetings.series_edit, name="series_edit"),
    path("sessions/<id:pk>/materials/", meetings.materials, name="materials"),
    path("sessions/<id:pk>/materials/withdraw/", meetings.materials_withdraw,
         name="materials_withdraw"),
    path("sessions/<id:pk>/slides/", meetings.slides, name="slides"),
    # Registration from outside the programme
    path("sessions/<id:pk>/register/", public.register, name="register"),
    path("confirm/<str:token>/", public.confirm, name="confirm"),
    path("unsubscribe/<str:token>/", public.unsubscribe, name="unsubscribe"),
    # The register, certificates and training records
    path("sessions/<id:pk>/register/attendance/", records.register_attendance,
         name="register_attendance"),
    path("bookings/<id:pk>/certificate/", records.certificate, name="certificate"),
    path("record/", records.my_record, name="my_record"),
    path("record/pdf/", records.my_record_pdf, name="my_record_pdf"),
    path("record/csv/", records.my_record_csv, name="my_record_csv"),
    path("verify/<str:code>/", records.verify, name="verify"),
    # Live polls, session feedback and the core team's aggregates
    path("sessions/<id:pk>/polls/", polls.polls, name="polls"),
    path("sessions/<id:pk>/current-poll/", polls.current_poll, name="current_poll"),
    path("sessions/<id:pk>/feedback/", polls.feedback, name="feedback"),
    path("polls/<id:pk>/", polls.poll_answer, name="poll_answer"),
    path("polls/<id:pk>/results/", polls.poll_results, name="poll_results"),
    path("aggregates/", polls.aggregates, name="aggregates"),
    # Reports and CSV
    path("reports/", reports.reports_page, name="reports"),
    path("reports.csv", reports.reports_csv, name="reports_csv"),
]
