"""Exampleton's demo stories: what residents told the council works well where they live and
what would make it better, on four topics (the demo tags them; the topic is the demo's, not
the engine's). (what works, what would help, channel, consent to publish)."""

from __future__ import annotations

#: topic -> (theme name, theme description)
TOPICS = {
    "parks": (
        "Parks and play",
        "Play areas, green spaces and somewhere for children and teenagers to go.",
    ),
    "buses": (
        "Buses and getting about",
        "Bus routes, timetables, fares and getting to work, school and appointments.",
    ),
    "high_street": (
        "The high street",
        "Shops, markets, empty units and reasons to visit the town centre.",
    ),
    "loneliness": (
        "Loneliness and getting together",
        "Places and groups where people meet, and older or isolated residents.",
    ),
}

ONLINE, PAPER, PHONE = "online", "paper", "phone"

STORIES: dict[str, list[tuple[str, str, str, bool]]] = {
    "parks": [
        (
            "The splash pad in Abbey Park is packed every summer and it's free.",
            "Shade and more benches near the splash pad so grandparents can sit.",
            ONLINE,
            True,
        ),
        (
            "The new swings at Riverside play area are accessible for my daughter's wheelchair.",
            "A changing places toilet in the park so we can stay longer.",
            ONLINE,
            True,
        ),
        (
            "Volunteers litter-pick the park every Sunday and it looks cared for.",
            "More bins in the park, they overflow at weekends.",
            PAPER,
            True,
        ),
        (
            "The skate park gives teenagers somewhere to go that is theirs.",
            "Lights at the skate park in winter and a shelter for the park.",
            ONLINE,
            False,
        ),
        (
            "Forest school sessions in the woods behind the park are wonderful for little ones.",
            "Keep the play rangers in the park during the holidays.",
            ONLINE,
            True,
        ),
        (
            "The park cafe opened again and the play area feels safer with people around.",
            "Toilets that are open when the play area is busy.",
            PHONE,
            True,
        ),
        (
            "My kids play football on the park pitches every evening.",
            "Goalposts with nets and the grass cut more often in the park.",
            ONLINE,
            True,
        ),
        (
            "The wildflower meadow in the park is full of bees and butterflies.",
            "Signs in the park explaining the meadow so people don't think it's neglected.",
            PAPER,
            True,
        ),
        (
            "The fenced toddler play area means I can relax while my son plays.",
            "Fix the broken roundabout and the gate of the play area.",
            ONLINE,
            True,
        ),
        (
            "Park run on Saturday morning brings the whole estate together in the park.",
            "Better paths around the park for buggies and wheelchairs.",
            ONLINE,
            True,
        ),
    ],
    "buses": [
        (
            "The number 12 bus gets me to the hospital without changing.",
            "The bus to run after 7pm so I can get home from evening shifts.",
            PHONE,
            True,
        ),
        (
            "Bus drivers on the 4 wait for older passengers to sit down.",
            "Real-time bus times at the stop on Church Street.",
            PAPER,
            True,
        ),
        (
            "The £2 bus fare cap makes getting to college affordable.",
            "A Sunday bus service to the retail park and the villages.",
            ONLINE,
            True,
        ),
        (
            "The bus station has clear timetables and friendly staff.",
            "Buses that turn up on time, the 7 is often cancelled.",
            ONLINE,
            False,
        ),
        (
            "The community minibus takes my mum to her day centre every week.",
            "More volunteer drivers for the minibus and a bus route on the estate.",
            PHONE,
            True,
        ),
        (
            "The bus lane on London Road means my bus isn't stuck in traffic.",
            "A bus shelter at the Oak Road stop, we stand in the rain.",
            ONLINE,
            True,
        ),
        (
            "Bus passes for carers mean I can travel with my brother.",
            "Ramps that work on every bus, sometimes the bus ramp is broken.",
            ONLINE,
            True,
        ),
        (
            "The night bus on Fridays gets young people home safely.",
            "Keep the night bus running and add a Saturday night bus.",
            ONLINE,
            True,
        ),
        (
            "The school bus is reliable and the children know the driver.",
            "Cheaper bus fares for families with more than two children.",
            PAPER,
            True,
        ),
        (
            "Contactless payment on the bus is quick.",
            "One bus ticket that works on every company's buses in the borough.",
            ONLINE,
            True,
        ),
    ],
    "high_street": [
        (
            "The Thursday market brings people into the high street.",
            "A Saturday market too, and stalls for local makers.",
            ONLINE,
            True,
        ),
        (
            "The independent shops on the high street know their customers by name.",
            "Lower business rates for small shops so they can stay open.",
            PAPER,
            True,
        ),
        (
            "The new library hub in the old bank brought life back to the high street.",
            "Use the empty shop units for pop-up shops and community groups.",
            ONLINE,
            True,
        ),
        (
            "Free parking for the first hour helps me pop into the shops.",
            "Clean up the shop fronts and the litter on the high street.",
            ONLINE,
            True,
        ),
        (
            "The Christmas lights switch-on fills the town centre with families.",
            "More events in the town centre through the year, not just at Christmas.",
            ONLINE,
            True,
        ),
        (
            "The high street bakery gives unsold bread to the food bank.",
            "Fewer betting shops and vape shops in the high street.",
            PHONE,
            False,
        ),
        (
            "The pedestrian zone makes shopping on the high street calm and safe.",
            "Benches and planters along the high street so it's nice to linger.",
            ONLINE,
            True,
        ),
        (
            "The cafes in the town centre stay open late in summer.",
            "Public toilets in the town centre, there are none after the shops close.",
            PAPER,
            True,
        ),
        (
            "The repair cafe in the empty shop fixed my toaster for free.",
            "Keep the repair cafe and let more empty shops be used by the community.",
            ONLINE,
            True,
        ),
        (
            "Local traders organised a shop local loyalty card for the high street.",
            "Better signs from the car park to the high street shops.",
            ONLINE,
            True,
        ),
    ],
    "loneliness": [
        (
            "The lunch club at St Mary's hall is where I see friends every week.",
            "Transport to the lunch club for people who can't walk there.",
            PHONE,
            True,
        ),
        (
            "The chatty bench outside the library gets strangers talking.",
            "More chatty benches and someone to say hello on lonely days.",
            ONLINE,
            True,
        ),
        (
            "Since my husband died the bereavement group has kept me going.",
            "Groups that meet in the evenings and at weekends when it's lonely.",
            PHONE,
            True,
        ),
        (
            "The men's shed gives retired men company and something to do.",
            "A bigger space for the men's shed and more tools.",
            PAPER,
            True,
        ),
        (
            "Befriending calls from a volunteer are the only calls I get some weeks.",
            "More befriending volunteers so nobody waits for a friendly call.",
            PHONE,
            True,
        ),
        (
            "The knit and natter group at the community centre is a lifeline.",
            "Keep the community centre open so groups can meet.",
            PAPER,
            True,
        ),
        (
            "The warm space at the church in winter means I'm not alone at home.",
            "Warm spaces open all year for company, not only in winter.",
            PHONE,
            True,
        ),
        (
            "The new parents' group helped me make friends after moving here.",
            "Groups for dads and for parents who work, so they feel less isolated.",
            ONLINE,
            True,
        ),
        (
            "Neighbours check on older people on our street.",
            "A street champion on every street to spot people who are isolated.",
            ONLINE,
            False,
        ),
        (
            "The singing for the brain group brings joy to people with dementia and carers.",
            "Support for carers, who can be very lonely too.",
            ONLINE,
            True,
        ),
    ],
}


def labelled() -> tuple[list[str], list[str]]:
    """Every story's text and its topic (the grouping benchmark and tests read this)."""
    texts, topics = [], []
    for topic, stories in STORIES.items():
        for works, helps, _channel, _consent in stories:
            texts.append(f"{works} {helps}")
            topics.append(topic)
    return texts, topics
