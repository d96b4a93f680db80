"""Pure-Python engine of the consultations capability.

No Django here (enforced by tests/test_architecture.py).

Opinion mapping faithful to the Polis method: read/write the Polis export format
(:mod:`.polis_io`), build the rating matrix (:mod:`.matrix`), PCA (:mod:`.pca`), two-level
clustering (:mod:`.clustering`), representative and consensus statements (:mod:`.repness`) and
routing priorities (:mod:`.routing`), tied together by :class:`OpinionMap` (:mod:`.model`).
"""

from .errors import OpinionEngineError, PolisFormatError, VoteError
from .metrics import adjusted_rand_index, compare_groupings
from .model import Group, OpinionMap, OpinionMapResult
from .polis_io import (
    Conversation,
    Statement,
    VoteLog,
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
    "ConsensusStatement",
    "Conversation",
    "DivisiveStatement",
    "Group",
    "OpinionEngineError",
    "OpinionMap",
    "OpinionMapResult",
    "PolisFormatError",
    "RepresentativeStatement",
    "Statement",
    "VoteError",
    "VoteLog",
    "adjusted_rand_index",
    "compare_groupings",
    "load_conversation",
    "next_statement",
    "read_comments",
    "read_participants_votes",
    "read_votes",
    "write_comments",
    "write_participants_votes",
    "write_votes",
]
