"""Clubs and the catalogue: one module per concern."""

from .activity import Activity
from .catalogue import Pillar, Service
from .club import Club
from .staff import StaffPosition

__all__ = ["Activity", "Club", "Pillar", "Service", "StaffPosition"]
