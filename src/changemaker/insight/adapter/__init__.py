"""The one place that knows both the database and the engine: build the engine's inputs from
rows, run the engine, store its results.

* :mod:`.linkage` -- a linkage run over every record of a council, published atomically
  (``link``, ``link_now``: and then the early-help flags);
* :mod:`.uploads` -- an uploaded file checked by the engine's importers, its accepted rows
  staged (``validate_upload``, ``check_upload``, ``parse_upload``);
* :mod:`.gazetteer` -- a gazetteer file checked by the engine and imported all or nothing.
"""

from changemaker.insight.adapter.gazetteer import import_gazetteer
from changemaker.insight.adapter.linkage import STEPS, LinkageFailed, link, link_now
from changemaker.insight.adapter.uploads import (
    check_upload,
    engine_mapping,
    parse_upload,
    validate_upload,
)

__all__ = [
    "STEPS",
    "LinkageFailed",
    "check_upload",
    "engine_mapping",
    "import_gazetteer",
    "link",
    "link_now",
    "parse_upload",
    "validate_upload",
]
