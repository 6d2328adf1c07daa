"""The roster's integer program on HiGHS and on OR-Tools, same instance, side by side (how the solver was picked).

The instance is exported by ``benchmarks/bench_staffing.py --export-roster FILE.npz`` (the week's requirement and
the shifts of the benchmark). This script needs only numpy, scipy and the solvers, so it can run in a scratch
virtual environment that has OR-Tools (OR-Tools pins a protobuf older than the one carebench's Streamlit pin
uses, so it cannot live in carebench's own environment):

    python3 -m venv /tmp/ortvenv && /tmp/ortvenv/bin/pip install numpy scipy highspy==1.16.0 ortools==9.15.6755
    /tmp/ortvenv/bin/python benchmarks/bench_roster_solvers.py roster.npz [--time-limit 60]

Each solver minimises paid hours to a proven optimum (relative gap 0) or the time limit, with one thread and
then with two; the table gives the wall time, the best roster found and the proven lower bound.
"""

from __future__ import annotations

import argparse
import math
import time

import numpy as np
from scipy import sparse


def load(path: str):
    z = np.load(path)
    a = sparse.csc_matrix((z["a_data"], z["a_indices"], z["a_indptr"]), shape=tuple(z["a_shape"]))
    return z["cost"], a, z["lower"], z["upper"]


def highs(cost, a, lower, upper, limit: float, threads: int):
    import highspy

    try:
        from highspy._core import _Highs as Highs
    except ImportError:
        from highspy import Highs
    h = Highs()
    h.setOptionValue("output_flag", False)
    n = len(cost)
    lp = highspy.HighsLp()
    lp.num_col_, lp.num_row_ = n, a.shape[0]
    lp.col_cost_, lp.col_lower_, lp.col_upper_ = cost, np.zeros(n), np.full(n, math.inf)
    lp.row_lower_, lp.row_upper_ = lower, upper
    lp.a_matrix_.format_ = highspy.MatrixFormat.kColwise
    lp.a_matrix_.start_, lp.a_matrix_.index_, lp.a_matrix_.value_ = a.indptr, a.indices, a.data
    lp.integrality_ = [highspy.HighsVarType.kInteger] * n
    h.setOptionValue("time_limit", limit)
    h.setOptionValue("mip_rel_gap", 0.0)
    h.setOptionValue("threads", threads)
    h.passModel(lp)
    t = time.perf_counter()
    h.run()
    info = h.getInfo()
    return time.perf_counter() - t, info.objective_function_value, info.mip_dual_bound, \
        h.modelStatusToString(h.getModelStatus())


def cp_sat(cost, a, lower, upper, limit: float, threads: int):
    from ortools.sat.python import cp_model

    scale = 60  # paid hours are whole half hours: integer minutes for CP-SAT's integer objective
    m = cp_model.CpModel()
    ub = int(np.nanmax(np.where(np.isfinite(lower), lower, 0))) * 2 + 100
    x = [m.NewIntVar(0, ub, f"x{j}") for j in range(len(cost))]
    ar = a.tocsr()
    for i in range(ar.shape[0]):
        cols, vals = ar.indices[ar.indptr[i]:ar.indptr[i + 1]], ar.data[ar.indptr[i]:ar.indptr[i + 1]]
        if not len(cols):
            continue
        if np.allclose(vals, np.round(vals)):
            expr = sum(int(v) * x[j] for j, v in zip(cols, vals))
        else:  # the part-time row: scale to integers
            expr = sum(int(round(v)) * x[j] for j, v in zip(cols, vals))
        if np.isfinite(lower[i]):
            m.Add(expr >= int(math.ceil(lower[i] - 1e-9)))
        if np.isfinite(upper[i]):
            m.Add(expr <= int(math.floor(upper[i] + 1e-9)))
    m.Minimize(sum(int(round(c * scale)) * x[j] for j, c in enumerate(cost)))
    s = cp_model.CpSolver()
    s.parameters.max_time_in_seconds = limit
    s.parameters.num_workers = threads
    t = time.perf_counter()
    st = s.Solve(m)
    return time.perf_counter() - t, s.ObjectiveValue() / scale, s.BestObjectiveBound() / scale, s.StatusName(st)


def scip(cost, a, lower, upper, limit: float, threads: int):
    from ortools.linear_solver import pywraplp

    s = pywraplp.Solver.CreateSolver("SCIP")
    s.SetNumThreads(threads)
    s.SetTimeLimit(int(limit * 1000))
    x = [s.IntVar(0, s.infinity(), f"x{j}") for j in range(len(cost))]
    ar = a.tocsr()
    for i in range(ar.shape[0]):
        lo = lower[i] if np.isfinite(lower[i]) else -s.infinity()
        hi = upper[i] if np.isfinite(upper[i]) else s.infinity()
        c = s.Constraint(lo, hi)
        for j, v in zip(ar.indices[ar.indptr[i]:ar.indptr[i + 1]], ar.data[ar.indptr[i]:ar.indptr[i + 1]]):
            c.SetCoefficient(x[j], float(v))
    obj = s.Objective()
    for j, c in enumerate(cost):
        obj.SetCoefficient(x[j], float(c))
    obj.SetMinimization()
    params = pywraplp.MPSolverParameters()
    params.SetDoubleParam(params.RELATIVE_MIP_GAP, 0.0)
    t = time.perf_counter()
    st = s.Solve(params)
    names = {s.OPTIMAL: "optimal", s.FEASIBLE: "feasible (time limit)", s.INFEASIBLE: "infeasible"}
    return time.perf_counter() - t, obj.Value(), obj.BestBound(), names.get(st, str(st))


SOLVERS = {"HiGHS (highspy)": highs, "OR-Tools CP-SAT": cp_sat, "OR-Tools SCIP (pywraplp)": scip}


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("instance", help="the .npz written by bench_staffing.py --export-roster")
    ap.add_argument("--time-limit", type=float, default=60.0)
    ap.add_argument("--threads", type=int, nargs="+", default=[1, 2])
    args = ap.parse_args()
    cost, a, lower, upper = load(args.instance)
    print(f"instance: {len(cost)} columns, {a.shape[0]} rows, {a.nnz} non-zeros; time limit {args.time_limit:g} s")
    print("| solver | threads | seconds | paid hours found | lower bound | status |")
    print("|---|---:|---:|---:|---:|---|")
    for name, fn in SOLVERS.items():
        # HiGHS fixes its thread pool at the first run of a process: one setting per process (and its branch
        # and bound is serial anyway), so it runs with the first thread count only
        for threads in args.threads[:1] if fn is highs else args.threads:
            try:
                secs, best, bound, status = fn(cost, a, lower, upper, args.time_limit, threads)
            except ImportError as exc:
                print(f"| {name} | {threads} | | | | not installed ({exc.name}) |")
                break
            print(f"| {name} | {threads} | {secs:.1f} | {best:.1f} | {bound:.1f} | {status} |", flush=True)


if __name__ == "__main__":
    main()
