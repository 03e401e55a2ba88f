"""The areas of school improvement that actions, support, reviewer strengths and a review's
focus are counted by.

They live here, below reviews and improvement, because every layer above uses them: a
review's focus areas (reviews), an action's area (improvement), support offers (support) and
reviewers' strengths (allocation).
"""

from django.db import models
from django.utils.translation import gettext_lazy as _


class Area(models.TextChoices):
    """What an action is about, for counts across a partnership (never its content)."""

    CURRICULUM = "curriculum", _("Curriculum and planning")
    TEACHING = "teaching", _("Teaching and learning")
    READING = "reading", _("Reading, writing and communication")
    MATHS = "maths", _("Mathematics")
    ASSESSMENT = "assessment", _("Assessment and feedback")
    INCLUSION = "inclusion", _("Inclusion and SEND")
    DISADVANTAGE = "disadvantage", _("Disadvantaged pupils")
    BEHAVIOUR = "behaviour", _("Behaviour and attendance")
    WELLBEING = "wellbeing", _("Wellbeing and personal development")
    LEADERSHIP = "leadership", _("Leadership and staff development")
    FAMILIES = "families", _("Families and community")
    OTHER = "other", _("Other")
