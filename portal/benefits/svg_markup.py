"""The markup of a chart as matplotlib writes it, made fit for a page: ``accessible`` (no XML
header or metadata, styles as attributes for the Content-Security-Policy, ids prefixed so
several charts share a page, a role, a label and a title) and ``compact`` (the same drawing in
about a third of the bytes: no indentation, coordinates to a hundredth of a point, no id
nothing refers to, no empty or needless group, the font named once).

``FORMAT`` names the markup these write: a chart file cached by an older one is not read."""

from __future__ import annotations

import re

from markupsafe import escape

FORMAT = 2

_ID = re.compile(r'\bid="([^"]+)"')
_REF = re.compile(r'(url\(#|href="#)([^")]+)')
_STYLE_ATTRIBUTE = re.compile(r'\sstyle="([^"]*)"')
_STYLE_ELEMENT = re.compile(r"\s*<style[^>]*>.*?</style>", re.S)
_TAG = re.compile(r"<[a-zA-Z][^>]*>")


def _presentation_attributes(tag: str) -> str:
    """``<path style="fill: #fff; stroke: #000">`` as ``<path fill="#fff" stroke="#000">``:
    the page's Content-Security-Policy allows no inline styles, and every property matplotlib
    writes is also an SVG presentation attribute."""
    match = _STYLE_ATTRIBUTE.search(tag)
    if match is None:
        return tag
    declarations = [d.split(":", 1) for d in match.group(1).split(";") if ":" in d]
    attributes = "".join(
        f' {name.strip()}="{value.strip()}"'
        for name, value in declarations
        if f' {name.strip()}="' not in tag
    )
    return tag[: match.start()] + attributes + tag[match.end() :]


def _without_inline_css(svg: str) -> str:
    svg = _STYLE_ELEMENT.sub("", svg)  # matplotlib's one rule: round joins, butt caps
    svg = svg.replace("<svg ", '<svg stroke-linejoin="round" stroke-linecap="butt" ', 1)
    return _TAG.sub(lambda m: _presentation_attributes(m.group(0)), svg)


def accessible(svg: str, title: str, digest: str) -> str:
    """Strip the XML header, comments and metadata; prefix every id with ``digest``; styles
    as attributes; add role, label and title."""
    svg = svg[svg.index("<svg") :]
    svg = re.sub(r"\s*<metadata>.*?</metadata>", "", svg, flags=re.S)
    svg = _without_inline_css(svg)
    prefix = f"c{digest}-"
    svg = _ID.sub(lambda m: f'id="{prefix}{m.group(1)}"', svg)
    svg = _REF.sub(lambda m: f"{m.group(1)}{prefix}{m.group(2)}", svg)
    label = escape(title)
    head = svg.index(">")
    return (
        f'{svg[:head]} role="img" aria-label="{label}" class="chart">'
        f"<title>{label}</title>{svg[head + 1 :]}"
    ).strip()


# Attributes that hold coordinates: their numbers are rounded, their spaces collapsed.
_GEOMETRY = re.compile(r'\s(d|x|y|transform|points)="([^"]*)"')
_DECIMALS = re.compile(r"-?\d+\.\d{3,}")
_NO_ROTATION = re.compile(r'\stransform="rotate\(-?0 [^")]*\)"')
_UNUSED_ID = re.compile(r'\sid="([^"]+)"')
_EMPTY = re.compile(r"<(g|defs)></\1>|<g/>")
_ONLY_CHILD = re.compile(r"<g>(<(path|use|text)\b[^>]*(?:/>|>[^<]*</\2>))</g>")
_FONT = re.compile(r'\sfont-family="([^"]*)"')


def _rounded(match: re.Match) -> str:
    return f"{float(match.group(0)):.2f}".rstrip("0").rstrip(".")


def _geometry(match: re.Match) -> str:
    value = " ".join(match.group(2).split())
    return f' {match.group(1)}="{_DECIMALS.sub(_rounded, value)}"'


def _until_stable(pattern: re.Pattern, replacement, svg: str) -> str:
    while True:
        shorter = pattern.sub(replacement, svg)
        if shorter == svg:
            return svg
        svg = shorter


def compact(svg: str) -> str:
    """The same drawing in fewer bytes (see the module); the title, the label and every text
    shown are kept as they are."""
    svg = re.sub(r">\s+<", "><", svg)
    svg = _GEOMETRY.sub(_geometry, svg)
    svg = _NO_ROTATION.sub("", svg)
    referred = {m.group(2) for m in _REF.finditer(svg)}
    svg = _UNUSED_ID.sub(lambda m: m.group(0) if m.group(1) in referred else "", svg)
    svg = _until_stable(_EMPTY, "", svg)
    svg = _until_stable(_ONLY_CHILD, r"\1", svg)
    fonts = set(_FONT.findall(svg))
    if len(fonts) == 1:  # every text in one font: named once, on the drawing, for all
        svg = _FONT.sub("", svg).replace("<svg ", f'<svg font-family="{fonts.pop()}" ', 1)
    return svg
