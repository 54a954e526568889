from django.db import models
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy


class ParticipantSexChoices(models.TextChoices):
    FEMALE = "female", _("woman")
    MALE = "male", _("man")
    NON_BINARY = "non_binary", _("non-binary person")


class EligibilityCategoryCodeChoices(models.TextChoices):
    """Who may take part: Social Employment Act, art. 1 ust. 2 (as amended in 2022), points 1–8."""

    HOMELESS = "1", _("homeless, carrying out an individual programme for leaving homelessness")
    ALCOHOL = "2", _("alcohol-dependent")
    DRUGS = "3", _("drug-dependent")
    MENTAL_DISORDER = "4", _("with mental disorders")
    LONG_TERM_UNEMPLOYED = "5", _("long-term unemployed")
    RELEASED_FROM_PRISON = "6", _("released from prison, with difficulty reintegrating")
    REFUGEE = "7", _("refugee carrying out an individual integration programme")
    DISABILITY = "8", _("with disabilities")


class EnrollmentBenefitExclusionChoices(models.TextChoices):
    """The check of art. 1 ust. 3: benefits that exclude a person from social employment."""

    NONE = "none", _("none: receives no excluding benefit")
    UNEMPLOYMENT_BENEFIT = "unemployment_benefit", _("entitled to unemployment benefit")
    PRE_RETIREMENT = "pre_retirement", _("entitled to a pre-retirement allowance or benefit")
    STRUCTURAL_PENSION = "structural_pension", _("entitled to a structural pension")
    OLD_AGE_PENSION = "old_age_pension", _("entitled to an old-age pension")


class EnrollmentStatusChoices(models.TextChoices):
    CANDIDATE = "candidate", _("candidate")
    QUALIFIED = "qualified", _("qualified")
    ACTIVE = "active", _("active")
    COMPLETED = "completed", _("completed")
    DROPPED_OUT = "dropped_out", _("dropped out")
    TRANSFERRED = "transferred", _("transferred")


class EnrollmentExitReasonChoices(models.TextChoices):
    PLAN_COMPLETED = "plan_completed", _("individual plan completed")
    EMPLOYMENT = "employment", _("took up employment")
    OWN_DECISION = "own_decision", _("own decision")
    BREACH_OF_CONTRACT = "breach_of_contract", _("social contract not kept")
    HEALTH = "health", _("health reasons")
    MOVED = "moved", _("moved away")
    TRANSFERRED = "transferred", _("transferred to another club or centre")
    OTHER = "other", _("other")


class EnrollmentEducationLevelChoices(models.TextChoices):
    ISCED_0 = "isced_0", _("ISCED 0: below primary")
    ISCED_1 = "isced_1", _("ISCED 1: primary")
    ISCED_2 = "isced_2", _("ISCED 2: lower secondary")
    ISCED_3 = "isced_3", _("ISCED 3: upper secondary")
    ISCED_4 = "isced_4", _("ISCED 4: post-secondary")
    ISCED_5_8 = "isced_5_8", _("ISCED 5–8: tertiary")


class EnrollmentLabourMarketStatusChoices(models.TextChoices):
    UNEMPLOYED_REGISTERED = "unemployed_registered", _("unemployed, registered at a labour office")
    UNEMPLOYED_UNREGISTERED = "unemployed_unregistered", _("unemployed, not registered")
    INACTIVE = "inactive", _("economically inactive")
    EMPLOYED = "employed", _("employed")


class YesNoRefusedChoices(models.TextChoices):
    YES = "yes", _("yes")
    NO = "no", _("no")
    REFUSED = "refused", _("refused to answer")


class ConsentPurposeChoices(models.TextChoices):
    PROCESSING = "processing", _("processing of personal data for the club's work")
    EU_MONITORING = "eu_monitoring", _("monitoring of an EU-funded project")


class GoalStatusChoices(models.TextChoices):
    OPEN = "open", _("in progress")
    ACHIEVED = "achieved", _("achieved")
    PARTLY_ACHIEVED = "partly_achieved", _("partly achieved")
    NOT_ACHIEVED = "not_achieved", _("not achieved")
    WITHDRAWN = "withdrawn", _("withdrawn")
    REVISED = "revised", _("revised: replaced by a new version")


class SocialContractStatusChoices(models.TextChoices):
    DRAFT = "draft", _("draft")
    SIGNED = "signed", _("signed")
    COMPLETED = "completed", pgettext_lazy("social contract", "completed")
    TERMINATED = "terminated", _("terminated")


class AttendanceStatusChoices(models.TextChoices):
    PRESENT = "present", _("present")
    ABSENT = "absent", _("absent")
    EXCUSED = "excused", _("excused absence")


class OutcomeSituationChoices(models.TextChoices):
    EMPLOYED = "employed", _("employed on the open labour market")
    SELF_EMPLOYED = "self_employed", _("self-employed")
    SOCIAL_COOPERATIVE = "social_cooperative", _("working in a social cooperative")
    CIS = "cis", _("moved on to a social integration centre")
    EDUCATION = "education", _("in education or training")
    JOB_SEEKING = "job_seeking", _("seeking work")
    INACTIVE = "inactive", _("economically inactive")
    UNKNOWN = "unknown", _("unknown")
    NONE = "none", _("no change")


class FollowUpMonthsChoices(models.IntegerChoices):
    THREE = 3, _("3 months after leaving")
    SIX = 6, _("6 months after leaving")
    TWELVE = 12, _("12 months after leaving")


class ReferralStatusChoices(models.TextChoices):
    SENT = "sent", _("sent")
    ACCEPTED = "accepted", _("accepted")
    COMPLETED = "completed", pgettext_lazy("referral", "completed")
    DECLINED = "declined", _("declined")


class CaseNoteKindChoices(models.TextChoices):
    COUNSELLING = "counselling", _("counselling")
    HOME_VISIT = "home_visit", _("home visit")
    PHONE = "phone", _("phone call")
    OPS_MEETING = "ops_meeting", _("meeting with the social assistance centre (OPS)")
    OTHER = "other", pgettext_lazy("kind of case note", "other")


class CaseDocumentKindChoices(models.TextChoices):
    SIGNED_CONTRACT = "signed_contract", _("signed social contract (scan)")
    OPS_REFERRAL = "ops_referral", _("referral from the social assistance centre (OPS)")
    CONSENT_FORM = "consent_form", _("signed consent form")


class TransferStatusChoices(models.TextChoices):
    PROPOSED = "proposed", _("waiting for the receiving club")
    ACCEPTED = "accepted", pgettext_lazy("transfer", "accepted")
    DECLINED = "declined", pgettext_lazy("transfer", "declined")
    WITHDRAWN = "withdrawn", pgettext_lazy("transfer", "withdrawn")
