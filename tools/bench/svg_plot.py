"""A line plot written as SVG by hand, for the benchmark's scaling figures (no matplotlib here).

line_plot(path, title, x_label, y_label, series, log2_x=False) draws each series as a polyline
with markers on axes that start at 0 (or, with log2_x, on a log2 x-axis ticked at the data's x
values), with tick labels, axis labels, a title and a legend in the top-left corner.
A series is a dict: label, points [(x, y), ...], color, and optionally dash ("6,4") and marker
("circle" or "square").
"""
import math
from xml.sax.saxutils import escape

WIDTH, HEIGHT = 640, 420
LEFT, RIGHT, TOP, BOTTOM = 72, 24, 44, 56


def nice_ticks(high, count=5):
    """Ticks 0, step, 2 step, ... covering [0, high], with step 1, 2 or 5 times a power of 10."""
    raw = high / count
    power = 10 ** math.floor(math.log10(raw))
    step = next(m * power for m in (1, 2, 5, 10) if m * power >= raw)
    return [i * step for i in range(math.ceil(high / step - 1e-9) + 1)]


def label(value):
    return f"{value:g}" if value < 1e5 else f"{value:.3g}"


def line_plot(path, title, x_label, y_label, series, log2_x=False):
    xs = sorted({x for s in series for x, _ in s["points"]})
    y_ticks = nice_ticks(max(y for s in series for _, y in s["points"]))
    if log2_x:
        x_ticks = xs
        low, high = math.log2(xs[0]) - 0.5, math.log2(xs[-1]) + 0.5
        x_unit = lambda x: (math.log2(x) - low) / (high - low)
    else:
        x_ticks = nice_ticks(xs[-1])
        x_unit = lambda x: x / x_ticks[-1]
    plot_w, plot_h = WIDTH - LEFT - RIGHT, HEIGHT - TOP - BOTTOM
    px = lambda x: LEFT + x_unit(x) * plot_w
    py = lambda y: TOP + plot_h * (1 - y / y_ticks[-1])

    out = [f'<svg xmlns="http://www.w3.org/2000/svg" width="{WIDTH}" height="{HEIGHT}" '
           f'viewBox="0 0 {WIDTH} {HEIGHT}" font-family="sans-serif" font-size="12">',
           f'<rect width="{WIDTH}" height="{HEIGHT}" fill="white"/>',
           f'<text x="{WIDTH / 2}" y="24" text-anchor="middle" font-size="15">{escape(title)}</text>']
    for y in y_ticks:
        out.append(f'<line x1="{LEFT}" y1="{py(y):.1f}" x2="{LEFT + plot_w}" y2="{py(y):.1f}" '
                   f'stroke="#e4e4e4"/>')
        out.append(f'<text x="{LEFT - 6}" y="{py(y) + 4:.1f}" text-anchor="end">{label(y)}</text>')
    for x in x_ticks:
        out.append(f'<line x1="{px(x):.1f}" y1="{TOP + plot_h}" x2="{px(x):.1f}" '
                   f'y2="{TOP + plot_h + 5}" stroke="black"/>')
        out.append(f'<text x="{px(x):.1f}" y="{TOP + plot_h + 19}" text-anchor="middle">'
                   f'{label(x)}</text>')
    out.append(f'<path d="M{LEFT},{TOP} V{TOP + plot_h} H{LEFT + plot_w}" fill="none" '
               f'stroke="black"/>')
    out.append(f'<text x="{LEFT + plot_w / 2}" y="{HEIGHT - 12}" text-anchor="middle">'
               f'{escape(x_label)}</text>')
    out.append(f'<text transform="translate(18 {TOP + plot_h / 2}) rotate(-90)" '
               f'text-anchor="middle">{escape(y_label)}</text>')

    for i, s in enumerate(series):
        points = " ".join(f"{px(x):.1f},{py(y):.1f}" for x, y in s["points"])
        dash = f' stroke-dasharray="{s["dash"]}"' if s.get("dash") else ""
        out.append(f'<polyline points="{points}" fill="none" stroke="{s["color"]}" '
                   f'stroke-width="2"{dash}/>')
        out += [marker(s, px(x), py(y)) for x, y in s["points"]]
        legend_y = TOP + 14 + 18 * i
        out.append(f'<line x1="{LEFT + 12}" y1="{legend_y}" x2="{LEFT + 40}" y2="{legend_y}" '
                   f'stroke="{s["color"]}" stroke-width="2"{dash}/>')
        out.append(marker(s, LEFT + 26, legend_y))
        out.append(f'<text x="{LEFT + 48}" y="{legend_y + 4}">{escape(s["label"])}</text>')
    out.append("</svg>")
    with open(path, "w") as f:
        f.write("\n".join(out) + "\n")


def marker(series, x, y):
    if series.get("marker") == "square":
        return (f'<rect x="{x - 3.5:.1f}" y="{y - 3.5:.1f}" width="7" height="7" '
                f'fill="{series["color"]}"/>')
    return f'<circle cx="{x:.1f}" cy="{y:.1f}" r="3.5" fill="{series["color"]}"/>'
