#!/usr/bin/python3
# reference.py — checks Triad's forward pass and the trainer's gradients against an independent
# PyTorch implementation.
#
# For each architecture (encoder-only, decoder-only, encoder-decoder) this builds a small model
# with fixed random weights, following the specification at the top of src/engine/model.h, and
# writes it as a Triad model folder (config.json, model.safetensors, tokenizer.json) together
# with expected.json: the input ids, the logits and every attention matrix, computed in float64
# from the float32 weights. The attention written out is computed explicitly as
# softmax (q k^T / sqrt (d) + mask); its output is asserted equal to torch's own
# scaled_dot_product_attention, and the whole multi-head block (projections, per-head weights)
# to torch's multi_head_attention_forward, so the reference is itself checked against torch's
# kernels. LayerNorm and GELU are written out too and checked against torch's.
#
# For the trainer, expected.json also holds "train": a batch of three sequences of different
# lengths with their labels (see make_train_batch), the mean cross-entropy over its labelled
# positions, and the gradient of that loss for every parameter, by torch autograd in float64
# (itself spot-checked with central differences).
# Then it runs the C checker (check-reference FOLDER) on each folder.
#
# Usage: reference.py [--check PATH_TO_CHECKER] [--workdir DIR]
# Exits 77 (skip) when torch cannot be imported; under build-aux/test.sh (TRIAD_TEST_STRICT=1)
# that is a failure.

import argparse
import json
import math
import os
import random
import shutil
import struct
import subprocess
import sys
import tempfile

try:
    import torch
    import torch.nn.functional as F
except ImportError as e:
    print(f"reference: PyTorch is not available ({e}); install python3-torch to run this test",
          file=sys.stderr)
    sys.exit(1 if os.environ.get("TRIAD_TEST_STRICT") == "1" else 77)

VOCAB = 40
DIM = 32
N_HEADS = 4
FFN_DIM = 64
MAX_SEQ_LEN = 24
N_LAYERS = 2
NORM_EPS = 1e-5
# The engine keeps norm_eps as a float; use the same value.
NORM_EPS_F32 = struct.unpack("<f", struct.pack("<f", NORM_EPS))[0]
WEIGHT_STD = 0.3
SDPA_TOL = 1e-10
# Whether the written-out operations are checked against torch's on every call; the
# finite-difference spot check of the gradients turns it off for its many repeated passes.
VERIFY = True

SPECIALS = ["<pad>", "<unk>", "<bos>", "<eos>", "<mask>", "<sep>"]
BOS, EOS, MASK = 2, 3, 4
# 34 single-character pieces: "▁", the 26 letters and the digits 0–6.
PIECES = ["\u2581"] + [chr(c) for c in range(ord("a"), ord("z") + 1)] + [str(d) for d in range(7)]
assert len(SPECIALS) + len(PIECES) == VOCAB

# Fixed inputs.
INPUTS = {
    "encoder": {"src": [BOS, 12, 7, 25, MASK, 31, 9, MASK, 17, 38, EOS], "tgt": []},
    "decoder": {"src": [], "tgt": [BOS, 20, 6, 33, 14, 14, 27, 8, 39, 11, 6, 22, 30]},
    "encdec": {"src": [15, 6, 28, 10, 35, 19, 6, 24, EOS], "tgt": [BOS, 29, 13, 6, 37, 21, 16]},
}
SEEDS = {"encoder": 1001, "decoder": 2002, "encdec": 3003}


# ---------------------------------------------------------------------------------------------
# Parameters (float32, as stored)

def tensor_specs(arch):
    """(name, shape) in the order of model.h's table."""
    specs = [("tok_emb", (VOCAB, DIM))]
    stacks = []
    if arch in ("encoder", "encdec"):
        stacks.append("enc")
    if arch in ("decoder", "encdec"):
        stacks.append("dec")
    for s in stacks:
        specs.append((f"{s}.pos_emb", (MAX_SEQ_LEN, DIM)))
    for s in stacks:
        for i in range(N_LAYERS):
            p = f"{s}.layers.{i}"
            specs += [(f"{p}.ln_attn.weight", (DIM,)), (f"{p}.ln_attn.bias", (DIM,))]
            for m in "qkvo":
                specs += [(f"{p}.attn.{m}.weight", (DIM, DIM)), (f"{p}.attn.{m}.bias", (DIM,))]
            if s == "dec" and arch == "encdec":
                specs += [(f"{p}.ln_cross.weight", (DIM,)), (f"{p}.ln_cross.bias", (DIM,))]
                for m in "qkvo":
                    specs += [(f"{p}.cross.{m}.weight", (DIM, DIM)),
                              (f"{p}.cross.{m}.bias", (DIM,))]
            specs += [(f"{p}.ln_ffn.weight", (DIM,)), (f"{p}.ln_ffn.bias", (DIM,))]
            specs += [(f"{p}.ffn.up.weight", (FFN_DIM, DIM)), (f"{p}.ffn.up.bias", (FFN_DIM,))]
            specs += [(f"{p}.ffn.down.weight", (DIM, FFN_DIM)), (f"{p}.ffn.down.bias", (DIM,))]
        specs += [(f"{s}.norm.weight", (DIM,)), (f"{s}.norm.bias", (DIM,))]
    return specs


def make_params(arch):
    gen = torch.Generator().manual_seed(SEEDS[arch])
    params = {}
    for name, shape in tensor_specs(arch):
        r = torch.randn(shape, generator=gen, dtype=torch.float32)
        if name.endswith(".weight") and (".ln_" in name or name.endswith("norm.weight")):
            t = 1.0 + WEIGHT_STD * r          # LayerNorm gain: around 1, never all ones
        elif name.endswith(".bias"):
            t = 0.2 * r                       # nonzero biases everywhere
        else:
            t = WEIGHT_STD * r                # embeddings and linear weights
        params[name] = t.contiguous()
    return params


# ---------------------------------------------------------------------------------------------
# Files

def write_safetensors(path, params):
    header = {"__metadata__": {"format": "triad"}}
    blobs = []
    offset = 0
    for name, t in params.items():
        assert t.dtype == torch.float32 and t.is_contiguous()
        flat = t.reshape(-1).tolist()
        blob = struct.pack(f"<{len(flat)}f", *flat)
        header[name] = {"dtype": "F32", "shape": list(t.shape),
                        "data_offsets": [offset, offset + len(blob)]}
        blobs.append(blob)
        offset += len(blob)
    hjson = json.dumps(header, separators=(",", ":")).encode("utf-8")
    pad = (-(8 + len(hjson))) % 8
    hjson += b" " * pad
    with open(path, "wb") as f:
        f.write(struct.pack("<Q", len(hjson)))
        f.write(hjson)
        for blob in blobs:
            f.write(blob)


def read_safetensors(path):
    with open(path, "rb") as f:
        data = f.read()
    (hlen,) = struct.unpack("<Q", data[:8])
    assert (8 + hlen) % 8 == 0, "data section not 8-byte aligned"
    header = json.loads(data[8:8 + hlen].decode("utf-8"))
    body = data[8 + hlen:]
    out = {}
    end_max = 0
    for name, info in header.items():
        if name == "__metadata__":
            continue
        assert info["dtype"] == "F32"
        begin, end = info["data_offsets"]
        shape = tuple(info["shape"])
        numel = math.prod(shape)
        assert end - begin == 4 * numel, name
        vals = struct.unpack(f"<{numel}f", body[begin:end])
        out[name] = torch.tensor(vals, dtype=torch.float32).reshape(shape)
        end_max = max(end_max, end)
    assert end_max == len(body), "trailing or missing bytes in the data section"
    return out


def write_model_folder(folder, arch, params):
    os.makedirs(folder, exist_ok=True)
    config = {
        "format": "triad-model", "version": 1, "arch": arch,
        "vocab_size": VOCAB, "dim": DIM, "n_heads": N_HEADS, "ffn_dim": FFN_DIM,
        "max_seq_len": MAX_SEQ_LEN,
        "n_enc_layers": N_LAYERS if arch in ("encoder", "encdec") else 0,
        "n_dec_layers": N_LAYERS if arch in ("decoder", "encdec") else 0,
        "norm_eps": NORM_EPS,
    }
    with open(os.path.join(folder, "config.json"), "w") as f:
        json.dump(config, f, indent=2)
        f.write("\n")
    tokenizer = {"format": "triad-bpe", "version": 1, "vocab": SPECIALS + PIECES, "merges": []}
    with open(os.path.join(folder, "tokenizer.json"), "w", encoding="utf-8") as f:
        json.dump(tokenizer, f, ensure_ascii=False, indent=2)
        f.write("\n")
    st_path = os.path.join(folder, "model.safetensors")
    write_safetensors(st_path, params)
    # Read the file back: the bytes on disk must be exactly the parameters.
    back = read_safetensors(st_path)
    assert list(back.keys()) == list(params.keys())
    for name, t in params.items():
        assert back[name].shape == t.shape and torch.equal(back[name], t), name
    return back


# ---------------------------------------------------------------------------------------------
# The forward pass, in float64

def linear(x, P, name):
    return x @ P[name + ".weight"].T + P[name + ".bias"]


def layer_norm(x, P, name):
    w, b = P[name + ".weight"], P[name + ".bias"]
    mean = x.mean(dim=-1, keepdim=True)
    var = ((x - mean) ** 2).mean(dim=-1, keepdim=True)      # biased variance
    y = (x - mean) / torch.sqrt(var + NORM_EPS_F32) * w + b
    if VERIFY:
        ref = F.layer_norm(x, (x.shape[-1],), w, b, NORM_EPS_F32)
        assert torch.allclose(y, ref, rtol=0, atol=1e-12), "layer_norm disagrees with torch"
    return y


def gelu(x):
    y = 0.5 * x * (1.0 + torch.erf(x / math.sqrt(2.0)))
    if VERIFY:
        assert torch.allclose(y, F.gelu(x), rtol=0, atol=1e-12), "gelu disagrees with torch"
    return y


def sdpa(q, k, v, is_causal=False, attn_mask=None):
    """torch's scaled_dot_product_attention (public since torch 2.0; a private function
    returning (output, weights) in 1.13, the version Debian ships)."""
    if hasattr(F, "scaled_dot_product_attention"):
        return F.scaled_dot_product_attention(q, k, v, attn_mask=attn_mask, is_causal=is_causal)
    out, _ = F._scaled_dot_product_attention(q, k, v, attn_mask=attn_mask, is_causal=is_causal)
    return out


def check_close(what, a, b, tol=SDPA_TOL):
    err = (a - b).abs().max().item()
    assert err <= tol, f"{what}: differs from torch by {err}"


def attention(xq, xkv, P, name, causal):
    """Multi-head attention; returns (output (n_q, dim), weights (heads, n_q, n_k))."""
    n_q, n_k = xq.shape[0], xkv.shape[0]
    hd = DIM // N_HEADS
    # Head h takes columns [h * hd, (h + 1) * hd) of q, k and v.
    q = linear(xq, P, name + ".q").reshape(n_q, N_HEADS, hd).transpose(0, 1)
    k = linear(xkv, P, name + ".k").reshape(n_k, N_HEADS, hd).transpose(0, 1)
    v = linear(xkv, P, name + ".v").reshape(n_k, N_HEADS, hd).transpose(0, 1)
    scores = q @ k.transpose(-1, -2) / math.sqrt(hd)
    allowed = None
    if causal:
        assert n_q == n_k
        allowed = torch.ones(n_q, n_k, dtype=torch.bool).tril()
        scores = scores.masked_fill(~allowed, float("-inf"))
    w = torch.softmax(scores, dim=-1)
    heads = w @ v                                             # (heads, n_q, hd)
    if causal:
        assert torch.all(w[:, ~allowed] == 0)

    if VERIFY:
        # The same attention through torch's own kernel, with is_causal and with a mask.
        check_close(f"{name} sdpa", heads, sdpa(q, k, v, is_causal=causal))
        if causal:
            check_close(f"{name} sdpa (attn_mask)", heads, sdpa(q, k, v, attn_mask=allowed))

    out = linear(heads.transpose(0, 1).reshape(n_q, DIM), P, name + ".o")
    if not VERIFY:
        return out, w

    # And the whole block, projections included, through torch's multi-head attention
    # (whose boolean attn_mask marks the blocked cells).
    ref_out, ref_w = F.multi_head_attention_forward(
        xq.unsqueeze(1), xkv.unsqueeze(1), xkv.unsqueeze(1), DIM, N_HEADS,
        torch.cat([P[name + f".{m}.weight"] for m in "qkv"]),
        torch.cat([P[name + f".{m}.bias"] for m in "qkv"]),
        None, None, False, 0.0,
        P[name + ".o.weight"], P[name + ".o.bias"],
        training=False, need_weights=True,
        attn_mask=None if allowed is None else ~allowed,
        average_attn_weights=False)
    check_close(f"{name} multi_head_attention_forward", out, ref_out.squeeze(1))
    check_close(f"{name} multi_head_attention_forward weights", w, ref_w.squeeze(0))
    return out, w


def block(x, P, p, causal, memory=None):
    attn = {}
    h = layer_norm(x, P, p + ".ln_attn")
    a, attn["self"] = attention(h, h, P, p + ".attn", causal)
    x = x + a
    if memory is not None:
        h = layer_norm(x, P, p + ".ln_cross")
        c, attn["cross"] = attention(h, memory, P, p + ".cross", False)
        x = x + c
    h = layer_norm(x, P, p + ".ln_ffn")
    x = x + linear(gelu(linear(h, P, p + ".ffn.up")), P, p + ".ffn.down")
    return x, attn


def stack(ids, P, s, causal, memory=None):
    x = P["tok_emb"][ids] + P[f"{s}.pos_emb"][: len(ids)]
    self_w, cross_w = [], []
    for i in range(N_LAYERS):
        x, a = block(x, P, f"{s}.layers.{i}", causal, memory)
        self_w.append(a["self"])
        if "cross" in a:
            cross_w.append(a["cross"])
    return layer_norm(x, P, f"{s}.norm"), self_w, cross_w


def forward(arch, P32, src, tgt):
    return forward64(arch, {k: v.to(torch.float64) for k, v in P32.items()}, src, tgt)


def forward64(arch, P, src, tgt):
    """The forward pass over one sequence with float64 parameters P (which may require
    gradients); returns (logits, attention)."""
    src = torch.tensor(src, dtype=torch.long)
    tgt = torch.tensor(tgt, dtype=torch.long)
    attn = {}
    if arch == "encoder":
        h, attn["encoder_self"], _ = stack(src, P, "enc", causal=False)
    elif arch == "decoder":
        h, attn["decoder_self"], _ = stack(tgt, P, "dec", causal=True)
    else:
        memory, attn["encoder_self"], _ = stack(src, P, "enc", causal=False)
        h, attn["decoder_self"], attn["cross"] = stack(tgt, P, "dec", causal=True, memory=memory)
    logits = h @ P["tok_emb"].T
    return logits, {k: torch.stack(v) for k, v in attn.items()}


def describe(arch, logits, attn):
    parts = [f"logits {tuple(logits.shape)} |max| {logits.abs().max().item():.3f}"]
    for kind, w in attn.items():
        # Mean over rows of the largest weight: far from both 1/n_k and 1.
        top = w.max(dim=-1).values.mean().item()
        parts.append(f"{kind} {tuple(w.shape)} mean row max {top:.3f}")
    return f"{arch}: " + ", ".join(parts)


# ---------------------------------------------------------------------------------------------
# Training: the loss of a packed batch and its gradients, by autograd in float64

# Per architecture, three sequences of different lengths (see make_train_batch). Encoder-only:
# encoder lengths, <bos> and <eos> included. Decoder-only: decoder lengths, <bos> included (one
# at max_seq_len, so the last row of pos_emb is used). Encoder-decoder: (source, target)
# lengths, a target longer than its source and one shorter.
TRAIN_LENGTHS = {
    "encoder": [9, 16, 5],
    "decoder": [MAX_SEQ_LEN, 7, 12],
    "encdec": [(8, 11), (15, 6), (4, 9)],
}
TRAIN_SEEDS = {"encoder": 1011, "decoder": 2022, "encdec": 3033}
MASK_FRACTION = 0.4
FD_STEP = 1e-5           # central differences in float64 spot-check autograd
FD_TOL = 1e-7


def make_train_batch(arch):
    """(src, tgt, labels): lists of three sequences each, as the checker passes them to
    triad_batch_add. The encoder-only model predicts masked tokens: about 40% of the text
    positions are labelled with their original token, and of those 80% read <mask>, 10% a
    random token and 10% the token itself; the rest are -1. The decoder of the decoder-only
    and encoder-decoder models predicts the next token at every position, <eos> at the last."""
    rng = random.Random(TRAIN_SEEDS[arch])
    first = len(SPECIALS)

    def text(n):
        return [rng.randrange(first, VOCAB) for _ in range(n)]

    srcs, tgts, labels = [], [], []
    for lengths in TRAIN_LENGTHS[arch]:
        if arch == "encoder":
            words = text(lengths - 2)
            ids = [BOS] + words + [EOS]
            lab = [-1] * len(ids)
            inner = list(range(1, len(ids) - 1))
            chosen = rng.sample(inner, max(1, round(MASK_FRACTION * len(inner))))
            for i in sorted(chosen):
                lab[i] = ids[i]
                r = rng.random()
                if r < 0.8:
                    ids[i] = MASK
                elif r < 0.9:
                    ids[i] = rng.randrange(first, VOCAB)
            srcs.append(ids)
            tgts.append([])
            labels.append(lab)
        else:
            if arch == "decoder":
                n_src, n_tgt = 0, lengths
            else:
                n_src, n_tgt = lengths
            words = text(n_tgt - 1)
            srcs.append(text(n_src - 1) + [EOS] if n_src else [])
            tgts.append([BOS] + words)
            labels.append(words + [EOS])
    return srcs, tgts, labels


def batch_loss(arch, P, srcs, tgts, labels):
    """Mean cross-entropy over the labelled positions of the batch. Each sequence runs on its
    own, positions from 0: the packed batch's sequences see only themselves, bidirectionally
    in the encoder, causally in the decoder, and a target cross-attends to its own source."""
    logits = torch.cat([forward64(arch, P, s, t)[0] for s, t in zip(srcs, tgts)])
    flat = torch.tensor([l for lab in labels for l in lab], dtype=torch.long)
    assert logits.shape[0] == flat.shape[0]
    rows = flat >= 0
    logp = torch.log_softmax(logits[rows], dim=-1)
    loss = -logp.gather(1, flat[rows].unsqueeze(1)).mean()
    ref = F.cross_entropy(logits, flat, ignore_index=-1)
    assert abs(loss.item() - ref.item()) <= 1e-12, "cross-entropy disagrees with torch"
    return loss, int(rows.sum())


def finite_difference_check(arch, P, names, grads, batch):
    """Spot-checks autograd with central differences in float64, at the largest entry of
    every tensor; returns the largest difference."""
    global VERIFY
    worst = 0.0
    VERIFY = False
    try:
        with torch.no_grad():
            for name in names:
                g = grads[name].reshape(-1)
                i = int(g.abs().argmax())
                w = P[name].view(-1)
                saved = w[i].item()
                w[i] = saved + FD_STEP
                up = batch_loss(arch, P, *batch)[0].item()
                w[i] = saved - FD_STEP
                down = batch_loss(arch, P, *batch)[0].item()
                w[i] = saved
                err = abs((up - down) / (2 * FD_STEP) - g[i].item())
                assert err <= FD_TOL, \
                    f"{name}[{i}]: autograd and finite differences differ by {err}"
                worst = max(worst, err)
    finally:
        VERIFY = True
    return worst


def train_case(arch, P32):
    """The batch, its loss and the gradient of every parameter."""
    srcs, tgts, labels = make_train_batch(arch)
    names = [name for name, _ in tensor_specs(arch)]
    P = {k: v.to(torch.float64).requires_grad_(True) for k, v in P32.items()}
    loss, n_labelled = batch_loss(arch, P, srcs, tgts, labels)
    grads = torch.autograd.grad(loss, [P[n] for n in names])
    grads = dict(zip(names, grads))

    worst_fd = finite_difference_check(arch, P, names, grads, (srcs, tgts, labels))

    top = max(g.abs().max().item() for g in grads.values())
    print(f"{arch}: train batch of {len(srcs)} sequences, "
          f"source lengths {[len(s) for s in srcs]}, target lengths {[len(t) for t in tgts]}, "
          f"{n_labelled} labelled; loss {loss.item():.6f}, max |grad| {top:.3f}, "
          f"autograd vs finite differences {worst_fd:.1e}")
    return {
        "src": srcs,
        "tgt": tgts,
        "labels": labels,
        "loss": loss.item(),
        "grads": {n: grads[n].reshape(-1).tolist() for n in names},
    }


def build_case(root, arch):
    folder = os.path.join(root, arch)
    params = make_params(arch)
    stored = write_model_folder(folder, arch, params)
    src, tgt = INPUTS[arch]["src"], INPUTS[arch]["tgt"]
    with torch.no_grad():
        logits, attn = forward(arch, stored, src, tgt)
    for kind, w in attn.items():
        assert torch.allclose(w.sum(-1), torch.ones((), dtype=torch.float64), atol=1e-12), kind
    print(describe(arch, logits, attn))
    expected = {
        "arch": arch,
        "src_ids": src,
        "tgt_ids": tgt,
        "logits": logits.tolist(),
        "attention": {k: v.tolist() for k, v in attn.items()},
        "train": train_case(arch, stored),
    }
    with open(os.path.join(folder, "expected.json"), "w") as f:
        json.dump(expected, f)
        f.write("\n")
    return folder


def main():
    ap = argparse.ArgumentParser(
        description="Check Triad's forward pass and gradients against PyTorch.")
    ap.add_argument("--check", metavar="CHECKER", help="the check-reference program")
    ap.add_argument("--workdir", metavar="DIR", help="write the model folders here (kept)")
    args = ap.parse_args()

    torch.set_num_threads(1)
    tmp = None
    if args.workdir:
        root = args.workdir
        os.makedirs(root, exist_ok=True)
    else:
        tmp = tempfile.mkdtemp(prefix="triad-reference-")
        root = tmp

    failed = []
    try:
        folders = [build_case(root, arch) for arch in ("encoder", "decoder", "encdec")]
        if not args.check:
            print(f"reference: model folders written to {root}")
            return 0
        for folder in folders:
            arch = os.path.basename(folder)
            print(f"--- {arch}: {args.check} {folder}", flush=True)
            r = subprocess.run([args.check, folder], stdout=subprocess.PIPE,
                               stderr=subprocess.STDOUT, text=True)
            sys.stdout.write(r.stdout)
            status = "ok" if r.returncode == 0 else f"FAILED (exit status {r.returncode})"
            print(f"--- {arch}: {status}", flush=True)
            if r.returncode != 0:
                failed.append(arch)
    finally:
        if tmp is not None:
            if failed:
                print(f"reference: keeping {tmp} for inspection")
            else:
                shutil.rmtree(tmp, ignore_errors=True)

    if failed:
        print(f"reference: {len(failed)} of 3 failed: {', '.join(failed)}")
        return 1
    print("reference: all 3 architectures match")
    return 0


if __name__ == "__main__":
    sys.exit(main())
