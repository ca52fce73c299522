"""Settings kept per city: a JSON object of entries by area code over "default", e.g.
FUNDS_MINIMUMS = {"default": {"party": 20000}, "2201": {"operating": 200000}} — one spelling of
which entries apply to an area, for every app that keys a setting so (funds' minimums, the
workforce's venue standards, ladders and staffing)."""


def entries_for(configured, code):
    """The entries of `configured` that apply to an area of `code`, weakest first: "default", then
    each configured code the area's code starts with, shorter before longer (the longest wins)."""
    code = code or ""
    prefixes = sorted((key for key in configured if key != "default" and code.startswith(key)), key=len)
    return [configured[key] for key in ("default", *prefixes) if key in configured]


def merged_for(base, configured, code):
    """`base` (a dict) with each entry that applies to `code` laid over it in turn: a key missing
    from the city's entry keeps the default's, or the base's."""
    chosen = dict(base)
    for entry in entries_for(configured or {}, code):
        chosen.update(entry)
    return chosen


def chosen_for(configured, code, fallback):
    """The single entry that applies to `code`: the longest configured prefix's, else "default",
    else `fallback`."""
    entries = entries_for(configured or {}, code)
    return entries[-1] if entries else fallback
