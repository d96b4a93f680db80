"""Labelled short stories for testing the grouping engine: three topics, ten stories each,
written by hand for the tests (not by the engine, not from the demo). Each is what a resident
might write to "tell us about something that works well where you live, and what would make
it better"."""

from __future__ import annotations

LIBRARY = [
    "The library on Station Road runs a rhyme time for toddlers every Tuesday. More sessions "
    "on Saturdays would help working parents.",
    "I use the library computers to apply for jobs. It would be better if the library opened "
    "later than five in the evening.",
    "The librarians helped my dad get online and book his GP appointments. Keep the digital "
    "help sessions at the library going.",
    "Our library reading group is the best thing in my week. The library needs a quieter room "
    "for the group to meet.",
    "The children's summer reading challenge at the library got my son reading books again. "
    "Please keep funding it.",
    "The library lends laptops and wifi dongles. There are never enough laptops to borrow, so "
    "buy more.",
    "I love that the library has large print books and audiobooks. A home delivery service "
    "for housebound readers would be brilliant.",
    "Homework club at the library keeps kids off the street after school. It needs more "
    "volunteers to help with reading.",
    "The library is warm, free and friendly in winter. Longer library opening hours on Sundays "
    "would help people who have nowhere to go.",
    "Borrowing books online from the library app works well. The library should stock more "
    "books in Polish and Urdu.",
]

LIGHTING = [
    "The new LED street lights on Mill Lane make walking home at night feel much safer. The "
    "alley behind the shops is still dark.",
    "Street lights on my road were fixed within a week of reporting. The underpass by the "
    "station needs lighting too, it feels unsafe after dark.",
    "I feel safe walking the dog at night on the main road because it is well lit. The "
    "footpath through the rec has no lights at all.",
    "The lighting at the bus stop was improved and women feel safer waiting at night. Please "
    "light the cut-through to the estate.",
    "Our street light has been broken for months and it is pitch dark at night. Fixing "
    "broken lights faster would help.",
    "The brighter lights in the town centre car park stopped the break-ins. The side streets "
    "near the car park are still dark at night.",
    "Dimming the street lights after midnight saves money, but the path by the canal is too "
    "dark to walk safely at night.",
    "Lights on the cycle path make my night shift commute safe. More lights where the path "
    "meets the ring road would help.",
    "The park gates are lit now so the park feels safer in the evening. The far side of the "
    "park is still unlit and dark.",
    "CCTV and good street lighting on the high street make it feel safe at night. The back "
    "lanes need the same lights.",
]

ALLOTMENTS = [
    "Our allotment society shares tools and seeds, which keeps costs down. The waiting list for "
    "an allotment plot is five years long.",
    "Growing vegetables on my allotment keeps me fit and gets me talking to neighbours. More "
    "allotment plots would shorten the waiting list.",
    "The community garden behind the church grows food for the food bank. It needs a water "
    "butt and a shed for tools.",
    "Half plots at the allotments are perfect for beginners like me. The allotments need a "
    "compost toilet and better fencing.",
    "The school garden club grows tomatoes and beans with the children. Gardening sessions in "
    "the holidays would keep the garden going.",
    "My allotment neighbours taught me how to grow potatoes and onions. Raised beds would let "
    "older gardeners keep growing.",
    "The orchard planted on the green gives free apples every autumn. More fruit trees and a "
    "community harvest day would be lovely.",
    "Seed swaps at the allotment shop are a great way to meet other growers. The allotment "
    "shop needs longer opening hours.",
    "The veg growing beds outside the flats brought neighbours together. We need soil, compost "
    "and seeds to plant next spring.",
    "Allotment rents are fair and the site rep is helpful. Vandals keep breaking into the "
    "sheds, so a locked gate would help the plot holders.",
]

TOPICS = {"library": LIBRARY, "lighting": LIGHTING, "allotments": ALLOTMENTS}


def labelled() -> tuple[list[str], list[str]]:
    """The stories and their topics, the topics interleaved (order must not matter)."""
    texts, labels = [], []
    for i in range(10):
        for topic, stories in TOPICS.items():
            texts.append(stories[i])
            labels.append(topic)
    return texts, labels
