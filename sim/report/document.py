"""A report as a list of blocks, rendered to Markdown and to self-contained HTML.

The report writer (:mod:`sim.report`) builds one list of blocks — :class:`Heading`,
:class:`Para`, :class:`Table`, :class:`Figure`, :class:`Code` — and both renderers walk the
same list, so ``report.md`` and ``index.html`` always say the same thing. Markdown links
each figure to its PNG file; HTML embeds it as a base64 data URI and carries its own CSS,
so it opens offline from anywhere. Inline ``**bold**`` is the only markup in texts.
"""

from __future__ import annotations

import base64
import html
import re
from dataclasses import dataclass, field

__all__ = ["Heading", "Para", "Table", "Figure", "Code", "Cell", "to_markdown", "to_html"]


@dataclass(frozen=True)
class Heading:
    """A section heading (``level`` 1–3) with an HTML anchor ``anchor``."""

    level: int
    text: str
    anchor: str = ""


@dataclass(frozen=True)
class Para:
    """A paragraph; ``css`` is its HTML class (``verdict`` paragraphs carry ``data-key``)."""

    text: str
    css: str = ""
    key: str = ""


@dataclass(frozen=True)
class Cell:
    """A table cell whose HTML gets the class ``css`` (e.g. ``verdict-met``)."""

    text: str
    css: str = ""


@dataclass(frozen=True)
class Table:
    """A table: ``header`` strings and ``rows`` of strings or :class:`Cell`; ``css`` is its class."""

    header: list[str]
    rows: list[list] = field(default_factory=list)
    css: str = ""


@dataclass(frozen=True)
class Figure:
    """A figure: PNG bytes written to ``path`` (relative to the report) and its caption."""

    path: str
    caption: str
    png: bytes


@dataclass(frozen=True)
class Code:
    """A preformatted text (a scenario file, JSON) under a ``title``."""

    title: str
    text: str
    language: str = ""


def _cell_text(c) -> str:
    return c.text if isinstance(c, Cell) else str(c)


# ------------------------------------------------------------------ Markdown
def _md_cell(text: str) -> str:
    return text.replace("|", "\\|").replace("\n", " ")


def to_markdown(blocks) -> str:
    """The blocks as GitHub-flavoured Markdown; figures link to their PNG files."""
    out: list[str] = []
    for b in blocks:
        if isinstance(b, Heading):
            out.append(f"{'#' * b.level} {b.text}")
        elif isinstance(b, Para):
            out.append(b.text)
        elif isinstance(b, Table):
            out.append("| " + " | ".join(_md_cell(h) for h in b.header) + " |")
            out.append("|" + "---|" * len(b.header))
            out += ["| " + " | ".join(_md_cell(_cell_text(c)) for c in row) + " |" for row in b.rows]
        elif isinstance(b, Figure):
            out.append(f"![{b.caption}]({b.path})\n\n*{b.caption}*")
        elif isinstance(b, Code):
            fence = "````" if "```" in b.text else "```"
            out.append(f"**{b.title}**\n\n{fence}{b.language}\n{b.text.rstrip()}\n{fence}")
        else:
            raise TypeError(f"report block of unknown type {type(b).__name__}")
        out.append("")
    return "\n".join(out)


# ------------------------------------------------------------------ HTML
CSS = """
body{font-family:"Noto Sans CJK SC","Source Han Sans SC","PingFang SC","Microsoft YaHei",system-ui,sans-serif;
max-width:1000px;margin:2em auto;padding:0 1em;color:#222;line-height:1.5}
h1{border-bottom:2px solid #1f77b4;padding-bottom:.2em}h2{margin-top:1.8em;border-bottom:1px solid #ddd}
table{border-collapse:collapse;margin:1em 0;font-size:.92em}th,td{border:1px solid #ccc;padding:.3em .6em;
text-align:left;vertical-align:top}th{background:#f3f6fa}td.num{text-align:right}
.verdict-met{background:#e3f4e3;color:#1b5e20;font-weight:600}.verdict-not-met{background:#fde4e4;color:#b71c1c;
font-weight:600}.verdict-uncertain{background:#fff5d6;color:#8a6d00;font-weight:600}.verdict-no-data{color:#888}
.pass{color:#1b5e20;font-weight:600}.fail{color:#b71c1c;font-weight:600}.diff-clear{font-weight:600}
.diff-noise{color:#777}p.verdict{background:#f7f9fc;border-left:4px solid #1f77b4;padding:.5em .8em}
figure{margin:1.5em 0}figure img{max-width:100%;height:auto;border:1px solid #eee}figcaption{color:#555;
font-size:.9em}pre{background:#f6f8fa;padding:.8em;overflow-x:auto;font-size:.85em}
details{margin:.6em 0}summary{cursor:pointer;font-weight:600}
"""


def _inline(text: str) -> str:
    """Escape ``text`` for HTML and turn ``**bold**`` into <strong>."""
    return re.sub(r"\*\*(.+?)\*\*", r"<strong>\1</strong>", html.escape(text))


def _html_cell(c, tag: str) -> str:
    css = f' class="{html.escape(c.css)}"' if isinstance(c, Cell) and c.css else ""
    return f"<{tag}{css}>{_inline(_cell_text(c))}</{tag}>"


def to_html(blocks, title: str, lang: str = "en") -> str:
    """The blocks as one self-contained HTML page (inline CSS, figures as data URIs)."""
    body: list[str] = []
    for b in blocks:
        if isinstance(b, Heading):
            anchor = f' id="{html.escape(b.anchor)}"' if b.anchor else ""
            body.append(f"<h{b.level}{anchor}>{_inline(b.text)}</h{b.level}>")
        elif isinstance(b, Para):
            attrs = (f' class="{html.escape(b.css)}"' if b.css else "") + \
                    (f' data-key="{html.escape(b.key)}"' if b.key else "")
            body.append(f"<p{attrs}>{_inline(b.text)}</p>")
        elif isinstance(b, Table):
            css = f' class="{html.escape(b.css)}"' if b.css else ""
            head = "".join(_html_cell(h, "th") for h in b.header)
            rows = "\n".join("<tr>" + "".join(_html_cell(c, "td") for c in row) + "</tr>" for row in b.rows)
            body.append(f"<table{css}>\n<thead><tr>{head}</tr></thead>\n<tbody>\n{rows}\n</tbody>\n</table>")
        elif isinstance(b, Figure):
            data = base64.b64encode(b.png).decode("ascii")
            cap = html.escape(b.caption)
            body.append(f'<figure><img src="data:image/png;base64,{data}" alt="{cap}" '
                        f'data-file="{html.escape(b.path)}"><figcaption>{cap}</figcaption></figure>')
        elif isinstance(b, Code):
            body.append(f"<details><summary>{html.escape(b.title)}</summary><pre>{html.escape(b.text)}</pre></details>")
        else:
            raise TypeError(f"report block of unknown type {type(b).__name__}")
    page_lang = "zh-CN" if lang == "zh" else "en"
    return (f'<!DOCTYPE html>\n<html lang="{page_lang}">\n<head>\n<meta charset="utf-8">\n'
            f'<meta name="viewport" content="width=device-width, initial-scale=1">\n'
            f"<title>{html.escape(title)}</title>\n<style>{CSS}</style>\n</head>\n<body>\n"
            + "\n".join(body) + "\n</body>\n</html>\n")
