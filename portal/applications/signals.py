"""What other domains may react to without the applications package knowing them:
``application_resubmitted`` is sent (sender: the application) when a reopened application is
submitted again, with its new and previous versions (``applications.versions``), after they
are flushed, in the caller's transaction. The review tells the reviewers who had scored it."""

from blinker import Namespace

_signals = Namespace()
application_resubmitted = _signals.signal("application-resubmitted")
