"""``{% ward_map map %}``: a ward choropleth (core.wardmap.build) as inline SVG with its key and
a table of the same numbers."""

from __future__ import annotations

from typing import Any

from django import template

from changemaker.core.wardmap import WardMap

register = template.Library()


@register.inclusion_tag("core/includes/ward_map.html")
def ward_map(map: WardMap, table: bool = True) -> dict[str, Any]:
    """``table=False`` only where the page's own table beside the map has the same numbers."""
    return {"map": map, "table": table}
