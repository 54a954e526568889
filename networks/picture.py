"""A picture of a network's place in the KSR (national → regional → local → organisations) as inline SVG.

Positions are computed here; the template only draws. Each box carries its full name as a tooltip
and the picture as a whole has a text equivalent in the page (the lists beside it).
"""

from dataclasses import dataclass

from .choices import NetworkKindChoices

BOX_WIDTH, BOX_HEIGHT, GAP, ROW = 160, 44, 16, 90
LABEL_LENGTH = 24


@dataclass
class Node:
    x: int
    y: int
    label: str
    title: str
    css: str
    url: str = ""

    @property
    def width(self):
        return BOX_WIDTH

    @property
    def height(self):
        return BOX_HEIGHT

    @property
    def text_x(self):
        return self.x + BOX_WIDTH // 2

    @property
    def text_y(self):
        return self.y + BOX_HEIGHT // 2 + 5


@dataclass
class Edge:
    x1: int
    y1: int
    x2: int
    y2: int


def short(text):
    return text if len(text) <= LABEL_LENGTH else text[: LABEL_LENGTH - 1] + "…"


def picture(chain, leaves):
    """`chain`: the networks from the national one down to this one; `leaves`: (label, css, url) below it."""
    columns = max(len(leaves), 1)
    width = max(columns * (BOX_WIDTH + GAP) + GAP, 3 * (BOX_WIDTH + GAP))
    nodes, edges = [], []
    centre = (width - BOX_WIDTH) // 2
    previous = None
    for level, network in enumerate(chain):
        node = Node(centre, GAP + level * ROW, short(network.name), network.name, f"net-{network.kind}")
        nodes.append(node)
        if previous:
            edges.append(Edge(previous.text_x, previous.y + BOX_HEIGHT, node.text_x, node.y))
        previous = node
    y = GAP + len(chain) * ROW
    start = (width - (len(leaves) * (BOX_WIDTH + GAP) - GAP)) // 2
    for i, (label, css, url) in enumerate(leaves):
        node = Node(start + i * (BOX_WIDTH + GAP), y, short(label), label, css, url)
        nodes.append(node)
        if previous:
            edges.append(Edge(previous.text_x, previous.y + BOX_HEIGHT, node.text_x, node.y))
    height = y + (BOX_HEIGHT + GAP if leaves else 0)
    return {"width": width, "height": height, "nodes": nodes, "edges": edges}


def chain_of(network):
    """The network and its ancestors, national first (parents are fetched by select_related)."""
    chain = [network]
    while chain[0].parent_id and chain[0].kind != NetworkKindChoices.NATIONAL:
        chain.insert(0, chain[0].parent)
    return chain
