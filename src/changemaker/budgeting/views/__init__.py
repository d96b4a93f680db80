"""Participatory budgeting pages, split by audience: ``public`` (anyone, signed out too),
``resident`` (proposing, supporting and voting), ``staff`` (the budget's officers), and
``shared`` (what several use). Thin: parse the request, call a selector or an action, render."""
