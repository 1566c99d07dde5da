package main

import (
	"bytes"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strings"
	"testing"

	"github.com/lightpress/lightpress/infraestructure/local/motoserver"
)

func build(t *testing.T, spec string, aws *AWS) (*Result, string, string) {
	t.Helper()
	s, err := ParseSpec([]byte(spec))
	if err != nil {
		t.Fatal(err)
	}
	dir := t.TempDir()
	var out bytes.Buffer
	res, err := Run(Options{Dir: dir, Spec: s, BaseEnv: []string{"PATH=" + os.Getenv("PATH"), "HOME=" + dir},
		ProjectEnv: map[string]string{"FROM_PROJECT": "project"}, AWS: aws, Out: &out})
	if err != nil {
		t.Fatalf("%v\n%s", err, out.String())
	}
	return res, out.String(), dir
}

func phases(r *Result) string {
	var s []string
	for _, p := range r.Phases {
		s = append(s, p.Name+"="+p.Status)
	}
	return strings.Join(s, " ")
}

// One shell for the whole build: variables, the working directory and
// shell state carry across commands and phases; buildspec variables are
// there, overridden by the project's.
func TestOneShellForEveryCommand(t *testing.T) {
	res, out, _ := build(t, `
version: 0.2
env:
  shell: bash
  variables: {FROM_SPEC: spec, FROM_PROJECT: spec, NUMBER: 5}
phases:
  install:
    commands:
      - export CARRIED=from-install
      - mkdir -p sub && cd sub
  pre_build:
    commands:
      - echo "pre_build sees CARRIED=$CARRIED pwd=$(basename $PWD)"
  build:
    commands:
      - echo "build sees FROM_SPEC=$FROM_SPEC FROM_PROJECT=$FROM_PROJECT NUMBER=$NUMBER succeeding=$CODEBUILD_BUILD_SUCCEEDING"
`, nil)
	if !res.Succeeded || phases(res) != "INSTALL=SUCCEEDED PRE_BUILD=SUCCEEDED BUILD=SUCCEEDED POST_BUILD=SUCCEEDED" {
		t.Fatalf("%s\n%s", phases(res), out)
	}
	for _, want := range []string{"pre_build sees CARRIED=from-install pwd=sub", "build sees FROM_SPEC=spec FROM_PROJECT=project NUMBER=5 succeeding=1"} {
		if !strings.Contains(out, want) {
			t.Errorf("output lacks %q:\n%s", want, out)
		}
	}
}

// A failing command ends its phase; finally still runs; a failed
// pre_build ends the build: no build, no post_build.
func TestFailedPreBuildStopsTheBuild(t *testing.T) {
	res, out, _ := build(t, `
version: 0.2
phases:
  pre_build:
    commands:
      - echo first
      - "false"
      - echo never-run
    finally:
      - echo finally-ran
  build:
    commands: [echo build-ran]
  post_build:
    commands: [echo post-build-ran]
`, nil)
	if res.Succeeded {
		t.Fatal("build succeeded")
	}
	if got := phases(res); got != "INSTALL=SUCCEEDED PRE_BUILD=FAILED BUILD=SKIPPED POST_BUILD=SKIPPED" {
		t.Errorf("phases %s", got)
	}
	if !strings.Contains(out, "finally-ran") || strings.Contains(out, "never-run") || strings.Contains(out, "build-ran") {
		t.Errorf("output:\n%s", out)
	}
	if !strings.Contains(out, "Error while executing command: false. Reason: exit status 1") {
		t.Errorf("no phase context:\n%s", out)
	}
}

// A failed build still runs post_build, which sees CODEBUILD_BUILD_SUCCEEDING=0.
func TestFailedBuildRunsPostBuildWithSucceedingZero(t *testing.T) {
	res, out, _ := build(t, `
version: 0.2
phases:
  build:
    commands:
      - exit_code=7; (exit $exit_code)
      - echo never-run
  post_build:
    commands:
      - echo "post_build succeeding=$CODEBUILD_BUILD_SUCCEEDING"
      - if [ "$CODEBUILD_BUILD_SUCCEEDING" = 1 ]; then echo deploying; fi
`, nil)
	if res.Succeeded || phases(res) != "INSTALL=SUCCEEDED PRE_BUILD=SUCCEEDED BUILD=FAILED POST_BUILD=SUCCEEDED" {
		t.Fatalf("%v %s\n%s", res.Succeeded, phases(res), out)
	}
	if !strings.Contains(out, "post_build succeeding=0") || strings.Contains(out, "\ndeploying\n") || strings.Contains(out, "\nnever-run") {
		t.Errorf("output:\n%s", out)
	}
	if !strings.Contains(out, "exit status 7") {
		t.Errorf("exit status not reported:\n%s", out)
	}
}

// As in CodeBuild, a multi-line command fails only by its last line's
// status; on-failure CONTINUE goes on (the build still fails); a command
// that exits the shell fails, and the next phase gets a new shell.
func TestMultiLineOnFailureContinueAndExit(t *testing.T) {
	res, out, _ := build(t, `
version: 0.2
phases:
  install:
    on-failure: CONTINUE
    commands:
      - |
        false
        echo "middle failure ignored"
      - "false"
  pre_build:
    commands:
      - echo "pre_build ran after CONTINUE, succeeding=$CODEBUILD_BUILD_SUCCEEDING"
  build:
    commands:
      - exit 3
  post_build:
    commands:
      - echo "new shell, succeeding=$CODEBUILD_BUILD_SUCCEEDING"
`, nil)
	if res.Succeeded {
		t.Fatal("succeeded")
	}
	if got := phases(res); got != "INSTALL=FAILED PRE_BUILD=SUCCEEDED BUILD=FAILED POST_BUILD=SUCCEEDED" {
		t.Errorf("phases %s\n%s", got, out)
	}
	for _, want := range []string{"middle failure ignored", "pre_build ran after CONTINUE, succeeding=0", "exit status 3", "new shell, succeeding=0"} {
		if !strings.Contains(out, want) {
			t.Errorf("output lacks %q:\n%s", want, out)
		}
	}
}

// A failing post_build fails the build; commands read /dev/null, not the
// runner's command stream.
func TestPostBuildFailureAndStdin(t *testing.T) {
	res, out, _ := build(t, `
version: 0.2
phases:
  build:
    commands:
      - cat
      - echo after-cat
  post_build:
    commands: ["false"]
`, nil)
	if res.Succeeded || phases(res) != "INSTALL=SUCCEEDED PRE_BUILD=SUCCEEDED BUILD=SUCCEEDED POST_BUILD=FAILED" {
		t.Fatalf("%s\n%s", phases(res), out)
	}
	if !strings.Contains(out, "after-cat") {
		t.Errorf("output:\n%s", out)
	}
}

func TestParseSpecRejects(t *testing.T) {
	for _, bad := range []string{"version: 0.1\n", "version: 0.2\nphases: {deploy: {commands: [x]}}\n",
		"version: 0.2\nphases: {build: {on-failure: RETRY_LATER, commands: [x]}}\n"} {
		if _, err := ParseSpec([]byte(bad)); err == nil {
			t.Errorf("accepted %q", bad)
		}
	}
}

// Against moto_server: env values from Parameter Store and Secrets
// Manager (created from pipeline.yaml), artifacts uploaded to the bucket.
func TestParameterStoreSecretsAndArtifactsAgainstMoto(t *testing.T) {
	if testing.Short() {
		t.Skip("integration: starts moto_server")
	}
	if _, err := exec.LookPath("aws"); err != nil {
		t.Fatal("the aws CLI is not installed: pip install awscli (make buildspec calls it)")
	}
	srv, err := motoserver.Start(nil)
	if err != nil {
		t.Fatal(err)
	}
	defer srv.Stop()
	pipeline, _ := filepath.Abs(filepath.Join("..", "..", "cloudformation", "pipeline.yaml"))
	aws := &AWS{Endpoint: srv.URL, Region: "us-east-1", Buckets: []string{"artifacts-bucket"}, ArtifactBucket: "artifacts-bucket", Pipeline: pipeline}
	res, out, _ := build(t, `
version: 0.2
env:
  shell: bash
  parameter-store:
    ORIGIN: /lightpress/ci/client-origin
  secrets-manager:
    TOKEN: lightpress/ci/build:npmToken
phases:
  build:
    commands:
      - echo "origin=$ORIGIN token=$TOKEN"
      - mkdir -p dist/lambda && echo zip > dist/lambda/a.zip && echo zip > dist/lambda/b.zip && echo t > dist/template.yaml
      - aws s3 cp dist/template.yaml s3://artifacts-bucket/by-the-build/template.yaml
artifacts:
  files:
    - dist/template.yaml
    - dist/lambda/*.zip
`, aws)
	if !res.Succeeded {
		t.Fatalf("%s\n%s", phases(res), out)
	}
	if !strings.Contains(out, "origin=http://127.0.0.1:8080 token=none") {
		t.Errorf("env not resolved from pipeline.yaml's parameter and secret:\n%s", out)
	}
	if len(res.Uploaded) != 3 {
		t.Errorf("uploaded %v", res.Uploaded)
	}
	for _, want := range []string{"by-the-build/template.yaml", "/artifacts/dist/lambda/a.zip", "/artifacts/dist/template.yaml"} {
		if !strings.Contains(out, want) {
			t.Errorf("bucket listing lacks %s:\n%s", want, out)
		}
	}

	// A reference pipeline.yaml does not create fails the build up front.
	res, out, _ = build(t, "version: 0.2\nenv:\n  parameter-store: {X: /not/there}\nphases:\n  build:\n    commands: [echo never]\n", aws)
	if res.Succeeded || strings.Contains(out, "Running command echo never") {
		t.Errorf("missing parameter: %s\n%s", phases(res), out)
	}
}

// The repository's buildspec parses (every command a string), and nothing
// in post_build runs unless the build is succeeding.
func TestRepositoryBuildspec(t *testing.T) {
	raw, err := os.ReadFile(filepath.Join("..", "..", "..", "buildspec.yml"))
	if err != nil {
		t.Fatal(err)
	}
	s, err := ParseSpec(raw)
	if err != nil {
		t.Fatal(err)
	}
	for _, name := range PhaseOrder {
		if len(s.Phases[name].Commands) == 0 {
			t.Errorf("phase %s has no commands", name)
		}
	}
	for _, c := range s.Phases["post_build"].Commands {
		if !strings.Contains(c, `"$CODEBUILD_BUILD_SUCCEEDING"`) {
			t.Errorf("post_build command not guarded by CODEBUILD_BUILD_SUCCEEDING: %s", c)
		}
		if strings.Contains(c, "cloudformation deploy") && !strings.Contains(c, "BUILDSPEC_LOCAL") {
			t.Errorf("the deploy would run under make buildspec: %s", c)
		}
	}
	audits := false
	for _, c := range s.Phases["pre_build"].Commands {
		audits = audits || (strings.Contains(c, "audit.sh") && strings.Contains(c, "AUDIT_GOVULNCHECK=1"))
	}
	if !audits {
		t.Error("pre_build has no dependency audit with govulncheck (AUDIT_GOVULNCHECK=1 infraestructure/tools/audit.sh)")
	}
	// CodeBuild runs the gate CI runs: make test-go (the moto integration
	// and system tests included), never a -short subset of it.
	gate := false
	for _, c := range s.Phases["pre_build"].Commands {
		gate = gate || regexp.MustCompile(`(^|\s)make\b.*\stest-go(\s|$)`).MatchString(c)
		if strings.Contains(c, "go test") || strings.Contains(c, "-short") {
			t.Errorf("pre_build runs Go tests outside make test-go: %s", c)
		}
	}
	if !gate {
		t.Error("pre_build does not run make test-go, the gate CI runs")
	}
	// make test-go needs moto at the version lightmoto checks for: the
	// install phase installs exactly that one (install-tools.sh).
	install := strings.Join(s.Phases["install"].Commands, "\n")
	tools, err := os.ReadFile(filepath.Join("..", "..", "..", "infraestructure", "ci", "install-tools.sh"))
	if err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(install, "infraestructure/ci/install-tools.sh") ||
		!strings.Contains(string(tools), `pip install --quiet "moto[server]==$MOTO_VERSION"`) ||
		!strings.Contains(string(tools), "motoserver/motoserver.go") {
		t.Error("the install phase does not install moto at motoserver.Version (infraestructure/ci/install-tools.sh)")
	}
	mk, err := os.ReadFile(filepath.Join("..", "..", "..", "Makefile"))
	if err != nil {
		t.Fatal(err)
	}
	if !regexp.MustCompile(`(?m)^\t\$\(GOTEST\) -count=1 .*\./\.\.\.$`).Match(mk) {
		t.Error("make test-go does not run the tests through $(GOTEST) (what pre_build sets to gotestsum)")
	}
	if len(s.Env.ParameterStore) == 0 || len(s.Env.SecretsManager) == 0 || len(s.Reports) == 0 || len(s.Cache.Paths) == 0 {
		t.Error("env parameter-store/secrets-manager, reports and cache expected")
	}
}
