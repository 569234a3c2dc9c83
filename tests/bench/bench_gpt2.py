#!/usr/bin/python3
"""GPT-2 small (124 M parameters, random weights of the real shapes) through Triad and through a
PyTorch implementation of the same model, side by side in one run, with the same thread count:
a forward pass over 1,024 tokens with one layer's attention kept (every head), and a decoding
step with the KV cache after 1,023 tokens. Then the memory of opening the folder: Triad maps an
F32 file (goal: peak ≤ 1.1 × the file) and widens a BF16 one (report; goal ≤ 2.2 ×).

Prints RESULT lines: RESULT name=<id> triad=<value> ref=<value> ratio=<triad/ref> unit=<unit>
Usage: bench_gpt2.py BENCH_GPT2_EXE"""
import importlib.util
import json
import os
import statistics
import subprocess
import sys
import tempfile
import time

try:
    import torch
except ImportError:
    print("python3-torch is not installed: the PyTorch side cannot run")
    sys.exit(77)

HERE = os.path.dirname(os.path.abspath(__file__))
spec = importlib.util.spec_from_file_location(
    "reference_hf", os.path.join(HERE, "..", "reference", "reference-hf.py"))
ref = importlib.util.module_from_spec(spec)
spec.loader.exec_module(ref)

V, D, H, L, T = 50257, 768, 12, 12, 1024
N, REPS, THREADS = 1024, 5, min(2, os.cpu_count() or 1)
LAYER = L // 2


def make_weights():
    g = torch.Generator().manual_seed(124)
    r = lambda *s: torch.randn(*s, generator=g) * 0.02
    w = {"wte.weight": r(V, D), "wpe.weight": r(T, D), "ln_f.weight": torch.ones(D),
         "ln_f.bias": torch.zeros(D)}
    for l in range(L):
        p = f"h.{l}."
        w.update({p + "ln_1.weight": torch.ones(D), p + "ln_1.bias": torch.zeros(D),
                  p + "ln_2.weight": torch.ones(D), p + "ln_2.bias": torch.zeros(D),
                  p + "attn.c_attn.weight": r(D, 3 * D), p + "attn.c_attn.bias": r(3 * D),
                  p + "attn.c_proj.weight": r(D, D), p + "attn.c_proj.bias": r(D),
                  p + "mlp.c_fc.weight": r(D, 4 * D), p + "mlp.c_fc.bias": r(4 * D),
                  p + "mlp.c_proj.weight": r(4 * D, D), p + "mlp.c_proj.bias": r(D)})
    return w


def ln(x, w, b):
    return torch.nn.functional.layer_norm(x, (D,), w, b, 1e-5)


def block_qkv(w, p, x):
    h = ln(x, w[p + "ln_1.weight"], w[p + "ln_1.bias"])
    q, k, v = (h @ w[p + "attn.c_attn.weight"] + w[p + "attn.c_attn.bias"]).split(D, dim=-1)
    return [t.view(-1, H, D // H).transpose(0, 1) for t in (q, k, v)]


def block_rest(w, p, x, a):
    x = x + a.transpose(0, 1).reshape(-1, D) @ w[p + "attn.c_proj.weight"] + w[p + "attn.c_proj.bias"]
    h = ln(x, w[p + "ln_2.weight"], w[p + "ln_2.bias"])
    h = torch.nn.functional.gelu(h @ w[p + "mlp.c_fc.weight"] + w[p + "mlp.c_fc.bias"],
                                 approximate="tanh")
    return x + h @ w[p + "mlp.c_proj.weight"] + w[p + "mlp.c_proj.bias"]


def attend(q, k, v, causal):
    # Debian's PyTorch (1.13) has no scaled_dot_product_attention: the product, as its GPT-2 does
    s = (q @ k.transpose(1, 2)) / (D // H) ** 0.5
    if causal:
        n = s.shape[-1]
        s = s.masked_fill(torch.ones(n, n, dtype=torch.bool).triu(1), float("-inf"))
    w = torch.softmax(s, -1)
    return w @ v, w


def forward(w, ids, keep_layer):
    """Logits of every position and the attention weights of one layer, every head."""
    n = len(ids)
    x = w["wte.weight"][ids] + w["wpe.weight"][:n]
    kept = None
    for l in range(L):
        p = f"h.{l}."
        q, k, v = block_qkv(w, p, x)
        a, weights = attend(q, k, v, True)
        if l == keep_layer:
            kept = weights
        x = block_rest(w, p, x, a)
    return ln(x, w["ln_f.weight"], w["ln_f.bias"]) @ w["wte.weight"].T, kept


def decode_step(w, ids):
    """Prefill ids[:-1] keeping each layer's K and V, then time the last token alone."""
    n = len(ids)
    cache = []
    x = w["wte.weight"][ids[:-1]] + w["wpe.weight"][:n - 1]
    for l in range(L):
        p = f"h.{l}."
        q, k, v = block_qkv(w, p, x)
        cache.append((k, v))
        x = block_rest(w, p, x, attend(q, k, v, True)[0])
    t0 = time.perf_counter()
    x = w["wte.weight"][ids[-1:]] + w["wpe.weight"][n - 1:n]
    for l in range(L):
        p = f"h.{l}."
        q, k, v = block_qkv(w, p, x)
        k = torch.cat([cache[l][0], k], 1)
        v = torch.cat([cache[l][1], v], 1)
        x = block_rest(w, p, x, attend(q, k, v, False)[0])
    ln(x, w["ln_f.weight"], w["ln_f.bias"]) @ w["wte.weight"].T
    return (time.perf_counter() - t0) * 1000


def name_of(dtype):
    return "f32" if dtype == torch.float32 else "bf16"


def main():
    exe = sys.argv[1]
    torch.set_num_threads(THREADS)
    w = make_weights()
    ids = torch.tensor([(i * 7919 + 13) % V for i in range(N)])
    config = {"model_type": "gpt2", "vocab_size": V, "n_embd": D, "n_head": H, "n_layer": L,
              "n_positions": T, "activation_function": "gelu_new", "layer_norm_epsilon": 1e-5}
    with tempfile.TemporaryDirectory() as tmp:
        results = {}
        for dtype in (torch.float32, torch.bfloat16):
            folder = os.path.join(tmp, str(dtype).split(".")[-1])
            ref.write_folder(folder, config, {"transformer." + n: t for n, t in w.items()}, dtype)
            ref.gpt2_tokenizer(folder)  # a model is opened with its tokenizer
            env = dict(os.environ, OPENBLAS_NUM_THREADS=str(THREADS))
            out = subprocess.check_output([exe, folder, str(N), str(REPS if dtype == torch.float32 else 1)],
                                          env=env)
            results[dtype] = json.loads(out)
            print(f"triad, {name_of(dtype)}: {out.decode().strip()}", flush=True)

    t = results[torch.float32]
    with torch.no_grad():
        fwd = []
        for _ in range(REPS):
            t0 = time.perf_counter()
            logits, _ = forward(w, ids, LAYER)
            fwd.append((time.perf_counter() - t0) * 1000)
        steps = [decode_step(w, ids) for _ in range(REPS)]
    check = float(logits[-1].double().sum())
    if abs(check - t["checksum"]) > 1e-2 * max(1.0, abs(check)):
        print(f"the last position's logits differ: triad sums {t['checksum']}, torch {check}")
        return 1
    ref_fwd, ref_step = statistics.median(fwd), statistics.median(steps)
    print(f"RESULT name=gpt2-forward-n{N}-t{THREADS} triad={t['forward_ms']:.1f} "
          f"ref={ref_fwd:.1f} ratio={t['forward_ms'] / ref_fwd:.2f} unit=ms", flush=True)
    print(f"RESULT name=gpt2-decode-step-n{N}-t{THREADS} triad={t['step_ms']:.2f} "
          f"ref={ref_step:.2f} ratio={t['step_ms'] / ref_step:.2f} unit=ms", flush=True)
    for dtype, name in ((torch.float32, "f32"), (torch.bfloat16, "bf16")):
        r = results[dtype]
        for when in ("open", "run"):
            peak = r[f"peak_after_{when}"]
            print(f"RESULT name=gpt2-{name}-peak-after-{when} triad={peak / 2**20:.0f} "
                  f"ref={r['file_bytes'] / 2**20:.0f} ratio={peak / r['file_bytes']:.2f} "
                  "unit=MiB (ref: the file)", flush=True)
        print(f"RESULT name=gpt2-{name}-open triad={r['open_ms']:.0f} ref=0 ratio=0 unit=ms",
              flush=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
