"""Consultation pages, by audience: ``public`` (anyone, signed out too: the list, taking
part, results, the public export), ``staff`` (engagement staff); ``shared`` what both use.
Thin: parse, call a selector or an action, render."""
