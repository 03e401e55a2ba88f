from django.urls import path

from . import views

app_name = "partnerships"
urlpatterns = [
    path("", views.partnership_list, name="list"),
    path("new/", views.partnership_create, name="create"),
    path("<slug:slug>/", views.partnership_detail, name="detail"),
    path("<slug:slug>/schools/add/", views.add_school, name="add_school"),
    path("<slug:slug>/schools/<id:membership_id>/leave/", views.remove_school,
         name="remove_school"),
    path("<slug:slug>/phase/", views.change_phase, name="change_phase"),
    path("<slug:slug>/phase/<id:change_id>/", views.correct_phase, name="correct_phase"),
    path("<slug:slug>/phase/<id:change_id>/undo/", views.undo_phase, name="undo_phase"),
    path("<slug:slug>/people/", views.people, name="people"),
]
