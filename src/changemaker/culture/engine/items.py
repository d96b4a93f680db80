"""The item bank: the questions a council can choose for its culture survey.

Two instruments, every item with its source and licence:

- ``staff``: the four norms of a changemaking culture (New Local: a clear mission focused on
  outcomes, creativity, self-determination, collaboration) plus closing the loop. Items are
  either written for Changemaker (licence CC BY 4.0, attribute "Changemaker contributors") or
  worded after the Civil Service People Survey (CSPS, Cabinet Office, Crown copyright, Open
  Government Licence v3.0: "Contains public sector information licensed under the Open
  Government Licence v3.0"), with "[organisation]" made "my council"; the CSPS theme is given
  so results can be set beside Civil Service benchmarks (mattkerlogue/csps-data holds them).
- ``leadership``: a self-assessment for leadership teams on the five dimensions of Nesta's
  new operating model for local government (purpose; values and principles; behaviours;
  capabilities; infrastructure). The dimensions are Nesta's; the statements are written for
  Changemaker (CC BY 4.0).

Answers use the five-point agreement scale (1 strongly disagree ... 5 strongly agree).
Reverse-keyed items (agreeing is negative) have ``reverse=True`` and are scored 6 - x. No
licensed instrument (TCI, Denison, UWES) is shipped. ``items_csv`` writes an instrument in
the ITEMS.csv layout of ``changemaker culture report``.
"""

from __future__ import annotations

import csv
import io
from dataclasses import dataclass, replace

CC_BY = "CC BY 4.0"
OGL = "OGL v3.0"
OURS = "Changemaker contributors"
CSPS = "Civil Service People Survey (Cabinet Office, Crown copyright)"
NESTA = "Changemaker contributors, on the dimensions of Nesta's new operating model"

OBJECTIVES = "Organisational objectives and purpose"
CHANGE = "Leadership and managing change"

SCALES = {
    "mission": "A clear mission with a relentless focus on outcomes",
    "creativity": "Creativity as a norm",
    "autonomy": "Self-determination (autonomy) as a norm",
    "collaboration": "Collaboration as a norm",
    "action": "Action on the last survey",
    "purpose": "Purpose",
    "values": "Values and principles",
    "behaviours": "Behaviours",
    "capabilities": "Capabilities",
    "infrastructure": "Infrastructure",
}


@dataclass(frozen=True, slots=True)
class BankItem:
    id: str
    instrument: str  # "staff" or "leadership"
    scale: str
    text: str
    reverse: bool
    source: str
    licence: str
    reference: str = ""  # e.g. the CSPS theme whose wording the item follows
    text_cy: str = ""  # the Welsh wording, shown to people who answer in Welsh


def _s(id: str, scale: str, text: str, *, reverse: bool = False, csps: str = "") -> BankItem:
    if csps:
        return BankItem(id, "staff", scale, text, reverse, CSPS, OGL, f"CSPS theme: {csps}")
    return BankItem(id, "staff", scale, text, reverse, OURS, CC_BY)


def _l(id: str, scale: str, text: str, *, reverse: bool = False) -> BankItem:
    return BankItem(id, "leadership", scale, text, reverse, NESTA, CC_BY)


BANK: tuple[BankItem, ...] = (
    # Mission and outcomes
    _s(
        "mis_purpose",
        "mission",
        "I have a clear understanding of my council's purpose",
        csps=OBJECTIVES,
    ),
    _s(
        "mis_contribute",
        "mission",
        "I understand how my work contributes to my council's objectives",
        csps=OBJECTIVES,
    ),
    _s("mis_objectives", "mission", "I have clear work objectives", csps="My work"),
    _s(
        "mis_outcomes",
        "mission",
        "My team judges its success by the difference we make to residents' lives",
    ),
    _s(
        "mis_evidence",
        "mission",
        "We look at evidence of what happened to residents before deciding what to do next",
    ),
    _s(
        "mis_unsure",
        "mission",
        "I am often unsure what difference my work makes to residents",
        reverse=True,
    ),
    # Creativity
    _s(
        "cre_encouraged",
        "creativity",
        "The people in my team are encouraged to come up with new and better ways of doing things",
        csps="My team",
    ),
    _s(
        "cre_supported",
        "creativity",
        "I believe I would be supported if I try a new idea, even if it may not work",
        csps=CHANGE,
    ),
    _s(
        "cre_challenge",
        "creativity",
        "I think it is safe to challenge the way things are done in my council",
        csps=CHANGE,
    ),
    _s("cre_manager", "creativity", "My manager is open to my ideas", csps="My manager"),
    _s(
        "cre_pilot",
        "creativity",
        "When we try something new, we test it on a small scale and learn from it",
    ),
    _s("cre_blame", "creativity", "If a new idea fails here, someone gets the blame", reverse=True),
    # Self-determination
    _s("aut_choice", "autonomy", "I have a choice in deciding how I do my work", csps="My work"),
    _s(
        "aut_involved",
        "autonomy",
        "I feel involved in the decisions that affect my work",
        csps="My work",
    ),
    _s("aut_trusted", "autonomy", "I am trusted to carry out my job effectively", csps="My work"),
    _s(
        "aut_results",
        "autonomy",
        "My performance is evaluated based on whether I get things done, rather than solely "
        "follow process",
        csps="My work",
    ),
    _s(
        "aut_decide",
        "autonomy",
        "I can make the decisions a resident needs without asking for permission each time",
    ),
    _s(
        "aut_signoff",
        "autonomy",
        "Too many of my decisions need a manager's sign-off",
        reverse=True,
    ),
    # Collaboration
    _s(
        "col_improve",
        "collaboration",
        "The people in my team work together to find ways to improve the service we provide",
        csps="My team",
    ),
    _s(
        "col_help",
        "collaboration",
        "The people in my team can be relied upon to help when things get difficult",
        csps="My team",
    ),
    _s(
        "col_services",
        "collaboration",
        "I work with other services and partners to achieve common goals for residents",
        csps="collaboration question, adapted to services and partners",
    ),
    _s(
        "col_community",
        "collaboration",
        "We work with community groups and residents as partners, not only as service users",
    ),
    _s(
        "col_share",
        "collaboration",
        "Other teams share what they know with us when it would help residents",
    ),
    _s(
        "col_silos",
        "collaboration",
        "Teams here protect their own budgets and patch first",
        reverse=True,
    ),
    # Closing the loop
    _s(
        "act_last",
        "action",
        "Where I work, I think effective action has been taken on the results of the last survey",
        csps="Taking action",
    ),
    _s(
        "act_will",
        "action",
        "I believe that managers where I work will take action on the results from this survey",
        csps="Taking action",
    ),
    # Leadership teams: Nesta's new operating model dimensions
    _l(
        "ld_purpose_shared",
        "purpose",
        "Our leadership team agrees on the outcomes for residents we exist to achieve",
    ),
    _l(
        "ld_purpose_budget",
        "purpose",
        "Our budget decisions follow from those outcomes rather than from last year's budget",
    ),
    _l(
        "ld_values_power",
        "values",
        "Our principles say that communities hold power and the council convenes and supports",
    ),
    _l(
        "ld_values_practice",
        "values",
        "We can point to recent decisions where our stated principles changed what we did",
    ),
    _l(
        "ld_behav_model",
        "behaviours",
        "Leaders here model the behaviours we ask of staff: curiosity, openness, trust",
    ),
    _l(
        "ld_behav_control",
        "behaviours",
        "When things go wrong, our first response is tighter control",
        reverse=True,
    ),
    _l(
        "ld_cap_skills",
        "capabilities",
        "We have the skills to co-design services with residents and to test new models",
    ),
    _l(
        "ld_cap_data",
        "capabilities",
        "We use data and evidence to understand need and to learn whether things work",
    ),
    _l(
        "ld_infra_systems",
        "infrastructure",
        "Our systems, contracts and governance make it easy to work across services",
    ),
    _l(
        "ld_infra_blocks",
        "infrastructure",
        "Our procurement and IT get in the way of trying new approaches",
        reverse=True,
    ),
)


#: The Welsh wording of every item: plain Welsh, first person, docs/welsh-glossary.md's words
#: (cyngor, preswylwyr, tîm, rheolwr, arolwg). Meant to say the same, not word for word.
WELSH = {
    "mis_purpose": "Mae gen i ddealltwriaeth glir o bwrpas fy nghyngor",
    "mis_contribute": "Rwy'n deall sut mae fy ngwaith yn cyfrannu at amcanion fy nghyngor",
    "mis_objectives": "Mae gen i amcanion gwaith clir",
    "mis_outcomes": (
        "Mae fy nhîm yn mesur ei lwyddiant yn ôl y gwahaniaeth rydyn ni'n ei wneud i fywydau "
        "preswylwyr"
    ),
    "mis_evidence": (
        "Rydyn ni'n edrych ar dystiolaeth o'r hyn a ddigwyddodd i breswylwyr cyn penderfynu "
        "beth i'w wneud nesaf"
    ),
    "mis_unsure": (
        "Yn aml, dydw i ddim yn siŵr pa wahaniaeth mae fy ngwaith yn ei wneud i breswylwyr"
    ),
    "cre_encouraged": (
        "Mae pobl yn fy nhîm yn cael eu hannog i feddwl am ffyrdd newydd a gwell o wneud pethau"
    ),
    "cre_supported": (
        "Rwy'n credu y byddwn i'n cael cefnogaeth pe bawn i'n rhoi cynnig ar syniad newydd, hyd "
        "yn oed os nad yw'n gweithio"
    ),
    "cre_challenge": (
        "Rwy'n credu ei bod hi'n ddiogel herio'r ffordd mae pethau'n cael eu gwneud yn fy nghyngor"
    ),
    "cre_manager": "Mae fy rheolwr yn agored i'm syniadau",
    "cre_pilot": (
        "Pan fyddwn ni'n rhoi cynnig ar rywbeth newydd, rydyn ni'n ei brofi ar raddfa fach ac "
        "yn dysgu ohono"
    ),
    "cre_blame": "Os yw syniad newydd yn methu yma, mae rhywun yn cael y bai",
    "aut_choice": "Mae gen i ddewis wrth benderfynu sut rwy'n gwneud fy ngwaith",
    "aut_involved": "Rwy'n teimlo fy mod i'n rhan o'r penderfyniadau sy'n effeithio ar fy ngwaith",
    "aut_trusted": "Mae pobl yn ymddiried ynof i wneud fy swydd yn effeithiol",
    "aut_results": (
        "Mae fy mherfformiad yn cael ei fesur yn ôl a ydw i'n cyflawni pethau, nid dim ond yn ôl "
        "a ydw i'n dilyn y drefn"
    ),
    "aut_decide": (
        "Galla i wneud y penderfyniadau sydd eu hangen ar breswylydd heb ofyn caniatâd bob tro"
    ),
    "aut_signoff": "Mae angen i reolwr gymeradwyo gormod o'm penderfyniadau",
    "col_improve": (
        "Mae pobl yn fy nhîm yn cydweithio i ddod o hyd i ffyrdd o wella'r gwasanaeth rydyn "
        "ni'n ei ddarparu"
    ),
    "col_help": "Gallwch chi ddibynnu ar bobl yn fy nhîm i helpu pan fydd pethau'n mynd yn anodd",
    "col_services": (
        "Rwy'n gweithio gyda gwasanaethau a phartneriaid eraill i gyflawni nodau cyffredin i "
        "breswylwyr"
    ),
    "col_community": (
        "Rydyn ni'n gweithio gyda grwpiau cymunedol a phreswylwyr fel partneriaid, nid dim ond "
        "fel defnyddwyr gwasanaethau"
    ),
    "col_share": (
        "Mae timau eraill yn rhannu'r hyn maen nhw'n ei wybod gyda ni pan fyddai'n helpu preswylwyr"
    ),
    "col_silos": "Mae timau yma'n gwarchod eu cyllidebau a'u tiriogaeth eu hunain yn gyntaf",
    "act_last": (
        "Lle rydw i'n gweithio, rwy'n credu bod camau effeithiol wedi'u cymryd ar ganlyniadau'r "
        "arolwg diwethaf"
    ),
    "act_will": (
        "Rwy'n credu y bydd rheolwyr lle rydw i'n gweithio yn gweithredu ar ganlyniadau'r "
        "arolwg hwn"
    ),
    "ld_purpose_shared": (
        "Mae ein tîm arwain yn cytuno ar y canlyniadau i breswylwyr rydyn ni yma i'w cyflawni"
    ),
    "ld_purpose_budget": (
        "Mae ein penderfyniadau am y gyllideb yn deillio o'r canlyniadau hynny, nid o gyllideb "
        "y llynedd"
    ),
    "ld_values_power": (
        "Mae ein hegwyddorion yn dweud mai cymunedau sydd â'r grym, a bod y cyngor yn dod â "
        "phobl ynghyd ac yn eu cefnogi"
    ),
    "ld_values_practice": (
        "Gallwn ni nodi penderfyniadau diweddar lle newidiodd ein hegwyddorion yr hyn a wnaethon ni"
    ),
    "ld_behav_model": (
        "Mae arweinwyr yma'n dangos yr ymddygiad rydyn ni'n ei ofyn gan staff: chwilfrydedd, "
        "bod yn agored, ymddiriedaeth"
    ),
    "ld_behav_control": "Pan fydd pethau'n mynd o chwith, ein hymateb cyntaf yw tynhau rheolaeth",
    "ld_cap_skills": (
        "Mae gennym ni'r sgiliau i gyd-ddylunio gwasanaethau gyda phreswylwyr ac i brofi modelau "
        "newydd"
    ),
    "ld_cap_data": (
        "Rydyn ni'n defnyddio data a thystiolaeth i ddeall angen ac i ddysgu a yw pethau'n gweithio"
    ),
    "ld_infra_systems": (
        "Mae ein systemau, ein contractau a'n llywodraethu yn ei gwneud hi'n hawdd gweithio ar "
        "draws gwasanaethau"
    ),
    "ld_infra_blocks": (
        "Mae ein prosesau caffael a'n TG yn rhwystro rhoi cynnig ar ffyrdd newydd o weithio"
    ),
}
BANK = tuple(replace(it, text_cy=WELSH[it.id]) for it in BANK)


def instrument(name: str = "staff") -> tuple[BankItem, ...]:
    """The items of one instrument ("staff" or "leadership"), in bank order."""
    items = tuple(it for it in BANK if it.instrument == name)
    if not items:
        raise ValueError(f"unknown instrument {name!r}; choose staff or leadership")
    return items


def items_csv(items: tuple[BankItem, ...]) -> str:
    """ITEMS.csv (item,scale,reverse,text) for ``changemaker culture report``."""
    out = io.StringIO()
    w = csv.writer(out, lineterminator="\n")
    w.writerow(["item", "scale", "reverse", "text"])
    for it in items:
        w.writerow([it.id, it.scale, int(it.reverse), it.text])
    return out.getvalue()
