from django.urls import path

from .views import directory, moderation, spaces, threads

app_name = "community"
urlpatterns = [
    path("", spaces.index, name="index"),
    path("spaces/new/", spaces.space_new, name="space_new"),
    path("spaces/<slug:slug>/", spaces.space_detail, name="space"),
    path("spaces/<slug:slug>/follow/", spaces.space_follow, name="space_follow"),
    path("spaces/<slug:slug>/new/", spaces.thread_new, name="thread_new"),
    path("threads/<id:pk>/", threads.thread_detail, name="thread"),
    path("posts/<id:pk>/edit/", threads.post_edit, name="post_edit"),
    path("posts/<id:pk>/report/", threads.post_report, name="post_report"),
    path("posts/<id:pk>/moderate/", moderation.moderate, name="moderate"),
    path("moderation/", moderation.queue, name="moderation"),
    path("directory/", directory.directory, name="directory"),
    path("directory/<id:pk>/", directory.entry, name="entry"),
    path("directory/school/<id:pk>/", directory.school_profile, name="school_profile"),
    path("directory/partnership/<slug:slug>/", directory.partnership_profile,
         name="partnership_profile"),
]
