from django.urls import path

from . import views

app_name = "improvement"
urlpatterns = [
    path("my-actions/", views.my_actions, name="my_actions"),
    path("my-workshops/", views.my_workshops, name="my_workshops"),
    path("partnerships/<slug:slug>/", views.partnership, name="partnership"),
    path("reviews/<int:pk>/workshop/", views.workshop, name="workshop"),
    path("reviews/<int:pk>/workshop/autosave/", views.workshop_autosave,
         name="workshop_autosave"),
    path("reviews/<int:pk>/plan/", views.plan, name="plan"),
    path("reviews/<int:pk>/plan.csv", views.plan_csv, name="plan_csv"),
    path("reviews/<int:pk>/plan/pdf/", views.plan_pdf, name="plan_pdf"),
    path("reviews/<int:pk>/plan/exports/<int:export_id>/", views.plan_export,
         name="plan_export"),
    path("reviews/<int:pk>/plan/share/", views.share, name="share"),
    path("reviews/<int:pk>/actions/new/", views.action_new, name="action_new"),
    path("reviews/<int:pk>/check-back/", views.checkback, name="checkback"),
    path("actions/<int:action_id>/", views.action_detail, name="action"),
    path("actions/<int:action_id>/edit/", views.action_edit, name="action_edit"),
    path("files/<int:file_id>/", views.action_file, name="action_file"),
]
