"""What a role may see of a person, declared once: the sections of a person's record and the rows that hold them.

A role sees a section when it may view the rows of every model the section is made of (the permission
that `Model.objects.restrict(user)` asks for, granted by the table in `ksr_portal/roles.py`); within
the section, rows still come from `restrict(user)`, so a club sees only its own part of a person. The
KIS instructor, who holds participant, enrollment and attendance, so sees the person, their
enrollments and their attendance, and no plan, contract, referral, outcome, consent, case note or
document. The record page and its JSON file, the timeline, the case file, the certificate, the
worklist and the audit trail show a person through these sections.
"""

from ksr_portal.scoping import hidden_fields, may_view

from .models import (
    ActionPlan,
    Attendance,
    CaseDocument,
    CaseNote,
    Consent,
    Enrollment,
    EnrollmentStatusChange,
    FollowUp,
    Goal,
    HouseholdMember,
    Outcome,
    Participant,
    Referral,
    Review,
    SocialContract,
)

IDENTITY = "identity"
CONSENTS = "consents"
ENROLLMENT = "enrollment"
STATUS_CHANGES = "status_changes"
ACTION_PLAN = "action_plan"
SOCIAL_CONTRACTS = "social_contracts"
REFERRALS = "referrals"
ATTENDANCE = "attendance"
OUTCOME = "outcome"
CASE_NOTES = "case_notes"
DOCUMENTS = "documents"

SECTIONS = {
    IDENTITY: (Participant,),
    CONSENTS: (Consent,),
    # The enrollment's fields include its art. 1 categories and exclusions.
    ENROLLMENT: (Enrollment,),
    STATUS_CHANGES: (EnrollmentStatusChange,),
    ACTION_PLAN: (ActionPlan, Goal, Review),
    SOCIAL_CONTRACTS: (SocialContract, HouseholdMember),
    REFERRALS: (Referral,),
    ATTENDANCE: (Attendance,),
    OUTCOME: (Outcome, FollowUp),
    CASE_NOTES: (CaseNote,),
    DOCUMENTS: (CaseDocument,),
}


def visible_sections(user):
    """The names of the sections of a person's record that `user` may see."""
    return {name for name, models in SECTIONS.items() if all(may_view(user, model) for model in models)}


def sees_identities(user):
    """Whether `user` sees the people of their scope whole: who they are (PESEL, birth date, residence),
    their enrollments with the situation at entry, and their outcomes. Only such a reader gets the
    participant-level ESF+ sheet; every other one gets its figures as counts."""
    return (
        {IDENTITY, ENROLLMENT, OUTCOME} <= visible_sections(user)
        and not hidden_fields(user, Participant)
        and not hidden_fields(user, Enrollment)
    )
