"""Binding ids that widgets (not the app) own, so the keymap check and the help screen know
them without building the widgets."""

from __future__ import annotations


def widget_classes() -> list[type]:
    return []


def widget_binding_ids() -> set[str]:
    ids = set()
    for cls in widget_classes():
        for binding in getattr(cls, "BINDINGS", ()):
            if getattr(binding, "id", None):
                ids.add(binding.id)
    return ids
