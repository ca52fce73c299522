"""The two committees' API beyond what ModelPages derives: a member's 交叉任职 and 一肩挑, derived
(workforce/committees.py) and read-only beside the fields the kit's serializer writes."""

from rest_framework import serializers

from core.declared import serializer_for

from .models_committees import CommitteeMember
from .permissions import KEEP_COMMITTEES

MEMBER_FIELDS = ("term", "name", "id_number", "gender", "birth_date", "education", "post", "started_on", "ended_on")
Declared = serializer_for(CommitteeMember, MEMBER_FIELDS, KEEP_COMMITTEES)


class CommunityCommitteeMemberSerializer(Declared):
    crossing = serializers.SerializerMethodField(help_text="交叉任职：同一时间也在本社区另一个班子任职（派生，只读）")
    one_shoulder = serializers.SerializerMethodField(help_text="一肩挑：书记同时任居委会主任（派生，只读）")

    class Meta(Declared.Meta):
        fields = [*Declared.Meta.fields, "crossing", "one_shoulder"]

    def get_crossing(self, member) -> bool | None:
        return getattr(member, "crossing", None)

    def get_one_shoulder(self, member) -> bool | None:
        return getattr(member, "one_shoulder", None)
