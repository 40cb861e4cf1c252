"""Signed webhooks: a municipality's (or the collaboration's) own systems are told when
something happens in the portal, following Standard Webhooks 1.0.

- ``models``: an endpoint (an HTTPS address, the events it wants, its secret) and its
  deliveries (the outbox: one row per event and endpoint, written in the change's own
  transaction);
- ``events``: the event catalogue and the hooks that turn the portal's notices and the
  "figures changed" signal into deliveries;
- ``targets``: which addresses may be called (https only; never a private network);
- ``sending``: signing (the ``standardwebhooks`` library) and delivering with retries;
- ``services``: registering, changing, deleting, rotating secrets, send again, test event;
- ``tasks``: the worker's part; ``commands``: ``portal webhooks send``;
- ``views`` with ``forms`` and ``permissions``: the pages; ``words``: the audit log's words.
"""
