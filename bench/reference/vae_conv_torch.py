"""PyTorch reference for the convolutional VAE's training step and sampling (bench/models.ts runs it beside
TensorFlow.js). The same architecture as main/models/vae-conv.ts for 28x28x1 images and channels [c1, c2]:
  encoder: conv 4x4 s2 p1 (1 -> c1, bias) LeakyReLU(0.2), conv 4x4 s2 p1 (c1 -> c2, bias) LeakyReLU(0.2), flatten,
           dense 7*7*c2 -> 2*latent (mean, log-variance)
  decoder: dense latent -> 7*7*c2, LeakyReLU(0.2), transposed conv 4x4 s2 p1 (c2 -> c1, bias) LeakyReLU(0.2),
           transposed conv 4x4 s2 p1 (c1 -> 1, bias): Bernoulli logits
Loss: (BCE from the logits, summed over pixels, + KL) averaged over the batch; Adam(1e-3). Sampling: sigmoid of the
decoder at N(0, I) latents, no grad. Prints one JSON line (median rates of several blocks, parameter count).

Run: /usr/bin/python3 bench/reference/vae_conv_torch.py --batch 128 --threads 1
"""
import argparse

import torch
import torch.nn as nn
import torch.nn.functional as F

from reference_timing import configure, emit, param_count, timed_blocks, timing_arguments


class VaeConv(nn.Module):
    def __init__(self, c1, c2, latent):
        super().__init__()
        self.c2, self.latent = c2, latent
        self.e1 = nn.Conv2d(1, c1, 4, 2, 1)
        self.e2 = nn.Conv2d(c1, c2, 4, 2, 1)
        self.head = nn.Linear(7 * 7 * c2, 2 * latent)
        self.dec = nn.Linear(latent, 7 * 7 * c2)
        self.d1 = nn.ConvTranspose2d(c2, c1, 4, 2, 1)
        self.d0 = nn.ConvTranspose2d(c1, 1, 4, 2, 1)

    def encode(self, x):
        h = F.leaky_relu(self.e2(F.leaky_relu(self.e1(x), 0.2)), 0.2)
        mu, logvar = self.head(h.flatten(1)).split(self.latent, 1)
        return mu, logvar

    def decode_logits(self, z):
        h = F.leaky_relu(self.dec(z), 0.2).view(-1, self.c2, 7, 7)
        return self.d0(F.leaky_relu(self.d1(h), 0.2))


def main():
    p = argparse.ArgumentParser()
    timing_arguments(p, batch=128, samples=512)
    p.add_argument("--channels", type=str, default="32,64")
    p.add_argument("--latent", type=int, default=16)
    a = p.parse_args()
    configure(a.threads)
    c1, c2 = (int(v) for v in a.channels.split(","))
    m = VaeConv(c1, c2, a.latent)
    opt = torch.optim.Adam(m.parameters(), lr=1e-3)
    data = torch.rand(8 * a.batch, 1, 28, 28)
    k = [0]

    def train_step():
        i = k[0] % 8
        k[0] += 1
        x = data[i * a.batch : (i + 1) * a.batch]
        mu, logvar = m.encode(x)
        z = mu + torch.exp(0.5 * logvar) * torch.randn_like(mu)
        bce = F.binary_cross_entropy_with_logits(m.decode_logits(z), x, reduction="sum")
        kl = -0.5 * torch.sum(1 + logvar - mu.pow(2) - logvar.exp())
        loss = (bce + kl) / x.shape[0]
        opt.zero_grad()
        loss.backward()
        opt.step()

    @torch.no_grad()
    def sample():
        return torch.sigmoid(m.decode_logits(torch.randn(a.samples, a.latent)))

    train = timed_blocks(train_step, a.batch, a.seconds, a.blocks)
    samp = timed_blocks(sample, a.samples, a.seconds, a.blocks)
    emit({
        "model": "vae-conv",
        "params": param_count(m),
        "batch": a.batch,
        "trainImagesPerSecond": train["median"],
        "sampleImagesPerSecond": samp["median"],
        "blocks": {"train": train["blocks"], "sample": samp["blocks"]},
    })


if __name__ == "__main__":
    main()
