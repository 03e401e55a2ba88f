"""Pages for the Improvement Workshop, the action plan, progress and the impact check-back,
one module per screen."""
