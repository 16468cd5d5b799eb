"""Import and export at the size of the whole federal inventory: 3,600 rows.

    ./dev bench-import            # 3,600 rows, median of 3 runs of each command, interleaved
    ./dev bench-import --write    # and record the table in RESULTS.md

The register is the federal sample (tests/fixtures/omb-2025-sample.csv, 301 real rows) repeated to 3,600
rows, each copy with its own id and name (so every row makes its own file), the rest of the row unedited.
Each command is a whole process (`scorecard import`, ...), as a user runs it. The baseline, run side by
side, is the least an importer can do: read the same CSV with the csv module and write each row as a YAML
file with PyYAML's libyaml emitter; the ratio is our import's time over it. The target (issue 13) is at
least 1,000 rows a second.
"""

from __future__ import annotations

import argparse
import csv
import io
import os
import platform
import shutil
import statistics
import subprocess
import sys
import time
from pathlib import Path

from results import record

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent
WORK = HERE / "work" / "interop"
SAMPLE = ROOT / "tests" / "fixtures" / "omb-2025-sample.csv"
ENV = {**os.environ, "NO_MKDOCS_2_WARNING": "1", "SCORECARD_TODAY": "2026-11"}
SCORECARD = [sys.executable, "-m", "scorecard.cli"]
BASELINE = """
import csv, sys, yaml
from pathlib import Path
out = Path(sys.argv[2]); out.mkdir(exist_ok=True)
with open(sys.argv[1], encoding="utf-8-sig", newline="") as f:
    for n, row in enumerate(csv.DictReader(f)):
        (out / f"row-{n}.yaml").write_text(yaml.dump(row, Dumper=yaml.CSafeDumper, allow_unicode=True), encoding="utf-8")
"""


def register(rows: int, path: Path) -> None:
    text = SAMPLE.read_text(encoding="utf-8-sig")
    reader = list(csv.DictReader(io.StringIO(text)))
    buf = io.StringIO()
    writer = csv.DictWriter(buf, list(reader[0]))
    writer.writeheader()
    for n in range(rows):
        row = dict(reader[n % len(reader)])
        copy = n // len(reader)
        if copy:
            row["id"] = f"{row['id']}-C{copy}" if row["id"] else ""
            row["use_case_name"] = f"{row['use_case_name']} (copy {copy})"
        writer.writerow(row)
    path.write_text(buf.getvalue(), encoding="utf-8")


def project(folder: Path) -> Path:
    shutil.rmtree(folder, ignore_errors=True)
    (folder / "initiatives").mkdir(parents=True)
    (folder / "docs").mkdir()
    config = (ROOT / "mkdocs.yml").read_text(encoding="utf-8").replace("# policy: policy.yml", "policy: policy.yml")
    (folder / "mkdocs.yml").write_text(config, encoding="utf-8")
    policy = subprocess.run([*SCORECARD, "import", "--mapping", "omb-2025", "--print-policy"], env=ENV, check=True,
                            capture_output=True, text=True, cwd=ROOT).stdout
    (folder / "policy.yml").write_text(policy, encoding="utf-8")
    return folder / "mkdocs.yml"


def timed(args: list[str], cwd: Path) -> float:
    start = time.perf_counter()
    subprocess.run(args, env={**ENV, "PYTHONPATH": str(ROOT)}, check=True, cwd=cwd, stdout=subprocess.DEVNULL)
    return time.perf_counter() - start


def measure(rows: int, runs: int) -> dict[str, list[float]]:
    WORK.mkdir(parents=True, exist_ok=True)
    source = WORK / "register.csv"
    register(rows, source)
    times: dict[str, list[float]] = {k: [] for k in ("baseline", "import", "reimport", "validate", "export_csv",
                                                     "export_xlsx")}
    for _ in range(runs):
        shutil.rmtree(WORK / "baseline", ignore_errors=True)
        times["baseline"].append(timed([sys.executable, "-c", BASELINE, str(source), str(WORK / "baseline")], WORK))
        config = project(WORK / "portfolio")
        cwd = config.parent
        times["import"].append(timed([*SCORECARD, "import", str(source), "--mapping", "omb-2025"], cwd))
        times["reimport"].append(timed([*SCORECARD, "import", str(source), "--mapping", "omb-2025"], cwd))
        times["validate"].append(timed([*SCORECARD, "validate"], cwd))
        times["export_csv"].append(timed([*SCORECARD, "export", "-o", str(WORK / "out.csv")], cwd))
        times["export_xlsx"].append(timed([*SCORECARD, "export", "--format", "xlsx", "-o", str(WORK / "out.xlsx")],
                                          cwd))
    return times


def table(rows: int, times: dict[str, list[float]]) -> str:
    med = {k: statistics.median(v) for k, v in times.items()}
    lines = [f"A register of {rows:,} rows (the federal sample repeated, each row its own initiative); each command a "
             f"whole process, median of {len(times['import'])} runs interleaved.", "",
             "| command | time | rows a second | against the baseline |", "| --- | --: | --: | --: |"]
    names = {"baseline": "baseline: csv module + one PyYAML file per row", "import": "`scorecard import` (new files)",
             "reimport": "`scorecard import` again (nothing changes)", "validate": "`scorecard validate` of the result",
             "export_csv": "`scorecard export --format omb-2025`", "export_xlsx": "`scorecard export --format xlsx`"}
    for key, name in names.items():
        ratio = "" if key == "baseline" else f"{med[key] / med['baseline']:.2f} ×"
        lines.append(f"| {name} | {med[key]:.2f} s | {rows / med[key]:,.0f} | {ratio} |")
    lines += ["", f"Target: at least 1,000 rows a second for the import; measured {rows / med['import']:,.0f}.", "",
              f"Machine: {os.cpu_count()} cores, {platform.platform()}, Python {platform.python_version()}.", "",
              "Command: `./dev bench-import --write`"]
    return "\n".join(lines)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--rows", type=int, default=3600)
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--write", action="store_true", help="record the table in benchmarks/RESULTS.md")
    args = parser.parse_args()
    text = table(args.rows, measure(args.rows, args.runs))
    print(text)
    if args.write:
        record("import", "./dev bench-import --write", "Import and export (issue 13)", text)
    return 0


if __name__ == "__main__":
    sys.exit(main())
