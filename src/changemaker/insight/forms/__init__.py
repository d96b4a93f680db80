"""Forms of the shared view of need (GOV.UK question pages, plain English errors): ``data``
for the data officers' pages, ``people`` for the practitioners' and planners'."""
