"""The generator's tables: names, streets, how services write a street type or a flat, and
which services record what. Data, independent of the linker's tables on purpose: add a street
type or an abbreviation here."""

from __future__ import annotations

from typing import Final


def _words(text: str) -> tuple[str, ...]:
    return tuple(text.split())


MALE: Final = _words(
    "oliver george harry jack jacob noah charlie muhammad thomas oscar william james leo alfie "
    "henry joshua freddie archie ethan isaac alexander joseph edward samuel max daniel arthur "
    "lucas mohammed logan theo harrison benjamin mason sebastian finley adam dylan zachary riley "
    "teddy theodore david elijah jake toby louie reuben arlo hugo luca jaxon matthew harvey "
    "reggie michael tommy jenson frankie ronnie peter john robert richard paul mark stephen "
    "andrew christopher anthony kevin gary ian simon martin neil jason darren lee craig philip "
    "kenneth ronald raymond terence gerald frederick patrick nicholas timothy gregory jonathan "
    "nathan liam ryan connor kieran callum lewis aaron jamie"
)
FEMALE: Final = _words(
    "olivia amelia isla ava mia ivy lily isabella rosie sophia grace willow freya florence emily "
    "ella poppy evie elsie charlotte evelyn sienna sofia daisy phoebe sophie alice harper "
    "matilda ruby emilia maya millie isabelle eva luna jessica elizabeth chloe layla esme "
    "harriet lucy sarah emma hannah rebecca laura amy rachel katie jennifer nicola claire kelly "
    "lisa michelle joanne helen karen susan julie tracey deborah amanda angela caroline "
    "catherine margaret patricia dorothy jean mary barbara josephine victoria samantha abigail "
    "eleanor gillian jacqueline pamela louise frances alexandra nicole jade holly georgia megan "
    "bethany leah zara aisha fatima amira"
)
SURNAMES: Final = _words(
    "smith jones williams taylor brown davies evans wilson thomas johnson roberts robinson "
    "thompson wright walker white edwards hughes green hall lewis harris clarke patel jackson "
    "wood turner martin cooper hill ward morris moore clark lee king baker harrison morgan allen "
    "james scott phillips watson davis parker price bennett young griffiths mitchell kelly cook "
    "carter richardson bailey collins bell shaw murphy miller cox richards khan marshall "
    "anderson simpson ellis adams singh begum wilkinson foster chapman powell webb rogers gray "
    "mason ali hunt hussain campbell matthews owen palmer holmes mills barnes knight lloyd "
    "butler russell barker fisher stevens jenkins murray dixon harvey graham pearson ahmed "
    "fletcher walsh kaur gibson howard andrews stewart elliott reynolds saunders payne fox ford "
    "pearce day brooks west lawrence cole atkinson bradley spencer gill dawson ball burton "
    "o'brien watts rose booth perry ryan grant wells armstrong francis rees hayes hart hudson "
    "newman barrett webster hunter gregory carr lowe page marsh riley dunn woods parsons berry "
    "stone reid holland hawkins harding porter robertson newton oliver reed kennedy williamson "
    "bird gardner shah dean lane cooke bates henderson parry burgess bishop walton burns "
    "nicholson shepherd ross cross long freeman warren nicholls hamilton byrne sutton mcdonald "
    "yates hodgson robson curtis hopkins o'connor harper coleman watkins moss mccarthy chambers "
    "o'neill griffin sharp hardy wheeler potter osborne johnston gordon doyle wallace george "
    "jordan hutchinson rowe burke may pritchard gilbert willis higgins read miles stevenson "
    "stephenson hammond arnold buckley walters hewitt barber nelson slater austin sullivan "
    "whitehead mann frost lambert stephens blake akhtar lynch goodwin barton woodward thomson "
    "cunningham quinn barnett baxter bibi clayton nash greenwood jennings holt kemp poole "
    "gallagher bond stokes tucker davidson fowler heath norman middleton lawson banks french "
    "stanley jarvis gibbs ferguson hayward carroll douglas dickinson todd barlow peters lucas "
    "knowles hartley miah simmons morton alexander field morrison norris townsend preston "
    "hancock thornton baldwin burrows briggs storey pugh nowak kowalski popescu silva santos "
    "okafor adeyemi mensah nguyen chen wang kaya yilmaz smith-jones ward-davies"
)
STREET_NAMES: Final = _words(
    "high church station victoria mill park queens kings manor school green new north south "
    "west east london chapel albert springfield grange windsor york orchard meadow elm oak "
    "ash beech cedar willow hawthorn rowan birch maple lime chestnut poplar holly ivy laurel "
    "bridge castle abbey priory market water well hill valley brook river forest field"
)
#: Street types and the abbreviations service systems write for them (an empty tuple: never
#: abbreviated). Independent of the linker's list, on purpose.
STREET_TYPES: Final[dict[str, tuple[str, ...]]] = {
    "road": ("rd",),
    "street": ("st", "str"),
    "avenue": ("ave", "av"),
    "lane": ("ln", "la"),
    "close": ("cl", "cls"),
    "drive": ("dr", "drv"),
    "gardens": ("gdns", "gds"),
    "way": (),
    "crescent": ("cres", "cresc"),
    "grove": ("gro", "gr"),
    "terrace": ("terr", "tce"),
    "court": ("ct", "crt"),
}
STREET_TYPE_WORDS: Final = tuple(STREET_TYPES)
HOUSE_NAMES: Final = tuple(
    f"{a} {b}"
    for a in ("rose", "ivy", "mill", "orchard", "old", "holly", "meadow", "brook", "stone")
    for b in ("cottage", "house", "lodge", "barn", "villa", "view", "farm")
)
#: How services write a flat in a building ({flat}, {number} and {street} are filled in), in
#: four families: one is drawn from the main random stream, the form within it from the
#: addresses' own stream.
FLAT_FORMS: Final = (
    (
        "Flat {flat}, {number} {street}",
        "{number} {street} Flat {flat}",
        "{number} {street}, flat {flat}",
    ),
    ("flat {flat} {number} {street}", "Apartment {flat}, {number} {street}"),
    ("{flat}/ {number} {street}", "{flat}/{number} {street}", "{flat}, {number} {street}"),
    ("Apt {flat} {number} {street}",),
)
TOWNS: Final = ("exampleton", "little exampleton", "market exampleton", "exampleton on sea")
INWARD_LETTERS: Final = "ABDEFGHJLNPQRSTUWXYZ"
NINO_FIRST: Final = "ABCEGHJKLMNOPRSTWXYZ"
NINO_SECOND: Final = "ABCEGHJKLMNPRSTWXYZ"
EMAIL_DOMAINS: Final = ("example.com", "example.org", "example.net", "mail.example.co.uk")

#: How often each service records when the person lived at the address.
PERIOD_PRESENCE: Final[dict[str, float]] = {
    "council_tax": 0.95,
    "housing": 0.95,
    "benefits": 0.8,
    "adult_social_care": 0.5,
    "childrens_services": 0.5,
    "schools": 0.6,
    "libraries": 0.2,
    "leisure": 0.2,
}

#: Services: name -> (minimum age, maximum age, date format, field presence probabilities).
SERVICES: Final[dict[str, tuple[int, int, str, dict[str, float]]]] = {
    "council_tax": (18, 120, "iso", {"nino": 0.3, "email": 0.6, "phone": 0.6, "dob": 0.85}),
    "housing": (16, 120, "uk", {"nino": 0.6, "email": 0.3, "phone": 0.8, "dob": 0.95}),
    "benefits": (16, 120, "iso", {"nino": 0.97, "email": 0.2, "phone": 0.7, "dob": 0.99}),
    "adult_social_care": (18, 120, "uk", {"nino": 0.5, "email": 0.1, "phone": 0.7, "dob": 0.99}),
    "childrens_services": (0, 17, "uk", {"nino": 0.05, "email": 0.3, "phone": 0.6, "dob": 0.99}),
    "schools": (4, 17, "iso", {"nino": 0.0, "email": 0.5, "phone": 0.8, "dob": 1.0}),
    "libraries": (0, 120, "mixed", {"nino": 0.0, "email": 0.7, "phone": 0.3, "dob": 0.6}),
    "leisure": (0, 120, "uk", {"nino": 0.0, "email": 0.8, "phone": 0.5, "dob": 0.7}),
}
