"""The pilot register in the UK Evaluation Registry's fields (Cabinet Office Evaluation Task
Force), for a council to copy its pilots across.

Column names follow the registry's data model (its ``Evaluation`` and ``EventDate`` fields;
the design-type codes are its ``design_types`` list) and, after them, the richer concepts of
its 2023 bulk-load schema (issue, who experiences it, studied population, outcomes...). See
/work/shared/research/evidence-culture-listening.md, section 1.2.

A field Changemaker has no source for is left empty, never guessed: ``NO_SOURCE`` lists them.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from changemaker.evidence.models import Design, Pilot

#: Our status -> the registry's (planned / ongoing / complete).
STATUS = {
    Pilot.Status.PLANNED: "planned",
    Pilot.Status.LIVE: "ongoing",
    Pilot.Status.COMPLETE: "complete",
    Pilot.Status.PUBLISHED: "complete",
}
#: Our design -> the registry's design-type code (its tree: impact -> rct / quasi_experimental).
DESIGN_TYPES = {
    Design.DID: "difference",
    Design.DID2X2: "difference",
    Design.STAGGERED: "difference",  # Callaway-Sant'Anna: a difference-in-differences
    Design.AB: "individual_rct",
    Design.BEFORE_AFTER: "other_impact",  # no comparison group: the registry's "Other"
}
#: The registry's fields that Changemaker does not record: exported empty.
NO_SOURCE = (
    "policies",  # the GOV.UK policy taxonomy: pilots are not tagged with it
    "grant_number",
    "major_project_number",
    "plan_link",  # no published analysis plan document
    "reasons_unpublished",
    "reasons_unpublished_details",
    "eval_start_intended",
    "eval_start_actual",
    "intervention_start_intended",
    "intervention_start_actual",
    "intervention_end_intended",
    "intervention_end_actual",
    "pub_final_actual",
    "ethics_approval",
)
COLUMNS = (
    "reference",
    "title",
    "brief_description",
    "status",
    "visibility",
    "lead_department",
    "evaluation_design_types",
    "evaluation_design_type_detail",
    "is_final_report_published",
    "link_to_published_evaluation",
    "cost",
    "issue_description",
    "those_experiencing_issue",
    "studied_population",
    "sample_size",
    "sample_size_unit",
    "intervention_name",
    "intervention_rationale",
    "intervention_resources",
    "where_delivered",
    "hypothesis",
    "comparison_group",
    "assumptions",
    "primary_outcome_title",
    "primary_outcome_measure",
    "primary_outcome_timepoint",
    "secondary_outcome_title",
    "secondary_outcome_measure",
    "secondary_outcome_timepoint",
    "minimum_detectable_effect",
    "registered_on",
    *NO_SOURCE,
)


def row(pilot: Pilot, card_url: Callable[[Pilot], str]) -> dict[str, Any]:
    """One pilot as the registry's fields (``card_url`` gives a published card's address)."""
    published = pilot.status == Pilot.Status.PUBLISHED
    values: dict[str, Any] = {
        "reference": pilot.slug,
        "title": pilot.title,
        "brief_description": pilot.intervention,
        "status": STATUS[Pilot.Status(pilot.status)],
        "visibility": "public" if published else "draft",
        "lead_department": pilot.council.name,
        "evaluation_design_types": DESIGN_TYPES[Design(pilot.design)],
        "evaluation_design_type_detail": (
            "Before and after, no comparison group" if pilot.design == Design.BEFORE_AFTER else ""
        ),
        "is_final_report_published": "true" if published else "false",
        "link_to_published_evaluation": card_url(pilot) if published else "",
        "cost": pilot.cost,
        "issue_description": pilot.problem,
        "those_experiencing_issue": pilot.affects,
        "studied_population": pilot.affects,
        "sample_size": pilot.planned_clusters or "",
        "sample_size_unit": "units (clusters)" if pilot.planned_clusters else "",
        "intervention_name": pilot.title,
        "intervention_rationale": " -> ".join(
            t
            for t in (
                pilot.toc_inputs,
                pilot.toc_activities,
                pilot.toc_outputs,
                pilot.toc_outcomes,
                pilot.toc_impact,
            )
            if t
        ),
        "intervention_resources": pilot.toc_inputs,
        "where_delivered": pilot.place,
        "hypothesis": pilot.hypothesis,
        "comparison_group": pilot.comparison_group,
        "assumptions": pilot.assumptions,
        "primary_outcome_title": pilot.primary_outcome,
        "primary_outcome_measure": f"{pilot.primary_definition} ({pilot.primary_unit})",
        "primary_outcome_timepoint": pilot.primary_timepoint,
        "secondary_outcome_title": pilot.secondary_outcome,
        "secondary_outcome_measure": pilot.secondary_definition,
        "secondary_outcome_timepoint": pilot.secondary_timepoint,
        "minimum_detectable_effect": "" if pilot.mde is None else pilot.mde,
        "registered_on": pilot.registered_at.date().isoformat() if pilot.registered_at else "",
    }
    return {c: values.get(c, "") for c in COLUMNS}
