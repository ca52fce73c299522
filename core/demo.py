"""Help for the apps' demo fillers (core.registry.add_demo_filler): where the demo leaves its gaps.

Each app fills its own part of the demo city, independently. For the assessment to have
something to compare, the gaps should not be the same everywhere, nor scattered at random: a
street that lets its roster slide lets its party life slide too. `Laxity` gives every area the
same number in every filler, from the area codes alone.
"""

# The statistical division code: 6 digits for the county (区/县), 3 more for the township
# (街道/乡镇), 3 more for the village (社区/村); an area's code starts with its parents' codes.
DIVISION_WIDTHS = (6, 9, 12)
GOLDEN = (5**0.5 - 1) / 2


def spread(count):
    """`count` numbers in [0, 1) that stay apart however few there are: the fractional parts of
    0, φ, 2φ, … (φ = 0.618…), a low-discrepancy sequence — 0, .618, .236, .854, .472, …"""
    return [(k * GOLDEN) % 1 for k in range(count)]


class Laxity:
    """How far each area lets things slide, from 0 (keeps everything) up to nearly 1.

    Made from the codes of the areas the demo fills (e.g. every grid): each district, street and
    community takes its place among its siblings (by code) in `spread`, and an area's laxity is
    the weighted mean of its district's, its street's and its community's — mostly its
    district's, so that districts differ clearly and streets and communities around them.
    Reproducible: the same codes give the same numbers in every filler and every run.
    """

    def __init__(self, codes, weights=(0.6, 0.25, 0.15)):
        self.weights = dict(zip(DIVISION_WIDTHS, weights, strict=True))
        self.places = {}
        codes = set(codes)
        for parent_width, width in zip((0, *DIVISION_WIDTHS), DIVISION_WIDTHS, strict=False):
            siblings = {}
            for prefix in sorted({code[:width] for code in codes if len(code) >= width}):
                siblings.setdefault(prefix[:parent_width], []).append(prefix)
            for group in siblings.values():
                self.places.update(zip(group, spread(len(group)), strict=True))

    def __call__(self, code):
        """The laxity of the area of `code`, or of the deepest of its parents the codes knew."""
        known = [
            (self.weights[w], self.places[code[:w]])
            for w in DIVISION_WIDTHS
            if len(code) >= w and code[:w] in self.places
        ]
        if not known:
            return 0.0
        return sum(weight * place for weight, place in known) / sum(weight for weight, _place in known)
