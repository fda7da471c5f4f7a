"""Docking of patronfall's Epstein reference model against Mesa's example.

Runs Mesa 3.3.1's ``epstein_civil_violence`` model and ``patronfall reference
epstein --variant mesa`` on the same parameters over many seeds, compares the
per-run distributions of active and jailed counts with two-sample
Kolmogorov-Smirnov tests, and times both per step in the same process run.

The random streams differ (Python's Mersenne Twister against ChaCha8), so the
comparison is statistical: each seed gives one independent run, and each
statistic is one number per run. Pooling all steps of all runs would mix
autocorrelated values, so it is not used for p-values.

Called by dock-mesa.sh, which prepares the virtual environment and the binary.
"""

import argparse
import csv
import io
import json
import os
import platform
import statistics
import subprocess
import sys
import time
from importlib import metadata

# Parameters shared by both models: NetLogo's Rebellion sliders, which Mesa's
# app also uses (40x40, citizens 0.7, cops 0.04, vision 7, L 0.82, Jmax 30).
PARAMS = {
    "width": 40,
    "height": 40,
    "citizen_density": 0.7,
    "cop_density": 0.04,
    "vision": 7,
    "legitimacy": 0.82,
    "max_jail_term": 30,
}

# Outburst thresholds (actives): one starts at ON and ends at OFF or below.
ON, OFF = 50, 5
# Steps ignored at the start of each run before taking means.
BURN_IN = 20


def mesa_model(seed, width, height):
    """A Mesa model with PARAMS on a width x height grid."""
    from mesa.examples.advanced.epstein_civil_violence.model import (
        EpsteinCivilViolence,
    )

    return EpsteinCivilViolence(
        width=width,
        height=height,
        citizen_density=PARAMS["citizen_density"],
        cop_density=PARAMS["cop_density"],
        citizen_vision=PARAMS["vision"],
        cop_vision=PARAMS["vision"],
        legitimacy=PARAMS["legitimacy"],
        max_jail_term=PARAMS["max_jail_term"],
        seed=seed,
    )


def run_mesa(seed, steps, width=40, height=40, collect=True):
    """One Mesa run: (series of (quiet, active, jailed), setup s, step s).

    With collect=True each step is ``model.step()``, which includes Mesa's
    DataCollector (as the example ships). With collect=False the step is the
    agents' shuffled activation and the state counts only.
    """
    t0 = time.perf_counter()
    model = mesa_model(seed, width, height)
    setup = time.perf_counter() - t0
    series = [(model.QUIET, model.ACTIVE, model.ARRESTED)]
    t0 = time.perf_counter()
    for _ in range(steps):
        if collect:
            model.step()
        else:
            model.agents.shuffle_do("step")
            model._update_counts()
        series.append((model.QUIET, model.ACTIVE, model.ARRESTED))
    stepping = time.perf_counter() - t0
    return series, setup, stepping


def run_ours(binary, seed, steps, variant="mesa", width=40, height=40):
    """One patronfall run: (series, setup s, stepping s) from the binary."""
    cmd = [
        binary,
        "reference",
        "epstein",
        "--variant",
        variant,
        "--width",
        str(width),
        "--height",
        str(height),
        "--citizen-density",
        str(PARAMS["citizen_density"]),
        "--cop-density",
        str(PARAMS["cop_density"]),
        "--vision",
        str(PARAMS["vision"]),
        "--legitimacy",
        str(PARAMS["legitimacy"]),
        "--max-jail-term",
        str(PARAMS["max_jail_term"]),
        "--steps",
        str(steps),
        "--seed",
        str(seed),
        "--timing",
    ]
    done = subprocess.run(cmd, capture_output=True, text=True, check=True)
    timing = json.loads(done.stderr.strip().splitlines()[-1])
    rows = csv.DictReader(io.StringIO(done.stdout))
    series = [(int(r["quiet"]), int(r["active"]), int(r["jailed"])) for r in rows]
    return series, timing["setup_seconds"], timing["stepping_seconds"]


def outbursts(active):
    """Number of outbursts in an active series (hysteresis ON/OFF)."""
    inside, count = False, 0
    for a in active:
        if inside and a <= OFF:
            inside = False
        elif not inside and a >= ON:
            inside, count = True, count + 1
    return count


def summary(series):
    """Per-run statistics compared between the models."""
    active = [s[1] for s in series]
    jailed = [s[2] for s in series]
    burn = min(BURN_IN, len(active) // 2)
    tail_a = active[burn:]
    tail_j = jailed[burn:]
    return {
        "final_active": active[-1],
        "final_jailed": jailed[-1],
        "mean_active": statistics.fmean(tail_a),
        "mean_jailed": statistics.fmean(tail_j),
        "peak_active": max(active),
        "outbursts": outbursts(active),
        "share_quiet_steps": sum(1 for a in tail_a if a <= OFF) / len(tail_a),
        "citizens": sum(series[0]),
    }


def compare(a_runs, b_runs):
    """KS test per statistic between two lists of per-run summaries."""
    from scipy.stats import ks_2samp

    out = {}
    for key in a_runs[0]:
        a = [r[key] for r in a_runs]
        b = [r[key] for r in b_runs]
        res = ks_2samp(a, b)
        out[key] = {
            "mean_a": statistics.fmean(a),
            "mean_b": statistics.fmean(b),
            "sd_a": statistics.pstdev(a),
            "sd_b": statistics.pstdev(b),
            "ks": float(res.statistic),
            "p": float(res.pvalue),
        }
    return out


def versions(binary):
    """Versions of everything that produced the numbers."""
    out = {
        "python": platform.python_version(),
        "platform": platform.platform(),
        "processor": platform.processor() or platform.machine(),
    }
    for pkg in ("mesa", "numpy", "scipy", "networkx", "pandas"):
        try:
            out[pkg] = metadata.version(pkg)
        except metadata.PackageNotFoundError:
            out[pkg] = None
    done = subprocess.run([binary, "--version"], capture_output=True, text=True)
    out["patronfall"] = done.stdout.strip()
    for cmd, key in ((["rustc", "--version"], "rustc"), (["git", "rev-parse", "--short", "HEAD"], "commit")):
        try:
            out[key] = subprocess.run(cmd, capture_output=True, text=True).stdout.strip()
        except OSError:
            out[key] = None
    try:
        with open("/proc/cpuinfo") as f:
            for line in f:
                if line.startswith("model name"):
                    out["cpu"] = line.split(":", 1)[1].strip()
                    break
    except OSError:
        pass
    out["cores"] = os.cpu_count()
    return out


def table(rows, header):
    """A Markdown table."""
    lines = ["| " + " | ".join(header) + " |", "|" + "---|" * len(header)]
    lines += ["| " + " | ".join(str(c) for c in row) + " |" for row in rows]
    return "\n".join(lines)


def fmt_compare(name, result):
    rows = []
    for key, r in result.items():
        rows.append(
            [
                key,
                f"{r['mean_a']:.2f} ({r['sd_a']:.2f})",
                f"{r['mean_b']:.2f} ({r['sd_b']:.2f})",
                f"{r['ks']:.3f}",
                f"{r['p']:.3f}",
            ]
        )
    return f"### {name}\n\n" + table(
        rows, ["statistic per run", "Mesa mean (sd)", "ours mean (sd)", "KS D", "p"]
    )


def main():
    ap = argparse.ArgumentParser(description=__doc__)
    ap.add_argument("--binary", required=True, help="patronfall release binary")
    ap.add_argument("--seeds", type=int, default=100, help="runs per model")
    ap.add_argument("--steps", type=int, default=100, help="steps per run")
    ap.add_argument("--bare-seeds", type=int, default=10,
                    help="Mesa runs timed without the DataCollector")
    ap.add_argument("--scaling-sides", default="40,100,200",
                    help="grid sides timed for Mesa (a few steps each)")
    ap.add_argument("--ours-sides", default="40,100,200,400,1000",
                    help="grid sides timed for patronfall")
    ap.add_argument("--out", default="results/dock-mesa", help="output folder")
    args = ap.parse_args()
    os.makedirs(args.out, exist_ok=True)

    seeds = list(range(args.seeds))
    report = {"versions": versions(args.binary), "params": PARAMS,
              "seeds": args.seeds, "steps": args.steps}

    mesa_runs, mesa_step = [], []
    t_all = time.perf_counter()
    for i, seed in enumerate(seeds):
        series, _, stepping = run_mesa(seed, args.steps)
        mesa_runs.append(summary(series))
        mesa_step.append(stepping / args.steps)
        if i % 10 == 9:
            print(f"mesa: {i + 1}/{len(seeds)} runs, {time.perf_counter() - t_all:.0f} s",
                  file=sys.stderr, flush=True)
    ours_runs, ours_step, net_runs, net_step = [], [], [], []
    for seed in seeds:
        series, _, stepping = run_ours(args.binary, seed, args.steps, "mesa")
        ours_runs.append(summary(series))
        ours_step.append(stepping / args.steps)
        series, _, stepping = run_ours(args.binary, seed, args.steps, "netlogo")
        net_runs.append(summary(series))
        net_step.append(stepping / args.steps)

    bare = []
    for seed in seeds[: args.bare_seeds]:
        _, _, stepping = run_mesa(seed, args.steps, collect=False)
        bare.append(stepping / args.steps)

    report["mesa_vs_ours_mesa_variant"] = compare(mesa_runs, ours_runs)
    report["mesa_vs_ours_netlogo_variant"] = compare(mesa_runs, net_runs)
    med = statistics.median
    report["timing_40x40"] = {
        "mesa_step_median_s": med(mesa_step),
        "mesa_bare_step_median_s": med(bare) if bare else None,
        "ours_mesa_step_median_s": med(ours_step),
        "ours_netlogo_step_median_s": med(net_step),
        "ratio_mesa_over_ours": med(mesa_step) / med(ours_step),
        "ratio_bare_over_ours": (med(bare) / med(ours_step)) if bare else None,
    }

    scaling = []
    for side in [int(s) for s in args.scaling_sides.split(",") if s]:
        steps = 20 if side <= 40 else 5
        times = [run_mesa(seed, steps, side, side)[2] / steps for seed in range(2)]
        scaling.append({"model": "mesa", "side": side, "steps": steps,
                        "step_median_s": med(times)})
    for side in [int(s) for s in args.ours_sides.split(",") if s]:
        steps = 200 if side <= 200 else 20
        times = [run_ours(args.binary, seed, steps, "mesa", side, side)[2] / steps
                 for seed in range(3)]
        scaling.append({"model": "ours (mesa variant)", "side": side, "steps": steps,
                        "step_median_s": med(times)})
    report["scaling"] = scaling

    with open(os.path.join(args.out, "dock-mesa.json"), "w") as f:
        json.dump(report, f, indent=2)
    with open(os.path.join(args.out, "per-run.csv"), "w", newline="") as f:
        w = csv.writer(f)
        keys = list(mesa_runs[0])
        w.writerow(["model", "seed"] + keys)
        for name, runs in (("mesa", mesa_runs), ("ours-mesa", ours_runs),
                           ("ours-netlogo", net_runs)):
            for seed, r in zip(seeds, runs):
                w.writerow([name, seed] + [r[k] for k in keys])

    t = report["timing_40x40"]
    print(f"# Docking against Mesa: {args.seeds} seeds x {args.steps} steps\n")
    print("```\n" + json.dumps(report["versions"], indent=2) + "\n```\n")
    print(fmt_compare("Mesa 3.3.1 vs patronfall --variant mesa",
                      report["mesa_vs_ours_mesa_variant"]) + "\n")
    print(fmt_compare("Mesa 3.3.1 vs patronfall --variant netlogo (control)",
                      report["mesa_vs_ours_netlogo_variant"]) + "\n")
    print("### Time per step, 40x40 (median over runs)\n")
    print(table([
        ["Mesa, model.step() with DataCollector", f"{t['mesa_step_median_s'] * 1e3:.2f} ms"],
        ["Mesa, activation and counts only",
         f"{t['mesa_bare_step_median_s'] * 1e3:.2f} ms" if bare else "n/a"],
        ["patronfall --variant mesa", f"{t['ours_mesa_step_median_s'] * 1e6:.1f} us"],
        ["patronfall --variant netlogo", f"{t['ours_netlogo_step_median_s'] * 1e6:.1f} us"],
        ["ratio Mesa / patronfall (mesa variant)", f"{t['ratio_mesa_over_ours']:.0f}x"],
        ["ratio Mesa bare / patronfall",
         f"{t['ratio_bare_over_ours']:.0f}x" if bare else "n/a"],
    ], ["what", "time per step"]) + "\n")
    print("### Scaling (same densities)\n")
    print(table([[s["model"], f"{s['side']}x{s['side']}", s["steps"],
                  f"{s['step_median_s'] * 1e3:.3f} ms"] for s in scaling],
                ["model", "grid", "steps", "median time per step"]))


if __name__ == "__main__":
    main()
