"""Clubs and the catalogue: one module per concern."""

from .activity import Activity
from .catalogue import Pillar, Service
from .club import Club
from .settlement import AnnualSettlement
from .staff import StaffPosition

__all__ = ["Activity", "AnnualSettlement", "Club", "Pillar", "Service", "StaffPosition"]
