"""PyTorch reference for the DDPM's training step and DDIM sampling (bench/models.ts runs it beside TensorFlow.js).

The same compact U-Net as main/models/ddpm-unet.ts, for 28x28x1 images:
  sinusoidal time embedding (E) -> dense E->E, SiLU, dense E->E (temb)
  in conv 3x3 (1 -> c1) -> ResBlock(c1) -------------------------- skip ----------------+
  -> down conv 3x3 s2 p1 (c1 -> c2) -> ResBlock(c2) -> ResBlock(c2)                      |
  -> up transposed conv 4x4 s2 p1 (c2 -> c1) -> concat(skip) -> ResBlock(2c1 -> c1) -> GroupNorm, SiLU, conv 3x3 (c1 -> 1)
  ResBlock(cin -> cout): GN(cin), SiLU, conv 3x3 (+ dense(temb) per channel), GN(cout), SiLU, conv 3x3, plus the input
  (through a 1x1 conv when cin != cout). GroupNorm with the largest group count <= 8 dividing the channels, eps 1e-5.
Training step: x0 in [-1, 1], t uniform in [0, T), eps ~ N(0, I), x_t = sqrt(abar) x0 + sqrt(1 - abar) eps, MSE on eps,
Adam(2e-4). Sampling: DDIM (eta 0) on `--sampling-steps` evenly spaced steps, x0-hat clipped to [-1, 1], no grad.
Prints one JSON line with the median rates of several blocks and the parameter count (bench/models.ts compares it
with ours: they must be equal).

Run: /usr/bin/python3 bench/reference/ddpm_torch.py --batch 64 --channels 32,64 --threads 1
"""
import argparse
import math

import torch
import torch.nn as nn
import torch.nn.functional as F

from reference_timing import configure, emit, param_count, timed_blocks, timing_arguments


def groups_for(ch):
    for g in range(min(8, ch), 1, -1):
        if ch % g == 0:
            return g
    return 1


class ResBlock(nn.Module):
    def __init__(self, cin, cout, e):
        super().__init__()
        self.n1 = nn.GroupNorm(groups_for(cin), cin, eps=1e-5)
        self.c1 = nn.Conv2d(cin, cout, 3, 1, 1)
        self.t = nn.Linear(e, cout)
        self.n2 = nn.GroupNorm(groups_for(cout), cout, eps=1e-5)
        self.c2 = nn.Conv2d(cout, cout, 3, 1, 1)
        self.skip = nn.Conv2d(cin, cout, 1) if cin != cout else None

    def forward(self, x, temb):
        h = self.c1(F.silu(self.n1(x)))
        h = h + self.t(temb)[:, :, None, None]
        h = self.c2(F.silu(self.n2(h)))
        return (self.skip(x) if self.skip is not None else x) + h


class Unet(nn.Module):
    def __init__(self, c, c1, c2, e):
        super().__init__()
        self.e = e
        self.temb1 = nn.Linear(e, e)
        self.temb2 = nn.Linear(e, e)
        self.inc = nn.Conv2d(c, c1, 3, 1, 1)
        self.r1 = ResBlock(c1, c1, e)
        self.down = nn.Conv2d(c1, c2, 3, 2, 1)
        self.r2 = ResBlock(c2, c2, e)
        self.r3 = ResBlock(c2, c2, e)
        self.up = nn.ConvTranspose2d(c2, c1, 4, 2, 1)
        self.r4 = ResBlock(2 * c1, c1, e)
        self.outn = nn.GroupNorm(groups_for(c1), c1, eps=1e-5)
        self.out = nn.Conv2d(c1, c, 3, 1, 1)
        nn.init.zeros_(self.out.weight)
        nn.init.zeros_(self.out.bias)

    def forward(self, x, tsin):
        temb = self.temb2(F.silu(self.temb1(tsin)))
        h1 = self.r1(self.inc(x), temb)
        d = self.r3(self.r2(self.down(h1), temb), temb)
        r = self.r4(torch.cat([self.up(d), h1], 1), temb)
        return self.out(F.silu(self.outn(r)))


def timestep_embedding(ts, dim):
    half = dim // 2
    f = torch.exp(-math.log(10000) * torch.arange(half, dtype=torch.float32) / max(1, half - 1))
    a = ts.float()[:, None] * f[None, :]
    return torch.cat([torch.sin(a), torch.cos(a)], 1)


def main():
    p = argparse.ArgumentParser()
    timing_arguments(p, batch=64, samples=64)
    p.add_argument("--channels", type=str, default="32,64")
    p.add_argument("--time-embedding", type=int, default=64)
    p.add_argument("--timesteps", type=int, default=1000)
    p.add_argument("--sampling-steps", type=int, default=10)
    a = p.parse_args()
    configure(a.threads)
    c1, c2 = (int(v) for v in a.channels.split(","))
    net = Unet(1, c1, c2, a.time_embedding)
    opt = torch.optim.Adam(net.parameters(), lr=2e-4)
    betas = torch.linspace(1e-4, 0.02, a.timesteps, dtype=torch.float64)
    abar = torch.cumprod(1 - betas, 0).float()
    data = torch.rand(8 * a.batch, 1, 28, 28) * 2 - 1
    k = [0]

    def train_step():
        i = k[0] % 8
        k[0] += 1
        x0 = data[i * a.batch : (i + 1) * a.batch]
        ts = torch.randint(0, a.timesteps, (a.batch,))
        eps = torch.randn_like(x0)
        ab = abar[ts][:, None, None, None]
        xt = ab.sqrt() * x0 + (1 - ab).sqrt() * eps
        loss = F.mse_loss(net(xt, timestep_embedding(ts, a.time_embedding)), eps)
        opt.zero_grad()
        loss.backward()
        opt.step()

    schedule = [(i * a.timesteps) // a.sampling_steps for i in range(a.sampling_steps - 1, -1, -1)]

    @torch.no_grad()
    def sample():
        x = torch.randn(a.samples, 1, 28, 28)
        for j, t in enumerate(schedule):
            ab = abar[t]
            ab_prev = abar[schedule[j + 1]] if j + 1 < len(schedule) else torch.tensor(1.0)
            eps_hat = net(x, timestep_embedding(torch.full((a.samples,), t), a.time_embedding))
            x0 = ((x - (1 - ab).sqrt() * eps_hat) / ab.sqrt()).clamp(-1, 1)
            eps = (x - ab.sqrt() * x0) / (1 - ab).sqrt()
            x = ab_prev.sqrt() * x0 + (1 - ab_prev).clamp(min=0).sqrt() * eps
        return ((x + 1) / 2).clamp(0, 1)

    train = timed_blocks(train_step, a.batch, a.seconds, a.blocks)
    samp = timed_blocks(sample, a.samples, a.seconds, a.blocks, warmup=1)
    emit({
        "model": "ddpm",
        "params": param_count(net),
        "batch": a.batch,
        "channels": [c1, c2],
        "samplingSteps": a.sampling_steps,
        "trainImagesPerSecond": train["median"],
        "sampleImagesPerSecond": samp["median"],
        "blocks": {"train": train["blocks"], "sample": samp["blocks"]},
    })


if __name__ == "__main__":
    main()
