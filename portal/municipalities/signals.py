"""What other domains may react to without the register knowing them: ``renamed`` is sent
(sender: None) with the ids of the municipalities whose name changed, after the change is
flushed, in the caller's transaction. The stored results (``portal.results``) listen, so the
pages and files that show the old name are drawn again."""

from blinker import Namespace

_signals = Namespace()
renamed = _signals.signal("municipalities-renamed")
