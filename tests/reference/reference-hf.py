#!/usr/bin/python3
# reference-hf.py — checks Triad's reading and running of Hugging Face checkpoints against an
# independent PyTorch implementation, written from the published modeling code
# (transformers' modeling_gpt2.py, modeling_bert.py, modeling_distilbert.py, modeling_t5.py).
#
# For each case it builds a tiny model with random weights and writes it exactly in the Hub's
# layout: config.json with model_type, model.safetensors (or shards with
# model.safetensors.index.json), the tensor names as save_pretrained writes them, with or
# without the family's prefix, the buffers real files carry (GPT-2's attn.bias and
# attn.masked_bias, BERT's position_ids), LayerNorm gamma/beta as older BERT files name them,
# in F32, F16 or BF16, with and without the header padding that aligns the data. Then it
# computes, in float64 from the weights as stored, the logits and every attention matrix, and
# writes them to expected.json; check-hf reads the folder with Triad's loader and compares
# (1e-4), and also decodes step by step through the KV cache and compares with the full pass.
#
# Usage: reference-hf.py --check PATH_TO_CHECKER [--workdir DIR]
# Exits 77 (skip) when torch cannot be imported; under build-aux/test.sh (TRIAD_TEST_STRICT=1)
# that is a failure.

import argparse
import json
import math
import os
import shutil
import struct
import subprocess
import sys
import tempfile

try:
    import torch
except ImportError as e:
    print(f"reference-hf: PyTorch is not available ({e}); install python3-torch to run this test",
          file=sys.stderr)
    sys.exit(1 if os.environ.get("TRIAD_TEST_STRICT") == "1" else 77)

torch.manual_seed(20261204)

# ---- the Hub's file format ---------------------------------------------------------------

DTYPES = {torch.float32: "F32", torch.float16: "F16", torch.bfloat16: "BF16",
          torch.int64: "I64"}


def tensor_bytes(t):
    t = t.contiguous()
    if t.dtype == torch.bfloat16:
        return t.view(torch.int16).numpy().tobytes()
    return t.numpy().tobytes()


def write_safetensors(path, tensors, pad=True):
    """tensors: name → torch tensor in its stored dtype. The header is padded with spaces to a
    multiple of 8 bytes, as the safetensors library writes it, unless pad is False."""
    header, blobs, offset = {}, [], 0
    # the library orders by dtype alignment then name; any order is valid
    for name in sorted(tensors):
        t = tensors[name]
        b = tensor_bytes(t)
        header[name] = {"dtype": DTYPES[t.dtype], "shape": list(t.shape),
                        "data_offsets": [offset, offset + len(b)]}
        blobs.append(b)
        offset += len(b)
    header["__metadata__"] = {"format": "pt"}
    h = json.dumps(header, separators=(",", ":")).encode()
    if pad:
        h += b" " * (-len(h) % 8)
    elif len(h) % 4 == 0:
        h += b" "  # make the data start unaligned on purpose
    with open(path, "wb") as f:
        f.write(struct.pack("<Q", len(h)))
        f.write(h)
        for b in blobs:
            f.write(b)


def write_folder(folder, config, tensors, dtype, shards=1, pad=True):
    """Stores the float tensors in dtype (buffers keep theirs) and returns what the model
    computes with: the stored values widened to float64."""
    os.makedirs(folder, exist_ok=True)
    with open(os.path.join(folder, "config.json"), "w") as f:
        json.dump(config, f, indent=2)
    stored = {n: (t.to(dtype) if t.is_floating_point() else t) for n, t in tensors.items()}
    names = sorted(stored)
    if shards == 1:
        write_safetensors(os.path.join(folder, "model.safetensors"), stored, pad)
    else:
        weight_map = {}
        for s in range(shards):
            part = names[s::shards]
            file = f"model-{s + 1:05d}-of-{shards:05d}.safetensors"
            write_safetensors(os.path.join(folder, file), {n: stored[n] for n in part}, pad)
            weight_map.update({n: file for n in part})
        with open(os.path.join(folder, "model.safetensors.index.json"), "w") as f:
            json.dump({"metadata": {"total_size": 0}, "weight_map": weight_map}, f, indent=2)
    return {n: (t.to(torch.float64) if t.is_floating_point() else t) for n, t in stored.items()}


def rand(*shape, std=0.3):
    return torch.randn(*shape) * std


# ---- tokenizer.json as the Hub's files lay it out --------------------------------------

def added(id_, content):
    return {"id": id_, "content": content, "single_word": False, "lstrip": False,
            "rstrip": False, "normalized": False, "special": True}


def gpt2_byte_chars():
    """GPT-2's bytes_to_unicode: printable bytes stand for themselves, the rest move to 256+."""
    bs = (list(range(ord("!"), ord("~") + 1)) + list(range(ord("¡"), ord("¬") + 1))
          + list(range(ord("®"), ord("ÿ") + 1)))
    cs, n = bs[:], 0
    for b in range(256):
        if b not in bs:
            bs.append(b)
            cs.append(256 + n)
            n += 1
    return {b: chr(c) for b, c in zip(bs, cs)}


GPT2_MERGES = [("Ġ", "t"), ("h", "e"), ("Ġt", "he"), ("Ġ", "c"), ("Ġc", "a"), ("Ġca", "t"),
               ("Ġ", "s"), ("Ġs", "a"), ("Ġsa", "t")]


def gpt2_tokenizer(folder):
    chars = gpt2_byte_chars()
    vocab = {chars[b]: b for b in range(256)}
    for a, b in GPT2_MERGES:
        vocab[a + b] = len(vocab)
    eot = len(vocab)
    vocab["<|endoftext|>"] = eot
    byte_level = {"type": "ByteLevel", "add_prefix_space": False, "trim_offsets": True,
                  "use_regex": True}
    tok = {"version": "1.0", "truncation": None, "padding": None,
           "added_tokens": [added(eot, "<|endoftext|>")], "normalizer": None,
           "pre_tokenizer": byte_level, "post_processor": dict(byte_level, trim_offsets=False),
           "decoder": byte_level,
           "model": {"type": "BPE", "dropout": None, "unk_token": None,
                     "continuing_subword_prefix": "", "end_of_word_suffix": "", "fuse_unk": False,
                     "byte_fallback": False, "vocab": vocab,
                     "merges": [f"{a} {b}" for a, b in GPT2_MERGES]}}
    with open(os.path.join(folder, "tokenizer.json"), "w") as f:
        json.dump(tok, f, ensure_ascii=False)
    return vocab


# a few words, then every Latin and Cyrillic letter alone and as a continuation, so that any
# lower-case word of either alphabet is a few pieces rather than [UNK]
LETTERS = [chr(c) for c in range(ord("a"), ord("z") + 1) if chr(c) not in "abcst"] \
    + [chr(c) for c in range(ord("а"), ord("я") + 1)] + ["ё"]
BERT_VOCAB = ["[PAD]", "[UNK]", "[CLS]", "[SEP]", "[MASK]", "the", "cat", "sat", "on", "mat",
              ".", ",", "a", "b", "c", "s", "t", "##s", "##at", "##t", "##a"] \
    + LETTERS + ["##" + c for c in LETTERS + ["b", "c"]]


def bert_tokenizer(folder):
    vocab = {w: i for i, w in enumerate(BERT_VOCAB)}
    special = {t: {"id": t, "ids": [vocab[t]], "tokens": [t]} for t in ["[CLS]", "[SEP]"]}
    tok = {"version": "1.0", "truncation": None, "padding": None,
           "added_tokens": [added(vocab[t], t) for t in BERT_VOCAB[:5]],
           "normalizer": {"type": "BertNormalizer", "clean_text": True,
                          "handle_chinese_chars": True, "strip_accents": None, "lowercase": True},
           "pre_tokenizer": {"type": "BertPreTokenizer"},
           "post_processor": {"type": "TemplateProcessing",
                              "single": [{"SpecialToken": {"id": "[CLS]", "type_id": 0}},
                                         {"Sequence": {"id": "A", "type_id": 0}},
                                         {"SpecialToken": {"id": "[SEP]", "type_id": 0}}],
                              "pair": [{"SpecialToken": {"id": "[CLS]", "type_id": 0}},
                                       {"Sequence": {"id": "A", "type_id": 0}},
                                       {"SpecialToken": {"id": "[SEP]", "type_id": 0}},
                                       {"Sequence": {"id": "B", "type_id": 1}},
                                       {"SpecialToken": {"id": "[SEP]", "type_id": 1}}],
                              "special_tokens": special},
           "decoder": {"type": "WordPiece", "prefix": "##", "cleanup": True},
           "model": {"type": "WordPiece", "unk_token": "[UNK]", "continuing_subword_prefix": "##",
                     "max_input_chars_per_word": 100, "vocab": vocab}}
    with open(os.path.join(folder, "tokenizer.json"), "w") as f:
        json.dump(tok, f, ensure_ascii=False)
    return vocab


T5_PIECES = [("<pad>", 0.0), ("</s>", 0.0), ("<unk>", 0.0), ("▁", -2.0), ("▁the", -3.0),
             ("▁cat", -3.5), ("▁sat", -3.6), ("▁on", -3.7), ("▁mat", -4.0), ("s", -4.5),
             ("a", -4.6), ("t", -4.7), ("c", -4.8), ("m", -4.9), ("h", -5.0), ("e", -5.1),
             ("o", -5.2), ("n", -5.3), ("▁die", -3.2), ("▁Katze", -3.9)] \
    + [(c, -8.0) for c in LETTERS if c not in "smheon"] + [("▁" + c, -9.0) for c in LETTERS]


def t5_tokenizer(folder):
    meta = {"type": "Metaspace", "replacement": "▁", "add_prefix_space": True,
            "prepend_scheme": "always", "split": True}
    tok = {"version": "1.0", "truncation": None, "padding": None,
           "added_tokens": [added(0, "<pad>"), added(1, "</s>"), added(2, "<unk>")],
           "normalizer": {"type": "NFKC"},
           "pre_tokenizer": {"type": "Sequence",
                             "pretokenizers": [{"type": "WhitespaceSplit"}, meta]},
           "post_processor": {"type": "TemplateProcessing",
                              "single": [{"Sequence": {"id": "A", "type_id": 0}},
                                         {"SpecialToken": {"id": "</s>", "type_id": 0}}],
                              "pair": [{"Sequence": {"id": "A", "type_id": 0}},
                                       {"SpecialToken": {"id": "</s>", "type_id": 0}},
                                       {"Sequence": {"id": "B", "type_id": 0}},
                                       {"SpecialToken": {"id": "</s>", "type_id": 0}}],
                              "special_tokens": {"</s>": {"id": "</s>", "ids": [1],
                                                          "tokens": ["</s>"]}}},
           "decoder": meta,
           "model": {"type": "Unigram", "unk_id": 2, "vocab": [list(p) for p in T5_PIECES],
                     "byte_fallback": False}}
    with open(os.path.join(folder, "tokenizer.json"), "w") as f:
        json.dump(tok, f, ensure_ascii=False)
    return {p: i for i, (p, _) in enumerate(T5_PIECES)}


# ---- the layers, as the modeling code defines them --------------------------------------

def layer_norm(x, w, b, eps):
    mean = x.mean(-1, keepdim=True)
    var = ((x - mean) ** 2).mean(-1, keepdim=True)
    return (x - mean) / torch.sqrt(var + eps) * w + b


def t5_layer_norm(x, w, eps):
    # T5LayerNorm: no mean subtracted, no bias
    return x * torch.rsqrt((x ** 2).mean(-1, keepdim=True) + eps) * w


def gelu(x):
    return 0.5 * x * (1.0 + torch.erf(x / math.sqrt(2.0)))


def gelu_new(x):
    return 0.5 * x * (1.0 + torch.tanh(math.sqrt(2.0 / math.pi) * (x + 0.044715 * x ** 3)))


def heads(x, H):
    n, width = x.shape
    return x.view(n, H, width // H).transpose(0, 1)  # (H, n, hd)


def attend(q, k, v, H, scale, causal=False, bias=None, q_offset=0):
    """q (n_q, H·hd), k and v (n_k, H·hd) → output (n_q, H·hd) and weights (H, n_q, n_k)."""
    q, k, v = heads(q, H), heads(k, H), heads(v, H)
    s = q @ k.transpose(1, 2) * scale
    if bias is not None:
        s = s + bias
    if causal:
        n_q, n_k = s.shape[1], s.shape[2]
        allowed = torch.arange(n_k)[None, :] <= (torch.arange(n_q)[:, None] + q_offset)
        s = s.masked_fill(~allowed, float("-inf"))
    w = torch.softmax(s, dim=-1)
    out = (w @ v).transpose(0, 1).reshape(q.shape[1], -1)
    return out, w


def linear(x, P, name, bias=True):
    y = x @ P[name + ".weight"].T
    return y + P[name + ".bias"] if bias else y


# ---- GPT-2 --------------------------------------------------------------------------------

def gpt2_case(folder, prefix, dtype, shards, pad):
    V, D, H, L, T, F = 300, 32, 4, 2, 64, 48
    config = {"model_type": "gpt2", "architectures": ["GPT2LMHeadModel"], "vocab_size": V,
              "n_embd": D, "n_head": H, "n_layer": L, "n_positions": T, "n_ctx": T,
              "n_inner": F, "activation_function": "gelu_new", "layer_norm_epsilon": 1e-5,
              "bos_token_id": V - 1, "eos_token_id": V - 1, "scale_attn_weights": True,
              "torch_dtype": "float32"}
    t = {"wte.weight": rand(V, D), "wpe.weight": rand(T, D, std=0.1),
         "ln_f.weight": 1 + rand(D, std=0.1), "ln_f.bias": rand(D, std=0.1)}
    for l in range(L):
        p = f"h.{l}."
        t.update({p + "ln_1.weight": 1 + rand(D, std=0.1), p + "ln_1.bias": rand(D, std=0.1),
                  p + "ln_2.weight": 1 + rand(D, std=0.1), p + "ln_2.bias": rand(D, std=0.1),
                  # Conv1D stores (in, out)
                  p + "attn.c_attn.weight": rand(D, 3 * D), p + "attn.c_attn.bias": rand(3 * D),
                  p + "attn.c_proj.weight": rand(D, D), p + "attn.c_proj.bias": rand(D),
                  p + "mlp.c_fc.weight": rand(D, F), p + "mlp.c_fc.bias": rand(F),
                  p + "mlp.c_proj.weight": rand(F, D), p + "mlp.c_proj.bias": rand(D),
                  # the buffers Hub files carry
                  p + "attn.bias": torch.tril(torch.ones(T, T)).view(1, 1, T, T),
                  p + "attn.masked_bias": torch.tensor(-1e4)})
    stored = {prefix + n: v for n, v in t.items()}
    if prefix:
        stored["lm_head.weight"] = t["wte.weight"]  # tied: a copy save_pretrained may write
    P = write_folder(folder, config, stored, dtype, shards, pad)
    P = {n[len(prefix):] if n.startswith(prefix) else n: v for n, v in P.items()}
    vocab = gpt2_tokenizer(folder)
    params = sum(v.numel() for n, v in t.items() if not n.endswith(".attn.bias")
                 and not n.endswith("masked_bias"))

    def forward(ids):
        return gpt2_forward(P, torch.tensor(ids), D, H, L)

    ids = [3, 17, 5, 42, 17, 5, 9, 0, 33, 12, 44, 250, 299]
    logits, att = forward(ids)
    return {"arch": "decoder", "tgt": ids, "logits": logits.tolist(),
            "decoder": [w.tolist() for w in att],
            "_forward": forward, "_vocab": vocab, "_params": params}


def gpt2_forward(P, ids, D, H, L):
    n = len(ids)
    x = P["wte.weight"][ids] + P["wpe.weight"][torch.arange(n)]
    att = []
    for l in range(L):
        p = f"h.{l}."
        h = layer_norm(x, P[p + "ln_1.weight"], P[p + "ln_1.bias"], 1e-5)
        qkv = h @ P[p + "attn.c_attn.weight"] + P[p + "attn.c_attn.bias"]
        q, k, v = qkv.split(D, dim=1)
        a, w = attend(q, k, v, H, 1 / math.sqrt(D // H), causal=True)
        att.append(w)
        x = x + a @ P[p + "attn.c_proj.weight"] + P[p + "attn.c_proj.bias"]
        h = layer_norm(x, P[p + "ln_2.weight"], P[p + "ln_2.bias"], 1e-5)
        h = gelu_new(h @ P[p + "mlp.c_fc.weight"] + P[p + "mlp.c_fc.bias"])
        x = x + h @ P[p + "mlp.c_proj.weight"] + P[p + "mlp.c_proj.bias"]
    x = layer_norm(x, P["ln_f.weight"], P["ln_f.bias"], 1e-5)
    return x @ P["wte.weight"].T, att


# ---- BERT and DistilBERT ------------------------------------------------------------------

def bert_case(folder, dtype, old_names, with_prefix):
    V, D, H, L, T, F, TV = 160, 32, 4, 2, 64, 64, 2
    eps = 1e-12
    config = {"model_type": "bert", "architectures": ["BertForMaskedLM"], "vocab_size": V,
              "hidden_size": D, "num_attention_heads": H, "num_hidden_layers": L,
              "intermediate_size": F, "max_position_embeddings": T, "type_vocab_size": TV,
              "hidden_act": "gelu", "layer_norm_eps": eps,
              "position_embedding_type": "absolute", "pad_token_id": 0}
    g, b = ("gamma", "beta") if old_names else ("weight", "bias")
    t = {"embeddings.word_embeddings.weight": rand(V, D),
         "embeddings.position_embeddings.weight": rand(T, D, std=0.1),
         "embeddings.token_type_embeddings.weight": rand(TV, D, std=0.1),
         f"embeddings.LayerNorm.{g}": 1 + rand(D, std=0.1),
         f"embeddings.LayerNorm.{b}": rand(D, std=0.1),
         "embeddings.position_ids": torch.arange(T).view(1, T),
         "pooler.dense.weight": rand(D, D), "pooler.dense.bias": rand(D)}
    for l in range(L):
        p = f"encoder.layer.{l}."
        for m in ["attention.self.query", "attention.self.key", "attention.self.value",
                  "attention.output.dense"]:
            t[p + m + ".weight"], t[p + m + ".bias"] = rand(D, D), rand(D)
        t[p + "intermediate.dense.weight"], t[p + "intermediate.dense.bias"] = rand(F, D), rand(F)
        t[p + "output.dense.weight"], t[p + "output.dense.bias"] = rand(D, F), rand(D)
        for m in ["attention.output.LayerNorm", "output.LayerNorm"]:
            t[p + m + f".{g}"], t[p + m + f".{b}"] = 1 + rand(D, std=0.1), rand(D, std=0.1)
    stored = {("bert." if with_prefix else "") + n: v for n, v in t.items()}
    head = {"cls.predictions.transform.dense.weight": rand(D, D),
            "cls.predictions.transform.dense.bias": rand(D),
            f"cls.predictions.transform.LayerNorm.{g}": 1 + rand(D, std=0.1),
            f"cls.predictions.transform.LayerNorm.{b}": rand(D, std=0.1),
            "cls.predictions.bias": rand(V)}
    head["cls.predictions.decoder.weight"] = t["embeddings.word_embeddings.weight"]
    head["cls.predictions.decoder.bias"] = head["cls.predictions.bias"]
    stored.update(head)
    P = write_folder(folder, config, stored, dtype)
    P = {n[5:] if n.startswith("bert.") else n: v for n, v in P.items()}
    P = {n.replace(".gamma", ".weight").replace(".beta", ".bias"): v for n, v in P.items()}
    vocab = bert_tokenizer(folder)
    params = sum(v.numel() for n, v in stored.items() if n.endswith(("weight", "bias", "gamma", "beta"))
                 and "pooler" not in n and "decoder" not in n)

    def forward(ids):
        return bert_forward(P, torch.tensor(ids), D, H, L, eps)

    ids = [2, 11, 25, 4, 7, 30, 3]
    logits, att = forward(ids)
    return {"arch": "encoder", "src": ids, "logits": logits.tolist(),
            "encoder": [w.tolist() for w in att],
            "_forward": forward, "_vocab": vocab, "_params": params}


def bert_forward(P, ids, D, H, L, eps):
    n = len(ids)
    x = (P["embeddings.word_embeddings.weight"][ids]
         + P["embeddings.position_embeddings.weight"][torch.arange(n)]
         + P["embeddings.token_type_embeddings.weight"][torch.zeros(n, dtype=torch.long)])
    x = layer_norm(x, P["embeddings.LayerNorm.weight"], P["embeddings.LayerNorm.bias"], eps)
    att = []
    for l in range(L):
        p = f"encoder.layer.{l}."
        q = linear(x, P, p + "attention.self.query")
        k = linear(x, P, p + "attention.self.key")
        v = linear(x, P, p + "attention.self.value")
        a, w = attend(q, k, v, H, 1 / math.sqrt(D // H))
        att.append(w)
        a = linear(a, P, p + "attention.output.dense")
        x = layer_norm(x + a, P[p + "attention.output.LayerNorm.weight"],
                       P[p + "attention.output.LayerNorm.bias"], eps)
        h = gelu(linear(x, P, p + "intermediate.dense"))
        x = layer_norm(x + linear(h, P, p + "output.dense"), P[p + "output.LayerNorm.weight"],
                       P[p + "output.LayerNorm.bias"], eps)
    h = gelu(linear(x, P, "cls.predictions.transform.dense"))
    h = layer_norm(h, P["cls.predictions.transform.LayerNorm.weight"],
                   P["cls.predictions.transform.LayerNorm.bias"], eps)
    logits = h @ P["embeddings.word_embeddings.weight"].T + P["cls.predictions.bias"]
    return logits, att


def distilbert_case(folder, dtype):
    V, D, H, L, T, F = 160, 32, 4, 2, 20, 64
    eps = 1e-12
    config = {"model_type": "distilbert", "architectures": ["DistilBertForMaskedLM"],
              "vocab_size": V, "dim": D, "n_heads": H, "n_layers": L, "hidden_dim": F,
              "max_position_embeddings": T, "activation": "gelu", "sinusoidal_pos_embds": False}
    t = {"distilbert.embeddings.word_embeddings.weight": rand(V, D),
         "distilbert.embeddings.position_embeddings.weight": rand(T, D, std=0.1),
         "distilbert.embeddings.LayerNorm.weight": 1 + rand(D, std=0.1),
         "distilbert.embeddings.LayerNorm.bias": rand(D, std=0.1),
         "vocab_transform.weight": rand(D, D), "vocab_transform.bias": rand(D),
         "vocab_layer_norm.weight": 1 + rand(D, std=0.1), "vocab_layer_norm.bias": rand(D, std=0.1),
         "vocab_projector.bias": rand(V)}
    for l in range(L):
        p = f"distilbert.transformer.layer.{l}."
        for m in ["q_lin", "k_lin", "v_lin", "out_lin"]:
            t[p + "attention." + m + ".weight"], t[p + "attention." + m + ".bias"] = rand(D, D), rand(D)
        t[p + "ffn.lin1.weight"], t[p + "ffn.lin1.bias"] = rand(F, D), rand(F)
        t[p + "ffn.lin2.weight"], t[p + "ffn.lin2.bias"] = rand(D, F), rand(D)
        for m in ["sa_layer_norm", "output_layer_norm"]:
            t[p + m + ".weight"], t[p + m + ".bias"] = 1 + rand(D, std=0.1), rand(D, std=0.1)
    t["vocab_projector.weight"] = t["distilbert.embeddings.word_embeddings.weight"]
    P = write_folder(folder, config, t, dtype)
    bert_tokenizer(folder)
    P = {n[len("distilbert."):] if n.startswith("distilbert.") else n: v for n, v in P.items()}

    ids = torch.tensor([2, 11, 25, 4, 7, 30, 3, 19])
    n = len(ids)
    x = P["embeddings.word_embeddings.weight"][ids] + P["embeddings.position_embeddings.weight"][torch.arange(n)]
    x = layer_norm(x, P["embeddings.LayerNorm.weight"], P["embeddings.LayerNorm.bias"], eps)
    att = []
    for l in range(L):
        p = f"transformer.layer.{l}."
        q, k, v = (linear(x, P, p + "attention." + m) for m in ["q_lin", "k_lin", "v_lin"])
        a, w = attend(q, k, v, H, 1 / math.sqrt(D // H))
        att.append(w)
        x = layer_norm(x + linear(a, P, p + "attention.out_lin"), P[p + "sa_layer_norm.weight"],
                       P[p + "sa_layer_norm.bias"], eps)
        h = linear(gelu(linear(x, P, p + "ffn.lin1")), P, p + "ffn.lin2")
        x = layer_norm(x + h, P[p + "output_layer_norm.weight"], P[p + "output_layer_norm.bias"], eps)
    h = gelu(linear(x, P, "vocab_transform"))
    h = layer_norm(h, P["vocab_layer_norm.weight"], P["vocab_layer_norm.bias"], eps)
    logits = h @ P["embeddings.word_embeddings.weight"].T + P["vocab_projector.bias"]
    return {"arch": "encoder", "src": ids.tolist(), "logits": logits.tolist(),
            "encoder": [w.tolist() for w in att]}


# ---- T5 -----------------------------------------------------------------------------------

def relative_position_bucket(relative_position, bidirectional, num_buckets, max_distance):
    """As T5Attention._relative_position_bucket computes it."""
    relative_buckets = 0
    if bidirectional:
        num_buckets //= 2
        relative_buckets += (relative_position > 0).to(torch.long) * num_buckets
        relative_position = torch.abs(relative_position)
    else:
        relative_position = -torch.min(relative_position, torch.zeros_like(relative_position))
    max_exact = num_buckets // 2
    is_small = relative_position < max_exact
    if_large = max_exact + (torch.log(relative_position.float() / max_exact)
                            / math.log(max_distance / max_exact)
                            * (num_buckets - max_exact)).to(torch.long)
    if_large = torch.min(if_large, torch.full_like(if_large, num_buckets - 1))
    return relative_buckets + torch.where(is_small, relative_position, if_large)


def t5_bias(table, n_q, n_k, bidirectional, buckets, max_distance, q_offset=0):
    context = torch.arange(q_offset, q_offset + n_q)[:, None]
    memory = torch.arange(n_k)[None, :]
    b = relative_position_bucket(memory - context, bidirectional, buckets, max_distance)
    return table[b].permute(2, 0, 1)  # (H, n_q, n_k)


def t5_case(folder, dtype, gated, shards, pad):
    V, D, DKV, H, F, LE, LD, NB, MD = 160, 32, 8, 6, 40, 2, 3, 8, 20
    eps = 1e-6
    config = {"model_type": "t5", "architectures": ["T5ForConditionalGeneration"],
              "vocab_size": V, "d_model": D, "d_kv": DKV, "d_ff": F, "num_layers": LE,
              "num_decoder_layers": LD, "num_heads": H, "relative_attention_num_buckets": NB,
              "relative_attention_max_distance": MD, "layer_norm_epsilon": eps,
              "feed_forward_proj": "gated-gelu" if gated else "relu",
              "tie_word_embeddings": not gated, "decoder_start_token_id": 0,
              "eos_token_id": 1, "pad_token_id": 0, "n_positions": 64}
    I = H * DKV
    t = {"shared.weight": rand(V, D, std=1.0),
         "encoder.final_layer_norm.weight": 1 + rand(D, std=0.1),
         "decoder.final_layer_norm.weight": 1 + rand(D, std=0.1),
         "encoder.block.0.layer.0.SelfAttention.relative_attention_bias.weight": rand(NB, H),
         "decoder.block.0.layer.0.SelfAttention.relative_attention_bias.weight": rand(NB, H)}
    # save_pretrained writes the tied embedding under each stack's name too
    t["encoder.embed_tokens.weight"] = t["shared.weight"]
    t["decoder.embed_tokens.weight"] = t["shared.weight"]
    if gated:
        t["lm_head.weight"] = rand(V, D)

    def attn(p):
        for m in ["q", "k", "v"]:
            t[f"{p}.{m}.weight"] = rand(I, D)
        t[f"{p}.o.weight"] = rand(D, I)

    def ffn(p):
        if gated:
            t[p + ".DenseReluDense.wi_0.weight"] = rand(F, D)
            t[p + ".DenseReluDense.wi_1.weight"] = rand(F, D)
        else:
            t[p + ".DenseReluDense.wi.weight"] = rand(F, D)
        t[p + ".DenseReluDense.wo.weight"] = rand(D, F)
        t[p + ".layer_norm.weight"] = 1 + rand(D, std=0.1)

    for l in range(LE):
        attn(f"encoder.block.{l}.layer.0.SelfAttention")
        t[f"encoder.block.{l}.layer.0.layer_norm.weight"] = 1 + rand(D, std=0.1)
        ffn(f"encoder.block.{l}.layer.1")
    for l in range(LD):
        attn(f"decoder.block.{l}.layer.0.SelfAttention")
        t[f"decoder.block.{l}.layer.0.layer_norm.weight"] = 1 + rand(D, std=0.1)
        attn(f"decoder.block.{l}.layer.1.EncDecAttention")
        t[f"decoder.block.{l}.layer.1.layer_norm.weight"] = 1 + rand(D, std=0.1)
        ffn(f"decoder.block.{l}.layer.2")
    P = write_folder(folder, config, t, dtype, shards, pad)
    vocab = t5_tokenizer(folder)
    params = sum(v.numel() for n, v in t.items() if "embed_tokens" not in n)

    def ff(x, p):
        h = t5_layer_norm(x, P[p + ".layer_norm.weight"], eps)
        if gated:
            h = gelu_new(linear(h, P, p + ".DenseReluDense.wi_0", False)) \
                * linear(h, P, p + ".DenseReluDense.wi_1", False)
        else:
            h = torch.relu(linear(h, P, p + ".DenseReluDense.wi", False))
        return x + linear(h, P, p + ".DenseReluDense.wo", False)

    def mha(xq, xkv, p, bias, causal):
        q, k, v = (linear(xkv if m != "q" else xq, P, f"{p}.{m}", False) for m in "qkv")
        a, w = attend(q, k, v, H, 1.0, causal=causal, bias=bias)  # T5 does not scale
        return linear(a, P, f"{p}.o", False), w

    def forward(src, tgt):
        return t5_body(torch.tensor(src), torch.tensor(tgt), len(src), len(tgt))

    def t5_body(src, tgt, n, m):
        enc_bias = t5_bias(P["encoder.block.0.layer.0.SelfAttention.relative_attention_bias.weight"],
                           n, n, True, NB, MD)
        dec_bias = t5_bias(P["decoder.block.0.layer.0.SelfAttention.relative_attention_bias.weight"],
                           m, m, False, NB, MD)
        x = P["shared.weight"][src]
        enc_att, dec_att, cross_att = [], [], []
        for l in range(LE):
            p = f"encoder.block.{l}.layer.0"
            h = t5_layer_norm(x, P[p + ".layer_norm.weight"], eps)
            a, w = mha(h, h, p + ".SelfAttention", enc_bias, False)
            enc_att.append(w)
            x = ff(x + a, f"encoder.block.{l}.layer.1")
        memory = t5_layer_norm(x, P["encoder.final_layer_norm.weight"], eps)
        y = P["shared.weight"][tgt]
        for l in range(LD):
            p = f"decoder.block.{l}.layer."
            h = t5_layer_norm(y, P[p + "0.layer_norm.weight"], eps)
            a, w = mha(h, h, p + "0.SelfAttention", dec_bias, True)
            dec_att.append(w)
            y = y + a
            h = t5_layer_norm(y, P[p + "1.layer_norm.weight"], eps)
            a, w = mha(h, memory, p + "1.EncDecAttention", None, False)
            cross_att.append(w)
            y = ff(y + a, p + "2")
        y = t5_layer_norm(y, P["decoder.final_layer_norm.weight"], eps)
        if gated:
            logits = y @ P["lm_head.weight"].T
        else:
            logits = (y * D ** -0.5) @ P["shared.weight"].T
        return logits, enc_att, dec_att, cross_att

    src = [5, 9, 14, 22, 31, 7, 40, 18, 26, 11, 3, 1]
    tgt = [0, 12, 33, 8, 45, 19, 27, 4]
    logits, enc_att, dec_att, cross_att = forward(src, tgt)
    return {"arch": "encdec", "src": src, "tgt": tgt, "logits": logits.tolist(),
            "encoder": [w.tolist() for w in enc_att], "decoder": [w.tolist() for w in dec_att],
            "cross": [w.tolist() for w in cross_att],
            "_forward": forward, "_vocab": vocab, "_params": params}


# ---- Llama, Mistral, Qwen2 ---------------------------------------------------------------

def rope_inv_freq(hd, theta, scaling):
    """As modeling_rope_utils computes them, in float32."""
    inv_freq = 1.0 / (theta ** (torch.arange(0, hd, 2, dtype=torch.int64).float() / hd))
    if scaling is None:
        return inv_freq
    if scaling["rope_type"] == "linear":
        return inv_freq / scaling["factor"]
    factor, low, high = scaling["factor"], scaling["low_freq_factor"], scaling["high_freq_factor"]
    old = scaling["original_max_position_embeddings"]
    low_wavelen, high_wavelen = old / low, old / high
    wavelen = 2 * math.pi / inv_freq
    inv_llama = torch.where(wavelen > low_wavelen, inv_freq / factor, inv_freq)
    smooth = (old / wavelen - low) / (high - low)
    smoothed = (1 - smooth) * inv_llama / factor + smooth * inv_llama
    medium = ~(wavelen < high_wavelen) * ~(wavelen > low_wavelen)
    return torch.where(medium, smoothed, inv_llama)


def rotate_half(x):
    x1, x2 = x[..., : x.shape[-1] // 2], x[..., x.shape[-1] // 2:]
    return torch.cat((-x2, x1), dim=-1)


def llama_case(folder, model_type, dtype, H, KV, head_dim=None, tied=False, window=0,
               scaling=None, theta=10000.0, D=32):
    V, L, T, F = 300, 2, 64, 56
    hd = head_dim or D // H
    eps = 1e-5
    config = {"model_type": model_type, "architectures": ["LlamaForCausalLM"], "vocab_size": V,
              "hidden_size": D, "intermediate_size": F, "num_hidden_layers": L,
              "num_attention_heads": H, "num_key_value_heads": KV, "max_position_embeddings": T,
              "rms_norm_eps": eps, "rope_theta": theta, "hidden_act": "silu",
              "tie_word_embeddings": tied, "bos_token_id": 1, "eos_token_id": 2,
              "rope_scaling": scaling}
    if head_dim:
        config["head_dim"] = head_dim
    if model_type == "mistral":
        config["sliding_window"] = window
    if model_type == "qwen2":
        config["use_sliding_window"] = False
    qkv_bias = model_type == "qwen2"
    t = {"model.embed_tokens.weight": rand(V, D), "model.norm.weight": 1 + rand(D, std=0.1)}
    if not tied:
        t["lm_head.weight"] = rand(V, D)
    for l in range(L):
        p = f"model.layers.{l}."
        t[p + "input_layernorm.weight"] = 1 + rand(D, std=0.1)
        t[p + "post_attention_layernorm.weight"] = 1 + rand(D, std=0.1)
        t[p + "self_attn.q_proj.weight"] = rand(H * hd, D)
        t[p + "self_attn.k_proj.weight"] = rand(KV * hd, D)
        t[p + "self_attn.v_proj.weight"] = rand(KV * hd, D)
        t[p + "self_attn.o_proj.weight"] = rand(D, H * hd)
        if qkv_bias:
            t[p + "self_attn.q_proj.bias"] = rand(H * hd)
            t[p + "self_attn.k_proj.bias"] = rand(KV * hd)
            t[p + "self_attn.v_proj.bias"] = rand(KV * hd)
        t[p + "mlp.gate_proj.weight"] = rand(F, D)
        t[p + "mlp.up_proj.weight"] = rand(F, D)
        t[p + "mlp.down_proj.weight"] = rand(D, F)
        # older files carry the rotary frequencies as a buffer
        t[p + "self_attn.rotary_emb.inv_freq"] = rope_inv_freq(hd, theta, None)
    P = write_folder(folder, config, t, dtype)
    gpt2_tokenizer(folder)
    inv_freq = rope_inv_freq(hd, theta, scaling)
    params = sum(v.numel() for n, v in t.items() if "inv_freq" not in n)

    def forward(ids):
        ids = torch.tensor(ids)
        n = len(ids)
        freqs = torch.arange(n).float()[:, None] * inv_freq[None, :]
        emb = torch.cat((freqs, freqs), dim=-1)
        cos, sin = emb.cos().double(), emb.sin().double()
        x = P["model.embed_tokens.weight"][ids]
        allowed = torch.arange(n)[None, :] <= torch.arange(n)[:, None]
        if window:
            allowed &= torch.arange(n)[None, :] > torch.arange(n)[:, None] - window
        att = []
        for l in range(L):
            p = f"model.layers.{l}."
            h = t5_layer_norm(x, P[p + "input_layernorm.weight"], eps)
            q = linear(h, P, p + "self_attn.q_proj", qkv_bias).view(n, H, hd).transpose(0, 1)
            k = linear(h, P, p + "self_attn.k_proj", qkv_bias).view(n, KV, hd).transpose(0, 1)
            v = linear(h, P, p + "self_attn.v_proj", qkv_bias).view(n, KV, hd).transpose(0, 1)
            q = q * cos + rotate_half(q) * sin
            k = k * cos + rotate_half(k) * sin
            # repeat_kv: each K/V head serves H / KV query heads in a row
            k = k.repeat_interleave(H // KV, dim=0)
            v = v.repeat_interleave(H // KV, dim=0)
            sc = (q @ k.transpose(1, 2)) / math.sqrt(hd)
            w = torch.softmax(sc.masked_fill(~allowed, float("-inf")), -1)
            att.append(w)
            a = (w @ v).transpose(0, 1).reshape(n, H * hd)
            x = x + linear(a, P, p + "self_attn.o_proj", False)
            h = t5_layer_norm(x, P[p + "post_attention_layernorm.weight"], eps)
            g = linear(h, P, p + "mlp.gate_proj", False)
            x = x + linear(g * torch.sigmoid(g) * linear(h, P, p + "mlp.up_proj", False), P,
                           p + "mlp.down_proj", False)
        x = t5_layer_norm(x, P["model.norm.weight"], eps)
        head = P["model.embed_tokens.weight"] if tied else P["lm_head.weight"]
        return x @ head.T, att

    ids = [1, 17, 5, 42, 17, 5, 9, 0, 33, 12, 44, 250, 299]
    logits, att = forward(ids)
    return {"arch": "decoder", "tgt": ids, "logits": logits.tolist(),
            "decoder": [w.tolist() for w in att], "_forward": forward, "_params": params}


CASES = [
    ("gpt2-prefixed-f32", lambda d: gpt2_case(d, "transformer.", torch.float32, 1, True)),
    ("gpt2-bare-bf16-sharded", lambda d: gpt2_case(d, "", torch.bfloat16, 3, True)),
    ("gpt2-f32-unaligned", lambda d: gpt2_case(d, "", torch.float32, 1, False)),
    ("bert-gamma-beta-f32", lambda d: bert_case(d, torch.float32, True, True)),
    ("bert-f16-bare", lambda d: bert_case(d, torch.float16, False, False)),
    ("distilbert-bf16", lambda d: distilbert_case(d, torch.bfloat16)),
    ("t5-v1-relu-f32", lambda d: t5_case(d, torch.float32, False, 1, True)),
    ("t5-v1.1-gated-bf16-sharded", lambda d: t5_case(d, torch.bfloat16, True, 2, True)),
    # GQA with 2 query heads per K/V head, BF16, its own head
    ("llama-gqa2-bf16", lambda d: llama_case(d, "llama", torch.bfloat16, 4, 2)),
    # GQA with 4 per K/V head, heads of 8 beside a width of 48, tied, Llama 3.1's rope scaling
    ("llama3-gqa4-scaled-f32", lambda d: llama_case(
        d, "llama", torch.float32, 8, 2, head_dim=8, tied=True, D=48, theta=500000.0,
        scaling={"rope_type": "llama3", "factor": 8.0, "low_freq_factor": 1.0,
                 "high_freq_factor": 4.0, "original_max_position_embeddings": 16})),
    # a sliding window of 4, shorter than the input, and linear rope scaling
    ("mistral-window-f32", lambda d: llama_case(d, "mistral", torch.float32, 4, 1, window=4,
                                                scaling={"rope_type": "linear", "factor": 2.0})),
    # biases on q, k and v, tied
    ("qwen2-bias-f32", lambda d: llama_case(d, "qwen2", torch.float32, 4, 2, tied=True,
                                            theta=1000000.0)),
]


def run_triad(triad, *args):
    r = subprocess.run([triad, *args], capture_output=True, text=True,
                       env={**os.environ, "LANGUAGE": "en", "LC_ALL": "C.UTF-8"})
    if r.returncode != 0:
        raise AssertionError(f"triad {' '.join(args)}: status {r.returncode}: {r.stderr}")
    return r.stdout


def close(a, b, tol=1e-4):
    return all(abs(x - y) <= tol * max(1.0, abs(y)) for x, y in zip(a, b)) and len(a) == len(b)


def cli_cases(root, triad, built):
    """Triad's commands with --model on the folders, against the reference: the ids worked out
    by hand from each tokenizer's vocabulary, the numbers from the PyTorch forward pass."""
    failed = []

    def check(name, ok, detail=""):
        print(f"cli {name}: {'ok' if ok else 'FAILED ' + detail}")
        if not ok:
            failed.append("cli " + name)

    # GPT-2: inspect, attention, generate, export
    g = built["gpt2-prefixed-f32"]
    d = os.path.join(root, "gpt2-prefixed-f32")
    info = json.loads(run_triad(triad, "inspect", "--model", d))
    check("inspect gpt2", info["architecture"] == "decoder" and info["model_type"] == "gpt2"
          and info["parameters"] == g["_params"] and info["tokenizer"]["kind"] == "byte-level BPE"
          and info["context"] == 64 and info["decoder_layers"] == 2 and info["heads"] == 4
          # a K and a V row of 32 floats per layer and token
          and info["memory"]["kv_cache_bytes_per_token"] == 2 * 2 * 32 * 4, json.dumps(info))
    v = g["_vocab"]
    out = json.loads(run_triad(triad, "attention", "--model", d, "--text", "the cat sat",
                               "--layer", "1", "--head", "2"))
    # "the" → t + he (no "Ġ" before the first word), " cat" → Ġcat, " sat" → Ġsat
    want = [v["t"], v["he"], v["Ġcat"], v["Ġsat"]]
    _, att = g["_forward"](want)
    check("attention gpt2 ids", out["ids"] == want, str(out["ids"]))
    check("attention gpt2 weights", close(sum(out["weights"], []), att[1][2].flatten().tolist()))
    lines = [json.loads(l) for l in run_triad(triad, "generate", "--model", d, "--prompt",
                                                "the cat", "--max-tokens", "3").splitlines()]
    ids = [v["t"], v["he"], v["Ġcat"]]
    for _ in range(3):
        logits, _ = g["_forward"](ids)
        ids.append(int(logits[-1].argmax()))
    got = [l["token"] for l in lines if "token" in l]
    check("generate gpt2 greedy", got == ids[3:], f"{got} vs {ids[3:]}")
    png = os.path.join(root, "gpt2.png")
    run_triad(triad, "export", "--model", d, "--text", "the cat sat", "-o", png)
    with open(png, "rb") as f:
        check("export gpt2", f.read(8) == b"\x89PNG\r\n\x1a\n")

    # BERT: predict fills [MASK] with the masked-LM head's softmax
    b = built["bert-gamma-beta-f32"]
    d = os.path.join(root, "bert-gamma-beta-f32")
    v = b["_vocab"]
    out = json.loads(run_triad(triad, "predict", "--model", d, "--text", "the [MASK] sat",
                               "--top", "3"))
    ids = [v["[CLS]"], v["the"], v["[MASK]"], v["sat"], v["[SEP]"]]
    logits, _ = b["_forward"](ids)
    probs = torch.softmax(logits[2], -1)
    top = probs.argsort(descending=True)[:3].tolist()
    cands = out["masks"][0]["candidates"] if out["masks"] else []
    check("predict bert", out["masks"][0]["position"] == 2
          and [c["token"] for c in cands] == top
          and close([c["prob"] for c in cands], probs[top].tolist()), json.dumps(out))

    # T5: cross-attention on a given target, after decoder_start_token_id
    t = built["t5-v1-relu-f32"]
    d = os.path.join(root, "t5-v1-relu-f32")
    v = t["_vocab"]
    out = json.loads(run_triad(triad, "attention", "--model", d, "--text", "the cat sat",
                               "--target", "die Katze", "--kind", "cross", "--layer", "2",
                               "--head", "5"))
    src = [v["▁the"], v["▁cat"], v["▁sat"], v["</s>"]]
    tgt = [0, v["▁die"], v["▁Katze"]]
    _, _, _, cross = t["_forward"](src, tgt)
    check("attention t5 ids", out["ids"] == src and out["target_ids"] == tgt,
          f"{out['ids']} {out['target_ids']}")
    check("attention t5 cross", close(sum(out["weights"], []), cross[2][5].flatten().tolist()))
    return failed


def broken_cases(root, checker):
    """Folders broken the ways real downloads break, each with the sentence it must give."""
    failed = []

    def expect(name, text, mutate, env=None):
        folder = os.path.join(root, "broken-" + name)
        shutil.rmtree(folder, ignore_errors=True)
        shutil.copytree(os.path.join(root, "gpt2-bare-bf16-sharded"), folder)
        mutate(folder)
        r = subprocess.run([checker, "--error", text, folder], env={**os.environ, **(env or {})})
        print(f"broken {name}: {'ok' if r.returncode == 0 else 'FAILED'}")
        if r.returncode != 0:
            failed.append("broken " + name)

    def edit_config(folder, **changes):
        path = os.path.join(folder, "config.json")
        with open(path) as f:
            c = json.load(f)
        c.update(changes)
        with open(path, "w") as f:
            json.dump(c, f)

    expect("missing-shard", "lacks",
           lambda d: os.remove(os.path.join(d, "model-00002-of-00003.safetensors")))
    expect("model-type", "gpt2, bert, distilbert, t5",
           lambda d: edit_config(d, model_type="mamba"))
    expect("shape", "but config.json makes it", lambda d: edit_config(d, n_embd=48))
    expect("no-tokenizer", "tokenizer.json",
           lambda d: os.remove(os.path.join(d, "tokenizer.json")))
    expect("pytorch-bin", "pytorch_model.bin",
           lambda d: [os.remove(os.path.join(d, f)) for f in os.listdir(d)
                      if "safetensors" in f] and open(os.path.join(d, "pytorch_model.bin"), "wb").close())
    # the model's F32 tensors take about 0.1 MB: a machine with 50 kB free cannot hold them
    expect("memory", "of memory", lambda d: None, {"TRIAD_MEMORY_AVAILABLE": "50000"})
    return failed


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--check")
    ap.add_argument("--workdir")
    ap.add_argument("--triad", help="the triad program: also check its commands on the folders")
    ap.add_argument("--fixtures", help="only write a GPT-2, a BERT and a T5 folder into this one")
    args = ap.parse_args()
    if args.fixtures:
        gpt2_case(os.path.join(args.fixtures, "gpt2"), "transformer.", torch.float32, 1, True)
        bert_case(os.path.join(args.fixtures, "bert"), torch.float32, False, True)
        t5_case(os.path.join(args.fixtures, "t5"), torch.float32, False, 1, True)
        # Llama- and Mistral-shaped decoders with a byte-level BPE tokenizer as Llama 3's is
        llama_case(os.path.join(args.fixtures, "llama"), "llama", torch.float32, 4, 2)
        llama_case(os.path.join(args.fixtures, "mistral"), "mistral", torch.float32, 4, 1, window=8)
        return
    root = args.workdir or tempfile.mkdtemp(prefix="triad-hf-")
    failed = []
    built = {}
    try:
        for name, build in CASES:
            folder = os.path.join(root, name)
            expected = build(folder)
            built[name] = expected
            with open(os.path.join(root, name + ".json"), "w") as f:
                json.dump({k: v for k, v in expected.items() if not k.startswith("_")}, f)
            r = subprocess.run([args.check, folder, os.path.join(root, name + ".json")])
            print(f"{name}: {'ok' if r.returncode == 0 else 'FAILED'}")
            if r.returncode != 0:
                failed.append(name)
        failed += broken_cases(root, args.check)
        if args.triad:
            failed += cli_cases(root, args.triad, built)
    finally:
        if not args.workdir:
            shutil.rmtree(root, ignore_errors=True)
    if failed:
        print("failed:", ", ".join(failed), file=sys.stderr)
        sys.exit(1)


if __name__ == "__main__":
    main()
