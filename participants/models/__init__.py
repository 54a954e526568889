"""The participants' data, one module per concern of a person's stay in a club."""

from .attendance import Attendance
from .casefile import CaseDocument, CaseNote
from .contract import SOCIAL_CONTRACT_TRANSITIONS, HouseholdMember, SocialContract
from .enrollment import (
    CLOSED_ENROLLMENT_STATUSES,
    ENROLLMENT_TRANSITIONS,
    OPEN_ENROLLMENT_STATUSES,
    PARTICIPATING_STATUSES,
    SITUATION_AT_ENTRY,
    EligibilityCategory,
    Enrollment,
    EnrollmentStatusChange,
    active_on,
)
from .outcome import FollowUp, Outcome
from .participant import Consent, Participant
from .plan import GOAL_TRANSITIONS, ActionPlan, Goal, GoalProgress, Review, add_months, default_review_interval
from .referral import REFERRAL_TRANSITIONS, Referral
from .reminders import DigestOptOut
from .transfer import TRANSFER_TRANSITIONS, Transfer

__all__ = [
    "CLOSED_ENROLLMENT_STATUSES",
    "ENROLLMENT_TRANSITIONS",
    "GOAL_TRANSITIONS",
    "OPEN_ENROLLMENT_STATUSES",
    "PARTICIPATING_STATUSES",
    "REFERRAL_TRANSITIONS",
    "SITUATION_AT_ENTRY",
    "SOCIAL_CONTRACT_TRANSITIONS",
    "TRANSFER_TRANSITIONS",
    "ActionPlan",
    "Attendance",
    "CaseDocument",
    "CaseNote",
    "Consent",
    "DigestOptOut",
    "EligibilityCategory",
    "Enrollment",
    "EnrollmentStatusChange",
    "FollowUp",
    "Goal",
    "GoalProgress",
    "HouseholdMember",
    "Outcome",
    "Participant",
    "Referral",
    "Review",
    "SocialContract",
    "Transfer",
    "active_on",
    "add_months",
    "default_review_interval",
]
