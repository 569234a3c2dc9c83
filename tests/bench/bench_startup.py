#!/usr/bin/python3
"""Start-up benchmark, run under Xvfb: the time from spawning the program to the first frame
of its window, Triad's application (as `triad` starts) against a bare GTK 4 window, and the
peak memory (VmHWM) with the three shipped models loaded, in the window and in the engine
alone. Medians of several starts. The second argument chooses the last line:
first-frame  RESULT name=startup-first-frame triad=<ms> ref=<ms bare GTK window> ratio=… unit=ms
memory       RESULT name=peak-memory-3-models triad=<MB> ref=<MB bare GTK window> ratio=… unit=MB"""
import statistics
import subprocess
import sys
import time

REPS = 7


def start(exe, mode):
    t0 = time.monotonic()
    out = subprocess.run([exe, mode], check=True, capture_output=True, text=True,
                         timeout=120).stdout
    values = dict(line.split(None, 1) for line in out.splitlines() if " " in line)
    first = (int(values["FIRST_FRAME"]) / 1e6 - t0) * 1000 if "FIRST_FRAME" in values else None
    return first, values


def main():
    exe, what = sys.argv[1], sys.argv[2]
    triad, plain, hwm_triad, hwm_plain = [], [], [], []
    start(exe, "plain")                      # warm the caches: fonts, shaders, the files
    start(exe, "triad")
    for _ in range(REPS):
        ms, v = start(exe, "plain")
        plain.append(ms)
        hwm_plain.append(int(v["VMHWM_KB_FIRST_FRAME"]) / 1024)
        ms, v = start(exe, "triad")
        triad.append(ms)
        hwm_triad.append(int(v["VMHWM_KB_MODELS"]) / 1024)
    _, v = start(exe, "engine")
    engine = int(v["VMHWM_KB_MODELS"]) / 1024
    t, p = statistics.median(triad), statistics.median(plain)
    mt, mp = statistics.median(hwm_triad), statistics.median(hwm_plain)
    print(f"first frame: Triad {t:.0f} ms (goal 300), a bare GTK window {p:.0f} ms")
    print(f"peak memory: Triad with the three models {mt:.1f} MB (goal 150), "
          f"a bare GTK window {mp:.1f} MB, the engine alone with the three models {engine:.1f} MB")
    if what == "first-frame":
        print(f"RESULT name=startup-first-frame triad={t:.0f} ref={p:.0f} ratio={t / p:.2f} "
              f"unit=ms", flush=True)
    else:
        print(f"RESULT name=peak-memory-3-models triad={mt:.1f} ref={mp:.1f} "
              f"ratio={mt / mp:.2f} unit=MB", flush=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
