"""Conversations between a municipality and the coordinators (``services``), with the
words they register with the notifications and the audit log (``labels``)."""

from portal.conversations import labels  # noqa: F401  (registers the notices' and the log's words)
