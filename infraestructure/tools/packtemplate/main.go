// Command packtemplate writes the deployable variant of the SAM template:
// each function pointed at the artifact the build made for its service
// (SERVICE_NAME), instead of the source tree `sam build` would compile.
//
//	packtemplate -mode zip   -o dist/template.yaml [-lambda-dir dist/lambda]
//	packtemplate -mode image -o dist/template.yaml -image-repo URI -tag SHA
//
// zip: CodeUri becomes the path of dist/lambda/<service>.zip (relative to
// the output file), which `aws cloudformation package` uploads to S3 as is.
// image: PackageType Image and ImageUri <repo>:<service>-<tag>; CodeUri,
// Handler, Runtime and the build Metadata go (Globals too), as SAM requires.
//
// The template is edited as a YAML node tree, so comments and short-form
// intrinsics (!Ref, !Sub, ...) survive (blank lines and folded text are
// re-laid out); nothing else changes.
package main

import (
	"bytes"
	"flag"
	"fmt"
	"os"
	"path/filepath"

	"gopkg.in/yaml.v3"
)

func main() {
	var opt Options
	flag.StringVar(&opt.Template, "template", "infraestructure/cloudformation/template.yaml", "the SAM template")
	flag.StringVar(&opt.Output, "o", "dist/template.yaml", "where to write the deployable template")
	flag.StringVar(&opt.Mode, "mode", "zip", "zip or image")
	flag.StringVar(&opt.LambdaDir, "lambda-dir", "dist/lambda", "where the build left <service>.zip (zip mode)")
	flag.StringVar(&opt.ImageRepo, "image-repo", "", "ECR repository URI (image mode)")
	flag.StringVar(&opt.Tag, "tag", "", "image tag suffix, e.g. the commit (image mode): images are <repo>:<service>-<tag>")
	flag.Parse()
	out, err := Pack(opt)
	if err != nil {
		fmt.Fprintln(os.Stderr, "packtemplate:", err)
		os.Exit(1)
	}
	if err := os.MkdirAll(filepath.Dir(opt.Output), 0o755); err != nil {
		fmt.Fprintln(os.Stderr, "packtemplate:", err)
		os.Exit(1)
	}
	if err := os.WriteFile(opt.Output, out, 0o644); err != nil {
		fmt.Fprintln(os.Stderr, "packtemplate:", err)
		os.Exit(1)
	}
	fmt.Printf("packtemplate: wrote %s (%s)\n", opt.Output, opt.Mode)
}

// Options of one run.
type Options struct {
	Template, Output, Mode string
	LambdaDir              string
	ImageRepo, Tag         string
}

// Pack returns the deployable template.
func Pack(opt Options) ([]byte, error) {
	raw, err := os.ReadFile(opt.Template)
	if err != nil {
		return nil, err
	}
	var doc yaml.Node
	if err := yaml.Unmarshal(raw, &doc); err != nil {
		return nil, fmt.Errorf("%s: %w", opt.Template, err)
	}
	if len(doc.Content) == 0 || doc.Content[0].Kind != yaml.MappingNode {
		return nil, fmt.Errorf("%s: not a template", opt.Template)
	}
	root := doc.Content[0]
	resources := lookup(root, "Resources")
	if resources == nil {
		return nil, fmt.Errorf("%s: no Resources", opt.Template)
	}
	switch opt.Mode {
	case "zip":
	case "image":
		if opt.ImageRepo == "" || opt.Tag == "" {
			return nil, fmt.Errorf("image mode needs -image-repo and -tag")
		}
		if fn := lookup(lookup(root, "Globals"), "Function"); fn != nil {
			remove(fn, "Runtime", "Handler", "CodeUri", "Layers")
		}
	default:
		return nil, fmt.Errorf("mode %q: want zip or image", opt.Mode)
	}
	n := 0
	for i := 0; i+1 < len(resources.Content); i += 2 {
		id, res := resources.Content[i].Value, resources.Content[i+1]
		if scalar(lookup(res, "Type")) != "AWS::Serverless::Function" {
			continue
		}
		props := lookup(res, "Properties")
		svc := scalar(lookup(lookup(lookup(props, "Environment"), "Variables"), "SERVICE_NAME"))
		if svc == "" {
			return nil, fmt.Errorf("function %s has no Environment.Variables.SERVICE_NAME: which artifact is it?", id)
		}
		switch opt.Mode {
		case "zip":
			zip, err := filepath.Abs(filepath.Join(opt.LambdaDir, svc+".zip"))
			if err != nil {
				return nil, err
			}
			outDir, err := filepath.Abs(filepath.Dir(opt.Output))
			if err != nil {
				return nil, err
			}
			rel, err := filepath.Rel(outDir, zip)
			if err != nil {
				return nil, err
			}
			set(props, "CodeUri", filepath.ToSlash(rel))
		case "image":
			remove(props, "CodeUri", "Handler", "Runtime", "Layers")
			remove(res, "Metadata")
			set(props, "PackageType", "Image")
			set(props, "ImageUri", fmt.Sprintf("%s:%s-%s", opt.ImageRepo, svc, opt.Tag))
		}
		n++
	}
	if n == 0 {
		return nil, fmt.Errorf("%s: no AWS::Serverless::Function", opt.Template)
	}
	var buf bytes.Buffer
	enc := yaml.NewEncoder(&buf)
	enc.SetIndent(2)
	if err := enc.Encode(&doc); err != nil {
		return nil, err
	}
	if err := enc.Close(); err != nil {
		return nil, err
	}
	return buf.Bytes(), nil
}

func lookup(m *yaml.Node, key string) *yaml.Node {
	if m == nil || m.Kind != yaml.MappingNode {
		return nil
	}
	for i := 0; i+1 < len(m.Content); i += 2 {
		if m.Content[i].Value == key {
			return m.Content[i+1]
		}
	}
	return nil
}

func scalar(n *yaml.Node) string {
	if n == nil || n.Kind != yaml.ScalarNode {
		return ""
	}
	return n.Value
}

// set puts key: value (a plain string) in mapping m, replacing any value.
func set(m *yaml.Node, key, value string) {
	v := &yaml.Node{Kind: yaml.ScalarNode, Tag: "!!str", Value: value}
	for i := 0; i+1 < len(m.Content); i += 2 {
		if m.Content[i].Value == key {
			m.Content[i+1] = v
			return
		}
	}
	m.Content = append(m.Content, &yaml.Node{Kind: yaml.ScalarNode, Tag: "!!str", Value: key}, v)
}

func remove(m *yaml.Node, keys ...string) {
	if m == nil {
		return
	}
	drop := map[string]bool{}
	for _, k := range keys {
		drop[k] = true
	}
	out := m.Content[:0]
	for i := 0; i+1 < len(m.Content); i += 2 {
		if !drop[m.Content[i].Value] {
			out = append(out, m.Content[i], m.Content[i+1])
		}
	}
	m.Content = out
}
