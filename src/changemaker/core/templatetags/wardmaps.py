"""``{% ward_map map %}``: a ward choropleth (core.wardmap.build) as inline SVG with its key and
a table of the same numbers."""

from __future__ import annotations

from typing import Any

from django import template

from changemaker.core.wardmap import WardMap

register = template.Library()


@register.inclusion_tag("core/includes/ward_map.html")
def ward_map(map: WardMap, table: bool = True, level: int = 3) -> dict[str, Any]:
    """``table=False`` only where the page's own table beside the map has the same numbers;
    ``level``: the map's heading level (2 or 3) in the page's outline."""
    return {"map": map, "table": table, "level": 2 if level == 2 else 3}
