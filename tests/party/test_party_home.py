"""The home page of a grid worker (issue 15, item 31): the work first — the grid's vacancies, the
organisations to record meetings for — and the change logs after it, short."""

from django.urls import reverse

from core.calendar import Quarter
from core.registry import CHANGES_LISTED
from orgs.models import Area
from party.choices import MeetingKind
from party.models import Meeting


def test_a_grid_worker_whose_meetings_are_kept_still_finds_where_to_record_the_next(party, grid_a1, client_for):
    start = Quarter.current().start
    kinds = {
        MeetingKind.COMMITTEE_MEETING: 3,
        MeetingKind.PARTY_DAY: 3,
        MeetingKind.GENERAL_MEETING: 1,
        MeetingKind.PARTY_LECTURE: 1,
    }
    for kind, times in kinds.items():
        for _n in range(times):
            Meeting.objects.create(organisation=party["grid_a1"], kind=kind, topic="例会", held_on=start)

    html = client_for(grid_a1).get("/").content.decode()

    widget = html[html.index("widget-meetings-due") :]
    assert "记录组织生活" in widget
    assert f"{reverse('party:meeting_add')}?organisation={party['grid_a1'].pk}" in widget


def test_the_work_comes_before_the_change_logs_which_are_short(party, grid_a1, client_for):
    area = Area.objects.get(code="220104001001001001")
    for n in range(12):  # a dozen changes of one of the grid's buildings
        area.name = f"{n + 1}号楼"
        area.save()

    html = client_for(grid_a1).get("/").content.decode()

    assert html.index("home-work") < html.index("home-changes")
    assert html.index("widget-meetings-due") < html.index("home-changes")
    changes = html[html.index("widget-area-changes") :]
    changes = changes[: changes.index("</section>")]
    assert changes.count('<li class="list-group-item">') == CHANGES_LISTED == 5
    assert 'class="col-12 col-lg-7 home-work"' in html  # the wider column is the work's
