#!/usr/bin/python3
"""Llama-family decoders of real shapes (random weights): SmolLM2-135M and Qwen2.5-0.5B, BF16
folders in the Hub's layout, through Triad and through a PyTorch implementation written from
modeling_llama.py / modeling_qwen2.py, side by side in one run with the same thread count: a
prefill of 2,048 tokens (one layer's attention kept) and a decoding step with the KV cache
after it, as tokens per second; and Triad's peak memory against the file.

Prints RESULT lines: RESULT name=<id> triad=<value> ref=<value> ratio=<triad/ref> unit=<unit>
(for tokens per second the ratio is Triad's speed over PyTorch's: the goal is ≥ 1).
Usage: bench_llama.py BENCH_MODEL_EXE"""
import importlib.util
import json
import math
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

N, THREADS = 2048, min(2, os.cpu_count() or 1)
MODELS = {
    # published configurations: HuggingFaceTB/SmolLM2-135M and Qwen/Qwen2.5-0.5B config.json
    "smollm2-135m": {"model_type": "llama", "vocab_size": 49152, "hidden_size": 576,
                     "intermediate_size": 1536, "num_hidden_layers": 30,
                     "num_attention_heads": 9, "num_key_value_heads": 3,
                     "max_position_embeddings": 8192, "rms_norm_eps": 1e-5,
                     "rope_theta": 100000.0, "tie_word_embeddings": True, "hidden_act": "silu"},
    "qwen2.5-0.5b": {"model_type": "qwen2", "vocab_size": 151936, "hidden_size": 896,
                     "intermediate_size": 4864, "num_hidden_layers": 24,
                     "num_attention_heads": 14, "num_key_value_heads": 2,
                     "max_position_embeddings": 32768, "rms_norm_eps": 1e-6,
                     "rope_theta": 1000000.0, "tie_word_embeddings": True, "hidden_act": "silu",
                     "use_sliding_window": False},
}


def make_weights(c, seed):
    g = torch.Generator().manual_seed(seed)
    D, F, H, KV = c["hidden_size"], c["intermediate_size"], c["num_attention_heads"], c["num_key_value_heads"]
    hd = D // H
    r = lambda *s: (torch.randn(*s, generator=g) * 0.02).to(torch.bfloat16)
    w = {"model.embed_tokens.weight": r(c["vocab_size"], D),
         "model.norm.weight": torch.ones(D, dtype=torch.bfloat16)}
    for l in range(c["num_hidden_layers"]):
        p = f"model.layers.{l}."
        w[p + "input_layernorm.weight"] = torch.ones(D, dtype=torch.bfloat16)
        w[p + "post_attention_layernorm.weight"] = torch.ones(D, dtype=torch.bfloat16)
        w[p + "self_attn.q_proj.weight"] = r(H * hd, D)
        w[p + "self_attn.k_proj.weight"] = r(KV * hd, D)
        w[p + "self_attn.v_proj.weight"] = r(KV * hd, D)
        w[p + "self_attn.o_proj.weight"] = r(D, H * hd)
        if c["model_type"] == "qwen2":
            for m, o in (("q", H), ("k", KV), ("v", KV)):
                w[p + f"self_attn.{m}_proj.bias"] = r(o * hd)
        w[p + "mlp.gate_proj.weight"] = r(F, D)
        w[p + "mlp.up_proj.weight"] = r(F, D)
        w[p + "mlp.down_proj.weight"] = r(D, F)
    return w


class Llama:
    """The reference, in float32 from the BF16 weights, as modeling_llama.py computes."""

    def __init__(self, c, w):
        self.c = c
        self.w = {n: t.float() for n, t in w.items()}
        D, H = c["hidden_size"], c["num_attention_heads"]
        self.H, self.KV, self.hd = H, c["num_key_value_heads"], D // H
        self.inv_freq = ref.rope_inv_freq(self.hd, c["rope_theta"], None)

    def norm(self, x, wt):
        return x * torch.rsqrt(x.pow(2).mean(-1, keepdim=True) + self.c["rms_norm_eps"]) * wt

    def lin(self, x, name, bias=False):
        y = x @ self.w[name + ".weight"].T
        b = self.w.get(name + ".bias")
        return y + b if b is not None else y

    def rope(self, x, pos):
        freqs = pos.float()[:, None] * self.inv_freq[None, :]
        emb = torch.cat((freqs, freqs), -1)
        return x * emb.cos() + ref.rotate_half(x) * emb.sin()

    def forward(self, ids, cache, keep_layer=-1):
        n, p0 = len(ids), cache[0][0].shape[1] if cache else 0
        pos = torch.arange(p0, p0 + n)
        x = self.w["model.embed_tokens.weight"][ids]
        kept = None
        for l in range(self.c["num_hidden_layers"]):
            p = f"model.layers.{l}."
            h = self.norm(x, self.w[p + "input_layernorm.weight"])
            q = self.lin(h, p + "self_attn.q_proj").view(n, self.H, self.hd).transpose(0, 1)
            k = self.lin(h, p + "self_attn.k_proj").view(n, self.KV, self.hd).transpose(0, 1)
            v = self.lin(h, p + "self_attn.v_proj").view(n, self.KV, self.hd).transpose(0, 1)
            q, k = self.rope(q, pos), self.rope(k, pos)
            if len(cache) > l:
                k = torch.cat([cache[l][0], k], 1)
                v = torch.cat([cache[l][1], v], 1)
                cache[l] = (k, v)
            else:
                cache.append((k, v))
            g = self.H // self.KV
            kk, vv = k.repeat_interleave(g, 0), v.repeat_interleave(g, 0)
            s = (q @ kk.transpose(1, 2)) / math.sqrt(self.hd)
            if n > 1:
                s = s.masked_fill(torch.ones(n, n + p0, dtype=torch.bool).triu(p0 + 1), float("-inf"))
            a = torch.softmax(s, -1)
            if l == keep_layer:
                kept = a
            x = x + self.lin((a @ vv).transpose(0, 1).reshape(n, -1), p + "self_attn.o_proj")
            h = self.norm(x, self.w[p + "post_attention_layernorm.weight"])
            gt = self.lin(h, p + "mlp.gate_proj")
            x = x + self.lin(torch.nn.functional.silu(gt) * self.lin(h, p + "mlp.up_proj"),
                             p + "mlp.down_proj")
        x = self.norm(x, self.w["model.norm.weight"])
        return x @ self.w["model.embed_tokens.weight"].T, kept


def main():
    exe = sys.argv[1]
    torch.set_num_threads(THREADS)
    with tempfile.TemporaryDirectory() as tmp:
        for name, c in MODELS.items():
            w = make_weights(c, 135)
            folder = os.path.join(tmp, name)
            ref.write_folder(folder, c, w, torch.bfloat16)
            ref.gpt2_tokenizer(folder)  # a model is opened with its tokenizer
            env = dict(os.environ, OPENBLAS_NUM_THREADS=str(THREADS))
            t = json.loads(subprocess.check_output([exe, folder, str(N), "1"], env=env))
            print(f"triad, {name}: {json.dumps(t)}", flush=True)
            m = Llama(c, w)
            del w
            ids = torch.tensor([(i * 7919 + 13) % c["vocab_size"] for i in range(N)])
            with torch.no_grad():
                t0 = time.perf_counter()
                logits, _ = m.forward(ids, [], c["num_hidden_layers"] // 2)
                prefill = (time.perf_counter() - t0) * 1000
                cache = []
                m.forward(ids[:-1], cache)
                t0 = time.perf_counter()
                m.forward(ids[-1:], cache)
                step = (time.perf_counter() - t0) * 1000
            check = float(logits[-1].double().sum())
            if abs(check - t["checksum"]) > 1e-2 * max(1.0, abs(check)):
                print(f"{name}: the last position's logits differ: triad {t['checksum']}, torch {check}")
                return 1
            print(f"RESULT name={name}-prefill-n{N}-t{THREADS} triad={t['forward_ms']:.0f} "
                  f"ref={prefill:.0f} ratio={t['forward_ms'] / prefill:.2f} unit=ms", flush=True)
            print(f"RESULT name={name}-decode-after-{N - 1}-t{THREADS} triad={1000 / t['step_ms']:.1f} "
                  f"ref={1000 / step:.1f} ratio={step / t['step_ms']:.2f} unit=tokens/s", flush=True)
            print(f"RESULT name={name}-bf16-peak-after-run triad={t['peak_after_run'] / 2**20:.0f} "
                  f"ref={t['file_bytes'] / 2**20:.0f} ratio={t['peak_after_run'] / t['file_bytes']:.2f} "
                  "unit=MiB (ref: the file)", flush=True)
            del m
    return 0


if __name__ == "__main__":
    sys.exit(main())
