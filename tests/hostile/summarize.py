"""How many hostile cases meet the contract, by kind, from runner result files (a dev tool, not a test).

    .venv/bin/python tests/hostile/summarize.py RESULTS.jsonl [...]

"full" is the contract as test_corpus.py checks it; "core" leaves out the wording of the refusal (the fragment
each case expects) and the results-folder marker, so that an older version of the code, which words its
messages differently, is judged on the contract alone: exit code, one printable line naming the file, no
traceback, no hang, nothing written where it must not be.
"""

from __future__ import annotations

import collections
import json
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from test_corpus import BY_ID, contract_problems  # noqa: E402


def main(paths: list[str]) -> None:
    full, core, total = collections.Counter(), collections.Counter(), collections.Counter()
    for path in paths:
        for line in Path(path).read_text(encoding="utf-8").splitlines():
            rec = json.loads(line)
            if "start" in rec:
                continue
            case = BY_ID[rec["id"]]
            problems = contract_problems(case, rec)
            total[case.kind] += 1
            full[case.kind] += not problems
            core[case.kind] += not [p for p in problems if "does not say" not in p and "summary.csv has" not in p]
    n = sum(total.values())
    print(f"{sum(full.values())} of {n} cases meet the full contract, {sum(core.values())} the core contract")
    for kind, count in total.most_common():
        print(f"  {kind:<22} {full[kind]:>3} / {core[kind]:>3} of {count}")


if __name__ == "__main__":
    main(sys.argv[1:])
