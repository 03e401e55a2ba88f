"""Coaching prompts for the Improvement Workshop, written for this platform. They ask; they do
not judge. The champion reads them out or leaves them on the shared screen."""

PROMPTS = {
    "revisit": [
        "Reading the findings again, what stands out to you now?",
        "Which piece of evidence surprised you, and why?",
        "Where do the findings match what you already knew from your self-review, and where "
        "do they differ?",
    ],
    "focus": [
        "If one thing changed by the summer, which would make the biggest difference to pupils?",
        "Which finding do staff feel most strongly about?",
        "What is within the school's control to change this year?",
    ],
    "causes": [
        "What might explain what the reviewers saw? What else could explain it?",
        "When does it work well already? What is different then?",
        "Whose voice is missing from the picture so far — pupils, staff, families?",
        "What have you tried before, and what did you learn from it?",
    ],
    "actions": [
        "What is the smallest step that would show whether this works?",
        "Who will lead it, and who needs to be involved?",
        "What would a partner school be able to offer here?",
        "How will you know it is making a difference before the check-back?",
    ],
    "impact": [
        "What will pupils say or do differently if this works?",
        "What will you look at, and when, to see it?",
        "Who will gather it, and who will you share it with?",
    ],
}
