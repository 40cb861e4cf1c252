"""Open results: the collaboration's figures for everyone, without a login — a public results
page per programme and round (``/resultater/``) and open data with a DCAT-AP-DK catalogue
record (``/aabne-data/``) — with each municipality's own figures only where its leadership
agreed to publish them (``PublicationConsent``), and the reports' disclosure rules applied
(``benefits.calculation.disclosure``). What the public may read is the access gate's
policy (``access.PUBLIC``, the ``public`` action), not a filter in these views."""
