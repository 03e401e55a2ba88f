from django.urls import path

from .views import actions, checkback, overviews, plan, workshop

app_name = "improvement"
urlpatterns = [
    path("my-actions/", overviews.my_actions, name="my_actions"),
    path("my-workshops/", overviews.my_workshops, name="my_workshops"),
    path("partnerships/<slug:slug>/", overviews.partnership, name="partnership"),
    path("reviews/<int:pk>/workshop/", workshop.workshop, name="workshop"),
    path("reviews/<int:pk>/workshop/autosave/", workshop.workshop_autosave,
         name="workshop_autosave"),
    path("reviews/<int:pk>/plan/", plan.plan, name="plan"),
    path("reviews/<int:pk>/plan.csv", plan.plan_csv, name="plan_csv"),
    path("reviews/<int:pk>/plan/pdf/", plan.plan_pdf, name="plan_pdf"),
    path("reviews/<int:pk>/plan/exports/<int:export_id>/", plan.plan_export,
         name="plan_export"),
    path("reviews/<int:pk>/plan/share/", plan.share, name="share"),
    path("reviews/<int:pk>/actions/new/", actions.action_new, name="action_new"),
    path("reviews/<int:pk>/check-back/", checkback.checkback, name="checkback"),
    path("actions/<int:action_id>/", actions.action_detail, name="action"),
    path("actions/<int:action_id>/edit/", actions.action_edit, name="action_edit"),
    path("files/<int:file_id>/", actions.action_file, name="action_file"),
]
