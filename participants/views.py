"""The portal pages of a person's journey: registration, timeline, case file, record, certificate, worklist,
attendance."""

import datetime

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import Prefetch
from django.http import FileResponse, Http404, HttpResponse, JsonResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST

from clubs.choices import ClubStatusChoices
from clubs.models import Activity, Club
from ksr_portal.audit import log_access, log_export
from ksr_portal.collation import Polish
from ksr_portal.scoping import permits, user_scope
from ksr_portal.widgets import DatePicker
from networks.models import Municipality
from stakeholders.models import Organization

from .admin import EnrollmentAdmin
from .casefile import case_file
from .choices import (
    AttendanceStatusChoices,
    CaseDocumentKindChoices,
    CaseNoteKindChoices,
    EnrollmentStatusChoices,
    ParticipantSexChoices,
    TransferStatusChoices,
)
from .forms import STEP_FORMS, step_forms
from .journey import stays, timeline_events
from .models import (
    TRANSFER_TRANSITIONS,
    ActionPlan,
    Attendance,
    CaseDocument,
    CaseNote,
    Consent,
    DigestOptOut,
    Enrollment,
    Goal,
    Participant,
    Review,
    SocialContract,
    Transfer,
    active_on,
)
from .models.transfer import TRANSFERABLE_STATUSES
from .papers import as_pdf, certificate_paper, contract_paper, plan_paper
from .registration import DIFFERENT_PERSON, SAME_PERSON, LikelyDuplicate, register
from .subject import as_json, subject_record
from .visibility import sees_identities, visible_sections
from .worklist import absent, contracts_ending, follow_ups_due, incoming_transfers, reviews_due


class WithdrawalForm(forms.Form):
    withdrawn_on = forms.DateField(label=gettext_lazy("withdrawn on"), widget=DatePicker())


def participant_in_scope(request, pk, action="view"):
    return get_object_or_404(Participant.objects.restrict(request.user, action), pk=pk)


@login_required
def record(request, pk):
    participant = participant_in_scope(request, pk)
    log_access(participant)
    can_withdraw = request.user.has_perm("participants.change_consent")
    return render(
        request,
        "participants/record.html",
        {
            "participant": participant,
            "record": subject_record(participant, request.user),
            "withdrawal_form": WithdrawalForm(initial={"withdrawn_on": timezone.localdate()}) if can_withdraw else None,
        },
    )


@login_required
def record_json(request, pk):
    participant = participant_in_scope(request, pk)
    log_export(request.user, Participant, [participant.pk], "json")
    response = JsonResponse(
        as_json(subject_record(participant, request.user)), json_dumps_params={"ensure_ascii": False, "indent": 2}
    )
    stamp = datetime.date.today().isoformat()
    response["Content-Disposition"] = f'attachment; filename="uczestnik-{participant.pk}-{stamp}.json"'
    return response


@login_required
@require_POST
def withdraw_consent(request, pk, consent_pk):
    participant = participant_in_scope(request, pk)
    consents = Consent.objects.restrict(request.user, "change")
    consent = get_object_or_404(consents, pk=consent_pk, participant=participant)
    form = WithdrawalForm(request.POST)
    try:
        if not form.is_valid():
            raise ValidationError(form.errors["withdrawn_on"])
        consent.withdraw(form.cleaned_data["withdrawn_on"])
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(request, _("The withdrawal of consent has been recorded."))
    return redirect("participants:record", pk=participant.pk)


def scope_club(request):
    """The club of a club-level user; the club pages exist only for them."""
    scope = user_scope(request.user)
    if scope is None or scope.club_id is None:
        raise Http404(_("This page is for the staff of a club."))
    return scope.club


class RegistrationForm(forms.Form):
    pesel = forms.CharField(label=gettext_lazy("PESEL"), required=False, max_length=11)
    first_name = forms.CharField(label=gettext_lazy("first name"), max_length=100)
    last_name = forms.CharField(label=gettext_lazy("last name"), max_length=100)
    birth_date = forms.DateField(
        label=gettext_lazy("date of birth"),
        required=False,
        help_text=gettext_lazy("Needed only for a person without a PESEL."),
        widget=DatePicker(),
    )
    # No sex is chosen until the person says it: a blank first choice, and a choice is required.
    sex = forms.ChoiceField(
        label=gettext_lazy("sex"), choices=[("", gettext_lazy("— choose —")), *ParticipantSexChoices.choices]
    )
    municipality = forms.ModelChoiceField(
        label=gettext_lazy("municipality of residence"), queryset=None, required=False
    )
    applied_on = forms.DateField(label=gettext_lazy("applied on"), widget=DatePicker())
    referred_by = forms.ModelChoiceField(label=gettext_lazy("referred by"), queryset=None, required=False)
    referred_on = forms.DateField(label=gettext_lazy("referred on"), required=False, widget=DatePicker())
    referral_contact = forms.CharField(label=gettext_lazy("referral contact"), required=False, max_length=200)
    consent_given_on = forms.DateField(
        label=gettext_lazy("consent to processing given on"),
        required=False,
        widget=DatePicker(),
    )
    duplicate_decision = forms.ChoiceField(
        label=gettext_lazy("A person with the same names and date of birth is already registered"),
        choices=[
            (SAME_PERSON, gettext_lazy("It is the same person: enroll them in my club")),
            (DIFFERENT_PERSON, gettext_lazy("It is a different person: register a new one")),
        ],
        widget=forms.RadioSelect,
        required=False,
    )

    PERSON_FIELDS = ["pesel", "first_name", "last_name", "birth_date", "sex", "municipality"]
    ENROLLMENT_FIELDS = ["applied_on", "referred_by", "referred_on", "referral_contact"]

    def __init__(self, *args, club, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["municipality"].queryset = Municipality.objects.filter(region=club.region).order_by(Polish("name"))
        self.fields["referred_by"].queryset = Organization.objects.restrict(user).order_by(Polish("name"))


@login_required
def register_participant(request):
    club = scope_club(request)
    if not request.user.has_perm("participants.add_enrollment"):
        raise PermissionDenied
    form = RegistrationForm(request.POST or None, club=club, user=request.user)
    show_duplicate = False
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            enrollment = register(
                club,
                person={name: data[name] for name in form.PERSON_FIELDS},
                enrollment={name: data[name] for name in form.ENROLLMENT_FIELDS},
                consent_given_on=data["consent_given_on"],
                duplicate_decision=data["duplicate_decision"],
            )
        except LikelyDuplicate:
            show_duplicate = True
            form.add_error(
                None,
                _(
                    "A person with the same names and date of birth is already registered, perhaps in another "
                    "club. Say whether it is the same person before saving."
                ),
            )
        except ValidationError as error:
            add_form_errors(form, error)
        else:
            # The same answer whether the PESEL was known or not (registration.py).
            messages.success(request, _("The person is registered and enrolled as a candidate."))
            return redirect("participants:case_file", pk=enrollment.pk)
    if not show_duplicate:
        form.fields.pop("duplicate_decision")
    return render(request, "participants/register.html", {"form": form, "club": club})


@login_required
def timeline(request, pk):
    participant = participant_in_scope(request, pk)
    log_access(participant)
    return render(
        request,
        "participants/timeline.html",
        {
            "participant": participant,
            "events": timeline_events(participant, request.user),
            "stays": stays(participant, request.user),
        },
    )


def paper_response(request, paper, enrollment):
    """The paper to print from the browser on A4, or with ?format=pdf as a PDF download."""
    log_access(enrollment.participant)
    if request.GET.get("format") == "pdf":
        response = HttpResponse(as_pdf(paper), content_type="application/pdf")
        response["Content-Disposition"] = f'attachment; filename="{paper.filename}"'
        return response
    return render(request, "participants/paper.html", {"paper": paper, "enrollment": enrollment})


@login_required
def certificate(request, pk):
    enrollment = get_object_or_404(
        Enrollment.objects.restrict(request.user).select_related("participant", "club__operator"),
        pk=pk,
        status=EnrollmentStatusChoices.COMPLETED,
    )
    return paper_response(request, certificate_paper(enrollment, timezone.localdate()), enrollment)


@login_required
def contract_paper_page(request, pk):
    contracts = SocialContract.objects.restrict(request.user).select_related(
        "enrollment__participant", "enrollment__club__operator", "referring_organization"
    )
    contract = get_object_or_404(contracts.prefetch_related("goals__pillar", "household_members"), pk=pk)
    return paper_response(request, contract_paper(contract, timezone.localdate()), contract.enrollment)


@login_required
def plan_paper_page(request, pk):
    goals = Goal.objects.restrict(request.user).select_related("pillar").prefetch_related("planned_services")
    plans = (
        ActionPlan.objects.restrict(request.user)
        .select_related("enrollment__participant", "enrollment__club__operator")
        .prefetch_related(Prefetch("goals", goals), Prefetch("reviews", Review.objects.restrict(request.user)))
    )
    plan = get_object_or_404(plans, pk=pk)
    return paper_response(request, plan_paper(plan, timezone.localdate()), plan.enrollment)


@login_required
def worklist(request):
    club = scope_club(request)
    today = timezone.localdate()
    return render(
        request,
        "participants/worklist.html",
        {
            "club": club,
            "today": today,
            "sections": visible_sections(request.user),
            "sees_identities": sees_identities(request.user),
            "reviews": reviews_due(request.user, today),
            "contracts": contracts_ending(request.user, today),
            "absent": absent(request.user, today),
            "follow_ups": follow_ups_due(request.user, today),
            "transfers": incoming_transfers(request.user),
            "activities": Activity.objects.restrict(request.user)
            .filter(held_on__lte=today)
            .select_related("service")
            .order_by("-held_on")[:10],
        },
    )


@login_required
def attendance_sheet(request, pk):
    activity = get_object_or_404(
        Activity.objects.restrict(request.user).select_related("club", "service", "provider"), pk=pk
    )
    if not request.user.has_perm("participants.add_attendance"):
        raise PermissionDenied
    enrollments = list(
        Enrollment.objects.restrict(request.user)
        .filter(active_on(activity.held_on), club=activity.club)
        .select_related("participant")
        .order_by("participant__last_name", "participant__first_name")
    )
    recorded = dict(Attendance.objects.filter(activity=activity).values_list("enrollment_id", "status"))
    if request.method == "POST":
        statuses = {}
        for key, value in request.POST.items():
            if key.startswith("status-") and key[7:].isdigit():
                statuses[int(key[7:])] = value
        try:
            added, changed, removed = Attendance.record_sheet(activity, enrollments, statuses, by=request.user)
        except ValidationError as error:
            for message in error.messages:
                messages.error(request, message)
            recorded |= statuses
        else:
            messages.success(
                request,
                _("Attendance saved: %(added)d added, %(changed)d changed, %(removed)d removed.")
                % {"added": added, "changed": changed, "removed": removed},
            )
            return redirect("participants:attendance", pk=activity.pk)
    rows = [(enrollment, recorded.get(enrollment.pk, "")) for enrollment in enrollments]
    return render(
        request,
        "participants/attendance.html",
        {"activity": activity, "rows": rows, "statuses": AttendanceStatusChoices.choices},
    )


class CaseNoteForm(forms.ModelForm):
    prefix = "note"  # the page holds two forms, whose fields must not share ids

    class Meta:
        model = CaseNote
        fields = ["written_on", "kind", "pillar", "duration_minutes", "text"]
        widgets = {"written_on": DatePicker(), "text": forms.Textarea(attrs={"rows": 4})}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["kind"].choices = [("", _("— choose —")), *CaseNoteKindChoices.choices]
        self.fields["pillar"].empty_label = "—"


class CaseDocumentForm(forms.ModelForm):
    prefix = "document"

    class Meta:
        model = CaseDocument
        fields = ["kind", "received_on", "file"]
        widgets = {"received_on": DatePicker(), "file": forms.FileInput(attrs={"accept": ".pdf,.jpg,.jpeg,.png"})}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["kind"].choices = [("", _("— choose —")), *CaseDocumentKindChoices.choices]


class ClubChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj):
        return f"{obj.name} ({obj.town}, {obj.region})"


class TransferForm(forms.Form):
    prefix = "transfer"

    to_club = ClubChoiceField(label=gettext_lazy("receiving club"), queryset=None)
    consent_given_on = forms.DateField(
        label=gettext_lazy("person's consent to the transfer given on"), widget=DatePicker()
    )

    def __init__(self, *args, leaving, **kwargs):
        super().__init__(*args, **kwargs)
        # Any active club of the country, as the public directory lists them.
        clubs = Club.objects.filter(status=ClubStatusChoices.ACTIVE).exclude(pk=leaving.club_id)
        self.fields["to_club"].queryset = clubs.select_related("region").order_by(Polish("name"))
        self.fields["to_club"].empty_label = _("— choose —")


def transition_forms(enrollment, names, today):
    """The date (and what else a transition asks) of each transition in `names`, posted to the workbench's
    transition, which runs the model's method and leads back to the case file."""
    found = []
    for name in names:
        form = EnrollmentAdmin.transition_form(auto_id=f"id_{name}_%s", initial={"on": today})
        for field_name in [f for f in form.fields if f not in {"on", *EnrollmentAdmin.transition_fields.get(name, [])}]:
            del form.fields[field_name]
        found.append((name, Enrollment.transitions[name][0], form))
    return found


def render_case_file(request, pk, note_form=None, document_form=None, transfer_form=None, step_form=None):
    today = timezone.localdate()
    context = case_file(request.user, pk, today)
    enrollment = context["enrollment"]
    context["steps"] = step_forms(enrollment, request.user, bound=step_form)
    # Qualifying asks for the art. 1 facts too: its own form (forms.py) stands for the button.
    names = [name for name, _label in context.get("transitions", []) if name not in context["steps"]]
    context["transition_forms"] = transition_forms(enrollment, names, today)
    may_propose = request.user.has_perm("participants.add_transfer") and enrollment.status in TRANSFERABLE_STATUSES
    if may_propose and not any(t.status == TransferStatusChoices.PROPOSED for t in context["transfers"]):
        context["transfer_form"] = transfer_form or TransferForm(leaving=enrollment)
    if request.user.has_perm("participants.add_casenote"):
        context["note_form"] = note_form or CaseNoteForm(initial={"written_on": today})
    if request.user.has_perm("participants.add_casedocument"):
        context["document_form"] = document_form or CaseDocumentForm(initial={"received_on": today})
    return render(request, "participants/case_file.html", context)


@login_required
def case_file_page(request, pk):
    return render_case_file(request, pk)


def new_row_in_scope(request, model, pk):
    """A new row of `model` on the enrollment `pk`, which must be in scope for the user to add it."""
    if not request.user.has_perm(f"participants.add_{model._meta.model_name}"):
        raise PermissionDenied
    enrollment = get_object_or_404(Enrollment.objects.restrict(request.user), pk=pk)
    row = model(enrollment=enrollment)
    if not permits(request.user, row, "add"):
        raise Http404
    return row


@login_required
@require_POST
def add_case_note(request, pk):
    note = new_row_in_scope(request, CaseNote, pk)
    note.author = request.user
    form = CaseNoteForm(request.POST, instance=note)
    if not form.is_valid():
        return render_case_file(request, pk, note_form=form)
    form.save()
    messages.success(request, _("The note has been saved."))
    return redirect(reverse("participants:case_file", args=[pk]) + "#notes")


@login_required
@require_POST
def add_case_document(request, pk):
    document = new_row_in_scope(request, CaseDocument, pk)
    form = CaseDocumentForm(request.POST, request.FILES, instance=document)
    if not form.is_valid():
        return render_case_file(request, pk, document_form=form)
    form.save()
    messages.success(request, _("The document has been added to the file."))
    return redirect(reverse("participants:case_file", args=[pk]) + "#documents")


@login_required
def case_document(request, pk):
    """A scan from a person's file, only within scope, always as a download the browser does not sniff."""
    document = get_object_or_404(CaseDocument.objects.restrict(request.user), pk=pk)
    log_access(document)
    try:
        response = FileResponse(document.file.open("rb"), as_attachment=True, filename=document.download_name())
    except FileNotFoundError as missing:
        raise Http404 from missing
    response["X-Content-Type-Options"] = "nosniff"
    return response


@login_required
@require_POST
def case_file_step(request, pk, step):
    """One step of the stay taken on its case file (forms.py), by the models' rules."""
    form_class = STEP_FORMS.get(step)
    if form_class is None:
        raise Http404
    if not (request.user.has_perm(form_class.permission) and request.user.has_perm("participants.change_enrollment")):
        raise PermissionDenied
    enrollment = get_object_or_404(Enrollment.objects.restrict(request.user, "change"), pk=pk)
    form = form_class(request.POST, enrollment=enrollment, user=request.user)
    if not form_class.offered(enrollment):  # a page opened before the stay moved on, or a forged post
        form.add_error(None, _("This step is no longer open for this stay."))
    elif form.is_valid():
        try:
            form.save()
        except ValidationError as error:
            add_form_errors(form, error)
        else:
            messages.success(request, form.done)
            return redirect(reverse("participants:case_file", args=[pk]) + f"#{form.section}")
    return render_case_file(request, pk, step_form=form)


def add_form_errors(form, error):
    """A model's refusal shown on the form: on its field where the form has it, else above the form."""
    if hasattr(error, "error_dict"):
        for field, errors in error.error_dict.items():
            form.add_error(field if field in form.fields else None, errors)
    else:
        form.add_error(None, error)


@login_required
@require_POST
def propose_transfer(request, pk):
    if not request.user.has_perm("participants.add_transfer"):
        raise PermissionDenied
    enrollment = get_object_or_404(Enrollment.objects.restrict(request.user, "change"), pk=pk)
    form = TransferForm(request.POST, leaving=enrollment)
    if form.is_valid():
        try:
            Transfer.propose(
                enrollment,
                form.cleaned_data["to_club"],
                timezone.localdate(),
                form.cleaned_data["consent_given_on"],
                by=request.user,
            )
        except ValidationError as error:
            add_form_errors(form, error)
        else:
            messages.success(request, _("The transfer has been proposed; the receiving club will answer."))
            return redirect(reverse("participants:case_file", args=[pk]) + "#transfer")
    return render_case_file(request, pk, transfer_form=form)


class TransferAnswerForm(forms.Form):
    """The date of an answer to a transfer (`action`: accept, decline, withdraw), and a refusal's reason."""

    on = forms.DateField(label=gettext_lazy("date"), widget=DatePicker())
    reason = forms.CharField(
        label=gettext_lazy("reason for declining"),
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=gettext_lazy("The club that proposed the transfer will read it."),
    )

    def __init__(self, *args, action, **kwargs):
        super().__init__(*args, prefix=action, initial={"on": timezone.localdate()}, **kwargs)
        if action != "decline":
            del self.fields["reason"]


TRANSFER_SIDES = {"accept": "to_club", "decline": "to_club", "withdraw": "enrollment__club"}


def transfer_in_scope(request, pk):
    transfers = Transfer.objects.restrict(request.user).select_related(
        "enrollment__participant", "enrollment__club", "to_club"
    )
    return get_object_or_404(transfers, pk=pk)


@login_required
def transfer_page(request, pk, refused=None):
    """A proposal of a transfer as both clubs see it: the receiving club answers it, the sending one may
    withdraw it; each is led to its own stay only."""
    transfer = transfer_in_scope(request, pk)
    club = scope_club(request)
    receiving = transfer.to_club_id == club.pk
    own_stays = Enrollment.objects.restrict(request.user)
    if receiving:
        stay = own_stays.filter(transferred_from=transfer.enrollment_id).first()
    else:
        stay = own_stays.filter(pk=transfer.enrollment_id).first()
    forms_shown = {}
    if transfer.status == TransferStatusChoices.PROPOSED and request.user.has_perm("participants.change_transfer"):
        actions = ["accept", "decline"] if receiving else ["withdraw"]
        forms_shown = {action: TransferAnswerForm(action=action) for action in actions}
        if refused is not None:
            forms_shown[refused.prefix] = refused
    log_access(transfer.enrollment.participant)
    return render(
        request,
        "participants/transfer.html",
        {
            "transfer": transfer,
            "receiving": receiving,
            "stay": stay,
            "answer_forms": [(action, TRANSFER_TRANSITIONS[action][0], form) for action, form in forms_shown.items()],
        },
    )


@login_required
@require_POST
def answer_transfer(request, pk, action):
    """Accept, decline (the receiving club) or withdraw (the sending club) a proposed transfer."""
    club = scope_club(request)
    if action not in TRANSFER_SIDES:
        raise Http404
    transfers = Transfer.objects.restrict(request.user, "change").filter(**{TRANSFER_SIDES[action]: club})
    transfer = get_object_or_404(transfers.select_related("enrollment__participant"), pk=pk)
    form = TransferAnswerForm(request.POST, action=action)
    if form.is_valid():
        on = form.cleaned_data["on"]
        try:
            if action == "accept":
                stay = transfer.accept(on, by=request.user)
            elif action == "decline":
                transfer.decline(on, form.cleaned_data["reason"], by=request.user)
            else:
                transfer.withdraw(on, by=request.user)
        except ValidationError as error:
            add_form_errors(form, error)
        else:
            if action == "accept":
                messages.success(request, _("The transfer is accepted: the person is enrolled in your club."))
                return redirect("participants:case_file", pk=stay.pk)
            if action == "decline":
                messages.success(request, _("The transfer is declined; the club that proposed it will see why."))
                return redirect("participants:worklist")
            messages.success(request, _("The proposal of the transfer has been withdrawn."))
            return redirect(reverse("participants:case_file", args=[transfer.enrollment_id]) + "#transfer")
    return transfer_page(request, pk, refused=form)


class DigestForm(forms.Form):
    digest = forms.BooleanField(label=gettext_lazy("Send me the morning e-mail digest of my worklist"), required=False)


@login_required
def reminders(request):
    """The user's own choice whether to receive the morning digest (participants/reminders.py)."""
    scope_club(request)
    opted_out = DigestOptOut.objects.filter(user=request.user)
    # An unticked box posts nothing: an empty POST is still an answer.
    data = request.POST if request.method == "POST" else None
    form = DigestForm(data, initial={"digest": not opted_out.exists()})
    if request.method == "POST" and form.is_valid():
        if form.cleaned_data["digest"]:
            opted_out.delete()
        else:
            DigestOptOut.objects.get_or_create(user=request.user)
        messages.success(request, _("Your choice has been saved."))
        return redirect("participants:reminders")
    return render(request, "participants/reminders.html", {"form": form})
