"""The `ciro-fuzz` command: parses arguments into Settings and calls one function per verb."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from ciro_fuzz.errors import CiroFuzzError, ConfigError


class _Parser(argparse.ArgumentParser):
    def error(self, message: str) -> None:  # one line, exit 2, like every other bad input
        raise ConfigError(f"{self.prog}: {message} (see `{self.prog} --help`)")


def _parser() -> argparse.ArgumentParser:
    parser = _Parser(prog="ciro-fuzz", description="Property-based testing of CIRO's Starknet batch operations")
    verbs = parser.add_subparsers(dest="verb", required=True, parser_class=_Parser)

    tool = verbs.add_parser("toolchain", help="install or locate devnet, compiler and corelib")
    tool.add_argument("action", choices=["install", "path"])
    verbs.add_parser("doctor", help="check every piece and start one devnet")

    build = verbs.add_parser("build", help="compile the contracts (cached by source hash)")
    build.add_argument("--mutant", help="build a planted-bug variant from contracts/mutants/NAME.patch")

    devnet = verbs.add_parser("devnet", help="start a devnet in the foreground and print its URL")
    devnet.add_argument("--seed", type=int, default=0)
    devnet.add_argument("--block-generation", default="transaction")

    verbs.add_parser("smoke", help="compile, deploy, invoke and read back: a smoke check of the stack")

    run = verbs.add_parser("run", help="run a fuzz campaign")
    _campaign_args(run)

    mutants = verbs.add_parser("mutants", help="run the ci campaign against every planted bug; print the kill table")
    mutants.add_argument("--only", nargs="*", help="mutant names (default: all)")
    mutants.add_argument("--report-dir", type=Path, default=Path("reports") / "mutants")
    mutants.add_argument("--seed", type=int, default=0)
    mutants.add_argument("--shrink-budget", type=float, default=0.0, help="seconds per record; 0 = do not shrink")

    for verb, text in (("replay", "replay a failure record on a fresh devnet, twice"), ("shrink", "shrink a failure record"), ("export", "write a failure record as a plain pytest test")):
        cmd = verbs.add_parser(verb, help=text)
        cmd.add_argument("record", type=Path)
        if verb == "shrink":
            cmd.add_argument("--budget", type=float, default=300.0, help="seconds")
        if verb == "export":
            cmd.add_argument("--out-dir", type=Path, default=Path("tests") / "regressions")

    submit = verbs.add_parser("submit", help="submit a JSON/CSV file of operations through the SDK (journalled, resumable)")
    submit.add_argument("file", type=Path)
    submit.add_argument("--rpc-url", default=None, help="node to use; default: start a devnet and deploy the contracts on it")
    submit.add_argument("--jobs", default=None, help="JobMgr address (with --rpc-url)")
    submit.add_argument("--pool", default=None, help="CDC Pool address (with --rpc-url)")
    submit.add_argument("--account-address", default=None, help="with --keystore; else CIRO_ACCOUNT_ADDRESS")
    submit.add_argument("--keystore", type=Path, default=None, help="encrypted key file; password in CIRO_KEYSTORE_PASSWORD")
    submit.add_argument("--account-index", type=int, default=None, help="a predeployed devnet account (default on devnet)")
    submit.add_argument("--mode", choices=["atomic", "partial"], default=None)
    submit.add_argument("--packed", action="store_true", help="packed calldata where the entrypoint has it")
    submit.add_argument("--journal", type=Path, default=None, help="journal path (rerun with it to resume)")
    submit.add_argument("--window", type=int, default=4, help="chunks simulated and sent per round")
    submit.add_argument("--max-l2-gas", type=int, default=None, help="L2 gas cap per transaction")
    submit.add_argument("--gas-margin", type=float, default=None, help="safety margin over simulated gas (0.2 = 20 %%)")
    submit.add_argument("--metrics", type=Path, default=None, help="also write the metrics in Prometheus text format here")

    report = verbs.add_parser("report", help="rebuild summary.json, junit.xml and report.html from a campaign folder")
    report.add_argument("report_dir", type=Path)

    bench = verbs.add_parser("bench", help="benchmarks, written to reports/bench/")
    bench.add_argument("what", choices=["devnet", "gas", "throughput", "sdk"])
    bench.add_argument("--runs", type=int, default=3)
    bench.add_argument("--out-dir", type=Path, default=Path("reports") / "bench")
    return parser


def _campaign_args(cmd: argparse.ArgumentParser) -> None:
    cmd.add_argument("--profile", default="ci", choices=["ci", "dev", "long"])
    cmd.add_argument("--seed", type=int, default=None)
    cmd.add_argument("--workers", type=int, default=None)
    cmd.add_argument("--duration", type=float, default=None, help="seconds")
    cmd.add_argument("--examples", type=int, default=None)
    cmd.add_argument("--steps", type=int, default=None)
    cmd.add_argument("--report-dir", type=Path, default=None)
    cmd.add_argument("--database", default=None, help="example database: a directory or redis://host:port/db")
    cmd.add_argument("--rpc-url", default=None, help="use this node instead of starting devnets")
    cmd.add_argument("--mutant", default=None, help="fuzz a planted-bug build")


def main(argv: list[str] | None = None) -> int:
    try:
        args = _parser().parse_args(argv)
        return int(_dispatch(args) or 0)
    except CiroFuzzError as exc:
        print(f"ciro-fuzz: {exc}", file=sys.stderr)
        return exc.exit_code
    except KeyboardInterrupt:
        print("ciro-fuzz: interrupted", file=sys.stderr)
        return 130


def _dispatch(args: argparse.Namespace) -> int | None:
    verb = args.verb
    if verb == "toolchain":
        from ciro_fuzz import toolchain

        found = toolchain.install() if args.action == "install" else toolchain.locate()
        for name, detail in found.describe().items():
            print(f"{name:<24} {detail}")
        return 0
    if verb == "doctor":
        from ciro_fuzz.toolchain._doctor import doctor

        return doctor()
    if verb == "build":
        from ciro_fuzz.build import build

        result = build(mutant=args.mutant)
        for name, artifact in sorted(result.artifacts.items()):
            print(f"{name:<14} {artifact.sierra}")
        return 0
    if verb == "devnet":
        return _devnet(args)
    if verb == "smoke":
        from ciro_fuzz.engine.smoke import smoke

        return smoke()
    if verb == "bench":
        from ciro_fuzz.bench import run_bench

        return run_bench(args.what, runs=args.runs, out_dir=args.out_dir)
    if verb == "run":
        from ciro_fuzz.engine.campaign import run_campaign
        from ciro_fuzz.settings import profile

        settings = profile(
            args.profile, seed=args.seed, workers=args.workers, duration=args.duration, examples=args.examples,
            steps=args.steps, report_dir=args.report_dir, database=args.database, rpc_url=args.rpc_url, mutant=args.mutant,
        )
        return run_campaign(settings)
    if verb == "mutants":
        from ciro_fuzz.engine.mutants import run_mutants

        return run_mutants(only=args.only, report_dir=args.report_dir, seed=args.seed, shrink_budget=args.shrink_budget)
    if verb in ("replay", "shrink", "export"):
        from ciro_fuzz import records

        return getattr(records, f"cli_{verb}")(args)
    if verb == "submit":
        from ciro_fuzz.sdk.cli import submit_file

        return submit_file(args)
    if verb == "report":
        from ciro_fuzz.report import rebuild

        return rebuild(args.report_dir)
    raise ConfigError(f"unknown verb {verb}")


def _devnet(args: argparse.Namespace) -> int:
    import time

    from ciro_fuzz.chain.pool import Devnet, DevnetOptions
    from ciro_fuzz.toolchain import locate

    with Devnet(locate().devnet, DevnetOptions(seed=args.seed, block_generation=args.block_generation)) as devnet:
        print(f"devnet ready at {devnet.rpc_url} (log {devnet.log_path}); Ctrl-C stops it", flush=True)
        while devnet.alive():
            time.sleep(1)
    return 0


if __name__ == "__main__":
    sys.exit(main())
