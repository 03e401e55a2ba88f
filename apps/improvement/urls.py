from django.urls import path

from .views import actions, checkback, overviews, plan, workshop

app_name = "improvement"
urlpatterns = [
    path("my-actions/", overviews.my_actions, name="my_actions"),
    path("my-workshops/", overviews.my_workshops, name="my_workshops"),
    path("partnerships/<slug:slug>/", overviews.partnership, name="partnership"),
    path("reviews/<id:pk>/workshop/", workshop.workshop, name="workshop"),
    path("reviews/<id:pk>/workshop/when/", workshop.workshop_when, name="workshop_when"),
    path("reviews/<id:pk>/workshop/autosave/", workshop.workshop_autosave,
         name="workshop_autosave"),
    path("reviews/<id:pk>/plan/", plan.plan, name="plan"),
    path("reviews/<id:pk>/plan.csv", plan.plan_csv, name="plan_csv"),
    path("reviews/<id:pk>/plan/pdf/", plan.plan_pdf, name="plan_pdf"),
    path("reviews/<id:pk>/plan/exports/<id:export_id>/", plan.plan_export,
         name="plan_export"),
    path("reviews/<id:pk>/plan/share/", plan.share, name="share"),
    path("reviews/<id:pk>/actions/new/", actions.action_new, name="action_new"),
    path("reviews/<id:pk>/check-back/", checkback.checkback, name="checkback"),
    path("actions/<id:action_id>/", actions.action_detail, name="action"),
    path("actions/<id:action_id>/edit/", actions.action_edit, name="action_edit"),
    path("files/<id:file_id>/", actions.action_file, name="action_file"),
]
