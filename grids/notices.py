"""What the roster has due by a date (core/notices.py): a post of the three heads that has fallen
vacant — its holder left and nobody is appointed — is to be filled within a month; told to the
nearest who appoint to it (a grid's head: the community; a building's or a unit's: the grid worker)."""

import datetime

from django.db.models import Exists, OuterRef
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from core.registry import Due, DueSource
from orgs.places import place_name

from .choices import HEAD_POSTS, Post
from .models import HeadAssignment
from .permissions import action_for_post

FILLED_WITHIN = datetime.timedelta(days=30)


def vacated_posts(today):
    """One item per post of the three heads whose last holder has left by `today` and which has no
    holder since, appointed or to take it up: due a month after the holder left. Three queries."""
    successor = HeadAssignment.objects.filter(area=OuterRef("area"), post=OuterRef("post")).filter(
        end_date__isnull=True
    )
    left = (
        HeadAssignment.objects.filter(post__in=list(HEAD_POSTS), end_date__isnull=False, end_date__lte=today)
        .exclude(Exists(successor))
        .select_related("area__parent")
        .order_by("area_id", "post", "-end_date")
        .distinct("area_id", "post")
    )
    for post in left:
        # The roster where the post is filled: the grid's own, a building's or a unit's parent's.
        roster = post.area if post.post == Post.GRID_HEAD or post.area.parent is None else post.area.parent
        where = place_name(post.area)
        yield Due(
            key=f"grids.vacancy:{post.area_id}:{post.post}:{post.end_date.isoformat()}",
            area=post.area,
            action=action_for_post(post.post),
            title=_("{place}的{post}自 {day} 起空缺").format(
                place=where, post=post.get_post_display(), day=post.end_date.isoformat()
            ),
            body=_("原{post}{name}已于 {day} 离任，请尽快任命新的{post}。").format(
                post=post.get_post_display(), name=post.holder.name, day=post.end_date.isoformat()
            ),
            due_on=post.end_date + FILLED_WITHIN,
            url=reverse("grids:roster", args=[roster.code]),
            record=post.area,
            record_label=where,
        )


SOURCE = DueSource("grids.vacancies", gettext_lazy("三长职务空缺"), vacated_posts)
