from apps.training.polls import FeedbackRequestsCommand as Command  # noqa: F401
