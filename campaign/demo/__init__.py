"""Deterministic demo data for `flask seed demo`."""
