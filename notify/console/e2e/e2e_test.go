package e2e

import (
	"bufio"
	"context"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
	"time"
)

// TestBrowser serves the console with the fake provider and runs
// scenario.js in headless Chromium. It needs HERALD_CHROMIUM and
// HERALD_NODE_MODULES, which `make test` sets; it fails, never skips,
// without them.
func TestBrowser(t *testing.T) {
	chromium, modules := os.Getenv("HERALD_CHROMIUM"), os.Getenv("HERALD_NODE_MODULES")
	if chromium == "" || modules == "" {
		t.Fatal("HERALD_CHROMIUM and HERALD_NODE_MODULES are not set: run the browser test with `make test`, which installs Chromium and playwright-core and sets both")
	}
	node, err := exec.LookPath("node")
	if err != nil {
		t.Fatal("node is not installed: run the browser test with `make test`")
	}
	ctx, cancel := context.WithTimeout(context.Background(), 3*time.Minute)
	defer cancel()

	bin := filepath.Join(t.TempDir(), "console-server")
	if out, err := exec.CommandContext(ctx, "go", "build", "-o", bin, "./server").CombinedOutput(); err != nil {
		t.Fatalf("go build ./server: %v\n%s", err, out)
	}
	srv := exec.CommandContext(ctx, bin, "-addr", "127.0.0.1:0", "-receipts", "1s")
	srv.Stderr = testWriter{t, "server: "}
	stdout, err := srv.StdoutPipe()
	if err != nil {
		t.Fatal(err)
	}
	if err := srv.Start(); err != nil {
		t.Fatal(err)
	}
	defer func() {
		srv.Process.Signal(os.Interrupt)
		srv.Wait()
	}()
	line, err := bufio.NewReader(stdout).ReadString('\n')
	if err != nil {
		t.Fatalf("reading the server's address: %v", err)
	}
	base := strings.TrimSpace(line)
	t.Logf("console at %s", base)

	artifacts, err := filepath.Abs("test-artifacts")
	if err != nil {
		t.Fatal(err)
	}
	cmd := exec.CommandContext(ctx, node, "scenario.js")
	cmd.Env = append(os.Environ(), "BASE_URL="+base, "ARTIFACTS="+artifacts,
		"HERALD_CHROMIUM="+chromium, "HERALD_NODE_MODULES="+modules)
	out, err := cmd.CombinedOutput()
	t.Logf("scenario output:\n%s", out)
	if err != nil {
		t.Fatalf("scenario failed: %v (screenshots in %s)", err, artifacts)
	}
}

// testWriter logs each write to t.
type testWriter struct {
	t      *testing.T
	prefix string
}

func (w testWriter) Write(p []byte) (int, error) {
	w.t.Log(w.prefix + strings.TrimRight(string(p), "\n"))
	return len(p), nil
}
