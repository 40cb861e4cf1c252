"""Long work off the request: background jobs with a progress bar, periodic tasks, and
reports stored once rendered (see ``queue``, ``tasks``, ``reports``)."""
