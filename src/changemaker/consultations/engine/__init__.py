"""Pure-Python engine of the consultations capability.

No Django here (enforced by tests/test_architecture.py).

Opinion mapping faithful to the Polis method: read/write the Polis export format
(:mod:`.polis_io`), build the rating matrix (:mod:`.matrix`), PCA (:mod:`.pca`), two-level
clustering (:mod:`.clustering`), representative and consensus statements (:mod:`.repness`) and
routing priorities (:mod:`.routing`), tied together by :class:`OpinionMap` (:mod:`.model`).
"""

from .errors import OpinionEngineError, PolisFormatError, PolisFormatWarning, VoteError
from .metrics import adjusted_rand_index, compare_groupings
from .model import Group, OpinionMap, OpinionMapResult
from .polis_io import (
    MATRIX_FILES,
    Conversation,
    Statement,
    VoteLog,
    epoch_ms,
    file_kind,
    load_conversation,
    read_comments,
    read_participants_votes,
    read_votes,
    write_comments,
    write_participants_votes,
    write_votes,
)
from .repness import ConsensusStatement, DivisiveStatement, RepresentativeStatement
from .routing import next_statement

__all__ = [
    "MATRIX_FILES",
    "ConsensusStatement",
    "Conversation",
    "DivisiveStatement",
    "Group",
    "OpinionEngineError",
    "OpinionMap",
    "OpinionMapResult",
    "PolisFormatError",
    "PolisFormatWarning",
    "RepresentativeStatement",
    "Statement",
    "VoteError",
    "VoteLog",
    "adjusted_rand_index",
    "compare_groupings",
    "epoch_ms",
    "file_kind",
    "load_conversation",
    "next_statement",
    "read_comments",
    "read_participants_votes",
    "read_votes",
    "write_comments",
    "write_participants_votes",
    "write_votes",
]
