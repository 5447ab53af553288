"""PyTorch reference for the WGAN-GP training throughput (bench/models.ts runs it beside the TensorFlow.js figures).

The architecture of main/models/wgan-gp.ts (the WGAN/VAE study's): generator z(100) -> ConvT 4w (k4 s1 p0) ->
2w (k3 s2 p1) -> w (k4 s2 p1) -> 1 (k4 s2 p1), InstanceNorm + LeakyReLU(0.2) between, no biases, tanh mapped to
[0, 1]; critic Conv w (k4 s2 p1) -> 2w (k4 s2 p1, IN) -> 4w (k3 s2 p1, IN) -> 1 (k4 s1 p0). The critic step (with
the gradient penalty, lambda 10) and the generator step are timed separately, as is sampling (the generator at
`--samples` noise vectors, no grad). Adam(2e-4, 0.5, 0.9). Data: random rows in [0, 1]. Prints one JSON line: the
median rates of several blocks ("criticImagesPerSecond", "generatorImagesPerSecond", "sampleImagesPerSecond"), each
block's rate and load average, the parameter counts.

Run: /usr/bin/python3 bench/reference/wgan_gp_torch.py --batch 64 --width 64 --seconds 3 --blocks 3 --threads 1
"""
import argparse

import torch
import torch.nn as nn

from reference_timing import configure, emit, param_count, timed_blocks, timing_arguments


def generator(nz, w):
    return nn.Sequential(
        nn.ConvTranspose2d(nz, 4 * w, 4, 1, 0, bias=False), nn.InstanceNorm2d(4 * w), nn.LeakyReLU(0.2),
        nn.ConvTranspose2d(4 * w, 2 * w, 3, 2, 1, bias=False), nn.InstanceNorm2d(2 * w), nn.LeakyReLU(0.2),
        nn.ConvTranspose2d(2 * w, w, 4, 2, 1, bias=False), nn.InstanceNorm2d(w), nn.LeakyReLU(0.2),
        nn.ConvTranspose2d(w, 1, 4, 2, 1, bias=False), nn.Tanh(),
    )


def critic(w):
    return nn.Sequential(
        nn.Conv2d(1, w, 4, 2, 1, bias=False), nn.LeakyReLU(0.2),
        nn.Conv2d(w, 2 * w, 4, 2, 1, bias=False), nn.InstanceNorm2d(2 * w), nn.LeakyReLU(0.2),
        nn.Conv2d(2 * w, 4 * w, 3, 2, 1, bias=False), nn.InstanceNorm2d(4 * w), nn.LeakyReLU(0.2),
        nn.Conv2d(4 * w, 1, 4, 1, 0),
    )


def main():
    p = argparse.ArgumentParser()
    timing_arguments(p, batch=64, samples=512)
    p.add_argument("--width", type=int, default=64)
    a = p.parse_args()
    configure(a.threads)
    g, f = generator(100, a.width), critic(a.width)
    og = torch.optim.Adam(g.parameters(), 2e-4, betas=(0.5, 0.9))
    of = torch.optim.Adam(f.parameters(), 2e-4, betas=(0.5, 0.9))
    real = torch.rand(a.batch, 1, 28, 28)

    def critic_step():
        z = torch.rand(a.batch, 100, 1, 1) * 2 - 1
        with torch.no_grad():
            fake = (g(z) + 1) / 2
        eps = torch.rand(a.batch, 1, 1, 1)
        xhat = (eps * real + (1 - eps) * fake).requires_grad_(True)
        grad, = torch.autograd.grad(f(xhat).sum(), xhat, create_graph=True)
        gp = ((grad.flatten(1).norm(dim=1) - 1) ** 2).mean()
        loss = f(fake).mean() - f(real).mean() + 10 * gp
        of.zero_grad()
        loss.backward()
        of.step()

    def generator_step():
        z = torch.rand(a.batch, 100, 1, 1) * 2 - 1
        loss = -f((g(z) + 1) / 2).mean()
        og.zero_grad()
        loss.backward()
        og.step()

    @torch.no_grad()
    def sample():
        return (g(torch.rand(a.samples, 100, 1, 1) * 2 - 1) + 1) / 2

    critic_rate = timed_blocks(critic_step, a.batch, a.seconds, a.blocks, warmup=1)
    generator_rate = timed_blocks(generator_step, a.batch, a.seconds, a.blocks, warmup=1)
    sample_rate = timed_blocks(sample, a.samples, a.seconds, a.blocks, warmup=1)
    emit({
        "model": "wgan-gp",
        "params": param_count(g, f),
        "generatorParams": param_count(g),
        "criticParams": param_count(f),
        "batch": a.batch,
        "width": a.width,
        "criticImagesPerSecond": critic_rate["median"],
        "generatorImagesPerSecond": generator_rate["median"],
        "sampleImagesPerSecond": sample_rate["median"],
        "blocks": {"critic": critic_rate["blocks"], "generator": generator_rate["blocks"], "sample": sample_rate["blocks"]},
    })


if __name__ == "__main__":
    main()
