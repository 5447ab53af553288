"""PyTorch reference for the VAE-MLP training step and sampling (bench/train.ts runs it beside the TensorFlow.js figures).

The same architecture as main/models/vae-mlp.ts: encoder dim -> hidden... (LeakyReLU 0.2) -> mean and log-variance,
decoder latent -> reversed hidden (LeakyReLU 0.2) -> dim with a sigmoid; loss BCE (sum) + KL averaged over the batch;
Adam(1e-3). Data: random MNIST-shaped rows in [0, 1] (throughput does not depend on the pixel values). Sampling: the
decoder's pixel means at `--samples` N(0, I) latents, no grad. Prints one JSON line: the median rates of `--blocks`
blocks of `--seconds` each ("imagesPerSecond" for training, "sampleImagesPerSecond"), each block's rate and load
average, the parameter count, the threads and torch's version.

Run: /usr/bin/python3 bench/reference/vae_mlp_torch.py --batch 128 --seconds 3 --blocks 3 --threads 1
"""
import argparse

import torch
import torch.nn as nn
import torch.nn.functional as F

from reference_timing import configure, emit, param_count, timed_blocks, timing_arguments


class Vae(nn.Module):
    def __init__(self, dim, hidden, latent):
        super().__init__()
        enc, prev = [], dim
        for h in hidden:
            enc += [nn.Linear(prev, h), nn.LeakyReLU(0.2)]
            prev = h
        self.enc = nn.Sequential(*enc)
        self.mu = nn.Linear(prev, latent)
        self.logvar = nn.Linear(prev, latent)
        dec, prev = [], latent
        for h in reversed(hidden):
            dec += [nn.Linear(prev, h), nn.LeakyReLU(0.2)]
            prev = h
        dec += [nn.Linear(prev, dim), nn.Sigmoid()]
        self.dec = nn.Sequential(*dec)

    def forward(self, x):
        h = self.enc(x)
        mu, logvar = self.mu(h), self.logvar(h)
        z = mu + torch.exp(0.5 * logvar) * torch.randn_like(mu)
        return self.dec(z), mu, logvar


def main():
    p = argparse.ArgumentParser()
    timing_arguments(p, batch=128, samples=2048)
    p.add_argument("--latent", type=int, default=20)
    p.add_argument("--hidden", type=str, default="400,400")
    p.add_argument("--dim", type=int, default=784)
    a = p.parse_args()
    configure(a.threads)
    hidden = [int(h) for h in a.hidden.split(",")]
    model = Vae(a.dim, hidden, a.latent)
    opt = torch.optim.Adam(model.parameters(), lr=1e-3)
    data = torch.rand(60 * a.batch, a.dim)
    nb = data.shape[0] // a.batch
    k = [0]

    def step():
        i = k[0] % nb
        k[0] += 1
        x = data[i * a.batch : (i + 1) * a.batch]
        recon, mu, logvar = model(x)
        bce = F.binary_cross_entropy(recon, x, reduction="sum")
        kl = -0.5 * torch.sum(1 + logvar - mu.pow(2) - logvar.exp())
        loss = (bce + kl) / x.shape[0]
        opt.zero_grad()
        loss.backward()
        opt.step()

    @torch.no_grad()
    def sample():
        return model.dec(torch.randn(a.samples, a.latent))

    train = timed_blocks(step, a.batch, a.seconds, a.blocks, warmup=20)
    samp = timed_blocks(sample, a.samples, a.seconds, a.blocks)
    emit({
        "model": "vae-mlp",
        "params": param_count(model),
        "batch": a.batch,
        "imagesPerSecond": train["median"],
        "sampleImagesPerSecond": samp["median"],
        "blocks": {"train": train["blocks"], "sample": samp["blocks"]},
    })


if __name__ == "__main__":
    main()
