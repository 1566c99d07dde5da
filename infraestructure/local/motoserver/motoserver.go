// Package motoserver runs moto_server, the local AWS API that `lightpress
// up` and the tests use when no other endpoint is given.
package motoserver

import (
	_ "embed"
	"errors"
	"fmt"
	"io"
	"net"
	"net/http"
	"os/exec"
	"syscall"
	"time"
)

// InstallHint says how to get moto_server when it is missing.
const InstallHint = `moto_server is not on PATH. Install it with: pip install 'moto[server]'  (Python 3.9+), then run this again`

// serialised.py runs moto_server with every DynamoDB and DynamoDB Streams
// request behind one lock, and replaces moto's TransactWriteItems. moto
// serves requests on threads, and its transaction deep-copies each table it
// touches (items and stream records) to restore it when a condition fails:
// without the lock a restore can undo a concurrent write that succeeded, and
// the copy makes every transaction slower as the table grows (about 2 a
// second at 2,000 items). Behind the lock the replacement checks every
// condition first and writes only if all hold, keeping a copy of just the
// items it writes in case a write fails half way. The table object and its
// stream shard stay in place, so stream readers see every write.
//
// It also removes costs that grow with the data or dominate a request, each
// keeping what the SDK sees the same (motoserver_test.go):
//   - a Query reads only the queried partition, where moto sorts the whole
//     table first (6 → 43 queries a second at 10,000 items);
//   - DynamoDB's data-plane answers are written as plain JSON, not through
//     moto's model-driven serializer (a 10-item Query page: 37 → 103 a
//     second in-process);
//   - SQS reads its clock with time.time: a SendMessage counts the queue's
//     messages, each through a slow datetime clock (SNS fan-out to 4 queues:
//     48 → 132 publishes a second).
//
//go:embed serialised.py
var serialised string

// Server is a running moto_server.
type Server struct {
	URL string
	cmd *exec.Cmd
}

// Start runs moto_server on a free loopback port and waits until it
// answers. The process gets SIGKILL if its parent dies, so nothing is left
// behind by a crash. logs receives its output (nil discards it).
func Start(logs io.Writer) (*Server, error) {
	path, err := exec.LookPath("moto_server")
	if err != nil {
		return nil, errors.New(InstallHint)
	}
	port, err := FreePort()
	if err != nil {
		return nil, err
	}
	args := []string{"-H", "127.0.0.1", "-p", fmt.Sprint(port)}
	cmd := exec.Command(path, args...)
	// Prefer moto with DynamoDB serialised (see serialised below); fall back
	// to the plain server when python3 is not the interpreter moto lives in.
	if py, err := exec.LookPath("python3"); err == nil && exec.Command(py, "-c", "import moto.server").Run() == nil {
		cmd = exec.Command(py, append([]string{"-c", serialised}, args...)...)
	}
	cmd.Stdout, cmd.Stderr = logs, logs
	cmd.SysProcAttr = &syscall.SysProcAttr{Pdeathsig: syscall.SIGKILL, Setpgid: true}
	if err := cmd.Start(); err != nil {
		return nil, fmt.Errorf("run %s: %w", path, err)
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
			return nil, fmt.Errorf("moto_server exited before answering: %v", err)
		case <-deadline:
			s.Stop()
			return nil, fmt.Errorf("moto_server did not answer on %s within 30s", s.URL)
		case <-time.After(100 * time.Millisecond):
		}
	}
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
