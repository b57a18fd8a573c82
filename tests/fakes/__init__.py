"""Fake network services for tests and benchmark runs (real local HTTP servers)."""
