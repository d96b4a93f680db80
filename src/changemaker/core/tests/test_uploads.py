"""core.views.uploads.upload: the one staff upload flow (valid form -> the import action ->
done; a refused file -> the form again, the error by the field and every problem listed)."""

from __future__ import annotations

from typing import Any

from django import forms
from django.core.files.uploadedfile import SimpleUploadedFile
from django.http import HttpResponse
from django.test import RequestFactory

from changemaker.core.views.uploads import NOTHING_SAVED, problem_lines, upload
from changemaker.engine.problems import InputError, Problem

BAD = InputError([Problem("plan.csv", 3, "ward", "There is no ward called 'Riversid'.")], more=2)


class FileForm(forms.Form):
    file = forms.FileField()


def _posted() -> tuple[Any, FileForm]:
    request = RequestFactory().post("/", {"file": SimpleUploadedFile("plan.csv", b"a,b\n")})
    return request, FileForm(request.POST, request.FILES)


def _page(form: FileForm, seen: list[list[str]]) -> Any:
    def page(problems: list[str]) -> HttpResponse:
        seen.append(problems)
        return HttpResponse(str(form.errors.get("file", "")), status=200)

    return page


def test_the_action_runs_once_the_form_is_valid() -> None:
    request, form = _posted()
    response = upload(
        request,
        form,
        lambda data: data["file"].name,
        done=lambda name: HttpResponse(f"done {name}", status=302),
        page=_page(form, []),
    )
    assert (response.status_code, response.content) == (302, b"done plan.csv")


def test_a_refused_file_lists_every_problem_and_says_so_by_the_field() -> None:
    request, form = _posted()
    seen: list[list[str]] = []

    def refuse(data: Any) -> None:
        raise BAD

    response = upload(request, form, refuse, done=lambda _: HttpResponse(), page=_page(form, seen))
    assert seen == [
        [
            "plan.csv, line 3, column 'ward': There is no ward called 'Riversid'.",
            "… and 2 more problems.",
        ]
    ]
    assert seen[0] == problem_lines(BAD)
    assert str(NOTHING_SAVED) in response.content.decode()


def test_another_refusal_puts_its_words_by_the_field() -> None:
    request, form = _posted()
    seen: list[list[str]] = []

    def refuse(data: Any) -> None:
        raise LookupError("That short name is taken")

    upload(
        request,
        form,
        refuse,
        done=lambda _: HttpResponse(),
        page=_page(form, seen),
        errors=(LookupError,),
    )
    assert seen == [[]] and form.errors["file"] == ["That short name is taken"]


def test_a_get_shows_the_form_without_running_anything() -> None:
    request = RequestFactory().get("/")
    form = FileForm()
    seen: list[list[str]] = []

    def never(data: Any) -> None:
        raise AssertionError("the action must not run")

    upload(request, form, never, done=lambda _: HttpResponse(), page=_page(form, seen))
    assert seen == [[]] and not form.errors
