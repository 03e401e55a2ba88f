"""Live polls, session feedback and the core team's aggregates (``polls_views``)."""

from django.urls import path

from . import polls_views

urlpatterns: list = [
    path("sessions/<int:pk>/polls/", polls_views.polls, name="polls"),
    path("sessions/<int:pk>/current-poll/", polls_views.current_poll, name="current_poll"),
    path("sessions/<int:pk>/feedback/", polls_views.feedback, name="feedback"),
    path("polls/<int:pk>/", polls_views.poll_answer, name="poll_answer"),
    path("polls/<int:pk>/results/", polls_views.poll_results, name="poll_results"),
    path("aggregates/", polls_views.aggregates, name="aggregates"),
]
