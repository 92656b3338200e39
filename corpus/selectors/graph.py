"""The actor network: actors linked by the events they shared and the articles that mention both."""

from collections import defaultdict
from itertools import combinations

from corpus.dates import DateRange
from corpus.models import Actor, EventParticipant, Mention


def graph(kind: str | None = None, date_range: DateRange | None = None) -> dict:
    """Actors linked by shared events and by articles that mention both; with ``date_range``, only by the events
    dated and the articles published in it."""
    actors = Actor.objects.filter(kind=kind) if kind else Actor.objects.all()
    participations = EventParticipant.objects.filter(actor__in=actors)
    mentions = Mention.objects.filter(actor__in=actors)
    if date_range:
        participations = participations.filter(date_range.q("event__"))
        mentions = mentions.filter(date_range.published_q("article__"))
    links = {
        "events": participations.values_list("event__slug", "actor__slug"),
        "articles": mentions.values_list("article__slug", "actor__slug"),
    }
    edges = defaultdict(lambda: {"events": set(), "articles": set()})
    linked = set()
    for key, rows in links.items():
        groups = defaultdict(set)
        for via, actor in rows:
            groups[via].add(actor)
        for via, group in groups.items():
            linked |= group
            for pair in combinations(sorted(group), 2):
                edges[pair][key].add(via)
    return {
        "nodes": actors.filter(slug__in=linked),
        "edges": [
            {
                "source": source,
                "target": target,
                "weight": len(via["events"]) + len(via["articles"]),
                "events": sorted(via["events"]),
                "articles": sorted(via["articles"]),
            }
            for (source, target), via in sorted(edges.items())
        ],
    }
