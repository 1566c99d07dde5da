package main

import (
	"bytes"
	"compress/gzip"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
)

// ClientJS builds the client (make client: npm ci and vite build when out
// of date) and returns the raw and gzip (level 9, as check-bundle.mjs) size
// of its JavaScript.
func ClientJS(root string) (raw, gz int, err error) {
	cmd := exec.Command("make", "--no-print-directory", "client")
	cmd.Dir = root
	if b, err := cmd.CombinedOutput(); err != nil {
		return 0, 0, fmt.Errorf("make client: %v\n%s", err, b)
	}
	files, err := filepath.Glob(filepath.Join(root, "client", "dist", "assets", "*.js"))
	if err != nil || len(files) == 0 {
		return 0, 0, fmt.Errorf("no JavaScript in client/dist/assets (%v)", err)
	}
	for _, f := range files {
		if strings.HasSuffix(f, ".map.js") {
			continue
		}
		data, err := os.ReadFile(f)
		if err != nil {
			return 0, 0, err
		}
		var buf bytes.Buffer
		w, _ := gzip.NewWriterLevel(&buf, gzip.BestCompression)
		_, _ = w.Write(data)
		_ = w.Close()
		raw += len(data)
		gz += buf.Len()
	}
	return raw, gz, nil
}
