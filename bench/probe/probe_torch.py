"""Training throughput of the organisers' probe network in Python PyTorch (reference for `make bench-probe`).

The same network, optimiser and batch as training_pipeline (Net, AdamW lr 1e-3 wd 0.01, batch 128, BCE with
logits), written here from the published description; random inputs and labels, fixed number of steps.
Prints one JSON line: {"impl": "pytorch", "steps_per_s": ..., "cpu_s_per_step": ...}.
"""
import argparse
import json
import time

import torch
from torch import nn


class Block(nn.Module):
    def __init__(self, thin, wide):
        super().__init__()
        self.l1 = nn.Linear(thin, wide)
        self.l2 = nn.Linear(wide, thin)
        self.gelu = nn.GELU()

    def forward(self, x):
        return self.l2(self.gelu(self.l1(x)))


class Net(nn.Module):
    def __init__(self, dim, out, thin=2048, wide=4096):
        super().__init__()
        self.input_projection = nn.Linear(dim, thin)
        self.ln_input = nn.LayerNorm(thin)
        self.layernorms = nn.ModuleList([nn.LayerNorm(thin) for _ in range(3)])
        self.blocks = nn.ModuleList([Block(thin, wide) for _ in range(3)])
        self.ln_output = nn.LayerNorm(thin)
        self.linear_output = nn.Linear(thin, out)

    def forward(self, x):
        x = self.ln_input(self.input_projection(x))
        for ln, b in zip(self.layernorms, self.blocks):
            x = x + b(ln(x))
        return self.linear_output(self.ln_output(x))


def main():
    p = argparse.ArgumentParser()
    p.add_argument("--dim", type=int, default=320)
    p.add_argument("--out", type=int, default=100)
    p.add_argument("--batch", type=int, default=128)
    p.add_argument("--steps", type=int, default=20)
    p.add_argument("--warmup", type=int, default=3)
    p.add_argument("--thin", type=int, default=2048)
    p.add_argument("--wide", type=int, default=4096)
    a = p.parse_args()
    torch.manual_seed(1278)
    net = Net(a.dim, a.out, a.thin, a.wide)
    opt = torch.optim.AdamW(net.parameters(), lr=1e-3)
    x = torch.randn(a.batch, a.dim)
    y = (torch.rand(a.batch, a.out) < 0.05).float()

    def step():
        opt.zero_grad()
        loss = nn.functional.binary_cross_entropy_with_logits(net(x), y)
        loss.backward()
        opt.step()
        return loss

    for _ in range(a.warmup):
        step()
    t0 = time.perf_counter()
    c0 = time.process_time()
    for _ in range(a.steps):
        step()
    secs = time.perf_counter() - t0
    cpu = time.process_time() - c0
    params = sum(t.numel() for t in net.parameters())
    print(json.dumps({"impl": "pytorch", "torch": torch.__version__, "threads": torch.get_num_threads(),
                      "dim": a.dim, "out": a.out, "batch": a.batch, "params": params, "steps": a.steps,
                      "seconds": round(secs, 3), "steps_per_s": round(a.steps / secs, 4),
                      "rows_per_s": round(a.steps * a.batch / secs, 1), "cpu_seconds": round(cpu, 3),
                      "cpu_s_per_step": round(cpu / a.steps, 4)}))


if __name__ == "__main__":
    main()
