"""Who may do what with pilots and evidence (registered by ``apps.EvidenceConfig.ready``).

Evidence leads and council administrators run the register; rating a pilot against the
evidence scales (overriding the suggested level) is the evaluator's judgement, held by the
evidence lead alone. The practice library is public.
"""

from __future__ import annotations

from changemaker.core.models import Role

PERMISSIONS = {
    "evidence.manage": frozenset({Role.EVIDENCE_LEAD, Role.COUNCIL_ADMIN}),
    "evidence.rate": frozenset({Role.EVIDENCE_LEAD}),
}
