package templatecheck_test

// sam build as documented (docs/DEPLOY.md): samconfig.toml at the root
// names the template, and what SAM's makefile builder runs for each
// function builds it. The SAM CLI itself is not installed here (and its
// package index is out of reach), so this runs what it would run.

import (
	"debug/elf"
	"encoding/json"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"

	"github.com/lightpress/lightpress/infraestructure/local/stack"
)

func samConfig(t *testing.T) map[string]map[string]map[string]any {
	t.Helper()
	out, err := exec.Command("python3", "-c", "import json, sys, tomllib; print(json.dumps(tomllib.load(open(sys.argv[1], 'rb'))))",
		filepath.Join(root(t), "samconfig.toml")).CombinedOutput()
	if err != nil {
		t.Fatalf("samconfig.toml does not parse as TOML (python3 tomllib): %v\n%s", err, out)
	}
	var cfg map[string]any
	if err := json.Unmarshal(out, &cfg); err != nil {
		t.Fatal(err)
	}
	if cfg["version"] != 0.1 {
		t.Errorf("samconfig version %v, want 0.1", cfg["version"])
	}
	envs := map[string]map[string]map[string]any{}
	for env, v := range cfg {
		cmds, ok := v.(map[string]any)
		if !ok {
			continue
		}
		envs[env] = map[string]map[string]any{}
		for cmd, c := range cmds {
			cm, _ := c.(map[string]any)
			params, _ := cm["parameters"].(map[string]any)
			envs[env][cmd] = params
		}
	}
	return envs
}

func TestSamConfig_NamesTheTemplateForBuildAndTheBuiltOneForTheRest(t *testing.T) {
	cfg := samConfig(t)["default"]
	want := "infraestructure/cloudformation/template.yaml"
	for _, cmd := range []string{"build", "validate"} {
		if cfg[cmd]["template_file"] != want {
			t.Errorf("[default.%s.parameters] template_file = %v, want %s", cmd, cfg[cmd]["template_file"], want)
		}
	}
	if _, err := os.Stat(filepath.Join(root(t), want)); err != nil {
		t.Fatal(err)
	}
	if cfg["build"]["build_in_source"] != true {
		t.Error("sam build copies the whole repository (CodeUri ../../) unless build_in_source = true")
	}
	for cmd, params := range cfg {
		if cmd != "build" && cmd != "validate" && params["template_file"] != nil {
			t.Errorf("[default.%s.parameters] names template_file: it would skip what sam build wrote", cmd)
		}
	}
	if caps, _ := cfg["deploy"]["capabilities"].(string); !strings.Contains(caps, "CAPABILITY_IAM") || !strings.Contains(caps, "CAPABILITY_AUTO_EXPAND") {
		t.Errorf("deploy capabilities %q, want CAPABILITY_IAM and CAPABILITY_AUTO_EXPAND (roles, the SAM transform)", caps)
	}
}

// What SAM's makefile builder runs, from the source (build_in_source):
// make --makefile <CodeUri>/Makefile build-<LogicalId> with ARTIFACTS_DIR.
// Every function's target exists; one is built for real and is the
// linux/arm64 bootstrap the template's runtime and architecture expect.
func TestSamBuild_TheMakefileBuilderBuildsEveryFunction(t *testing.T) {
	if testing.Short() {
		t.Skip("builds a function (run without -short)")
	}
	tmpl, err := stack.Load(templatePath(t))
	if err != nil {
		t.Fatal(err)
	}
	codeURI := filepath.Join(filepath.Dir(templatePath(t)), "../../")
	fns := tmpl.OfType("AWS::Serverless::Function")
	for i, id := range fns {
		artifacts := t.TempDir()
		args := []string{"--makefile", filepath.Join(codeURI, "Makefile"), "build-" + id}
		real := i == len(fns)-1
		if !real {
			args = append([]string{"-n"}, args...)
		}
		cmd := exec.Command("make", args...)
		cmd.Dir, cmd.Env = codeURI, append(os.Environ(), "ARTIFACTS_DIR="+artifacts)
		out, err := cmd.CombinedOutput()
		if err != nil {
			t.Fatalf("make build-%s (what sam build runs): %v\n%s", id, err, out)
		}
		if !real {
			if !strings.Contains(string(out), artifacts+"/bootstrap") {
				t.Errorf("make -n build-%s does not build into ARTIFACTS_DIR:\n%s", id, out)
			}
			continue
		}
		f, err := elf.Open(filepath.Join(artifacts, "bootstrap"))
		if err != nil {
			t.Fatalf("build-%s left no bootstrap executable: %v\n%s", id, err, out)
		}
		if f.Machine != elf.EM_AARCH64 || f.Type != elf.ET_EXEC {
			t.Errorf("build-%s bootstrap is %v %v, want an arm64 executable (Architectures: [arm64])", id, f.Machine, f.Type)
		}
		f.Close()
	}
}

// AWS_ENDPOINT_URL is declared for sam local only: empty by default (the
// SDK ignores an empty one), only local addresses allowed, and no deploy
// of ours sets it.
func TestLocalEndpointUrl_IsEmptyInAWSAndOnlyEverLocal(t *testing.T) {
	tmpl := loadEdgeTemplate(t)
	p := tmpl.Parameters["LocalEndpointUrl"]
	if p == nil || p["Default"] != "" || p["AllowedPattern"] == nil {
		t.Fatalf("parameter LocalEndpointUrl %v, want Default \"\" and an AllowedPattern", p)
	}
	global, _ := tmpl.Globals["Function"].(map[string]any)
	env, _ := global["Environment"].(map[string]any)
	vars, _ := env["Variables"].(map[string]any)
	if vars["AWS_ENDPOINT_URL"] != any(stack.Intrinsic{Fn: "Ref", Arg: "LocalEndpointUrl"}) {
		t.Errorf("Globals AWS_ENDPOINT_URL = %v, want !Ref LocalEndpointUrl", vars["AWS_ENDPOINT_URL"])
	}
	for _, f := range []string{"buildspec.yml", "samconfig.toml", "infraestructure/cloudformation/pipeline.yaml", "infraestructure/docker/deploy-localstack.sh"} {
		b, err := os.ReadFile(filepath.Join(root(t), f))
		if err != nil {
			t.Fatal(err)
		}
		if strings.Contains(string(b), "LocalEndpointUrl") {
			t.Errorf("%s sets LocalEndpointUrl: a deploy must leave it empty", f)
		}
	}
	pattern := fmtString(p["AllowedPattern"])
	for _, v := range []string{"https://dynamodb.eu-west-1.amazonaws.com", "http://attacker.example:80"} {
		out, _ := exec.Command("python3", "-c", "import re, sys; print(bool(re.fullmatch(sys.argv[1], sys.argv[2])))", pattern, v).Output()
		if strings.TrimSpace(string(out)) != "False" {
			t.Errorf("LocalEndpointUrl accepts %s", v)
		}
	}
}

func fmtString(v any) string { s, _ := v.(string); return s }
