"""Pages of the national community, one module per area. Each view finds its object through
``access.py`` (403 for people who do not take part, 404 for what they may not see), validates
with a form and writes through ``services``. Every page works without JavaScript."""
