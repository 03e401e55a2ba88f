from django.urls import path

from . import survey_views, views

app_name = "impact"
urlpatterns = [
    path("", views.index, name="index"),
    path("outcomes/import/", views.outcomes_import, name="outcomes_import"),
    path("outcomes/import/<id:pk>/", views.outcomes_import_status,
         name="outcomes_import_status"),
    path("analyses/", views.analyses, name="analyses"),
    path("analyses/new/", views.analysis_new, name="analysis_new"),
    path("analyses/<id:pk>/", views.analysis, name="analysis"),
    path("analyses/<id:pk>/export.<str:fmt>", views.analysis_export, name="analysis_export"),
    path("fidelity/", views.fidelity_list, name="fidelity"),
    path("fidelity/export.<str:fmt>", views.fidelity_export, name="fidelity_export"),
    path("fidelity/<slug:slug>/", views.fidelity_partnership, name="fidelity_partnership"),
    path("reports/<id:pk>/", views.commissioner_report, name="commissioner_report"),
    path("reports/<id:pk>/summary.pdf", views.commissioner_report_pdf,
         name="commissioner_report_pdf"),
    path("surveys/", survey_views.survey_list, name="surveys"),
    path("surveys/new/", survey_views.survey_new, name="survey_new"),
    path("surveys/<id:pk>/", survey_views.survey_detail, name="survey"),
    path("surveys/waves/<id:pk>/", survey_views.wave_results, name="wave_results"),
    path("surveys/waves/<id:pk>/export.<str:fmt>", survey_views.wave_export,
         name="wave_export"),
    path("surveys/waves/<id:pk>/close/", survey_views.wave_close, name="wave_close"),
    path("surveys/mine/", survey_views.my_surveys, name="my_surveys"),
    path("surveys/answer/<str:token>/", survey_views.answer, name="answer"),
]
