"""The benefits' files: importing a spreadsheet of figures (``importing``) and
exporting them, with the template to fill in (``exporting``)."""
