"""Cost of a second framework: the medium repository checked against one pack, then two.

    python bench/frameworks.py [--scale medium] [--repeat 5]

Runs ``policylint check`` as a whole process, alternating ``--framework mic-asp-saas-2008`` and
``--framework mic-asp-saas-2008 --framework iso27001-2022`` on the same generated repository,
and prints the medians and their ratio (target: at most 1.2). The ISO/IEC 27001 checks that
run the MIC checks' code (``same_as``) run once for both packs; only the pack's own checks (risk
register, Statement of Applicability, management review, corrective actions, scope, objectives,
lessons learned, internal audit) are added work.
"""

from __future__ import annotations

import argparse
import statistics
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).parent))

from run import ensure_repo, measure, policylint_argv

MIC = ["--framework", "mic-asp-saas-2008"]
BOTH = [*MIC, "--framework", "iso27001-2022"]


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--scale", default="medium")
    ap.add_argument("--repeat", type=int, default=5)
    args = ap.parse_args(argv)
    repo = ensure_repo(args.scale)
    base = policylint_argv(repo)
    if base is None:
        print("policylint is not installed", file=sys.stderr)
        return 2
    walls: dict[str, list[float]] = {"one": [], "both": []}
    for _ in range(args.repeat):
        for name, extra in (("one", MIC), ("both", BOTH)):
            wall, _, code, err = measure([*base, *extra], repo, None)
            if code not in (0, 1):
                print(f"policylint failed ({code}): {err}", file=sys.stderr)
                return 2
            walls[name].append(wall)
    one, both = statistics.median(walls["one"]), statistics.median(walls["both"])
    print("| scale | one pack (s) | both packs (s) | ratio |\n|---|---:|---:|---:|")
    print(f"| {args.scale} | {one:.2f} | {both:.2f} | {both / one:.2f} |")
    return 0 if both / one <= 1.2 else 1


if __name__ == "__main__":
    sys.exit(main())
