package main

import (
	"os"
	"path/filepath"
	"runtime"
	"strings"
	"testing"

	"github.com/lightpress/lightpress/infraestructure/cloudformation/templatecheck"
)

func templatePath(t *testing.T) string {
	_, file, _, _ := runtime.Caller(0)
	return filepath.Join(filepath.Dir(file), "..", "..", "cloudformation", "template.yaml")
}

// Both deployable variants are still templates SAM accepts, with every
// function pointed at its own service's artifact.
func TestPack_ZipAndImageVariantsTransform(t *testing.T) {
	dir := t.TempDir()
	for _, tc := range []struct {
		opt   Options
		check func(t *testing.T, id string, p map[string]any)
	}{
		{Options{Mode: "zip", LambdaDir: filepath.Join(dir, "lambda")}, func(t *testing.T, id string, p map[string]any) {
			if p["PackageType"] != nil && p["PackageType"] != "Zip" {
				t.Errorf("%s: PackageType %v", id, p["PackageType"])
			}
			if p["Runtime"] != "provided.al2023" || p["Handler"] != "bootstrap" {
				t.Errorf("%s: runtime %v handler %v", id, p["Runtime"], p["Handler"])
			}
		}},
		{Options{Mode: "image", ImageRepo: "123456789012.dkr.ecr.eu-west-1.amazonaws.com/lightpress", Tag: "0123abc"}, func(t *testing.T, id string, p map[string]any) {
			if p["PackageType"] != "Image" || p["Runtime"] != nil || p["Handler"] != nil {
				t.Errorf("%s: PackageType %v Runtime %v Handler %v", id, p["PackageType"], p["Runtime"], p["Handler"])
			}
			svc := p["Environment"].(map[string]any)["Variables"].(map[string]any)["SERVICE_NAME"].(string)
			uri, _ := p["Code"].(map[string]any)["ImageUri"].(string)
			if !strings.HasSuffix(uri, "/lightpress:"+svc+"-0123abc") {
				t.Errorf("%s: ImageUri %q", id, uri)
			}
		}},
	} {
		t.Run(tc.opt.Mode, func(t *testing.T) {
			tc.opt.Template = templatePath(t)
			tc.opt.Output = filepath.Join(dir, tc.opt.Mode, "template.yaml")
			out, err := Pack(tc.opt)
			if err != nil {
				t.Fatal(err)
			}
			if tc.opt.Mode == "zip" {
				for _, svc := range []string{"players", "games", "leaderboard", "achievements", "tips", "live"} {
					if !strings.Contains(string(out), "CodeUri: ../lambda/"+svc+".zip") {
						t.Errorf("no CodeUri for %s's zip", svc)
					}
				}
			}
			if err := os.MkdirAll(filepath.Dir(tc.opt.Output), 0o755); err != nil {
				t.Fatal(err)
			}
			if err := os.WriteFile(tc.opt.Output, out, 0o644); err != nil {
				t.Fatal(err)
			}
			// The transform script sits next to the real template.
			script := filepath.Join(filepath.Dir(templatePath(t)), "check_sam_transform.py")
			if err := os.Symlink(script, filepath.Join(filepath.Dir(tc.opt.Output), "check_sam_transform.py")); err != nil {
				t.Fatal(err)
			}
			tmpl, err := templatecheck.Transform(tc.opt.Output)
			if err != nil {
				t.Fatal(err)
			}
			fns := tmpl.OfType("AWS::Lambda::Function")
			if len(fns) != 6 {
				t.Fatalf("%d functions", len(fns))
			}
			for _, id := range fns {
				tc.check(t, id, tmpl.Resources[id].Properties)
			}
			if _, problems := tmpl.LeastPrivilege(); len(problems) > 0 {
				t.Errorf("least privilege lost in packing: %v", problems)
			}
		})
	}
}

func TestPack_RejectsAFunctionWithoutService(t *testing.T) {
	dir := t.TempDir()
	src := filepath.Join(dir, "t.yaml")
	os.WriteFile(src, []byte("Resources:\n  F:\n    Type: AWS::Serverless::Function\n    Properties: {CodeUri: .}\n"), 0o644)
	if _, err := Pack(Options{Template: src, Output: filepath.Join(dir, "o.yaml"), Mode: "zip", LambdaDir: dir}); err == nil || !strings.Contains(err.Error(), "SERVICE_NAME") {
		t.Fatalf("err = %v", err)
	}
	if _, err := Pack(Options{Template: src, Output: filepath.Join(dir, "o.yaml"), Mode: "image"}); err == nil {
		t.Fatal("image mode without a repository accepted")
	}
}
