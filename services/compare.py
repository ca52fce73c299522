"""Two versions of a list side by side (issue 19): the items added, removed and changed, matched by
name (spaces ignored, as the gate matches a task), each change with its fields before and after."""

from dataclasses import dataclass, field

from .admission import normalised
from .models import ListItem


@dataclass
class Change:
    name: str
    old: ListItem
    new: ListItem
    fields: list = field(default_factory=list)  # (label, before, after)


@dataclass
class Comparison:
    old: object
    new: object
    added: list
    removed: list
    changed: list
    unchanged: int

    @property
    def differs(self):
        return bool(self.added or self.removed or self.changed)


def shown(item, name):
    value = getattr(item, name)
    return "" if value is None else str(value)


def compare(old, new):
    """The items of `new` not in `old` (added), of `old` not in `new` (removed), and of both whose
    compared fields differ (changed), in each version's order — two queries."""
    before = {normalised(item.name): item for item in old.items.order_by("order", "pk")}
    after = {normalised(item.name): item for item in new.items.order_by("order", "pk")}
    labels = {name: ListItem._meta.get_field(name).verbose_name for name in ListItem.COMPARED}
    changed, unchanged = [], 0
    for key, item in after.items():
        if key not in before:
            continue
        differences = [
            (labels[name], shown(before[key], name), shown(item, name))
            for name in ListItem.COMPARED
            if shown(before[key], name) != shown(item, name)
        ]
        if differences:
            changed.append(Change(item.name, before[key], item, differences))
        else:
            unchanged += 1
    return Comparison(
        old=old,
        new=new,
        added=[item for key, item in after.items() if key not in before],
        removed=[item for key, item in before.items() if key not in after],
        changed=changed,
        unchanged=unchanged,
    )
