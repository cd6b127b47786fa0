#!/usr/bin/env python3
"""A random bot for argmax, speaking its external-bot line protocol.

Use it as a decider spec anywhere argmax takes one:

    echo 4453 | argmax move --bot 'ext:role=baseline,cmd=python3 scripts/bots/random_bot.py --seed 1'

The protocol (version 1; the full text is in lab/bots/ext.go):

    argmax -> bot   argmax 1 GAME                   once, first
    bot -> argmax   bot NAME                        or: error MESSAGE
    argmax -> bot   GAME POSITION [LIMIT ...]       per decision; POSITION "-" is the initial one,
                                                    LIMIT is sims=N nodes=N iters=N samples=N time_ms=N
    bot -> argmax   MOVE [COUNT ...]                1-based column/cell; COUNT is sims=N nodes=N
                                                    steps=N passes=N flops=N iters=N samples=N
                                                    or: error MESSAGE
    argmax closes stdin when done: exit.

Every answer is one line, flushed at once.
"""

import argparse
import random
import sys

# For each game: the number of moves and how often one may be played.
GAMES = {"connect4": (7, 6), "tictactoe": (9, 1)}


def legal_moves(game, position):
    """The 1-based moves that can be played after the moves of position."""
    n, limit = GAMES[game]
    played = "" if position == "-" else position
    return [m for m in range(1, n + 1) if played.count(str(m)) < limit]


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--seed", type=int, default=None, help="seed of the random choices")
    args = parser.parse_args()
    rng = random.Random(args.seed)

    def say(line):
        sys.stdout.write(line + "\n")
        sys.stdout.flush()

    hello = sys.stdin.readline().split()
    if len(hello) != 3 or hello[:2] != ["argmax", "1"]:
        say("error expected 'argmax 1 GAME', got %r" % " ".join(hello))
        return
    if hello[2] not in GAMES:
        say("error random_bot.py plays %s, not %s" % (", ".join(GAMES), hello[2]))
        return
    say("bot random_bot.py (seed %s)" % args.seed)
    for line in sys.stdin:
        fields = line.split()
        if len(fields) < 2 or fields[0] not in GAMES:
            say("error cannot read %r" % line.strip())
            continue
        moves = legal_moves(fields[0], fields[1])
        if not moves:
            say("error no legal move in %s" % fields[1])
            continue
        say("%d samples=1" % rng.choice(moves))


if __name__ == "__main__":
    main()
