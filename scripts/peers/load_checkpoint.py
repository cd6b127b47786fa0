#!/usr/bin/env python3
"""Load an argmax/amortized/supervised checkpoint into a PyTorch module.

The checkpoint is a safetensors file; its metadata says everything needed to
rebuild the net ("encoding", "architecture" and "training" are JSON, "layout"
is prose). This script reads the file with the standard library (no
`safetensors` package needed), builds the same residual policy/value net in
PyTorch, copies the weights (converting argmax's HWIO convolution and [in, out]
linear layouts to PyTorch's), and for connect four evaluates a position:

    Install on Debian: apt-get install python3-torch
    Run:               python3 scripts/peers/load_checkpoint.py net.safetensors [moves]

e.g. `... net.safetensors 4453` prints the policy over the 7 columns and the
value for the side to move, which match the Go net's Distribution and
Evaluate to float32 rounding. Import it to use the module elsewhere:

    from load_checkpoint import load
    net, meta = load("net.safetensors")   # net(x) -> (logits, value), x [n, planes, 6, 7]
"""
import json
import struct
import sys

import torch
from torch import nn

DTYPES = {"F32": torch.float32, "F64": torch.float64}
FORMAT = "argmax/amortized/supervised.v1"


def read_safetensors(path):
    """Return ({name: tensor}, metadata) of a safetensors file."""
    with open(path, "rb") as f:
        raw = f.read()
    (n,) = struct.unpack("<Q", raw[:8])
    header = json.loads(raw[8:8 + n])
    meta = header.pop("__metadata__", {})
    data = raw[8 + n:]
    tensors = {}
    for name, e in header.items():
        begin, end = e["data_offsets"]
        t = torch.frombuffer(bytearray(data[begin:end]), dtype=DTYPES[e["dtype"]])
        tensors[name] = t.reshape(e["shape"]).clone()
    return tensors, meta


def conv_bn(cin, cout, k):
    """A bias-free k×k convolution (zero padding k//2) and its BatchNorm."""
    return nn.Conv2d(cin, cout, k, padding=k // 2, bias=False), nn.BatchNorm2d(cout, eps=1e-5)


class ResBlock(nn.Module):
    def __init__(self, c):
        super().__init__()
        self.conv1, self.bn1 = conv_bn(c, c, 3)
        self.conv2, self.bn2 = conv_bn(c, c, 3)

    def forward(self, x):
        h = torch.relu(self.bn1(self.conv1(x)))
        return torch.relu(x + self.bn2(self.conv2(h)))


class PolicyValueNet(nn.Module):
    """argmax/nn PolicyValueNet: input [n, planes, h, w] (NCHW here)."""

    def __init__(self, planes, h, w, blocks, channels, actions, value_hidden):
        super().__init__()
        self.stem, self.stem_bn = conv_bn(planes, channels, 3)
        self.blocks = nn.ModuleList(ResBlock(channels) for _ in range(blocks))
        self.policy_conv, self.policy_bn = conv_bn(channels, 2, 1)
        self.policy_fc = nn.Linear(2 * h * w, actions)
        self.value_conv, self.value_bn = conv_bn(channels, 1, 1)
        self.value_fc1 = nn.Linear(h * w, value_hidden)
        self.value_fc2 = nn.Linear(value_hidden, 1)

    def forward(self, x):
        h = torch.relu(self.stem_bn(self.stem(x)))
        for b in self.blocks:
            h = b(h)
        # argmax flattens channels-last images: (h, w, c) order.
        p = torch.relu(self.policy_bn(self.policy_conv(h))).permute(0, 2, 3, 1).flatten(1)
        v = torch.relu(self.value_bn(self.value_conv(h))).permute(0, 2, 3, 1).flatten(1)
        v = torch.tanh(self.value_fc2(torch.relu(self.value_fc1(v))))
        return self.policy_fc(p), v.squeeze(1)


def load(path):
    """Build the net described by the checkpoint at path and load its weights."""
    tensors, meta = read_safetensors(path)
    if meta.get("format") != FORMAT:
        raise ValueError(f"{path}: metadata format {meta.get('format')!r}, want {FORMAT!r}")
    arch = json.loads(meta["architecture"])
    a = arch["net"]
    net = PolicyValueNet(arch["input_planes"], arch["height"], arch["width"],
                         a["blocks"], a["channels"], arch["actions"], a["value_hidden"])
    pre = arch["param_prefix"] + "."
    # PyTorch module path -> argmax tensor name prefix
    names = {"stem": "stem", "stem_bn": "stem_bn",
             "policy_conv": "policy.conv", "policy_bn": "policy.bn", "policy_fc": "policy.fc",
             "value_conv": "value.conv", "value_bn": "value.bn",
             "value_fc1": "value.fc1", "value_fc2": "value.fc2"}
    for i in range(a["blocks"]):
        for part in ("conv1", "bn1", "conv2", "bn2"):
            names[f"blocks.{i}.{part}"] = f"block{i}.{part}"
    state = {}
    for mod_name, module in net.named_modules():
        if mod_name not in names:
            continue
        src = pre + names[mod_name]
        if isinstance(module, nn.Conv2d):
            state[mod_name + ".weight"] = tensors[src + ".weight"].permute(3, 2, 0, 1)  # HWIO -> OIHW
        elif isinstance(module, nn.Linear):
            state[mod_name + ".weight"] = tensors[src + ".weight"].t()  # [in, out] -> [out, in]
            state[mod_name + ".bias"] = tensors[src + ".bias"]
        elif isinstance(module, nn.BatchNorm2d):
            for k in ("weight", "bias", "running_mean", "running_var"):
                state[f"{mod_name}.{k}"] = tensors[f"{src}.{k}"]
            state[mod_name + ".num_batches_tracked"] = torch.tensor(0)
    net.load_state_dict({k: v if k.endswith("num_batches_tracked") else v.float().contiguous()
                         for k, v in state.items()})
    return net.eval(), meta


def encode_connect4(moves, ones_plane):
    """The planes of connect4.State.Encode for a position in the standard
    notation (1-based columns played): plane 0 the mover's stones, plane 1 the
    opponent's, row 0 the top row; then a plane of ones if the net has one."""
    heights = [0] * 7
    owner = {}
    for i, ch in enumerate(moves):
        c = int(ch) - 1
        owner[(heights[c], c)] = i % 2
        heights[c] += 1
    mover = len(moves) % 2
    x = torch.zeros(3 if ones_plane else 2, 6, 7)
    for (h, c), who in owner.items():
        x[0 if who == mover else 1, 5 - h, c] = 1
    if ones_plane:
        x[2] = 1
    legal = [heights[c] < 6 for c in range(7)]
    return x, legal


def main():
    if len(sys.argv) < 2:
        sys.exit(__doc__)
    net, meta = load(sys.argv[1])
    enc = json.loads(meta["encoding"])
    print(f"game {meta['game']}, encoding {enc}, architecture {meta['architecture']}")
    if meta["game"] != "connect4":
        return
    moves = sys.argv[2] if len(sys.argv) > 2 else ""
    x, legal = encode_connect4(moves, enc["ones_plane"])
    with torch.no_grad():
        logits, value = net(x.unsqueeze(0))
    logits = logits[0].masked_fill(~torch.tensor(legal), float("-inf"))
    probs = torch.softmax(logits, 0)
    print(f"position {moves!r}: policy {[round(p, 4) for p in probs.tolist()]}, value {value.item():.4f}")


if __name__ == "__main__":
    main()
