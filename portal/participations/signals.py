"""What other domains may react to without the participations package knowing them:
``participations_created`` is sent (sender: the round) with the new participations, after
they are flushed, in the caller's transaction. The reporting domain listens to give each
participation its schedule of due reports. ``memberships_changed`` is sent (sender: the
round) with the participations that moved into, out of or between communities, so the stored
results (``portal.results``) mark what the community medians read as changed."""

from blinker import Namespace

_signals = Namespace()
participations_created = _signals.signal("participations-created")
memberships_changed = _signals.signal("memberships-changed")
