"""Community support pages, split by audience. Thin: parse, call a selector or an action,
render.

Residents ask for help and see who is coming (``public``, ``resident``); volunteers sign up and
answer requests (``resident``); coordinators triage, vet, match and keep people safe
(``staff_*``). Coordinators of a partner organisation see only their organisation's volunteers
and requests: every coordinator query goes through ``selectors.visible_volunteers`` /
``selectors.visible_requests``, and every page showing someone's details records the access in
the audit log.
"""
