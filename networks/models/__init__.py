"""Networks: one module per concern."""

from .animation import AnimationDeliverable, AnimationTeam
from .meeting import Meeting
from .network import Network
from .territory import County, Municipality, Region

__all__ = ["AnimationDeliverable", "AnimationTeam", "County", "Meeting", "Municipality", "Network", "Region"]
