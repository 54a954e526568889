"""Uploaded documents of networks and their members, served only within the reader's scope."""

from django.contrib.auth.decorators import login_required
from django.http import FileResponse, Http404
from django.shortcuts import get_object_or_404

from stakeholders.models import Membership

from .models import AnimationDeliverable, Meeting

DOCUMENTS = {
    "protokol": (Meeting, "minutes_file"),
    "porozumienie": (Membership, "agreement_document"),
    "produkt": (AnimationDeliverable, "document"),
}


@login_required
def document(request, kind, pk):
    """Uploaded documents are not public files: each download checks the reader's scope."""
    if kind not in DOCUMENTS:
        raise Http404
    model, field = DOCUMENTS[kind]
    obj = get_object_or_404(model.objects.restrict(request.user), pk=pk)
    file = getattr(obj, field)
    if not file:
        raise Http404
    try:
        return FileResponse(file.open("rb"), as_attachment=True, filename=file.name.rsplit("/", 1)[-1])
    except FileNotFoundError as missing:
        raise Http404 from missing
