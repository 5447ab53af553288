"""PyTorch reference for the VAE-MLP training throughput (bench/train.ts runs it beside the TensorFlow.js figures).

The same architecture as main/models/vae-mlp.ts: encoder dim -> hidden... (LeakyReLU 0.2) -> mean and log-variance,
decoder latent -> reversed hidden (LeakyReLU 0.2) -> dim with a sigmoid; loss BCE (sum) + KL averaged over the batch;
Adam(1e-3). Data: random MNIST-shaped rows in [0, 1] (throughput does not depend on the pixel values).
Prints one JSON line: {"imagesPerSecond": ..., "threads": ..., "torch": ...}.

Run: /usr/bin/python3 bench/reference/vae_mlp_torch.py --batch 128 --seconds 10 --threads 2
"""
import argparse
import json
import time

import torch
import torch.nn as nn
import torch.nn.functional as F


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
    p.add_argument("--batch", type=int, default=128)
    p.add_argument("--seconds", type=float, default=10)
    p.add_argument("--threads", type=int, default=2)
    p.add_argument("--latent", type=int, default=20)
    p.add_argument("--hidden", type=str, default="400,400")
    p.add_argument("--dim", type=int, default=784)
    p.add_argument("--warmup", type=int, default=20)
    a = p.parse_args()
    torch.set_num_threads(a.threads)
    torch.manual_seed(0)
    hidden = [int(h) for h in a.hidden.split(",")]
    model = Vae(a.dim, hidden, a.latent)
    opt = torch.optim.Adam(model.parameters(), lr=1e-3)
    data = torch.rand(60 * a.batch, a.dim)
    nb = data.shape[0] // a.batch

    def step(i):
        x = data[(i % nb) * a.batch : (i % nb + 1) * a.batch]
        recon, mu, logvar = model(x)
        bce = F.binary_cross_entropy(recon, x, reduction="sum")
        kl = -0.5 * torch.sum(1 + logvar - mu.pow(2) - logvar.exp())
        loss = (bce + kl) / x.shape[0]
        opt.zero_grad()
        loss.backward()
        opt.step()
        return loss

    for i in range(a.warmup):
        step(i)
    steps, t0 = 0, time.perf_counter()
    while time.perf_counter() - t0 < a.seconds:
        step(steps)
        steps += 1
    dt = time.perf_counter() - t0
    print(json.dumps({"imagesPerSecond": steps * a.batch / dt, "threads": a.threads, "torch": torch.__version__}))


if __name__ == "__main__":
    main()
