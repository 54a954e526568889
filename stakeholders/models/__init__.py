"""Stakeholders: one module per concern."""

from .membership import Membership
from .offer import ServiceOffer
from .organization import ContactPerson, Organization

__all__ = ["ContactPerson", "Membership", "Organization", "ServiceOffer"]
