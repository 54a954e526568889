from ksr_portal.imports import ChoiceWidget, DateWidget, PortalResource, ScopedForeignKeyWidget, column, date_in

from .choices import MeetingKindChoices
from .models import Meeting, Network


class MeetingResource(PortalResource):
    """Meetings of networks, matched on the network's name, the date and the topic."""

    network = column("siec", "network", ScopedForeignKeyWidget(Network, "name"))
    held_on = column("data", "held_on", DateWidget())
    kind = column("rodzaj", "kind", ChoiceWidget(MeetingKindChoices.choices))
    topic = column("temat", "topic")
    minutes = column("protokol", "minutes")
    follow_up = column("dalsze_dzialania", "follow_up")
    key_columns = ("siec", "data", "temat")

    class Meta(PortalResource.Meta):
        model = Meeting
        fields = ["network", "held_on", "kind", "topic", "minutes", "follow_up"]
        import_id_fields = []

    def get_instance(self, instance_loader, row):
        return Meeting.objects.filter(
            network__name=str(row.get("siec") or "").strip(),
            held_on=date_in(row, "data"),
            topic=str(row.get("temat") or "").strip(),
        ).first()
