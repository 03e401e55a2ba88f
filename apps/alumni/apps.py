from django.apps import AppConfig


class AlumniConfig(AppConfig):
    """The alumni programme: schools and partnerships that completed Sustain (or left the
    programme) ask to join; the core team decides, with dates, and sees renewals due. The
    membership itself is ``apps.partnerships.models.AlumniMembership``, as the library and
    training, below this app, read what it gives."""

    name = "apps.alumni"
    label = "alumni"
    verbose_name = "Alumni programme"
