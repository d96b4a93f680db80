"""Every write of the culture survey: each an ``@action`` (one transaction, audited).

Nothing here records who answered what: the events of taking part name the wave only, never
an invitation or a response (see ``models``).
"""

from __future__ import annotations

import random
import secrets
from collections.abc import Iterable
from typing import Any

from django.core.files.base import ContentFile
from django.core.files.storage import storages
from django.utils import timezone
from django.utils.translation import gettext as _

from changemaker.core import audit
from changemaker.core.actions import ActionError, start_job
from changemaker.core.audit import action
from changemaker.core.models import Council, Job, User
from changemaker.culture import adapter, selectors
from changemaker.culture.engine.items import instrument as bank
from changemaker.culture.models import (
    Comment,
    Invitation,
    OrgUnit,
    Response,
    Survey,
    SurveyItem,
    UnitAction,
    UnitManager,
    Wave,
)

__all__ = ["ActionError"]

#: Scales not asked unless chosen: "Action on the last survey" joins once a unit acted.
NOT_ASKED_AT_FIRST = {"action"}
ACTION_ITEM = "act_last"
#: Staff lists wait here (private storage: never served) until the invitation job sent them.
INVITATION_LISTS = "culture-invitations"
COUNCIL_LICENCE = "The council's own item"


@action("culture.survey_created")
def create_survey(
    council: Council, *, name: str, instrument: str, by: User | None, name_cy: str = ""
) -> Survey:
    """A survey with its instrument's items from the bank (each with source and licence)."""
    if Survey.objects.filter(council=council, name=name).exists():
        raise ActionError(_("There is already a survey with this name"))
    survey = Survey.objects.create(
        council=council, name=name, name_cy=name_cy.strip(), instrument=instrument
    )
    SurveyItem.objects.bulk_create(
        SurveyItem(
            survey=survey,
            code=it.id,
            scale=it.scale,
            text=it.text,
            text_cy=it.text_cy,
            reverse=it.reverse,
            source=it.source,
            licence=it.licence,
            reference=it.reference,
            position=i,
            chosen=it.scale not in NOT_ASKED_AT_FIRST,
        )
        for i, it in enumerate(bank(instrument))
    )
    audit.record(
        "culture.survey_created", actor=by, council=council, obj=survey, instrument=instrument
    )
    return survey


@action("culture.items_chosen")
def choose_items(survey: Survey, codes: Iterable[str], *, by: User | None) -> int:
    """Choose the items the next wave asks (a wave keeps the items it opened with)."""
    wanted = set(codes)
    if not wanted:
        raise ActionError(_("Choose at least one statement"))
    survey.items.update(chosen=False)
    chosen = survey.items.filter(code__in=wanted).update(chosen=True)
    audit.record(
        "culture.items_chosen", actor=by, council=survey.council, obj=survey, chosen=chosen
    )
    return chosen


@action("culture.item_added")
def add_item(
    survey: Survey, *, scale: str, text: str, reverse: bool, by: User | None, text_cy: str = ""
) -> SurveyItem:
    """A statement the council writes itself, on one of the instrument's scales."""
    if not survey.items.filter(scale=scale).exists():
        raise ActionError(_("Choose one of the survey's norms"))
    number = survey.items.filter(code__startswith="own_").count() + 1
    item = SurveyItem.objects.create(
        survey=survey,
        code=f"own_{number}",
        scale=scale,
        text=text,
        text_cy=text_cy,
        reverse=reverse,
        source=survey.council.name,
        licence=COUNCIL_LICENCE,
        position=survey.items.count(),
    )
    audit.record("culture.item_added", actor=by, council=survey.council, obj=item, scale=scale)
    return item


@action("culture.wave_created")
def create_wave(wave: Wave, *, by: User | None) -> Wave:
    """Save a new wave (from the wave form) as a draft."""
    if Wave.objects.filter(survey=wave.survey, name=wave.name).exists():
        raise ActionError(_("This survey already has a wave with this name"))
    wave.status = Wave.Status.DRAFT
    wave.save()
    audit.record(
        "culture.wave_created",
        actor=by,
        council=wave.survey.council,
        obj=wave,
        min_group=wave.min_group,
    )
    return wave


@action("culture.wave_translated")
def translate_wave(
    wave: Wave,
    *,
    by: User | None,
    survey_name_cy: str,
    name_cy: str,
    characteristic_cy: str = "",
    options_cy: Iterable[str] = (),
    comment_question_cy: str = "",
) -> Wave:
    """The Welsh of what people taking part read (any time: answers keep the English option,
    so results do not change). Audited with which fields changed, never the words."""
    options = [o.strip() for o in options_cy if o.strip()]
    if options and len(options) != len(wave.characteristic_options):
        raise ActionError(_("Give one Welsh answer for each answer, in the same order"))
    welsh: dict[str, Any] = {
        "name_cy": name_cy.strip(),
        "characteristic_cy": characteristic_cy.strip(),
        "characteristic_options_cy": options,
        "comment_question_cy": comment_question_cy.strip(),
    }
    changed = [name for name, value in welsh.items() if getattr(wave, name) != value]
    for name, value in welsh.items():
        setattr(wave, name, value)
    wave.save(update_fields=list(welsh))
    survey = wave.survey
    if survey.name_cy != survey_name_cy.strip():
        survey.name_cy = survey_name_cy.strip()
        survey.save(update_fields=["name_cy"])
        changed.append("survey.name_cy")
    audit.record(
        "culture.wave_translated", actor=by, council=survey.council, obj=wave, changed=changed
    )
    return wave


def _refuse_unless(wave: Wave, status: str, message: str) -> None:
    if wave.status != status:
        raise ActionError(message)


@action("culture.chart_uploaded")
def upload_chart(wave: Wave, text: str, *, source: str, by: User | None) -> int:
    """Replace a draft wave's organisation chart, all or nothing (CultureInputError names
    the file, line and column of every problem; nothing is changed then)."""
    _refuse_unless(wave, Wave.Status.DRAFT, _("The chart is frozen once the wave opens"))
    chart = adapter.read_chart(text, source)
    wave.units.all().delete()
    made = OrgUnit.objects.bulk_create(
        OrgUnit(wave=wave, code=code, name=name, position=i)
        for i, (code, name) in enumerate(zip(chart.ids, chart.names, strict=True))
    )
    for unit, parent in zip(made, chart.parent, strict=True):
        unit.parent = None if parent < 0 else made[parent]
    OrgUnit.objects.bulk_update(made, ["parent"])
    audit.record(
        "culture.chart_uploaded", actor=by, council=wave.survey.council, obj=wave, units=len(made)
    )
    return len(made)


@action("culture.staff_invited")
def invite_staff(
    wave: Wave, text: str, *, source: str, by: User | None, site: str
) -> tuple[int, Job]:
    """Invite everyone on the staff list to an open wave: the list is checked whole (nothing
    happens if it has a problem), managers are recorded (they may see their unit's results),
    and the "culture.invite" job sends each person a single-use link to ``site`` (the
    council's address) in the background. The list waits in private storage until the job
    has sent the links, then it is deleted: addresses are used to send, then forgotten."""
    _refuse_unless(wave, Wave.Status.OPEN, _("Invite staff once the wave is open"))
    units = {u.code: u for u in wave.units.all()}
    staff = adapter.read_staff_list(text, source, units)
    UnitManager.objects.bulk_create(
        [UnitManager(unit=units[m.unit], email=m.email) for m in staff if m.manager],
        ignore_conflicts=True,
    )
    storage = storages["private"]
    outbox = "".join(f"{m.line},{m.email},{m.unit},{m.language}\n" for m in staff)
    name = storage.save(
        f"{INVITATION_LISTS}/{secrets.token_hex(16)}.csv", ContentFile(outbox.encode())
    )
    try:
        job = start_job(
            "culture.invite",
            title=_("Survey links for %(wave)s") % {"wave": wave.name},
            params={"wave": wave.pk, "file": name, "source": source[:200], "site": site},
            council=wave.survey.council,
            by=by,
        )
    except BaseException:
        storage.delete(name)
        raise
    audit.record(
        "culture.staff_invited",
        actor=by,
        council=wave.survey.council,
        obj=wave,
        invited=len(staff),
        managers=sum(m.manager for m in staff),
        job=str(job.pk),
    )
    return len(staff), job


@action("culture.invitations_sent")
def record_invitations(
    wave: Wave, sent: list[tuple[str, str]], refused: list[int], *, job: Job, done: int
) -> int:
    """Keep the invitations whose emails went out (unit code, token hash: no address), the
    lines of the list the mail server refused, and how far through the list the job is, in
    one transaction: a job that starts again after its worker died carries on from there."""
    units = {u.code: u for u in wave.units.all()}
    Invitation.objects.bulk_create(
        [Invitation(wave=wave, unit=units[code], token_hash=digest) for code, digest in sent],
        batch_size=1000,
    )
    job.report(done, message="Sending the links")
    Job.objects.filter(pk=job.pk).update(result={"refused": refused})
    audit.record("culture.invitations_sent", council=wave.survey.council, obj=wave, sent=len(sent))
    return len(sent)


@action("culture.wave_opened")
def open_wave(wave: Wave, *, by: User | None) -> Wave:
    """Open a draft wave: its chart and its items are frozen from now on. Once a unit has
    recorded an action, the wave also asks whether action was taken."""
    _refuse_unless(wave, Wave.Status.DRAFT, _("Only a draft wave can be opened"))
    if not wave.units.exists():
        raise ActionError(_("Upload the organisation chart before opening the wave"))
    if wave.survey.waves.filter(status=Wave.Status.OPEN).exists():
        raise ActionError(_("Another wave of this survey is open; close it first"))
    chosen = list(wave.survey.items.filter(chosen=True))
    if not chosen:
        raise ActionError(_("Choose at least one statement"))
    acted = UnitAction.objects.filter(unit__wave__survey=wave.survey).exists()
    if acted:
        chosen += list(wave.survey.items.filter(code=ACTION_ITEM, chosen=False))
    wave.items.set(chosen)
    wave.status = Wave.Status.OPEN
    wave.opened_on = timezone.localdate()
    wave.save(update_fields=["status", "opened_on"])
    audit.record(
        "culture.wave_opened",
        actor=by,
        council=wave.survey.council,
        obj=wave,
        items=len(chosen),
        units=wave.units.count(),
    )
    return wave


@action("culture.wave_closed")
def close_wave(wave: Wave, *, by: User | None, report_now: bool = False) -> Job | None:
    """Close an open wave: unsent answers are dropped, the responses are rewritten in random
    order under new random ids, and the report is computed in the background (returns the
    job to follow), or at once with ``report_now`` (the demo)."""
    _refuse_unless(wave, Wave.Status.OPEN, _("Only an open wave can be closed"))
    wave.status = Wave.Status.CLOSED
    wave.closed_on = timezone.localdate()
    wave.save(update_fields=["status", "closed_on"])
    wave.invitations.exclude(draft={}).update(draft={})
    rows = list(wave.responses.values_list("unit_id", "characteristic", "answers"))
    random.SystemRandom().shuffle(rows)
    wave.responses.all().delete()
    Response.objects.bulk_create(
        (Response(wave=wave, unit_id=u, characteristic=c, answers=a) for u, c, a in rows),
        batch_size=1000,
    )
    said = list(wave.comments.values_list("text", "flagged", "status"))
    random.SystemRandom().shuffle(said)
    wave.comments.all().delete()
    Comment.objects.bulk_create(
        (Comment(wave=wave, text=t, flagged=f, status=s) for t, f, s in said), batch_size=1000
    )
    audit.record(
        "culture.wave_closed",
        actor=by,
        council=wave.survey.council,
        obj=wave,
        responses=len(rows),
    )
    if report_now:
        adapter.compute_and_store(wave)
        return None
    return start_job(
        "culture.report",
        title=_("Results of %(wave)s") % {"wave": wave.name},
        params={"wave": wave.pk},
        council=wave.survey.council,
        by=by,
    )


@action("culture.answers_saved")
def save_answers(invitation: Invitation, answers: dict[str, Any]) -> None:
    """Keep answers given so far (the link works until they are sent)."""
    wave = invitation.wave
    _refuse_unless(wave, Wave.Status.OPEN, _("This survey is closed"))
    if invitation.responded_on is not None:
        raise ActionError(_("You have already sent your answers"))
    invitation.draft = {**invitation.draft, **answers}
    invitation.save(update_fields=["draft"])
    # The wave only: nothing that could tie the answers to a link or a person.
    audit.record("culture.answers_saved", council=wave.survey.council, obj=wave)


@action("culture.response_submitted")
def submit_response(invitation: Invitation) -> None:
    """Send the answers: they become a response tied to no one; the link stops working."""
    wave = invitation.wave
    _refuse_unless(wave, Wave.Status.OPEN, _("This survey is closed"))
    locked = Invitation.objects.select_for_update().get(pk=invitation.pk)
    if locked.responded_on is not None:
        raise ActionError(_("You have already sent your answers"))
    draft = dict(locked.draft)
    characteristic = str(draft.pop("characteristic", ""))
    comment = str(draft.pop("comment", "")).strip() if wave.comment_question else ""
    answers = {code: int(v) for code, v in draft.items() if str(v) in {"1", "2", "3", "4", "5"}}
    Response.objects.create(
        wave=wave, unit_id=locked.unit_id, characteristic=characteristic, answers=answers
    )
    if comment:
        selectors.checked_comment(wave, comment).save(force_insert=True)
    locked.draft = {}
    locked.responded_on = timezone.localdate()
    locked.save(update_fields=["draft", "responded_on"])
    audit.record("culture.response_submitted", council=wave.survey.council, obj=wave)


@action("culture.comment_reviewed")
def review_comment(comment: Comment, *, show: bool, by: User | None) -> Comment:
    """The survey lead's decision on a comment the name check flagged (or on any comment)."""
    comment.status = Comment.Status.APPROVED if show else Comment.Status.WITHHELD
    comment.save(update_fields=["status"])
    audit.record(
        "culture.comment_reviewed",
        actor=by,
        council=comment.wave.survey.council,
        obj=comment.wave,
        shown=show,
    )
    return comment


@action("culture.unit_action_recorded")
def record_unit_action(
    unit: OrgUnit,
    *,
    scale: str,
    description: str,
    practice: str,
    by: User | None,
    practice_title: str = "",
) -> UnitAction:
    """A unit's action on its weakest norm (the next wave asks whether action was taken)."""
    done = UnitAction.objects.create(
        unit=unit,
        scale=scale,
        description=description,
        practice=practice,
        practice_title=practice_title,
        recorded_by=by,
    )
    audit.record(
        "culture.unit_action_recorded",
        actor=by,
        council=unit.wave.survey.council,
        obj=done,
        scale=scale,
    )
    return done
