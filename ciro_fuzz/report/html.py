"""A self-contained report.html (inline CSS and SVG, no scripts, opens offline): gas per item against
batch size with the limits drawn in, the access matrix as a grid, failures over time, and the shrunk
case of each failure."""

from __future__ import annotations

from html import escape

from ciro_fuzz.oracles.dos import MAX_L2_GAS

CSS = """body{font:14px/1.4 system-ui,sans-serif;margin:24px;color:#222;max-width:1200px}
h1{font-size:22px}h2{font-size:17px;margin-top:28px;border-bottom:1px solid #ddd}
table{border-collapse:collapse}td,th{border:1px solid #ddd;padding:3px 6px;font-size:12px}
.ok{background:#cfe8cf}.ref{background:#f3d9a4}.fail{background:#f2b8b5}.none{background:#eee}
.kpi{display:inline-block;margin-right:28px}.kpi b{font-size:20px;display:block}
pre{background:#f6f6f6;padding:8px;overflow:auto;font-size:12px}.bad{color:#b00}.good{color:#070}"""
COLORS = ["#1f77b4", "#d62728", "#2ca02c", "#9467bd", "#ff7f0e", "#8c564b", "#e377c2", "#17becf", "#7f7f7f", "#bcbd22", "#393b79"]


def _svg_gas(samples: dict[str, list]) -> str:
    w, h, pad = 760, 340, 60
    points = [(n, g / n) for pts in samples.values() for n, g in pts if n]
    if not points:
        return "<p>No successful batch was observed.</p>"
    max_n = max(max(n for n, _ in points), 50) + 1
    max_y = max(g for _, g in points) * 1.15
    sx = lambda n: pad + (w - 2 * pad) * n / max_n  # noqa: E731
    sy = lambda y: h - pad + 0 - (h - 2 * pad) * y / max_y  # noqa: E731
    parts = [f'<svg width="{w}" height="{h}" xmlns="http://www.w3.org/2000/svg" role="img" aria-label="gas per item">',
             f'<line x1="{pad}" y1="{h-pad}" x2="{w-pad}" y2="{h-pad}" stroke="#333"/><line x1="{pad}" y1="{pad}" x2="{pad}" y2="{h-pad}" stroke="#333"/>']
    for i in range(5):
        y = max_y * i / 4
        parts.append(f'<text x="{pad-6}" y="{sy(y)+4:.0f}" font-size="10" text-anchor="end">{y/1e6:.1f}M</text>')
    for n in range(0, max_n + 1, 10):
        parts.append(f'<text x="{sx(n):.0f}" y="{h-pad+14}" font-size="10" text-anchor="middle">{n}</text>')
    # The per-transaction L2 gas limit, as a per-item budget curve: limit / n.
    limit = " ".join(f"{sx(n):.1f},{sy(min(MAX_L2_GAS / n, max_y)):.1f}" for n in range(1, max_n))
    parts.append(f'<polyline points="{limit}" fill="none" stroke="#b00" stroke-dasharray="5,4"/>')
    parts.append(f'<text x="{w-pad}" y="{pad-8}" font-size="11" fill="#b00" text-anchor="end">red dashes: 1.1e9 L2 gas per transaction / n (limit; off the chart = far above)</text>')
    parts.append(f'<line x1="{sx(50):.1f}" y1="{pad}" x2="{sx(50):.1f}" y2="{h-pad}" stroke="#888" stroke-dasharray="2,3"/><text x="{sx(50)+3:.1f}" y="{pad+10}" font-size="10">MAX_BATCH_SIZE</text>')
    for idx, (name, pts) in enumerate(sorted(samples.items())):
        color = COLORS[idx % len(COLORS)]
        for n, g in pts:
            if n:
                parts.append(f'<circle cx="{sx(n):.1f}" cy="{sy(g/n):.1f}" r="3" fill="{color}" fill-opacity="0.7"><title>{escape(name)}: {n} items, {g/n:,.0f} gas/item</title></circle>')
        parts.append(f'<rect x="{w-pad-200}" y="{pad+8+idx*14}" width="10" height="10" fill="{color}"/><text x="{w-pad-186}" y="{pad+17+idx*14}" font-size="11">{escape(name)}</text>')
    parts.append(f'<text x="{w/2}" y="{h-18}" font-size="12" text-anchor="middle">batch size (items)</text>')
    parts.append(f'<text x="14" y="{h/2}" font-size="12" transform="rotate(-90 14 {h/2})" text-anchor="middle">L2 gas per item</text></svg>')
    return "".join(parts)


def _matrix(matrix: dict) -> str:
    entrypoints = sorted({cell.split("|")[1] for cell in matrix})
    roles = sorted({cell.split("|")[0] for cell in matrix}, key=lambda r: ["admin", "coordinator", "slasher", "owner", "other_owner", "client", "stranger"].index(r) if r in ["admin", "coordinator", "slasher", "owner", "other_owner", "client", "stranger"] else 99)
    rows = ["<table><tr><th>entrypoint</th>" + "".join(f"<th>{escape(r)}</th>" for r in roles) + "</tr>"]
    for e in entrypoints:
        cells = []
        for r in roles:
            counts = matrix.get(f"{r}|{e}", {})
            cls = "none" if not counts else ("ok" if counts.get("allowed") else ("ref" if counts.get("refused") else "fail"))
            text = " ".join(f"{k[0]}{v}" for k, v in sorted(counts.items())) or "–"
            cells.append(f'<td class="{cls}" title="{escape(str(counts))}">{text}</td>')
        rows.append(f"<tr><td>{escape(e)}</td>{''.join(cells)}</tr>")
    rows.append("</table><p>a = allowed, r = refused with the declared access error, f = failed for another reason (counts). Grey: never exercised.</p>")
    return "".join(rows)


def _timeline(timeline: list, failures: list) -> str:
    w, h, pad = 760, 180, 50
    if not timeline:
        return "<p>No examples ran.</p>"
    max_t = max(t for t, _, _ in timeline) or 1
    max_e = max(e for _, e, _ in timeline) or 1
    sx = lambda t: pad + (w - 2 * pad) * t / max_t  # noqa: E731
    sy = lambda e: h - pad - (h - 2 * pad) * e / max_e  # noqa: E731
    line = " ".join(f"{sx(t):.1f},{sy(e):.1f}" for t, e, _ in sorted(timeline))
    marks = "".join(f'<line x1="{sx(f.get("found_at", 0)):.1f}" y1="{pad}" x2="{sx(f.get("found_at", 0)):.1f}" y2="{h-pad}" stroke="#b00"><title>{escape(f["message"])}</title></line>' for f in failures)
    return (f'<svg width="{w}" height="{h}" xmlns="http://www.w3.org/2000/svg"><polyline points="{line}" fill="none" stroke="#1f77b4"/>{marks}'
            f'<line x1="{pad}" y1="{h-pad}" x2="{w-pad}" y2="{h-pad}" stroke="#333"/><text x="{w/2}" y="{h-15}" font-size="12" text-anchor="middle">seconds ({max_t:.0f}s total); blue: examples run ({max_e}); red: failures found</text></svg>')


def render_html(summary: dict, records: dict) -> str:
    failures = summary["failures"]
    verdict = f'<b class="bad">{len(failures)} failure(s)</b>' if failures else '<b class="good">no failures</b>'
    kpis = "".join(f'<span class="kpi"><b>{escape(str(v))}</b>{escape(k)}</span>' for k, v in [
        ("examples", summary["examples"]), ("steps", summary["steps"]), ("items checked", summary["items_checked"]),
        ("transactions", summary["transactions"]), ("seconds", summary["duration_seconds"]),
        ("access cells covered", f"{summary['matrix_covered']}/{summary['matrix_declared']}"),
        ("devnet restarts", summary["devnet_restarts"])])
    fail_html = []
    for f in failures:
        record = records.get(f.get("record") or "")
        steps = "\n".join(_step_line(s) for s in record["steps"]) if record else "(no record: found by the access sweep or the gas fit)"
        fail_html.append(f"<h3>[{escape(f['oracle'])}] {escape(f['message'])}</h3><p>record: <code>{escape(str(f.get('record')))}</code>"
                         f"{' (shrunk)' if record and record.get('shrunk') else ''}</p><pre>{escape(steps)}</pre>")
    fits = "".join(f"<tr><td>{escape(n)}</td><td>{fit['fixed']:,.0f}</td><td>{fit['per_item']:,.0f}</td><td>{fit['quadratic_share_at_max']:.1%}</td><td>{fit['max_size']}</td></tr>"
                   for n, fit in sorted(summary["gas_fits"].items()) if fit)
    return f"""<!doctype html><html><head><meta charset="utf-8"><title>ciro-fuzz report</title><style>{CSS}</style></head><body>
<h1>ciro-fuzz campaign: {verdict}</h1><p>profile {escape(str(summary['settings'].get('profile')))}, seed {escape(str(summary['settings'].get('seed')))},
mutant {escape(str(summary.get('mutant')))}, sources {escape(summary['source_hash'])}, versions {escape(json_versions(summary['versions']))}</p>
<div>{kpis}</div>
<h2>Gas per item against batch size</h2>{_svg_gas(summary['gas_samples'])}
<table><tr><th>entrypoint</th><th>fixed gas</th><th>gas per item (fit)</th><th>quadratic share at max</th><th>max size seen</th></tr>{fits}</table>
<h2>Access matrix (role x entrypoint)</h2>{_matrix(summary['matrix'])}
<h2>Failures over time</h2>{_timeline(summary.get('timeline', []), failures)}
<h2>Failures and their shrunk cases</h2>{''.join(fail_html) or '<p>None.</p>'}
</body></html>"""


def json_versions(versions: dict) -> str:
    return ", ".join(f"{k} {v}" for k, v in sorted(versions.items()))


def _step_line(step: dict) -> str:
    if step["type"] == "batch":
        items = "; ".join(", ".join(f"{k}={v}" for k, v in i.items() if k != "kind") for i in step["items"][:6])
        more = f" ... (+{len(step['items']) - 6})" if len(step["items"]) > 6 else ""
        return f"{step['actor']}: {step['kind']} x{len(step['items'])} {'atomic' if step['mode'] == 0 else 'partial'}{' packed' if step.get('packed') else ''}: {items}{more}"
    if step["type"] == "action":
        return f"{step['actor']}: {step['name']}{tuple(step['args'])}"
    return f"advance time {step['seconds']}s"
