"""Neighbourhood data arrives with the neighbourhoods issue; the app exists so the layout is fixed."""
