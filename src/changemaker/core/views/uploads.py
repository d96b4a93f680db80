"""The one staff upload flow: a form with a file, an import action that does all of it or
nothing, and, when the file is refused, the form again with every problem listed (file, line,
column, what to do) under an error by the field.

A view says what is particular to it and leaves the rest here::

    return upload(
        request,
        form,
        lambda data: actions.import_things(council, data["file"], by=user),
        done=lambda count: redirect(...),
        page=lambda problems: render(request, "...", {"form": form, "problems": problems}),
    )
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from typing import Any

from django import forms
from django.http import HttpRequest, HttpResponse
from django.utils.functional import Promise
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from changemaker.engine.problems import InputError

#: What the file's field says when the file was refused (the problems are listed below it).
NOTHING_SAVED = gettext_lazy("The file has problems, listed below. Nothing was saved.")


def problem_lines(error: InputError) -> list[str]:
    """A refused file's problems as lines to list under the form (file, line, column, what to
    do), and how many more there are."""
    lines = [str(p) for p in error.problems]
    if error.more:
        lines.append(_("… and %(n)s more problems.") % {"n": error.more})
    return lines


def upload[T](
    request: HttpRequest,
    form: forms.Form,
    run: Callable[[Mapping[str, Any]], T],
    *,
    done: Callable[[T], HttpResponse],
    page: Callable[[list[str]], HttpResponse],
    field: str = "file",
    refused: str | Promise = NOTHING_SAVED,
    errors: tuple[type[Exception], ...] = (),
) -> HttpResponse:
    """On a valid POST, ``run`` the import action with the form's data and answer ``done``
    with what it returned. A file the action refuses (``InputError``) puts ``refused`` by
    ``field`` and gives ``page`` the problems to list; any of ``errors`` (a refusal that is
    not about the file's lines) puts its own words by ``field``. Otherwise (a GET, an invalid
    form) ``page`` shows the form, with no problems."""
    problems: list[str] = []
    if request.method == "POST" and form.is_valid():
        try:
            result = run(form.cleaned_data)
        except InputError as error:
            problems = problem_lines(error)
            form.add_error(field, str(refused))
        except errors as error:
            form.add_error(field, str(error))
        else:
            return done(result)
    return page(problems)
