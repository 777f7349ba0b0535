"""Balanced Scorecard warehouse: ingestion, governed measures, quality gates and the balance report."""
