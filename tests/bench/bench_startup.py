#!/usr/bin/python3
"""Start-up benchmark, run under Xvfb: the time from spawning the program to the first frame
of its window, Triad's application (as `triad` starts) against a bare GTK 4 window, and the
peak memory (VmHWM) with the three shipped models loaded, in the window and in the engine
alone. Medians of several starts, the two programs alternating. Both draw with the renderer
Triad chooses (Cairo where GL would be rasterised in software, as on Xvfb); the same pair is
then measured with GTK's GL renderer forced, for comparison. The second argument chooses the
last line:
first-frame  RESULT name=startup-first-frame triad=<ms> ref=<ms bare GTK window> ratio=… unit=ms
memory       RESULT name=peak-memory-3-models triad=<MB> ref=<MB bare GTK window> ratio=… unit=MB"""
import os
import statistics
import subprocess
import sys
import time

REPS = 7


def start(exe, mode, renderer=None):
    env = dict(os.environ)
    env.pop("GSK_RENDERER", None)
    if renderer:
        env["GSK_RENDERER"] = renderer
    t0 = time.monotonic()
    out = subprocess.run([exe, mode], check=True, capture_output=True, text=True,
                         timeout=120, env=env).stdout
    values = dict(line.split(None, 1) for line in out.splitlines() if " " in line)
    first = (int(values["FIRST_FRAME"]) / 1e6 - t0) * 1000 if "FIRST_FRAME" in values else None
    return first, values


def measure(exe, renderer):
    triad, plain, hwm_triad, hwm_plain, names = [], [], [], [], set()
    start(exe, "plain", renderer)            # warm the caches: fonts, shaders, the files
    start(exe, "triad", renderer)
    for _ in range(REPS):
        ms, v = start(exe, "plain", renderer)
        plain.append(ms)
        hwm_plain.append(int(v["VMHWM_KB_FIRST_FRAME"]) / 1024)
        ms, v = start(exe, "triad", renderer)
        triad.append(ms)
        hwm_triad.append(int(v["VMHWM_KB_MODELS"]) / 1024)
        names.add(v["RENDERER"])
    return (statistics.median(triad), statistics.median(plain), statistics.median(hwm_triad),
            statistics.median(hwm_plain), ", ".join(sorted(names)))


def main():
    exe, what = sys.argv[1], sys.argv[2]
    t, p, mt, mp, name = measure(exe, None)
    gt, gp, gmt, gmp, gname = measure(exe, "gl")
    _, v = start(exe, "engine")
    engine = int(v["VMHWM_KB_MODELS"]) / 1024
    print(f"renderer as Triad chooses it: {name}")
    print(f"  first frame: Triad {t:.0f} ms (goal 300), a bare GTK window {p:.0f} ms")
    print(f"  peak memory: Triad with the three models {mt:.1f} MB (goal 150), "
          f"a bare GTK window {mp:.1f} MB")
    print(f"renderer forced to GL: {gname}")
    print(f"  first frame: Triad {gt:.0f} ms, a bare GTK window {gp:.0f} ms")
    print(f"  peak memory: Triad with the three models {gmt:.1f} MB, a bare GTK window {gmp:.1f} MB")
    print(f"the engine alone with the three models: {engine:.1f} MB")
    if what == "first-frame":
        print(f"RESULT name=startup-first-frame triad={t:.0f} ref={p:.0f} ratio={t / p:.2f} "
              f"unit=ms", flush=True)
    else:
        print(f"RESULT name=peak-memory-3-models triad={mt:.1f} ref={mp:.1f} "
              f"ratio={mt / mp:.2f} unit=MB", flush=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
