"""The assessment's part of the demo city: the two past quarters, closed, and the current one, open,
rolled up with the default indicator set, so that a newcomer's first dashboard has ranks,
changes since the last quarter and a last-placed list; the manual indicators of both quarters as a
street office would have them — the past quarters' entered, submitted and accepted everywhere (brought
in from the offices' own sheets), this quarter's under way: most communities entered, some
submitted, a street submitted and one returned with its reason — and the first community of the
demo district left to enter, for the demo's community cadre."""

import random
import time

from django.core.files.base import ContentFile
from django.db import transaction
from django.utils.translation import gettext as _

from core.calendar import Quarter
from orgs.choices import AreaLevel
from orgs.models import Area

from .choices import ApprovalStatus, Method, PeriodKind, PeriodStatus
from .models import Approval, Entry, Evidence, IndicatorSet, Period
from .rollup import rollup

DEFAULT_SET = "党建引领基层治理考核指标（默认）"
DEMO_COMMUNITY = "220104001001"  # the demo login "shequ"'s: left for the newcomer to enter
DEMO_PENDING_STREET = "220104002"  # submitted with all its communities, for "chaoyang_zzb" to accept
NOTES = ("按季度台账填报", "已附会议记录和照片", "数据来自社区工作台账", "")


def demo_entries(period, rng, complete):
    """Entries for the streets and communities under the city that hold grids: every one of them
    when `complete`, else about four in five communities (and not the demo community)."""
    leaves = list(period.indicator_set.indicators.filter(method=Method.ENTERED))
    areas = list(
        Area.objects.filter(level__in=[AreaLevel.STREET, AreaLevel.COMMUNITY], children__isnull=False)
        .distinct()
        .order_by("code")
    )
    entries = []
    for area in areas:
        skipped = area.level == AreaLevel.COMMUNITY and rng.random() < 0.2
        if not complete and (
            area.code == DEMO_COMMUNITY or (skipped and not area.code.startswith(DEMO_PENDING_STREET))
        ):
            continue
        skill = rng.uniform(0.55, 1.0)  # how well the area keeps its promises, the same for its leaves
        for leaf in leaves:
            if area.level not in leaf.levels:
                continue
            denominator = rng.randint(6, 16)
            numerator = min(denominator, round(denominator * min(1.0, skill + rng.uniform(-0.1, 0.1))))
            entries.append(
                Entry(
                    period=period,
                    indicator=leaf,
                    area=area,
                    numerator=numerator,
                    denominator=denominator,
                    note=rng.choice(NOTES),
                )
            )
    Entry.objects.bulk_create(entries, batch_size=5000)
    return {entry.area_id: entry.area for entry in entries}


def demo_approvals(period, entered, rng, complete):
    """Past quarters: every area that entered submitted, every street accepted. This quarter: half
    the communities that entered submitted; a street whose communities all did submitted too, one
    of them accepted, and one community returned with its reason."""
    communities = sorted((a for a in entered.values() if a.level == AreaLevel.COMMUNITY), key=lambda a: a.code)
    streets = sorted((a for a in entered.values() if a.level == AreaLevel.STREET), key=lambda a: a.code)
    rows = []
    submitted = set()
    for community in communities:
        if complete or community.code.startswith(DEMO_PENDING_STREET) or rng.random() < 0.5:
            submitted.add(community.pk)
            rows.append(Approval(period=period, area=community, status=ApprovalStatus.SUBMITTED))
    if not complete and len(rows) > 1:
        returnable = [n for n, row in enumerate(rows) if not row.area.code.startswith(DEMO_PENDING_STREET)]
        returned = rows.pop(returnable[len(returnable) // 2])
        submitted.discard(returned.area_id)
        returned.status, returned.reason = ApprovalStatus.RETURNED, "佐证材料不全，请补充会议记录照片后重新上报。"
        rows.append(returned)
    children = {}
    for community in Area.objects.filter(level=AreaLevel.COMMUNITY, children__isnull=False).distinct():
        children.setdefault(community.parent_id, []).append(community.pk)
    accepted_one = False
    for street in streets:
        if not all(pk in submitted for pk in children.get(street.pk, [])):
            continue
        if complete:
            status = ApprovalStatus.ACCEPTED
        elif street.code == DEMO_PENDING_STREET or accepted_one:
            status = ApprovalStatus.SUBMITTED  # the demo district's organisation department has one to accept
        else:
            status, accepted_one = ApprovalStatus.ACCEPTED, True
        rows.append(Approval(period=period, area=street, status=status))
    Approval.objects.bulk_create(rows, batch_size=5000)


def demo_notices(period):
    """What the running quarter's states await, told as taking the steps would have told it
    (core/notices.py): the streets' cadres of their communities' submissions, the district of its
    streets', a returned community's cadres of the return and its reason."""
    from core.transitions import Subject

    from .approvals import APPROVAL

    step = {ApprovalStatus.SUBMITTED: "submit", ApprovalStatus.RETURNED: "return"}
    for row in Approval.objects.filter(period=period, status__in=list(step)).select_related("area__parent", "by"):
        subject = Subject({"period": period, "area": row.area}, row.area, row.area.name)
        APPROVAL.announce(APPROVAL[step[row.status]], row, subject, row.by, row.reason)


def demo_pdf(text):
    """A one-page PDF saying `text` (ASCII), small and valid, as a scanned 台账 would be."""
    content = f"BT /F1 14 Tf 72 760 Td ({text}) Tj ET".encode()
    objects = [
        b"<< /Type /Catalog /Pages 2 0 R >>",
        b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
        b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] /Contents 4 0 R"
        b" /Resources << /Font << /F1 5 0 R >> >> >>",
        b"<< /Length %d >>\nstream\n" % len(content) + content + b"\nendstream",
        b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>",
    ]
    pdf, offsets = bytearray(b"%PDF-1.4\n"), []
    for number, body in enumerate(objects, start=1):
        offsets.append(len(pdf))
        pdf += b"%d 0 obj\n" % number + body + b"\nendobj\n"
    xref = len(pdf)
    pdf += b"xref\n0 %d\n0000000000 65535 f \n" % (len(objects) + 1)
    pdf += b"".join(b"%010d 00000 n \n" % offset for offset in offsets)
    pdf += b"trailer\n<< /Size %d /Root 1 0 R >>\nstartxref\n%d\n%%%%EOF\n" % (len(objects) + 1, xref)
    return bytes(pdf)


def demo_evidence(period, rng):
    """The files behind the entered values, brought in with the offices' own records (no uploader):
    every value of an area that submitted, or was accepted, has its file; the returned community
    lacks one (its return says so); the others, still entering, have most of theirs."""
    statuses = dict(Approval.objects.filter(period=period).values_list("area_id", "status"))
    for entry in Entry.objects.filter(period=period).select_related("indicator", "area").order_by("area__code", "pk"):
        status = statuses.get(entry.area_id)
        if status == ApprovalStatus.RETURNED:
            attached = entry.indicator_id != min(
                e.indicator_id for e in Entry.objects.filter(period=period, area_id=entry.area_id)
            )
        else:
            attached = status in (ApprovalStatus.SUBMITTED, ApprovalStatus.ACCEPTED) or rng.random() < 0.75
        if not attached:
            continue
        name = _("{leaf}台账.pdf").format(leaf=entry.indicator.name)
        data = demo_pdf(f"Jiceng demo evidence: area {entry.area.code}, period {period.start:%Y-%m}")
        evidence = Evidence(entry=entry, name=name[:200], size=len(data), uploaded_by=None)
        evidence.file.save(name, ContentFile(data), save=False)
        evidence.save()


def fill_demo_assessment(size):
    started = time.perf_counter()
    indicators = IndicatorSet.objects.filter(name=DEFAULT_SET).first()
    if indicators is None:
        return "没有默认指标体系，未生成考核结果。"
    rng = random.Random(2210)
    current = Quarter.current()
    # An app that adds its leaves does so on a copy of the default set (property migration 0002):
    # the running quarter scores with the newest copy, the closed ones with the default set.
    running = IndicatorSet.objects.filter(copied_from=indicators).order_by("-pk").first() or indicators
    scores = 0
    for quarter, closed in ((current.shifted(-2), True), (current.previous(), True), (current, False)):
        scored_with = indicators if closed else running
        period, _created = Period.objects.get_or_create(
            kind=PeriodKind.QUARTER, start=quarter.start, defaults={"end": quarter.end, "indicator_set": scored_with}
        )
        if not period.scores.exists():  # new, or its rows went with the areas of a rebuilt demo
            period.status = PeriodStatus.OPEN  # reopened for the rebuild, closed again below
            period.indicator_set = scored_with
            period.save(update_fields=["status", "indicator_set"])
            with transaction.atomic():
                Entry.objects.filter(period=period).delete()
                Approval.objects.filter(period=period).delete()
                entered = demo_entries(period, rng, complete=closed)
                demo_approvals(period, entered, rng, complete=closed)
                demo_evidence(period, rng)
                if not closed:
                    demo_notices(period)
            scores += rollup(period)[1]
        period.status = PeriodStatus.CLOSED if closed else PeriodStatus.OPEN
        period.save(update_fields=["status"])
    seconds = time.perf_counter() - started
    return f"已生成最近三个季度的考核结果（{scores} 个区划得分，含人工录入指标的填报与验收），用时 {seconds:.1f} 秒。"
