"""Personal data that leaves when it should (GDPR articles 15, 17 and 20).

- ``scan``: where a person's traces are — every text column of every table searched for
  their e-mail and name, and the rows that point at their user id. One scanner serves the
  erasure (what it changes), the access export (what it hands over) and the tests (that
  nothing is left);
- ``erasure``: a person erased on request: their name and e-mail replaced wherever they
  appear, by a stand-in naming their role; figures and decisions kept;
- ``export``: everything the portal holds about a person as a ZIP (JSON);
- ``retention``: the retention table of the configuration (``RETENTION``) applied by a daily
  job, with a dry run (``portal retention --dry-run``) and a record of each run.
"""
