"""Signals that strategy sends so that other apps can act on its writes
without strategy importing them (they connect in their ``AppConfig.ready()``)."""

from __future__ import annotations

from django.dispatch import Signal

# Sent by ``services_editor.part_update`` inside its transaction, after the
# optimistic lock is claimed and before the values are set: ``sender`` is the
# part's model, ``obj`` the part as it is before the save, ``values`` and
# ``many`` what the save sets, ``user`` who saves. A receiver that raises
# undoes the save. (Translations record their marks against the old text.)
part_saving = Signal()
