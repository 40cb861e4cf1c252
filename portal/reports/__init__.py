"""Reports: funding (and, after the benefits issue, progress) as pages, XLSX, CSV and PDF.

``model`` holds the plain report data; ``funding`` builds it; ``xlsx``, ``csv`` and ``pdf``
render it; ``scope`` and ``permissions`` say whose figures a user may have; ``views`` and
``commands`` hand the bytes out.
"""
