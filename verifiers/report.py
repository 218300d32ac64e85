r"""The report: verdict records in, ``results.json``, one PNG per claim and ``index.html`` out.

Records are plain dicts (the runner's output); plots are drawn from the ``plots``
payloads stored in them, never by re-running anything. Figures are built on
:class:`matplotlib.figure.Figure` with the Agg canvas: no pyplot, no global state.
"""
from __future__ import annotations

import datetime
import html
import json
import math
import re
import textwrap
import warnings
from pathlib import Path
from typing import Any, Optional

import matplotlib
import numpy as np
from matplotlib.backends.backend_agg import FigureCanvasAgg
from matplotlib.figure import Figure
from matplotlib.ticker import FuncFormatter, LogLocator, NullFormatter

CONTRACT_KEYS = ("id", "title", "citation", "family", "kind", "status", "expected",
                 "claimed", "estimate", "ci", "evidence", "reason", "seconds", "seed")
MAX_PANELS = 4
DPI = 110
PANEL_SIZE = (5.0, 3.8)
BADGE = {"consistent": "#2e7d32", "violated": "#c62828", "inconclusive": "#e69500",
         "invalid": "#757575", "error": "#757575"}
MEASURED, CLAIMED, FITTED = "#1f77b4", "#d62728", "#2ca02c"


def slug(claim_id: str) -> str:
    """File name and anchor for a claim id: every character outside ``[A-Za-z0-9_.-]`` becomes ``_``."""
    return re.sub(r"[^A-Za-z0-9_.-]", "_", str(claim_id))


# ---------------------------------------------------------------- arrays and numbers

def _sanitize(value: Any) -> Any:
    """JSON-safe copy: NaN/inf become null, NumPy scalars and arrays become Python values."""
    if isinstance(value, dict):
        return {str(k): _sanitize(v) for k, v in value.items()}
    if isinstance(value, (list, tuple, np.ndarray)):
        return [_sanitize(v) for v in list(value)]
    if isinstance(value, (bool, np.bool_)):
        return bool(value)
    if isinstance(value, (int, np.integer)):
        return int(value)
    if isinstance(value, (float, np.floating)):
        return float(value) if math.isfinite(value) else None
    if value is None or isinstance(value, str):
        return value
    return str(value)


def _vector(values: Any) -> Optional[np.ndarray]:
    try:
        v = np.array(values, dtype=float)
    except (TypeError, ValueError):
        return None
    return v if v.ndim == 1 and v.size else None


def _matrix(values: Any, columns: int) -> Optional[np.ndarray]:
    """An ``R x columns`` float array (``None`` read as NaN), or ``None`` when malformed."""
    try:
        m = np.array(values, dtype=float)
    except (TypeError, ValueError):
        return None
    if m.ndim == 1:
        m = m[None, :]
    return m if m.ndim == 2 and m.size and m.shape[1] == columns else None


def _num(x: Any) -> str:
    if x is None:
        return "—"
    if isinstance(x, (bool, np.bool_)):
        return str(bool(x))
    if isinstance(x, (int, np.integer)):
        return str(int(x))
    if isinstance(x, (float, np.floating)):
        if math.isnan(x):
            return "NaN"
        return f"{x:.4g}" if math.isfinite(x) else ("∞" if x > 0 else "−∞")
    return str(x)


def _value(v: Any) -> str:
    if isinstance(v, (list, tuple, np.ndarray)):
        items = [_value(x) for x in list(v)]
        return "[" + ", ".join(items[:8]) + (", …" if len(items) > 8 else "") + "]"
    return _num(v)


# ---------------------------------------------------------------- plot panels

def _empty(ax, note: str) -> None:
    ax.text(0.5, 0.5, note, ha="center", va="center", fontsize=10, color="#555",
            transform=ax.transAxes, wrap=True)
    ax.set_xticks([])
    ax.set_yticks([])


def _band(ax, x: np.ndarray, m: np.ndarray, label: str, color: str, dashed: bool = False) -> bool:
    """Median over rows (line) and interquartile band; ``False`` when nothing is finite."""
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", RuntimeWarning)
        q1, med, q3 = np.nanpercentile(m, [25, 50, 75], axis=0)
    if not np.isfinite(med).any():
        return False
    ax.plot(x, med, "--" if dashed else "-", color=color, lw=1.8, label=label,
            marker="o" if x.size <= 12 and not dashed else None, ms=4)
    if m.shape[0] > 1 and not dashed:
        ax.fill_between(x, q1, q3, color=color, alpha=0.2, lw=0, label="interquartile range")
    return True


def _positive(m: np.ndarray) -> np.ndarray:
    return np.where(m > 0, m, np.nan)


def _panel_bound(ax, p: dict) -> None:
    t = _vector(p.get("t"))
    m = _matrix(p.get("measured"), t.size) if t is not None else None
    if m is None:
        return _empty(ax, "no measured data")
    c = _matrix(p.get("claimed"), t.size)
    pos = t > 0
    if pos.sum() > 1 and t[pos].max() / t[pos].min() > 100:
        ax.set_xscale("log")
        t, m, c = t[pos], m[:, pos], (c[:, pos] if c is not None else None)
    finite = m[np.isfinite(m) & (m > 0)]
    # log axes for values spanning decades; a ratio near 1 on log axes repeats one tick label
    log_y = bool(finite.size and finite.max() > 10 * finite.min())
    if log_y:
        ax.set_yscale("log")
        m, c = _positive(m), (_positive(c) if c is not None else None)
    drawn = _band(ax, t, m, "measured (median)", MEASURED)
    if p.get("burn_in", 0) > t.min():  # points before the burn-in are recorded but not compared
        ax.axvspan(t.min(), p["burn_in"], color="0.9", zorder=0, label="not compared (burn-in)")
    side = p.get("side", "upper")
    if c is not None:
        drawn |= _band(ax, t, c, f"claimed bound ({side})", CLAIMED, dashed=True)
    if not drawn:
        return _empty(ax, "no finite values")
    ax.set_xlabel(p.get("xlabel") or "t")
    ax.set_ylabel(p.get("ylabel") or "measured")


def _panel_bound_ratio(ax, p: dict) -> None:
    """measured / claimed at every recorded point: 1 is the bound, near 1 means tight."""
    t = _vector(p.get("t"))
    m = _matrix(p.get("measured"), t.size) if t is not None else None
    c = _matrix(p.get("claimed"), t.size) if t is not None else None
    if m is None or c is None:
        return _empty(ax, "no claimed values to divide by")
    # measured rows run seed by seed, each seed's replicas together; claimed has one row per seed
    per_seed = m.shape[0] // c.shape[0] if c.shape[0] and m.shape[0] % c.shape[0] == 0 else 0
    claimed = np.repeat(c, per_seed, axis=0) if per_seed else np.broadcast_to(np.nanmedian(c, axis=0), m.shape)
    with np.errstate(divide="ignore", invalid="ignore"):
        ratio = m / claimed
    ratio = np.where(np.isfinite(ratio), ratio, np.nan)
    pos = t > 0
    if pos.sum() > 1 and t[pos].max() / t[pos].min() > 100:
        ax.set_xscale("log")
        t, ratio = t[pos], ratio[:, pos]
    if not np.isfinite(ratio).any():
        return _empty(ax, "no finite ratios")
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", RuntimeWarning)
        low, med, high = np.nanmin(ratio, axis=0), np.nanmedian(ratio, axis=0), np.nanmax(ratio, axis=0)
    ax.plot(t, med, color=MEASURED, lw=1.8, label="measured / claimed (median)")
    ax.fill_between(t, low, high, color=MEASURED, alpha=0.2, lw=0, label="min to max over runs")
    ax.axhline(1.0, color=CLAIMED, ls="--", lw=1.5, label="the bound")
    # from 0 to past the bound: a ratio equal to 1 within 1e-12 must read as 1, not as an offset axis
    ax.set_ylim(min(0.0, float(np.nanmin(low))), max(1.1, 1.05 * float(np.nanmax(high))))
    ax.ticklabel_format(axis="y", useOffset=False)
    ax.set_xlabel(p.get("xlabel") or "t")
    ax.set_ylabel("measured / claimed")


def _fit_lines(ax, window, form: str, b, s, c, shade: bool = True) -> None:
    """Fitted line (solid) and the claimed slope through its value at ``t0`` (dashed)."""
    if window is None or len(window) != 2 or None in (window[0], window[1], b, s):
        return
    t0, t1 = float(window[0]), float(window[1])
    if shade:
        ax.axvspan(t0, t1, color="#999", alpha=0.12, lw=0, label="fit window")
    power = form == "power"
    if power and t0 <= 0:
        return
    tw = np.geomspace(t0, t1, 60) if power else np.linspace(t0, t1, 60)
    u = np.log(tw) if power else tw
    fit = np.exp(b + s * u)
    step = "" if power else f" (factor {math.exp(s):.4f}/step)"
    ax.plot(tw, fit, "-", color=FITTED, lw=2, label=f"fitted slope {s:.4g}{step}")
    if c is not None and math.isfinite(c):
        claimed = fit[0] * np.exp(c * (u - u[0]))
        step = "" if power else f" (factor {math.exp(c):.4f}/step)"
        ax.plot(tw, claimed, "--", color=CLAIMED, lw=2, label=f"claimed slope {c:.4g}{step}")


def _panel_curve(ax, x_key: str, y_key: str, p: dict, form: str, window, shade: bool) -> None:
    x = _vector(p.get(x_key))
    m = _matrix(p.get(y_key), x.size) if x is not None else None
    if m is None:
        return _empty(ax, f"no {y_key} data")
    log_x = p.get("axes", "log-log" if form == "power" else "semilog") == "log-log"
    if log_x:
        ax.set_xscale("log")
        m, x = m[:, x > 0], x[x > 0]
    else:  # 100000 and 125000 side by side collide: label in units of 10^k
        ax.ticklabel_format(axis="x", style="sci", scilimits=(-3, 4))
    finite = m[np.isfinite(m) & (m > 0)]
    flat = bool(finite.size and finite.max() < 1.5 * finite.min())
    if flat:  # an exponent ~0 spans no decade: log ticks would all read the same number
        ax.ticklabel_format(axis="y", style="sci", scilimits=(-3, 4), useOffset=False)
    else:
        ax.set_yscale("log")
    if not _band(ax, x, _positive(m), "measured (median)", MEASURED):
        return _empty(ax, "no positive finite values")
    _fit_lines(ax, window, p.get("fit_form", form), p.get("fitted_intercept"), p.get("fitted_slope"),
               p.get("claimed_slope"), shade)
    if flat:  # show the level, not the round-off around it
        ax.set_ylim(0.8 * finite.min(), 1.25 * finite.max())


def _panel_rate(ax, p: dict) -> None:
    _panel_curve(ax, "t", "measured", p, p.get("form", "power"), p.get("window"), True)
    ax.set_xlabel(p.get("xlabel") or "t")
    ax.set_ylabel(p.get("ylabel") or "measured")


def _panel_traces(ax, p: dict) -> None:
    """The measured curves behind a scaling fit, one per swept value, on semilog axes."""
    colors = matplotlib.colormaps["viridis"](np.linspace(0.0, 0.9, max(1, len(p.get("traces") or []))))
    drawn = False
    for color, trace in zip(colors, p.get("traces") or []):
        t, y = _vector(trace.get("t")), _vector(trace.get("values"))
        if t is None or y is None or t.size != y.size:
            continue
        ax.plot(t, _positive(y), color=color, lw=1.6, label=trace.get("label"))
        drawn = True
    if not drawn:
        return _empty(ax, "no curves")
    ax.set_yscale("log")
    ax.ticklabel_format(axis="x", style="sci", scilimits=(-3, 4))
    ax.set_xlabel("t")
    ax.set_ylabel(p.get("ylabel") or "measured (median over seeds)")


def _panel_scaling(ax, p: dict) -> None:
    x = _vector(p.get("x"))
    window = [float(np.nanmin(x)), float(np.nanmax(x))] if x is not None else None
    _panel_curve(ax, "x", "cost", p, "power", window, False)
    if x is not None and x.size <= 8 and (x > 0).all():  # label the grid itself, not log minor ticks
        ax.set_xticks(x, [f"{v:g}" for v in x])
        ax.xaxis.set_minor_formatter(NullFormatter())
    ax.set_xlabel(p.get("parameter") or "x")
    ax.set_ylabel(p.get("ylabel") or "cost")


def _panel_threshold(ax, p: dict) -> None:
    instances = p.get("instances") or []
    rtol = float(p.get("rtol") or 0.0)
    ax.axhspan(1 - rtol, 1 + rtol, color=CLAIMED, alpha=0.12, lw=0, label=f"±rtol ({rtol:.3g})")
    ax.axhline(1.0, color=CLAIMED, ls="--", lw=1.5, label="claimed")
    drawn = 0
    for i, inst in enumerate(instances):
        lo, hi, c = (inst.get(k) for k in ("lo", "hi", "claimed"))
        if None in (lo, hi, c) or c == 0:
            continue
        r_lo, r_hi = sorted((lo / c, hi / c))
        ax.errorbar(i, (r_lo + r_hi) / 2, yerr=(r_hi - r_lo) / 2, fmt="o", color=MEASURED,
                    capsize=4, ms=4, label="located bracket" if not drawn else None)
        drawn += 1
    if not drawn:
        return _empty(ax, "no located thresholds")
    ax.set_xticks(range(len(instances)))
    ax.set_xlabel(f"instance ({p.get('parameter', 'parameter')})")
    ax.set_ylabel("threshold / claimed")


def _panel_comparison(ax, p: dict) -> None:
    a, b = _vector(p.get("a")), _vector(p.get("b"))
    if a is None or b is None or a.size != b.size:
        return _empty(ax, "no paired data")
    finite = np.concatenate([a[np.isfinite(a)], b[np.isfinite(b)]])
    if not finite.size:
        return _empty(ax, "no finite values")
    # +inf ("never reached within the horizon", or "diverged"): drawn at the edge, with its own marker
    edge = 2 * finite.max() if finite.max() > 0 else finite.max() + 1
    censored = np.isposinf(a) | np.isposinf(b)
    ok = ~(np.isnan(a) | np.isnan(b) | np.isneginf(a) | np.isneginf(b))
    a_shown, b_shown = np.where(np.isposinf(a), edge, a), np.where(np.isposinf(b), edge, b)
    if (a_shown[ok] > 0).all() and (b_shown[ok] > 0).all():
        ax.set_xscale("log")
        ax.set_yscale("log")
        for axis in (ax.xaxis, ax.yaxis):  # labels at 1, 2, 5 x 10^k; minor labels would collide
            axis.set_major_locator(LogLocator(base=10, subs=(1.0, 2.0, 5.0)))
            axis.set_major_formatter(FuncFormatter(lambda value, _: f"{value:g}"))
            axis.set_minor_formatter(NullFormatter())
    plain = ok & ~censored
    ax.scatter(a_shown[plain], b_shown[plain], s=18, color=MEASURED, alpha=0.8, label="paired seeds")
    if (ok & censored).any():
        ax.scatter(a_shown[ok & censored], b_shown[ok & censored], s=30, marker="^", color=CLAIMED,
                   label="infinite: never reached or diverged (drawn at the edge)")
    lo, hi = min(a_shown[ok].min(), b_shown[ok].min()), max(a_shown[ok].max(), b_shown[ok].max())
    ax.plot([lo, hi], [lo, hi], "--", color="#555", lw=1, label="y = x")
    with np.errstate(invalid="ignore"):
        better = int((a < b).sum() if p.get("direction", "less") == "less" else (a > b).sum())
    label_a, label_b = p.get("label_a") or "A", p.get("label_b") or "B"
    ax.text(0.97, 0.03, f"{label_a} better in {better} of {int(ok.sum())} pairs", transform=ax.transAxes,
            ha="right", va="bottom", fontsize=9, bbox=dict(fc="white", ec="#ccc", alpha=0.9))
    ax.set_xlabel(label_a)
    ax.set_ylabel(label_b)
    ax.legend(fontsize=8, loc="center right")


PANELS = {"bound": _panel_bound, "rate": _panel_rate, "threshold": _panel_threshold,
          "scaling": _panel_scaling, "comparison": _panel_comparison, "traces": _panel_traces,
          "bound_ratio": _panel_bound_ratio}


def _views(payload: dict) -> list[dict]:
    """The panels of one payload: a rate on log-log and on semilog axes (a power law is
    straight on the first, a linear rate on the second); a bound beside its ratio per
    recorded point; a scaling fit beside the curves it was measured on, when the payload
    carries them."""
    if not isinstance(payload, dict):
        return [payload]
    if payload.get("kind") == "rate":
        return [{**payload, "axes": "log-log"}, {**payload, "axes": "semilog"}]
    if payload.get("kind") == "bound" and payload.get("claimed") is not None:
        claimed = np.asarray(payload["claimed"], dtype=np.float64)
        if claimed.size and np.all(claimed == claimed.flat[0]):  # a constant bound: the ratio is the curve
            return [payload]
        return [payload, {**payload, "kind": "bound_ratio"}]
    # the curves behind the costs, when there are curves (a cost read off one number has none)
    if payload.get("kind") == "scaling" and any(len(tr.get("t") or []) > 1 for tr in payload.get("traces") or []):
        return [payload, {"kind": "traces", "traces": payload["traces"], "label": payload.get("label"),
                          "ylabel": payload.get("trace_ylabel")}]
    return [payload]


def _draw_panel(ax, payload: dict) -> None:
    kind = payload.get("kind") if isinstance(payload, dict) else None
    draw = PANELS.get(kind)
    if draw is None:
        return _empty(ax, f"unknown plot kind {kind!r}")
    try:
        draw(ax, payload)
    except (TypeError, ValueError, KeyError, IndexError) as exc:  # shown in the panel, not hidden
        ax.clear()
        _empty(ax, f"could not draw: {type(exc).__name__}: {exc}")
    title = payload.get("statistic") if kind == "comparison" else payload.get("label")
    if payload.get("axes"):
        title = f"{title + ': ' if title else ''}{payload['axes']} axes"
    ax.set_title(str(title or ""), fontsize=10)
    ax.tick_params(labelsize=9)
    ax.xaxis.label.set_size(10)
    ax.yaxis.label.set_size(10)
    if ax.get_legend_handles_labels()[0]:
        ax.legend(fontsize=8, frameon=False, loc="best")


def _build_figure(record: dict) -> Figure:
    plots = list(record.get("plots") or [])
    rows = [_views(payload) for payload in plots[:MAX_PANELS]] or [[{}]]
    columns = max(len(row) for row in rows)
    fig = Figure(figsize=(PANEL_SIZE[0] * columns, PANEL_SIZE[1] * len(rows) + 0.6), dpi=DPI,
                 layout="constrained")
    FigureCanvasAgg(fig)
    axes = fig.subplots(len(rows), columns, squeeze=False)
    for row, views in zip(axes, rows):
        for k, ax in enumerate(row):
            if k >= len(views):
                ax.set_axis_off()
            elif views[k]:
                _draw_panel(ax, views[k])
            else:
                _empty(ax, "no plot payload")
    title = str(record.get("title", record.get("id", "")))
    if len(plots) > MAX_PANELS:
        title += f" (first {MAX_PANELS} of {len(plots)} panels)"
    title = textwrap.fill(title, width=48 * columns)
    fig.suptitle(f"{title}\n{record.get('status')} (expected {record.get('expected')})",
                 fontsize=11)
    return fig


def render_plot(record: dict, path: str | Path) -> None:
    """Draw one panel per payload in ``record["plots"]`` (at most four) into the PNG ``path``."""
    # values near the float64 range (a diverging control) overflow in matplotlib's log transform
    # of the axis limits; the drawing is still right, so that warning is not the reader's concern
    with np.errstate(over="ignore"):
        fig = _build_figure(record)
    try:
        with np.errstate(over="ignore"):
            fig.savefig(path, dpi=DPI, format="png")
    finally:
        fig.clear()


# ---------------------------------------------------------------- HTML

CSS = """
body{font-family:system-ui,-apple-system,Segoe UI,Helvetica,Arial,sans-serif;margin:2em auto;
max-width:1200px;color:#222;line-height:1.4}
table{border-collapse:collapse;font-size:0.9em}td,th{border-bottom:1px solid #ddd;
padding:4px 8px;text-align:left;vertical-align:top}th{background:#f5f5f5}
.badge{color:#fff;border-radius:3px;padding:1px 6px;font-size:0.85em;white-space:nowrap}
.tag{border:1px solid #888;border-radius:3px;padding:0 4px;font-size:0.75em;color:#555}
.match{color:#2e7d32;font-weight:bold}.mismatch{color:#c62828;font-weight:bold}
pre{background:#f7f7f7;padding:8px;overflow-x:auto;font-size:0.85em;white-space:pre-wrap}
section{border-top:2px solid #eee;margin-top:2em}img{max-width:100%}
.kv td:first-child{font-family:monospace}
"""


def _e(x: Any) -> str:
    return html.escape(str(x), quote=True)


def _badge(status: str) -> str:
    return f'<span class="badge" style="background:{BADGE.get(status, "#757575")}">{_e(status)}</span>'


def _control(rec: dict) -> str:
    if "/control-" in str(rec.get("id", "")):
        return ' <span class="tag">control</span>'
    return ' <span class="tag">finding</span>' if rec.get("finding") else ""


def _estimate(rec: dict) -> str:
    text = _num(rec.get("estimate"))
    ci = rec.get("ci")
    if isinstance(ci, (list, tuple)) and len(ci) == 2:
        text += f" [{_num(ci[0])}, {_num(ci[1])}]"
    if rec.get("claimed_value") is not None and rec.get("estimate") is not None:
        text += f" vs {_num(rec['claimed_value'])}"
    return _e(text)


def _header(records: list[dict], meta: dict) -> str:
    matched = sum(r.get("status") == r.get("expected") for r in records)
    rows = [(k, v) for k, v in meta.items()]
    if not any(k in meta for k in ("date", "time", "timestamp")):
        rows.append(("generated", datetime.datetime.now(datetime.timezone.utc).isoformat(timespec="seconds")))
    cells = "".join(f"<tr><td>{_e(k)}</td><td>{_e(_value(v))}</td></tr>" for k, v in rows)
    findings = [r for r in records if r.get("finding")]
    found = (f" {len(findings)} of them record a finding: a paper's claim the sandbox did not confirm "
             f"(tagged below)." if findings else "")
    return (f"<h1>Theory verification report</h1>\n<table class=\"kv\">{cells}</table>\n"
            f'<p id="totals"><b>{len(records)}</b> claims; <b>{matched}</b> of {len(records)} '
            f"matched their expected verdict.{found}</p>")


def _row(rec: dict) -> str:
    title, url = _e(rec.get("title", "")), rec.get("citation_url") or ""
    if url:
        title = f'<a href="{_e(url)}">{title}</a>'
    ok = rec.get("status") == rec.get("expected")
    mark = '<td class="match">✓</td>' if ok else '<td class="mismatch">✗</td>'
    seconds = rec.get("seconds")
    seconds = f"{seconds:.1f}" if isinstance(seconds, (int, float)) and math.isfinite(seconds) else "—"
    cells = [f"<code>{_e(rec['id'])}</code>{_control(rec)}", title, _e(rec.get("paper") or rec.get("citation", "")),
             _e(rec.get("kind", "")), _badge(str(rec.get("status"))), _e(rec.get("expected", ""))]
    return ("<tr>" + "".join(f"<td>{c}</td>" for c in cells) + mark
            + f"<td><code>{_e(rec.get('claimed', ''))}</code></td><td>{_estimate(rec)}</td>"
            + f"<td>{_search_cell(rec)}</td>"
            + f'<td>{seconds}</td><td><a href="#{_e(slug(rec["id"]))}">details</a></td></tr>')


def _search_cell(rec: dict) -> str:
    """The worst-case search in one cell: the most extreme ratio measured/claimed it found, or its counterexample."""
    found = rec.get("search") or {}
    if not found:
        return "—"
    if found.get("counterexample") is not None:
        return f"{_e(_value(found.get('counterexample_ratio')))} (counterexample)"
    if found.get("search_extreme_ratio") is not None:
        return f"{_e(_value(found['search_extreme_ratio']))} ({_e(found.get('search_evaluated', 0))} draws)"
    return _e(str(found.get("status", "")))


def _ablation(rows: list[dict]) -> str:
    """The assumption ablation: each assumption dropped in turn, and what the search found without it."""
    head = "".join(f"<th>{h}</th>" for h in ("assumption dropped", "without it", "draws", "draws breaking it",
                                             "ratio", "counterexample (replay)"))
    body = "".join(
        f"<tr><td>{_e(r['assumption'])}</td><td>{_e(r['status'])}</td><td>{_e(r['evaluated'])}</td>"
        f"<td>{_e(r['breaks'])}</td><td>{_e('' if r.get('ratio') is None else _value(r['ratio']))}</td>"
        f"<td>{_e('' if r.get('counterexample') is None else r['counterexample'])}"
        f"{'<pre>' + _e(r['replay']) + '</pre>' if r.get('replay') else ''}</td></tr>" for r in rows)
    return ("<p><b>Assumption ablation</b> (each assumption dropped alone, the others kept; <i>needed</i>: a "
            "counterexample breaking it was found; <i>not found necessary</i>: drawn instances broke it and none "
            "refuted the bound within the budget; <i>untested</i>: no drawn instance broke it):</p>"
            f"<table><tr>{head}</tr>{body}</table>")


def _table(records: list[dict]) -> str:
    head = ("id", "title", "paper", "kind", "verdict", "expected", "match", "claimed",
            "estimate [CI] vs claimed value", "search: most extreme ratio", "seconds", "")
    ths = "".join(f"<th>{h}</th>" for h in head)
    return f"<table>\n<tr>{ths}</tr>\n" + "\n".join(_row(r) for r in records) + "\n</table>"


def _section(rec: dict, png: Optional[str]) -> str:
    parts = [f'<section id="{_e(slug(rec["id"]))}">',
             f"<h2>{_e(rec.get('title', ''))}{_control(rec)}</h2>",
             f"<p><code>{_e(rec['id'])}</code> — {_e(rec.get('citation', ''))}</p>",
             f"<p>{_badge(str(rec.get('status')))} (expected {_e(rec.get('expected', ''))}): "
             f"{_e(rec.get('reason', ''))}</p>"]
    if rec.get("finding"):
        parts.append(f"<p><b>What the sandbox found:</b> {_e(rec['finding'])}</p>")
    if rec.get("statement"):
        parts.append(f"<pre>{_e(rec['statement'])}</pre>")
    parts.append(f"<p>Measured: {_e(rec.get('measured', ''))}; claimed: "
                 f"<code>{_e(rec.get('claimed', ''))}</code>; estimate {_estimate(rec)}</p>")
    evidence = rec.get("evidence") or {}
    if evidence:
        cells = "".join(f"<tr><td>{_e(k)}</td><td>{_e(_value(v))}</td></tr>" for k, v in evidence.items())
        parts.append(f'<table class="kv">{cells}</table>')
    if rec.get("worst_case"):
        parts.append(_worst_case(rec["worst_case"]))
    if rec.get("search"):
        found = rec["search"]
        replay = f"<pre>{_e(found['replay'])}</pre>" if found.get("replay") else ""
        parts.append(f"<p><b>Worst-case search over instances</b> ({_e(found.get('search_evaluated', 0))} drawn "
                     f"inside the assumptions, {_e(found.get('search_outside_assumptions', 0))} outside and "
                     f"skipped): {_badge(str(found.get('status')))} {_e(found.get('reason', ''))}</p>{replay}")
    if rec.get("ablation"):
        parts.append(_ablation(rec["ablation"]))
    parts.append(f"<p>Root seed {_e(rec.get('seed'))}. Provenance and regime:</p>"
                 f"<pre class=\"provenance\">{_e(rec.get('provenance', ''))}</pre>")
    if rec.get("traceback"):
        parts.append(f"<pre>{_e(rec['traceback'])}</pre>")
    if png:
        parts.append(f'<img src="{_e(png)}" alt="{_e("plot: " + str(rec.get("title", "")))}">')
    return "\n".join(parts) + "\n</section>"


def _worst_case(certificate: dict) -> str:
    """The PEP certificate: worst case over the class against the claimed value, per horizon."""
    head = "".join(f"<th>{h}</th>" for h in ("N", "PEP worst case", "claimed", "ratio", "solver status",
                                             "primal-dual gap", "Gram rank"))
    rows = "".join(
        f"<tr><td>{r['N']}</td><td>{_e(_value(r['pep']))}</td><td>{_e(_value(r['claimed']))}</td>"
        f"<td>{_e(_value(r['ratio']))}</td><td>{_e(r['status'])}</td><td>{_e(_value(r['gap']))}</td>"
        f"<td>{_e(r['gram_rank'])}</td></tr>" for r in certificate.get("worst_case", []))
    return (f"<p><b>Worst case over the class</b> ({_e(certificate.get('worst_case_class', ''))}; measure: "
            f"{_e(certificate.get('worst_case_measure', ''))}): {_badge(str(certificate.get('status')))} "
            f"{_e(certificate.get('reason', ''))}</p><table><tr>{head}</tr>{rows}</table>")


def _page(records: list[dict], pngs: dict, meta: dict) -> str:
    body = "\n".join([_header(records, meta), _table(records)]
                     + [_section(r, pngs[r["id"]]) for r in records])
    return ('<!DOCTYPE html>\n<html lang="en">\n<head>\n<meta charset="utf-8">\n'
            f"<title>Theory verification report</title>\n<style>{CSS}</style>\n</head>\n"
            f"<body>\n{body}\n</body>\n</html>\n")


# ---------------------------------------------------------------- entry point

def _check(records: list[dict]) -> None:
    seen: dict[str, str] = {}
    for i, rec in enumerate(records):
        missing = [k for k in CONTRACT_KEYS if k not in rec]
        if missing:
            raise ValueError(f"write_report: record {i} (id={rec.get('id')!r}) lacks keys {missing}; "
                             "the runner must fill every contract key (null where unknown)")
        s = slug(rec["id"])
        if s in seen:
            raise ValueError(f"write_report: claim ids {seen[s]!r} and {rec['id']!r} share the slug "
                             f"{s!r} (file and anchor names would clash); rename one of them")
        seen[s] = rec["id"]


def write_report(records: list[dict], out_dir: str | Path, *, versions: dict, meta: dict) -> Path:
    """Write ``results.json``, one PNG per claim with plots and ``index.html`` into ``out_dir``.

    Returns the path of ``index.html``.
    """
    records = list(records)
    _check(records)
    out = Path(out_dir)
    out.mkdir(parents=True, exist_ok=True)
    pngs: dict[str, Optional[str]] = {}
    for rec in records:
        pngs[rec["id"]] = None
        if rec.get("plots"):
            name = slug(rec["id"]) + ".png"
            render_plot(rec, out / name)
            pngs[rec["id"]] = name
    for rec in records:  # a counterexample of a search, as a file that replays it
        found = rec.get("search") or {}
        if found.get("counterexample") is not None:
            folder = out / "counterexamples"
            folder.mkdir(exist_ok=True)
            (folder / f"{slug(rec['id'])}.json").write_text(json.dumps(_sanitize(
                {"claim": rec["id"], "params": found["counterexample"], "ratio": found.get("counterexample_ratio"),
                 "reason": found.get("reason"), "replay": found.get("replay")}), indent=1) + "\n", encoding="utf-8")
        for row in rec.get("ablation") or []:  # and those of its ablation, one file per dropped assumption
            if row.get("counterexample") is not None:
                folder = out / "counterexamples"
                folder.mkdir(exist_ok=True)
                name = f"{slug(rec['id'])}--without-{slug(row['assumption'])}.json"
                (folder / name).write_text(json.dumps(_sanitize(
                    {"claim": rec["id"], "dropped": row["assumption"], "params": row["counterexample"],
                     "ratio": row.get("ratio"), "replay": row.get("replay")}), indent=1) + "\n", encoding="utf-8")
    claims = [{**{k: v for k, v in r.items() if k != "plots"}, "plot": pngs[r["id"]]} for r in records]
    doc = _sanitize({"claims": claims, "versions": versions, "meta": meta})
    (out / "results.json").write_text(json.dumps(doc, indent=1, allow_nan=False) + "\n", encoding="utf-8")
    index = out / "index.html"
    index.write_text(_page(records, pngs, meta), encoding="utf-8")
    return index
