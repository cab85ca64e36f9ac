"""Minyi's loader: bureau exports (CSV/XLSX/XLS) into the DuckDB warehouse. See etl.load."""
