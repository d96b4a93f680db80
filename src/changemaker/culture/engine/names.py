"""The name check of free-text comments: which words look like a person's name.

Staff names are not stored (the staff list is forgotten once the links are sent), so a
comment cannot be checked against them. Instead a word is flagged when it is

- a capitalised word in the middle of a sentence (English capitalises little else: names,
  places, days and months), unless the organisation uses it (its units' and council's names:
  ``known``) or it is a day, a month or "I"; or
- anywhere, a capitalised word that is a first name in gender-guesser's list (Jörg Michael's
  ``nam_dict``: about 48,000 first names of many countries, British and Welsh included),
  unless it is a common English word that starts sentences ("The", "May", "Will").

It errs on the side of flagging: a flagged comment is only shown once the survey lead has
read it. It cannot catch everything (a name in lower case, a description of a person), which
is why comments are shown only for the whole organisation.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from functools import cache
from typing import Any

_WORD = re.compile(r"[^\W\d_]+(?:['’-][^\W\d_]+)*")
_ENDS = ".!?:;\n\"“‘('-–•*"
#: Words that are never a person's name when capitalised mid-sentence.
_NEVER = (
    "i monday tuesday wednesday thursday friday saturday sunday january february march "
    "april may june july august september october november december"
)
#: Common English (and Welsh) words that are also first names somewhere; they start
#: sentences.
_COMMON = (
    "the a an my our we it its in on to so do be are is was can will may one just even job "
    "all and but or if as at by for of no not yes this that these those there they their then "
    "when what why how who more most some many much very really also please thanks thank "
    "overall sometimes often always never people staff team teams managers management work "
    "i'm i've it's we're "
    "mae dw rydw rwy rydyn mi y yr ond os pan dydy does nid ni fy ein hefyd weithiau diolch "
    "bob pob"
)


def _words(text: str) -> frozenset[str]:
    return frozenset(text.split())


NEVER, COMMON = _words(_NEVER), _words(_COMMON)


@cache
def _first_names() -> Any:
    # a 4 MB list, read once when first needed (untyped package)
    from gender_guesser.detector import Detector

    return Detector(case_sensitive=False)


def is_first_name(word: str) -> bool:
    return bool(_first_names().get_gender(word) != "unknown")


def _known_words(known: Iterable[str]) -> frozenset[str]:
    return frozenset(w.lower() for text in known for w in _WORD.findall(text))


def flag_names(text: str, known: Iterable[str] = ()) -> list[str]:
    """The words of ``text`` that look like a person's name, each once, in order."""
    ours = _known_words(known)
    flagged: dict[str, None] = {}
    for match in _WORD.finditer(text):
        word = match.group()
        lower = word.lower()
        if not word[0].isupper() or lower in ours or lower in NEVER:
            continue
        if len(word) > 1 and word.isupper() and len(word) <= 4:
            continue  # an acronym: HR, IT, DBS
        before = text[max(0, match.start() - 20) : match.start()].rstrip(" \t")
        starts_sentence = not text[: match.start()].strip() or before[-1:] in _ENDS
        if not starts_sentence or (lower not in COMMON and is_first_name(word)):
            flagged.setdefault(word)
    return list(flagged)
