// Package motoserver runs moto_server, the local AWS API that `lightpress
// up` and the tests use when no other endpoint is given.
package motoserver

import (
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

// serialised runs moto_server with every DynamoDB and DynamoDB Streams
// request behind one lock. moto serves requests on threads, and its
// TransactWriteItems snapshots whole tables and restores the snapshot when a
// condition fails, so without the lock a failed transaction can undo a
// concurrent write that succeeded. DynamoDB never does that; with the lock,
// moto doesn't either. SQS long polls are not affected. The restore also
// swaps the table's stream shard for the snapshot's copy, which the shard
// iterators already handed out never see: the live shard is kept.
const serialised = `
import sys, threading
from moto.dynamodb.responses import DynamoHandler
from moto.dynamodbstreams.responses import DynamoDBStreamsHandler
lock = threading.RLock()
def guard(cls):
    original = cls.call_action
    def call_action(self, *a, **kw):
        with lock:
            return original(self, *a, **kw)
    cls.call_action = call_action
guard(DynamoHandler)
guard(DynamoDBStreamsHandler)
# A rollback puts each table's snapshot in its place, stream shard and all,
# while the shard iterators handed out still read the replaced shard: every
# later write would be lost to stream readers. Keep the live shard, with
# the snapshot's records.
from moto.dynamodb.models import DynamoDBBackend
transact = DynamoDBBackend.transact_write_items
def transact_write_items(self, *a, **kw):
    shards = {n: t.stream_shard for n, t in self.tables.items() if getattr(t, "stream_shard", None) is not None}
    try:
        return transact(self, *a, **kw)
    finally:
        for n, live in shards.items():
            t = self.tables.get(n)
            if t is not None and t.stream_shard is not None and t.stream_shard is not live:
                live.items[:] = t.stream_shard.items
                live.table = t
                t.stream_shard = live
DynamoDBBackend.transact_write_items = transact_write_items
from moto.server import main
main(sys.argv[1:])
`

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
