from django.urls import path

from . import reports_views

urlpatterns: list = [
    path("reports/", reports_views.reports_page, name="reports"),
    path("reports.csv", reports_views.reports_csv, name="reports_csv"),
]
