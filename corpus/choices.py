"""Stable codes for the corpus's enumerations. Codes are part of the API contract."""

from django.db import models


class SourceKind(models.TextChoices):
    NEWS_AGENCY = "news_agency", "news agency"
    NEWSPAPER = "newspaper", "newspaper"
    BROADCASTER = "broadcaster", "broadcaster"
    BLOG = "blog", "blog"
    TV_PROGRAMME = "tv_programme", "TV programme"
    WEBSITE = "website", "website"


class ActorKind(models.TextChoices):
    PERSON = "person", "person"
    ORGANISATION = "organisation", "organisation"
    STATE = "state", "state"
    REGION = "region", "region"


class AliasKind(models.TextChoices):
    ACRONYM = "acronym", "acronym"
    TRANSLATION = "translation", "translation"
    VARIANT = "variant", "variant spelling"
    SHORT_NAME = "short_name", "short name"
    FULL_NAME = "full_name", "full name"
    OFFICIAL_NAME = "official_name", "official name"
    METONYM = "metonym", "metonym (a capital or seat standing for the actor)"
    ADJECTIVAL = "adjectival", "adjectival form"


class ProgrammeKind(models.TextChoices):
    PARTNERSHIP_PROGRAMME = "partnership_programme", "partnership programme"
    ACTION_PLAN = "action_plan", "action plan"
    PLANNING_PROCESS = "planning_process", "planning process"
    MECHANISM = "mechanism", "partnership mechanism"
    ENERGY_PROJECT = "energy_project", "energy project"


class EventType(models.TextChoices):
    EXERCISE = "exercise", "exercise"
    VISIT = "visit", "visit"
    MEETING = "meeting", "meeting"
    SUMMIT = "summit", "summit"
    AGREEMENT = "agreement", "agreement or declaration"
    ACCESSION = "accession", "accession"
    DEPLOYMENT = "deployment", "deployment or mission"
    DOCTRINE = "doctrine", "doctrine adoption"
    WAR = "war", "war or armed conflict"
    STATEMENT = "statement", "statement"
    INVITATION = "invitation", "invitation"
    LEGISLATION = "legislation", "legislation"
    INSTITUTION = "institution", "founding of an institution"
    COOPERATION = "cooperation", "start or phase of cooperation"
    INDEPENDENCE = "independence", "independence"
    TRAINING = "training", "training"


class ParticipantRole(models.TextChoices):
    HOST = "host", "host"
    VISITOR = "visitor", "visitor"
    LEADER = "leader", "leader of a delegation"
    SIGNATORY = "signatory", "signatory"
    INVITER = "inviter", "inviter"
    INVITEE = "invitee", "invitee"
    ORGANISER = "organiser", "organiser"
    SPEAKER = "speaker", "speaker"
    PARTICIPANT = "participant", "participant"
    ADOPTER = "adopter", "adopting body"
    APPROVER = "approver", "approver"
    MEMBER = "member", "member joining"
    CONTRIBUTOR = "contributor", "troop or support contributor"
    BELLIGERENT = "belligerent", "belligerent"
    SUBJECT = "subject", "subject"
    CRITIC = "critic", "critic"


class MentionMethod(models.TextChoices):
    CURATED = "curated", "curated"
    AUTOMATIC = "automatic", "found automatically"
