#!/usr/bin/python3
"""The time from choosing a model folder in the window to its first heatmap, under Xvfb: a
GPT-2 small (124 M, random weights of the real shapes) folder in F32 (mapped in place) and in
BF16 (widened), each chosen in three fresh windows; the median of those first choices (the
folder's file in the page cache after the first) and of choosing it again in the same window
(the model kept). Prints RESULT lines (ref: the shipped decoder's first heatmap, for scale).
Usage: bench_open_model.py BENCH_OPEN_MODEL_EXE"""
import importlib.util
import os
import statistics
import subprocess
import sys
import tempfile

try:
    import torch
except ImportError:
    print("python3-torch is not installed: the model folder cannot be written")
    sys.exit(77)

HERE = os.path.dirname(os.path.abspath(__file__))
spec = importlib.util.spec_from_file_location("bench_gpt2", os.path.join(HERE, "bench_gpt2.py"))
gpt2 = importlib.util.module_from_spec(spec)
spec.loader.exec_module(gpt2)


def run(exe, folder, reps):
    out = subprocess.run(["xvfb-run", "-a", "-s", "-screen 0 1600x1000x24", exe, folder, str(reps)],
                         capture_output=True, text=True, timeout=900, check=True).stdout
    return [float(l.split()[1]) for l in out.splitlines() if l.startswith("OPEN_MS")]


def main():
    exe = sys.argv[1]
    w = gpt2.make_weights()
    config = {"model_type": "gpt2", "vocab_size": gpt2.V, "n_embd": gpt2.D, "n_head": gpt2.H,
              "n_layer": gpt2.L, "n_positions": gpt2.T, "activation_function": "gelu_new",
              "layer_norm_epsilon": 1e-5}
    with tempfile.TemporaryDirectory() as tmp:
        for dtype, name in ((torch.float32, "f32"), (torch.bfloat16, "bf16")):
            folder = os.path.join(tmp, name)
            gpt2.ref.write_folder(folder, config, {"transformer." + n: t for n, t in w.items()}, dtype)
            gpt2.ref.gpt2_tokenizer(folder)
            first, again = [], []
            for _ in range(3):
                times = run(exe, folder, 2)
                first.append(times[0])
                again.append(times[1])
            print(f"RESULT name=gpt2-{name}-choose-to-heatmap triad={statistics.median(first):.0f} "
                  f"ref=0 ratio=0 unit=ms (first choice in a fresh window)", flush=True)
            print(f"RESULT name=gpt2-{name}-choose-again triad={statistics.median(again):.0f} "
                  f"ref=0 ratio=0 unit=ms (the model kept)", flush=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
