package platform

import (
	"context"
	"fmt"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/config"
)

// LoadAWSConfig loads the SDK configuration once, at init. The SDK itself
// honours AWS_ENDPOINT_URL (and AWS_ENDPOINT_URL_<SERVICE>), which is how
// the local runner and the tests point every client at moto or LocalStack.
func LoadAWSConfig(c context.Context) (aws.Config, error) {
	cfg, err := config.LoadDefaultConfig(c)
	if err != nil {
		return aws.Config{}, fmt.Errorf("load AWS config: %w", err)
	}
	return cfg, nil
}

// MustEnv returns the named variables from getenv, or an error naming every
// one that is missing (each is declared in the template).
func MustEnv(getenv func(string) string, names ...string) (map[string]string, error) {
	vals := map[string]string{}
	var missing []string
	for _, n := range names {
		v := getenv(n)
		if v == "" {
			missing = append(missing, n)
		}
		vals[n] = v
	}
	if len(missing) > 0 {
		return nil, fmt.Errorf("missing environment variables %v (declared in the template)", missing)
	}
	return vals, nil
}
