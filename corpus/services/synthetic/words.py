"""Fixed words and names the generator draws from: the same for every seed."""

import itertools

from corpus.choices import ActorKind

STOP_WORDS = (
    "the of and to in a for on with by as that is was at from it be has its this are an will which said have were "
    "also not their been more than after between during under about into other over such new two"
).split()
DOMAIN_WORDS = (
    "cooperation partnership security alliance defence ministry exercise visit delegation programme regional "
    "stability energy corridor training reform dialogue strategy officials agreement mission peacekeeping "
    "logistics transit modernisation standards interoperability armed forces military minister president "
    "foreign policy relations integration membership council declaration meeting talks bilateral caucasus caspian "
    "pipeline sovereignty conflict ceasefire negotiations border troops contingent afghanistan kosovo brussels "
    "baku ankara tbilisi washington moscow headquarters liaison office envoy ambassador secretary general "
    "parliament assembly framework individual action plan planning review process capabilities contribution "
    "deployment operation staff officers academy education cyber emergency disaster response civil democratic "
    "control oversight budget procurement equipment naval border guard coast airspace radar support fund trust "
    "demining destruction munitions ammunition environmental science grant project conference seminar workshop "
    "statement press briefing communique invitation accession neutrality balanced independence territorial "
    "integrity resolution occupation region neighbours partners members allies summit"
).split()
SYLLABLES = "ka ra lo mi zen ta vo ru li sha be ne do ga fi ur al is om ek an ba ze ti".split()
VOCABULARY_SIZE = 3000
SEARCH_WORD, SEARCH_WORD_RANK = "summit", 470  # at this Zipf rank a word is in ~10% of 3,000-character bodies

FIRST_NAMES = (
    "Ilham Elmar Mammad Leyla Jeyhun Anar Rashad Aygun Vugar Nigar Farid Samir Kamran Gunel Orkhan Tural Javid Aysel "
    "Ramil Sevinj James Anders Jens Mark Ana Maria Stefan Jamie Rose Petr Giorgi Nino Ahmet Mehmet Ayse Olena Piotr "
    "Lars Ingrid Hans"
).split()
LAST_NAMES = (
    "Aliyev Mammadyarov Hasanov Guliyev Huseynov Ismayilov Abdullayev Rzayev Bayramov Najafov Rasmussen Stoltenberg "
    "Rutte Geoana Appathurai Fuller Shea Kovac Novak Beridze Yilmaz Demir Kaya Kowalski Nielsen Schmidt Dupont Rossi "
    "Garcia Smith Petrov Ivanova Lindqvist Moreau Jansen Horvath Popescu Varga Costa Weber"
).split()
ORG_ADJECTIVES = (
    "Caspian Caucasus Atlantic Euro-Atlantic National Regional Joint Strategic Defence Security Civil Allied "
    "International Southern Northern Eastern Western Central Independent Democratic"
).split()
ORG_NOUNS = (
    "Institute Agency Council Centre Committee Directorate Command Academy Forum Foundation Service Office Mission "
    "Union Commission Group Network Bureau Assembly Corps"
).split()
ORG_TOPICS = [
    "",
    "for Strategic Studies",
    "of Defence",
    "for Security Cooperation",
    "of Foreign Affairs",
    "for Energy Security",
    "for Peace Support",
    "of Emergency Situations",
    "for Border Security",
    "for Demining",
]
PLACES = "Baku Brussels Ganja Tbilisi Ankara Washington Mons Naples Sumgait Lankaran Istanbul Vilnius Riga".split()
SOURCE_NAMES = "Trend APA Azertac Report Caspian Caucasus Turan Interfax Atlantic Eurasia".split()
SOURCE_SUFFIXES = ["News Agency", "Daily", "Review", "Broadcasting", "Monitor", "Observer", "Online", "Weekly"]
PROGRAMME_WORDS = "Partnership Peace Planning Review Action Defence Building Capacity Integrity Education Trust Fund".split()
AFFILIATION_ROLES = ["Minister", "Deputy Minister", "Ambassador", "Head", "Director", "Spokesperson", "Adviser"]
ACTOR_KINDS = [ActorKind.PERSON] * 6 + [ActorKind.ORGANISATION] * 3 + [ActorKind.STATE]


PSEUDO_WORDS = ["".join(parts) for n in (2, 3) for parts in itertools.product(SYLLABLES, repeat=n)]  # 14,400 made-up words


def _vocabulary() -> tuple[list[str], list[float]]:
    """Words ranked stop words first, domain words spread among made-up ones; Zipf weights 1/rank."""
    domain = [w for w in DOMAIN_WORDS if w != SEARCH_WORD]
    rest = PSEUDO_WORDS[: VOCABULARY_SIZE - len(STOP_WORDS) - len(DOMAIN_WORDS)]
    ranked = list(STOP_WORDS)
    step = max(1, len(rest) // len(domain))
    for i, word in enumerate(rest):
        if i % step == 0 and domain:
            ranked.append(domain.pop(0))
        ranked.append(word)
    ranked += domain
    ranked.insert(SEARCH_WORD_RANK - 1, SEARCH_WORD)
    return ranked, list(itertools.accumulate(1 / rank for rank in range(1, len(ranked) + 1)))


VOCABULARY, VOCABULARY_WEIGHTS = _vocabulary()


def zipf(count: int, exponent: float = 1.0) -> list[float]:
    """Cumulative weights that make the first of ``count`` things the most often drawn."""
    return list(itertools.accumulate(1 / (rank**exponent) for rank in range(1, count + 1)))
