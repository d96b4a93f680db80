"""Listening's forms: GOV.UK radios, questions as labels, errors that say what to do; a
resident's story (no name, no contact), one typed in by staff, a collection, checking a story,
a theme and what it becomes."""

from changemaker.listening.forms.commitments import (
    MAX_CSV_BYTES,
    WELSH,
    CommitmentFilterForm,
    CommitmentForm,
    CommitmentsFileForm,
    DocumentForm,
    MilestoneDoneForm,
    MilestoneForm,
    UpdateForm,
)
from changemaker.listening.forms.follows import (
    HOW_ERROR,
    FollowForm,
    HowForm,
    PreferencesForm,
    WardForm,
)
from changemaker.listening.forms.reports import (
    DraftForm,
    KindFilterForm,
    RedraftForm,
    ReportForm,
)
from changemaker.listening.forms.scorecards import (
    COMMENT_MAX,
    SCALE,
    CriterionForm,
    ModerateForm,
    RatingForm,
    ScorecardForm,
)
from changemaker.listening.forms.stories import (
    CollectionForm,
    EnteredStoryForm,
    ProposalForm,
    StoryCheckForm,
    StoryForm,
    ThemeForm,
)

__all__ = [
    "COMMENT_MAX",
    "HOW_ERROR",
    "MAX_CSV_BYTES",
    "SCALE",
    "WELSH",
    "CollectionForm",
    "CommitmentFilterForm",
    "CommitmentForm",
    "CommitmentsFileForm",
    "CriterionForm",
    "DocumentForm",
    "DraftForm",
    "EnteredStoryForm",
    "FollowForm",
    "HowForm",
    "KindFilterForm",
    "MilestoneDoneForm",
    "MilestoneForm",
    "ModerateForm",
    "PreferencesForm",
    "ProposalForm",
    "RatingForm",
    "RedraftForm",
    "ReportForm",
    "ScorecardForm",
    "StoryCheckForm",
    "StoryForm",
    "ThemeForm",
    "UpdateForm",
    "WardForm",
]
