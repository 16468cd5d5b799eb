"""Rendering: escaping, chart specs, pages and shared assets."""
