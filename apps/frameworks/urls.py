from django.urls import path

from . import views

app_name = "frameworks"
V = "<slug:slug>/v<int:number>/"
urlpatterns = [
    path("", views.framework_list, name="list"),
    path("search/", views.question_search, name="search"),
    path("shortlist/", views.shortlist, name="shortlist"),
    path("shortlist/add/", views.shortlist_add, name="shortlist_add"),
    path("shortlist/<id:pk>/remove/", views.shortlist_remove, name="shortlist_remove"),
    path("shortlist/<id:pk>/choose/", views.shortlist_choose, name="shortlist_choose"),
    path("<slug:slug>/", views.framework_detail, name="detail"),
    path("<slug:slug>/versions/", views.versions, name="versions"),
    path("<slug:slug>/versions/new/", views.new_version, name="new_version"),
    path(V, views.version_detail, name="version"),
    path(V + "edit/", views.edit_version, name="edit_version"),
    path(V + "status/", views.change_status, name="change_status"),
    path(V + "diff/", views.diff, name="diff"),
    path(V + "themes/add/", views.edit_theme, name="add_theme"),
    path(V + "themes/<id:theme_id>/edit/", views.edit_theme, name="edit_theme"),
    path(V + "themes/<id:theme_id>/delete/", views.delete_theme, name="delete_theme"),
    path(V + "questions/add/", views.edit_question, name="add_question"),
    path(V + "questions/<id:question_id>/edit/", views.edit_question, name="edit_question"),
    path(V + "questions/<id:question_id>/delete/", views.delete_question,
         name="delete_question"),
]
