package dist

import (
	"errors"
	"fmt"
	"net"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"time"

	"github.com/nats-io/nats-server/v2/server"
	"github.com/nats-io/nats.go"
)

// Server is an embedded nats-server with JetStream: what a single
// machine uses so that nothing needs setting up.
type Server struct {
	ns  *server.Server
	dir string
}

// ServerConfig sets up an embedded server.
type ServerConfig struct {
	// Dir holds JetStream's files (the queued trials and results survive
	// a restart) and the port file. Required.
	Dir string
	// Host is the address to listen on: loopback (127.0.0.1) when empty.
	Host string
	// Port is the port to listen on; 0 takes the port of the last server
	// in Dir if it is free, else a free one.
	Port int
}

// portFile records the port of the server last started in a folder, so
// that a restarted coordinator listens where its workers reconnect.
const portFile = "port"

// StartServer starts an embedded server and waits until it accepts
// connections.
func StartServer(cfg ServerConfig) (*Server, error) {
	if cfg.Dir == "" {
		return nil, errors.New("dist: embedded server: no folder for JetStream's files")
	}
	if err := os.MkdirAll(cfg.Dir, 0o755); err != nil {
		return nil, fmt.Errorf("dist: embedded server: %w", err)
	}
	host := cfg.Host
	if host == "" {
		host = "127.0.0.1"
	}
	port := cfg.Port
	if port == 0 {
		port = lastPort(cfg.Dir, host)
	}
	opts := &server.Options{
		ServerName: "argmax",
		Host:       host,
		Port:       port,
		JetStream:  true,
		StoreDir:   filepath.Join(cfg.Dir, "jetstream"),
		NoSigs:     true,
		NoLog:      true,
		MaxPayload: 8 << 20,
	}
	ns, err := server.NewServer(opts)
	if err != nil {
		return nil, fmt.Errorf("dist: embedded server: %w", err)
	}
	ns.Start()
	if !ns.ReadyForConnections(10 * time.Second) {
		ns.Shutdown()
		return nil, fmt.Errorf("dist: embedded server on %s:%d did not start in 10 s", host, port)
	}
	s := &Server{ns: ns, dir: cfg.Dir}
	if a, ok := ns.Addr().(*net.TCPAddr); ok {
		tmp := filepath.Join(cfg.Dir, portFile+".tmp")
		if os.WriteFile(tmp, []byte(strconv.Itoa(a.Port)+"\n"), 0o644) == nil {
			os.Rename(tmp, filepath.Join(cfg.Dir, portFile))
		}
	}
	return s, nil
}

// lastPort returns the port recorded in dir if it can be listened on
// again, else -1 (any free port).
func lastPort(dir, host string) int {
	b, err := os.ReadFile(filepath.Join(dir, portFile))
	if err != nil {
		return -1
	}
	p, err := strconv.Atoi(strings.TrimSpace(string(b)))
	if err != nil || p <= 0 || p > 65535 {
		return -1
	}
	l, err := net.Listen("tcp", net.JoinHostPort(host, strconv.Itoa(p)))
	if err != nil {
		return -1
	}
	l.Close()
	return p
}

// URL is the address clients connect to (nats://127.0.0.1:PORT).
func (s *Server) URL() string { return s.ns.ClientURL() }

// Connect returns a client connection to the server within this process
// (no network).
func (s *Server) Connect() (*nats.Conn, error) {
	nc, err := nats.Connect(s.URL(), nats.InProcessServer(s.ns), nats.Name("argmax"))
	if err != nil {
		return nil, fmt.Errorf("dist: connect to the embedded server: %w", err)
	}
	return nc, nil
}

// Shutdown stops the server.
func (s *Server) Shutdown() {
	s.ns.Shutdown()
	s.ns.WaitForShutdown()
}

// Dial connects to a NATS server or cluster at url (comma-separated
// URLs for several), reconnecting for as long as it takes when the
// connection drops.
func Dial(url, name string) (*nats.Conn, error) {
	nc, err := nats.Connect(url, nats.Name(name), nats.MaxReconnects(-1), nats.ReconnectWait(250*time.Millisecond),
		nats.RetryOnFailedConnect(false))
	if err != nil {
		return nil, fmt.Errorf("dist: connect to NATS at %s: %w", url, err)
	}
	return nc, nil
}
