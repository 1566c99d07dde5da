// Command buildspec runs a CodeBuild buildspec here, with CodeBuild's
// semantics (see Run), its AWS calls against moto_server: `make buildspec`.
//
//	go run ./infraestructure/tools/buildspec [-f buildspec.yml]
//
// It clones the HEAD commit (as CodeBuild clones the pushed one; -in-place
// builds the working tree instead), starts moto_server on a free loopback port (or uses AWS_ENDPOINT_URL,
// e.g. LocalStack), creates what the pipeline stack would have (the
// artifact bucket, the SSM parameters and secret of pipeline.yaml) and the
// client bucket of the application stack, sets the project's variables and
// BUILDSPEC_LOCAL=1 (the buildspec skips the steps only AWS can do), runs
// the phases, uploads the artifacts and lists the bucket. The exit status
// is 0 only when the build succeeded.
package main

import (
	"flag"
	"fmt"
	"io"
	"os"
	"os/exec"
	"path/filepath"
	"strings"

	"github.com/lightpress/lightpress/infraestructure/local/motoserver"
)

func main() {
	specPath := flag.String("f", "buildspec.yml", "the buildspec (relative: in the source)")
	dir := flag.String("dir", ".", "the source directory (CODEBUILD_SRC_DIR)")
	pipeline := flag.String("pipeline", "infraestructure/cloudformation/pipeline.yaml", "the pipeline template whose parameters and secrets the build reads")
	stage := flag.String("stage", "local", "STAGE of the build")
	packageType := flag.String("package-type", "Zip", "PACKAGE_TYPE (Image needs docker and an ECR)")
	inPlace := flag.Bool("in-place", false, "build the working tree itself instead of a clone of its HEAD commit")
	keep := flag.Bool("keep", false, "keep the clone (its dist/ and reports/) after the build")
	flag.Parse()
	os.Exit(run(*specPath, *dir, *pipeline, *stage, *packageType, *inPlace, *keep))
}

func run(specPath, dir, pipeline, stage, packageType string, inPlace, keep bool) int {
	fail := func(err error) int { fmt.Fprintln(os.Stderr, "buildspec:", err); return 2 }
	dir, err := filepath.Abs(dir)
	if err != nil {
		return fail(err)
	}
	if !inPlace {
		// Like CodeBuild (GitCloneDepth 1): build the commit, in a clone of
		// its own, so the working tree is neither read nor written.
		tmp, err := os.MkdirTemp("", "buildspec-src-")
		if err != nil {
			return fail(err)
		}
		if keep {
			defer fmt.Printf("buildspec: the clone is kept in %s\n", tmp)
		} else {
			defer os.RemoveAll(tmp)
		}
		if st, _ := exec.Command("git", "-C", dir, "status", "--porcelain", "--untracked-files=no").Output(); len(st) > 0 {
			fmt.Println("buildspec: building the HEAD commit; uncommitted changes are not in it (-in-place builds the working tree)")
		}
		src := filepath.Join(tmp, "src")
		clone := exec.Command("git", "clone", "--quiet", "--depth", "1", "--no-tags", "file://"+dir, src)
		clone.Stdout, clone.Stderr = os.Stdout, os.Stderr
		if err := clone.Run(); err != nil {
			return fail(fmt.Errorf("git clone: %w", err))
		}
		// The shared folder (rules, game vectors) is the pipeline's secondary
		// source "shared"; here it is the one beside the repository.
		if shared := filepath.Join(dir, "..", "shared"); os.Getenv("CODEBUILD_SRC_DIR_shared") == "" {
			if _, err := os.Stat(shared); err == nil {
				os.Setenv("CODEBUILD_SRC_DIR_shared", shared)
			}
		}
		dir = src
	}
	if !filepath.IsAbs(specPath) {
		specPath = filepath.Join(dir, specPath)
	}
	raw, err := os.ReadFile(specPath)
	if err != nil {
		return fail(err)
	}
	spec, err := ParseSpec(raw)
	if err != nil {
		return fail(err)
	}
	endpoint := os.Getenv("AWS_ENDPOINT_URL")
	if endpoint == "" {
		logs, _ := os.CreateTemp("", "buildspec-moto-*.log")
		var w io.Writer = io.Discard
		if logs != nil {
			w = logs
			defer logs.Close()
		}
		srv, err := motoserver.Start(w)
		if err != nil {
			return fail(err)
		}
		defer srv.Stop()
		endpoint = srv.URL
	}
	region := "us-east-1"
	artifacts := "lightpress-" + stage + "-artifacts"
	site := "lightpress-" + stage + "-client"
	project := map[string]string{
		"STAGE":                 stage,
		"STACK_NAME":            "lightpress-" + stage,
		"ARTIFACT_BUCKET":       artifacts,
		"SITE_BUCKET":           site,
		"PACKAGE_TYPE":          packageType,
		"ECR_REPOSITORY_URI":    "123456789012.dkr.ecr." + region + ".amazonaws.com/lightpress-" + stage,
		"DEPLOY_ROLE_ARN":       "arn:aws:iam::123456789012:role/lightpress-" + stage + "-deploy",
		"FUNCTION_BOUNDARY_ARN": "arn:aws:iam::123456789012:policy/lightpress-" + stage + "-function-boundary",
		"BUILDSPEC_LOCAL":       "1",
	}
	res, err := Run(Options{
		Dir: dir, Spec: spec, BaseEnv: os.Environ(), ProjectEnv: project,
		AWS: &AWS{Endpoint: endpoint, Region: region, Buckets: []string{artifacts, site},
			ArtifactBucket: artifacts, Pipeline: filepath.Join(dir, pipeline)},
	})
	if err != nil {
		return fail(err)
	}
	var phases []string
	for _, p := range res.Phases {
		phases = append(phases, p.Name+"="+p.Status)
	}
	fmt.Printf("\nbuildspec: %s\n", strings.Join(phases, " "))
	if !res.Succeeded {
		fmt.Println("buildspec: build FAILED")
		return 1
	}
	fmt.Printf("buildspec: build SUCCEEDED; %d artifacts in s3://%s (moto_server at %s)\n", len(res.Uploaded), artifacts, endpoint)
	return 0
}
