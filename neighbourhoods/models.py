"""Neighbourhood data arrives with its own issue; the app exists so the layout is fixed."""
