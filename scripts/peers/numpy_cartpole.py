#!/usr/bin/env python3
"""NumPy baseline for argmax's CartPoleVec: vectorized cart-pole over many
envs on one core, in env-steps per second.

The equations are Gymnasium's CartPole-v1 (gymnasium/envs/classic_control/
cartpole.py, CartPoleVectorEnv): Euler integration with tau 0.02, gravity
9.8, cart mass 1.0, pole mass 0.1, half-length 0.5, force 10; termination
at |x| > 2.4 or |theta| > 12 degrees, truncation at 500 steps; a lane that
is done is reset in the same step to a state uniform in [-0.05, 0.05]^4.
Actions are random pushes from 64 precomputed action vectors, cycled, as
BenchmarkCartPoleVec (env/control/bench_test.go) does.

Two implementations are timed and both reported; "best" is the faster:

  gymnasium  the vector env's step as Gymnasium writes it (every
             expression allocates its temporaries);
  inplace    the same equations with preallocated buffers and out=
             arguments, the fastest NumPy way we know to write it.

Run with Debian's python, which has numpy:

    /usr/bin/python3 scripts/peers/numpy_cartpole.py                  # 4,096 envs, float64
    /usr/bin/python3 scripts/peers/numpy_cartpole.py --dtype float32  # as Gymnasium's vector env stores its state

and compare with

    go test -run '^$' -bench CartPoleVec/gymnasium -benchtime=200ms ./env/control/

It prints one JSON object: {"envs", "steps", "dtype", "numpy", "gymnasium",
"inplace", "best"}, the last three in env-steps/s (median of --repeats).
"""
import argparse
import json
import math
import os
import statistics
import time

os.environ.setdefault("OMP_NUM_THREADS", "1")
os.environ.setdefault("OPENBLAS_NUM_THREADS", "1")

import numpy as np  # noqa: E402

GRAVITY = 9.8
MASSCART = 1.0
MASSPOLE = 0.1
TOTAL_MASS = MASSPOLE + MASSCART
LENGTH = 0.5
POLEMASS_LENGTH = MASSPOLE * LENGTH
FORCE_MAG = 10.0
TAU = 0.02
THETA_THRESHOLD = 12 * 2 * math.pi / 360
X_THRESHOLD = 2.4
MAX_STEPS = 500


class GymnasiumVec:
    """CartPoleVectorEnv's step, written as Gymnasium writes it."""

    def __init__(self, n, dtype, seed):
        self.rng = np.random.default_rng(seed)
        self.dtype = dtype
        self.state = self.rng.uniform(-0.05, 0.05, size=(4, n)).astype(dtype)
        self.steps = np.zeros(n, dtype=np.int32)

    def step(self, action):
        x, x_dot, theta, theta_dot = self.state
        force = np.sign(action - 0.5) * FORCE_MAG
        costheta = np.cos(theta)
        sintheta = np.sin(theta)
        temp = (force + POLEMASS_LENGTH * theta_dot**2 * sintheta) / TOTAL_MASS
        thetaacc = (GRAVITY * sintheta - costheta * temp) / (
            LENGTH * (4.0 / 3.0 - MASSPOLE * costheta**2 / TOTAL_MASS)
        )
        xacc = temp - POLEMASS_LENGTH * thetaacc * costheta / TOTAL_MASS
        x = x + TAU * x_dot
        x_dot = x_dot + TAU * xacc
        theta = theta + TAU * theta_dot
        theta_dot = theta_dot + TAU * thetaacc
        self.state = np.stack((x, x_dot, theta, theta_dot)).astype(self.dtype, copy=False)
        terminated = (x < -X_THRESHOLD) | (x > X_THRESHOLD) | (theta < -THETA_THRESHOLD) | (theta > THETA_THRESHOLD)
        self.steps += 1
        truncated = self.steps >= MAX_STEPS
        done = terminated | truncated
        if done.any():
            self.state[:, done] = self.rng.uniform(-0.05, 0.05, size=(4, done.sum()))
            self.steps[done] = 0
        reward = np.ones_like(terminated, dtype=np.float32)
        return self.state.T, reward, terminated, truncated


class InplaceVec:
    """The same equations with preallocated buffers."""

    def __init__(self, n, dtype, seed):
        self.rng = np.random.default_rng(seed)
        self.state = self.rng.uniform(-0.05, 0.05, size=(4, n)).astype(dtype)
        self.steps = np.zeros(n, dtype=np.int32)
        b = lambda: np.empty(n, dtype=dtype)  # noqa: E731
        self.force, self.cos, self.sin, self.temp, self.acc, self.t1 = b(), b(), b(), b(), b(), b()
        self.term, self.t2 = np.empty(n, dtype=bool), np.empty(n, dtype=bool)
        self.trunc = np.empty(n, dtype=bool)
        self.reward = np.ones(n, dtype=dtype)
        self.dtype = dtype

    def step(self, action):
        x, x_dot, theta, theta_dot = self.state
        force, cos, sin, temp, acc, t1 = self.force, self.cos, self.sin, self.temp, self.acc, self.t1
        np.multiply(action, 2 * FORCE_MAG, out=force, casting="unsafe")
        force -= FORCE_MAG  # +-10
        np.cos(theta, out=cos)
        np.sin(theta, out=sin)
        # temp = (force + pml * theta_dot^2 * sin) / total_mass
        np.multiply(theta_dot, theta_dot, out=temp)
        temp *= POLEMASS_LENGTH
        temp *= sin
        temp += force
        temp /= TOTAL_MASS
        # thetaacc = (g sin - cos temp) / (l (4/3 - mp cos^2 / total_mass))
        np.multiply(cos, cos, out=t1)
        t1 *= -MASSPOLE / TOTAL_MASS
        t1 += 4.0 / 3.0
        t1 *= LENGTH
        np.multiply(cos, temp, out=acc)
        np.multiply(sin, GRAVITY, out=sin)
        np.subtract(sin, acc, out=acc)
        acc /= t1  # thetaacc
        # xacc = temp - pml thetaacc cos / total_mass
        np.multiply(acc, cos, out=t1)
        t1 *= POLEMASS_LENGTH / TOTAL_MASS
        np.subtract(temp, t1, out=t1)  # xacc
        # Euler, in the order of the equations
        np.multiply(x_dot, TAU, out=temp)
        x += temp
        t1 *= TAU
        x_dot += t1
        np.multiply(theta_dot, TAU, out=temp)
        theta += temp
        acc *= TAU
        theta_dot += acc
        term, t2 = self.term, self.t2
        np.abs(x, out=temp)
        np.greater(temp, X_THRESHOLD, out=term)
        np.abs(theta, out=temp)
        np.greater(temp, THETA_THRESHOLD, out=t2)
        term |= t2
        self.steps += 1
        np.greater_equal(self.steps, MAX_STEPS, out=self.trunc)
        np.logical_or(term, self.trunc, out=t2)
        if t2.any():
            self.state[:, t2] = self.rng.uniform(-0.05, 0.05, size=(4, int(t2.sum())))
            self.steps[t2] = 0
        return self.state.T, self.reward, term, self.trunc


def measure(cls, n, dtype, steps, repeats, seed):
    rng = np.random.default_rng(seed + 1)
    pool = [rng.integers(0, 2, size=n).astype(np.int32) for _ in range(64)]
    env = cls(n, dtype, seed)
    for k in range(200):  # warm up
        env.step(pool[k % 64])
    rates = []
    for _ in range(repeats):
        t0 = time.perf_counter()
        for k in range(steps):
            env.step(pool[k % 64])
        rates.append(n * steps / (time.perf_counter() - t0))
    return statistics.median(rates)


def main():
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--envs", type=int, default=4096)
    ap.add_argument("--steps", type=int, default=2000, help="timed steps per repeat")
    ap.add_argument("--repeats", type=int, default=3)
    ap.add_argument("--dtype", choices=["float64", "float32"], default="float64")
    ap.add_argument("--seed", type=int, default=1)
    args = ap.parse_args()
    dtype = np.dtype(args.dtype)
    out = {"envs": args.envs, "steps": args.steps, "dtype": args.dtype, "numpy": np.__version__}
    for name, cls in (("gymnasium", GymnasiumVec), ("inplace", InplaceVec)):
        out[name] = measure(cls, args.envs, dtype, args.steps, args.repeats, args.seed)
    out["best"] = max(out["gymnasium"], out["inplace"])
    print(json.dumps(out))


if __name__ == "__main__":
    main()
