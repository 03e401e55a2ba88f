"""Pages of the review cycle, one module per screen. Each view finds its object through
``access.py`` (404 for outsiders, 403 without the right), validates with a form, and writes
through ``services``."""
