"""Reports: funding and progress as pages, XLSX, CSV and PDF.

``model`` holds the plain report data; ``funding`` and ``progress`` build it (``progress``
with ``progress_tables``, ``progress_benefits``, ``progress_method`` — the formulas
appendix — and ``progress_municipality``, a municipality's own report and the ZIP of every
municipality's); ``xlsx``, ``csv`` and ``pdf``
render it (``formats`` names them for the pages and the CLI); ``scope`` and ``permissions``
say whose figures a user may have; ``catalogue`` lists them on the reports page; ``views``
and ``commands`` hand the bytes out, downloads audited.

Adding a report (as the progress report was added):
1. ``progress.py``: ``progress_report(scope: ReportScope, *, generated_at=None) -> Report``
   with a fixed number of queries; sections of paragraphs, ``Chart(title, svg, alt)`` and
   tables of plain values (a column's ``Kind`` says how each format writes it; a count
   shown as ``SUPPRESSED`` is text everywhere); set ``main_table`` for the single CSV (in
   no section, only the files carry it: the workbook's first sheet and the CSV).
2. ``views.py``: a route that calls ``requested_scope(slug)`` and
   ``send_report(progress_report(scope), scope, "progress")``.
3. ``commands.py``: ``@report_group.command("progress")`` with ``@report_options`` calling
   ``write_report(progress_report, "progress", ...)``.
4. ``catalogue.py``: its links beside the funding report's.
5. For more than sections in the PDF (the formulas stated once), a template that extends
   ``reports/pdf/base.html`` and fills ``appendix`` (or ``styles`` with ``super()``), named
   in ``Report.pdf_template``; a wide table goes in a ``Section(landscape=True)``.
"""
