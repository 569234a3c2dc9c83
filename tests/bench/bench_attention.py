#!/usr/bin/python3
"""Attention kernel benchmark: Triad's kernel against PyTorch on the same q, k, v and the
same thread count, side by side in one run; and against OpenBLAS's two GEMMs of the same
shapes (the floor: Q Kᵀ and W V alone, no softmax). Prints per size and thread count:
RESULT name=<id> triad=<ms> ref=<ms> ratio=<triad/ref> unit=ms
RESULT name=<id>-vs-gemm triad=<ms> ref=<gemm ms> ratio=<triad/gemm> unit=ms"""
import json
import os
import statistics
import subprocess
import sys
import tempfile
import time

import numpy as np

try:
    import torch
except ImportError:
    print("python3-torch is not installed: the PyTorch side cannot run")
    sys.exit(77)


def torch_attention(q, k, v):
    # the same work as Triad's kernel: scores, softmax weights kept, weighted sum
    w = torch.softmax(q @ k.T / (q.shape[1] ** 0.5), dim=-1)
    return w @ v, w


def main():
    exe = sys.argv[1]
    d = 64
    sizes = [256, 1024, 4096]
    cpu = os.cpu_count() or 1
    threads = sorted({1, cpu})
    rng = np.random.default_rng(0)
    with tempfile.TemporaryDirectory() as tmp:
        for n in sizes:
            q, k, v = (rng.standard_normal((n, d), dtype=np.float32) for _ in range(3))
            path = os.path.join(tmp, f"qkv-{n}.bin")
            with open(path, "wb") as f:
                f.write(np.array([n, d], dtype=np.int32).tobytes())
                for t in (q, k, v):
                    f.write(t.tobytes())
            reps = 30 if n < 4096 else 7
            tq, tk, tv = (torch.from_numpy(t) for t in (q, k, v))
            for t in threads:
                env = dict(os.environ, OPENBLAS_NUM_THREADS=str(t))
                res = json.loads(subprocess.check_output([exe, path, str(reps)], env=env))
                torch.set_num_threads(t)
                with torch.no_grad():
                    out, _ = torch_attention(tq, tk, tv)
                    times = []
                    for _ in range(reps):
                        t0 = time.perf_counter()
                        out, _ = torch_attention(tq, tk, tv)
                        times.append((time.perf_counter() - t0) * 1000)
                ref = statistics.median(times)
                check = float(out.double().sum())
                if abs(check - res["checksum"]) > 1e-3 * max(1.0, abs(check)):
                    print(f"checksums differ: triad {res['checksum']} torch {check}")
                    return 1
                ratio = res["median_ms"] / ref
                print(f"RESULT name=attention-n{n}-d{d}-t{t} triad={res['median_ms']:.3f} "
                      f"ref={ref:.3f} ratio={ratio:.2f} unit=ms", flush=True)
                print(f"RESULT name=attention-n{n}-d{d}-t{t}-vs-gemm triad={res['median_ms']:.3f} "
                      f"ref={res['gemm_ms']:.3f} ratio={res['median_ms'] / res['gemm_ms']:.2f} "
                      "unit=ms", flush=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
