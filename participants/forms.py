"""The case file's short forms: each step of a stay done on its page, by the models' own rules.

Each form takes the stay and the user, names the permission it needs, and `save()`s through the models
(full_clean, transitions) in one transaction: a refusal raises the model's ValidationError and writes
nothing. The case file shows a form only where its step is open (`offered`).
"""

import datetime

from django import forms
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from clubs.models import Activity, Pillar
from ksr_portal.collation import Polish
from ksr_portal.widgets import DatePicker

from .choices import (
    AttendanceStatusChoices,
    EnrollmentBenefitExclusionChoices,
    EnrollmentStatusChoices,
    OutcomeSituationChoices,
)
from .models import ActionPlan, Attendance, EligibilityCategory, Goal, Outcome, SocialContract
from .models.outcome import LEFT_WITH_AN_OUTCOME

CHOOSE = ("", _("— choose —"))


class StepForm(forms.Form):
    permission = ""
    done = ""  # the message once saved
    section = ""  # the id of the case file's section it belongs to

    def __init__(self, *args, enrollment, user, **kwargs):
        self.enrollment, self.user = enrollment, user
        super().__init__(*args, prefix=self.prefix, **kwargs)

    @classmethod
    def offered(cls, enrollment):
        return True


class QualifyForm(StepForm):
    """The art. 1 facts checked at qualification, and the qualification itself."""

    done = _("The person is qualified.")
    section = "next-step"
    prefix = "qualify"
    permission = "participants.change_enrollment"

    eligibility_categories = forms.ModelMultipleChoiceField(
        label=_("art. 1 eligibility categories"),
        queryset=EligibilityCategory.objects.all(),
        widget=forms.CheckboxSelectMultiple,
        required=False,
    )
    benefit_exclusion = forms.ChoiceField(
        label=_("excluding benefits (art. 1 ust. 3)"),
        choices=[CHOOSE, *EnrollmentBenefitExclusionChoices.choices],
        required=False,
    )
    on = forms.DateField(label=_("qualified on"), widget=DatePicker())

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.initial |= {
            "eligibility_categories": list(self.enrollment.eligibility_categories.all()),
            "benefit_exclusion": self.enrollment.benefit_exclusion,
            "on": timezone.localdate(),
        }

    @classmethod
    def offered(cls, enrollment):
        return enrollment.status == EnrollmentStatusChoices.CANDIDATE

    @transaction.atomic
    def save(self):
        enrollment, data = self.enrollment, self.cleaned_data
        enrollment.benefit_exclusion = data["benefit_exclusion"]
        enrollment.categories_to_save = data["eligibility_categories"]
        enrollment.full_clean()
        enrollment.save()
        enrollment.eligibility_categories.set(data["eligibility_categories"])
        enrollment.qualify(data["on"], by=self.user)


class ContractForm(StepForm):
    """A social contract drawn up and, with the date of signing, signed at once."""

    done = _("The social contract is saved.")
    section = "contracts"
    prefix = "contract"
    permission = "participants.add_socialcontract"

    number = forms.CharField(label=_("number"), max_length=50)
    valid_from = forms.DateField(label=_("valid from"), widget=DatePicker())
    valid_until = forms.DateField(label=_("valid until"), widget=DatePicker())
    participant_obligations = forms.CharField(
        label=_("participant's obligations"), widget=forms.Textarea(attrs={"rows": 2}), required=False
    )
    worker_obligations = forms.CharField(
        label=_("social worker's and club's obligations"), widget=forms.Textarea(attrs={"rows": 2}), required=False
    )
    signed_on = forms.DateField(
        label=_("signed on"),
        widget=DatePicker(),
        required=False,
        help_text=_("Leave empty to keep the contract as a draft."),
    )

    @classmethod
    def offered(cls, enrollment):
        return enrollment.status in (EnrollmentStatusChoices.CANDIDATE, EnrollmentStatusChoices.QUALIFIED)

    @transaction.atomic
    def save(self):
        data = dict(self.cleaned_data)
        signed_on = data.pop("signed_on")
        contract = SocialContract(enrollment=self.enrollment, **data)
        contract.full_clean()
        contract.save()
        if signed_on:
            contract.sign(signed_on, by=self.user)


GOAL_ROWS = 3


class PlanForm(StepForm):
    """The Individual Action Plan with its first goals, one per row filled in."""

    done = _("The plan and its goals are saved.")
    section = "plan"
    prefix = "plan"
    permission = "participants.add_actionplan"

    drawn_up_on = forms.DateField(label=_("drawn up on"), widget=DatePicker())
    resources = forms.CharField(label=_("resources"), widget=forms.Textarea(attrs={"rows": 2}), required=False)
    barriers = forms.CharField(label=_("barriers"), widget=forms.Textarea(attrs={"rows": 2}), required=False)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        pillars = Pillar.objects.all()
        for row in range(GOAL_ROWS):
            self.fields[f"pillar_{row}"] = forms.ModelChoiceField(
                label=_("pillar of goal %(number)d") % {"number": row + 1}, queryset=pillars, required=False
            )
            self.fields[f"goal_{row}"] = forms.CharField(
                label=_("goal %(number)d") % {"number": row + 1}, required=False, max_length=500
            )
        self.initial.setdefault("drawn_up_on", timezone.localdate())

    @classmethod
    def offered(cls, enrollment):
        return enrollment.is_open() and not hasattr(enrollment, "action_plan")

    def clean(self):
        data = super().clean()
        self.goals = []
        for row in range(GOAL_ROWS):
            pillar, text = data.get(f"pillar_{row}"), (data.get(f"goal_{row}") or "").strip()
            if bool(pillar) != bool(text):
                missing = f"goal_{row}" if pillar else f"pillar_{row}"
                self.add_error(missing, _("A goal needs both its pillar and text."))
            elif pillar:
                self.goals.append((pillar, text))
        if not self.goals and not self.errors:
            self.add_error("goal_0", _("Write at least one goal of the plan."))
        return data

    @transaction.atomic
    def save(self):
        data = self.cleaned_data
        plan = ActionPlan(
            enrollment=self.enrollment,
            drawn_up_on=data["drawn_up_on"],
            resources=data["resources"],
            barriers=data["barriers"],
        )
        plan.full_clean()
        plan.save()
        for pillar, text in self.goals:
            goal = Goal(plan=plan, pillar=pillar, description=text)
            goal.full_clean()
            goal.save()


RECENT_DAYS = 31


class AttendanceForm(StepForm):
    """The person's attendance at one of the club's activities of the last month."""

    done = _("The attendance is saved.")
    section = "attendance"
    prefix = "attendance"
    permission = "participants.add_attendance"

    activity = forms.ModelChoiceField(label=_("activity"), queryset=Activity.objects.none())
    status = forms.ChoiceField(label=_("attendance"), choices=[CHOOSE, *AttendanceStatusChoices.choices])

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        today = timezone.localdate()
        since = max(self.enrollment.started_on or today, today - datetime.timedelta(days=RECENT_DAYS))
        self.fields["activity"].queryset = (
            Activity.objects.restrict(self.user)
            .filter(club=self.enrollment.club_id, held_on__gte=since, held_on__lte=today)
            .order_by("-held_on", Polish("title"))
        )
        self.fields["activity"].empty_label = CHOOSE[1]

    @classmethod
    def offered(cls, enrollment):
        return enrollment.status == EnrollmentStatusChoices.ACTIVE

    def save(self):
        statuses = {self.enrollment.pk: self.cleaned_data["status"]}
        Attendance.record_sheet(self.cleaned_data["activity"], [self.enrollment], statuses, by=self.user)


class OutcomeForm(StepForm):
    """The outcome of a finished stay."""

    done = _("The outcome is saved.")
    section = "outcome"
    prefix = "outcome"
    permission = "participants.add_outcome"

    recorded_on = forms.DateField(label=_("recorded on"), widget=DatePicker())
    situation = forms.ChoiceField(label=_("situation on leaving"), choices=[CHOOSE, *OutcomeSituationChoices.choices])
    social_reintegration_achieved = forms.BooleanField(
        label=_("improved social functioning (social reintegration effects)"), required=False
    )
    vocational_reintegration_achieved = forms.BooleanField(
        label=_("vocational reintegration effects achieved"), required=False
    )
    qualification_gained = forms.BooleanField(label=_("qualification gained"), required=False)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.initial.setdefault("recorded_on", timezone.localdate())

    @classmethod
    def offered(cls, enrollment):
        return enrollment.status in LEFT_WITH_AN_OUTCOME and not hasattr(enrollment, "outcome")

    def save(self):
        outcome = Outcome(enrollment=self.enrollment, **self.cleaned_data)
        outcome.full_clean()
        outcome.save()


STEP_FORMS = {form.prefix: form for form in (QualifyForm, ContractForm, PlanForm, AttendanceForm, OutcomeForm)}


def step_forms(enrollment, user, bound=None):
    """{name: form} of the steps open on this stay that `user` may take; `bound` replaces its own kind."""
    found = {}
    if not user.has_perm("participants.change_enrollment"):
        return {}
    for name, form_class in STEP_FORMS.items():
        if user.has_perm(form_class.permission) and form_class.offered(enrollment):
            found[name] = form_class(enrollment=enrollment, user=user)
    if bound is not None:
        found[bound.prefix] = bound
    return found
