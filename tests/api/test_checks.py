"""``manage.py check`` compiles the hot reads' row renderers (api.checks): a field they cannot render is named there."""

import pytest
from django.core.management import call_command
from django.core.management.base import SystemCheckError
from rest_framework import serializers

from api.v1 import serializers as s
from api.v1.views import ActorViewSet


class NicknamedActorSerializer(s.ActorSerializer):
    nickname = serializers.SerializerMethodField()

    class Meta(s.ActorSerializer.Meta):
        fields = [*s.ActorSerializer.Meta.fields, "nickname"]

    def get_nickname(self, actor):
        return actor.name.lower()


class RatedActorSerializer(s.ActorSerializer):
    rating = serializers.DecimalField(source="iso_code", max_digits=4, decimal_places=1, read_only=True)

    class Meta(s.ActorSerializer.Meta):
        fields = [*s.ActorSerializer.Meta.fields, "rating"]


class MisnamedActorSerializer(s.ActorSerializer):
    alias = serializers.CharField(source="nickname", read_only=True)

    class Meta(s.ActorSerializer.Meta):
        fields = [*s.ActorSerializer.Meta.fields, "alias"]


def test_the_served_serializers_compile():
    call_command("check", tags=["api"])


@pytest.mark.parametrize(
    "serializer_class, message",
    [
        (NicknamedActorSerializer, "NicknamedActorSerializer.nickname: a many-valued field needs Meta.row_collections"),
        (RatedActorSerializer, "RatedActorSerializer.rating: the row renderers cannot render a DecimalField"),
        (MisnamedActorSerializer, "MisnamedActorSerializer.alias: Actor has no field named 'nickname'"),
    ],
)
def test_a_field_the_row_renderers_cannot_render_fails_the_check(monkeypatch, serializer_class, message):
    monkeypatch.setattr(ActorViewSet, "serializer_class", serializer_class)
    with pytest.raises(SystemCheckError) as raised:
        call_command("check")
    assert message in str(raised.value) and "api.E001" in str(raised.value)
