"""The organisation registry's rules beyond single fields: likely duplicates and merging two records.

The same NIP, REGON or KRS is refused by the database constraints. A similar name in the same
municipality is only a warning: two libraries in one gmina are possible, one library entered twice
is likelier. Merging moves everything that points at one record to the other and removes it.
"""

import re
from difflib import SequenceMatcher

from auditlog.models import LogEntry
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from ksr_portal.audit import is_audited, log_bulk
from ksr_portal.changes import bulk_written

from .models import Membership, Organization

SIMILARITY = 0.85
# Words that say what kind of body it is rather than which one.
NOISE = re.compile(r"\b(w|we|im\.?|imienia|sp\.? z o\.? ?o\.?|s\.?a\.?)\b|[„”\"'.,()-]")


def normalised(name):
    return " ".join(NOISE.sub(" ", name.casefold()).split())


def similar_organizations(organization, queryset=None):
    """Other organisations in the same municipality whose names are nearly the same."""
    if not organization.municipality_id or not organization.name:
        return []
    candidates = (queryset if queryset is not None else Organization.objects.all()).filter(
        municipality_id=organization.municipality_id
    )
    if organization.pk:
        candidates = candidates.exclude(pk=organization.pk)
    name = normalised(organization.name)
    return [
        other
        for other in candidates.only("pk", "name")
        if SequenceMatcher(None, name, normalised(other.name)).ratio() >= SIMILARITY
    ]


@transaction.atomic
def merge(source, target, actor=None):
    """Fold `source` into `target`: every reference moves to `target`, then `source` is deleted.

    A network both belong to keeps one current membership (the earlier one, with the agreement
    that is on file); identifiers and contact data missing on `target` are taken from `source`.
    """
    if source.pk == target.pk:
        raise ValidationError(_("Choose two different organisations to merge."))
    if source.region_id != target.region_id:
        raise ValidationError(_("Only organisations of the same region can be merged."))
    for membership in Membership.objects.filter(organization=source, left_on__isnull=True):
        kept = Membership.objects.filter(organization=target, network=membership.network, left_on__isnull=True).first()
        if kept is None:
            continue
        if membership.joined_on < kept.joined_on:
            kept.joined_on = membership.joined_on
        for field in ("agreement_signed_on", "agreement_valid_until", "agreement_document"):
            if not getattr(kept, field) and getattr(membership, field):
                setattr(kept, field, getattr(membership, field))
        kept.save()
        kept.agreement_pillars.add(*membership.agreement_pillars.all())
        membership.delete()
    for relation in source._meta.related_objects:
        if relation.many_to_many:
            accessor = relation.get_accessor_name()
            for obj in getattr(source, accessor).all():
                getattr(obj, relation.field.name).add(target)
            getattr(source, accessor).clear()
        else:
            model, name = relation.related_model, relation.field.name
            rows = model._base_manager.filter(**{name: source})
            pks = list(rows.values_list("pk", flat=True))
            if is_audited(model):  # an update() passes by the audit trail's signals
                changes = {name: [str(source.pk), str(target.pk)]}
                log_bulk(model, pks, LogEntry.Action.UPDATE, changes, actor)
            rows.update(**{name: target})
            bulk_written(model, pks)
    target.pillars.add(*source.pillars.all())
    for field in ("nip", "regon", "krs", "street_address", "postal_code", "town", "email", "phone", "website"):
        if not getattr(target, field) and getattr(source, field):
            setattr(target, field, getattr(source, field))
            setattr(source, field, "")
    source.save()  # its identifiers are freed first, so the target may take them
    target.full_clean()
    target.save()
    source.delete()
    return target
