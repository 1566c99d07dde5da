package main

import (
	"bufio"
	"encoding/json"
	"encoding/xml"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"maps"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"slices"
	"sort"
	"strings"
	"time"

	"gopkg.in/yaml.v3"

	"github.com/lightpress/lightpress/infraestructure/local/stack"
)

// Spec is the part of a buildspec (version 0.2) the runner follows.
type Spec struct {
	Version string `yaml:"version"`
	Env     struct {
		Shell          string            `yaml:"shell"`
		Variables      map[string]string `yaml:"variables"`
		ParameterStore map[string]string `yaml:"parameter-store"`
		SecretsManager map[string]string `yaml:"secrets-manager"`
	} `yaml:"env"`
	Phases    map[string]Phase  `yaml:"phases"`
	Reports   map[string]Report `yaml:"reports"`
	Artifacts struct {
		Files         []string `yaml:"files"`
		BaseDirectory string   `yaml:"base-directory"`
		DiscardPaths  string   `yaml:"discard-paths"`
	} `yaml:"artifacts"`
	Cache struct {
		Paths []string `yaml:"paths"`
	} `yaml:"cache"`
}

// Phase is one of install, pre_build, build, post_build.
type Phase struct {
	RuntimeVersions map[string]string `yaml:"runtime-versions"`
	Commands        []string          `yaml:"commands"`
	Finally         []string          `yaml:"finally"`
	OnFailure       string            `yaml:"on-failure"`
}

// Report is a report group of the reports section.
type Report struct {
	Files         []string `yaml:"files"`
	BaseDirectory string   `yaml:"base-directory"`
	FileFormat    string   `yaml:"file-format"`
}

// PhaseOrder is CodeBuild's order of the buildspec phases.
var PhaseOrder = []string{"install", "pre_build", "build", "post_build"}

// ParseSpec reads a buildspec.
func ParseSpec(raw []byte) (*Spec, error) {
	var s Spec
	if err := yaml.Unmarshal(raw, &s); err != nil {
		return nil, fmt.Errorf("buildspec: %w", err)
	}
	if s.Version != "0.2" {
		return nil, fmt.Errorf("buildspec version %q: this runner follows 0.2 (one shell for every command)", s.Version)
	}
	for name, p := range s.Phases {
		if !slices.Contains(PhaseOrder, name) {
			return nil, fmt.Errorf("buildspec: unknown phase %q", name)
		}
		if p.OnFailure != "" && p.OnFailure != "ABORT" && p.OnFailure != "CONTINUE" {
			return nil, fmt.Errorf("buildspec: phase %s on-failure %q: ABORT or CONTINUE", name, p.OnFailure)
		}
	}
	return &s, nil
}

// AWS is where the build's AWS calls go (moto_server or LocalStack, never
// AWS itself: the credentials are fake).
type AWS struct {
	Endpoint string
	Region   string
	// Buckets to create before the build (what the pipeline stack and the
	// application stack would have created).
	Buckets []string
	// ArtifactBucket receives the artifacts (UPLOAD_ARTIFACTS), under
	// builds/<build id>/artifacts/ as pipeline.yaml configures it.
	ArtifactBucket string
	// Pipeline is pipeline.yaml: its SSM parameters and secrets are created
	// so the buildspec's parameter-store and secrets-manager refs resolve
	// exactly as they would against the pipeline stack.
	Pipeline string
}

// Options of one run.
type Options struct {
	Dir        string            // the source (CODEBUILD_SRC_DIR)
	Spec       *Spec             // the buildspec
	BaseEnv    []string          // the environment the image starts with
	ProjectEnv map[string]string // the project's variables: override the buildspec's
	AWS        *AWS              // nil: the buildspec must make no AWS call the runner resolves
	Out        io.Writer
	BuildID    string
}

// PhaseResult is how one phase ended: SUCCEEDED, FAILED or SKIPPED.
type PhaseResult struct {
	Name, Status, Context string
}

// Result of a build.
type Result struct {
	Succeeded bool
	Phases    []PhaseResult
	Uploaded  []string // s3:// URLs of the uploaded artifacts
}

// Run runs a build: env resolution, the four phases with CodeBuild's
// semantics, UPLOAD_ARTIFACTS, reports.
//
//   - Every command of every phase runs in one shell, so variables, the
//     working directory and shell options carry over (buildspec 0.2).
//   - A command fails when its exit status is not 0; for a multi-line
//     command that is the status of its last line, as in CodeBuild.
//   - A failed command ends its phase (the rest of its commands are not
//     run), then the phase's finally commands run.
//   - A failed install or pre_build ends the build (no build, post_build
//     or artifacts); a failed build still runs post_build, with
//     CODEBUILD_BUILD_SUCCEEDING=0; on-failure: CONTINUE goes on to the
//     next phase instead, the build still failing.
//   - A command that exits the shell fails the phase; a new shell (with
//     the build's environment, not what the old one had set) runs the rest.
func Run(o Options) (*Result, error) {
	out := o.Out
	if out == nil {
		out = os.Stdout
	}
	logf := func(format string, a ...any) {
		fmt.Fprintf(out, "[Container] %s "+format+"\n", append([]any{time.Now().Format("2006/01/02 15:04:05.000")}, a...)...)
	}
	if o.BuildID == "" {
		o.BuildID = fmt.Sprintf("local-%d", time.Now().UnixNano())
	}
	env := envMap(o.BaseEnv)
	for k, v := range o.Spec.Env.Variables {
		env[k] = v
	}
	for k, v := range o.ProjectEnv {
		env[k] = v
	}
	env["CODEBUILD_BUILD_ID"] = "lightpress:" + o.BuildID
	env["CODEBUILD_SRC_DIR"] = o.Dir
	env["CODEBUILD_BUILD_SUCCEEDING"] = "1"
	if env["CODEBUILD_RESOLVED_SOURCE_VERSION"] == "" {
		if rev, err := exec.Command("git", "-C", o.Dir, "rev-parse", "HEAD").Output(); err == nil {
			env["CODEBUILD_RESOLVED_SOURCE_VERSION"] = strings.TrimSpace(string(rev))
		} else {
			env["CODEBUILD_RESOLVED_SOURCE_VERSION"] = "0000000000000000000000000000000000000000"
		}
	}
	var cli *awsCLI
	if o.AWS != nil {
		cli = &awsCLI{endpoint: o.AWS.Endpoint, region: o.AWS.Region}
		for k, v := range cli.env() {
			env[k] = v
		}
		delete(env, "AWS_PROFILE")
		delete(env, "AWS_SESSION_TOKEN")
		logf("AWS calls go to %s (fake credentials)", o.AWS.Endpoint)
		if err := provision(cli, o.AWS, logf); err != nil {
			return nil, err
		}
	}
	res := &Result{}

	// DOWNLOAD_SOURCE: CodeBuild resolves parameter-store and
	// secrets-manager values before the first phase; one missing fails the build.
	if n := len(o.Spec.Env.ParameterStore) + len(o.Spec.Env.SecretsManager); n > 0 {
		if cli == nil {
			return nil, errors.New("the buildspec reads Parameter Store / Secrets Manager: give the runner an AWS endpoint")
		}
		for _, k := range slices.Sorted(maps.Keys(o.Spec.Env.ParameterStore)) {
			v, err := cli.parameter(o.Spec.Env.ParameterStore[k])
			if err != nil {
				logf("Phase context status code: Decrypted Variables Error Message: parameter %s for %s: %v", o.Spec.Env.ParameterStore[k], k, err)
				res.Phases = append(res.Phases, PhaseResult{"DOWNLOAD_SOURCE", "FAILED", err.Error()})
				return res, nil
			}
			env[k] = v
			logf("env %s from parameter store %s", k, o.Spec.Env.ParameterStore[k])
		}
		for _, k := range slices.Sorted(maps.Keys(o.Spec.Env.SecretsManager)) {
			v, err := cli.secret(o.Spec.Env.SecretsManager[k])
			if err != nil {
				logf("Phase context status code: Secrets Manager Error Message: %s for %s: %v", o.Spec.Env.SecretsManager[k], k, err)
				res.Phases = append(res.Phases, PhaseResult{"DOWNLOAD_SOURCE", "FAILED", err.Error()})
				return res, nil
			}
			env[k] = v
			logf("env %s from secrets manager %s (value hidden)", k, o.Spec.Env.SecretsManager[k])
		}
	}

	sh, err := newShell(o.Spec.Env.Shell, o.Dir, envList(env), out)
	if err != nil {
		return nil, err
	}
	defer sh.close()
	succeeding := true
	skipRest := false
	for _, name := range PhaseOrder {
		upper := strings.ToUpper(name)
		if skipRest {
			res.Phases = append(res.Phases, PhaseResult{upper, "SKIPPED", ""})
			continue
		}
		ph := o.Spec.Phases[name]
		logf("Entering phase %s", upper)
		for _, rt := range slices.Sorted(maps.Keys(ph.RuntimeVersions)) {
			logf("Runtime version %s %s: CodeBuild installs it; here: %s", rt, ph.RuntimeVersions[rt], localVersion(rt))
		}
		failed, ctx := false, ""
		for _, c := range ph.Commands {
			logf("Running command %s", c)
			if rc := sh.run(c); rc != 0 {
				failed = true
				ctx = fmt.Sprintf("COMMAND_EXECUTION_ERROR Message: Error while executing command: %s. Reason: exit status %d", firstLine(c), rc)
				logf("Command did not exit successfully %s exit status %d", firstLine(c), rc)
				break
			}
		}
		for _, c := range ph.Finally {
			logf("Running command %s", c)
			if rc := sh.run(c); rc != 0 && !failed {
				failed = true
				ctx = fmt.Sprintf("COMMAND_EXECUTION_ERROR Message: Error while executing command: %s. Reason: exit status %d", firstLine(c), rc)
			}
		}
		status := "SUCCEEDED"
		if failed {
			status = "FAILED"
			if succeeding {
				succeeding = false
				sh.set("CODEBUILD_BUILD_SUCCEEDING", "0")
			}
		}
		logf("Phase complete: %s State: %s", upper, status)
		if ctx != "" {
			logf("Phase context status code: %s", ctx)
		}
		res.Phases = append(res.Phases, PhaseResult{upper, status, ctx})
		if failed && ph.OnFailure != "CONTINUE" && (name == "install" || name == "pre_build") {
			skipRest = true
		}
	}

	// UPLOAD_ARTIFACTS: attempted whenever the build phase ran.
	if !skipRest && len(o.Spec.Artifacts.Files) > 0 {
		logf("Entering phase UPLOAD_ARTIFACTS")
		uploaded, err := uploadArtifacts(cli, o, res, logf)
		res.Uploaded = uploaded
		status := "SUCCEEDED"
		if err != nil {
			status = "FAILED"
			succeeding = false
			logf("Phase context status code: CLIENT_ERROR Message: %v", err)
		}
		logf("Phase complete: UPLOAD_ARTIFACTS State: %s", status)
		res.Phases = append(res.Phases, PhaseResult{"UPLOAD_ARTIFACTS", status, fmt.Sprint(err)})
	}
	// Reports are uploaded even when the build failed.
	for _, name := range slices.Sorted(maps.Keys(o.Spec.Reports)) {
		logf("Report %s: %s", name, summarizeReport(o.Dir, o.Spec.Reports[name]))
	}
	for _, p := range o.Spec.Cache.Paths {
		logf("Cache path %s: saved by CodeBuild (S3 cache); nothing to do here", p)
	}
	res.Succeeded = succeeding
	return res, nil
}

// ---------------------------------------------------------------- the shell

// shell is the one shell instance every command of the build runs in.
// Its stdout and stderr are one pipe the runner reads line by line, so the
// output of a command is all written before the runner goes on; after each
// command the shell prints a marker line (with a per-build nonce) and the
// command's exit status.
type shell struct {
	path, dir string
	env       []string
	out       io.Writer
	cmd       *exec.Cmd
	stdin     io.WriteCloser
	output    *bufio.Reader
	pipe      *os.File
	tmp       string
	marker    string
	n         int
}

func newShell(name, dir string, env []string, out io.Writer) (*shell, error) {
	if name == "" {
		name = "sh" // CodeBuild's default on Linux; env.shell: bash picks bash
	}
	path, err := exec.LookPath(name)
	if err != nil {
		return nil, fmt.Errorf("shell %s: %w", name, err)
	}
	tmp, err := os.MkdirTemp("", "buildspec-")
	if err != nil {
		return nil, err
	}
	s := &shell{path: path, dir: dir, env: env, out: out, tmp: tmp,
		marker: fmt.Sprintf("__buildspec_status_%d__", time.Now().UnixNano())}
	return s, s.start()
}

func (s *shell) start() error {
	r, w, err := os.Pipe()
	if err != nil {
		return err
	}
	args := []string{}
	if filepath.Base(s.path) == "bash" {
		args = []string{"--noprofile", "--norc"}
	}
	s.cmd = exec.Command(s.path, args...)
	s.cmd.Dir, s.cmd.Env = s.dir, s.env
	s.cmd.Stdout, s.cmd.Stderr = w, w
	if s.stdin, err = s.cmd.StdinPipe(); err != nil {
		return err
	}
	if err := s.cmd.Start(); err != nil {
		return err
	}
	w.Close()
	s.pipe, s.output = r, bufio.NewReader(r)
	return nil
}

// run runs one command in the shell, copies its output, and returns its
// exit status. The command reads /dev/null, not the runner's commands.
func (s *shell) run(command string) int {
	s.n++
	file := filepath.Join(s.tmp, fmt.Sprintf("command-%d.sh", s.n))
	if err := os.WriteFile(file, []byte(command+"\n"), 0o600); err != nil {
		fmt.Fprintln(s.out, "runner:", err)
		return 1
	}
	fmt.Fprintf(s.stdin, ". '%s' </dev/null\nprintf '%%s %%d\\n' '%s' \"$?\"\n", file, s.marker)
	for {
		line, err := s.output.ReadString('\n')
		if i := strings.Index(line, s.marker+" "); i >= 0 {
			if i > 0 {
				fmt.Fprintln(s.out, line[:i])
			}
			var rc int
			fmt.Sscan(line[i+len(s.marker)+1:], &rc)
			return rc
		}
		io.WriteString(s.out, line)
		if err != nil {
			break
		}
	}
	// The command ended the shell (exit, set -e): that fails it. Later
	// commands get a new shell with the build's environment.
	werr := s.cmd.Wait()
	rc := 1
	var exit *exec.ExitError
	if errors.As(werr, &exit) && exit.ExitCode() > 0 {
		rc = exit.ExitCode()
	}
	fmt.Fprintf(s.out, "runner: the command ended the shell (status %d); a new shell runs the rest\n", rc)
	s.pipe.Close()
	if err := s.start(); err != nil {
		fmt.Fprintln(s.out, "runner: cannot restart the shell:", err)
	}
	return rc
}

// set exports a variable in the shell (and in any later one).
func (s *shell) set(k, v string) {
	s.env = append(s.env, k+"="+v)
	s.run(fmt.Sprintf("export %s='%s'", k, v))
}

func (s *shell) close() {
	if s.stdin != nil {
		s.stdin.Close()
	}
	if s.cmd != nil && s.cmd.Process != nil {
		s.cmd.Wait()
	}
	if s.pipe != nil {
		s.pipe.Close()
	}
	os.RemoveAll(s.tmp)
}

// ---------------------------------------------------------------- AWS

type awsCLI struct{ endpoint, region string }

func (a *awsCLI) env() map[string]string {
	return map[string]string{
		"AWS_ENDPOINT_URL": a.endpoint, "AWS_REGION": a.region, "AWS_DEFAULT_REGION": a.region,
		"AWS_ACCESS_KEY_ID": "testing", "AWS_SECRET_ACCESS_KEY": "testing", "AWS_PAGER": "",
	}
}

func (a *awsCLI) call(args ...string) ([]byte, error) {
	cmd := exec.Command("aws", args...)
	cmd.Env = envList(mergeEnv(envMap(os.Environ()), a.env()))
	out, err := cmd.Output()
	if err != nil {
		var exit *exec.ExitError
		if errors.As(err, &exit) {
			return nil, fmt.Errorf("aws %s: %s", strings.Join(args[:2], " "), strings.TrimSpace(string(exit.Stderr)))
		}
		return nil, fmt.Errorf("aws CLI: %w (pip install awscli)", err)
	}
	return out, nil
}

func (a *awsCLI) parameter(name string) (string, error) {
	out, err := a.call("ssm", "get-parameter", "--name", name, "--with-decryption", "--query", "Parameter.Value", "--output", "text")
	return strings.TrimRight(string(out), "\n"), err
}

// secret resolves a buildspec secrets-manager reference:
// secret-id[:json-key[:version-stage[:version-id]]].
func (a *awsCLI) secret(ref string) (string, error) {
	id, rest := ref, ""
	if strings.HasPrefix(ref, "arn:") {
		parts := strings.SplitN(ref, ":", 8)
		if len(parts) == 8 {
			id, rest = strings.Join(parts[:7], ":"), parts[7]
		}
	} else {
		id, rest, _ = strings.Cut(ref, ":")
	}
	key, rest, _ := strings.Cut(rest, ":")
	stage, versionID, _ := strings.Cut(rest, ":")
	args := []string{"secretsmanager", "get-secret-value", "--secret-id", id, "--query", "SecretString", "--output", "text"}
	if stage != "" {
		args = append(args, "--version-stage", stage)
	}
	if versionID != "" {
		args = append(args, "--version-id", versionID)
	}
	out, err := a.call(args...)
	if err != nil {
		return "", err
	}
	value := strings.TrimRight(string(out), "\n")
	if key == "" {
		return value, nil
	}
	var m map[string]any
	if err := json.Unmarshal([]byte(value), &m); err != nil {
		return "", fmt.Errorf("secret %s is not JSON, so it has no key %s", id, key)
	}
	v, ok := m[key]
	if !ok {
		return "", fmt.Errorf("secret %s has no key %s", id, key)
	}
	return fmt.Sprint(v), nil
}

// provision creates the buckets and what pipeline.yaml declares for the
// build's environment (SSM parameters, secrets), with its defaults.
func provision(cli *awsCLI, a *AWS, logf func(string, ...any)) error {
	for _, b := range a.Buckets {
		if _, err := cli.call("s3api", "head-bucket", "--bucket", b); err == nil {
			continue
		}
		args := []string{"s3api", "create-bucket", "--bucket", b}
		if a.Region != "us-east-1" {
			args = append(args, "--create-bucket-configuration", "LocationConstraint="+a.Region)
		}
		if _, err := cli.call(args...); err != nil {
			return err
		}
		logf("created bucket s3://%s", b)
	}
	if a.Pipeline == "" {
		return nil
	}
	tmpl, err := stack.Load(a.Pipeline)
	if err != nil {
		return err
	}
	value := func(v any) (string, error) {
		switch x := v.(type) {
		case string:
			return x, nil
		case stack.Intrinsic:
			if x.Fn == "Ref" {
				if p, ok := tmpl.Parameters[fmt.Sprint(x.Arg)]; ok && p["Default"] != nil {
					return fmt.Sprint(p["Default"]), nil
				}
			}
		}
		return "", fmt.Errorf("%v: only strings and Refs to parameters with defaults", v)
	}
	for _, id := range tmpl.OfType("AWS::SSM::Parameter") {
		p := tmpl.Resources[id].Properties
		name, err1 := value(p["Name"])
		v, err2 := value(p["Value"])
		if err := errors.Join(err1, err2); err != nil {
			return fmt.Errorf("pipeline %s: %w", id, err)
		}
		// JSON input: the v1 CLI would fetch a --value that looks like a URL.
		in, _ := json.Marshal(map[string]any{"Name": name, "Type": "String", "Value": v, "Overwrite": true})
		if _, err := cli.call("ssm", "put-parameter", "--cli-input-json", string(in)); err != nil {
			return err
		}
		logf("created parameter %s = %q (pipeline.yaml %s, default)", name, v, id)
	}
	for _, id := range tmpl.OfType("AWS::SecretsManager::Secret") {
		p := tmpl.Resources[id].Properties
		name, err1 := value(p["Name"])
		v, err2 := value(p["SecretString"])
		if err := errors.Join(err1, err2); err != nil {
			return fmt.Errorf("pipeline %s: %w", id, err)
		}
		in, _ := json.Marshal(map[string]any{"Name": name, "SecretString": v})
		if _, err := cli.call("secretsmanager", "create-secret", "--cli-input-json", string(in)); err != nil {
			if !strings.Contains(err.Error(), "ResourceExists") {
				return err
			}
			in, _ := json.Marshal(map[string]any{"SecretId": name, "SecretString": v})
			if _, err := cli.call("secretsmanager", "put-secret-value", "--cli-input-json", string(in)); err != nil {
				return err
			}
		}
		logf("created secret %s (pipeline.yaml %s, default)", name, id)
	}
	return nil
}

// uploadArtifacts copies the artifacts' files to the artifact bucket like
// the project in pipeline.yaml (S3, path builds/, namespace BUILD_ID, name
// artifacts), then lists what the bucket holds.
func uploadArtifacts(cli *awsCLI, o Options, res *Result, logf func(string, ...any)) ([]string, error) {
	if cli == nil || o.AWS.ArtifactBucket == "" {
		return nil, errors.New("artifacts need an AWS endpoint and an artifact bucket")
	}
	base := filepath.Join(o.Dir, o.Spec.Artifacts.BaseDirectory)
	var files []string
	for _, pattern := range o.Spec.Artifacts.Files {
		matched, err := globAll(base, pattern)
		if err != nil {
			return nil, err
		}
		if len(matched) == 0 {
			return nil, fmt.Errorf("no matching artifact paths found: %s", pattern)
		}
		files = append(files, matched...)
	}
	var uploaded []string
	prefix := fmt.Sprintf("s3://%s/builds/%s/artifacts/", o.AWS.ArtifactBucket, o.BuildID)
	for _, f := range uniq(files) {
		key := f
		if o.Spec.Artifacts.DiscardPaths == "yes" {
			key = filepath.Base(f)
		}
		dst := prefix + filepath.ToSlash(key)
		if _, err := cli.call("s3", "cp", "--only-show-errors", filepath.Join(base, f), dst); err != nil {
			return uploaded, err
		}
		uploaded = append(uploaded, dst)
	}
	logf("Uploaded %d artifacts to %s", len(uploaded), prefix)
	for _, b := range uniq(append([]string{o.AWS.ArtifactBucket}, o.AWS.Buckets...)) {
		listing, err := cli.call("s3", "ls", "--recursive", "s3://"+b+"/")
		if err != nil {
			return uploaded, err
		}
		logf("s3://%s now holds:\n%s", b, strings.TrimRight(string(listing), "\n"))
	}
	return uploaded, nil
}

// globAll matches a buildspec path pattern (with ** for any depth) under
// base and returns the matching files, relative to base, sorted.
func globAll(base, pattern string) ([]string, error) {
	re := regexp.QuoteMeta(filepath.ToSlash(pattern))
	re = strings.ReplaceAll(re, `\*\*/`, `(.*/)?`)
	re = strings.ReplaceAll(re, `\*\*`, `.*`)
	re = strings.ReplaceAll(re, `\*`, `[^/]*`)
	re = strings.ReplaceAll(re, `\?`, `[^/]`)
	m, err := regexp.Compile("^" + re + "$")
	if err != nil {
		return nil, err
	}
	var out []string
	err = filepath.WalkDir(base, func(p string, d fs.DirEntry, err error) error {
		if err != nil {
			return nil
		}
		if d.IsDir() {
			if n := d.Name(); p != base && (n == ".git" || n == "node_modules") {
				return filepath.SkipDir
			}
			return nil
		}
		rel, _ := filepath.Rel(base, p)
		if m.MatchString(filepath.ToSlash(rel)) {
			out = append(out, rel)
		}
		return nil
	})
	sort.Strings(out)
	return out, err
}

// ---------------------------------------------------------------- reports

type junit struct {
	Suites   []junit `xml:"testsuite"`
	Tests    int     `xml:"tests,attr"`
	Failures int     `xml:"failures,attr"`
	Errors   int     `xml:"errors,attr"`
	Skipped  int     `xml:"skipped,attr"`
}

func summarizeReport(dir string, r Report) string {
	var parts []string
	for _, f := range r.Files {
		matched, _ := globAll(filepath.Join(dir, r.BaseDirectory), f)
		if len(matched) == 0 {
			parts = append(parts, f+": no file (CodeBuild would report nothing)")
			continue
		}
		for _, m := range matched {
			raw, err := os.ReadFile(filepath.Join(dir, r.BaseDirectory, m))
			if err != nil {
				parts = append(parts, m+": "+err.Error())
				continue
			}
			var j junit
			if err := xml.Unmarshal(raw, &j); err != nil {
				parts = append(parts, m+": not JUnit XML: "+err.Error())
				continue
			}
			tests, failed, skipped := j.Tests, j.Failures+j.Errors, j.Skipped
			if len(j.Suites) > 0 && tests == 0 {
				for _, s := range j.Suites {
					tests, failed, skipped = tests+s.Tests, failed+s.Failures+s.Errors, skipped+s.Skipped
				}
			}
			parts = append(parts, fmt.Sprintf("%s (%s): %d tests, %d failed, %d skipped", m, r.FileFormat, tests, failed, skipped))
		}
	}
	return strings.Join(parts, "; ")
}

// ---------------------------------------------------------------- helpers

func localVersion(runtime string) string {
	bin := map[string]string{"nodejs": "node", "golang": "go", "python": "python3", "java": "java"}[runtime]
	if bin == "" {
		return "not checked"
	}
	arg := "--version"
	if bin == "go" {
		arg = "version"
	}
	out, err := exec.Command(bin, arg).Output()
	if err != nil {
		return bin + " is missing"
	}
	return strings.TrimSpace(string(out))
}

func envMap(list []string) map[string]string {
	m := map[string]string{}
	for _, kv := range list {
		if k, v, ok := strings.Cut(kv, "="); ok {
			m[k] = v
		}
	}
	return m
}

func mergeEnv(a, b map[string]string) map[string]string {
	for k, v := range b {
		a[k] = v
	}
	return a
}

func envList(m map[string]string) []string {
	out := make([]string, 0, len(m))
	for _, k := range slices.Sorted(maps.Keys(m)) {
		out = append(out, k+"="+m[k])
	}
	return out
}

func uniq(xs []string) []string {
	seen := map[string]bool{}
	var out []string
	for _, x := range xs {
		if !seen[x] {
			seen[x] = true
			out = append(out, x)
		}
	}
	return out
}

func firstLine(s string) string {
	line, _, more := strings.Cut(strings.TrimSpace(s), "\n")
	if more {
		return line + " ..."
	}
	return line
}
