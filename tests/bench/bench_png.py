#!/usr/bin/python3
"""PNG export benchmark: a 4,096 × 4,096 attention heatmap exported by Triad's figure code
(bench-png) against matplotlib's imshow + savefig of the same matrix at the same size in
pixels, with a title and a colour bar on both sides, side by side in one run. Each time is
the whole export, from the matrix to the file. Last line:
RESULT name=png-export-4096 triad=<ms> ref=<ms> ratio=<triad/ref> unit=ms"""
import json
import os
import statistics
import subprocess
import sys
import tempfile
import time

import numpy as np

try:
    import matplotlib
    matplotlib.use("Agg")
    import matplotlib.pyplot as plt
except ImportError:
    print("python3-matplotlib is not installed: the reference cannot run")
    sys.exit(77)

N = 4096
WIDTH, HEIGHT, DPI = 1200, 1000, 100
REPS = 5


def matplotlib_export(m, path):
    fig = plt.figure(figsize=(WIDTH / DPI, HEIGHT / DPI), dpi=DPI)
    ax = fig.add_subplot()
    im = ax.imshow(m, cmap="viridis", aspect="auto")
    ax.set_title(f"{N} × {N}")
    fig.colorbar(im, ax=ax, label="attention weight")
    fig.savefig(path, dpi=DPI)
    plt.close(fig)


def main():
    exe = sys.argv[1]
    rng = np.random.default_rng(0)
    m = rng.random((N, N), dtype=np.float32)
    m /= m.sum(axis=1, keepdims=True)
    with tempfile.TemporaryDirectory() as tmp:
        path = os.path.join(tmp, "matrix.bin")
        with open(path, "wb") as f:
            f.write(np.array([N], dtype=np.int32).tobytes())
            f.write(m.tobytes())
        triad_png = os.path.join(tmp, "triad.png")
        res = json.loads(subprocess.check_output(
            [exe, path, triad_png, str(WIDTH), str(HEIGHT), str(REPS)]))
        ref_png = os.path.join(tmp, "matplotlib.png")
        matplotlib_export(m, ref_png)          # warm-up: fonts, caches
        times = []
        for _ in range(REPS):
            t0 = time.perf_counter()
            matplotlib_export(m, ref_png)
            times.append((time.perf_counter() - t0) * 1000)
        ref = statistics.median(times)
        print(f"Triad: {res['median_ms']:.1f} ms, {res['bytes']} bytes; matplotlib {matplotlib.__version__}: "
              f"{ref:.1f} ms, {os.path.getsize(ref_png)} bytes; {WIDTH} × {HEIGHT} pixels")
        print(f"RESULT name=png-export-{N} triad={res['median_ms']:.1f} ref={ref:.1f} "
              f"ratio={res['median_ms'] / ref:.3f} unit=ms", flush=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
