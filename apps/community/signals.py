"""Signals the community sends for apps above it (apps/support's partner matching listens):
``profile_saved`` after a directory entry is saved, with ``profile``. Sent by the service,
because the entry is saved with a queryset update that ``post_save`` does not see."""

from django.dispatch import Signal

profile_saved = Signal()
