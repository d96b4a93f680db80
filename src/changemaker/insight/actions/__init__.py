"""Every write of the shared view of need, each an ``@action`` (one transaction, audited with
ids and counts only): ``data`` (purposes, agreements, datasets, the gazetteer, runs,
retention), ``uploads`` (receive, publish, discard), ``people`` (the stated purpose, flag
reviews, indicators); ``common`` holds the officer-facing error and the upload rules."""

from changemaker.insight.actions.common import (
    FILE_TYPES,
    MAPPED_FIELDS,
    MAX_UPLOAD_BYTES,
    DataError,
)
from changemaker.insight.actions.data import (
    AGREEMENT_FIELDS,
    MAX_GAZETTEER_BYTES,
    delete_expired_records,
    fail_unfinished_run,
    record_evaluation_extract,
    save_agreement,
    save_dataset,
    save_mapping,
    save_purpose,
    start_linkage,
    upload_gazetteer,
)
from changemaker.insight.actions.people import (
    ActionRefused,
    date_flags,
    review_flag,
    save_indicator,
    set_indicator_active,
    state_purpose,
)
from changemaker.insight.actions.uploads import (
    discard_upload,
    fail_unfinished_upload,
    publish_upload,
    quarantine_csv,
    receive_upload,
    start_publish,
)

__all__ = [
    "AGREEMENT_FIELDS",
    "FILE_TYPES",
    "MAPPED_FIELDS",
    "MAX_GAZETTEER_BYTES",
    "MAX_UPLOAD_BYTES",
    "ActionRefused",
    "DataError",
    "date_flags",
    "delete_expired_records",
    "discard_upload",
    "fail_unfinished_run",
    "fail_unfinished_upload",
    "publish_upload",
    "quarantine_csv",
    "receive_upload",
    "record_evaluation_extract",
    "review_flag",
    "save_agreement",
    "save_dataset",
    "save_indicator",
    "save_mapping",
    "save_purpose",
    "set_indicator_active",
    "start_linkage",
    "start_publish",
    "state_purpose",
    "upload_gazetteer",
]
