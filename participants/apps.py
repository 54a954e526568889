from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ParticipantsConfig(AppConfig):
    name = "participants"
    verbose_name = _("Participants and their paths")

    def ready(self):
        from ksr_portal.audit import register_audited

        from . import models

        # Every model of this app holds a person's data; all of their writes are logged.
        register_audited(
            models.Participant,
            models.Consent,
            models.Enrollment,
            models.EnrollmentStatusChange,
            models.Referral,
            models.ActionPlan,
            models.Goal,
            models.GoalProgress,
            models.Review,
            models.SocialContract,
            models.Attendance,
            models.Outcome,
            models.FollowUp,
            models.CaseNote,
            models.CaseDocument,
            models.HouseholdMember,
            models.Transfer,
            mask_fields=["pesel"],
            m2m_fields=["eligibility_categories", "planned_services"],
        )
