"""Run every benchmark and rewrite docs/benchmarks.md (``make bench``)."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from bench import bot_throughput, engine, reminders, tui, voice
from bench.figures import write_report

BENCHES = (engine, bot_throughput, reminders, tui, voice)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--quick", action="store_true")
    parser.add_argument("--write", type=Path, help="rewrite this report file")
    args = parser.parse_args()
    figures = []
    for bench in BENCHES:
        results = bench.run(args.quick)
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
