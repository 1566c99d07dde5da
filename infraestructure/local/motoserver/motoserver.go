// Package motoserver runs moto_server, the local AWS API that `lightpress
// up` and the tests use when no other endpoint is given: moto pinned to
// Version, with the corrections of package lightmoto (below).
package motoserver

import (
	"crypto/sha256"
	"embed"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"net"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"sync"
	"syscall"
	"time"
)

// Version is the moto these corrections are written against (lightmoto
// checks it at start and stops with InstallHint when another is installed).
const Version = "5.2.1"

// InstallHint says how to get moto when it is missing.
const InstallHint = `moto ` + Version + ` is needed for python3. Install it with: pip install 'moto[server]==` + Version + `'  (Python 3.9+), then run this again`

// lightmoto is the Python package Start runs instead of plain moto_server
// (python3 -m lightmoto): it checks the installed moto is Version, applies
// five corrections of moto, each a module of its own that says which
// behaviour it corrects (a test in lightmoto/tests shows plain moto gets it
// wrong), and serves moto_server. In short:
//
//   - serialise: every DynamoDB and DynamoDB Streams request behind one
//     lock (moto serves requests on threads with nothing locked);
//   - transactions: TransactWriteItems checks every condition, then writes
//     in place with a journal of just its items, where moto copies whole
//     tables and its rollback replaces them (losing stream records);
//   - query: a table Query reads its partition, not the sorted table
//     (6 -> 43 queries a second at 10,000 items);
//   - sqs_clock: SQS reads the clock with time.time, not a datetime per
//     queued message (SNS fan-out to 4 queues: 48 -> 132 publishes a second);
//   - dynamo_json: data-plane answers as plain JSON, not through the model
//     serializer (a 10-item Query page: 37 -> 103 a second).
//
// Nothing falls back: a correction that no longer fits moto stops the
// server, and Start returns its traceback.
//
//go:embed lightmoto/*.py
var lightmoto embed.FS

// Server is a running moto_server.
type Server struct {
	URL string
	cmd *exec.Cmd
}

// Start runs the corrected moto_server (lightmoto) on a free loopback port
// and waits until it answers. The process gets SIGKILL if its parent dies,
// so nothing is left behind by a crash. logs receives its output (nil
// discards it); if it exits before answering, the error holds the end of it.
func Start(logs io.Writer) (*Server, error) { return start(logs, lightmoto) }

func start(logs io.Writer, pkg fs.FS) (*Server, error) {
	py, err := exec.LookPath("python3")
	if err != nil {
		return nil, errors.New("python3 is not on PATH. " + InstallHint)
	}
	dir, err := unpack(pkg)
	if err != nil {
		return nil, fmt.Errorf("unpack lightmoto: %w", err)
	}
	port, err := FreePort()
	if err != nil {
		return nil, err
	}
	cmd := exec.Command(py, "-m", "lightmoto", "-H", "127.0.0.1", "-p", fmt.Sprint(port))
	// From its own directory: python3 -m puts the working directory first
	// on the import path, and it must find this lightmoto, no other.
	cmd.Dir = dir
	cmd.Env = append(os.Environ(), "PYTHONDONTWRITEBYTECODE=1")
	tail := &tailBuffer{max: 8 << 10}
	var out io.Writer = tail
	if logs != nil {
		out = io.MultiWriter(logs, tail)
	}
	cmd.Stdout, cmd.Stderr = out, out
	cmd.SysProcAttr = &syscall.SysProcAttr{Pdeathsig: syscall.SIGKILL, Setpgid: true}
	if err := cmd.Start(); err != nil {
		return nil, fmt.Errorf("run %s -m lightmoto: %w", py, err)
	}
	s := &Server{URL: fmt.Sprintf("http://127.0.0.1:%d", port), cmd: cmd}
	exited := make(chan error, 1)
	go func() { exited <- cmd.Wait() }()
	deadline := time.After(30 * time.Second)
	for {
		resp, err := http.Get(s.URL + "/moto-api/data.json")
		if err == nil {
			resp.Body.Close()
			return s, nil
		}
		select {
		case err := <-exited:
			return nil, fmt.Errorf("moto_server (lightmoto) exited before answering: %v\n%s", err, tail.String())
		case <-deadline:
			s.Stop()
			return nil, fmt.Errorf("moto_server did not answer on %s within 30s\n%s", s.URL, tail.String())
		case <-time.After(100 * time.Millisecond):
		}
	}
}

// unpack writes the package to a directory named by its content, once, so
// every start of the same build shares it and nothing piles up.
func unpack(pkg fs.FS) (string, error) {
	files, err := fs.Glob(pkg, "lightmoto/*.py")
	if err != nil || len(files) == 0 {
		return "", fmt.Errorf("no lightmoto/*.py embedded (%v)", err)
	}
	h := sha256.New()
	contents := map[string][]byte{}
	for _, f := range files {
		b, err := fs.ReadFile(pkg, f)
		if err != nil {
			return "", err
		}
		contents[f] = b
		fmt.Fprintf(h, "%s %d\n", f, len(b))
		h.Write(b)
	}
	dir := filepath.Join(os.TempDir(), fmt.Sprintf("lightpress-lightmoto-%x", h.Sum(nil)[:8]))
	if _, err := os.Stat(filepath.Join(dir, "lightmoto", "__main__.py")); err == nil {
		return dir, nil
	}
	tmp, err := os.MkdirTemp(os.TempDir(), "lightpress-lightmoto-new-")
	if err != nil {
		return "", err
	}
	if err := os.Mkdir(filepath.Join(tmp, "lightmoto"), 0o755); err != nil {
		return "", err
	}
	for f, b := range contents {
		if err := os.WriteFile(filepath.Join(tmp, f), b, 0o644); err != nil {
			return "", err
		}
	}
	if err := os.Rename(tmp, dir); err != nil {
		_ = os.RemoveAll(tmp) // another start got there first
		if _, statErr := os.Stat(filepath.Join(dir, "lightmoto", "__main__.py")); statErr != nil {
			return "", err
		}
	}
	return dir, nil
}

// tailBuffer keeps the last max bytes written to it.
type tailBuffer struct {
	mu  sync.Mutex
	max int
	b   []byte
}

func (t *tailBuffer) Write(p []byte) (int, error) {
	t.mu.Lock()
	defer t.mu.Unlock()
	t.b = append(t.b, p...)
	if len(t.b) > t.max {
		t.b = t.b[len(t.b)-t.max:]
	}
	return len(p), nil
}

func (t *tailBuffer) String() string {
	t.mu.Lock()
	defer t.mu.Unlock()
	return string(t.b)
}

// Stop ends the server.
func (s *Server) Stop() {
	if s != nil && s.cmd != nil && s.cmd.Process != nil {
		_ = syscall.Kill(-s.cmd.Process.Pid, syscall.SIGKILL)
	}
}

// FreePort asks the kernel for a free loopback TCP port.
func FreePort() (int, error) {
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		return 0, err
	}
	defer l.Close()
	return l.Addr().(*net.TCPAddr).Port, nil
}
