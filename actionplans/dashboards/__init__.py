"""Scrutiny dashboards over action plans: queries, the selection's filters, tables, charts, views
and urls. A package of the actionplans app, above neighbourhoods (its filters name areas)."""
