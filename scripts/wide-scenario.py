#!/usr/bin/env python3
"""Writes a scenario with about FIGURES uncertain figures, for measuring how
the planner and the analyses scale with the number of dimensions.

It is the template scenario (`patronfall scenario init`) with small armed
factions added, each with ten figures given as ranges, until the count is
reached. Usage: wide-scenario.py TEMPLATE.toml FIGURES > wide.toml
"""
import sys

FACTION = """
[[armed_group]]
id = "wide_{i}"
name = "Added faction {i}"
role = "faction"
region = "{region}"
fighters = [200, 400]
fill_rate = [0.5, 0.7]
morale = [0.5, 0.7]
ideology = [0.2, 0.4]
allegiance = {{ patron = 0.3, host = 0.4, self = 0.3 }}
stance = "hedging"
cost_per_fighter = [30, 50]
sponsor_dependence = [0.2, 0.4]
illicit_revenue = [0.0, 0.1]
threshold_mean = [0.3, 0.4]
threshold_sd = [0.08, 0.14]
"""
PER_FACTION = 9

template = open(sys.argv[1]).read()
target = int(sys.argv[2])
# The template's own uncertain figures are few; count them as ranges.
base = sum(1 for line in template.splitlines() if " = [" in line and "{" not in line)
factions = max(0, (target - base + PER_FACTION - 1) // PER_FACTION)
regions = ["capital", "border_region"]
out = [template]
for i in range(factions):
    out.append(FACTION.format(i=i, region=regions[i % 2]))
sys.stdout.write("".join(out))
