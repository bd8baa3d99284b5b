"""Action plans arrive with the action-plan issue; the app exists so the layout is fixed."""
