"""People's rights under UK GDPR: a copy of everything held about you (JSON and PDF), erasure
by the core team (the person is anonymised; review records stay, written by "A former
reviewer") and the retention schedule (``apply_retention``, daily). See
docs/data-protection.md. A pages-level app: it reads every domain app; none reads it."""
