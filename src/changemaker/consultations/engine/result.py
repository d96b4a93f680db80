"""What an opinion map shows: its groups and statement lists (:class:`OpinionMapResult`), and
their JSON (``to_dict``)."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from .pca import PCAResult
from .repness import ConsensusStatement, Direction, DivisiveStatement, RepresentativeStatement

__all__ = ["Group", "OpinionMapResult"]


@dataclass(frozen=True, eq=False)
class Group:
    id: int
    size: int
    center: tuple[float, float]
    members: tuple[int, ...]
    representative: tuple[RepresentativeStatement, ...]


@dataclass(frozen=True, eq=False)
class OpinionMapResult:
    """Everything the map shows. Participant and statement ids are the export's ids."""

    participant_group: dict[int, int | None]
    participant_xy: dict[int, tuple[float, float]]
    statement_xy: dict[int, tuple[float, float]]
    groups: tuple[Group, ...]
    consensus: dict[Direction, list[ConsensusStatement]]
    group_informed_consensus: dict[Direction, dict[int, float]]
    divisive: tuple[DivisiveStatement, ...]
    """Statements that split the groups most (a report helper, not part of Polis' math)."""
    priorities: dict[int, float]
    in_conv: frozenset[int]
    n_base_clusters: int
    silhouettes: dict[int, float]
    chosen_k: int
    pca: PCAResult
    statements: tuple[int, ...]
    """Statement ids in matrix column order (the ``pca`` arrays follow it)."""
    moderated_out: frozenset[int]

    def to_dict(self) -> dict[str, Any]:
        """JSON-ready dictionary (keys are strings; ids as numbers in values)."""

        def rep(s: RepresentativeStatement) -> dict[str, Any]:
            return {
                "statement": s.statement,
                "direction": s.direction,
                "n_success": s.n_success,
                "n_trials": s.n_trials,
                "p_success": s.p_success,
                "p_test": s.p_test,
                "repness": s.repness,
                "repness_test": s.repness_test,
                "best_agree": s.best_agree,
            }

        def cons(s: ConsensusStatement) -> dict[str, Any]:
            return {
                "statement": s.statement,
                "n_success": s.n_success,
                "n_trials": s.n_trials,
                "p_success": s.p_success,
                "p_test": s.p_test,
            }

        return {
            "participant_group": {str(p): g for p, g in self.participant_group.items()},
            "groups": [
                {
                    "id": g.id,
                    "size": g.size,
                    "center": list(g.center),
                    "representative": [rep(s) for s in g.representative],
                }
                for g in self.groups
            ],
            "consensus": {d: [cons(s) for s in v] for d, v in self.consensus.items()},
            "divisive": [
                {"statement": d.statement, "spread": d.spread, "p_agree": list(d.p_agree)}
                for d in self.divisive
            ],
            "group_informed_consensus": {
                d: {str(k): v for k, v in vals.items()}
                for d, vals in self.group_informed_consensus.items()
            },
            "coordinates": {
                "participants": {str(p): list(xy) for p, xy in self.participant_xy.items()},
                "statements": {str(s): list(xy) for s, xy in self.statement_xy.items()},
            },
            "priorities": {str(s): v for s, v in self.priorities.items()},
            "k": {
                "chosen": self.chosen_k,
                "silhouette": {str(k): v for k, v in self.silhouettes.items()},
            },
            "n_participants": len(self.participant_group),
            "n_clustered": len(self.in_conv),
            "n_statements": len(self.statements),
            "n_base_clusters": self.n_base_clusters,
            "moderated_out": sorted(self.moderated_out),
        }
