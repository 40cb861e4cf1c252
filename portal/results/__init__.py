"""Stored results (a read model): what the benefit arithmetic and the progress rules compute
for each participation, kept in tables and refreshed when their sources change, so pages,
medians and reports read rows instead of recomputing every municipality of a round."""
