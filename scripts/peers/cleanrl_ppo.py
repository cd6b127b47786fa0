#!/usr/bin/env python3
"""PyTorch baseline for argmax/amortized/ppo: CleanRL's ppo.py on
CartPole-v1, re-expressed without gymnasium, timed to a solve.

The agent, losses and hyperparameters are CleanRL's ppo.py
(cleanrl/ppo.py, v1.0): 4 envs, 128 steps per rollout, Adam (eps 1e-5) at
learning rate 2.5e-4 annealed linearly over 500,000 steps, gamma 0.99, GAE
lambda 0.95, 4 minibatches, 4 epochs, clip 0.2 (also on the value loss),
entropy 0.01, value 0.5, gradient norm 0.5, advantages normalized per
minibatch; separate actor and critic MLPs 4-64-64-out with tanh, orthogonal
initialization (gain sqrt 2, policy head 0.01, value head 1, zero biases).

Gymnasium is not installed, so the env is a NumPy vector cart-pole with
Gymnasium's CartPoleEnv equations exactly (Euler, tau 0.02, float64 state,
float32 observations, reward 1 per step, termination at |x| > 2.4 or
|theta| > 12 degrees, truncation at 500 steps) and auto-reset in the same
step, as Gymnasium 0.29's SyncVectorEnv (which CleanRL uses) does.

CleanRL's ppo.py treats a truncated episode as terminated (no bootstrap).
argmax's PPO bootstraps it from the value of its final observation;
--bootstrap does the same here.

A run stops when the mean return of the last 20 finished episodes reaches
475 (checked after every vector step, as argmax's Stop.Target is) or after
--total-steps. The wall time runs from the first reset to that step,
excluding imports and building the agent.

Run with Debian's python, which has torch (python3-torch) and numpy:

    OPENBLAS_NUM_THREADS=1 /usr/bin/python3 scripts/peers/cleanrl_ppo.py --seeds 1,2,3

It prints one JSON object per seed, {"seed", "reached", "steps",
"wall_seconds", "cpu_seconds", "updates", "episodes", "mean_return", "steps_per_second"},
then a summary {"summary": ...} with the medians.
"""
import argparse
import json
import math
import os
import statistics
import time

os.environ.setdefault("OMP_NUM_THREADS", "1")
os.environ.setdefault("OPENBLAS_NUM_THREADS", "1")
os.environ.setdefault("MKL_NUM_THREADS", "1")

import numpy as np  # noqa: E402
import torch  # noqa: E402
import torch.nn as nn  # noqa: E402
import torch.optim as optim  # noqa: E402
from torch.distributions.categorical import Categorical  # noqa: E402

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


class CartPoleVec:
    """n CartPole-v1 envs with Gymnasium's equations and same-step auto-reset."""

    def __init__(self, n, seed):
        self.n = n
        self.rng = np.random.default_rng(seed)
        self.state = np.zeros((n, 4))
        self.steps = np.zeros(n, dtype=np.int64)

    def reset(self):
        self.state = self.rng.uniform(-0.05, 0.05, size=(self.n, 4))
        self.steps[:] = 0
        return self.state.astype(np.float32)

    def step(self, action):
        x, x_dot, theta, theta_dot = self.state.T
        force = np.where(action == 1, FORCE_MAG, -FORCE_MAG)
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
        self.state = np.stack((x, x_dot, theta, theta_dot), axis=1)
        terminated = (x < -X_THRESHOLD) | (x > X_THRESHOLD) | (theta < -THETA_THRESHOLD) | (theta > THETA_THRESHOLD)
        self.steps += 1
        truncated = (self.steps >= MAX_STEPS) & ~terminated
        done = terminated | truncated
        final_obs = self.state.astype(np.float32)
        if done.any():
            self.state[done] = self.rng.uniform(-0.05, 0.05, size=(int(done.sum()), 4))
            self.steps[done] = 0
        reward = np.ones(self.n, dtype=np.float32)
        return self.state.astype(np.float32), reward, terminated, truncated, final_obs


def layer_init(layer, std=np.sqrt(2), bias_const=0.0):
    torch.nn.init.orthogonal_(layer.weight, std)
    torch.nn.init.constant_(layer.bias, bias_const)
    return layer


class Agent(nn.Module):
    def __init__(self, obs_dim, n_actions):
        super().__init__()
        self.critic = nn.Sequential(
            layer_init(nn.Linear(obs_dim, 64)),
            nn.Tanh(),
            layer_init(nn.Linear(64, 64)),
            nn.Tanh(),
            layer_init(nn.Linear(64, 1), std=1.0),
        )
        self.actor = nn.Sequential(
            layer_init(nn.Linear(obs_dim, 64)),
            nn.Tanh(),
            layer_init(nn.Linear(64, 64)),
            nn.Tanh(),
            layer_init(nn.Linear(64, n_actions), std=0.01),
        )

    def get_value(self, x):
        return self.critic(x)

    def get_action_and_value(self, x, action=None):
        logits = self.actor(x)
        probs = Categorical(logits=logits)
        if action is None:
            action = probs.sample()
        return action, probs.log_prob(action), probs.entropy(), self.critic(x)


def train(args, seed):
    np.random.seed(seed)
    torch.manual_seed(seed)
    torch.backends.cudnn.deterministic = True
    num_envs, num_steps = args.num_envs, args.num_steps
    batch_size = num_envs * num_steps
    minibatch_size = batch_size // args.num_minibatches
    num_updates = args.total_steps // batch_size

    envs = CartPoleVec(num_envs, seed)
    agent = Agent(4, 2)
    optimizer = optim.Adam(agent.parameters(), lr=args.learning_rate, eps=1e-5)

    obs = torch.zeros((num_steps, num_envs, 4))
    actions = torch.zeros((num_steps, num_envs))
    logprobs = torch.zeros((num_steps, num_envs))
    rewards = torch.zeros((num_steps, num_envs))
    dones = torch.zeros((num_steps, num_envs))
    values = torch.zeros((num_steps, num_envs))

    recent = []
    episodes = 0
    ep_ret = np.zeros(num_envs)
    global_step = 0
    start, cpu_start = time.perf_counter(), time.process_time()
    next_obs = torch.Tensor(envs.reset())
    next_done = torch.zeros(num_envs)
    reached = False
    update = 0
    for update in range(1, num_updates + 1):
        frac = 1.0 - (update - 1.0) / num_updates
        optimizer.param_groups[0]["lr"] = frac * args.learning_rate
        for step in range(num_steps):
            global_step += num_envs
            obs[step] = next_obs
            dones[step] = next_done
            with torch.no_grad():
                action, logprob, _, value = agent.get_action_and_value(next_obs)
                values[step] = value.flatten()
            actions[step] = action
            logprobs[step] = logprob
            o, reward, term, trunc, final_obs = envs.step(action.cpu().numpy())
            if args.bootstrap and trunc.any():
                with torch.no_grad():
                    fv = agent.get_value(torch.Tensor(final_obs[trunc])).flatten().numpy()
                reward = reward.copy()
                reward[trunc] += args.gamma * fv
            done = term | trunc
            rewards[step] = torch.tensor(reward).view(-1)
            next_obs, next_done = torch.Tensor(o), torch.Tensor(done.astype(np.float32))
            ep_ret += 1.0
            for i in np.nonzero(done)[0]:
                recent.append(ep_ret[i])
                if len(recent) > args.window:
                    recent.pop(0)
                episodes += 1
                ep_ret[i] = 0
            if len(recent) >= args.window and statistics.fmean(recent) >= args.target:
                reached = True
                break
        if reached:
            break

        with torch.no_grad():
            next_value = agent.get_value(next_obs).reshape(1, -1)
            advantages = torch.zeros_like(rewards)
            lastgaelam = 0
            for t in reversed(range(num_steps)):
                if t == num_steps - 1:
                    nextnonterminal = 1.0 - next_done
                    nextvalues = next_value
                else:
                    nextnonterminal = 1.0 - dones[t + 1]
                    nextvalues = values[t + 1]
                delta = rewards[t] + args.gamma * nextvalues * nextnonterminal - values[t]
                advantages[t] = lastgaelam = delta + args.gamma * args.gae_lambda * nextnonterminal * lastgaelam
            returns = advantages + values

        b_obs = obs.reshape((-1, 4))
        b_logprobs = logprobs.reshape(-1)
        b_actions = actions.reshape(-1)
        b_advantages = advantages.reshape(-1)
        b_returns = returns.reshape(-1)
        b_values = values.reshape(-1)

        b_inds = np.arange(batch_size)
        for epoch in range(args.update_epochs):
            np.random.shuffle(b_inds)
            for s in range(0, batch_size, minibatch_size):
                mb_inds = b_inds[s : s + minibatch_size]
                _, newlogprob, entropy, newvalue = agent.get_action_and_value(b_obs[mb_inds], b_actions.long()[mb_inds])
                logratio = newlogprob - b_logprobs[mb_inds]
                ratio = logratio.exp()
                mb_advantages = b_advantages[mb_inds]
                mb_advantages = (mb_advantages - mb_advantages.mean()) / (mb_advantages.std() + 1e-8)
                pg_loss1 = -mb_advantages * ratio
                pg_loss2 = -mb_advantages * torch.clamp(ratio, 1 - args.clip_coef, 1 + args.clip_coef)
                pg_loss = torch.max(pg_loss1, pg_loss2).mean()
                newvalue = newvalue.view(-1)
                v_loss_unclipped = (newvalue - b_returns[mb_inds]) ** 2
                v_clipped = b_values[mb_inds] + torch.clamp(
                    newvalue - b_values[mb_inds], -args.clip_coef, args.clip_coef
                )
                v_loss_clipped = (v_clipped - b_returns[mb_inds]) ** 2
                v_loss = 0.5 * torch.max(v_loss_unclipped, v_loss_clipped).mean()
                entropy_loss = entropy.mean()
                loss = pg_loss - args.ent_coef * entropy_loss + v_loss * args.vf_coef
                optimizer.zero_grad()
                loss.backward()
                nn.utils.clip_grad_norm_(agent.parameters(), args.max_grad_norm)
                optimizer.step()

    wall = time.perf_counter() - start
    cpu = time.process_time() - cpu_start
    return {
        "seed": seed,
        "reached": reached,
        "steps": global_step,
        "wall_seconds": wall,
        "cpu_seconds": cpu,
        "updates": update - 1 if reached else update,
        "episodes": episodes,
        "mean_return": statistics.fmean(recent) if recent else 0.0,
        "steps_per_second": global_step / wall,
    }


def main():
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--seeds", default="1,2,3", help="comma-separated seeds, one run each")
    ap.add_argument("--total-steps", type=int, default=500000)
    ap.add_argument("--target", type=float, default=475.0)
    ap.add_argument("--window", type=int, default=20)
    ap.add_argument("--num-envs", type=int, default=4)
    ap.add_argument("--num-steps", type=int, default=128)
    ap.add_argument("--learning-rate", type=float, default=2.5e-4)
    ap.add_argument("--gamma", type=float, default=0.99)
    ap.add_argument("--gae-lambda", type=float, default=0.95)
    ap.add_argument("--num-minibatches", type=int, default=4)
    ap.add_argument("--update-epochs", type=int, default=4)
    ap.add_argument("--clip-coef", type=float, default=0.2)
    ap.add_argument("--ent-coef", type=float, default=0.01)
    ap.add_argument("--vf-coef", type=float, default=0.5)
    ap.add_argument("--max-grad-norm", type=float, default=0.5)
    ap.add_argument("--bootstrap", action="store_true", help="bootstrap truncated episodes from V(final obs), as argmax does")
    ap.add_argument("--threads", type=int, default=1, help="torch.set_num_threads")
    args = ap.parse_args()
    torch.set_num_threads(args.threads)
    results = []
    for seed in [int(s) for s in args.seeds.split(",") if s]:
        r = train(args, seed)
        r.update({"torch": torch.__version__, "threads": torch.get_num_threads(), "bootstrap": args.bootstrap})
        print(json.dumps(r), flush=True)
        results.append(r)
    solved = [r for r in results if r["reached"]]
    summary = {
        "runs": len(results),
        "solved": len(solved),
        "median_wall_seconds": statistics.median(r["wall_seconds"] for r in solved) if solved else None,
        "median_steps": statistics.median(r["steps"] for r in solved) if solved else None,
        "median_steps_per_second": statistics.median(r["steps_per_second"] for r in results) if results else None,
    }
    print(json.dumps({"summary": summary}))


if __name__ == "__main__":
    main()
