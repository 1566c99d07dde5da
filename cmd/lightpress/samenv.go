package main

import (
	"encoding/json"
	"fmt"
	"maps"
	"net/url"
	"os"
	"path/filepath"
	"slices"

	"github.com/lightpress/lightpress/infraestructure/local/stack"
)

// samEnv is the --env-vars file of `sam local invoke` and `sam local
// start-api` for the stack `lightpress up` runs: each function's
// environment as the template resolves it here (its table, the topic, its
// secrets), and AWS_ENDPOINT_URL pointing the SDK in sam local's containers
// at this run's endpoint. SAM sets only the variables the template declares
// (so the template declares AWS_ENDPOINT_URL, empty in AWS); "Parameters"
// holds what every function shares.
func samEnv(st *stack.Stack, endpoint, containerHost string) (map[string]map[string]string, error) {
	u, err := url.Parse(endpoint)
	if err != nil || u.Port() == "" {
		return nil, fmt.Errorf("endpoint %q has no port for sam local's containers to reach", endpoint)
	}
	fromContainers := "http://" + containerHost + ":" + u.Port()
	out := map[string]map[string]string{"Parameters": {"AWS_ENDPOINT_URL": fromContainers}}
	for _, f := range st.Functions {
		env := maps.Clone(f.Env)
		env["AWS_ENDPOINT_URL"] = fromContainers
		out[f.LogicalID] = env
	}
	return out, nil
}

// writeSamEnv writes samEnv to path (directories made as needed).
func writeSamEnv(path string, st *stack.Stack, endpoint, containerHost string) error {
	env, err := samEnv(st, endpoint, containerHost)
	if err != nil {
		return err
	}
	b, err := json.MarshalIndent(env, "", "  ")
	if err != nil {
		return err
	}
	if err := os.MkdirAll(filepath.Dir(path), 0o755); err != nil {
		return err
	}
	return os.WriteFile(path, append(b, '\n'), 0o644)
}

// samEnvNote says how to use the file, for the terminal.
func samEnvNote(path string, st *stack.Stack) string {
	var fns []string
	for _, f := range st.Functions {
		fns = append(fns, f.LogicalID)
	}
	slices.Sort(fns)
	return fmt.Sprintf("  sam local env: %s (sam build, then sam local start-api --env-vars %s; functions %v)\n", path, path, fns)
}
