"""Signals between features that must not import each other (later features listen)."""

from blinker import Namespace

_signals = Namespace()

#: Sent with the hero after its consent was recorded, changed or withdrawn (not yet committed).
consent_changed = _signals.signal("consent-changed")
