"""The data subject's rights: everything held about a person (page and JSON) and consent withdrawal."""

import datetime

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import JsonResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST

from ksr_portal.audit import log_access, log_export

from .models import Consent, Participant
from .subject import as_json, subject_record


class WithdrawalForm(forms.Form):
    withdrawn_on = forms.DateField(label=gettext_lazy("withdrawn on"), widget=forms.DateInput(attrs={"type": "date"}))


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
