"""Campaign reports: summary.json, junit.xml and a self-contained report.html, built from the raw
results the campaign saved (results.json) and the failure records, so `ciro-fuzz report D` rebuilds them."""

from ciro_fuzz.report.writer import rebuild, write_reports

__all__ = ["rebuild", "write_reports"]
