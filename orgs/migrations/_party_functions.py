"""The party's functions that orgs' migrations 0005-0007 name, from when the party's models were
orgs' (orgs/party/models.py). The models moved to the party app (issue #16); its own migrations
name party.models, and orgs, which imports no app, keeps these copies for its history."""

from django.core.exceptions import ValidationError


def id_number_validator(value):
    from core.identity import id_number

    try:
        id_number(value)
    except ValueError as error:
        raise ValidationError(str(error)) from None


def meeting_photo_path(photo, filename):
    return f"meetings/{photo.meeting.held_on:%Y/%m}/{photo.meeting_id}/{filename}"
