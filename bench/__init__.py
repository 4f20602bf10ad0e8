"""Benchmarks: each script measures one part of Newsdesk and writes its figures as JSON."""
