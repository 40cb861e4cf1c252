"""``notice_written``: sent by ``services.notify`` and ``services.notify_user`` after a notice
is written, in the caller's transaction, so that other channels (``portal.webhooks``) hear
of the same events the municipalities are told about, without a second call beside every
``notify``.

Arguments: ``kind`` (``texts.KINDS``), ``municipality_ids`` (the municipalities told; for a
personal notice its user's municipality, if any), ``params`` (JSON-safe) and ``link`` (a path
in the portal).
"""

from __future__ import annotations

from blinker import Namespace

_signals = Namespace()
notice_written = _signals.signal("notice-written")
