"""Run a group of hostile cases through ``carebench.cli.main`` in one process and record what each did.

    python tests/hostile/runner.py GROUP ROOT RESULTS.jsonl

One process for many cases keeps CI time down (importing pandas, pyarrow and pydantic costs seconds per
process); ``main`` is the console script's own function, so the exit code and what reaches standard error are
what a user sees (``test_subprocess.py`` checks a sample of cases the same through real processes). Each case
runs in its own folder ``ROOT/<n>/work`` as the working directory, under a per-case alarm (a hang becomes a
recorded timeout); before each case the runner writes ``start <id>`` to the results file, so a hang in C code
that the alarm cannot stop is still named by the outer timeout.
"""

from __future__ import annotations

import contextlib
import io
import json
import os
import shutil
import signal
import sys
import time
import traceback
from pathlib import Path

HERE = Path(__file__).resolve().parent
CORPUS = HERE / "corpus"
sys.path.insert(0, str(HERE))

from cases import GROUPS, Case  # noqa: E402
from setups_round6 import setup_round6, undo_limits  # noqa: E402
from setups_round7 import setup_round7  # noqa: E402
from setups_round8 import setup_round8  # noqa: E402


# HOSTILE_TIMEOUT_CAP=15 shortens every case's timeout (to measure another version of the code quickly)
TIMEOUT_CAP = float(os.environ.get("HOSTILE_TIMEOUT_CAP", "inf"))


class CaseTimeout(BaseException):
    """Raised by the alarm: not an Exception, so no ``except Exception`` in the code under test swallows it."""


def _alarm(signum, frame):
    raise CaseTimeout


# --------------------------------------------------------------------------------------------------- setups


def _base_qa_run(root: Path) -> Path:
    """A complete `qa score` folder of the valid corpus replies, made once per runner and copied per case."""
    base = root / "_base_qa_run"
    if not base.exists():
        from carebench.cli import main

        with contextlib.redirect_stdout(io.StringIO()), contextlib.redirect_stderr(io.StringIO()):
            rc = main(["qa", "score", str(CORPUS / "replies" / "valid.twcs.csv"), "--out", str(base)])
        assert rc == 0, "the base QA run failed"
    return base


def _rewrite_csv(path: Path, edit) -> None:
    import pandas as pd

    df = pd.read_csv(path, dtype=str, keep_default_na=False)
    edit(df).to_csv(path, index=False)


def _zip_bomb_model(path: Path) -> None:
    """The corpus's valid model with a weight record that unpacks to 256 MiB of zeros (about 260 kB packed)."""
    import zipfile

    with zipfile.ZipFile(CORPUS / "models" / "valid.npz") as src, \
            zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as z:
        for info in src.infolist():
            if info.filename != "deflection.weight.npy":
                z.writestr(info.filename, src.read(info))
        header = "{'descr': '<f4', 'fortran_order': False, 'shape': (67108864,), }"
        header += " " * (118 - len(header)) + "\n"
        with z.open("deflection.weight.npy", "w", force_zip64=True) as f:
            f.write(b"\x93NUMPY\x01\x00" + len(header).to_bytes(2, "little") + header.encode())
            for _ in range(64):
                f.write(bytes(4 << 20))


def _setup_round4(name: str, work: Path) -> None:
    """The fourth sweep's setups (cases_round4.py)."""
    if name == "out_holds_requirement":  # a `staff` results folder that `roster` reads its requirement from
        (work / "out").mkdir()
        (work / "out" / ".carebench-results").write_text("complete\n")
        shutil.copy(CORPUS / "planning" / "requirement.csv", work / "out")
    elif name == "experiment":  # a valid experiment over the valid scenario (a few seconds of runs)
        shutil.copy(CORPUS / "scenarios" / "valid_small.yaml", work / "in")
        (work / "in" / "exp.yaml").write_text("name: e\nscenarios: [valid_small.yaml]\nset: {horizon_days: 0.05}\n"
                                              "grid:\n  staffing.agents: [3]\nreplications: 2\n")
    elif name == "cr_only":  # the valid own-schema replies with classic Mac line ends
        text = (CORPUS / "replies" / "own_valid.csv").read_text(encoding="utf-8")
        (work / "in" / "cr.csv").write_bytes(text.replace("\n", "\r").encode("utf-8"))
    elif name == "junk_server":  # a service that is not Dask's, answering every connection with its banner
        _junk_server()
    else:
        raise ValueError(f"unknown setup step {name}")


def _setup_round5(name: str, work: Path) -> None:
    """The fifth sweep's setups (cases_round5.py): the corpus requirement edited one field, a dangling link."""
    rows = (CORPUS / "planning" / "requirement.csv").read_text().splitlines(keepends=True)
    edits = {  # line (0: the header) -> the edit
        "requirement_nan": (3, lambda r: r.replace(",1,1,1,1,", ",1,1,1,nan,", 1)),
        "requirement_team_unknown": (None, lambda r: r.replace("all,", "support,", 1)),
        "requirement_team_empty": (2, lambda r: r.replace("all,", ",", 1)),
        "requirement_measured_maybe": (4, lambda r: r.replace("False", "maybe", 1)),
    }
    if name in edits:
        line, edit = edits[name]
        rows = [rows[0]] + [edit(r) if line in (None, i) else r for i, r in enumerate(rows[1:], 1)]
        (work / "in" / f"{name.removeprefix('requirement_')}.csv").write_text("".join(rows))
    elif name == "dangling_settings":
        os.symlink("missing.yaml", work / "in" / "gone.yaml")
    elif name == "same_ids_other":  # the same ids as own_valid.csv, other replies under them
        text = (CORPUS / "replies" / "own_valid.csv").read_text()
        (work / "in" / "other.csv").write_text(text.replace("Sorry for the wait", "Apologies for the delay"))
    else:
        raise ValueError(f"unknown setup step {name}")


JUNK_PORT = 47913  # cases_round4's --scheduler address


def _junk_server() -> None:
    import socket
    import threading

    if getattr(_junk_server, "started", False):
        return
    srv = socket.socket()
    srv.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    # test_subprocess's pytest worker keeps its server while the round4 runner starts its own: share the port
    srv.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEPORT, 1)
    try:
        srv.bind(("127.0.0.1", JUNK_PORT))
    except OSError:  # held by a copy that did not share it (another run of the tests): a non-Dask service is there
        srv.close()
        socket.create_connection(("127.0.0.1", JUNK_PORT), timeout=5).close()  # ... or the setup fails here
        _junk_server.started = True
        return
    srv.listen()

    def serve():
        while True:
            conn, _ = srv.accept()
            with conn:
                conn.sendall(b"SSH-2.0-OpenSSH_9.6\r\n" * 4)

    threading.Thread(target=serve, daemon=True).start()
    _junk_server.started = True


def _setup(step: str, work: Path, root: Path) -> None:
    import pandas as pd

    run = work / "run"
    kind, _, name = step.partition(":")
    if kind == "fifo":
        os.mkfifo(work / "in" / name)
    elif kind == "devzero":
        os.symlink("/dev/zero", work / "in" / name)
    elif kind == "loop":  # two links pointing at each other: every open fails with ELOOP
        os.symlink(f"{name}.other", work / "in" / name)
        os.symlink(name, work / "in" / f"{name}.other")
    elif kind == "setup4":
        _setup_round4(name, work)
    elif kind == "setup5":
        _setup_round5(name, work)
    elif kind == "setup6":
        setup_round6(name, work)
    elif kind == "setup7":
        setup_round7(name, work)
    elif kind == "setup8":
        setup_round8(name, work)
    elif step == "zip_bomb_model":
        _zip_bomb_model(work / "in" / "bomb.npz")
    elif step == "out_is_file":
        (work / "out").write_text("not a folder\n")
    elif step == "out_is_foreign":
        (work / "out").mkdir()
        (work / "out" / "thesis.tex").write_text("precious\n")
    elif step == "out_holds_scenario":
        (work / "out").mkdir()
        (work / "out" / ".carebench-results").write_text("complete\n")
        shutil.copy(CORPUS / "scenarios" / "valid_small.yaml", work / "out")
    elif step == "out_holds_replies":
        (work / "out").mkdir()
        (work / "out" / ".carebench-results").write_text("complete\n")
        shutil.copy(CORPUS / "replies" / "valid.twcs.csv", work / "out")
    elif step == "big_scenario":
        text = (CORPUS / "scenarios" / "valid_small.yaml").read_text()
        (work / "in" / "big.yaml").write_text(text + "# " + "x" * (3 << 20) + "\n")
    elif step == "many_unknown_keys":  # 40,000 keys (about 500 kB): under the size limit, each refused
        text = (CORPUS / "scenarios" / "valid_small.yaml").read_text()
        (work / "in" / "many.yaml").write_text(text + "".join(f"k{i}: {i}\n" for i in range(40_000)))
    elif step == "long_line_reply":  # a 17 MB line (a field past the 16 MiB line limit) between valid rows
        rows = (CORPUS / "replies" / "own_valid.csv").read_text().splitlines(keepends=True)
        long = rows[6].replace("b2,", "b9,", 1).replace("Thank you", "x" * (17 << 20))
        (work / "in" / "long_line.csv").write_text("".join(rows[:6]) + long + rows[6])
    elif step == "huge_reply":
        header = "tweet_id,author_id,inbound,created_at,text,response_tweet_id,in_response_to_tweet_id\n"
        words = "we are sorry. please send us a dm and we will refund you. " * (3_000_000 // 58)  # 3 MB
        (work / "in" / "huge_text.csv").write_text(
            header + "1,cust,True,Tue Oct 31 22:10:47 +0000 2017,@Acme help,2,\n"
            f"2,Acme,False,Tue Oct 31 22:14:02 +0000 2017,{words},,1\n")
    elif step == "qa_run":
        shutil.copytree(_base_qa_run(root), run)
    elif step == "drop_score_column":
        _rewrite_csv(run / "scores.csv", lambda df: df.drop(columns=["score"]))
    elif step == "drop_reply_id_column":
        _rewrite_csv(run / "scores.csv", lambda df: df.drop(columns=["reply_id"]))
    elif step == "text_in_score":
        _rewrite_csv(run / "scores.csv", lambda df: df.assign(score=["high"] * len(df)))
    elif step == "text_in_flag":
        _rewrite_csv(run / "scores.csv", lambda df: df.assign(auto_fail=["perhaps"] * len(df)))
    elif step == "binary_scores":
        (run / "scores.csv").write_bytes(b"\x89PNG\r\n\x1a\n" + bytes(range(256)))
    elif step == "utf16_scores":
        (run / "scores.csv").write_bytes((run / "scores.csv").read_text().encode("utf-16"))
    elif step == "corrupt_messages":
        data = (run / "messages.parquet").read_bytes()
        (run / "messages.parquet").write_bytes(data[: len(data) // 3])
    elif step == "messages_missing_columns":
        df = pd.read_parquet(run / "messages.parquet")
        df.drop(columns=["role", "text"]).to_parquet(run / "messages.parquet")
    elif step == "bad_meta":
        (run / "meta.json").write_text('{"source": "x", ')
    elif step == "score_infinite":
        _rewrite_csv(run / "scores.csv", lambda df: df.assign(score=["inf"] * len(df)))
    elif step == "blank_thread_id":
        _rewrite_csv(run / "scores.csv", lambda df: df.assign(thread_id=[""] * len(df)))
    elif step == "meta_surrogate":
        (run / "meta.json").write_text('{"source": "replies \\ud800.csv"}')
    elif step == "meta_wrong_types":  # a hand-edited meta.json: a text where the report prints a number
        meta = json.loads((run / "meta.json").read_text())
        (run / "meta.json").write_text(json.dumps(dict(meta, messages="many")))
    elif step == "meta_not_object":
        (run / "meta.json").write_text("[1, 2, 3]\n")
    elif step == "consistency_missing_columns":
        (run / "consistency.csv").write_text("issue,level\nbilling,agent=ana\n")
    elif step == "broken_rows_bad_line":
        (run / "broken_rows.csv").write_text("line,reason\nfour,bad row\n")
    elif step == "no_scores":
        (run / "scores.csv").unlink()
    else:
        raise ValueError(f"unknown setup step {step}")


# ------------------------------------------------------------------------------------------------- running


def _snapshot(folder: Path) -> dict[str, tuple[int, int]]:
    """Every path under ``folder`` with its size and modification time (to see what a run created or changed)."""
    out = {}
    for p in folder.rglob("*"):
        try:
            st = p.lstat()
        except FileNotFoundError:
            continue
        out[p.relative_to(folder).as_posix()] = (st.st_size if p.is_file() else -1, st.st_mtime_ns)
    return out


def _argv(case: Case, work: Path) -> list[str]:
    out = []
    for a in case.argv:
        if a.startswith("@"):
            src = CORPUS / a[1:]
            shutil.copy(src, work / "in" / src.name)
            out.append(f"in/{src.name}")
        else:
            out.append(a)
    return out


def _in_process(argv: list[str], case: Case) -> tuple[str, int | None, str, str, str]:
    """(status, exit code, stdout, stderr, traceback) of ``carebench.cli.main(argv)`` under the case's alarm."""
    from carebench.cli import main

    out, err = io.StringIO(), io.StringIO()
    status, code, tb = "ok", None, ""
    signal.signal(signal.SIGALRM, _alarm)
    signal.setitimer(signal.ITIMER_REAL, min(case.timeout, TIMEOUT_CAP))
    try:
        with contextlib.redirect_stdout(out), contextlib.redirect_stderr(err):
            code = main(argv)
    except SystemExit as exc:  # argparse
        code = exc.code if isinstance(exc.code, int) else 2
    except CaseTimeout:
        status = "timeout"
    except BaseException:  # noqa: BLE001 - a traceback is exactly what the contract forbids: record it
        status, tb = "exception", traceback.format_exc()
    finally:
        signal.setitimer(signal.ITIMER_REAL, 0)
    return status, code, out.getvalue(), err.getvalue(), tb


def _in_a_process(argv: list[str], case: Case) -> tuple[str, int | None, str, str, str]:
    """The same through ``python -m carebench``: the console script as a user runs it."""
    import subprocess

    try:
        proc = subprocess.run([sys.executable, "-m", "carebench", *argv], capture_output=True, text=True,
                              timeout=case.timeout, env={**os.environ, "PYTHONPATH": str(HERE.parents[1])})
    except subprocess.TimeoutExpired:
        return "timeout", None, "", "", ""
    status = "exception" if "Traceback" in proc.stderr else "ok"
    return status, proc.returncode, proc.stdout, proc.stderr, proc.stderr if status == "exception" else ""


def run_case(case: Case, folder: Path, root: Path, process: bool = False) -> dict:
    """Set up ``case`` in ``folder``, run it (in this process, or ``process=True`` in a child), record it."""
    work = folder / "work"
    (work / "in").mkdir(parents=True)
    argv = _argv(case, work)
    cwd = os.getcwd()
    env = dict(os.environ)
    os.chdir(work)
    try:
        for step in case.setup:
            _setup(step, work, root)
        before_work, before_root = _snapshot(work), sorted(p.name for p in root.iterdir())
        t0 = time.perf_counter()
        status, code, out, err, tb = (_in_a_process if process else _in_process)(argv, case)
        seconds = time.perf_counter() - t0
        after_work, after_root = _snapshot(work), sorted(p.name for p in root.iterdir())
    finally:
        undo_limits()
        os.chdir(cwd)
        os.environ.clear()
        os.environ.update(env)
    created = sorted(k for k in after_work if k not in before_work)
    changed = sorted(k for k in after_work if k in before_work and after_work[k] != before_work[k])
    removed = sorted(k for k in before_work if k not in after_work)
    return {"id": case.id, "status": status, "code": code, "stdout": out[-4000:],
            "stderr": err[-4000:], "traceback": tb[-4000:], "seconds": round(seconds, 3),
            "created": created, "changed": changed, "removed": removed,
            "outside": sorted(set(after_root) - set(before_root)), "work": str(work)}


def main(argv: list[str]) -> int:
    group, root, results = argv[0], Path(argv[1]), Path(argv[2])
    root.mkdir(parents=True, exist_ok=True)
    cases = GROUPS[group]
    only = set(argv[3:])
    with results.open("w", encoding="utf-8") as f:
        for i, case in enumerate(cases):
            if only and case.id not in only:
                continue
            f.write(json.dumps({"start": case.id}) + "\n")
            f.flush()
            f.write(json.dumps(run_case(case, root / f"case{i:03d}", root)) + "\n")
            f.flush()
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
