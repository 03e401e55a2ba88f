"""The areas of school improvement that actions, support, reviewer strengths and a review's
focus are counted by.

They live here, below reviews and improvement, because every layer above uses them: a
review's focus areas (reviews), an action's area (improvement), support offers (support) and
reviewers' strengths (allocation).
"""

from django.db import models


class Area(models.TextChoices):
    """What an action is about, for counts across a partnership (never its content)."""

    CURRICULUM = "curriculum", "Curriculum and planning"
    TEACHING = "teaching", "Teaching and learning"
    READING = "reading", "Reading, writing and communication"
    MATHS = "maths", "Mathematics"
    ASSESSMENT = "assessment", "Assessment and feedback"
    INCLUSION = "inclusion", "Inclusion and SEND"
    DISADVANTAGE = "disadvantage", "Disadvantaged pupils"
    BEHAVIOUR = "behaviour", "Behaviour and attendance"
    WELLBEING = "wellbeing", "Wellbeing and personal development"
    LEADERSHIP = "leadership", "Leadership and staff development"
    FAMILIES = "families", "Families and community"
    OTHER = "other", "Other"
