#!/usr/bin/python3
"""The PyTorch twins of the models `vae bench` measures, for its optional PyTorch column.

The benchmark starts this file once per backend with Debian's Python
(`/usr/bin/python3`, which has `python3-torch`; with `libopenblas0-pthread` or
`libopenblas0-openmp` installed torch runs on OpenBLAS, the build Debian's alternatives
pick, which the setup reply names) and the thread count it runs with, then drives it
over stdin/stdout, one JSON object a line, so its rounds alternate with the tfjs ones
and never overlap:

    {"cmd": "setup", "model": "mlp", "batch": 128}   -> {"ok": true, "torch": ..., "threads": 2,
                                                         "blas": ..., "parameters": 652824}
    {"cmd": "train", "steps": 10}                    -> {"seconds": 0.061}
    {"cmd": "sample", "n": 1024, "calls": 3}         -> {"seconds": 0.02}
    {"cmd": "quit"}

Models, as in `vae bench` (float32, Adam 1e-3, Bernoulli negative ELBO with the
closed-form KL, one reparameterized sample per example):
  mlp          784-400-20 MLP VAE, relu
  conv         convVAE's default: 28x28x1, conv 4x4/2 32 and 64 channels, dense 256,
               latent 16, and the mirror image with transposed convs
  conv-colour  the same at 32x32x3
Run by hand: OMP_NUM_THREADS=2 /usr/bin/python3 vae_bench.py --threads 2 < commands.jsonl
(`vae bench --pytorch` starts it with the model of `vae bench --model`, `mlp` by default).
`vae bench` sends one `train` line per round (a block of steps, timed here), so the
channel's round trip is not counted; the reply waits until this process's threads have
gone quiet (`settle`), so they do not spin into the next contender's round. The same figure from a plain loop, with nothing
running in between, to check the driven one against:
    OMP_NUM_THREADS=2 /usr/bin/python3 vae_bench.py --threads 2 --loop 70 [--model conv]
"""

import argparse
import json
import sys
import time

import torch
from torch import nn
from torch.nn import functional as F


class MlpVae(nn.Module):
    def __init__(self):
        super().__init__()
        self.hidden = nn.Linear(784, 400)
        self.mean = nn.Linear(400, 20)
        self.log_variance = nn.Linear(400, 20)
        self.decoder_hidden = nn.Linear(20, 400)
        self.logits = nn.Linear(400, 784)
        self.latent = 20

    def encode(self, x):
        h = F.relu(self.hidden(x))
        return self.mean(h), self.log_variance(h)

    def decode(self, z):
        return self.logits(F.relu(self.decoder_hidden(z)))


class ConvVae(nn.Module):
    def __init__(self, size, channels):
        super().__init__()
        side = size // 4
        self.shape = (64, side, side)
        self.encoder = nn.Sequential(
            nn.Conv2d(channels, 32, 4, 2, padding=1), nn.ReLU(),
            nn.Conv2d(32, 64, 4, 2, padding=1), nn.ReLU(),
            nn.Flatten(), nn.Linear(64 * side * side, 256), nn.ReLU(),
        )
        self.mean = nn.Linear(256, 16)
        self.log_variance = nn.Linear(256, 16)
        self.decoder_dense = nn.Sequential(
            nn.Linear(16, 256), nn.ReLU(), nn.Linear(256, 64 * side * side), nn.ReLU(),
        )
        self.decoder_conv = nn.Sequential(
            nn.ConvTranspose2d(64, 32, 4, 2, padding=1), nn.ReLU(),
            nn.ConvTranspose2d(32, channels, 4, 2, padding=1),
        )
        self.latent = 16

    def encode(self, x):
        h = self.encoder(x)
        return self.mean(h), self.log_variance(h)

    def decode(self, z):
        return self.decoder_conv(self.decoder_dense(z).view(-1, *self.shape))


def build(name, batch):
    generator = torch.Generator().manual_seed(1)
    if name == 'mlp':
        model, shape = MlpVae(), (batch, 784)
    elif name == 'conv':
        model, shape = ConvVae(28, 1), (batch, 1, 28, 28)
    elif name == 'conv-colour':
        model, shape = ConvVae(32, 3), (batch, 3, 32, 32)
    else:
        raise ValueError(f'unknown model {name}')
    # Binary images at binarized MNIST's density of ones.
    x = (torch.rand(shape, generator=generator) < 0.13).float()
    return model, x


def loss_of(model, x):
    mean, log_variance = model.encode(x)
    z = mean + torch.exp(0.5 * log_variance) * torch.randn_like(mean)
    logits = model.decode(z)
    reconstruction = F.binary_cross_entropy_with_logits(logits, x, reduction='sum')
    kl = -0.5 * torch.sum(1 + log_variance - mean.pow(2) - log_variance.exp())
    return (reconstruction + kl) / x.shape[0]


def loaded_blas():
    """The BLAS library this process runs on (Debian picks it by alternatives), by folder and
    file name: OpenBLAS's OpenMP and pthread builds share a file name (libopenblasp-r0.3.21.so)
    and differ by folder (openblas-openmp/, openblas-pthread/)."""
    torch.ones(2, 2) @ torch.ones(2, 2)
    with open('/proc/self/maps') as maps:
        paths = {line.split()[-1] for line in maps if 'libopenblas' in line.lower()}
        if not paths:
            maps.seek(0)
            paths = {line.split()[-1] for line in maps if 'blas' in line.lower()}
    names = {'/'.join(path.rsplit('/', 2)[-2:]) for path in paths}
    return ', '.join(sorted(names)) or 'unknown'


def settle(limit=1.0, window=0.05, quiet=0.002):
    """Waits until this process's threads stop using the CPU, at most `limit` seconds.
    OpenBLAS's pthread workers spin for about 0.1 s of CPU after a large product (the
    1024x400x784 one of `sample`), and without this they would share the cores with
    the next contender's round in `vae bench` (measured: @vae's sampling at 0.60-0.83x
    tfjs-layers right after a PyTorch round, 0.97x without PyTorch in the run)."""
    end = time.perf_counter() + limit
    quiet_windows = 0
    while quiet_windows < 2 and time.perf_counter() < end:
        before = time.process_time()  # CPU time of every thread of the process
        time.sleep(window)
        quiet_windows = quiet_windows + 1 if time.process_time() - before < quiet else 0


def train(state, steps):
    """`steps` Adam steps on the fixed batch; the seconds they took, timed here."""
    model, x, optimizer = state['model'], state['x'], state['optimizer']
    start = time.perf_counter()
    for _ in range(steps):
        optimizer.zero_grad(set_to_none=True)
        loss = loss_of(model, x)
        loss.backward()
        optimizer.step()
        loss.item()  # one read per step, as the tfjs steps do
    return time.perf_counter() - start


def setup(name, batch):
    model, x = build(name, batch)
    return {'model': model, 'x': x, 'optimizer': torch.optim.Adam(model.parameters(), 1e-3)}


def loop(steps, batch, model='mlp', rounds=7, warmup=10):
    """The standalone check of the driven figure: as `vae bench` times it (warm-up steps
    untimed, then `rounds` blocks of ceil(steps / rounds) steps, the median block), in a
    plain loop with nothing else running in between. Prints one JSON line."""
    state = setup(model, batch)
    train(state, warmup)
    per_round = -(-steps // rounds)
    rates = sorted(per_round * batch / train(state, per_round) for _ in range(rounds))
    print(json.dumps({'model': model, 'samples_per_second': rates[rounds // 2],
                      'steps_per_round': per_round,
                      'rounds': rates, 'threads': torch.get_num_threads(), 'blas': loaded_blas()}))


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument('--threads', type=int, default=2)
    parser.add_argument('--loop', type=int, metavar='STEPS',
                        help='train the model STEPS steps in a plain loop and print samples/s')
    parser.add_argument('--model', default='mlp', choices=['mlp', 'conv', 'conv-colour'],
                        help='the model of --loop (default mlp)')
    parser.add_argument('--batch', type=int, default=128)
    arguments = parser.parse_args()
    torch.set_num_threads(arguments.threads)
    torch.manual_seed(1)
    if arguments.loop is not None:
        loop(arguments.loop, arguments.batch, arguments.model)
        return
    state = {}
    for line in sys.stdin:
        command = json.loads(line)
        cmd = command['cmd']
        if cmd == 'quit':
            break
        if cmd == 'setup':
            state = setup(command['model'], command['batch'])
            reply = {
                'ok': True,
                'torch': torch.__version__,
                'threads': torch.get_num_threads(),
                'blas': loaded_blas(),
                'parameters': sum(p.numel() for p in state['model'].parameters()),
            }
        elif cmd == 'train':
            reply = {'seconds': train(state, command['steps'])}
            settle()
        elif cmd == 'sample':
            model = state['model']
            start = time.perf_counter()
            with torch.no_grad():
                for _ in range(command['calls']):
                    images = torch.sigmoid(model.decode(torch.randn(command['n'], model.latent)))
                    images.sum().item()
            reply = {'seconds': time.perf_counter() - start}
            settle()
        else:
            reply = {'error': f'unknown command {cmd}'}
        print(json.dumps(reply), flush=True)


if __name__ == '__main__':
    main()
