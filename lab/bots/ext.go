package bots

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"io"
	"math"
	"os/exec"
	"strconv"
	"strings"
	"sync"
	"time"

	"argmax"
	"argmax/game"
)

// The external-bot protocol, version 1. A bot is a program that reads lines
// on stdin and answers each with one line on stdout (flushing after every
// line); its stderr is kept for error messages. Fields are separated by
// spaces; lines end with "\n" (a trailing "\r" is ignored).
//
//  1. Handshake, once, when the first decision is asked for:
//     argmax writes  "argmax 1 GAME"      (protocol version, game name: connect4, tictactoe)
//     the bot answers "bot NAME"          (NAME: free text naming the bot, may be empty)
//     or              "error MESSAGE"     (it cannot play GAME, say)
//  2. One exchange per decision:
//     argmax writes  "GAME POSITION [LIMIT ...]"
//     POSITION is the position in the game's notation (connect four: the
//     1-based columns played, "4453"), "-" for the initial position. Each
//     LIMIT is key=value, one per limit the budget sets: sims=N, nodes=N,
//     iters=N, samples=N, time_ms=N (milliseconds); no LIMIT means "your
//     own default". Example: "connect4 4453 sims=800".
//     the bot answers "MOVE [COUNT ...]"  MOVE 1-based in the same notation
//     (the column, the cell); each COUNT is key=value reporting the work
//     done: sims, nodes, steps, passes (forward passes), flops, iters,
//     samples. Example: "4 nodes=12345".
//     or              "error MESSAGE"
//  3. argmax closes the bot's stdin when it is done; the bot should exit.
//     It is killed if it has not exited a moment later.
//
// A decision must be answered within the budget's time plus the slack, or
// within the timeout when the budget sets no time; a bot that is late,
// exits, answers something that is not a move or plays an illegal move gets
// an error naming it, and a late bot is killed (the next decision starts it
// again).
const extProtocol = 1

func init() {
	RegisterKind(Kind{Name: "ext", Role: argmax.Direct, RoleKey: true, Rest: "cmd", New: newExternal,
		Usage: "ext:[role=R,sims=N,time=D,nodes=N,timeout=D,slack=D,]cmd=PROGRAM ARGS...  an external process " +
			"speaking the line protocol (see lab/bots External); cmd comes last and takes the rest of the spec, " +
			"split on spaces ('...' or \"...\" keep spaces)"})
}

// newExternal reads the ext keys.
func newExternal(g game.Game, a *Args) (game.Decider, error) {
	line := a.String("cmd", "")
	e := &External{
		Game: g,
		Budget: argmax.Budget{
			Simulations: a.Int("sims", 0, 1, math.MaxInt64),
			Time:        a.Duration("time", 0),
			Nodes:       a.Int("nodes", 0, 1, math.MaxInt64),
		},
		Timeout: a.Duration("timeout", 30*time.Second),
		Slack:   a.Duration("slack", time.Second),
	}
	if a.Err() != nil {
		return nil, a.Err()
	}
	if line == "" {
		a.Fail("no cmd=PROGRAM (want e.g. ext:cmd=python3 scripts/bots/random_bot.py)")
		return nil, a.Err()
	}
	argv, err := SplitCommand(line)
	if err != nil {
		a.Fail("key cmd: %v", err)
		return nil, a.Err()
	}
	if _, err := exec.LookPath(argv[0]); err != nil {
		a.Fail("key cmd: %v", err)
		return nil, a.Err()
	}
	e.Cmd = argv
	return e, nil
}

// SplitCommand splits a command line on white space; an argument in single
// or double quotes keeps its spaces (there are no escapes). It returns an
// error for an empty line or an unterminated quote.
func SplitCommand(line string) ([]string, error) {
	var args []string
	var cur strings.Builder
	inArg := false
	var quote rune
	for _, r := range line {
		switch {
		case quote != 0 && r == quote:
			quote = 0
		case quote != 0:
			cur.WriteRune(r)
		case r == '\'' || r == '"':
			quote, inArg = r, true
		case r == ' ' || r == '\t' || r == '\n' || r == '\r':
			if inArg {
				args = append(args, cur.String())
				cur.Reset()
				inArg = false
			}
		default:
			cur.WriteRune(r)
			inArg = true
		}
	}
	if quote != 0 {
		return nil, fmt.Errorf("command %q: unterminated %c quote", line, quote)
	}
	if inArg {
		args = append(args, cur.String())
	}
	if len(args) == 0 {
		return nil, fmt.Errorf("command %q: no program", line)
	}
	return args, nil
}

// External is a game bot that is another process speaking the line
// protocol described above (argmax writes the position, the bot answers its
// move), so a bot written in any language can be scored by argmax move,
// match and the claims. The process is started at the first decision (or by
// Start) and stopped by Close. An External is safe for concurrent use; its
// decisions are serialized.
type External struct {
	Cmd     []string      // the program and its arguments
	Game    game.Game     // the game it plays
	Budget  argmax.Budget // the budget sent when the caller gives none
	Timeout time.Duration // for the handshake, and for a decision whose budget sets no time (0: 30s)
	Slack   time.Duration // added to a budget's time to give the deadline of a decision (0: 1s)

	mu   sync.Mutex
	proc *extProc
	name string // from the handshake
}

// extProc is one running bot process.
type extProc struct {
	cmd    *exec.Cmd
	stdin  io.WriteCloser
	out    lineBuffer
	stderr tailBuffer
	exited chan struct{} // closed once the process has exited and its output is read
	err    error         // Wait's result, set before exited is closed
}

// label names the bot in errors: its handshake name and its command.
func (e *External) label() string {
	cmd := strings.Join(e.Cmd, " ")
	if e.name != "" {
		return fmt.Sprintf("ext bot %q (%s)", e.name, cmd)
	}
	return fmt.Sprintf("ext bot %q", cmd)
}

// Name returns the name the bot gave in its handshake ("" before it ran).
func (e *External) Name() string {
	e.mu.Lock()
	defer e.mu.Unlock()
	return e.name
}

func (e *External) timeout() time.Duration {
	if e.Timeout > 0 {
		return e.Timeout
	}
	return 30 * time.Second
}

// Start starts the bot's process and does the handshake, if it is not
// running yet. Decide calls it; a harness may call it first, so that the
// process's start-up is not counted in the first decision's time.
func (e *External) Start(ctx context.Context) error {
	e.mu.Lock()
	defer e.mu.Unlock()
	return e.start(ctx)
}

func (e *External) start(ctx context.Context) error {
	if e.proc != nil {
		return nil
	}
	if len(e.Cmd) == 0 {
		return errors.New("ext bot: no command")
	}
	p := &extProc{cmd: exec.Command(e.Cmd[0], e.Cmd[1:]...), exited: make(chan struct{})}
	p.out.ready = make(chan struct{}, 1)
	p.cmd.Stdout = &p.out
	p.cmd.Stderr = &p.stderr
	p.cmd.WaitDelay = time.Second // a grandchild holding the pipes open does not hold us
	stdin, err := p.cmd.StdinPipe()
	if err != nil {
		return fmt.Errorf("%s: %w", e.label(), err)
	}
	p.stdin = stdin
	if err := p.cmd.Start(); err != nil {
		return fmt.Errorf("%s: %w", e.label(), err)
	}
	go func() {
		p.err = p.cmd.Wait()
		close(p.exited)
	}()
	e.proc = p
	hello := fmt.Sprintf("argmax %d %s", extProtocol, e.Game.Name())
	answer, err := e.exchange(ctx, hello, e.timeout())
	if err != nil {
		return err
	}
	switch f := strings.Fields(answer); {
	case len(f) > 0 && f[0] == "bot":
		e.name = strings.TrimSpace(strings.TrimPrefix(strings.TrimSpace(answer), "bot"))
		return nil
	case len(f) > 0 && f[0] == "error":
		e.kill()
		return fmt.Errorf("%s refused to play %s: %s", e.label(), e.Game.Name(), strings.TrimSpace(strings.TrimPrefix(answer, "error")))
	}
	e.kill()
	return fmt.Errorf("%s: handshake: answered %q to %q, want \"bot NAME\"", e.label(), clipLine(answer), hello)
}

// exchange writes one line to the bot and reads its one-line answer within
// limit. On a timeout or a cancelled context the bot is killed; when it has
// exited the error says so, with the end of its stderr.
func (e *External) exchange(ctx context.Context, line string, limit time.Duration) (string, error) {
	p := e.proc
	if extra, ok := p.out.next(); ok {
		e.kill()
		return "", fmt.Errorf("%s wrote %q before it was asked anything (one line per request)", e.label(), clipLine(extra))
	}
	if _, err := io.WriteString(p.stdin, line+"\n"); err != nil {
		return "", e.exitError(line)
	}
	timer := time.NewTimer(limit)
	defer timer.Stop()
	for {
		if s, ok := p.out.next(); ok {
			return s, nil
		}
		select {
		case <-p.out.ready:
		case <-p.exited:
			if s, ok := p.out.next(); ok {
				return s, nil
			}
			return "", e.exitError(line)
		case <-timer.C:
			e.kill()
			return "", fmt.Errorf("%s did not answer %q within %v: killed it", e.label(), line, limit)
		case <-ctx.Done():
			e.kill()
			return "", ctx.Err()
		}
	}
}

// exitError describes a bot that exited instead of answering line, and
// forgets the process so the next decision starts it again.
func (e *External) exitError(line string) error {
	p := e.proc
	e.kill()
	status := "exited"
	if p.err != nil {
		status = "exited (" + p.err.Error() + ")"
	}
	msg := fmt.Sprintf("%s %s without answering %q", e.label(), status, line)
	if tail := p.stderr.last(); tail != "" {
		msg += "; its stderr ends: " + tail
	}
	return errors.New(msg)
}

// kill stops the process at once and forgets it.
func (e *External) kill() {
	p := e.proc
	if p == nil {
		return
	}
	e.proc = nil
	p.stdin.Close()
	p.cmd.Process.Kill()
	<-p.exited
}

// Close closes the bot's stdin, gives it a moment to exit and kills it if
// it has not. Closing a bot that is not running does nothing.
func (e *External) Close() error {
	e.mu.Lock()
	defer e.mu.Unlock()
	p := e.proc
	if p == nil {
		return nil
	}
	p.stdin.Close()
	select {
	case <-p.exited:
		e.proc = nil
	case <-time.After(500 * time.Millisecond):
		e.kill()
	}
	return nil
}

// Decide sends the position and the budget (b, or the bot's Budget when b
// sets no limit) to the bot and returns its move with the counts it
// reported.
func (e *External) Decide(ctx context.Context, s game.State, b argmax.Budget) (game.Action, argmax.Cost, error) {
	if b.Unlimited() {
		b = e.Budget
	}
	if err := b.Check(); err != nil {
		return 0, argmax.Cost{}, err
	}
	if over, _ := s.Terminal(); over {
		return 0, argmax.Cost{}, fmt.Errorf("%s position %q: the game is over", e.Game.Name(), s.String())
	}
	e.mu.Lock()
	defer e.mu.Unlock()
	if err := e.start(ctx); err != nil {
		return 0, argmax.Cost{}, err
	}
	req := Request(e.Game.Name(), s.String(), b)
	limit := e.timeout()
	if b.Time > 0 {
		slack := e.Slack
		if slack <= 0 {
			slack = time.Second
		}
		limit = b.Time + slack
	}
	answer, err := e.exchange(ctx, req, limit)
	if err != nil {
		return 0, argmax.Cost{}, err
	}
	a, c, err := ParseAnswer(answer, e.Game.NumActions())
	if err != nil {
		return 0, argmax.Cost{}, fmt.Errorf("%s answered %q to %q: %w", e.label(), clipLine(answer), req, err)
	}
	if !s.IsLegal(a) {
		return 0, argmax.Cost{}, fmt.Errorf("%s played the illegal move %d in %s position %q", e.label(), int(a)+1, e.Game.Name(), s.String())
	}
	return a, c, nil
}

// Request renders the protocol line asking for a decision: the game, the
// position ("-" for the initial one) and the limits b sets, e.g.
// "connect4 4453 sims=800 time_ms=1500".
func Request(gameName, position string, b argmax.Budget) string {
	if position == "" {
		position = "-"
	}
	parts := []string{gameName, position}
	add := func(k string, v int64) {
		if v > 0 {
			parts = append(parts, k+"="+strconv.FormatInt(v, 10))
		}
	}
	add("sims", b.Simulations)
	add("nodes", b.Nodes)
	add("iters", b.Iterations)
	add("samples", b.Samples)
	if b.Time > 0 {
		add("time_ms", max(1, b.Time.Milliseconds()))
	}
	return strings.Join(parts, " ")
}

// answerCounts maps the count keys of an answer to the Cost fields.
var answerCounts = map[string]func(*argmax.Cost) *int64{
	"sims":    func(c *argmax.Cost) *int64 { return &c.Simulations },
	"nodes":   func(c *argmax.Cost) *int64 { return &c.Nodes },
	"steps":   func(c *argmax.Cost) *int64 { return &c.Steps },
	"passes":  func(c *argmax.Cost) *int64 { return &c.ForwardPasses },
	"flops":   func(c *argmax.Cost) *int64 { return &c.FLOPs },
	"iters":   func(c *argmax.Cost) *int64 { return &c.Iterations },
	"samples": func(c *argmax.Cost) *int64 { return &c.Samples },
}

// ParseAnswer reads a bot's answer line: a 1-based move in [1, numActions]
// and optional key=value counts; "error MESSAGE" is returned as an error
// holding the message.
func ParseAnswer(line string, numActions int) (game.Action, argmax.Cost, error) {
	var c argmax.Cost
	f := strings.Fields(line)
	if len(f) == 0 {
		return 0, c, errors.New("an empty line, want a move")
	}
	if f[0] == "error" {
		return 0, c, fmt.Errorf("the bot's error: %s", strings.TrimSpace(strings.TrimPrefix(strings.TrimSpace(line), "error")))
	}
	m, err := strconv.Atoi(f[0])
	if err != nil {
		return 0, c, fmt.Errorf("%q is not a move (want a number from 1 to %d)", f[0], numActions)
	}
	if m < 1 || m > numActions {
		return 0, c, fmt.Errorf("move %d is out of range (want 1 to %d)", m, numActions)
	}
	for _, kv := range f[1:] {
		k, v, ok := strings.Cut(kv, "=")
		field := answerCounts[k]
		if !ok || field == nil {
			return 0, c, fmt.Errorf("%q is not a count (want key=N with key sims, nodes, steps, passes, flops, iters or samples)", kv)
		}
		n, err := strconv.ParseInt(v, 10, 64)
		if err != nil || n < 0 {
			return 0, c, fmt.Errorf("count %q: want a whole number >= 0", kv)
		}
		*field(&c) = n
	}
	return game.Action(m - 1), c, nil
}

// clipLine shortens a line for an error message.
func clipLine(s string) string {
	if len(s) > 80 {
		return s[:80] + "..."
	}
	return s
}

// lineBuffer collects a process's stdout as complete lines.
type lineBuffer struct {
	mu      sync.Mutex
	partial []byte
	lines   []string
	ready   chan struct{} // capacity 1: signalled when a line is complete
}

// Write splits b into lines.
func (l *lineBuffer) Write(b []byte) (int, error) {
	l.mu.Lock()
	defer l.mu.Unlock()
	l.partial = append(l.partial, b...)
	added := false
	for {
		i := bytes.IndexByte(l.partial, '\n')
		if i < 0 {
			break
		}
		l.lines = append(l.lines, strings.TrimSuffix(string(l.partial[:i]), "\r"))
		l.partial = l.partial[i+1:]
		added = true
	}
	if added {
		select {
		case l.ready <- struct{}{}:
		default:
		}
	}
	return len(b), nil
}

// next pops the oldest complete line.
func (l *lineBuffer) next() (string, bool) {
	l.mu.Lock()
	defer l.mu.Unlock()
	if len(l.lines) == 0 {
		return "", false
	}
	s := l.lines[0]
	l.lines = l.lines[1:]
	return s, true
}

// tailBuffer keeps the last few kilobytes written to it (a process's
// stderr, for error messages).
type tailBuffer struct {
	mu  sync.Mutex
	buf []byte
}

const tailSize = 4096

// Write keeps the end of what was written.
func (t *tailBuffer) Write(b []byte) (int, error) {
	t.mu.Lock()
	defer t.mu.Unlock()
	t.buf = append(t.buf, b...)
	if len(t.buf) > tailSize {
		t.buf = append(t.buf[:0], t.buf[len(t.buf)-tailSize:]...)
	}
	return len(b), nil
}

// last returns the last non-empty line written, clipped.
func (t *tailBuffer) last() string {
	t.mu.Lock()
	defer t.mu.Unlock()
	lines := strings.Split(strings.TrimSpace(string(t.buf)), "\n")
	return clipLine(strings.TrimSpace(lines[len(lines)-1]))
}
