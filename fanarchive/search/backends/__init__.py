"""Search backends: the interface (base) and the SQL reference implementation."""
