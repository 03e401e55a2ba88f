"""Non-judgemental language: peer review describes what was seen and asks questions; it does
not grade. Inspection-grade words in notes, findings or reports draw a warning with a
suggestion in enquiry language. The page warns; it never blocks.

The word list is ours; the grades are those Ofsted used for overall effectiveness until
2024 (outstanding, good, requires improvement, inadequate) and its categories of concern.
"""

from __future__ import annotations

import re

# phrase -> suggestion. Longer phrases first so "requires improvement" is not also "improvement".
JUDGEMENT_WORDS: dict[str, str] = {
    "requires improvement": "describe what you saw and what the evidence suggests exploring "
                            "further",
    "special measures": "leave inspection categories out; say what the evidence shows",
    "serious weaknesses": "name the specific practice and the question it raises",
    "outstanding": "say what is working well and the evidence for it",
    "inadequate": "describe what you saw and ask what might explain it",
    "good": "say exactly what was effective, for example “pupils explained their reasoning”",
    "poor": "describe what you saw, without a verdict",
    "weak": "name the area and what the evidence suggests exploring",
    "excellent": "say what is working well and how you saw it",
    "failing": "describe the practice and the question it raises",
    "grade": "peer review does not grade; describe the evidence",
    "judgement": "peer review does not judge; ask an enquiry question",
}

_PATTERN = re.compile(r"\b(" + "|".join(re.escape(w).replace(r"\ ", r"\s+")
                                        for w in JUDGEMENT_WORDS) + r")\b", re.IGNORECASE)


def judgement_warnings(*texts: str) -> list[tuple[str, str]]:
    """[(word as written, suggestion)] for each distinct judgement word, in order of use."""
    seen: dict[str, tuple[str, str]] = {}
    for text in texts:
        for match in _PATTERN.finditer(text or ""):
            key = " ".join(match.group(1).lower().split())
            if key not in seen:
                seen[key] = (match.group(1), JUDGEMENT_WORDS[key])
    return list(seen.values())


def as_json() -> dict[str, str]:
    """The list for the page's live check (static/js/review-language.js)."""
    return dict(JUDGEMENT_WORDS)
