"""`make test-numerics`: every notebook under strict nbval in each floating-point variant, then the margins.

The stored outputs were computed on one machine; a reader's CPU may add in another order. Each variant
below changes how TensorFlow computes on this machine, in a fresh kernel per notebook:

- oneDNN capped at each instruction set it dispatches on (``ONEDNN_MAX_CPU_ISA``: SSE4.1, AVX, AVX2,
  AVX-512) and uncapped (the machine's best, with two threads: the "default" variant);
- oneDNN off (``TF_ENABLE_ONEDNN_OPTS=0``): TensorFlow's Eigen kernels, the closest proxy here for the
  builds without oneDNN (macOS on Apple silicon, other ARM machines);
- one thread: each notebook pinned to one core (scripts/one_core.py --each-worker), so every reduction
  runs in one piece.

Every variant must reproduce every stored output. Each records every printed number unrounded
(scripts/printed_numbers.py) into ``_build/numerics/<variant>/``; the report then gives each number's
spread across the variants and its distance from a rounding boundary (``_build/numerics/margins.md``).
The exit status is 1 if a variant failed or a number is fragile.

Usage: python scripts/test_numerics.py [VARIANT ...] [-- PYTEST ARGS]   (default: every variant, book/)
"""

from __future__ import annotations

import os
import shutil
import signal
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
OUT = ROOT / "_build" / "numerics"
ONE_CORE = [sys.executable, str(ROOT / "scripts" / "one_core.py")]

# name: (environment, runs on one core)
VARIANTS: dict[str, tuple[dict[str, str], bool]] = {
    "default": ({}, False),
    "sse41": ({"ONEDNN_MAX_CPU_ISA": "SSE41"}, False),
    "avx": ({"ONEDNN_MAX_CPU_ISA": "AVX"}, False),
    "avx2": ({"ONEDNN_MAX_CPU_ISA": "AVX2"}, False),
    "avx512": ({"ONEDNN_MAX_CPU_ISA": "AVX512_CORE"}, False),
    "eigen": ({"TF_ENABLE_ONEDNN_OPTS": "0"}, False),
    "one-core": ({}, True),
}
TIMEOUT = 40 * 60  # seconds per variant (a hung notebook must not hang the matrix)


def run_variant(name: str, pytest_args: list[str]) -> tuple[str, float]:
    environment, one_core = VARIANTS[name]
    log = OUT / name  # each notebook's kernel starts its own file there afresh
    if pytest_args == ["book"]:
        shutil.rmtree(log, ignore_errors=True)
    env = {**os.environ, **environment, "DLNOTES_PRINTED_LOG": str(log), "DLNOTES_PRINTED_CHECK": "0"}
    # two notebooks at a time (as `make test` runs them); on one core, each worker on a core of its own
    command = [sys.executable, "-m", "pytest", "-q", "-n", "2", "--dist", "loadfile"]
    command += ["--no-loadscope-reorder", *pytest_args]  # the longest notebooks first (conftest.py)
    if one_core:
        command = [*ONE_CORE, "--each-worker", *command]
    shown = " ".join(
        [
            *(f"{k}={v}" for k, v in environment.items()),
            *(["one_core.py"] if one_core else []),
            "pytest",
            *pytest_args,
        ]
    )
    print(f"== variant {name}: {shown}", flush=True)
    start = time.perf_counter()
    with (OUT / f"{name}.log").open("w") as output:
        process = subprocess.Popen(
            command, cwd=ROOT, env=env, stdout=output, stderr=subprocess.STDOUT, start_new_session=True
        )
        try:
            status = "pass" if process.wait(timeout=TIMEOUT) == 0 else "FAIL"
        except subprocess.TimeoutExpired:
            os.killpg(process.pid, signal.SIGKILL)  # the session it started: pytest and its kernels
            process.wait()
            status = f"TIMEOUT after {TIMEOUT} s"
    seconds = time.perf_counter() - start
    last = (OUT / f"{name}.log").read_text(errors="replace").strip().splitlines()[-1:] or [""]
    print(f"   {status} in {seconds:.0f} s: {last[0]}", flush=True)
    return status, seconds


def main(argv: list[str]) -> int:
    names, pytest_args = argv, ["book"]
    if "--" in argv:
        index = argv.index("--")
        names, pytest_args = argv[:index], argv[index + 1 :]
    names = names or list(VARIANTS)
    unknown = [n for n in names if n not in VARIANTS]
    if unknown:
        print(f"unknown variant(s) {unknown}; expected some of {list(VARIANTS)}", file=sys.stderr)
        return 2
    OUT.mkdir(parents=True, exist_ok=True)
    results = {name: run_variant(name, pytest_args) for name in names}
    lines = [
        "| variant | result | seconds |",
        "| --- | --- | --- |",
        *(f"| {n} | {s} | {t:.0f} |" for n, (s, t) in results.items()),
    ]
    (OUT / "variants.md").write_text("\n".join(lines) + "\n")
    print("\n".join(lines))
    sys.path.insert(0, str(ROOT / "scripts"))
    import printed_numbers

    fragile = printed_numbers.report([OUT / n for n in VARIANTS if (OUT / n).is_dir()], OUT / "margins")
    failed = [n for n, (s, _) in results.items() if s != "pass"]
    if failed:
        print(
            f"test-numerics: variant(s) {', '.join(failed)} did not reproduce the stored outputs "
            f"(logs: {OUT}/<variant>.log)",
            file=sys.stderr,
        )
    return 1 if failed or fragile else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
