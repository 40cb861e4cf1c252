"""``make bench``: generated data, measured figures printed as ``BENCH name=value``."""
