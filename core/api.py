"""The API base every app's viewsets are declared on (KIT.md), in the spirit of NetBox's
NetBoxModelViewSet: concrete viewsets declare `queryset`, `serializer_class`, `filterset_class`
and the actions; the scope, the re-check after a write, the Chinese 400s, masking and logging
of personal data are applied here, once.

- Reads go through `.scoped(user, view_action)`, writes through `.scoped(user, write_action)`:
  an object out of scope is not found (404), like a missing one.
- A write runs in a transaction and is re-checked after saving: an object the write would put
  outside the user's scope is rolled back and not found (NetBox's perform_create).
- A Django ValidationError (the tree's refusals, model rules) is a 400 with its messages; a
  delete refused because other records still point at the object is a 400 with the reason the
  delete page gives.
- Text carrying NUL or another control character (in a field, a list item, a key or a query
  parameter) is refused with a 400 before anything reads it: PostgreSQL cannot store a NUL.
- The answer to a create or an update is the record as a read shows it (annotations included).
- A model that declares `personal_data_fields` is served masked unless the user may see the
  numbers whole; then every answer that shows them is logged with whose they are.
"""

import re

from django.core.exceptions import ValidationError as DjangoValidationError
from django.db import IntegrityError, transaction
from django.db.models import ProtectedError, RestrictedError
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from drf_spectacular.openapi import AutoSchema
from drf_spectacular.plumbing import get_doc
from rest_framework import serializers, viewsets
from rest_framework.exceptions import NotFound, ValidationError

from . import gate, guard, personal_data
from .views.generic import protected_message


def conflict_message():
    return _("与已有记录重复或冲突，未保存。请刷新后核对。")


# C0 and C1 control characters but tab, line feed and carriage return; lone surrogates (a JSON
# "\ud800" that no encoding can store).
CONTROL_CHARACTERS = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f\ud800-\udfff]")


def control_character_message():
    return _("含有不可见的控制字符（如 NUL），请删除后重新提交。")


def has_control_characters(value):
    """Whether a string, or any key, item or value within a parsed body, carries a control
    character."""
    if isinstance(value, str):
        return CONTROL_CHARACTERS.search(value) is not None
    if isinstance(value, dict):
        return any(has_control_characters(k) or has_control_characters(v) for k, v in value.items())
    if isinstance(value, list | tuple):
        return any(has_control_characters(item) for item in value)
    return False


def control_character_errors(data):
    """{field: [message]} for each input (a field of a body, a query parameter) whose text carries
    a control character; a key that carries one is named under non_field_errors."""
    if hasattr(data, "lists"):  # a QueryDict: every value of every key
        items = list(data.lists())
    elif isinstance(data, dict):
        items = list(data.items())
    else:
        return {"non_field_errors": [control_character_message()]} if has_control_characters(data) else {}
    errors = {}
    for key, value in items:
        if has_control_characters(key):
            errors["non_field_errors"] = [control_character_message()]
        elif has_control_characters(value):
            errors[key] = [control_character_message()]
    return errors


def as_api_error(error):
    """A Django ValidationError as DRF's: field errors stay on their fields."""
    return ValidationError(error.message_dict if hasattr(error, "error_dict") else error.messages)


class ScopedViewSet(viewsets.ModelViewSet):
    view_action = "view"
    write_action = "change"
    # Whether answers show personal data (then whole views are logged); by default: whether the
    # serializer declares Meta.personal_fields (PersonalDataSerializerMixin).
    shows_personal_data = None

    def get_queryset(self):
        action = self.view_action if self.request.method in ("GET", "HEAD", "OPTIONS") else self.write_action
        return self.queryset.scoped(self.request.user, action)

    def initial(self, request, *args, **kwargs):
        """Authentication and permissions first (an anonymous caller learns nothing), then every
        text the request carries: a control character is a 400 naming the field."""
        super().initial(request, *args, **kwargs)
        if gate.reads_elsewhere_only(request.user, self.queryset.model):
            raise NotFound  # a functional department has no roster: the endpoint is not there for it
        errors = control_character_errors(request.query_params)
        if request.method not in ("GET", "HEAD", "OPTIONS", "DELETE"):
            errors.update(control_character_errors(request.data))
        if errors:
            raise ValidationError(errors)

    # --- writes: one transaction, refusals as 400s, re-checked after saving ---------------------

    def perform_create(self, serializer):
        serializer.instance = self.as_read(self.write(lambda: self.save_object(serializer)))

    def perform_update(self, serializer):
        reason = guard.refusal(serializer.instance, guard.CHANGE)  # as it stands (core/guard.py)
        if reason:
            raise ValidationError(reason)
        serializer.instance = self.as_read(self.write(lambda: self.save_object(serializer)))

    def as_read(self, instance):
        """The record as a read serves it (the queryset's annotations, such as a count, included),
        so that the answer to a write matches the schema of a read."""
        if instance is None or instance.pk is None:
            return instance
        found = self.queryset.scoped(self.request.user, self.view_action).filter(pk=instance.pk).first()
        return found if found is not None else instance

    def perform_destroy(self, instance):
        reason = guard.refusal(instance, guard.DELETE)
        if reason:
            raise ValidationError(reason)
        self.write(lambda: self.delete_object(instance), recheck=False, subject=instance)

    def save_object(self, serializer):
        """What a create or an update writes; a viewset with a service function overrides this."""
        serializer.save()
        return serializer.instance

    def delete_object(self, instance):
        instance.delete()

    def unsaved(self, serializer):
        """The record a create or an update would write, not yet saved: the instance (or a new one)
        with the validated values set — for a `save_object` that hands it to the app's service
        function (screened, routed) rather than saving it as it is. Not for many-to-many fields."""
        record = serializer.instance or self.queryset.model()
        for name, value in serializer.validated_data.items():
            setattr(record, name, value)
        return record

    def write(self, operation, *, recheck=True, subject=None):
        try:
            with transaction.atomic():
                instance = operation()
                if recheck and instance is not None and not self.in_scope_after_write(instance):
                    raise NotFound()  # the write would leave the user's scope: roll it back
        except DjangoValidationError as error:
            raise as_api_error(error) from None
        except (ProtectedError, RestrictedError) as error:  # records still point at it: what the page says
            raise ValidationError(protected_message(subject, error)) from None
        except IntegrityError:  # a race past the validation: a 400, and nothing of the row reaches a log
            raise ValidationError(conflict_message()) from None
        return instance

    def in_scope_after_write(self, instance):
        model = type(instance)
        return model._default_manager.scoped(self.request.user, self.write_action).filter(pk=instance.pk).exists()

    # --- personal data: masked, whole views logged with whose they are ---------------------------

    def list(self, request, *args, **kwargs):
        response = super().list(request, *args, **kwargs)
        rows = response.data["results"] if isinstance(response.data, dict) else response.data
        self.log_whole_view("list", [self.person_id(row) for row in rows])
        return response

    def retrieve(self, request, *args, **kwargs):
        response = super().retrieve(request, *args, **kwargs)
        self.log_whole_view(response.data.get("id"), [self.person_id(response.data)])
        return response

    def person_id(self, row):
        """Whose personal data a serialized row shows (by default: the row's own id)."""
        return row.get("id")

    def log_whole_view(self, object_id, ids):
        shows = self.shows_personal_data
        if shows is None:
            shows = bool(getattr(getattr(self.get_serializer_class(), "Meta", None), "personal_fields", ()))
        if shows:
            personal_data.log_access_if_whole(
                self.request,
                self.queryset.model,
                f"api:{object_id}",
                object_ids=[i for i in ids if i is not None],
                query=self.request.GET.urlencode(),
            )


class ModelRulesSerializerMixin:
    """Runs the model's `clean()` on the record the write would save, as a ModelForm does: a rule
    said once on the model holds in the form and in the API alike. Its refusals are 400s on their
    fields."""

    def validate(self, attrs):
        attrs = super().validate(attrs)
        model = self.Meta.model
        fields = model._meta.concrete_fields
        instance = model()
        if self.instance is not None:  # a fresh copy: the record itself is not touched
            for field in fields:
                setattr(instance, field.attname, getattr(self.instance, field.attname))
            instance._state.adding = False
        names = {field.name for field in fields}
        for name, value in attrs.items():
            if name in names:
                setattr(instance, name, value)
        try:
            instance.clean()
        except DjangoValidationError as error:
            raise as_api_error(error) from None
        return attrs


class PersonalDataSerializerMixin:
    """Serializes the fields named in Meta.personal_fields masked, unless the request's user may
    see them whole (the viewset logs those answers)."""

    def to_representation(self, instance):
        data = super().to_representation(instance)
        request = self.context.get("request")
        if request is None or not personal_data.can_reveal(request.user):
            for name in getattr(self.Meta, "personal_fields", ()):
                if data.get(name):
                    data[name] = personal_data.mask(data[name])
        return data


class IdentityField(serializers.CharField):
    """A phone or an ID number (core.fields) in the API: cleaned through core.identity, as the
    form and the import clean it, its refusal a 400 in the same Chinese words."""

    def __init__(self, *args, clean, **kwargs):
        self.identity_clean = clean
        super().__init__(*args, **kwargs)

    def to_internal_value(self, data):
        from .fields import cleaned

        value = super().to_internal_value(data)
        try:
            return cleaned(self.identity_clean, value)
        except DjangoValidationError as error:
            raise ValidationError(error.messages) from None


class DeclaredSerializer(PersonalDataSerializerMixin, ModelRulesSerializerMixin, serializers.ModelSerializer):
    """The base of the serializers ModelPages generates (core.declared): personal data masked
    (Meta.personal_fields: by default, the model's personal_data_fields among Meta.fields), the
    model's clean() run on every write, and the phone, ID-number and credit-code fields (core.fields)
    cleaned through core.identity."""

    def __init_subclass__(cls, **kwargs):
        super().__init_subclass__(**kwargs)
        meta = getattr(cls, "Meta", None)
        model = getattr(meta, "model", None)
        if model is not None and not hasattr(meta, "personal_fields"):
            fields = getattr(meta, "fields", ())
            meta.personal_fields = tuple(
                name
                for name in getattr(model, "personal_data_fields", {})
                if fields == serializers.ALL_FIELDS or name in fields
            )

    def build_standard_field(self, field_name, model_field):
        field_class, field_kwargs = super().build_standard_field(field_name, model_field)
        if getattr(type(model_field), "identity_clean", None) is not None:  # core.fields: a phone, a credit code
            field_class = IdentityField
            field_kwargs["clean"] = type(model_field).identity_clean
        return field_class, field_kwargs


class ScopedChoicesMixin:
    """A related field whose choices are the records the caller may `action` on."""

    def __init__(self, *args, action="view", **kwargs):
        self.action = action
        super().__init__(*args, **kwargs)

    def get_queryset(self):
        request = self.context.get("request")
        queryset = super().get_queryset()
        return queryset.scoped(request.user, self.action) if request is not None else queryset.none()


class ScopedRelatedField(ScopedChoicesMixin, serializers.SlugRelatedField):
    """A related object by a natural key, among those the caller may `action` on: one out of scope
    is "not found" like a missing one, so the answer does not leak its existence, and the
    browsable form offers no other choice."""


class ScopedPrimaryKeyField(ScopedChoicesMixin, serializers.PrimaryKeyRelatedField):
    """A related object by its id, among those the caller may `action` on: the same as
    ScopedRelatedField for records without a natural key (a member, a meeting's attendees)."""

    default_error_messages = {"does_not_exist": "编号为 {pk_value} 的记录不存在或不在您的管辖范围内。"}


# What each standard action of a scoped viewset does, for the schema's descriptions.
ACTION_DESCRIPTIONS = {
    "list": gettext_lazy("{name}列表：只含调用者管辖范围内的记录，可按下列参数筛选，分页返回。"),
    "retrieve": gettext_lazy("一条{name}；不在调用者管辖范围内的记录与不存在的一样，回答 404。"),
    "create": gettext_lazy("新增一条{name}，只能在调用者有权修改的范围内；不符合规则时回答 400 并说明原因。"),
    "update": gettext_lazy("修改一条{name}（提交全部字段），只能在调用者有权修改的范围内。"),
    "partial_update": gettext_lazy("修改一条{name}（只提交要改的字段），只能在调用者有权修改的范围内。"),
    "destroy": gettext_lazy("删除一条{name}，只能在调用者有权修改的范围内。"),
}
CJK = re.compile(r"[\u4e00-\u9fff]")


def chinese_lead(doc):
    """The Chinese name a docstring of the house style begins with ("区划. Addressed by…",
    "“三长”覆盖: the coverage…"), or "" when it begins otherwise."""
    lead = re.split(r"[:.：。]\s", (doc or "").strip() + " ", maxsplit=1)[0].strip()
    return lead if lead and CJK.search(lead) and not re.search(r"[A-Za-z]{3,}", lead) else ""


class ChineseAutoSchema(AutoSchema):
    """The OpenAPI schema speaks Chinese like the portal: each endpoint is tagged with its model's
    Chinese name instead of its URL's first word, and described in Chinese — by its viewset's
    `api_description` (Chinese, in `gettext_lazy`) if it declares one, then by what the action
    does with the model's Chinese name. Docstrings are for developers and stay out of the schema:
    an object is described by its model's name, a computed field by its `help_text` only."""

    def get_tags(self):
        queryset = getattr(self.view, "queryset", None)
        if queryset is not None:
            return [str(queryset.model._meta.verbose_name_plural)]
        return super().get_tags()

    def get_description(self):
        own = str(getattr(self.view, "api_description", "") or "")
        queryset = getattr(self.view, "queryset", None)
        action = getattr(self.view, "action", None)
        if queryset is None or action not in ACTION_DESCRIPTIONS:
            handler = getattr(self.view, action or self.method.lower(), None)
            return own or chinese_lead(get_doc(handler)) or chinese_lead(get_doc(self.view.__class__))
        what = str(ACTION_DESCRIPTIONS[action]).format(name=queryset.model._meta.verbose_name)
        return f"{own}\n\n{what}" if own else what

    def _map_basic_serializer(self, serializer, direction):
        schema = super()._map_basic_serializer(serializer, direction)
        model = getattr(getattr(serializer, "Meta", None), "model", None)
        if model is not None:
            schema["description"] = str(model._meta.verbose_name)
        else:
            schema.pop("description", None)
        properties = schema.get("properties", {})
        for name in getattr(getattr(serializer, "Meta", None), "personal_fields", ()):
            if name in properties:
                properties[name] = masked_form(properties[name])
        return schema

    def _map_serializer_field(self, field, direction, bypass_extensions=False):
        schema = super()._map_serializer_field(field, direction, bypass_extensions)
        if isinstance(field, serializers.SerializerMethodField) and not field.help_text:
            schema.pop("description", None)  # the method's docstring, for developers
        return schema

    def _get_response_bodies(self, direction="response"):
        """The answers of the operation, and the refusals every operation of the kit may give:
        400 (a refused input, a protected delete), 403 (not logged in, or no right), 404 (out of
        scope or missing, or a page past the last); and a write's 415 (a body in a format the API
        does not read)."""
        responses = super()._get_response_bodies(direction)
        answers = dict(ERROR_ANSWERS)
        if self.method in ("POST", "PUT", "PATCH"):
            answers["415"] = UNSUPPORTED_MEDIA  # a body in a format no parser of the API reads
        for code, text in answers.items():
            answer = {"content": {"application/json": {"schema": ERROR_SCHEMA}}, "description": str(text)}
            responses.setdefault(code, answer)
        return responses


def masked_form(schema):
    """A personal-data field (PersonalDataSerializerMixin) as it may be answered: masked (139****5678)
    unless the caller may see it whole, so no pattern of the whole number holds."""
    masked = {key: value for key, value in schema.items() if key not in ("pattern", "oneOf", "anyOf", "format")}
    lengths = [branch["maxLength"] for branch in schema.get("oneOf", ()) if "maxLength" in branch]
    if lengths:  # a blank-or-pattern choice (a field with blank=True): the longest branch's length
        masked.setdefault("maxLength", max(lengths))
    masked.setdefault("type", "string")
    masked["description"] = str(MASKED_DESCRIPTION)
    return masked


MASKED_DESCRIPTION = gettext_lazy("未获授权查看完整号码时以掩码返回，中间以 * 代替，如 139****5678。")
ERROR_ANSWERS = {
    "400": gettext_lazy("请求有误：字段的错误以字段名为键列出原因，其他原因列在 `non_field_errors` 或 `detail` 中。"),
    "403": gettext_lazy("未登录，或无权进行此操作。"),
    "404": gettext_lazy("记录不存在或不在调用者的管辖范围内，或页码超出范围。"),
}
UNSUPPORTED_MEDIA = gettext_lazy("请求体的格式不受支持：请以 JSON 或表单提交。")
# A refusal: {"detail": "…"}, {"<字段>": ["…"]} or a list of reasons.
ERROR_SCHEMA = {
    "oneOf": [
        {"type": "object", "additionalProperties": True},
        {"type": "array", "items": {"type": "string"}},
    ]
}


def chinese_security_schemes(result, generator, request, public):
    """drf-spectacular post-processing hook: the authentication schemes described in Chinese."""
    described = {
        "tokenAuth": _("令牌认证：请求头 Authorization 写作 “Token <令牌>”。"),
        "cookieAuth": _("会话认证：浏览器登录平台后的会话 Cookie；写操作还须带 CSRF 令牌。"),
    }
    for name, scheme in result.get("components", {}).get("securitySchemes", {}).items():
        if name in described:
            scheme["description"] = str(described[name])
    return result


# --- declared transitions (core/transitions.py) as API actions ----------------------------------


class TransitionSerializer(serializers.Serializer):
    """The body of a step: the reason (where the step asks one) and the state the caller saw (then
    a step overtaken by someone else's is refused, and told what the state became)."""

    reason = serializers.CharField(
        required=False,
        allow_blank=True,
        max_length=1000,
        label=gettext_lazy("原因"),
        help_text=gettext_lazy("须说明原因的操作（如退回）必填"),
    )
    state = serializers.CharField(
        required=False,
        allow_blank=True,
        max_length=32,
        label=gettext_lazy("所见状态"),
        help_text=gettext_lazy("调用者所见的当前状态（尚无记录时为空字符串）；状态已被他人改变时回答 400 并说明"),
    )


class TransitionViewSet(viewsets.GenericViewSet):
    """The API actions of a state machine's transitions: POST /api/<prefix>/<transition>/, one per
    declared transition, with `request_serializer` (TransitionSerializer and the fields that find
    the record) as the body; the answer is the record as `serializer_class` shows it. `subject(data)`
    finds the record's Subject from the validated body (404 out of scope); a user who may not take
    the step is not found either (404), a refusal is a 400 in Chinese.

        class ApprovalStepViewSet(TransitionViewSet):
            machine = APPROVAL
            queryset = Approval.objects.all()
            serializer_class = ApprovalSerializer
            request_serializer = ApprovalStepSerializer

            def subject(self, data): ...
    """

    machine = None
    request_serializer = TransitionSerializer

    def __init_subclass__(cls, **kwargs):
        super().__init_subclass__(**kwargs)
        if cls.machine is None:
            return
        from drf_spectacular.utils import extend_schema
        from rest_framework.decorators import action

        for t in cls.machine:

            def step(self, request, _name=t.name):
                return self.take_step(request, _name)

            step.__name__ = t.name
            step.__doc__ = _("{label}：从“{sources}”到“{target}”。").format(
                label=t.label,
                sources="、".join(cls.machine.state_label(s) for s in t.sources),
                target=cls.machine.state_label(t.target),
            )
            step = action(detail=False, methods=["post"], url_path=t.name, url_name=t.name)(step)
            step = extend_schema(
                request=cls.request_serializer,
                responses={200: cls.serializer_class},
                operation_id=f"{cls.machine.model._meta.model_name}_{t.name}",
            )(step)
            setattr(cls, t.name, step)

    def subject(self, data):
        raise NotImplementedError

    def may_take(self, t, subject, user):
        """Whether `user` may take step `t` on the subject; one who may not is told "not found"."""
        from . import gate

        return (t.applies is None or t.applies(subject)) and gate.can(user, t.action, subject.area)

    def perform_step(self, t, subject, data, user):
        """Take the step (a refusal raises Django's ValidationError); a step that carries more than
        a reason (a report, a new body) overrides this for its name and calls its own service."""
        from .transitions import UNSEEN

        return self.machine.take(
            t.name, subject.key, user, reason=data.get("reason", ""), seen=data.get("state", UNSEEN), subject=subject
        )

    def get_serializer_class(self):
        return self.request_serializer if self.request.method == "POST" and self.action else self.serializer_class

    def take_step(self, request, name):
        from rest_framework.response import Response

        from .transitions import NO_RECORD

        t = self.machine[name]
        body = self.request_serializer(data=request.data, context=self.get_serializer_context())
        body.is_valid(raise_exception=True)
        if body.validated_data.get("state", NO_RECORD) not in self.machine.states():
            raise ValidationError(
                {"state": [_("“{state}”不是有效的状态。").format(state=body.validated_data["state"])]}
            )
        subject = self.subject(body.validated_data)
        if not self.may_take(t, subject, request.user):
            raise NotFound()
        try:
            record = self.perform_step(t, subject, body.validated_data, request.user)
        except DjangoValidationError as error:
            raise as_api_error(error) from None
        return Response(self.serializer_class(record, context=self.get_serializer_context()).data)
