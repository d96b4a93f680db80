"""What the public and staff pages both show: a result in words, numbers and a chart."""

from __future__ import annotations

from typing import Any

from changemaker.evidence import charts, explain
from changemaker.evidence.models import Analysis, Pilot


def result_context(pilot: Pilot, analysis: Analysis | None) -> dict[str, Any]:
    """The template context of ``evidence/_result.html``."""
    if analysis is None:
        return {"analysis": None, "rating": explain.rating(pilot, None)}
    result = analysis.result
    places = explain.decimals_for(result["estimate"] or 0.0)

    def shown(x: float | None) -> str:
        return "" if x is None else explain.number(x, max(places, 1))

    rows = [
        {
            "period": r["period"],
            "estimate": shown(r["estimate"]),
            "low": shown(r["ci"][0]),
            "high": shown(r["ci"][1]),
        }
        for r in result.get("event_study", [])
    ]
    return {
        "analysis": analysis,
        "result": result,
        "sentence": explain.sentence(pilot, result),
        "direction": explain.direction(result),
        "estimate": shown(result["estimate"]),
        "low": shown(result["ci"][0]),
        "high": shown(result["ci"][1]),
        "p": "" if result["p"] is None else f"{result['p']:.3f}",
        "inference": explain.inference(result),
        "pretrend": explain.pretrend(result),
        "suppressed": explain.suppressed(result),
        "chart": charts.event_study(result.get("event_study", [])),
        "rows": rows,
        "rating": explain.rating(pilot, result),
    }
