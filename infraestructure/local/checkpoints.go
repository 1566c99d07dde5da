package local

import (
	"encoding/json"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"sync"
	"time"
)

// checkpoints are the positions the stream event source mappings have
// reached: each shard's last sequence number whose batch is done
// (delivered, or given up to the on-failure queue). Lambda keeps them with
// the mapping, so its TRIM_HORIZON applies once, when the mapping is
// created; likewise a runner resumes each shard after its checkpoint, both
// when an iterator failed and when a new runner starts against an endpoint
// an earlier one used (LocalStack, a long-lived moto), instead of reading
// every record of the last 24 hours again.
//
// With a path they are kept in that file across runs, written at most
// every checkpointEvery and at Close; a run that dies in between repeats
// that much, as Lambda may (delivery is at least once).
type checkpoints struct {
	mu      sync.Mutex
	path    string
	shards  map[string]checkpoint // streamArn + " " + shardId
	dirty   bool
	flushed time.Time
}

type checkpoint struct {
	Sequence string    `json:"sequence"`
	At       time.Time `json:"at"`
}

// checkpointEvery bounds how often the checkpoint file is written.
const checkpointEvery = 500 * time.Millisecond

// streamRetention is how long a DynamoDB stream keeps a record: a
// checkpoint older than that points at nothing left, and is forgotten.
const streamRetention = 24 * time.Hour

// loadCheckpoints reads the checkpoint file at path (none yet is no
// checkpoint); "" keeps them in memory only.
func loadCheckpoints(path string, now time.Time) (*checkpoints, error) {
	c := &checkpoints{path: path, shards: map[string]checkpoint{}}
	if path == "" {
		return c, nil
	}
	b, err := os.ReadFile(path)
	if errors.Is(err, fs.ErrNotExist) {
		return c, nil
	}
	if err == nil {
		err = json.Unmarshal(b, &c.shards)
	}
	if err != nil {
		return nil, fmt.Errorf("stream checkpoints %s: %w (delete the file to read every stream from its start)", path, err)
	}
	for k, cp := range c.shards {
		if now.Sub(cp.At) > streamRetention {
			delete(c.shards, k)
		}
	}
	return c, nil
}

// get is shard's checkpoint in the stream arn, if it has one.
func (c *checkpoints) get(arn, shard string) (string, bool) {
	c.mu.Lock()
	defer c.mu.Unlock()
	cp, ok := c.shards[arn+" "+shard]
	return cp.Sequence, ok
}

// set moves shard's checkpoint to seq, and writes the file when it is due.
func (c *checkpoints) set(arn, shard, seq string, now time.Time) error {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.shards[arn+" "+shard] = checkpoint{Sequence: seq, At: now}
	c.dirty = true
	if now.Sub(c.flushed) < checkpointEvery {
		return nil
	}
	return c.flushLocked(now)
}

// flush writes the file if anything changed since it was last written.
func (c *checkpoints) flush() error {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.flushLocked(time.Now())
}

func (c *checkpoints) flushLocked(now time.Time) error {
	if c.path == "" || !c.dirty {
		return nil
	}
	b, err := json.MarshalIndent(c.shards, "", "  ")
	if err != nil {
		return err
	}
	// A whole file or the previous one, never half of one.
	tmp := c.path + ".tmp"
	if err := os.MkdirAll(filepath.Dir(c.path), 0o755); err != nil {
		return err
	}
	if err := os.WriteFile(tmp, b, 0o644); err != nil {
		return err
	}
	if err := os.Rename(tmp, c.path); err != nil {
		return err
	}
	c.dirty, c.flushed = false, now
	return nil
}
