package cli

import (
	"context"
	"crypto/rand"
	"encoding/hex"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"net"
	"net/url"
	"os"
	"path/filepath"

	"github.com/spf13/cobra"

	"argmax/web"
)

// serveOptions are the flags of argmax serve.
type serveOptions struct {
	out, db, addr, token string
	games                []string
}

var serveFlags serveOptions

var serveCmd = &cobra.Command{
	Use:   "serve [--out DIR] [--addr HOST:PORT] [--games DIR]...",
	Short: "Serve the read-only web dashboard of a results database and of game records",
	Long: `serve runs a web dashboard over a results database (the --out folder of
argmax table or argmax run): the experiments and their trials, the progress
of a running one followed live, each run's comparison table and charts
(the claims' table for the claim suite, the generic report for other
specs), a trial's metrics and its curves over steps beside the mean and
95% band over the seeds of its point, and a board viewer that replays
game records move by move with the search's visit shares and the net's
prior (argmax train alphazero writes one per iteration in DIR/games: show
them with --games DIR).

The dashboard only reads: it answers GET and HEAD, needs no network but
the server's, and can run beside a run that writes to the database. It
binds 127.0.0.1:8080 by default (--addr 127.0.0.1:0 picks a free port);
bound to another address it requires a token, --token or one generated
and printed, given as ?token= in the URL (the page passes it on) or as
Authorization: Bearer. Ctrl-C stops it.`,
	Example: `  argmax serve                                  # argmax-report/results.db at http://127.0.0.1:8080/
  argmax serve --out red-door-full --addr 127.0.0.1:0
  argmax serve --games runs/az-connect4         # a training folder's games (beside argmax-report's runs, if it has a database)
  argmax serve --addr 0.0.0.0:8080              # on every interface, with a generated token`,
	Args: cobra.NoArgs,
	RunE: func(cmd *cobra.Command, _ []string) error {
		ctx, _, stop := notifyStop(cmd.Context())
		defer stop()
		o := serveFlags
		if !cmd.Flags().Changed("games") {
			o.games = nil
		}
		return serve(ctx, cmd.OutOrStdout(), o)
	},
}

func init() {
	f := serveCmd.Flags()
	f.StringVar(&serveFlags.out, "out", "argmax-report", "output folder of argmax table or run: its results.db, and game records in it or in its games/ folder")
	f.StringVar(&serveFlags.db, "db", "", "results database (default <out>/results.db)")
	f.StringVar(&serveFlags.addr, "addr", "127.0.0.1:8080", "address to listen on (port 0: a free one); off loopback a token is required")
	f.StringVar(&serveFlags.token, "token", "", "token every request must carry (default: none on loopback, else one generated and printed); at least 16 characters")
	f.StringSliceVar(&serveFlags.games, "games", nil, "folders (and their games/ folder, as a training folder has) or files of game records (*.game.json); repeatable (default: the --out folder)")
	rootCmd.AddCommand(serveCmd)
}

// minToken is the shortest token accepted from --token.
const minToken = 16

// serve runs the dashboard of o until ctx is cancelled, printing its URL
// to w once it listens. With no --games, the records of the out folder
// are shown; with --games and no --db, a missing database only means no
// runs are shown.
func serve(ctx context.Context, w io.Writer, o serveOptions) error {
	db := o.db
	if db == "" {
		db = filepath.Join(o.out, "results.db")
	}
	games := o.games
	if games == nil {
		games = []string{o.out}
	}
	for _, g := range o.games {
		if _, err := os.Stat(g); err != nil {
			return fmt.Errorf("serve: --games: %w", err)
		}
	}
	if _, err := os.Stat(db); errors.Is(err, fs.ErrNotExist) {
		if o.db != "" || o.games == nil {
			return fmt.Errorf("serve: no results database at %s: make one with `argmax table --out %s` or `argmax run SPEC --out %s`, name one with --db, or show only game records with --games DIR",
				db, o.out, o.out)
		}
		db = ""
	} else if err != nil {
		return fmt.Errorf("serve: %w", err)
	}
	token, generated, err := serveToken(o.addr, o.token)
	if err != nil {
		return err
	}
	srv, err := web.New(web.Config{DB: db, Games: games, Token: token})
	if err != nil {
		return err
	}
	defer srv.Close()
	ln, err := net.Listen("tcp", o.addr)
	if err != nil {
		return fmt.Errorf("serve: --addr: %w", err)
	}
	what := db
	if what == "" {
		what = "the game records"
	}
	fmt.Fprintf(w, "argmax: dashboard of %s at %s\n", what, dashboardURL(ln.Addr(), token))
	if generated {
		fmt.Fprintln(w, "argmax: not on loopback, so every request needs the token in that URL (generated for this session; set one with --token)")
	}
	return srv.Serve(ctx, ln)
}

// serveToken returns the token the dashboard at addr requires: the one
// given, none on loopback, else a random one (generated true).
func serveToken(addr, given string) (token string, generated bool, err error) {
	switch {
	case given != "" && len(given) < minToken:
		return "", false, fmt.Errorf("--token: %d characters is too short to guess hard; want at least %d", len(given), minToken)
	case given != "":
		return given, false, nil
	case web.Loopback(addr):
		return "", false, nil
	}
	b := make([]byte, 16)
	rand.Read(b)
	return hex.EncodeToString(b), true, nil
}

// dashboardURL is the page's address on the listener at addr, with the
// token; a listener on every interface is named by the host's name.
func dashboardURL(addr net.Addr, token string) string {
	host, port, _ := net.SplitHostPort(addr.String())
	if ip := net.ParseIP(host); ip != nil && ip.IsUnspecified() {
		if name, err := os.Hostname(); err == nil {
			host = name
		}
	}
	u := url.URL{Scheme: "http", Host: net.JoinHostPort(host, port), Path: "/"}
	if token != "" {
		u.RawQuery = url.Values{"token": {token}}.Encode()
	}
	return u.String()
}
