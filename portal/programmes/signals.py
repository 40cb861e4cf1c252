"""What other domains may react to without the programmes package knowing them:
``round_period_changed`` is sent (sender: the round) after a round's collaboration period was
changed and flushed, in the caller's transaction. The reporting domain listens to move the
participations' due reports with it (so no page has to repair a schedule while it renders)."""

from blinker import Namespace

_signals = Namespace()
round_period_changed = _signals.signal("round-period-changed")
