"""Argument checks used by every public function of :mod:`toolkit.normalize`."""

from __future__ import annotations

from typing import Any

__all__ = ["check_flag", "require_text"]


def require_text(text: Any) -> str:
    """Return ``text`` if it is a ``str``, else raise ``TypeError`` naming its type."""
    if not isinstance(text, str):
        raise TypeError(f"text must be a str (got {type(text).__name__})")
    return text


def check_flag(name: str, value: Any) -> bool:
    """Return ``value`` if it is a bool, else raise ``ValueError`` in the house pattern.

    ``check_choice`` would accept ``1`` and ``0`` because they compare equal to
    ``True`` and ``False``; a switch given a number is more likely a mistake.
    """
    if not isinstance(value, bool):
        raise ValueError(f"{name} must be one of {{False, True}} (got {value!r})")
    return value
