"""Put every character of a freeze SVG on the terminal's grid (used by make.sh).

freeze lets each line's text flow, so a glyph the monospace font lacks (braille: DejaVu Sans Mono
has none, and the fallback font's braille is wider) pushes the rest of the line right, off the
picture: that cut the right border off. Here each ASCII run starts at its own column and every
other character gets its own cell.

    python3 grid.py FILE.svg CELL_WIDTH_PX
"""
import html
import re
import sys

TEXT = re.compile(r'<text x="([\d.]+)px" y="([\d.]+)px"([^>]*)>(.*?)</text>', re.S)
TSPAN = re.compile(r'<tspan([^>]*?)(?:/>|>(.*?)</tspan>)', re.S)


def on_grid(m, cell):
    x0, y, attrs, body = float(m.group(1)), m.group(2), m.group(3), m.group(4)
    col, out = 0, []
    for t in TSPAN.finditer(body):
        span_attrs, text = t.group(1), html.unescape(t.group(2) or "")
        i = 0
        while i < len(text):
            j = i + 1
            if ord(text[i]) < 0x80:
                while j < len(text) and ord(text[j]) < 0x80:
                    j += 1
            out.append('<tspan%s x="%.2fpx">%s</tspan>' % (span_attrs, x0 + (col + i) * cell, html.escape(text[i:j], quote=False)))
            i = j
        col += len(text)
    return '<text x="%spx" y="%spx"%s>%s</text>' % (m.group(1), y, attrs, "".join(out))


def main():
    path, cell = sys.argv[1], float(sys.argv[2])
    with open(path, encoding="utf-8") as f:
        svg = f.read()
    svg = TEXT.sub(lambda m: on_grid(m, cell), svg)
    with open(path, "w", encoding="utf-8") as f:
        f.write(svg)


if __name__ == "__main__":
    main()
