"""Declared transitions (DESIGN §4, KIT.md "states"): a record with states declares its steps once
— name, from-states, to-state, the action that may take it, the confirmation, whether a reason is
required, what it locks, whom it tells — and the kit gives the rest: the buttons (only for who may, only from the
right state), the confirmation page and its POST view (`TransitionView`), the API action
(`core.api.TransitionViewSet`), the history row (`StateChange`: who, when, from, to, why), a clear
refusal when two users race, the notices of who must act next (`notify`: core/notices.py), and the
matrix rows (`core.testing.transition_pages`).

    REQUEST = StateMachine(
        model=Request,
        transitions=[
            Transition("handle", _("办结"), sources=["received"], target="handled", action=HANDLE,
                       confirm=_("确定将{subject}标为已办结吗？"), done=_("{subject}已办结。")),
            Transition("reopen", _("重新打开"), sources=["closed"], target="received", action=REOPEN,
                       reason=True, confirm=_("重新打开{subject}，请说明原因。")),
        ],
    )

A step may start a record: `None` among the sources is "no record yet" (an assessment's approval
has no row before its first submission), so the record is looked up — or created — by its `key`
(e.g. `{"period": p, "area": a}`).

Inside one transaction, `take` holds the locks, reads the record again (FOR UPDATE), and refuses:
when the state is not the one the user saw on the page (the race: one wins, the other is told
what it changed to, by whom and when); the machine's `guard` (e.g. a closed period); a state the
step cannot start from; the step's own `guard` (e.g. values still missing). All refusals are
ValidationErrors in Chinese, formatted with `{subject}` and the subject's `words`.
"""

from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from typing import Any

from django import forms
from django.contrib import messages
from django.contrib.auth.mixins import LoginRequiredMixin
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.http import Http404, HttpResponseRedirect
from django.shortcuts import render
from django.utils.translation import gettext as _
from django.views import View

from . import gate
from .forms import BootstrapMixin

UNSEEN = object()  # `take` without the state the user saw (a function call, an old form)
NO_RECORD = ""  # how a form carries "no record yet"


@dataclass(frozen=True)
class Notify:
    """Whom a step tells (core/notices.py): the users who hold `action` at the subject's area (or at
    `area(subject)`), the nearest ones, except the user who took it. The texts are formatted like the
    step's, with `{subject}`, the subject's words, `words(subject)`, `{reason}` and `{label}` (the
    step); the body ends with who took it (操作人); `url(subject)` is the page where they act (default: where the step
    returns to). `users(subject)` names the told instead (users or ids): accounts that hold no area,
    such as a reporting unit's own (`action` is then None).

        Transition("return", …, notify=[Notify(ENTER, _("{subject}的录入值被退回"), _("原因：{reason}"),
                                              url=lambda subject: entry_page(subject))])
    """

    action: str
    title: Any
    body: Any = ""
    url: Callable | None = None  # subject → the page where the told act
    area: Callable | None = None  # subject → the area whose holders are told (default: the subject's)
    applies: Callable | None = None  # subject → whether it tells at all (a street's submission, not a community's)
    words: Callable | None = None  # subject → more words for the texts: {"period": "2026年第4季度"}
    users: Callable | None = None  # subject → the users told, instead of the holders of `action`


@dataclass(frozen=True)
class Transition:
    name: str  # the URL's and the API action's word: "submit"
    label: Any  # the button: _("上报")
    sources: tuple  # the states it may start from; None: no record yet
    target: str  # the state it leads to
    action: str  # who may take it: gate.can(user, action, subject.area)
    confirm: Any = ""  # the confirmation's question; "" takes the step without asking (a POST still)
    title: Any = ""  # the confirmation page's heading (default: the label and the subject)
    done: Any = ""  # the message after it is taken
    reason: bool = False  # whether a reason is required (asked on the confirmation page)
    reason_label: Any = ""  # the reason field's label, default 原因
    reason_help: Any = ""
    locks: Callable | None = None  # takes the database locks the step needs, given the key (else the machine's)
    guard: Callable | None = None  # key, record → a refusal in Chinese, or None; checked after the state
    applies: Callable | None = None  # subject → whether the step exists for it at all (else 404, no button)
    refusal: Any = ""  # the refusal from a state it cannot start from: "{subject}不能…"
    refusals: dict = field(default_factory=dict)  # state → a refusal of its own
    style: str = "btn-outline-primary"  # the button's class
    icon: str = ""
    notify: tuple = ()  # the `Notify`s of who must act next, told when the step is taken

    def __post_init__(self):
        object.__setattr__(self, "sources", tuple(self.sources))
        object.__setattr__(self, "notify", tuple(self.notify))

    def starts_from(self, state):
        return state in self.sources


@dataclass
class Subject:
    """What a step is taken on, as a page or the API found it (the app's own lookup, which 404s out of
    scope): the record's key, the area the action is asked on, its name in the texts, where to return."""

    key: dict
    area: Any
    label: str
    back: str = ""
    words: dict = field(default_factory=dict)  # more names for the texts: {"period": "2026年第三季度"}
    review: str = ""  # a page to look at before confirming
    review_label: str = ""  # its link's text (default 先查看详情)
    breadcrumb: list = field(default_factory=list)

    def say(self, text, **more):
        return str(text).format(subject=self.label, **{**self.words, **more}) if text else ""


@dataclass(frozen=True)
class Offer:
    """A button: the transition and where it leads."""

    transition: Transition
    url: str


class StateMachine:
    """A model's states and its declared transitions."""

    def __init__(
        self,
        model,
        transitions: Iterable[Transition],
        *,
        field="status",
        reason_field="reason",
        by_field="by",
        at_field="at",
        initial_label="",
        locks=None,
        guard=None,
    ):
        self.model = model
        self.transitions = {t.name: t for t in transitions}
        self.field, self.reason_field, self.by_field, self.at_field = field, reason_field, by_field, at_field
        self.initial_label = initial_label  # what "no record yet" reads as: "填报中"
        self.locks = locks  # key → takes the locks of every step (the record's own row is always locked)
        self.guard = guard  # key, record → a refusal for every step (a closed period), checked first

    def __getitem__(self, name):
        return self.transitions[name]

    def __iter__(self):
        return iter(self.transitions.values())

    # --- reading -------------------------------------------------------------------------------

    def record(self, key, lock=False):
        queryset = self.model._default_manager.filter(**key)
        return (queryset.select_for_update() if lock else queryset).first()

    def state(self, record):
        return getattr(record, self.field) if record is not None else None

    def states(self):
        """Every state the record may be in, "" for no record yet (the API's `state`)."""
        return [NO_RECORD, *(value for value, _label in self.model._meta.get_field(self.field).flatchoices)]

    def state_label(self, state):
        if state is None or state == NO_RECORD:
            return str(self.initial_label)
        return str(dict(self.model._meta.get_field(self.field).flatchoices).get(state, state))

    def may(self, name, state, user, subject_or_area):
        """Whether `user` may take `name` from `state` (the button's question; the guards are the step's)."""
        t = self[name]
        area = subject_or_area.area if isinstance(subject_or_area, Subject) else subject_or_area
        if t.applies is not None and not t.applies(subject_or_area):
            return False
        return t.starts_from(state) and gate.can(user, t.action, area)

    def offers(self, state, user, subject_or_area, url, only=None):
        """The buttons `user` sees for a record in `state`: `url(transition)` gives each one's
        address; `only` narrows to some names (a page that knows a step would be refused)."""
        return [
            Offer(t, url(t))
            for t in self
            if (only is None or t.name in only) and self.may(t.name, state, user, subject_or_area)
        ]

    def history(self, record, limit=20):
        """The record's history rows, newest first, with their states' labels (`from_label`, `to_label`)."""
        from django.contrib.contenttypes.models import ContentType

        from .models import StateChange

        if record is None or record.pk is None:
            return []
        rows = list(
            StateChange.objects.filter(
                content_type=ContentType.objects.get_for_model(self.model), object_id=record.pk
            ).select_related("user")[:limit]
        )
        for row in rows:
            row.from_label, row.to_label = self.state_label(row.from_state), self.state_label(row.to_state)
        return rows

    # --- taking a step -------------------------------------------------------------------------

    def refusal(self, name, key, record, subject=None):
        """Why `name` cannot be taken on the record now, in Chinese, or None (the checks of `take`,
        without the race): asked before a confirmation page asks for a reason it could not use."""
        t = self[name]
        say = subject.say if subject is not None else Subject(key, None, "").say
        if self.guard is not None:
            message = self.guard(key, record)
            if message:
                return message
        state = self.state(record)
        if not t.starts_from(state):
            text = t.refusals.get(state) or t.refusal or _("{subject}当前为“{state}”，不能{label}。")
            return say(text, state=self.state_label(state), label=t.label)
        if t.guard is not None:
            return t.guard(key, record) or None
        return None

    def changed(self, t, record, subject):
        """The refusal of the user who lost a race: what the state changed to, by whom and when."""
        state = self.state(record)
        who = getattr(record, self.by_field, None) if record is not None and self.by_field else None
        when = ""
        if record is not None and self.at_field and getattr(record, self.at_field, None):
            from .history import local_time

            when = local_time(getattr(record, self.at_field))
        return _("{subject}的状态刚刚已变为“{state}”{by}，您的“{label}”未执行。请查看后再操作。").format(
            subject=subject.label if subject else "",
            state=self.state_label(state),
            by=_("（{who} {when}）").format(who=who, when=when) if who else "",
            label=t.label,
        )

    def take(self, name, key, user, *, reason="", seen=UNSEEN, subject=None):
        """Take the step `name` on the record of `key`, as `user`; returns the record. Raises a
        ValidationError in Chinese when it is refused (the race included) and writes nothing."""
        from django.contrib.contenttypes.models import ContentType

        from .models import StateChange

        t = self[name]
        reason = (reason or "").strip()
        if t.reason and not reason:
            raise ValidationError(_("请填写{what}。").format(what=t.reason_label or _("原因")))
        with transaction.atomic():
            lock = t.locks or self.locks
            if lock is not None:
                lock(key)
            record = self.record(key, lock=True)
            state = self.state(record)
            if seen is not UNSEEN and (state or NO_RECORD) != (seen or NO_RECORD):
                raise ValidationError(self.changed(t, record, subject))
            refusal = self.refusal(name, key, record, subject)
            if refusal:
                raise ValidationError(refusal)
            if record is None:
                record = self.model(**key)
            setattr(record, self.field, t.target)
            if self.reason_field:
                setattr(record, self.reason_field, reason)
            if self.by_field:
                setattr(record, self.by_field, user if getattr(user, "pk", None) else None)
            try:
                with transaction.atomic():
                    record.save()
            except IntegrityError:  # another step created the record meanwhile (no wider lock declared)
                raise ValidationError(self.changed(t, self.record(key), subject)) from None
            StateChange.objects.create(
                content_type=ContentType.objects.get_for_model(self.model),
                object_id=record.pk,
                transition=t.name,
                label=str(t.label),
                from_state=state or NO_RECORD,
                to_state=t.target,
                reason=reason,
                user=user if getattr(user, "pk", None) else None,
            )
            self.announce(
                t, record, subject or Subject(key, getattr(record, "area", record), str(record)), user, reason
            )
        return record

    def announce(self, t, record, subject, user, reason=""):
        """Tell who must act after `t` was taken on `record` (its `notify`), and settle the notices of
        the record's earlier steps (their matter has moved on). Called by `take` in its transaction;
        a demo that writes states directly may call it to tell what its states await."""
        from . import notices

        source = f"{self.model._meta.label_lower}:{record.pk}:{t.name}"
        notices.settle(record, keep=source)
        told = []
        by = (user.get_full_name() or user.get_username()) if getattr(user, "pk", None) else ""
        for n in t.notify:
            if n.applies is not None and not n.applies(subject):
                continue
            words = {"reason": reason, "by": by, "label": t.label, **(n.words(subject) if n.words else {})}
            texts = {
                "source": source,
                "title": subject.say(n.title, **words),
                "body": "\n".join(
                    line
                    for line in (subject.say(n.body, **words), _("操作人：{by}").format(by=by) if by else "")
                    if line
                ),
                "url": n.url(subject) if n.url is not None else subject.back,
                "record": record,
                "record_label": subject.label,
            }
            if n.users is not None:
                skip = getattr(user, "pk", None)
                told += notices.tell([u for u in n.users(subject) if getattr(u, "pk", u) != skip], **texts)
            else:
                area = n.area(subject) if n.area is not None else subject.area
                told += notices.notify(n.action, area, exclude=[user] if getattr(user, "pk", None) else [], **texts)
        return told


class TransitionView(LoginRequiredMixin, View):
    """The confirmation page (GET) and the step itself (POST) of one transition, for every app:

        class ApprovalStep(TransitionView):
            machine = APPROVAL

            def subject(self, request, code):  # 404 outside the user's scope
                ...
                return Subject(key={"period": period, "area": area}, area=area, label=area.name, back=...)

        path("areas/<code:code>/assessment/accept/", ApprovalStep.as_view(transition="accept"), ...)

    A user who may not take the step is not found (404), as a record out of scope. A step that
    needs a reason and cannot be taken now says so before the reason is typed. The form carries
    the state the user saw, so a step that someone else's has overtaken is refused and told."""

    machine: StateMachine = None
    transition = ""
    template_name = "generic/confirm.html"

    def subject(self, request, **kwargs) -> Subject:
        raise NotImplementedError

    def hidden(self, subject):
        """Fields the form carries besides the seen state (e.g. the period)."""
        return {}

    def setup_step(self, request, **kwargs):
        t = self.machine[self.transition]
        subject = self.subject(request, **kwargs)
        if (t.applies is not None and not t.applies(subject)) or not gate.can(request.user, t.action, subject.area):
            raise Http404
        return t, subject

    def get(self, request, **kwargs):
        t, subject = self.setup_step(request, **kwargs)
        record = self.machine.record(subject.key)
        refusal = self.machine.refusal(t.name, subject.key, record, subject)
        if refusal:
            messages.error(request, refusal)
            return HttpResponseRedirect(subject.back)
        return self.confirmation(request, t, subject, record, reason_form(t) if t.reason else None)

    def post(self, request, **kwargs):
        t, subject = self.setup_step(request, **kwargs)
        form = reason_form(t, request.POST) if t.reason else None
        if form is not None and not form.is_valid():
            return self.confirmation(request, t, subject, self.machine.record(subject.key), form)
        seen = request.POST.get("state", UNSEEN)
        try:
            self.machine.take(
                t.name,
                subject.key,
                request.user,
                reason=form.cleaned_data["reason"] if form is not None else "",
                seen=seen,
                subject=subject,
            )
        except ValidationError as error:
            messages.error(request, " ".join(error.messages))
        else:
            messages.success(request, subject.say(t.done) or _("已{label}。").format(label=t.label))
        return HttpResponseRedirect(subject.back)

    def confirmation(self, request, t, subject, record, form):
        return render(
            request,
            self.template_name,
            {
                "title": subject.say(t.title) or f"{t.label} · {subject.label}",
                "breadcrumb": subject.breadcrumb,
                "question": subject.say(t.confirm),
                "alert": "warning",
                "form": form,
                "review": subject.review,
                "review_label": subject.review_label,
                "hidden": {**self.hidden(subject), "state": self.machine.state(record) or NO_RECORD},
                "confirm_label": _("确认{label}").format(label=t.label),
                "confirm_class": t.style.replace("btn-outline-", "btn-"),
                "cancel_url": subject.back,
                "transition": t,
            },
        )


class RecordTransitionView(TransitionView):
    """A step on a record that exists (a request, a whistle): found by its pk among those the user
    may see (else 404), the step's action asked on the record; back to the record's page. Served by
    `ModelPages.transitions` as "<model>_<transition>" at "<prefix>/<pk>/<transition>/"."""

    queryset = None

    def subject(self, request, pk):
        from django.shortcuts import get_object_or_404

        from .views.generic import breadcrumb_of

        record = get_object_or_404(self.queryset.scoped(request.user, "view"), pk=pk)
        return Subject(
            {"pk": record.pk}, record, str(record), back=record.get_absolute_url(), breadcrumb=breadcrumb_of(record)
        )


def reason_form(t, data=None):
    """The confirmation's reason field, labelled as the transition says."""

    class ReasonForm(BootstrapMixin, forms.Form):
        reason = forms.CharField(
            label=t.reason_label or _("原因"),
            max_length=1000,
            widget=forms.Textarea(attrs={"rows": 3}),
            help_text=t.reason_help,
        )

    return ReasonForm(data)
