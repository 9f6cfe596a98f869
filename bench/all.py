"""Run every benchmark and rewrite docs/benchmarks.md (``make bench``; ``make bench-quick`` runs
the short variants).

Each benchmark runs in turn (they share the machine, so never two at once). One that fails
outright still leaves a row saying so, and the others run."""

from __future__ import annotations

import argparse
import sys
import traceback
from pathlib import Path

from bench import bot_throughput, chaos, engine, load, reminders, tui, voice
from bench.figures import Figure, write_report

BENCHES = (engine, bot_throughput, reminders, tui, voice, chaos, load)


def _name(bench: object) -> str:
    return str(getattr(bench, "__name__", "bench")).rsplit(".", 1)[-1]


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--quick", action="store_true")
    parser.add_argument("--write", type=Path, help="rewrite this report file")
    parser.add_argument(
        "--only", action="append", default=[], help="run only these (e.g. --only chaos)"
    )
    args = parser.parse_args()
    figures: list[Figure] = []
    for bench in BENCHES:
        if args.only and _name(bench) not in args.only:
            continue
        try:
            results = bench.run(args.quick)
        except Exception as error:
            traceback.print_exc()
            results = [
                Figure(_name(bench), "the benchmark ran", 0.0, "", 1.0, type(error).__name__)
            ]
        for figure in results:
            print(figure.line(), flush=True)
        figures.extend(results)
    if args.write:
        command = "make bench" if not args.quick else "make bench-quick"
        write_report(args.write, figures, command)
        print(f"wrote {args.write}")
    missed = [f for f in figures if f.met is False]
    if missed:
        print(f"{len(missed)} target(s) not met", file=sys.stderr)
    return 1 if missed else 0


if __name__ == "__main__":
    raise SystemExit(main())
