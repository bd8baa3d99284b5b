"""Pages of the meetings app, one module per noun: meetings, reports, packs, and editing."""
